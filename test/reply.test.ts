import t from 'tap'
import http from 'node:http'
import { Readable } from 'node:stream'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'

t.test('reply.code and reply.status set the status code and chain', async (t) => {
  const app = velox()
  app.get('/code', async (_req: any, reply: any) => { t.equal(reply.code(201), reply); return 'created' })
  app.get('/status', async (_req: any, reply: any) => reply.status(202).send('accepted'))
  app.get('/setter', async (_req: any, reply: any) => {
    reply.statusCode = 203
    return { statusCode: reply.statusCode }
  })
  t.equal((await app.inject('/code')).statusCode, 201)
  t.equal((await app.inject('/status')).statusCode, 202)
  const setter = await app.inject('/setter')
  t.equal(setter.statusCode, 203)
  t.same(setter.json(), { statusCode: 203 })
})

t.test('an invalid status code answers 500 FST_ERR_BAD_STATUS_CODE', async (t) => {
  const app = velox()
  app.get('/low', async (_req: any, reply: any) => reply.code(99).send('x'))
  app.get('/high', async (_req: any, reply: any) => reply.code(600).send('x'))
  app.get('/text', async (_req: any, reply: any) => reply.code('abc').send('x'))
  for (const [url, shown] of [['/low', '99'], ['/high', '600'], ['/text', 'abc']]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 500, url)
    t.same(res.json(), {
      statusCode: 500,
      code: 'FST_ERR_BAD_STATUS_CODE',
      error: 'Internal Server Error',
      message: `Called reply with an invalid status code: ${shown}`
    }, url)
  }
})

t.test('a status with a fraction is sent as its integer part, and null or undefined are refused, as in Fastify', async (t) => {
  const app = velox()
  app.get('/fraction', async (_req: any, reply: any) => reply.status(404.5).send({ seen: reply.statusCode }))
  app.get('/string', async (_req: any, reply: any) => reply.code('201').send())
  app.get('/null', async (_req: any, reply: any) => reply.status(null).send())
  app.get('/undefined', async (_req: any, reply: any) => reply.status(undefined).send())
  const fraction = await app.inject('/fraction')
  t.equal(fraction.statusCode, 404)
  t.same(fraction.json(), { seen: 404 })
  t.equal((await app.inject('/string')).statusCode, 201)
  for (const shown of ['null', 'undefined']) {
    const res = await app.inject(`/${shown}`)
    t.equal(res.statusCode, 500)
    t.equal(res.json().message, `Called reply with an invalid status code: ${shown}`)
  }
})

t.test('reply.removeHeader does not throw once a hijacked reply has flushed its headers', async (t) => {
  const app = velox()
  let thrown: unknown = 'not called'
  app.get('/', (_req: any, reply: any) => {
    reply.hijack()
    reply.raw.setHeader('x-foo', 'raw')
    reply.raw.flushHeaders()
    try { reply.removeHeader('x-foo'); thrown = null } catch (err) { thrown = err }
    reply.raw.end('done')
  })
  const res = await app.inject('/')
  t.equal(thrown, null)
  t.same([res.headers['x-foo'], res.body], ['raw', 'done'])
})

t.test('reply header helpers set, read, list and remove headers case-insensitively', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    reply.header('X-One', '1').headers({ 'x-two': '2', 'X-Three': '3' })
    reply.removeHeader('x-three')
    return {
      one: reply.getHeader('x-one'),
      two: reply.getHeader('X-TWO'),
      hasTwo: reply.hasHeader('X-Two'),
      hasThree: reply.hasHeader('x-three'),
      all: reply.getHeaders()
    }
  })
  const res = await app.inject('/')
  t.same(res.json(), { one: '1', two: '2', hasTwo: true, hasThree: false, all: { 'x-one': '1', 'x-two': '2' } })
  t.equal(res.headers['x-one'], '1')
  t.equal(res.headers['x-two'], '2')
  t.equal(res.headers['x-three'], undefined)
})

t.test('set-cookie given twice is sent as two headers', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    reply.header('set-cookie', 'a=1').header('Set-Cookie', 'b=2')
    return 'ok'
  })
  const res = await app.inject('/')
  t.same(res.headers['set-cookie'], ['a=1', 'b=2'])
})

t.test('headers set on reply.raw are visible to getHeader and sent', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    reply.raw.setHeader('x-raw', 'r')
    return { raw: reply.getHeader('x-raw'), has: reply.hasHeader('x-raw') }
  })
  const res = await app.inject('/')
  t.same(res.json(), { raw: 'r', has: true })
  t.equal(res.headers['x-raw'], 'r')
})

t.test('reply.type sets the content type', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.type('text/html; charset=utf-8').send('<p>hi</p>'))
  const res = await app.inject('/')
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.body, '<p>hi</p>')
})

t.test('an object is sent as JSON with application/json; charset=utf-8', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.send({ hello: 'world', n: 1 }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.headers['content-length'], '23')
  t.equal(res.body, '{"hello":"world","n":1}')
})

t.test('numbers and booleans are sent as JSON', async (t) => {
  const app = velox()
  app.get('/n', async (_req: any, reply: any) => reply.send(42))
  app.get('/b', async (_req: any, reply: any) => reply.send(true))
  const n = await app.inject('/n')
  t.equal(n.body, '42')
  t.equal(n.headers['content-type'], 'application/json; charset=utf-8')
  t.equal((await app.inject('/b')).body, 'true')
})

t.test('a string is sent as text/plain; charset=utf-8', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.send('héllo'))
  const res = await app.inject('/')
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(res.headers['content-length'], String(Buffer.byteLength('héllo')))
  t.equal(res.body, 'héllo')
})

t.test('a string with a JSON content type is sent as it is, with a charset added', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.type('application/json').send('{"already":"json"}'))
  app.get('/vendor', async (_req: any, reply: any) => reply.type('application/vnd.api+json').send({ a: 1 }))
  const res = await app.inject('/')
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.body, '{"already":"json"}')
  const vendor = await app.inject('/vendor')
  t.equal(vendor.headers['content-type'], 'application/vnd.api+json; charset=utf-8')
  t.equal(vendor.body, '{"a":1}')
})

t.test('Buffers and typed arrays are sent as application/octet-stream', async (t) => {
  const app = velox()
  app.get('/buffer', async (_req: any, reply: any) => reply.send(Buffer.from('bytes')))
  app.get('/typed', async (_req: any, reply: any) => reply.send(new Uint8Array([104, 105])))
  app.get('/typed-slice', async (_req: any, reply: any) => reply.send(new Uint8Array([1, 104, 105, 2]).subarray(1, 3)))
  const buffer = await app.inject('/buffer')
  t.equal(buffer.headers['content-type'], 'application/octet-stream')
  t.equal(buffer.headers['content-length'], '5')
  t.equal(buffer.body, 'bytes')
  const typed = await app.inject('/typed')
  t.equal(typed.headers['content-type'], 'application/octet-stream')
  t.equal(typed.body, 'hi')
  t.equal((await app.inject('/typed-slice')).body, 'hi', 'only the view is sent')
})

t.test('null is sent as the JSON text null', async (t) => {
  const app = velox()
  app.get('/send', async (_req: any, reply: any) => reply.send(null))
  app.get('/return', async () => null)
  for (const url of ['/send', '/return']) {
    const res = await app.inject(url)
    t.equal(res.body, 'null', url)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', url)
    t.equal(res.headers['content-length'], '4', url)
  }
})

t.test('send() with nothing answers an empty body with content-length 0 and no content type', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.send())
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  t.equal(res.headers['content-length'], '0')
  t.equal(res.headers['content-type'], undefined)
})

t.test('204 responses carry neither body, content-type nor content-length', async (t) => {
  const app = velox()
  app.get('/empty', async (_req: any, reply: any) => reply.code(204).send())
  app.get('/with-payload', async (_req: any, reply: any) => reply.code(204).send({ dropped: true }))
  for (const url of ['/empty', '/with-payload']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 204, url)
    t.equal(res.body, '', url)
    t.equal(res.headers['content-length'], undefined, url)
    t.equal(res.headers['content-type'], undefined, url)
  }
})

t.test('an Error sent with reply.send becomes an error payload', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.code(400).send(new Error('bad input')))
  const res = await app.inject('/')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { statusCode: 400, error: 'Bad Request', message: 'bad input' })
})

t.test('a readable stream is piped to the response', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.type('text/plain').send(Readable.from(['a', 'b', 'c'])))
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/plain')
  t.equal(res.headers['content-length'], undefined)
  t.equal(res.body, 'abc')
})

t.test('a web ReadableStream is sent like a Node stream', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    const stream = new ReadableStream({
      start (controller) {
        controller.enqueue(new TextEncoder().encode('web '))
        controller.enqueue(new TextEncoder().encode('stream'))
        controller.close()
      }
    })
    reply.type('text/plain')
    return stream
  })
  const res = await app.inject('/')
  t.equal(res.body, 'web stream')
})

t.test('a stream that errors before its first chunk becomes a 500 error reply', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/', async (_req: any, reply: any) => {
    reply.header('x-kept', 'no')
    const failing = new Readable({ read () { this.destroy(new Error('disk gone')) } })
    return reply.type('text/plain').send(failing)
  })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(res.json(), { statusCode: 500, error: 'Internal Server Error', message: 'disk gone' })
  t.ok(lines.some((l) => l.level === 50 && l.err?.message === 'disk gone'), 'the error is logged')
})

t.test('a stream that errors after its first chunk ends the connection and logs a warning', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/', async (_req: any, reply: any) => {
    let sent = false
    const failing = new Readable({
      read () {
        if (!sent) {
          sent = true
          this.push('first chunk')
          return
        }
        setTimeout(() => this.destroy(new Error('broke midway')), 10)
      }
    })
    return reply.type('text/plain').send(failing)
  })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address()
  const outcome = await new Promise<{ status: number, body: string, error: string }>((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { body += d })
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: res.statusCode as number, body, error: err.code ?? err.message }))
      res.on('end', () => resolve({ status: res.statusCode as number, body, error: 'none' }))
    })
  })
  t.equal(outcome.status, 200)
  t.equal(outcome.body, 'first chunk')
  t.equal(outcome.error, 'ECONNRESET', 'the client sees the connection cut, not a clean end')
  const warning = lines.find((l) => l.level === 40)
  t.equal(warning?.msg, 'response terminated with an error with headers already sent')
  t.equal(warning?.err?.message, 'broke midway')
})

t.test('async handlers answer with their resolved value', async (t) => {
  const app = velox()
  app.get('/obj', async () => ({ ok: true }))
  app.get('/str', async () => 'text')
  app.get('/sync', () => ({ sync: true }))
  t.same((await app.inject('/obj')).json(), { ok: true })
  t.equal((await app.inject('/str')).body, 'text')
  t.same((await app.inject('/sync')).json(), { sync: true })
})

t.test('an async handler that resolves undefined without replying answers an empty 200', async (t) => {
  const app = velox()
  app.get('/', async () => undefined)
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
})

t.test('returning reply, or awaiting it, waits for a later send', async (t) => {
  const app = velox()
  app.get('/return', async (_req: any, reply: any) => {
    setTimeout(() => reply.send('sent later'), 5)
    return reply
  })
  app.get('/await', async (_req: any, reply: any) => {
    setTimeout(() => reply.send({ later: true }), 5)
    await reply
    t.equal(reply.sent, true, 'awaiting reply resolves once it is sent')
  })
  t.equal((await app.inject('/return')).body, 'sent later')
  t.same((await app.inject('/await')).json(), { later: true })
})

t.test('a handler that sends and also returns a value answers once and logs FST_ERR_REP_ALREADY_SENT', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/', async (_req: any, reply: any) => {
    reply.send('first')
    return 'second'
  })
  const res = await app.inject('/')
  t.equal(res.body, 'first')
  await new Promise((resolve) => setImmediate(resolve))
  const warnings = lines.filter((l) => l.level === 40)
  t.equal(warnings.length, 1)
  t.equal(warnings[0].err.code, 'FST_ERR_REP_ALREADY_SENT')
  t.equal(warnings[0].msg, 'Reply was already sent, did you forget to "return reply" in "/" (GET)?')
})

t.test('reply.sent is false before sending and true after; it cannot be assigned (Fastify 5: use reply.hijack())', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    const before = reply.sent
    reply.send('x')
    t.equal(before, false)
    t.equal(reply.sent, true)
    t.throws(() => { reply.sent = true }, TypeError)
  })
  t.equal((await app.inject('/')).body, 'x')
})

t.test('reply exposes raw, request, log, server and elapsedTime', async (t) => {
  const app = velox()
  app.get('/', async (req: any, reply: any) => ({
    raw: reply.raw === req.raw ? 'same' : typeof reply.raw.writeHead,
    request: reply.request === req,
    log: reply.log === req.log,
    server: reply.server === app,
    elapsed: typeof reply.elapsedTime === 'number' && reply.elapsedTime >= 0
  }))
  t.same((await app.inject('/')).json(), { raw: 'function', request: true, log: true, server: true, elapsed: true })
})

t.test('reply.serializer replaces JSON serialization for one reply', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    reply.serializer((payload: unknown) => `custom:${JSON.stringify(payload)}`)
    return { a: 1 }
  })
  const res = await app.inject('/')
  t.equal(res.body, 'custom:{"a":1}')
  // As in Fastify: a custom serializer chooses its own format, so no content type is guessed.
  t.equal(res.headers['content-type'], undefined)
})

t.test('reply.serialize uses the route serializer for the current status', async (t) => {
  const app = velox()
  app.get('/', {
    schema: { response: { 200: { type: 'object', properties: { keep: { type: 'string' } } } } }
  }, async (_req: any, reply: any) => {
    const text = reply.serialize({ keep: 'yes', drop: 'no' })
    return reply.type('application/json').send(text)
  })
  app.get('/plain', async (_req: any, reply: any) => reply.serialize({ x: 1 }))
  t.equal((await app.inject('/')).body, '{"keep":"yes"}')
  t.equal((await app.inject('/plain')).body, '{"x":1}')
})

t.test('reply.redirect sends 302 with a Location header, or the given code', async (t) => {
  const app = velox()
  app.get('/default', async (_req: any, reply: any) => reply.redirect('/target'))
  app.get('/url-code', async (_req: any, reply: any) => reply.redirect('/target', 301))
  app.get('/code-url', async (_req: any, reply: any) => reply.redirect(308, '/target'))
  app.get('/preset', async (_req: any, reply: any) => reply.code(307).redirect('/target'))
  for (const [url, code] of [['/default', 302], ['/url-code', 301], ['/code-url', 308], ['/preset', 307]] as const) {
    const res = await app.inject(url)
    t.equal(res.statusCode, code, url)
    t.equal(res.headers.location, '/target', url)
    t.equal(res.body, '', url)
  }
})

t.test('reply.hijack lets the handler write the response through reply.raw', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/', async (_req: any, reply: any) => {
    reply.hijack()
    t.equal(reply.sent, true)
    reply.raw.writeHead(200, { 'content-type': 'text/x-raw' })
    reply.raw.end('written by hand')
    return 'ignored'
  })
  const res = await app.inject('/')
  t.equal(res.headers['content-type'], 'text/x-raw')
  t.equal(res.body, 'written by hand')
  t.notOk(lines.some((l) => l.err?.code === 'FST_ERR_REP_ALREADY_SENT'), 'a hijacked reply is not "sent twice"')
})

t.test('reply.callNotFound answers with the not-found handler', async (t) => {
  const app = velox()
  app.get('/hidden', async (_req: any, reply: any) => reply.callNotFound())
  const res = await app.inject('/hidden')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { message: 'Route GET:/hidden not found', error: 'Not Found', statusCode: 404 })

  const custom = velox()
  custom.setNotFoundHandler(async (req: any, reply: any) => reply.code(404).send({ custom: req.url }))
  custom.get('/hidden', async (_req: any, reply: any) => reply.callNotFound())
  t.same((await custom.inject('/hidden')).json(), { custom: '/hidden' })
})

t.test('reply.writeEarlyHints sends a 103 before the response', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    t.equal(reply.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' }), reply)
    return 'page'
  })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address()
  const informational: Array<{ statusCode: number, headers: Record<string, unknown> }> = []
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { text += d })
      res.on('end', () => resolve(text))
    })
    req.on('information', (info) => informational.push({ statusCode: info.statusCode, headers: info.headers }))
    req.on('error', reject)
  })
  t.equal(body, 'page')
  t.equal(informational.length, 1)
  t.equal(informational[0].statusCode, 103)
  t.equal(informational[0].headers.link, '</style.css>; rel=preload; as=style')
})

t.test('an object sent with a non-JSON content type answers 500 FST_ERR_REP_INVALID_PAYLOAD_TYPE', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => reply.type('text/html').send({ a: 1 }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), {
    statusCode: 500,
    code: 'FST_ERR_REP_INVALID_PAYLOAD_TYPE',
    error: 'Internal Server Error',
    message: "Attempted to send payload of invalid type 'object'. Expected a string or Buffer."
  })
})

t.test('reply.mediaType follows the Content-Type set so far, by type(), header() or raw.setHeader()', async (t) => {
  const app = velox()
  app.get('/', (_request: any, reply: any) => {
    const seen = [reply.mediaType]
    reply.raw.setHeader('Content-Type', 'Text/HTML')
    seen.push(reply.mediaType)
    reply.header('content-type', 'application/json; charset=utf-8')
    seen.push(reply.mediaType)
    reply.type('text/csv')
    seen.push(reply.mediaType)
    reply.send(seen.map(String).join(','))
  })
  t.equal((await app.inject('/')).body, 'undefined,text/html,application/json,text/csv')
})

t.test('after hijack(): send() and a handler that throws log FST_ERR_REP_ALREADY_SENT, a failing hook logs no warning or error', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/send', (_req: any, reply: any) => {
    reply.hijack()
    reply.send('ignored')
    reply.raw.end('mine')
  })
  app.get('/throw', (_req: any, reply: any) => {
    reply.hijack()
    reply.raw.end('mine')
    throw new Error('after hijack')
  })
  app.register(async (inner: any) => {
    inner.addHook('preHandler', async (_req: any, reply: any) => {
      reply.hijack()
      reply.raw.end('mine')
      throw new Error('hook after hijack')
    })
    inner.get('/hook', async () => 'never')
  })
  for (const url of ['/send', '/throw']) {
    lines.length = 0
    t.equal((await app.inject(url)).body, 'mine', url)
    const warnings = lines.filter((l) => l.level >= 40)
    t.equal(warnings.length, 1, url)
    t.equal(warnings[0].level, 40, url)
    t.equal(warnings[0].err.code, 'FST_ERR_REP_ALREADY_SENT', url)
  }
  t.match(lines[lines.length - 1].err.message, /after hijack/, 'the thrown error is the cause')
  lines.length = 0
  t.equal((await app.inject('/hook')).body, 'mine')
  t.same(lines.filter((l) => l.level >= 40), [])
})

t.test('a JSON Content-Type without a charset parameter gets charset=utf-8 in Fastify\'s form; one with a charset is kept', async (t) => {
  const app = velox()
  const types: Record<string, string> = {
    '/version': 'application/json; version=2; ',
    '/upper': 'application/json; CHARSET=utf-8',
    '/mixed': 'ApPlIcAtIoN/JsOn; ChArSeT=utf-8',
    '/quoted': 'application/json; name="a=b;charset=fake"',
    '/hal': 'application/hal+json'
  }
  for (const [url, type] of Object.entries(types)) app.get(url, async (_req: any, reply: any) => reply.type(type).send({ ok: true }))
  const expected: Record<string, string> = {
    '/version': 'application/json; version="2"; charset=utf-8',
    '/upper': 'application/json; CHARSET=utf-8',
    '/mixed': 'ApPlIcAtIoN/JsOn; ChArSeT=utf-8',
    '/quoted': 'application/json; name="a=b;charset=fake"; charset=utf-8',
    '/hal': 'application/hal+json; charset=utf-8'
  }
  for (const [url, type] of Object.entries(expected)) {
    const res = await app.inject(url)
    t.equal(res.headers['content-type'], type, url)
    t.same(res.json(), { ok: true }, url)
  }
})
