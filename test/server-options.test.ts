import t from 'tap'
import http from 'node:http'
import http2 from 'node:http2'
import net from 'node:net'
import { once } from 'node:events'
import velox from '../lib/index.js'

const local = { port: 0, host: '127.0.0.1' }

/** Sends raw HTTP/1.1 text and resolves with everything the server wrote before closing. */
async function rawRequest (port: number, text: string): Promise<string> {
  const socket = net.connect(port, '127.0.0.1')
  let data = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => { data += chunk })
  socket.on('error', () => {})
  await once(socket, 'connect')
  socket.end(text)
  await once(socket, 'close')
  return data
}

t.test('the http option reaches http.createServer: maxHeaderSize answers larger headers 431', async (t) => {
  const app = velox({ http: { maxHeaderSize: 1024 } })
  app.get('/', async () => 'ok')
  t.teardown(() => app.close())
  await app.listen(local)
  const { port } = app.server.address()
  const small = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
  t.match(small, /^HTTP\/1\.1 200 /)
  const big = await rawRequest(port, `GET / HTTP/1.1\r\nHost: a\r\nx-big: ${'a'.repeat(2048)}\r\n\r\n`)
  t.match(big, /^HTTP\/1\.1 431 /)
  t.match(big, /Exceeded maximum allowed HTTP header size/)
})

t.test('the http option reaches http.createServer: requireHostHeader: false serves HTTP/1.1 without Host', async (t) => {
  const strict = velox()
  strict.get('/', async () => 'ok')
  t.teardown(() => strict.close())
  await strict.listen(local)
  const refused = await rawRequest(strict.server.address().port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n')
  t.match(refused, /^HTTP\/1\.1 400 /, 'Node refuses an HTTP/1.1 request without Host by default')

  const lenient = velox({ http: { requireHostHeader: false } })
  lenient.get('/', async () => 'ok')
  t.teardown(() => lenient.close())
  await lenient.listen(local)
  const served = await rawRequest(lenient.server.address().port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n')
  t.match(served, /^HTTP\/1\.1 200 /)
  t.match(served, /\r\n\r\nok$/)
})

t.test('the http option sets connectionsCheckingInterval, and requestTimeout still applies', async (t) => {
  const app = velox({ http: { connectionsCheckingInterval: 50 }, requestTimeout: 100 })
  app.get('/', async () => 'ok')
  t.teardown(() => app.close())
  await app.listen(local)
  t.equal(app.server.requestTimeout, 100)
  const socket = net.connect(app.server.address().port, '127.0.0.1')
  let data = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => { data += chunk })
  socket.on('error', () => {})
  await once(socket, 'connect')
  // Headers that never finish: the request times out after requestTimeout, checked every 50 ms.
  socket.write('GET / HTTP/1.1\r\nHost: a\r\n')
  const started = Date.now()
  await once(socket, 'close')
  t.match(data, /^HTTP\/1\.1 408 /)
  t.ok(Date.now() - started < 2000, 'answered soon after the request timeout, not at Node\'s 30 s check')
})

t.test('a serverFactory server is the user\'s own: no timeout is set on it', async (t) => {
  let given: Record<string, unknown> = {}
  const app = velox({
    keepAliveTimeout: 1000,
    connectionTimeout: 2000,
    requestTimeout: 3000,
    serverFactory: (handler: any, options: Record<string, unknown>) => {
      given = options
      const server = http.createServer(handler)
      server.keepAliveTimeout = 7
      return server
    }
  })
  app.get('/', async () => 'from the factory')
  t.teardown(() => app.close())
  t.equal(app.server.keepAliveTimeout, 7)
  t.equal(app.server.timeout, 0)
  t.equal(given.keepAliveTimeout, 1000, 'the factory receives the options')
  await app.listen(local)
  const body = await rawRequest(app.server.address().port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
  t.match(body, /from the factory$/)
})

t.test('maxRequestsPerSocket: 0 leaves Node\'s default (no limit)', async (t) => {
  t.equal(velox({ maxRequestsPerSocket: 0 }).server.maxRequestsPerSocket, 0)
  t.equal(velox({ maxRequestsPerSocket: 5 }).server.maxRequestsPerSocket, 5)
})

t.test('https: true is accepted as empty TLS options', async (t) => {
  const app = velox({ https: true, serverFactory: undefined })
  t.equal(typeof app.server.setSecureContext, 'function', 'a TLS server')
})

t.test('http2: an idle session is closed gracefully after http2SessionTimeout', async (t) => {
  const app = velox({ http2: true, http2SessionTimeout: 100 })
  app.get('/', async () => 'ok')
  t.teardown(() => app.close())
  const address = await app.listen(local)
  const client = http2.connect(address)
  client.on('error', () => {})
  t.teardown(() => client.destroy())
  const stream = client.request({ ':path': '/' })
  const [headers] = await once(stream, 'response')
  stream.resume()
  await once(stream, 'end')
  t.equal(headers[':status'], 200)
  const [code] = await once(client, 'goaway')
  t.equal(code, http2.constants.NGHTTP2_NO_ERROR, 'the server says goodbye (GOAWAY), it does not reset the session')
})

t.test('http2: connectionTimeout sets the server timeout, as in Fastify', async (t) => {
  const app = velox({ http2: true, connectionTimeout: 4321 })
  t.equal(app.server.timeout, 4321)
  t.equal(velox({ http2: true }).server.timeout, 0)
})

t.test('forceCloseConnections: \'idle\' with a server that cannot close idle connections throws at creation, as in Fastify', async (t) => {
  t.throws(() => velox({ forceCloseConnections: 'idle', serverFactory: () => ({ on () {} }) as any }), { code: 'FST_ERR_FORCE_CLOSE_CONNECTIONS_IDLE_NOT_AVAILABLE' })
  t.doesNotThrow(() => velox({ serverFactory: () => ({ on () {} }) as any }), 'no error without the option')
})

t.test('a serverFactory server listened on by the user: addresses() reports it and close() leaves it open', async (t) => {
  const server = http.createServer()
  const app = velox({ serverFactory: (handler: any) => { server.on('request', handler); return server } })
  app.get('/', async () => 'ok')
  await app.ready()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.close() })
  const address = server.address()
  t.same(app.addresses(), [address])
  await app.close()
  t.equal(server.listening, true, 'Velox did not create it, so it does not close it')
})
