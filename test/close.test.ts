import t from 'tap'
import { request } from 'undici'
import velox from '../lib/index.js'

t.test('preClose hooks run before onClose hooks; onClose hooks of children run before their parents', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.addHook('preClose', async () => { seen.push('preClose root') })
  app.addHook('onClose', async () => { seen.push('onClose root') })
  app.register(async (a: any) => {
    a.addHook('preClose', (done: () => void) => { seen.push('preClose a'); done() })
    a.addHook('onClose', async () => { seen.push('onClose a') })
    a.register(async (a1: any) => { a1.addHook('onClose', async () => { seen.push('onClose a1') }) })
  })
  app.register(async (b: any) => { b.addHook('onClose', async () => { seen.push('onClose b') }) })
  app.addHook('onClose', async () => { seen.push('onClose root 2') })
  await app.ready()
  await app.close()
  t.same(seen, ['preClose root', 'preClose a', 'onClose b', 'onClose a1', 'onClose a', 'onClose root 2', 'onClose root'])
})

t.test('onClose hooks receive the instance that added them, as argument and as this, in both styles', async (t) => {
  const app = velox()
  let child: any
  const seen: unknown[] = []
  app.addHook('onClose', async function (this: any, instance: any) { seen.push(['root', this === app, instance === app]) })
  app.register(async (c: any) => {
    child = c
    c.addHook('onClose', function (this: any, instance: any, done: () => void) {
      seen.push(['child', this === child, instance === child])
      done()
    })
  })
  await app.close()
  t.same(seen, [['child', true, true], ['root', true, true]])
})

t.test('onClose(fn), avvio\'s method on every instance, runs fn(instance, done) or async fn(instance) on close, latest first', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  let child: any
  app.onClose((instance: any, done: () => void) => { seen.push(['root cb', instance === app]); done() })
  app.register(async (c: any) => {
    child = c
    t.equal(c.onClose(async (instance: any) => { seen.push(['child async', instance === child]) }), c, 'returns the instance for chaining')
  })
  app.addHook('onClose', async () => { seen.push(['hook']) })
  await app.close()
  t.same(seen, [['child async', true], ['hook'], ['root cb', true]])
})

t.test('onClose(fn) with something other than a function throws FST_ERR_HOOK_INVALID_HANDLER', async (t) => {
  const app = velox()
  t.throws(() => app.onClose('nope' as any), { code: 'FST_ERR_HOOK_INVALID_HANDLER' })
})

t.test('close() returns a promise, and close(cb) calls back with no argument (as Fastify) and returns undefined', async (t) => {
  const app = velox()
  const promise = app.close()
  t.type(promise.then, 'function')
  await promise
  const other = velox()
  const result = await new Promise<[unknown[], unknown]>((resolve) => {
    const returned = other.close((...args: unknown[]) => resolve([args, returned]))
  })
  t.strictSame(result, [[], undefined])
})

t.test('closing twice runs the hooks once and resolves both times', async (t) => {
  const app = velox()
  let count = 0
  app.addHook('onClose', async () => { count++ })
  await Promise.all([app.close(), app.close()])
  await app.close()
  t.equal(count, 1)
})

t.test('close() before ready() loads the plugins first, so their onClose hooks run', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.register(async (c: any) => {
    seen.push('loaded')
    c.addHook('onClose', async () => { seen.push('closed') })
  })
  await app.close()
  t.same(seen, ['loaded', 'closed'])
})

t.test('close() after a failed boot still runs the hooks that were added', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.addHook('onClose', async () => { seen.push('closed') })
  app.register(async function failing () { throw new Error('boom') })
  await t.rejects(app.ready(), { message: /boom/ })
  await app.close()
  t.same(seen, ['closed'])
})

t.test('a failing onClose hook does not stop the others; close() rejects with the first error', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.addHook('onClose', async () => { seen.push('first added, last run') })
  app.addHook('onClose', async () => { throw new Error('close failed') })
  app.addHook('onClose', async () => { seen.push('last added, first run') })
  await t.rejects(app.close(), { message: 'close failed' })
  t.same(seen, ['last added, first run', 'first added, last run'])
})

t.test('a failing preClose hook skips the other preClose hooks, still runs onClose, and close() rejects', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.addHook('preClose', async () => { seen.push('pre 1'); throw new Error('preClose failed') })
  app.addHook('preClose', async () => { seen.push('pre 2') })
  app.addHook('onClose', async () => { seen.push('onClose') })
  await t.rejects(app.close(), { message: 'preClose failed' })
  t.same(seen, ['pre 1', 'onClose'])
})

t.test('onClose and preClose hooks may be added after ready and while closing', async (t) => {
  const app = velox()
  const seen: string[] = []
  await app.ready()
  app.addHook('onClose', async () => { seen.push('added after ready') })
  app.addHook('preClose', async () => {
    app.addHook('onClose', async () => { seen.push('added during preClose') })
  })
  await app.close()
  t.same(seen, ['added during preClose', 'added after ready'])
})

t.test('an object with Symbol.asyncDispose or Symbol.dispose is accepted as an onClose hook', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.addHook('onClose', { async [Symbol.asyncDispose] () { seen.push('async disposed') } })
  app.addHook('onClose', { [Symbol.dispose] () { seen.push('disposed') } })
  t.throws(() => app.addHook('onClose', {}), { code: 'FST_ERR_HOOK_INVALID_HANDLER' })
  await app.close()
  t.same(seen, ['disposed', 'async disposed'])
})

t.test('the instance is async-disposable: disposing it closes it', async (t) => {
  const app = velox()
  let closed = false
  app.addHook('onClose', async () => { closed = true })
  await app[Symbol.asyncDispose]()
  t.equal(closed, true)
})

t.test('inject() after close rejects with FST_ERR_REOPENED_CLOSE_SERVER', async (t) => {
  const app = velox()
  app.get('/', async () => 'ok')
  await app.ready()
  await app.close()
  await t.rejects(app.inject('/'), {
    code: 'FST_ERR_REOPENED_CLOSE_SERVER',
    message: 'Fastify has already been closed and cannot be reopened'
  })
  const err = await new Promise((resolve) => app.inject('/', resolve))
  t.match(err, { code: 'FST_ERR_REOPENED_CLOSE_SERVER' })
})

t.test('listen() after close rejects with FST_ERR_REOPENED_CLOSE_SERVER', async (t) => {
  const app = velox()
  await app.close()
  await t.rejects(app.listen({ port: 0, host: '127.0.0.1' }), { code: 'FST_ERR_REOPENED_CLOSE_SERVER' })
})

t.test('over a socket', async (t) => {
  t.test('preClose runs while the server still listens; after close it no longer does', async (t) => {
    const app = velox()
    t.teardown(() => app.close())
    let listeningInPreClose: boolean | undefined
    let listeningInOnClose: boolean | undefined
    app.addHook('preClose', async () => { listeningInPreClose = app.server.listening })
    app.addHook('onClose', async () => { listeningInOnClose = app.server.listening })
    await app.listen({ port: 0, host: '127.0.0.1' })
    await app.close()
    t.equal(listeningInPreClose, true)
    t.equal(listeningInOnClose, false)
    t.same(app.addresses(), [])
  })

  t.test('a request in flight when close() is called completes before close resolves', async (t) => {
    const app = velox()
    t.teardown(() => app.close())
    let release: () => void = () => {}
    let arrived: () => void = () => {}
    const requestArrived = new Promise<void>((resolve) => { arrived = resolve })
    app.get('/slow', async () => {
      arrived()
      await new Promise<void>((resolve) => { release = resolve })
      return { done: true }
    })
    const order: string[] = []
    app.addHook('onResponse', async () => { order.push('responded') })
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    // `reset: true` asks for Connection: close. An idle keep-alive connection
    // would hold server.close() until keepAliveTimeout, as in Fastify.
    const pending = request(`${address}/slow`, { reset: true })
    await requestArrived
    const closing = app.close().then(() => { order.push('closed') })
    await new Promise((resolve) => setImmediate(resolve))
    t.same(order, [], 'close waits for the request')
    release()
    const res = await pending
    t.equal(res.statusCode, 200)
    t.same(await res.body.json(), { done: true })
    await closing
    t.same(order, ['responded', 'closed'])
  })
})
