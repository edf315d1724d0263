import t from 'tap'
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks'
import velox, { getDefaultJsonParser, defaultTextParser } from '../lib/index.js'

function echoApp (setup?: (app: any) => void): any {
  const app = velox()
  setup?.(app)
  app.post('/', async (req: any) => ({ body: req.body, isBuffer: Buffer.isBuffer(req.body) }))
  return app
}

function post (app: any, contentType: string | undefined, payload: string | Buffer, url = '/'): Promise<any> {
  const headers: Record<string, string> = {}
  if (contentType !== undefined) headers['content-type'] = contentType
  return app.inject({ method: 'POST', url, headers, payload })
}

const unsupported = { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', error: 'Unsupported Media Type', message: 'Unsupported Media Type' }

// Built-in parsers and matching

t.test('JSON and plain text are parsed by default, whatever the charset or case', async (t) => {
  const app = echoApp()
  t.same((await post(app, 'application/json', '{"a":1}')).json().body, { a: 1 })
  t.same((await post(app, 'application/json; charset=utf-8', '{"a":2}')).json().body, { a: 2 })
  t.same((await post(app, 'Application/JSON; Charset=UTF-8', '{"a":3}')).json().body, { a: 3 })
  t.equal((await post(app, 'text/plain', 'hi')).json().body, 'hi')
  t.equal((await post(app, 'text/plain; charset=latin1', 'hey')).json().body, 'hey')
})

t.test('an unknown content type answers 415 FST_ERR_CTP_INVALID_MEDIA_TYPE', async (t) => {
  const app = echoApp()
  const res = await post(app, 'application/xml', '<a/>')
  t.equal(res.statusCode, 415)
  t.same(res.json(), unsupported)
})

t.test('a body without a Content-Type answers 415 unless a catch-all parser exists', async (t) => {
  const plain = echoApp()
  t.equal((await post(plain, undefined, 'raw')).statusCode, 415)
  const withCatchAll = echoApp((app) => {
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `any:${body}`) })
  })
  t.equal((await post(withCatchAll, undefined, 'raw')).json().body, 'any:raw')
})

t.test('a Content-Type that is not a media type answers 415 even with a catch-all parser', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('*', (_req: any, _payload: unknown, done: any) => { done(null, 'caught') })
  })
  for (const value of ['garbage', '', 'text/', '/plain', 'te xt/plain', 'text/pl ain']) {
    const res = await post(app, value, 'x')
    t.equal(res.statusCode, 415, JSON.stringify(value))
    t.same(res.json(), unsupported)
  }
})

t.test('a request without a body and without a Content-Type reaches the handler', async (t) => {
  const app = echoApp()
  const res = await app.inject({ method: 'POST', url: '/' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { isBuffer: false })
})

t.test('an empty body is handed to the parser', async (t) => {
  const app = echoApp()
  t.equal((await post(app, 'text/plain', '')).json().body, '')
  const res = await post(app, 'application/json', '')
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'FST_ERR_CTP_EMPTY_JSON_BODY',
    error: 'Bad Request',
    message: "Body cannot be empty when content-type is set to 'application/json'"
  })
})

t.test('the bodies of GET and HEAD requests are never parsed', async (t) => {
  const app = velox()
  let parsed = 0
  app.addContentTypeParser('application/x-count', { parseAs: 'string' }, (_req: any, body: string, done: any) => { parsed++; done(null, body) })
  app.get('/', async (req: any) => ({ body: req.body ?? null }))
  for (const method of ['GET', 'HEAD']) {
    const res = await app.inject({ method, url: '/', headers: { 'content-type': 'application/x-count' }, payload: 'ignored' })
    t.equal(res.statusCode, 200, method)
  }
  const res = await app.inject({ method: 'GET', url: '/', headers: { 'content-type': 'application/json' }, payload: '{not json' })
  t.same(res.json(), { body: null })
  t.equal(parsed, 0)
})

t.test('DELETE, PUT and PATCH bodies are parsed', async (t) => {
  const app = velox()
  app.route({ method: ['DELETE', 'PUT', 'PATCH'], url: '/', handler: async (req: any) => req.body })
  for (const method of ['DELETE', 'PUT', 'PATCH']) {
    const res = await app.inject({ method, url: '/', payload: { method } })
    t.same(res.json(), { method }, method)
  }
})

t.test('an OPTIONS request naming a Content-Type is parsed even without a body, as in Fastify', async (t) => {
  const app = velox()
  app.options('/', async () => 'preflight')
  const form = await app.inject({ method: 'OPTIONS', url: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.same([form.statusCode, form.json().code], [415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE'])
  const json = await app.inject({ method: 'OPTIONS', url: '/', headers: { 'content-type': 'application/json' } })
  t.same([json.statusCode, json.json().code], [400, 'FST_ERR_CTP_EMPTY_JSON_BODY'])
  // A CORS preflight names the type in Access-Control-Request-Headers and has no Content-Type.
  const preflight = await app.inject({ method: 'OPTIONS', url: '/', headers: { origin: 'http://a.test', 'access-control-request-headers': 'content-type' } })
  t.same([preflight.statusCode, preflight.body], [200, 'preflight'])
})

t.test('a 404 with a body of an unknown type is still a 404', async (t) => {
  const app = echoApp()
  const res = await post(app, 'application/x-unknown', 'x', '/missing')
  t.equal(res.statusCode, 404)
})

// addContentTypeParser

t.test('a callback parser with parseAs string receives the body as a string', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req: any, body: string, done: any) => {
      t.equal(typeof req.headers, 'object', 'the parser receives the request')
      done(null, Object.fromEntries(new URLSearchParams(body)))
    })
  })
  t.same((await post(app, 'application/x-www-form-urlencoded', 'a=1&b=two')).json().body, { a: '1', b: 'two' })
})

t.test('an async parser with parseAs buffer receives a Buffer', async (t) => {
  let received: unknown
  const app = echoApp((app) => {
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, async (_req: any, body: Buffer) => {
      received = body
      return body
    })
  })
  const res = await post(app, 'application/octet-stream', Buffer.from([1, 2, 3]))
  t.equal(res.statusCode, 200)
  t.ok(Buffer.isBuffer(received))
  t.same([...(received as Buffer)], [1, 2, 3])
})

t.test('a parser without parseAs receives the request stream', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/x-stream', (_req: any, payload: NodeJS.ReadableStream, done: any) => {
      t.equal(typeof payload.on, 'function')
      let data = ''
      payload.on('data', (chunk: Buffer) => { data += chunk.toString() })
      payload.on('end', () => { done(null, data.split('').reverse().join('')) })
    })
  })
  t.equal((await post(app, 'application/x-stream', 'abc')).json().body, 'cba')
})

t.test('an async stream parser may resolve with the body', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/x-stream', async (_req: any, payload: AsyncIterable<Buffer>) => {
      let total = 0
      for await (const chunk of payload) total += chunk.length
      return { bytes: total }
    })
  })
  t.same((await post(app, 'application/x-stream', 'abcdef')).json().body, { bytes: 6 })
})

t.test('a stream parser receives the stream a preParsing hook returned', async (t) => {
  const { PassThrough } = await import('node:stream')
  const replaced = new PassThrough()
  let received: unknown
  const app = echoApp((app) => {
    app.addHook('preParsing', async (_req: any, _reply: any, payload: NodeJS.ReadableStream) => payload.pipe(replaced))
    app.addContentTypeParser('application/x-stream', (_req: any, payload: any, done: any) => {
      received = payload
      payload.resume()
      payload.on('end', () => done(null, 'done'))
    })
  })
  t.equal((await post(app, 'application/x-stream', 'abc')).json().body, 'done')
  t.equal(received, replaced)
})

t.test('one parser can be registered for several types at once', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `xml:${body}`) })
  })
  t.equal((await post(app, 'text/xml', '<a/>')).json().body, 'xml:<a/>')
  t.equal((await post(app, 'application/xml', '<b/>')).json().body, 'xml:<b/>')
  t.ok(app.hasContentTypeParser('text/xml'))
  t.ok(app.hasContentTypeParser('application/xml'))
})

t.test('a RegExp parser is tested against the lower-cased type and its parameters', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser(/^application\/.+\+json/, { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `re:${body}`) })
  })
  t.equal((await post(app, 'application/vnd.api+json', '1')).json().body, 're:1')
  t.equal((await post(app, 'Application/Vnd.API+JSON', '2')).json().body, 're:2')
  t.equal((await post(app, 'application/problem+json; charset=utf-8', '3')).json().body, 're:3')
  t.same((await post(app, 'application/json', '{"plain":true}')).json().body, { plain: true }, 'string parsers are tried first')
})

t.test('the newest matching RegExp parser wins', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser(/^image\//, { parseAs: 'string' }, (_req: any, _body: string, done: any) => { done(null, 'image') })
    app.addContentTypeParser(/^image\/png/, { parseAs: 'string' }, (_req: any, _body: string, done: any) => { done(null, 'png') })
  })
  t.equal((await post(app, 'image/png', 'x')).json().body, 'png')
  t.equal((await post(app, 'image/gif', 'x')).json().body, 'image')
})

t.test('a catch-all parser handles every type without a parser of its own', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `star:${body}`) })
  })
  t.equal((await post(app, 'application/x-anything', 'a')).json().body, 'star:a')
  t.same((await post(app, 'application/json', '{"b":1}')).json().body, { b: 1 })
  t.ok(app.hasContentTypeParser('*'))
})

t.test('a parser registered with parameters answers only that exact parameter set', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('text/plain; charset=latin1', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `latin1:${body}`) })
  })
  t.equal((await post(app, 'text/plain; charset=latin1', 'a')).json().body, 'latin1:a')
  t.equal((await post(app, 'text/plain;charset="latin1"', 'b')).json().body, 'latin1:b')
  t.equal((await post(app, 'TEXT/PLAIN; CHARSET=latin1', 'c')).json().body, 'latin1:c')
  t.equal((await post(app, 'text/plain; charset=utf-8', 'd')).json().body, 'd', 'another charset falls back to text/plain')
  t.equal((await post(app, 'text/plain', 'e')).json().body, 'e')
  t.equal((await post(app, 'text/plain; charset=latin1; format=flowed', 'f')).json().body, 'f', 'extra parameters fall back too')
})

t.test('a parser for a bare type applies whatever parameters the request adds', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/yaml', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `yaml:${body}`) })
  })
  t.equal((await post(app, 'application/yaml; charset=utf-8; version=1.2', 'k: v')).json().body, 'yaml:k: v')
})

t.test('the default JSON and text parsers may be replaced once', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, { custom: body }) })
    app.addContentTypeParser('Text/Plain', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, body.toUpperCase()) })
    t.throws(() => app.addContentTypeParser('application/json', (_r: any, _p: any, done: any) => done(null)), {
      code: 'FST_ERR_CTP_ALREADY_PRESENT',
      message: "Content type parser 'application/json' already present."
    })
  })
  t.same((await post(app, 'application/json', 'not json')).json().body, { custom: 'not json' })
  t.equal((await post(app, 'text/plain', 'loud')).json().body, 'LOUD')
})

t.test('registering a second parser for a type throws FST_ERR_CTP_ALREADY_PRESENT', async (t) => {
  const app = velox()
  const parser = (_req: any, _payload: any, done: any): void => { done(null, 1) }
  app.addContentTypeParser('application/xml', parser)
  t.throws(() => app.addContentTypeParser('application/xml', parser), {
    code: 'FST_ERR_CTP_ALREADY_PRESENT',
    statusCode: 500,
    message: "Content type parser 'application/xml' already present."
  })
  app.addContentTypeParser(/^image\//, parser)
  t.throws(() => app.addContentTypeParser(/^image\//, parser), { code: 'FST_ERR_CTP_ALREADY_PRESENT', message: "Content type parser '/^image\\//' already present." })
  app.addContentTypeParser('*', parser)
  t.throws(() => app.addContentTypeParser('*', parser), { code: 'FST_ERR_CTP_ALREADY_PRESENT' })
})

t.test('addContentTypeParser checks its arguments', async (t) => {
  const app = velox()
  const parser = (_req: any, _payload: any, done: any): void => { done(null, 1) }
  t.throws(() => app.addContentTypeParser(123, parser), { code: 'FST_ERR_CTP_INVALID_TYPE', message: 'The content type should be a string or a RegExp' })
  t.throws(() => app.addContentTypeParser('not-a-media-type', parser), { code: 'FST_ERR_CTP_INVALID_TYPE' })
  t.throws(() => app.addContentTypeParser('', parser), { code: 'FST_ERR_CTP_EMPTY_TYPE', message: 'The content type cannot be an empty string' })
  t.throws(() => app.addContentTypeParser('  ', parser), { code: 'FST_ERR_CTP_EMPTY_TYPE' })
  t.throws(() => app.addContentTypeParser('application/x', 'nope'), { code: 'FST_ERR_CTP_INVALID_HANDLER', message: 'The content type handler should be a function' })
  // A missing handler is reported first, even for a type that is not a media type (as Fastify).
  t.throws(() => app.addContentTypeParser('aaa', null), { code: 'FST_ERR_CTP_INVALID_HANDLER', message: 'The content type handler should be a function' })
  t.throws(() => app.addContentTypeParser('application/x', { parseAs: 'json' }, parser), {
    code: 'FST_ERR_CTP_INVALID_PARSE_TYPE',
    message: "The body parser can only parse your data as 'string' or 'buffer', you asked 'json' which is not supported."
  })
})

t.test('content-type parser methods throw after ready', async (t) => {
  const app = velox()
  await app.ready()
  const parser = (_req: any, _payload: any, done: any): void => { done(null, 1) }
  for (const [method, args] of [
    ['addContentTypeParser', ['application/x', parser]],
    ['removeContentTypeParser', ['application/json']],
    ['removeAllContentTypeParsers', []]
  ] as const) {
    t.throws(() => (app as any)[method](...args), {
      code: 'FST_ERR_CTP_INSTANCE_ALREADY_STARTED',
      message: `Cannot call "${method}" when fastify instance is already started!`
    }, method)
  }
})

t.test('hasContentTypeParser knows the defaults, strings and RegExps', async (t) => {
  const app = velox()
  t.ok(app.hasContentTypeParser('application/json'))
  t.ok(app.hasContentTypeParser('text/plain'))
  t.ok(app.hasContentTypeParser('Application/JSON'))
  t.notOk(app.hasContentTypeParser('application/xml'))
  t.notOk(app.hasContentTypeParser(/^image\//))
  app.addContentTypeParser(/^image\//, (_req: any, _payload: any, done: any) => done(null))
  app.addContentTypeParser('application/xml', (_req: any, _payload: any, done: any) => done(null))
  t.ok(app.hasContentTypeParser(/^image\//))
  t.ok(app.hasContentTypeParser('application/xml'))
  t.notOk(app.hasContentTypeParser(/^image\//i), 'flags are part of a RegExp\'s identity')
})

t.test('removeContentTypeParser removes string, RegExp and lists of parsers', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser(/^image\//, (_req: any, _payload: any, done: any) => done(null, 'img'))
    app.removeContentTypeParser('application/json')
    app.removeContentTypeParser([/^image\//, 'text/plain'])
    t.notOk(app.hasContentTypeParser('application/json'))
    t.notOk(app.hasContentTypeParser('text/plain'))
    t.notOk(app.hasContentTypeParser(/^image\//))
    t.throws(() => app.removeContentTypeParser(42), { code: 'FST_ERR_CTP_INVALID_TYPE' })
  })
  t.equal((await post(app, 'application/json', '{}')).statusCode, 415)
  t.equal((await post(app, 'text/plain', 'x')).statusCode, 415)
  t.equal((await post(app, 'image/png', 'x')).statusCode, 415)
})

t.test('removeAllContentTypeParsers leaves no parser, and new ones can be added', async (t) => {
  const app = echoApp((app) => {
    app.removeAllContentTypeParsers()
    t.notOk(app.hasContentTypeParser('application/json'))
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `own:${body}`) })
  })
  t.equal((await post(app, 'application/json', '{}')).json().body, 'own:{}')
  t.equal((await post(app, 'text/plain', 'x')).statusCode, 415)
})

t.test('content-type parsers are encapsulated in their plugin and inherited by children', async (t) => {
  const app = velox()
  app.register(async function xml (scope: any) {
    scope.addContentTypeParser('application/xml', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, `xml:${body}`) })
    scope.post('/xml', async (req: any) => req.body)
    scope.register(async function nested (nested: any) {
      nested.post('/nested', async (req: any) => req.body)
    })
  })
  app.post('/root', async (req: any) => req.body)
  t.equal((await post(app, 'application/xml', '<a/>', '/xml')).body, 'xml:<a/>')
  t.equal((await post(app, 'application/xml', '<b/>', '/nested')).body, 'xml:<b/>')
  t.equal((await post(app, 'application/xml', '<c/>', '/root')).statusCode, 415)
})

t.test('removing a default parser in a plugin keeps it everywhere else', async (t) => {
  const app = velox()
  app.register(async function strict (scope: any) {
    scope.removeContentTypeParser('application/json')
    scope.post('/strict', async (req: any) => req.body)
  })
  app.post('/open', async (req: any) => req.body)
  t.equal((await post(app, 'application/json', '{}', '/strict')).statusCode, 415)
  t.equal((await post(app, 'application/json', '{"ok":1}', '/open')).body, '{"ok":1}')
})

// Parser errors

t.test('a parser error keeps its status and closes the connection', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/x-teapot', { parseAs: 'string' }, (_req: any, _body: string, done: any) => {
      done(Object.assign(new Error('cannot brew'), { statusCode: 418 }))
    })
    app.addContentTypeParser('application/x-async', { parseAs: 'string' }, async () => {
      throw Object.assign(new Error('async refusal'), { statusCode: 422, code: 'MY_PARSE' })
    })
    app.addContentTypeParser('application/x-throws', (_req: any, _payload: any, _done: any) => {
      throw Object.assign(new Error('thrown'), { statusCode: 400 })
    })
  })
  const teapot = await post(app, 'application/x-teapot', 'x')
  t.equal(teapot.statusCode, 418)
  t.equal(teapot.headers.connection, 'close')
  t.same(teapot.json(), { statusCode: 418, error: "I'm a Teapot", message: 'cannot brew' })
  const rejected = await post(app, 'application/x-async', 'x')
  t.same(rejected.json(), { statusCode: 422, code: 'MY_PARSE', error: 'Unprocessable Entity', message: 'async refusal' })
  const thrown = await post(app, 'application/x-throws', 'x')
  t.equal(thrown.statusCode, 400)
  t.equal(thrown.json().message, 'thrown')
})

t.test('a parser error without a status is a 500, as in Fastify', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/x-plain-error', { parseAs: 'string' }, (_req: any, _body: string, done: any) => {
      done(new Error('no status'))
    })
  })
  const res = await post(app, 'application/x-plain-error', 'x')
  t.equal(res.statusCode, 500)
  t.equal(res.json().message, 'no status')
})

t.test('malformed JSON answers 400 FST_ERR_CTP_INVALID_JSON_BODY', async (t) => {
  const app = echoApp()
  const res = await post(app, 'application/json', '{"a":')
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    error: 'Bad Request',
    message: "Body is not valid JSON but content-type is set to 'application/json'"
  })
})

t.test('a parser calling done twice is answered once', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser('application/x-twice', { parseAs: 'string' }, (_req: any, body: string, done: any) => {
      done(null, `first:${body}`)
      done(null, 'second')
      done(new Error('third'))
    })
  })
  const res = await post(app, 'application/x-twice', 'x')
  t.equal(res.statusCode, 200)
  t.equal(res.json().body, 'first:x')
})

// Default parsers as building blocks

t.test('getDefaultJsonParser builds a JSON parser with the chosen prototype-poisoning actions', async (t) => {
  const app = velox()
  app.addContentTypeParser('application/x-ignore', { parseAs: 'string' }, app.getDefaultJsonParser('ignore', 'ignore'))
  app.addContentTypeParser('application/x-remove', { parseAs: 'string' }, getDefaultJsonParser('remove', 'remove'))
  app.addContentTypeParser('application/x-error', { parseAs: 'string' }, getDefaultJsonParser('error', 'error'))
  app.post('/', async (req: any) => ({
    own: Object.keys(req.body),
    polluted: ({} as any).polluted === true
  }))
  const payload = '{"a":1,"__proto__":{"polluted":true}}'
  const ignored = await post(app, 'application/x-ignore', payload)
  t.same(ignored.json(), { own: ['a', '__proto__'], polluted: false })
  const removed = await post(app, 'application/x-remove', payload)
  t.same(removed.json(), { own: ['a'], polluted: false })
  const refused = await post(app, 'application/x-error', payload)
  t.equal(refused.statusCode, 400)
  t.equal(refused.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
  const ctor = await post(app, 'application/x-error', '{"constructor":{"prototype":{"polluted":true}}}')
  t.equal(ctor.statusCode, 400)
})

t.test('defaultTextParser can serve another text type', async (t) => {
  const app = echoApp((app) => {
    t.equal(app.defaultTextParser, defaultTextParser)
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, app.defaultTextParser)
  })
  t.equal((await post(app, 'text/csv', 'a,b\n1,2')).json().body, 'a,b\n1,2')
})

t.test('a hostile 100 KB Content-Type header is answered', async (t) => {
  const app = echoApp((app) => {
    app.addContentTypeParser(/^application\/x-/, { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, body) })
  })
  const hostile = [
    'application/json;' + ' '.repeat(100_000) + 'a',
    'application/json; a="' + ';a=\\"'.repeat(16_000),
    'application/json' + ';a=b'.repeat(25_000),
    'a'.repeat(100_000) + '/json',
    'text/plain; charset="' + '\\'.repeat(100_000)
  ]
  for (const value of hostile) {
    const res = await post(app, value, '{}')
    t.ok(res.statusCode === 200 || res.statusCode === 415, `answered with ${res.statusCode}`)
  }
})

t.test('an AsyncLocalStorage store entered in onRequest is kept through body parsing, into the handler and the error handler', async (t) => {
  const storage = new AsyncLocalStorage<{ id: string }>()
  const outside = new AsyncResource('another-context')
  t.teardown(() => { outside.emitDestroy() })
  const app = velox()
  app.addHook('onRequest', (req: any, _reply: any, done: () => void) => {
    storage.run({ id: req.headers['x-id'] }, done)
  })
  // A parser that answers from an async context of its own, as a client library may.
  app.addContentTypeParser('application/custom', { parseAs: 'string' }, (_req: any, body: string, done: (err: Error | null, body?: unknown) => void) => {
    outside.runInAsyncScope(() => setImmediate(() => body === 'bad' ? done(new Error('parser failed')) : done(null, body)))
  })
  app.setErrorHandler((err: Error, _req: any, reply: any) => {
    reply.code(400).send({ error: err.message, id: storage.getStore()?.id })
  })
  app.post('/', async (req: any) => ({ body: req.body, id: storage.getStore()?.id }))
  app.post('/json', async (req: any) => ({ body: req.body, id: storage.getStore()?.id }))
  const results = await Promise.all(['first', 'second', 'bad'].map((id) => app.inject({
    method: 'POST', url: '/', headers: { 'content-type': 'application/custom', 'x-id': id }, payload: id
  })))
  t.same(results.map((res) => res.statusCode), [200, 200, 400])
  t.same(results.map((res) => res.json()), [{ body: 'first', id: 'first' }, { body: 'second', id: 'second' }, { error: 'parser failed', id: 'bad' }])
  const json = await app.inject({ method: 'POST', url: '/json', headers: { 'x-id': 'j' }, payload: { a: 1 } })
  t.same(json.json(), { body: { a: 1 }, id: 'j' })
})
