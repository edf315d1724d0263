import t from 'tap'
import http from 'node:http'
import https from 'node:https'
import http2 from 'node:http2'
import net from 'node:net'
import { once } from 'node:events'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import velox from '../lib/index.js'
import { waitFor } from './wait-for.js'

const local = { port: 0, host: '127.0.0.1' }

/** Sends raw HTTP/1.1 text on one socket and collects everything the server writes back. */
function rawSocket (port: number): { socket: net.Socket, received: () => string } {
  const socket = net.connect(port, '127.0.0.1')
  let data = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => { data += chunk })
  socket.on('error', () => {})
  return { socket, received: () => data }
}

t.test('listen resolves with the address and addresses() lists it', async (t) => {
  const app = velox()
  app.get('/', async () => 'up')
  t.teardown(() => app.close())
  const address = await app.listen(local)
  t.match(address, /^http:\/\/127\.0\.0\.1:\d+$/)
  const port = Number(new URL(address).port)
  t.same(app.addresses(), [{ address: '127.0.0.1', family: 'IPv4', port }])
  t.equal(app.server.address().port, port)
  t.type(app.server.listen, 'function', 'app.server is the node server')
  const res = await request(address + '/')
  t.equal(res.statusCode, 200)
  t.equal(await res.body.text(), 'up')
})

t.test('addresses() is empty before listen', async (t) => {
  const app = velox()
  t.same(app.addresses(), [])
})

t.test('listen takes a callback receiving (err, address)', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  const address = await new Promise<string>((resolve, reject) => {
    const returned = app.listen(local, (err: Error | null, addr: string) => err !== null ? reject(err) : resolve(addr))
    t.equal(returned, undefined)
  })
  t.match(address, /^http:\/\/127\.0\.0\.1:\d+$/)
})

t.test('a listen callback receives (err, null) when listening fails', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  await app.listen(local)
  const { err, address } = await new Promise<{ err: Error | null, address: unknown }>((resolve) => {
    app.listen(local, (err: Error | null, address: unknown) => { resolve({ err, address }) })
  })
  t.equal((err as any)?.code, 'FST_ERR_REOPENED_SERVER')
  t.equal(address, null)
})

t.test('listening on 0.0.0.0 resolves to a loopback address and logs every IPv4 interface, with listeningOrigin', async (t) => {
  const lines: any[] = []
  const app = velox({ logger: { level: 'info', stream: { write: (l: string) => { lines.push(JSON.parse(l)) } } } })
  t.teardown(() => app.close())
  t.equal(app.listeningOrigin, undefined)
  const address = await app.listen({ port: 0, host: '0.0.0.0' })
  const port = (app.server.address() as { port: number }).port
  t.equal(address, `http://127.0.0.1:${port}`)
  t.ok(lines.some((l) => l.msg === `Server listening at http://127.0.0.1:${port}`))
  t.equal(app.listeningOrigin, `http://0.0.0.0:${port}`)
})

t.test('listen logs the address it listens on', async (t) => {
  const lines: any[] = []
  const app = velox({ logger: { level: 'info', stream: { write: (l: string) => { lines.push(JSON.parse(l)) } } } })
  t.teardown(() => app.close())
  const address = await app.listen(local)
  t.ok(lines.some((l) => l.msg === `Server listening at ${address}`))
})

t.test('listening twice fails with FST_ERR_REOPENED_SERVER', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  await app.listen(local)
  await t.rejects(app.listen(local), { code: 'FST_ERR_REOPENED_SERVER', message: 'Fastify is already listening' })
})

t.test('listening after close fails with FST_ERR_REOPENED_CLOSE_SERVER', async (t) => {
  const app = velox()
  await app.listen(local)
  await app.close()
  await t.rejects(app.listen(local), { code: 'FST_ERR_REOPENED_CLOSE_SERVER' })
})

t.test('an invalid port is refused by Node.js with ERR_SOCKET_BAD_PORT, as with Fastify', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  await t.rejects(app.listen({ port: 70000, host: '127.0.0.1' }), { code: 'ERR_SOCKET_BAD_PORT' })
  await t.rejects(app.listen({ port: '1234hello' as any, host: '127.0.0.1' }), { code: 'ERR_SOCKET_BAD_PORT' })
})

t.test('listen({ signal }): aborting closes the app, before or after it listens', async (t) => {
  const after = velox()
  let closedAfter = false
  after.addHook('onClose', async () => { closedAfter = true })
  const controller = new AbortController()
  t.ok(await after.listen({ port: 0, host: '127.0.0.1', signal: controller.signal }))
  controller.abort()
  await waitFor(() => closedAfter)
  t.equal(after.server.listening, false)

  const during = velox()
  let closedDuring = false
  during.addHook('onClose', async () => { closedDuring = true })
  const early = new AbortController()
  let called = false
  during.listen({ port: 0, host: '127.0.0.1', signal: early.signal }, () => { called = true })
  early.abort()
  await waitFor(() => closedDuring)
  t.equal(during.server.listening, false)
  t.equal(called, false, 'the callback is never called')

  const before = velox()
  const aborted = new AbortController()
  aborted.abort()
  t.equal(await before.listen({ port: 0, host: '127.0.0.1', signal: aborted.signal }), undefined)
  t.equal(before.server.listening, false)

  t.throws(() => velox().listen({ port: 0, signal: {} as any }), { code: 'FST_ERR_LISTEN_OPTIONS_INVALID', message: "Invalid listen options: 'Invalid options.signal'" })
})

t.test('close finishes a request in flight and then refuses connections', async (t) => {
  const app = velox()
  let release: () => void = () => {}
  let started: () => void = () => {}
  const handlerStarted = new Promise<void>((resolve) => { started = resolve })
  app.get('/slow', async () => {
    started()
    await new Promise<void>((resolve) => { release = resolve })
    return { finished: true }
  })
  const address = await app.listen(local)
  // reset: true sends Connection: close; a keep-alive client would hold close() until its idle timeout.
  const inFlight = request(address + '/slow', { reset: true })
  await handlerStarted
  const closing = app.close()
  await new Promise((resolve) => setTimeout(resolve, 20))
  await t.rejects(request(address + '/slow', { reset: true }), { code: 'ECONNREFUSED' }, 'no new connections once closing')
  release()
  const res = await inFlight
  t.equal(res.statusCode, 200)
  t.same(await res.body.json(), { finished: true })
  await closing
})

t.test('a request that completes its headers while the app closes gets Fastify\'s 503', async (t) => {
  const app = velox()
  let handled = false
  app.get('/late', async () => { handled = true; return 'late' })
  await app.listen(local)
  const { socket, received } = rawSocket(app.server.address().port)
  t.teardown(() => socket.destroy())
  // Half a request: the connection is busy, so close() cannot reap it as idle.
  socket.write('GET /late HTTP/1.1\r\nHost: localhost\r\n')
  await new Promise((resolve) => setTimeout(resolve, 30))
  const closing = app.close()
  socket.write('\r\n')
  await closing
  await waitFor(() => received().endsWith('}'))
  const text = received()
  t.match(text, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
  t.match(text, /connection: close\r\n/i)
  t.match(text, /content-type: application\/json\r\n/i)
  t.match(text, /content-length: 80\r\n/i)
  t.ok(text.endsWith('\r\n\r\n{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}'))
  t.equal(handled, false, 'the route never ran')
})

t.test('return503OnClosing: false serves that request, with Connection: close', async (t) => {
  const app = velox({ return503OnClosing: false })
  app.get('/late', async () => 'late')
  await app.listen(local)
  const { socket, received } = rawSocket(app.server.address().port)
  t.teardown(() => socket.destroy())
  socket.write('GET /late HTTP/1.1\r\nHost: localhost\r\n')
  await new Promise((resolve) => setTimeout(resolve, 30))
  const closing = app.close()
  socket.write('\r\n')
  await closing
  await waitFor(() => received().endsWith('late'))
  t.match(received(), /^HTTP\/1\.1 200 OK\r\n/)
  t.match(received(), /connection: close\r\n/i)
})

/** An app whose /slow handler waits for release(), with a raw keep-alive socket that sent one request to it. */
async function slowRequestOnSocket (t: any, options: Record<string, unknown> = {}): Promise<{ app: any, release: () => void, socket: net.Socket, received: () => string, ended: Promise<unknown> }> {
  const app = velox(options)
  let release: () => void = () => {}
  let started = false
  app.get('/slow', async () => {
    started = true
    await new Promise<void>((resolve) => { release = resolve })
    return 'slow done'
  })
  await app.listen(local)
  const { socket, received } = rawSocket(app.server.address().port)
  t.teardown(() => socket.destroy())
  const ended = new Promise((resolve) => socket.once('close', resolve))
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await waitFor(() => started)
  return { app, release: () => { release() }, socket, received, ended }
}

t.test('a response in flight when close starts keeps its connection, as in Fastify: the next request there is answered 503', async (t) => {
  const { app, release, socket, received, ended } = await slowRequestOnSocket(t)
  const closing = app.close()
  release()
  await waitFor(() => received().endsWith('slow done'))
  t.match(received(), /^HTTP\/1\.1 200 OK\r\n/)
  t.match(received(), /connection: keep-alive\r\n/i)
  // A request the client sends on that connection once it has the answer.
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await closing
  await ended
  const second = received().slice(received().indexOf('slow done') + 'slow done'.length)
  t.match(second, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
  t.match(second, /connection: close\r\n/i)
})

t.test('a keep-alive connection left idle while the app closes is closed a moment after its response, not at keepAliveTimeout', async (t) => {
  const { app, release, received, ended } = await slowRequestOnSocket(t, { keepAliveTimeout: 60_000 })
  const closing = app.close()
  release()
  const began = Date.now()
  await closing
  await ended
  t.ok(received().endsWith('slow done'))
  t.ok(Date.now() - began < 5_000, 'closed long before keepAliveTimeout')
})

t.test('routing(req, res) routes a raw request the server handed elsewhere (an upgrade) through hooks and handler', async (t) => {
  const app = velox()
  t.teardown(() => app.close())
  const seen: string[] = []
  app.addHook('onRequest', async (request: any) => { seen.push(`onRequest ${request.url}`) })
  app.get('/chat', async (request: any) => `routed ${request.headers.upgrade}`)
  // Detached, as plugins keep it: it does not depend on \`this\`.
  const { routing } = app
  app.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    const res = new http.ServerResponse(req)
    res.assignSocket(socket)
    res.on('finish', () => socket.end())
    routing(req, res)
  })
  await app.listen(local)
  const { socket, received } = rawSocket(app.server.address().port)
  socket.write('GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n')
  await once(socket, 'end')
  t.match(received(), /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nrouted websocket$/)
  t.same(seen, ['onRequest /chat'])
})

t.test('version reports the Fastify 5 API level as a semver string', async (t) => {
  const app = velox()
  t.match(app.version, /^5\.\d+\.\d+$/)
})

t.test('connectionTimeout, keepAliveTimeout and requestTimeout configure the node server', async (t) => {
  const app = velox({ connectionTimeout: 1234, keepAliveTimeout: 2345, requestTimeout: 3456 })
  t.equal(app.server.timeout, 1234)
  t.equal(app.server.keepAliveTimeout, 2345)
  t.equal(app.server.requestTimeout, 3456)
  const defaults = velox()
  t.equal(defaults.server.timeout, 0)
  t.equal(defaults.server.keepAliveTimeout, 72000)
  t.equal(defaults.server.requestTimeout, 0)
})

t.test('keepAliveTimeout is announced on keep-alive responses', async (t) => {
  const app = velox({ keepAliveTimeout: 5000 })
  app.get('/', async () => 'ok')
  t.teardown(() => app.close())
  await app.listen(local)
  const { port } = app.server.address()
  const agent = new http.Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  const res = await new Promise<http.IncomingMessage>((resolve) => http.get({ host: '127.0.0.1', port, path: '/', agent }, resolve))
  res.resume()
  t.equal(res.headers['keep-alive'], 'timeout=5')
})

t.test('connectionTimeout closes a connection that sends nothing', async (t) => {
  const app = velox({ connectionTimeout: 100 })
  t.teardown(() => app.close())
  await app.listen(local)
  const socket = net.connect(app.server.address().port, '127.0.0.1')
  socket.on('error', () => {})
  await once(socket, 'connect')
  await once(socket, 'close')
  t.pass('the idle socket was closed by the server')
})

t.test('http2: true serves HTTP/2 over cleartext', async (t) => {
  const app = velox({ http2: true })
  app.get('/', async (req: any) => ({ httpVersion: req.raw.httpVersion, protocol: req.protocol, hostname: req.hostname }))
  t.teardown(() => app.close())
  const address = await app.listen(local)
  const client = http2.connect(address)
  t.teardown(() => client.close())
  const stream = client.request({ ':path': '/' })
  const [headers] = await once(stream, 'response')
  let body = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => { body += chunk })
  await once(stream, 'end')
  t.equal(headers[':status'], 200)
  t.equal(headers['content-type'], 'application/json; charset=utf-8')
  t.same(JSON.parse(body), { httpVersion: '2.0', protocol: 'http', hostname: '127.0.0.1' })
})

t.test('http2 with forceCloseConnections: true closes the open sessions on close(); a new stream is refused', async (t) => {
  const app = velox({ http2: true, forceCloseConnections: true })
  app.get('/', async () => 'hello')
  const address = await app.listen(local)
  const client = http2.connect(address)
  t.teardown(() => client.destroy())
  const first = client.request({ ':path': '/' })
  first.resume()
  await once(first, 'response')
  const closing = app.close()
  const second = client.request({ ':path': '/' })
  const [err] = await once(second, 'error')
  t.equal(err.code, 'ERR_HTTP2_STREAM_ERROR')
  t.match(err.message, /NGHTTP2_REFUSED_STREAM/)
  await closing
  t.ok(client.closed, 'the session was closed by the server')
})

function selfSigned (t: any): { key: Buffer, cert: Buffer } | null {
  const dir = mkdtempSync(join(tmpdir(), 'velox-tls-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  } catch {
    return null
  }
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }
}

t.test('https options serve TLS and the request reports protocol https', async (t) => {
  const tls = selfSigned(t)
  if (tls === null) {
    t.skip('openssl is not available')
    return
  }
  const app = velox({ https: tls })
  app.get('/', async (req: any) => ({ protocol: req.protocol }))
  t.teardown(() => app.close())
  const address = await app.listen(local)
  t.match(address, /^https:\/\/127\.0\.0\.1:\d+$/)
  const body = await new Promise<string>((resolve, reject) => {
    https.get(address + '/', { rejectUnauthorized: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve(text))
    }).on('error', reject)
  })
  t.same(JSON.parse(body), { protocol: 'https' })
})
