import t from 'tap'
import net from 'node:net'
import { once } from 'node:events'
import { Readable } from 'node:stream'
import { createHash } from 'node:crypto'
import { waitFor } from './wait-for.js'

// Count the writes that reach the kernel: wrap the socket's own write hooks before Velox
// captures them, then load Velox.
const kernelWrites = new WeakMap<net.Socket, number>()
const socketProto = net.Socket.prototype as any
const ownWritev = socketProto._writev
const ownWrite = socketProto._write
socketProto._writev = function countWritev (this: net.Socket, ...args: unknown[]) {
  kernelWrites.set(this, (kernelWrites.get(this) ?? 0) + 1)
  return ownWritev.apply(this, args)
}
socketProto._write = function countWrite (this: net.Socket, ...args: unknown[]) {
  kernelWrites.set(this, (kernelWrites.get(this) ?? 0) + 1)
  return ownWrite.apply(this, args)
}
const { default: velox } = await import('../lib/index.js')
const { HELD_BYTES_LIMIT } = await import('../lib/server/socket-writes.js')

const local = { port: 0, host: '127.0.0.1' }

/** A raw client socket that keeps everything the server sends. */
async function connect (port: number): Promise<{ socket: net.Socket, received: () => Buffer, closed: Promise<unknown> }> {
  const socket = net.connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => { chunks.push(chunk) })
  socket.on('error', () => {})
  const closed = once(socket, 'close')
  await once(socket, 'connect')
  return { socket, received: () => Buffer.concat(chunks), closed }
}

/** The server side of each accepted connection, to read its write count. */
function serverSockets (app: any): net.Socket[] {
  const sockets: net.Socket[] = []
  app.server.on('connection', (socket: net.Socket) => { sockets.push(socket) })
  return sockets
}

function pipelined (count: number, path = '/n'): string {
  let text = ''
  for (let i = 0; i < count; i++) text += `GET ${path}/${i} HTTP/1.1\r\nHost: x\r\n\r\n`
  return text
}

async function buildApp (options: Record<string, unknown> = {}): Promise<{ app: any, port: number, sockets: net.Socket[] }> {
  const app = velox(options)
  app.get('/n/:i', {
    schema: { response: { 200: { type: 'object', properties: { i: { type: 'integer' } } } } }
  }, async (request: any) => ({ i: Number(request.params.i) }))
  await app.listen(local)
  return { app, port: app.server.address().port, sockets: serverSockets(app) }
}

t.test('pipelined responses leave in one write, in order', async (t) => {
  const { app, port, sockets } = await buildApp()
  t.teardown(() => app.close())
  t.equal(app.initialConfig.coalesceWrites, true, 'on by default')
  const client = await connect(port)
  client.socket.write(pipelined(10))
  await waitFor(() => (client.received().toString().match(/HTTP\/1\.1 200/g) ?? []).length === 10)
  const bodies = client.received().toString().match(/\{"i":\d+\}/g)
  t.same(bodies, Array.from({ length: 10 }, (_, i) => `{"i":${i}}`), 'every response, in request order')
  t.equal(sockets.length, 1)
  t.equal(kernelWrites.get(sockets[0]), 1, 'ten responses, one writev')
  client.socket.destroy()
})

t.test('coalesceWrites: false keeps node\'s one write per response', async (t) => {
  const { app, port, sockets } = await buildApp({ coalesceWrites: false })
  t.teardown(() => app.close())
  t.equal(app.initialConfig.coalesceWrites, false)
  const client = await connect(port)
  client.socket.write(pipelined(10))
  await waitFor(() => (client.received().toString().match(/HTTP\/1\.1 200/g) ?? []).length === 10)
  t.ok((kernelWrites.get(sockets[0]) ?? 0) >= 10, `${kernelWrites.get(sockets[0])} writes for ten responses`)
  client.socket.destroy()
})

t.test('coalesceWrites must be a boolean', async (t) => {
  t.throws(() => velox({ coalesceWrites: 'yes' } as any), { code: 'FST_ERR_INIT_OPTS_INVALID', message: /coalesceWrites must be boolean/ })
})

t.test('a large streamed reply arrives whole to a client that reads late', async (t) => {
  const app = velox()
  const chunk = Buffer.alloc(64 * 1024, 'v')
  const total = 200 // 12.5 MiB: far beyond the socket buffers, so backpressure must hold
  const expected = createHash('sha256')
  for (let i = 0; i < total; i++) expected.update(chunk)
  let pausedWrites = 0
  app.get('/stream', async (request: any, reply: any) => {
    let sent = 0
    const stream = new Readable({
      read () {
        if (sent === total) { this.push(null); return }
        sent++
        this.push(chunk)
      }
    })
    reply.raw.on('drain', () => { pausedWrites++ })
    return reply.type('application/octet-stream').send(stream)
  })
  await app.listen(local)
  t.teardown(() => app.close())
  const client = await connect(app.server.address().port)
  client.socket.pause()
  client.socket.write('GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  await new Promise((resolve) => setTimeout(resolve, 200))
  client.socket.resume()
  await client.closed
  const text = client.received()
  const split = text.indexOf('\r\n\r\n')
  t.match(text.subarray(0, split).toString(), /^HTTP\/1\.1 200 OK/)
  const body = text.subarray(split + 4)
  // chunked encoding: strip the size lines
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at)
    const size = parseInt(body.subarray(at, lineEnd).toString(), 16)
    if (size === 0) break
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
  const received = Buffer.concat(parts)
  t.equal(received.length, chunk.length * total, 'every byte')
  t.equal(createHash('sha256').update(received).digest('hex'), expected.digest('hex'), 'the same bytes')
  t.ok(pausedWrites > 0, 'the stream waited for drain while the client was not reading')
})

t.test('a connection: close response is sent before the socket ends', async (t) => {
  const { app, port } = await buildApp()
  t.teardown(() => app.close())
  const client = await connect(port)
  client.socket.write('GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  await client.closed
  const text = client.received().toString()
  t.match(text, /\{"i":1\}[\s\S]*connection: close[\s\S]*\{"i":2\}$/i)
})

t.test('bytes written just before destroy() still go out', async (t) => {
  const app = velox()
  app.get('/raw', (request: any, reply: any) => {
    reply.hijack()
    const socket = reply.raw.socket
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    socket.destroy()
  })
  await app.listen(local)
  t.teardown(() => app.close())
  const client = await connect(app.server.address().port)
  client.socket.write('GET /raw HTTP/1.1\r\nHost: x\r\n\r\n')
  await client.closed
  t.equal(client.received().toString(), 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
})

t.test('a request Node cannot parse still gets its 400 before the socket closes', async (t) => {
  const { app, port } = await buildApp()
  t.teardown(() => app.close())
  const client = await connect(port)
  client.socket.write('GET /n/1 HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n')
  await client.closed
  t.match(client.received().toString(), /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\{"error":"Bad Request","message":"Client Error","statusCode":400\}$/)
})

t.test('close() right after a reply sends the reply, then closes the idle connection', async (t) => {
  for (const coalesceWrites of [true, false]) {
    const app = velox({ coalesceWrites })
    let closed: Promise<unknown> = Promise.resolve()
    app.get('/bye', (request: any, reply: any) => {
      reply.send({ bye: true })
      closed = app.close()
    })
    await app.listen(local)
    const client = await connect(app.server.address().port)
    client.socket.write('GET /bye HTTP/1.1\r\nHost: x\r\n\r\n')
    // The client keeps its end open: the server must close the connection (Fastify does too).
    await client.closed
    t.match(client.received().toString(), /^HTTP\/1\.1 200 OK[\s\S]*\{"bye":true\}$/, `coalesceWrites: ${coalesceWrites}`)
    await closed
  }
})

t.test('upgraded sockets keep writing in order', async (t) => {
  const app = velox()
  await app.listen(local)
  t.teardown(() => app.close())
  app.server.on('upgrade', (req: any, socket: net.Socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n')
    socket.on('data', (data: Buffer) => { socket.write(data.toString().toUpperCase()) })
    socket.on('end', () => socket.end('.'))
  })
  const client = await connect(app.server.address().port)
  client.socket.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n')
  await waitFor(() => client.received().includes('\r\n\r\n'))
  client.socket.write('abc')
  await waitFor(() => client.received().toString().endsWith('ABC'))
  client.socket.end()
  await client.closed
  t.match(client.received().toString(), /^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\nABC\.$/)
})

t.test('a client that vanishes mid-batch does not take the server down', async (t) => {
  const { app, port } = await buildApp()
  t.teardown(() => app.close())
  for (let i = 0; i < 5; i++) {
    const client = await connect(port)
    client.socket.write(pipelined(50))
    client.socket.resetAndDestroy()
  }
  const client = await connect(port)
  client.socket.write(pipelined(1))
  await waitFor(() => client.received().toString().includes('{"i":0}'))
  t.pass('the next client is served')
  client.socket.destroy()
})

t.test('writes above the held limit wait for the kernel', async (t) => {
  const app = velox()
  const big = 'x'.repeat(HELD_BYTES_LIMIT + 1)
  app.get('/big', async (request: any, reply: any) => reply.type('text/plain').send(big))
  await app.listen(local)
  t.teardown(() => app.close())
  const sockets = serverSockets(app)
  const client = await connect(app.server.address().port)
  client.socket.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /big HTTP/1.1\r\nHost: x\r\n\r\n')
  await waitFor(() => (client.received().toString().match(/x{16385}/g) ?? []).length === 2)
  t.equal(kernelWrites.get(sockets[0]), 2, 'each large response is its own write')
  client.socket.destroy()
})
