import t from 'tap'
import { connect } from 'node:net'
import { once } from 'node:events'
import { Readable } from 'node:stream'
import http2 from 'node:http2'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { Pool } from 'undici'
import { waitFor } from './wait-for.js'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'

// Anything unhandled while these tests run is a failure, checked by the last test.
const unhandled: unknown[] = []
const onUnhandled = (err: unknown): void => { unhandled.push(err) }
process.on('unhandledRejection', onUnhandled)
process.on('uncaughtException', onUnhandled)

const { lines: logs, stream: sink } = logCollector()

let handled = 0
const app = velox({ bodyLimit: 1024, logger: { level: 'info', stream: sink } })
app.post('/', async (req: any) => { handled++; return { keys: req.body !== null && typeof req.body === 'object' ? Object.keys(req.body) : typeof req.body } })
// A raw-stream parser: the parser owns the stream, so an abort must reach it.
app.register(async function rawParser (scope: any) {
  scope.addContentTypeParser('application/x-raw', (_req: any, payload: any, done: any) => {
    const chunks: Buffer[] = []
    payload.on('data', (chunk: Buffer) => chunks.push(chunk))
    payload.on('end', () => done(null, Buffer.concat(chunks).toString()))
    payload.on('error', (err: Error) => done(err))
  })
  scope.post('/raw', async (req: any) => ({ length: req.body.length }))
})
app.get('/ping', async () => 'pong')
t.teardown(() => app.close())

// Replies that carry request input into a header or a status: each must become one 500, never a crash.
const sourcesDestroyed: string[] = []
app.register(async function echoes (scope: any) {
  scope.addHook('onRequest', async (_req: any, reply: any) => { reply.header('x-safe', 'kept') })
  scope.get('/header', async (req: any, reply: any) => { reply.header('x-echo', req.query.v); return { ok: true } })
  scope.get('/header-name', async (req: any, reply: any) => { reply.header(req.query.v, 'x'); return { ok: true } })
  scope.get('/redirect', async (req: any, reply: any) => reply.redirect(req.query.v))
  scope.get('/sync', (req: any, reply: any) => { reply.header('x-echo', req.query.v).send('text') })
  scope.get('/no-content', async (req: any, reply: any) => { reply.header('x-echo', req.query.v).code(204) })
  scope.get('/stream', async (req: any, reply: any) => {
    const source = new Readable({ read () { this.push('data'); this.push(null) } })
    source.on('close', () => { sourcesDestroyed.push(req.query.v) })
    reply.header('x-echo', req.query.v)
    return source
  })
  scope.get('/error-headers', async (req: any) => {
    throw Object.assign(new Error('failed'), { statusCode: 503, headers: { 'x-echo': req.query.v } })
  })
  scope.get('/raw-status', async (req: any, reply: any) => { reply.raw.statusCode = Number(req.query.v); return 'x' })
  scope.get('/code', async (req: any, reply: any) => { reply.code(req.query.v); return 'x' })
  scope.get('/hijacked', (_req: any, reply: any) => {
    reply.hijack()
    reply.raw.writeHead(200, { 'x-echo': 'a\r\nb' })
  })
  scope.get('/early-hints', async (req: any, reply: any) => { reply.writeEarlyHints({ link: '</app.css>; rel=preload; as=style', 'x-hint': req.query.v }); return 'ok' })
  scope.get('/raw-head-first', (_req: any, reply: any) => { reply.raw.writeHead(200, { 'content-type': 'text/plain' }); reply.send('late') })
  scope.register(async function onSendHeader (inner: any) {
    inner.addHook('onSend', async (req: any, reply: any) => { reply.header('x-echo', req.query.v) })
    inner.get('/on-send', async () => ({ ok: true }))
  })
  scope.register(async function badErrorHandler (inner: any) {
    // An error handler that adds the bad header again on every call: the chain must still end.
    inner.setErrorHandler(async (err: Error, req: any, reply: any) => { reply.header('x-echo', req.query.v); throw err })
    inner.get('/error-handler', async (req: any, reply: any) => { reply.header('x-echo', req.query.v); return 'x' })
  })
  scope.register(async function notFound (inner: any) {
    inner.setNotFoundHandler(async (req: any, reply: any) => { reply.code(404).header('x-echo', req.query.v); return 'missing' })
  }, { prefix: '/missing' })
}, { prefix: '/reply' })

// Handlers that never answer, or a stream that stalls: handlerTimeout must end each, once.
app.register(async function timeouts (scope: any) {
  scope.get('/never', { handlerTimeout: 50 }, async (req: any) => {
    await new Promise((resolve) => { req.signal.addEventListener('abort', resolve) })
    throw new Error('stopped')
  })
  scope.get('/stalled-stream', { handlerTimeout: 50 }, async (_req: any, reply: any) => {
    reply.type('text/plain')
    return new Readable({ read () { if (this.readableLength === 0) this.push('first chunk, then nothing') } })
  })
}, { prefix: '/slow' })

function post (payload: string | Buffer, contentType = 'application/json', url = '/'): Promise<any> {
  return app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload })
}

async function stillServing (t: any): Promise<void> {
  const res = await app.inject('/ping')
  t.equal(res.body, 'pong', 'the server still answers the next request')
}

/** Sends raw bytes on a fresh connection and returns what came back once the server closed it. */
async function rawExchange (bytes: string, opts: { end?: boolean } = {}): Promise<string> {
  const { port } = app.server.address()
  const socket = connect({ port, host: '127.0.0.1' })
  await once(socket, 'connect')
  let received = ''
  socket.on('data', (chunk) => { received += chunk.toString() })
  socket.on('error', () => {})
  socket.write(bytes)
  if (opts.end === true) socket.end()
  await once(socket, 'close')
  return received
}

t.before(async () => {
  await app.listen({ port: 0, host: '127.0.0.1' })
})

const invalidJson = {
  statusCode: 400,
  code: 'FST_ERR_CTP_INVALID_JSON_BODY',
  error: 'Bad Request',
  message: "Body is not valid JSON but content-type is set to 'application/json'"
}

t.test('malformed JSON bodies answer 400 FST_ERR_CTP_INVALID_JSON_BODY', async (t) => {
  for (const body of ['{', '{"a":}', 'nul', '[1,2', '{"a":1}}', "{'a':1}", '\u0000', '{"a":1,}', 'undefined', '\uFEFF{']) {
    const res = await post(body)
    t.equal(res.statusCode, 400, JSON.stringify(body))
    t.same(res.json(), invalidJson)
  }
  t.equal(handled, 0, 'no handler ran')
  await stillServing(t)
})

t.test('deeply nested JSON is answered', async (t) => {
  const depth = 400
  const res = await post('['.repeat(depth) + ']'.repeat(depth))
  t.equal(res.statusCode, 200)
  await stillServing(t)
})

t.test('prototype-poisoning bodies are refused and pollute nothing', async (t) => {
  const bodies = [
    '{"__proto__":{"polluted":true}}',
    '{"a":{"b":{"__proto__":{"polluted":true}}}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '[{"__proto__":{"polluted":true}}]',
    '{"\\u005f_proto__":{"polluted":true}}'
  ]
  for (const body of bodies) {
    const res = await post(body)
    t.equal(res.statusCode, 400, body)
    t.same(res.json(), invalidJson)
  }
  t.equal(({} as any).polluted, undefined, 'Object.prototype is untouched')
  await stillServing(t)
})

t.test('the poisoning actions can remove the keys instead', async (t) => {
  const lenient = velox({ onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' })
  lenient.post('/', async (req: any) => ({ keys: Object.keys(req.body), polluted: ({} as any).polluted === true }))
  const res = await lenient.inject({ method: 'POST', url: '/', payload: '{"a":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}', headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { keys: ['a'], polluted: false })
})

t.test('a body one byte over the limit answers 413', async (t) => {
  const fits = JSON.stringify({ pad: 'x'.repeat(1024 - 10) })
  t.equal(fits.length, 1024)
  t.equal((await post(fits)).statusCode, 200)
  const over = await post(JSON.stringify({ pad: 'x'.repeat(1024 - 9) }))
  t.equal(over.statusCode, 413)
  t.equal(over.json().code, 'FST_ERR_CTP_BODY_TOO_LARGE')
  await stillServing(t)
})

t.test('wrong, missing and garbage content types answer 415', async (t) => {
  const types = [
    'application/xml', 'text/html', 'multipart/form-data; boundary=x', 'application/*', '*/*',
    'garbage', '', ';;;;', 'application/json/extra', 'application/ json', '/', 'text/plain\u0000',
    'application/x-' + 'a'.repeat(10_000), 'a'.repeat(50_000) + '/' + 'b'.repeat(50_000) + ' c',
    'application/xml; charset="' + '\\"'.repeat(20_000)
  ]
  for (const contentType of types) {
    const res = await post('{}', contentType)
    t.equal(res.statusCode, 415, JSON.stringify(contentType.slice(0, 40)))
    t.equal(res.json().code, 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
  }
  const missing = await app.inject({ method: 'POST', url: '/', payload: '{}' })
  t.equal(missing.statusCode, 415)
  await stillServing(t)
})

t.test('content types with odd or hostile parameters still reach the JSON parser', async (t) => {
  const types = [
    'application/json;', 'application/json; charset=', 'application/json;;; charset=utf-8', 'APPLICATION/JSON ; x="a;b"',
    'application/json;' + ';'.repeat(50_000) + 'x', 'application/json; a="' + ';a=\\"'.repeat(16_000),
    'application/json' + '; a=b'.repeat(20_000), 'application/json; x="' + '\\'.repeat(100_000)
  ]
  for (const contentType of types) {
    const res = await post('{"a":1}', contentType)
    t.equal(res.statusCode, 200, JSON.stringify(contentType.slice(0, 40)))
  }
})

t.test('a Content-Length that does not match the body answers 400', async (t) => {
  for (const declared of ['2', '100']) {
    const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/json', 'content-length': declared }, payload: '{"a":1}' })
    t.equal(res.statusCode, 400, `declared ${declared}`)
    t.equal(res.json().code, 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
  }
  await stillServing(t)
})

const clientError = '{"error":"Bad Request","message":"Client Error","statusCode":400}'

t.test('on a real socket, a Content-Length that lies answers 400 and closes the connection', async (t) => {
  const head = 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n'
  const longer = await rawExchange(head + 'Content-Length: 50\r\n\r\n{"a":1}', { end: true })
  t.match(longer, /^HTTP\/1\.1 400 Bad Request\r\n/, 'a body shorter than declared, then end of stream')
  t.ok(longer.endsWith(clientError))
  const shorter = await rawExchange(head + 'Content-Length: 3\r\n\r\n{"a":1}')
  t.match(shorter, /HTTP\/1\.1 400 Bad Request\r\n/, 'bytes past the declared length are not a request')
  const notNumber = await rawExchange(head + 'Content-Length: seven\r\n\r\n{"a":1}')
  t.match(notNumber, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.ok(notNumber.endsWith(clientError))
  const both = await rawExchange(head + 'Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{"a":1}\r\n0\r\n\r\n')
  t.match(both, /^HTTP\/1\.1 400 Bad Request\r\n/, 'Content-Length together with chunked encoding')
  await stillServing(t)
})

t.test('on a real socket, oversized headers answer 431', async (t) => {
  const res = await rawExchange('GET /ping HTTP/1.1\r\nHost: localhost\r\nX-Big: ' + 'a'.repeat(20_000) + '\r\n\r\n')
  t.match(res, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
  t.match(res, /"message":"Exceeded maximum allowed HTTP header size","statusCode":431}$/)
  await stillServing(t)
})

t.test('on a real socket, a declared length over the limit answers 413 and closes', async (t) => {
  const res = await rawExchange('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"a":')
  t.match(res, /^HTTP\/1\.1 413 Payload Too Large\r\n/)
  t.match(res, /connection: close/i)
  t.match(res, /"code":"FST_ERR_CTP_BODY_TOO_LARGE"/)
})

async function abortMidUpload (path: string, contentType: string): Promise<void> {
  const { port } = app.server.address()
  const socket = connect({ port, host: '127.0.0.1' })
  await once(socket, 'connect')
  socket.on('error', () => {})
  socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nContent-Length: 900\r\n\r\n`)
  socket.write('{"partial":')
  // Give the server the first bytes, then vanish.
  await new Promise((resolve) => setTimeout(resolve, 20))
  socket.destroy()
  await once(socket, 'close')
}

t.test('a client that aborts mid-upload leaves the server serving', async (t) => {
  const before = handled
  await abortMidUpload('/', 'application/json')
  await abortMidUpload('/raw', 'application/x-raw')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(handled, before, 'no handler ran for a body that never completed')
  await stillServing(t)
  const res = await rawExchange('POST /raw HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-raw\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc')
  t.match(res, /^HTTP\/1\.1 200 OK/)
  t.match(res, /\{"length":3\}$/)
})

t.test('a malformed chunked body answers 400', async (t) => {
  const res = await rawExchange('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n')
  t.match(res, /^HTTP\/1\.1 400 Bad Request\r\n/)
  await stillServing(t)
})

/** One request on a fresh connection (`connection: close`): status line, headers and body. */
async function getRaw (path: string): Promise<{ status: number, headers: Record<string, string>, body: string }> {
  const text = await rawExchange(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
  const split = text.indexOf('\r\n\r\n')
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) }
}

async function stillServingOnNewConnection (t: any): Promise<void> {
  const res = await getRaw('/ping')
  t.equal(res.status, 200, 'a normal request on a new connection is served')
  t.equal(res.body, 'pong')
}

const injection = encodeURIComponent('a\r\nSet-Cookie: session=stolen')
const nonLatin1 = encodeURIComponent('price in €')

function invalidChar (header: string): Record<string, unknown> {
  return { statusCode: 500, code: 'ERR_INVALID_CHAR', error: 'Internal Server Error', message: `Invalid character in header content ["${header}"]` }
}

t.test('request input echoed into a header answers 500 ERR_INVALID_CHAR, with no injected header, and the server keeps serving', async (t) => {
  for (const value of [injection, nonLatin1]) {
    for (const route of ['/reply/header', '/reply/sync', '/reply/no-content', '/reply/on-send']) {
      const res = await getRaw(`${route}?v=${value}`)
      t.equal(res.status, 500, `${route} ${value}`)
      t.same(JSON.parse(res.body), invalidChar('x-echo'), 'Fastify\'s answer, naming the header but not its value')
      t.equal(res.headers['set-cookie'], undefined, 'nothing was injected')
      t.equal(res.headers['x-echo'], undefined)
      t.equal(res.headers['x-safe'], 'kept', 'the valid headers of the reply are kept')
      t.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)))
      await stillServingOnNewConnection(t)
    }
  }
  const warned = logs.filter((line) => line.level === 40 && line.msg === 'Invalid character in header content ["x-echo"]')
  t.ok(warned.length >= 8, 'each refusal is logged with its cause')
  t.equal(warned[0].err.code, 'ERR_INVALID_CHAR')
  t.notOk(JSON.stringify(warned).includes('stolen'), 'the refusal does not log the value')
})

t.test('request input in an Early Hints field answers 500 instead of adding headers to the 103 (Node 20 writes those fields unchecked)', async (t) => {
  const received = await rawExchange(`GET /reply/early-hints?v=${injection} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
  t.notMatch(received, /session=stolen/i, 'nothing was injected, in the 103 or after it')
  t.notMatch(received, /^HTTP\/1\.1 103/, 'no interim response went out')
  t.match(received, /^HTTP\/1\.1 500/)
  t.match(received, /"code":"ERR_INVALID_CHAR"/)
  const fine = await rawExchange('GET /reply/early-hints?v=fine HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.match(fine, /^HTTP\/1\.1 103 Early Hints\r\n[^]*x-hint: fine[^]*HTTP\/1\.1 200 OK/)
  await stillServingOnNewConnection(t)
})

t.test('a valid value still goes out', async (t) => {
  const res = await getRaw('/reply/header?v=fine')
  t.equal(res.status, 200)
  t.equal(res.headers['x-echo'], 'fine')
})

t.test('an invalid header name answers 500 ERR_INVALID_HTTP_TOKEN', async (t) => {
  for (const name of [injection, nonLatin1, '', 'a%20b']) {
    const res = await getRaw(`/reply/header-name?v=${name}`)
    t.equal(res.status, 500, name)
    t.equal(JSON.parse(res.body).code, 'ERR_INVALID_HTTP_TOKEN')
    t.equal(res.headers['set-cookie'], undefined)
    await stillServingOnNewConnection(t)
  }
})

t.test('a redirect to request input answers 500 instead of crashing, as in Fastify', async (t) => {
  for (const value of [injection, nonLatin1]) {
    const res = await getRaw(`/reply/redirect?v=${value}`)
    t.equal(res.status, 500)
    t.same(JSON.parse(res.body), invalidChar('location'))
    t.equal(res.headers.location, undefined)
    t.equal(res.headers['set-cookie'], undefined)
    await stillServingOnNewConnection(t)
  }
  const encoded = await getRaw(`/reply/redirect?v=${encodeURIComponent(encodeURI('/a?b=€'))}`)
  t.equal(encoded.status, 302, 'an encoded URL redirects')
  t.equal(encoded.headers.location, '/a?b=%E2%82%AC')
})

t.test('a stream reply with an invalid header answers 500 and releases the stream', async (t) => {
  const res = await getRaw(`/reply/stream?v=${injection}`)
  t.equal(res.status, 500)
  t.same(JSON.parse(res.body), invalidChar('x-echo'))
  await stillServingOnNewConnection(t)
  t.ok(sourcesDestroyed.includes('a\r\nSet-Cookie: session=stolen'), 'the source stream was closed')
  const ok = await getRaw('/reply/stream?v=fine')
  t.equal(ok.status, 200)
  t.equal(ok.body.includes('data'), true)
})

t.test('an error carrying invalid headers answers 500 ERR_INVALID_CHAR', async (t) => {
  const res = await getRaw(`/reply/error-headers?v=${injection}`)
  t.equal(res.status, 500)
  t.same(JSON.parse(res.body), invalidChar('x-echo'))
  t.equal(res.headers['set-cookie'], undefined)
  await stillServingOnNewConnection(t)
})

t.test('an error handler that sets the invalid header again on every call still ends with one 500', async (t) => {
  const res = await getRaw(`/reply/error-handler?v=${injection}`)
  t.equal(res.status, 500)
  t.same(JSON.parse(res.body), invalidChar('x-echo'))
  t.equal(res.headers['set-cookie'], undefined)
  await stillServingOnNewConnection(t)
})

t.test('a not-found handler that echoes input into a header answers 500', async (t) => {
  const res = await getRaw(`/reply/missing/nothing?v=${injection}`)
  t.equal(res.status, 500)
  t.same(JSON.parse(res.body), invalidChar('x-echo'))
  await stillServingOnNewConnection(t)
})

t.test('invalid status codes answer 500 FST_ERR_BAD_STATUS_CODE', async (t) => {
  for (const route of ['/reply/raw-status', '/reply/code']) {
    for (const status of ['1000', '42', 'abc', '-1']) {
      const res = await getRaw(`${route}?v=${status}`)
      t.equal(res.status, 500, `${route} ${status}`)
      t.equal(JSON.parse(res.body).code, 'FST_ERR_BAD_STATUS_CODE')
      await stillServingOnNewConnection(t)
    }
  }
})

t.test('a reply sent after the handler wrote the head itself ends that response and logs why', async (t) => {
  const { port } = app.server.address()
  const socket = connect({ port, host: '127.0.0.1' })
  await once(socket, 'connect')
  socket.on('error', () => {})
  socket.write('GET /reply/raw-head-first HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await once(socket, 'close')
  t.ok(logs.some((line) => line.level === 40 && /Reply was already sent, did you forget to "return reply" in the "\/reply\/raw-head-first" \(GET\) route\?/.test(line.msg)))
  await stillServingOnNewConnection(t)
})

t.test('a hijacked handler that throws is logged, not lost, and nothing is written for it', async (t) => {
  const { port } = app.server.address()
  const socket = connect({ port, host: '127.0.0.1' })
  await once(socket, 'connect')
  let received = ''
  socket.on('data', (chunk) => { received += chunk.toString() })
  socket.write('GET /reply/hijacked HTTP/1.1\r\nHost: localhost\r\n\r\n')
  // Fastify's warning (FST_ERR_REP_ALREADY_SENT), with the error thrown as its cause.
  const logged = (): boolean => logs.some((line) => line.level === 40 && line.err?.code === 'FST_ERR_REP_ALREADY_SENT' && /ERR_INVALID_CHAR|Invalid character/.test(JSON.stringify(line.err)))
  while (!logged()) await new Promise((resolve) => setTimeout(resolve, 5))
  t.ok(logged())
  t.equal(received, '', 'the hijacked response is left to its owner')
  socket.destroy()
  await stillServingOnNewConnection(t)
})

t.test('over HTTP/2, a connection-specific header answers 500 and the session keeps serving', async (t) => {
  const h2 = velox({ http2: true })
  h2.get('/te', async (_req: any, reply: any) => { reply.header('transfer-encoding', 'chunked'); return 'x' })
  h2.get('/ok', async () => 'ok')
  await h2.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => h2.close())
  const client = http2.connect(`http://127.0.0.1:${(h2.server.address() as any).port as number}`)
  t.teardown(() => client.close())
  const get = async (path: string): Promise<{ status: number, body: string }> => {
    const req = client.request({ ':path': path })
    let body = ''
    let status = 0
    req.on('response', (headers) => { status = Number(headers[':status']) })
    req.on('data', (chunk) => { body += chunk })
    await once(req, 'end')
    return { status, body }
  }
  const bad = await get('/te')
  t.equal(bad.status, 500)
  t.equal(JSON.parse(bad.body).code, 'ERR_HTTP2_INVALID_CONNECTION_HEADERS')
  t.same(await get('/ok'), { status: 200, body: 'ok' })
})

t.test('handlers that never answer each get one 503 FST_ERR_HANDLER_TIMEOUT, and the server keeps serving', async (t) => {
  const { port } = app.server.address()
  const answers = await Promise.all(Array.from({ length: 20 }, async () => {
    const res = await fetch(`http://127.0.0.1:${port as number}/slow/never`)
    return { status: res.status, code: (await res.json()).code }
  }))
  t.same(new Set(answers.map((a) => `${a.status} ${a.code}`)), new Set(['503 FST_ERR_HANDLER_TIMEOUT']))
  await stillServingOnNewConnection(t)
})

t.test('a stream that stalls after its headers is cut at the timeout, and the server keeps serving', async (t) => {
  const { port } = app.server.address()
  const res = await fetch(`http://127.0.0.1:${port as number}/slow/stalled-stream`)
  t.equal(res.status, 200, 'the headers had gone out')
  await t.rejects(res.text(), 'the body is cut short instead of hanging')
  await stillServingOnNewConnection(t)
})

t.test('in production mode, no error answer carries what the handlers leaked', async (t) => {
  const secret = 'SSN-078-05-1120'
  const production = velox({ safeErrors: true })
  production.get('/throw', async () => { throw new Error(`lookup failed for ${secret}`) })
  production.get('/reject-object', () => Promise.reject({ ssn: secret })) // eslint-disable-line prefer-promise-reject-errors
  production.get('/serialize', { schema: { response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } } } }, async () => ({ n: secret }))
  production.get('/header', async (req: any, reply: any) => { reply.header('x-echo', `${secret}${String(req.query.v)}`); return 'x' })
  production.get('/timeout', { handlerTimeout: 20 }, async () => new Promise(() => {}))
  t.teardown(() => production.close())
  for (const url of ['/throw', '/reject-object', '/serialize', '/header?v=%0d%0aSet-Cookie:%20a', '/timeout']) {
    const res = await production.inject(url)
    t.ok(res.statusCode >= 500, `${url} answers ${res.statusCode}`)
    t.notMatch(res.body, secret, `${url} leaks nothing`)
    t.notOk(Object.values(res.headers).some((value) => String(value).includes(secret)), `${url} has no leaking header`)
    t.equal(res.json().message, res.json().error, `${url} says only the status text`)
  }
})

t.test('SIGTERM under full keep-alive load: every request the server took is answered 200, and the process exits 0', async (t) => {
  const dir = t.testdir({
    'server.mjs': `import velox from ${JSON.stringify(join(process.cwd(), 'dist', 'velox.js'))}
const app = velox({ logger: true, closeOnSignals: { delay: 300 } })
app.get('/', async () => ({ ok: true }))
await app.listen({ port: 0, host: '127.0.0.1' })
`
  })
  const child = spawn(process.execPath, [join(dir, 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { child.kill('SIGKILL') })
  let out = ''
  child.stdout?.on('data', (chunk) => { out += chunk })
  const exited = once(child, 'exit')
  await waitFor(() => out.includes('Server listening at'))
  const base = (/Server listening at (http:\/\/[0-9.:]+)/.exec(out) as RegExpExecArray)[1]
  const pool = new Pool(base, { connections: 16 })
  t.teardown(() => pool.destroy())
  let running = true
  exited.then(() => { running = false }, () => {})
  const outcomes = new Map<string, number>()
  const count = (key: string): void => { outcomes.set(key, (outcomes.get(key) ?? 0) + 1) }
  const loop = async (): Promise<void> => {
    // Bounded: until the process is gone, and never more than 20,000 requests per loop.
    // eslint-disable-next-line no-unmodified-loop-condition -- cleared when the process exits
    for (let i = 0; i < 20_000 && running; i++) {
      try {
        const res = await pool.request({ path: '/', method: 'GET' })
        await res.body.text()
        count(String(res.statusCode))
      } catch (err) {
        count((err as NodeJS.ErrnoException).code ?? 'error')
      }
    }
  }
  const loops = Promise.all(Array.from({ length: 16 }, loop))
  await waitFor(() => (outcomes.get('200') ?? 0) >= 200)
  child.kill('SIGTERM')
  const [code] = await exited
  await loops
  t.equal(code, 0, 'the process exits cleanly')
  t.ok((outcomes.get('200') ?? 0) > 200, `${outcomes.get('200') ?? 0} requests answered 200`)
  // Once the listener closes, new connections are refused, or reset when they were still in the
  // kernel's accept queue: the client never reached the app. No answer is anything but a 200.
  const other = [...outcomes.keys()].filter((key) => key !== '200' && key !== 'ECONNREFUSED' && key !== 'ECONNRESET')
  t.same(other, [], `only connection-level refusals: ${JSON.stringify(Object.fromEntries(outcomes))}`)
  // And no request the app received was dropped: each one it logged as incoming was completed.
  const lines = out.split('\n').filter(Boolean).map((line) => JSON.parse(line))
  const incoming = new Set(lines.filter((line) => line.msg === 'incoming request').map((line) => line.reqId))
  const completed = new Set(lines.filter((line) => line.msg === 'request completed' && line.res.statusCode === 200).map((line) => line.reqId))
  t.ok(incoming.size > 0)
  t.same([...incoming].filter((id) => !completed.has(id)), [], `all ${incoming.size} requests the server received were answered 200`)
})

t.test('nothing was unhandled and nothing was logged as fatal', async (t) => {
  // Let pending socket events settle before looking.
  await new Promise((resolve) => setTimeout(resolve, 50))
  process.removeListener('unhandledRejection', onUnhandled)
  process.removeListener('uncaughtException', onUnhandled)
  t.same(unhandled, [])
  t.same(logs.filter((line) => line.level >= 60), [])
  t.ok(logs.some((line) => line.msg === 'incoming request'), 'the logs were captured')
})
