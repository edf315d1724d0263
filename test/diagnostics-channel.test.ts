import t from 'tap'
import diagnostics from 'node:diagnostics_channel'
import velox from '../lib/index.js'

type Events = Array<[string, any]>

/** Subscribes to the handler tracing channel for the duration of one test. */
function trace (t: any, app: any): Events {
  const events: Events = []
  const handlers = Object.fromEntries(['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((name) => [name, (msg: any) => {
    if (msg.request.server === app) events.push([name, msg])
  }]))
  const channel = diagnostics.tracingChannel('fastify.request.handler')
  channel.subscribe(handlers as any)
  t.teardown(() => { channel.unsubscribe(handlers as any) })
  return events
}

t.test('a sync handler is traced with start and end, one message carrying request, reply and route', async (t) => {
  const app = velox()
  const events = trace(t, app)
  app.get('/items/:id', (_req: any, reply: any) => { reply.send('ok') })
  await app.inject('/items/1')
  t.same(events.map(([name]) => name), ['start', 'end'])
  const msg = events[0][1]
  t.equal(events[1][1], msg)
  t.same(msg.route, { url: '/items/:id', method: 'GET' })
  t.equal(msg.async, false)
  t.equal(msg.request.params.id, '1')
  t.equal(typeof msg.reply.send, 'function')
})

t.test('an async handler adds asyncStart and asyncEnd around its settling', async (t) => {
  const app = velox()
  const events = trace(t, app)
  app.get('/', async () => { await new Promise((resolve) => setImmediate(resolve)); return 'later' })
  t.equal((await app.inject('/')).body, 'later')
  t.same(events.map(([name]) => name), ['start', 'end', 'asyncStart', 'asyncEnd'])
  t.equal(events[0][1].async, true)
})

t.test('an error is published with the status its answer will have, before the error handler runs', async (t) => {
  const app = velox()
  const events = trace(t, app)
  let status = 0
  const channel = diagnostics.channel('tracing:fastify.request.handler:error')
  const onError = (msg: any): void => { status = msg.reply.statusCode }
  channel.subscribe(onError)
  t.teardown(() => { channel.unsubscribe(onError) })
  app.setErrorHandler(async (error: any, _req: any, reply: any) => {
    await new Promise((resolve) => setImmediate(resolve))
    reply.code(502).send({ handled: error.message })
  })
  app.get('/', () => { throw Object.assign(new Error('gone'), { statusCode: 410 }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 502)
  t.equal(status, 410)
  t.same(events.map(([name]) => name), ['start', 'error', 'end', 'asyncStart', 'asyncEnd'])
  t.equal(events[1][1].error.message, 'gone')
})

t.test('not-found handlers are not traced; nothing is published without subscribers', async (t) => {
  const app = velox()
  const events = trace(t, app)
  await app.inject('/missing')
  t.same(events, [])
})

t.test('fastify.initialization carries each new app', async (t) => {
  const seen: unknown[] = []
  const onInit = (msg: any): void => { seen.push(msg.fastify) }
  diagnostics.subscribe('fastify.initialization', onInit)
  t.teardown(() => { diagnostics.unsubscribe('fastify.initialization', onInit) })
  const app = velox()
  t.same(seen, [app])
})
