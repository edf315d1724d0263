import t from 'tap'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { once } from 'node:events'
import velox from '../lib/index.js'
import { logCollector as logSink } from './log-collector.js'

/** Opens a raw TCP connection to the app. */
async function rawConnect (app: any): Promise<Socket> {
  const { port } = app.server.address()
  const socket = connect({ port, host: '127.0.0.1' })
  await once(socket, 'connect')
  return socket
}

// onResponse

t.test('onResponse runs after the response has been written', async (t) => {
  const app = velox()
  let state: unknown
  const done = new Promise<void>((resolve) => {
    app.addHook('onResponse', async (req: any, reply: any) => {
      state = { sent: reply.sent, status: reply.statusCode, url: req.url }
      resolve()
    })
  })
  app.get('/', async (_req: any, reply: any) => { reply.code(201); return 'created' })
  const res = await app.inject('/')
  await done
  t.equal(res.statusCode, 201)
  t.same(state, { sent: true, status: 201, url: '/' })
})

t.test('onResponse runs for error replies and 404s', async (t) => {
  const app = velox()
  const seen: number[] = []
  app.addHook('onResponse', (_req: any, reply: any, done: () => void) => { seen.push(reply.statusCode); done() })
  app.get('/fail', async () => { throw new Error('nope') })
  await app.inject('/fail')
  await app.inject('/missing')
  await new Promise((resolve) => setImmediate(resolve))
  t.same(seen, [500, 404])
})

t.test('onResponse hooks run in order, parents first, route-level last', async (t) => {
  const app = velox()
  const trail: string[] = []
  let finish: () => void
  const finished = new Promise<void>((resolve) => { finish = resolve })
  app.addHook('onResponse', async () => { trail.push('root') })
  app.register(async function child (child: any) {
    child.addHook('onResponse', async () => { trail.push('child') })
    child.get('/', { onResponse: async () => { trail.push('route'); finish() } }, async () => 'ok')
  })
  await app.inject('/')
  await finished
  t.same(trail, ['root', 'child', 'route'])
})

t.test('an error in onResponse is logged and does not change the response', async (t) => {
  const { stream, lines } = logSink()
  const app = velox({ logger: { level: 'info', stream } })
  const ran = new Promise<void>((resolve) => {
    app.addHook('onResponse', async () => {
      setImmediate(resolve)
      throw new Error('onResponse broke')
    })
  })
  app.get('/', async () => 'fine')
  const res = await app.inject('/')
  await ran
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'fine')
  t.ok(lines.some((line) => line.level === 50 && line.err?.message === 'onResponse broke'), 'the failure is logged at error level')
})

t.test('reply.elapsedTime is measured by the time onResponse runs', async (t) => {
  const app = velox()
  let elapsed = -1
  const ran = new Promise<void>((resolve) => {
    app.addHook('onResponse', async (_req: any, reply: any) => { elapsed = reply.elapsedTime; resolve() })
  })
  app.get('/', async () => 'ok')
  await app.inject('/')
  await ran
  t.ok(elapsed > 0)
})

// onRequestAbort

t.test('onRequestAbort runs with the request when the client goes away before the response', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  let release: () => void = () => {}
  const handlerStarted = new Promise<void>((resolve) => {
    app.get('/slow', async () => {
      resolve()
      await new Promise<void>((resolve) => { release = resolve })
      return 'too late'
    })
  })
  const aborted = new Promise<unknown[]>((resolve) => {
    app.addHook('onRequestAbort', async function (_req: unknown) { resolve([...arguments]) })
  })
  let responded = false
  app.addHook('onResponse', async () => { responded = true })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = await rawConnect(app)
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await handlerStarted
  socket.destroy()
  const args = await aborted
  release()
  t.equal(args.length, 2, 'the hook receives (request, done), with no reply')
  t.equal((args[0] as any).url, '/slow')
  t.equal(typeof args[1], 'function')
  t.equal(responded, false, 'onResponse does not run for an aborted request')
})

t.test('a callback onRequestAbort hook receives (request, done)', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  const trail: string[] = []
  let release: () => void = () => {}
  const handlerStarted = new Promise<void>((resolve) => {
    app.get('/slow', async () => {
      resolve()
      await new Promise<void>((resolve) => { release = resolve })
      return 'late'
    })
  })
  const finished = new Promise<void>((resolve) => {
    app.addHook('onRequestAbort', (req: any, done: () => void) => { trail.push(`first ${req.url}`); done() })
    app.addHook('onRequestAbort', (req: any, done: () => void) => { trail.push(`second ${req.url}`); done(); resolve() })
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = await rawConnect(app)
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await handlerStarted
  socket.destroy()
  await finished
  release()
  t.same(trail, ['first /slow', 'second /slow'])
})

t.test('onRequestAbort does not run when the response completes', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  let calls = 0
  app.addHook('onRequestAbort', async (_req: unknown) => { calls++ })
  app.get('/', async () => 'ok')
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = await rawConnect(app)
  socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
  let response = ''
  socket.on('data', (chunk) => { response += chunk.toString() })
  await once(socket, 'close')
  t.match(response, /^HTTP\/1\.1 200 OK/)
  t.equal(calls, 0)
})

t.test('an error in onRequestAbort is logged', async (t) => {
  const { stream, lines } = logSink()
  const app = velox({ logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  let release: () => void = () => {}
  const handlerStarted = new Promise<void>((resolve) => {
    app.get('/slow', async () => {
      resolve()
      await new Promise<void>((resolve) => { release = resolve })
      return 'late'
    })
  })
  const ran = new Promise<void>((resolve) => {
    app.addHook('onRequestAbort', async (_req: unknown) => {
      setTimeout(resolve, 20)
      throw new Error('abort hook broke')
    })
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = await rawConnect(app)
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await handlerStarted
  socket.destroy()
  await ran
  release()
  t.ok(lines.some((line) => line.level === 50 && line.err?.message === 'abort hook broke'))
})

// onTimeout

t.test('onTimeout runs when the socket times out (connectionTimeout)', async (t) => {
  const app = velox({ connectionTimeout: 100 })
  t.teardown(() => app.close())
  let release: () => void = () => {}
  app.get('/hang', async () => {
    await new Promise<void>((resolve) => { release = resolve })
    return 'never seen'
  })
  const timedOut = new Promise<unknown[]>((resolve) => {
    app.addHook('onTimeout', async (req: any, reply: any) => { resolve([req.url, typeof reply.send]) })
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = await rawConnect(app)
  socket.write('GET /hang HTTP/1.1\r\nHost: localhost\r\n\r\n')
  socket.resume()
  t.same(await timedOut, ['/hang', 'function'])
  await once(socket, 'close')
  release()
  t.pass('the server closed the timed-out connection')
})

t.test('onTimeout in callback style, and only for the routes of its scope', async (t) => {
  const app = velox({ connectionTimeout: 100 })
  t.teardown(() => app.close())
  const seen: string[] = []
  const releases: Array<() => void> = []
  const hang = async (): Promise<string> => { await new Promise<void>((resolve) => { releases.push(resolve) }); return 'never' }
  let timedOut: () => void = () => {}
  const fired = new Promise<void>((resolve) => { timedOut = resolve })
  app.register(async function child (child: any) {
    child.addHook('onTimeout', (req: any, _reply: any, done: () => void) => { seen.push(req.url); done(); timedOut() })
    child.get('/child', hang)
  })
  app.get('/root', hang)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const a = await rawConnect(app)
  a.write('GET /root HTTP/1.1\r\nHost: localhost\r\n\r\n')
  a.resume()
  await once(a, 'close')
  const b = await rawConnect(app)
  b.write('GET /child HTTP/1.1\r\nHost: localhost\r\n\r\n')
  b.resume()
  await fired
  await once(b, 'close')
  for (const release of releases) release()
  t.same(seen, ['/child'])
})

t.test('many requests on one keep-alive socket do not pile up timeout listeners', async (t) => {
  const app = velox({ connectionTimeout: 10000 })
  t.teardown(() => app.close())
  app.addHook('onTimeout', async () => {})
  let listeners = -1
  app.get('/', async (req: any) => {
    listeners = req.raw.socket.listenerCount('timeout')
    return 'ok'
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = await rawConnect(app)
  let received = ''
  socket.on('data', (chunk) => { received += chunk.toString() })
  for (let i = 0; i < 15; i++) {
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')
    const before = (received.match(/HTTP\/1\.1 200/g) ?? []).length
    while ((received.match(/HTTP\/1\.1 200/g) ?? []).length === before) await once(socket, 'data')
  }
  socket.destroy()
  t.ok(listeners >= 1 && listeners <= 3, `timeout listeners on the socket after 15 requests: ${listeners}`)
})
