import t from 'tap'
import velox from '../lib/index.js'

function build (): any {
  const app = velox()
  app.post('/echo', async (req: any) => ({ body: req.body, query: req.query, header: req.headers['x-test'] ?? null }))
  app.get('/', async () => ({ hello: 'world' }))
  return app
}

t.test('inject returns a promise of the response', async (t) => {
  const res = await build().inject({ method: 'POST', url: '/echo?q=1', payload: { a: 1 }, headers: { 'x-test': 'yes' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(res.json(), { body: { a: 1 }, query: { q: '1' }, header: 'yes' })
})

t.test('inject takes a URL string', async (t) => {
  const res = await build().inject('/')
  t.same(res.json(), { hello: 'world' })
})

t.test('inject calls back with (err, res) when given a callback', async (t) => {
  const app = build()
  const res = await new Promise<any>((resolve, reject) => {
    const returned = app.inject({ url: '/' }, (err: Error | null, response: any) => {
      if (err !== null) reject(err)
      else resolve(response)
    })
    t.equal(returned, undefined, 'the callback form returns nothing')
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { hello: 'world' })
})

t.test('inject without options returns a chain', async (t) => {
  const app = build()
  const res = await app.inject().post('/echo').headers({ 'x-test': 'chained' }).query({ page: '2' }).payload({ b: 2 }).end()
  t.same(res.json(), { body: { b: 2 }, query: { page: '2' }, header: 'chained' })
  const awaited = await app.inject().get('/')
  t.same(awaited.json(), { hello: 'world' }, 'a chain is awaitable without end()')
})

t.test('inject boots the app when it has not been started', async (t) => {
  const app = velox()
  let booted = false
  app.register(async (child: any) => {
    booted = true
    child.get('/from-plugin', async () => 'plugin route')
  })
  t.equal(booted, false)
  const res = await app.inject('/from-plugin')
  t.equal(booted, true)
  t.equal(res.body, 'plugin route')
})

t.test('inject rejects with the boot error when a plugin fails', async (t) => {
  const promiseApp = velox()
  promiseApp.register(async () => { throw new Error('plugin broke') })
  await t.rejects(promiseApp.inject('/'), { message: /plugin broke/ })

  const callbackApp = velox()
  callbackApp.register(async () => { throw new Error('plugin broke') })
  const err = await new Promise<Error | undefined>((resolve) => { callbackApp.inject('/', (e) => resolve(e)) })
  t.match(err?.message, /plugin broke/)

  const chainApp = velox()
  chainApp.register(async () => { throw new Error('plugin broke') })
  await t.rejects(chainApp.inject().get('/').end(), { message: /plugin broke/ })
})

t.test('inject after close fails with FST_ERR_REOPENED_CLOSE_SERVER', async (t) => {
  const app = build()
  await app.ready()
  await app.close()
  await t.rejects(app.inject('/'), {
    code: 'FST_ERR_REOPENED_CLOSE_SERVER',
    message: 'Fastify has already been closed and cannot be reopened'
  })
  const err = await new Promise<any>((resolve) => app.inject('/', (e: any) => resolve(e)))
  t.equal(err.code, 'FST_ERR_REOPENED_CLOSE_SERVER')
})

t.test('inject works while the app is listening', async (t) => {
  const app = build()
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const res = await app.inject('/')
  t.same(res.json(), { hello: 'world' })
})

t.test('concurrent injects each get their own answer', async (t) => {
  const app = velox()
  app.get('/n/:n', async (req: any) => {
    await new Promise((resolve) => setTimeout(resolve, 10 - Number(req.params.n)))
    return { n: Number(req.params.n) }
  })
  const responses = await Promise.all([1, 2, 3, 4, 5].map((n) => app.inject(`/n/${n}`)))
  t.same(responses.map((r) => r.json().n), [1, 2, 3, 4, 5])
})
