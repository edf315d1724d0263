import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import velox from '../lib/index.js'
import { awsLambda, fetchHandler } from '../lib/serverless/index.js'

/** Events shaped as API Gateway sends them (AWS's documented payload formats 1.0 and 2.0). */
function fixture (name: string): any {
  return JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'serverless', `${name}.json`), 'utf8'))
}

const png = Buffer.from('AAEC/4mJUE5HDQoaCg==', 'base64')

/** One app for every platform: echoes what the pipeline saw, validates and coerces a body, serves binary and cookies. */
function makeApp (options: Record<string, unknown> = {}) {
  const app = velox(options as any)
  app.post('/users/:id', {
    schema: {
      params: { type: 'object', properties: { id: { type: 'integer' } } },
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer' } } },
      response: { 201: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, age: { type: 'integer' }, query: {}, tag: { type: 'string' }, cookie: { type: 'string' }, ip: { type: 'string' } } } }
    }
  }, async (req: any, reply: any) => {
    reply.code(201).header('x-multi', ['one', 'two'])
    reply.header('set-cookie', ['a=1; Path=/', 'b=2; HttpOnly'])
    return { ...req.params, ...req.body, query: req.query, tag: req.headers['x-tag'], cookie: req.headers.cookie, ip: req.ip, dropped: true }
  })
  app.get('/logo.png', async (_req: any, reply: any) => reply.type('image/png').send(png))
  app.put('/upload', async (req: any) => ({ bytes: req.body.length, isBuffer: Buffer.isBuffer(req.body) }))
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req: any, body: Buffer, done: any) => done(null, body))
  app.get('/empty', async (_req: any, reply: any) => reply.code(204).send())
  return app
}

/** What POST /users/:id echoes for the two recorded events, which carry the same request. */
function echoOfFixture (tag: string) {
  return { id: 42, name: 'Ada', age: 36, query: { tag: ['x', 'y'], q: 'a b&c' }, tag, cookie: 'session=abc; theme=dark', ip: '198.51.100.7' }
}

t.test('a REST API (v1) event runs through the pipeline and answers with multi-value headers', async (t) => {
  const handler = awsLambda(makeApp())
  const result = await handler(fixture('rest-api-v1'))
  t.equal(result.statusCode, 201)
  t.equal(result.isBase64Encoded, false)
  t.same(JSON.parse(result.body), echoOfFixture('a, b'), 'params and body validated and coerced, the query decoded once, repeated headers and cookies joined, the source IP kept, undeclared fields dropped')
  t.same(result.multiValueHeaders['set-cookie'], ['a=1; Path=/', 'b=2; HttpOnly'])
  t.same(result.multiValueHeaders['x-multi'], ['one', 'two'])
  t.notOk('set-cookie' in result.headers, 'a repeated header is only in multiValueHeaders, so API Gateway does not merge it twice')
  t.equal(result.headers['content-type'], 'application/json; charset=utf-8')
  t.same(result.multiValueHeaders['content-type'], ['application/json; charset=utf-8'])
  t.notOk('connection' in result.multiValueHeaders, 'no hop-by-hop headers')
})

t.test('an HTTP API (v2) event with a base64 body and a cookies list answers with a cookies list', async (t) => {
  const handler = awsLambda(makeApp())
  const result = await handler(fixture('http-api-v2'))
  t.equal(result.statusCode, 201)
  t.same(JSON.parse(result.body), echoOfFixture('a,b'), 'API Gateway already joined the repeated header')
  t.same(result.cookies, ['a=1; Path=/', 'b=2; HttpOnly'])
  t.equal(result.headers['x-multi'], 'one, two')
  t.notOk('set-cookie' in result.headers)
  t.notOk('multiValueHeaders' in result)
})

t.test('binary responses are base64-encoded and text ones are not', async (t) => {
  const handler = awsLambda(makeApp(), { basePath: '/prod' })
  const image = await handler(fixture('http-api-v2-get'))
  t.equal(image.statusCode, 200, 'the stage prefix is removed with basePath')
  t.equal(image.isBase64Encoded, true)
  t.same(Buffer.from(image.body, 'base64'), png)
  t.equal(image.headers['content-type'], 'image/png')
})

t.test('a base64 request body reaches the parser as the original bytes', async (t) => {
  const handler = awsLambda(makeApp())
  const result = await handler(fixture('rest-api-v1-upload'))
  t.equal(result.statusCode, 200)
  t.same(JSON.parse(result.body), { bytes: png.length, isBuffer: true })
})

t.test('errors of the app answer as they would over HTTP: 400 for a bad body, 404 for an unknown route', async (t) => {
  const handler = awsLambda(makeApp())
  const event = fixture('rest-api-v1')
  const bad = await handler({ ...event, body: '{"age":1}', multiValueHeaders: { 'Content-Type': ['application/json'] }, headers: {} })
  t.equal(bad.statusCode, 400)
  t.match(JSON.parse(bad.body), { code: 'FST_ERR_VALIDATION', message: "body must have required property 'name'" })
  const missing = await handler({ ...fixture('http-api-v2-get'), rawPath: '/nowhere' })
  t.equal(missing.statusCode, 404)
  t.same(JSON.parse(missing.body), { message: 'Route GET:/nowhere not found', error: 'Not Found', statusCode: 404 })
})

t.test('an event that is not from API Gateway fails the invocation with VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED', async (t) => {
  const handler = awsLambda(makeApp()) as (event: unknown) => Promise<unknown>
  await t.rejects(handler({ Records: [{ eventSource: 'aws:sqs' }] }), {
    code: 'VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED',
    message: 'The event is not an API Gateway REST (v1) or HTTP API (v2) proxy event: got an object with Records'
  })
  await t.rejects(handler(null), { code: 'VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED', message: /got null$/ })
})

t.test('the app starts once, on the first event, with schemas compiled on demand', async (t) => {
  const compiled: string[] = []
  const app = velox()
  app.setValidatorCompiler(({ url }: { url: string }) => { compiled.push(url); return () => true })
  app.post('/a', { schema: { body: { type: 'object' } } }, async () => 'a')
  app.post('/b', { schema: { body: { type: 'object' } } }, async () => 'b')
  let readyCalls = 0
  app.addHook('onReady', async () => { readyCalls++ })
  const handler = awsLambda(app)
  const event = { ...fixture('http-api-v2'), rawPath: '/b', isBase64Encoded: false, body: '{}' }
  await Promise.all([handler(event), handler(event)])
  t.equal(readyCalls, 1)
  t.same(compiled, ['/b'], 'only the route that received an event compiled, and no warm-up runs')
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(compiled, ['/b'])
})

t.test('fetchHandler turns a Fetch Request into a Response through the same pipeline', async (t) => {
  const handle = fetchHandler(makeApp())
  const response = await handle(new Request('https://api.example.com/users/7?tag=x&tag=y', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'session=abc', 'x-tag': 'z' },
    body: JSON.stringify({ name: 'Grace', age: '85' })
  }))
  t.equal(response.status, 201)
  t.same(await response.json(), { id: 7, name: 'Grace', age: 85, query: { tag: ['x', 'y'] }, tag: 'z', cookie: 'session=abc', ip: '127.0.0.1' })
  t.same(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; HttpOnly'])
  t.equal(response.headers.get('x-multi'), 'one, two')

  const image = await handle(new Request('https://api.example.com/logo.png'))
  t.equal(image.headers.get('content-type'), 'image/png')
  t.same(Buffer.from(await image.arrayBuffer()), png)

  const empty = await handle(new Request('https://api.example.com/empty'))
  t.equal(empty.status, 204)
  t.equal(empty.body, null)

  const head = await handle(new Request('https://api.example.com/logo.png', { method: 'HEAD' }))
  t.equal(head.status, 200)
  t.equal(head.body, null)
})

t.test('fetchHandler removes the basePath before routing', async (t) => {
  const handle = fetchHandler(makeApp(), { basePath: '/api/' })
  const response = await handle(new Request('https://example.com/api/logo.png'))
  t.equal(response.status, 200)
  const root = fetchHandler(velox().get('/', async () => ({ root: true })) as any, { basePath: '/api' })
  t.same(await (await root(new Request('https://example.com/api'))).json(), { root: true })
  t.equal((await root(new Request('https://example.com/apiary'))).status, 404, 'only a whole path segment is a base path')
})

t.test('a handler works with an app that has no on-demand start (ready() is used)', async (t) => {
  const app = { ready: async () => { app.started = true }, started: false, inject: async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, rawPayload: Buffer.from('ok') }) }
  const result = await awsLambda(app as any)(fixture('http-api-v2-get'))
  t.equal(app.started, true)
  t.same(result, { statusCode: 200, headers: { 'content-type': 'text/plain' }, cookies: [], body: 'ok', isBase64Encoded: false })
})
