import t from 'tap'
import velox from '../lib/index.js'

const json = { 'content-type': 'application/json' }

function echo (options: Record<string, unknown> = {}): any {
  const app = velox(options)
  app.post('/', async (req: any) => ({ body: req.body ?? null }))
  return app
}

t.test('a JSON body is parsed into request.body', async (t) => {
  const app = echo()
  const res = await app.inject({ method: 'POST', url: '/', payload: { a: 1, list: [true, null] } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { body: { a: 1, list: [true, null] } })
  const withCharset = await app.inject({ method: 'POST', url: '/', payload: '[1,2]', headers: { 'content-type': 'application/json; charset=utf-8' } })
  t.same(withCharset.json(), { body: [1, 2] })
  const upper = await app.inject({ method: 'POST', url: '/', payload: '"s"', headers: { 'content-type': 'Application/JSON' } })
  t.same(upper.json(), { body: 's' }, 'the media type is matched case-insensitively')
})

t.test('a text/plain body is read as a string', async (t) => {
  const app = echo()
  const res = await app.inject({ method: 'POST', url: '/', payload: 'plain words', headers: { 'content-type': 'text/plain; charset=utf-8' } })
  t.same(res.json(), { body: 'plain words' })
})

t.test('PUT, PATCH and DELETE bodies are parsed too', async (t) => {
  const app = velox()
  app.route({ method: ['PUT', 'PATCH', 'DELETE'], url: '/', handler: async (req: any) => ({ body: req.body ?? null }) })
  for (const method of ['PUT', 'PATCH', 'DELETE']) {
    const res = await app.inject({ method, url: '/', payload: '{"m":1}', headers: json })
    t.same(res.json(), { body: { m: 1 } }, method)
  }
  const noBody = await app.inject({ method: 'DELETE', url: '/' })
  t.same(noBody.json(), { body: null }, 'a DELETE without a body is fine')
})

t.test('malformed JSON answers 400 FST_ERR_CTP_INVALID_JSON_BODY', async (t) => {
  const res = await echo().inject({ method: 'POST', url: '/', payload: '{"a":', headers: json })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    error: 'Bad Request',
    message: "Body is not valid JSON but content-type is set to 'application/json'"
  })
})

t.test('an empty JSON body answers 400 FST_ERR_CTP_EMPTY_JSON_BODY', async (t) => {
  const res = await echo().inject({ method: 'POST', url: '/', payload: '', headers: json })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'FST_ERR_CTP_EMPTY_JSON_BODY',
    error: 'Bad Request',
    message: "Body cannot be empty when content-type is set to 'application/json'"
  })
})

t.test('__proto__ and constructor.prototype keys are refused by default with 400', async (t) => {
  const app = echo()
  for (const payload of ['{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}']) {
    const res = await app.inject({ method: 'POST', url: '/', payload, headers: json })
    t.equal(res.statusCode, 400, payload)
    t.equal(res.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY', payload)
  }
  t.equal(({} as any).polluted, undefined, 'nothing was polluted')
})

t.test('onProtoPoisoning: remove drops __proto__ keys and keeps the rest', async (t) => {
  const app = velox({ onProtoPoisoning: 'remove' })
  app.post('/', async (req: any) => ({
    keys: Object.keys(req.body),
    plainPrototype: Object.getPrototypeOf(req.body) === Object.prototype,
    polluted: req.body.polluted ?? null
  }))
  const res = await app.inject({ method: 'POST', url: '/', payload: '{"a":1,"__proto__":{"polluted":1}}', headers: json })
  t.same(res.json(), { keys: ['a'], plainPrototype: true, polluted: null })
})

t.test('onConstructorPoisoning: ignore lets constructor keys through as data', async (t) => {
  const app = echo({ onConstructorPoisoning: 'ignore' })
  const res = await app.inject({ method: 'POST', url: '/', payload: '{"constructor":{"prototype":{"x":1}}}', headers: json })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { body: { constructor: { prototype: { x: 1 } } } })
})

t.test('an unknown content type answers 415 FST_ERR_CTP_INVALID_MEDIA_TYPE', async (t) => {
  const app = echo()
  for (const type of ['application/xml', 'application/jsonx', 'text/plainx']) {
    const res = await app.inject({ method: 'POST', url: '/', payload: '<a/>', headers: { 'content-type': type } })
    t.equal(res.statusCode, 415, type)
    t.same(res.json(), {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      error: 'Unsupported Media Type',
      message: 'Unsupported Media Type'
    }, type)
  }
})

t.test('a body without a content type answers 415', async (t) => {
  const res = await echo().inject({ method: 'POST', url: '/', payload: 'data', headers: { 'content-type': undefined } })
  t.equal(res.statusCode, 415)
  t.equal(res.json().code, 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
})

t.test('a POST with neither body nor content type reaches the handler with no body', async (t) => {
  const res = await echo().inject({ method: 'POST', url: '/' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { body: null })
})

t.test('a body larger than the default 1 MiB answers 413 FST_ERR_CTP_BODY_TOO_LARGE', async (t) => {
  const app = echo()
  const atLimit = await app.inject({ method: 'POST', url: '/', payload: 'x'.repeat(1024 * 1024), headers: { 'content-type': 'text/plain' } })
  t.equal(atLimit.statusCode, 200, 'exactly 1 MiB is accepted')
  const res = await app.inject({ method: 'POST', url: '/', payload: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': 'text/plain' } })
  t.equal(res.statusCode, 413)
  t.same(res.json(), {
    statusCode: 413,
    code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    error: 'Payload Too Large',
    message: 'Request body is too large'
  })
})

t.test('the bodyLimit option and the route bodyLimit lower the limit', async (t) => {
  const app = velox({ bodyLimit: 10 })
  app.post('/', async (req: any) => req.body)
  app.post('/route', { bodyLimit: 3 }, async (req: any) => req.body)
  const text = { 'content-type': 'text/plain' }
  t.equal((await app.inject({ method: 'POST', url: '/', payload: '0123456789', headers: text })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/', payload: '0123456789A', headers: text })).statusCode, 413)
  t.equal((await app.inject({ method: 'POST', url: '/route', payload: 'abc', headers: text })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/route', payload: 'abcd', headers: text })).statusCode, 413)
})

t.test('a body shorter than its Content-Length answers 400 FST_ERR_CTP_INVALID_CONTENT_LENGTH', async (t) => {
  const res = await echo().inject({ method: 'POST', url: '/', payload: 'abc', headers: { 'content-type': 'text/plain', 'content-length': '5' } })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
    error: 'Bad Request',
    message: 'Request body size did not match Content-Length'
  })
})

t.test('GET and HEAD bodies are ignored, even malformed ones', async (t) => {
  const app = velox()
  app.get('/', async (req: any) => ({ body: req.body ?? 'none' }))
  const res = await app.inject({ method: 'GET', url: '/', payload: '{not json', headers: json })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { body: 'none' })
  const head = await app.inject({ method: 'HEAD', url: '/', payload: '{not json', headers: json })
  t.equal(head.statusCode, 200)
})
