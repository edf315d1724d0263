import t from 'tap'
import { request } from 'node:http'
import velox from '../lib/index.js'

t.test('a web Response sets the status, the headers and the body', async (t) => {
  const app = velox()
  app.get('/', async () => new Response('created', { status: 201, headers: { 'x-kind': 'web', 'content-type': 'text/plain' } }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 201)
  t.equal(res.headers['x-kind'], 'web')
  t.equal(res.headers['content-type'], 'text/plain')
  t.equal(res.body, 'created')
})

t.test('a web Response without a body, or a 204 one, answers empty', async (t) => {
  const app = velox()
  app.get('/none', async () => new Response(null, { status: 200, headers: { a: 'b' } }))
  app.get('/no-content', (_req: any, reply: any) => { reply.send(new Response(null, { status: 204 })) })
  const none = await app.inject('/none')
  t.equal(none.statusCode, 200)
  t.equal(none.body, '')
  t.equal(none.headers.a, 'b')
  t.equal((await app.inject('/no-content')).statusCode, 204)
})

t.test('a Response whose body was read answers 500 FST_ERR_REP_RESPONSE_BODY_CONSUMED', async (t) => {
  const app = velox()
  app.get('/', async () => {
    const response = new Response('once')
    await response.text()
    return response
  })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.json().code, 'FST_ERR_REP_RESPONSE_BODY_CONSUMED')
})

t.test('a ReadableStream is streamed; a locked one answers 500 FST_ERR_REP_READABLE_STREAM_LOCKED', async (t) => {
  const app = velox()
  const makeStream = (): ReadableStream => new ReadableStream({
    start (controller) {
      controller.enqueue(new TextEncoder().encode('web '))
      controller.enqueue(new TextEncoder().encode('stream'))
      controller.close()
    }
  })
  app.get('/', async () => makeStream())
  app.get('/locked', async () => {
    const stream = makeStream()
    stream.getReader()
    return stream
  })
  t.equal((await app.inject('/')).body, 'web stream')
  const locked = await app.inject('/locked')
  t.equal(locked.statusCode, 500)
  t.equal(locked.json().code, 'FST_ERR_REP_READABLE_STREAM_LOCKED')
})

t.test('a ReadableStream that fails before its first chunk becomes an error answer', async (t) => {
  const app = velox()
  app.get('/', async () => new ReadableStream({ pull () { throw Object.assign(new Error('gone'), { statusCode: 410 }) } }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 410)
  t.equal(res.json().message, 'gone')
})

t.test('an onSend hook may turn the payload into a Response', async (t) => {
  const app = velox()
  app.addHook('onSend', async () => new Response('from hook', { status: 202 }))
  app.get('/', async () => ({ ignored: true }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 202)
  t.equal(res.body, 'from hook')
})

t.test('the client going away cancels the ReadableStream', async (t) => {
  const app = velox()
  let cancelled: (reason: unknown) => void
  const cancelledPromise = new Promise((resolve) => { cancelled = resolve })
  app.get('/', async () => new ReadableStream({
    pull (controller) { controller.enqueue(new Uint8Array(1024)) },
    cancel (reason) { cancelled(reason) }
  }))
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const req = request(address, (res) => { res.once('data', () => { req.destroy() }) })
  req.on('error', () => {})
  req.end()
  await cancelledPromise
  t.pass('cancelled')
})
