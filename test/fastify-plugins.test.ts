import t from 'tap'
import cors from '@fastify/cors'
import sensible from '@fastify/sensible'
import formbody from '@fastify/formbody'
import velox from '../lib/index.js'

/** Status, headers (without the transport ones) and body, for exact comparison. */
function view (res: any): { status: number, headers: Record<string, unknown>, body: string } {
  const headers: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(res.headers)) {
    if (name !== 'date' && name !== 'connection' && name !== 'keep-alive') headers[name] = value
  }
  return { status: res.statusCode, headers, body: res.body }
}

function preflight (app: any, url = '/', headers: Record<string, string> = {}): Promise<any> {
  return app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin: 'http://client.test', 'access-control-request-method': 'GET', ...headers }
  })
}

const text = (length: number): Record<string, string> => ({ 'content-type': 'text/plain; charset=utf-8', 'content-length': String(length) })

t.test('@fastify/cors', async (t) => {
  t.test('defaults: a preflight answers 204 with the safelisted methods and any origin', async (t) => {
    const app = velox()
    app.register(cors)
    app.get('/', async () => 'hi')
    t.same(view(await preflight(app)), {
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET,HEAD,POST',
        vary: 'Access-Control-Request-Headers',
        'content-length': '0'
      },
      body: ''
    })
  })

  t.test('defaults: a simple request gets Access-Control-Allow-Origin: *', async (t) => {
    const app = velox()
    app.register(cors)
    app.get('/', async () => 'hi')
    t.same(view(await app.inject({ url: '/', headers: { origin: 'http://client.test' } })), {
      status: 200,
      headers: { 'access-control-allow-origin': '*', ...text(2) },
      body: 'hi'
    })
  })

  t.test('a preflight without Origin or Access-Control-Request-Method is refused with 400 (strictPreflight)', async (t) => {
    const app = velox()
    app.register(cors)
    app.get('/', async () => 'hi')
    const res = await app.inject({ method: 'OPTIONS', url: '/' })
    t.equal(res.statusCode, 400)
    t.equal(res.body, 'Invalid Preflight Request')
  })

  t.test('an origin list with credentials, exposed headers and max age', async (t) => {
    const app = velox()
    app.register(cors, { origin: ['http://client.test'], credentials: true, methods: ['GET', 'PUT'], exposedHeaders: ['x-total'], maxAge: 600 })
    app.put('/', async () => 'hi')
    t.same(view(await preflight(app, '/', { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-custom' })), {
      status: 204,
      headers: {
        vary: 'Origin, Access-Control-Request-Headers',
        'access-control-allow-origin': 'http://client.test',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'x-total',
        'access-control-allow-methods': 'GET, PUT',
        'access-control-allow-headers': 'x-custom',
        'access-control-max-age': '600',
        'content-length': '0'
      },
      body: ''
    })
    t.same(view(await app.inject({ method: 'PUT', url: '/', headers: { origin: 'http://client.test' } })).headers, {
      vary: 'Origin',
      'access-control-allow-origin': 'http://client.test',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-total',
      ...text(2)
    })
    const other = view(await app.inject({ method: 'PUT', url: '/', headers: { origin: 'http://other.test' } }))
    t.equal(other.headers['access-control-allow-origin'], undefined, 'an origin not in the list is not allowed')
  })

  t.test('allowedHeaders, cacheControl and optionsSuccessStatus shape the preflight of any path', async (t) => {
    const app = velox()
    app.register(cors, { cacheControl: 300, optionsSuccessStatus: 200, allowedHeaders: ['X-A', 'X-B'] })
    t.same(view(await preflight(app, '/any/path', { 'access-control-request-headers': 'x-z' })), {
      status: 200,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET,HEAD,POST',
        'access-control-allow-headers': 'X-A, X-B',
        'cache-control': 'max-age=300',
        'content-length': '0'
      },
      body: ''
    })
  })

  t.test('route config.cors overrides or disables the plugin options', async (t) => {
    const app = velox()
    app.register(cors, { origin: 'https://example.com' })
    app.get('/on', async () => 'on')
    app.get('/all', { config: { cors: { origin: '*' } } }, async () => 'all')
    app.get('/off', { config: { cors: false } }, async () => 'off')
    const headers = { origin: 'http://client.test' }
    t.equal((await app.inject({ url: '/on', headers })).headers['access-control-allow-origin'], 'https://example.com')
    t.equal((await app.inject({ url: '/all', headers })).headers['access-control-allow-origin'], '*')
    t.same(view(await app.inject({ url: '/off', headers })).headers, text(3))
  })

  t.test('options computed from the instance and a per-request delegator', async (t) => {
    const app = velox()
    app.register(cors, () => (req: any, cb: (err: Error | null, opts: unknown) => void) => {
      cb(null, { origin: req.headers.origin === 'http://trusted.test' })
    })
    app.register(async (i: any) => { i.get('/', async () => 'x') })
    t.same(view(await app.inject({ url: '/', headers: { origin: 'http://trusted.test' } })).headers, {
      vary: 'Origin', 'access-control-allow-origin': 'http://trusted.test', ...text(1)
    })
    t.same(view(await app.inject({ url: '/', headers: { origin: 'http://untrusted.test' } })).headers, { vary: 'Origin', ...text(1) })
  })

  t.test('an origin function runs with the instance as this, in a preHandler hook when asked', async (t) => {
    const app = velox()
    let thisIsInstance: boolean | undefined
    app.register(cors, {
      hook: 'preHandler',
      origin (this: any, origin: string, cb: (err: Error | null, allow: boolean) => void) {
        thisIsInstance = typeof this.register === 'function'
        cb(null, origin === 'http://client.test')
      }
    })
    app.get('/', async () => 'x')
    t.equal((await app.inject({ url: '/', headers: { origin: 'http://client.test' } })).headers['access-control-allow-origin'], 'http://client.test')
    t.equal(thisIsInstance, true)
  })

  t.test('preflightContinue hands the preflight to the route', async (t) => {
    const app = velox()
    app.register(cors, { preflightContinue: true })
    app.options('/x', async () => 'my options')
    const res = view(await preflight(app, '/x'))
    t.equal(res.status, 200)
    t.equal(res.body, 'my options')
    t.equal(res.headers['access-control-allow-methods'], 'GET,HEAD,POST')
  })

  t.test('registered inside a prefixed plugin it covers only that plugin', async (t) => {
    const app = velox()
    app.register(async (api: any) => {
      api.register(cors)
      api.get('/in', async () => 'in')
    }, { prefix: '/api' })
    app.get('/out', async () => 'out')
    const headers = { origin: 'http://client.test' }
    t.equal((await app.inject({ url: '/api/in', headers })).headers['access-control-allow-origin'], '*')
    t.equal((await app.inject({ url: '/out', headers })).headers['access-control-allow-origin'], undefined)
    t.equal((await preflight(app, '/api/in')).statusCode, 204)
    t.equal((await preflight(app, '/out')).statusCode, 404)
  })

  t.test('headers are set on 404 and error replies too', async (t) => {
    const app = velox()
    app.register(cors)
    app.get('/err', async () => { throw new Error('x') })
    const headers = { origin: 'http://client.test' }
    t.equal((await app.inject({ url: '/missing', headers })).headers['access-control-allow-origin'], '*')
    const res = await app.inject({ url: '/err', headers })
    t.equal(res.statusCode, 500)
    t.equal(res.headers['access-control-allow-origin'], '*')
  })
})

t.test('@fastify/sensible', async (t) => {
  const build = (): any => {
    const app = velox()
    app.register(sensible)
    return app
  }
  const error = (statusCode: number, error: string, message: string): string => JSON.stringify({ statusCode, error, message })

  t.test('reply helpers send the standard error payload', async (t) => {
    const app = build()
    app.get('/not-found', async (_req: any, reply: any) => reply.notFound())
    app.get('/bad', async (_req: any, reply: any) => reply.badRequest('bad input'))
    app.get('/teapot', async (_req: any, reply: any) => { reply.imateapot() })
    app.get('/internal', async (_req: any, reply: any) => reply.internalServerError('detail'))
    app.get('/by-code', async (_req: any, reply: any) => reply.getHttpError(403))
    const json = { 'content-type': 'application/json; charset=utf-8' }
    t.same(view(await app.inject('/not-found')), { status: 404, headers: { ...json, 'content-length': '60' }, body: error(404, 'Not Found', 'Not Found') })
    t.equal((await app.inject('/bad')).body, error(400, 'Bad Request', 'bad input'))
    t.equal((await app.inject('/teapot')).body, error(418, "I'm a Teapot", "I'm a Teapot"))
    t.equal((await app.inject('/internal')).body, error(500, 'Internal Server Error', 'detail'))
    t.equal((await app.inject('/by-code')).body, error(403, 'Forbidden', 'Forbidden'))
  })

  t.test('app.httpErrors builds errors that can be thrown or sent', async (t) => {
    const app = build()
    app.get('/thrown', async () => { throw app.httpErrors.conflict('duplicate') })
    app.get('/created', async () => { throw app.httpErrors.createError(422, 'custom') })
    app.get('/sent', async (_req: any, reply: any) => reply.send(app.httpErrors.unauthorized()))
    t.equal((await app.inject('/thrown')).body, error(409, 'Conflict', 'duplicate'))
    t.equal((await app.inject('/created')).body, error(422, 'Unprocessable Entity', 'custom'))
    t.equal((await app.inject('/sent')).body, error(401, 'Unauthorized', 'Unauthorized'))
  })

  t.test('app.assert throws an HTTP error when the condition fails', async (t) => {
    const app = build()
    app.get('/assert', async (req: any) => { app.assert(req.query.ok === 'yes', 400, 'not ok'); return 'fine' })
    app.get('/equal', async () => { app.assert.equal(1, 2, 404, 'different'); return 'x' })
    t.equal((await app.inject('/assert?ok=yes')).body, 'fine')
    t.equal((await app.inject('/assert')).body, error(400, 'Bad Request', 'not ok'))
    t.equal((await app.inject('/equal')).body, error(404, 'Not Found', 'different'))
  })

  t.test('app.to turns a promise into an [error, value] pair', async (t) => {
    const app = build()
    await app.ready()
    const [err, value] = await app.to(Promise.reject(new Error('failed')))
    t.equal(err.message, 'failed')
    t.equal(value, undefined)
    t.same(await app.to(Promise.resolve(5)), [null, 5])
  })

  t.test('vary, cacheControl and the request helpers', async (t) => {
    const app = build()
    app.get('/vary', async (_req: any, reply: any) => { reply.vary('Accept'); return 'v' })
    app.get('/cache', async (_req: any, reply: any) => { reply.cacheControl('public'); reply.cacheControl('max-age', 42); return 'c' })
    app.get('/req', async (req: any) => ({ forwarded: req.forwarded(), is: req.is(['json']) }))
    t.equal((await app.inject('/vary')).headers.vary, 'Accept')
    t.equal((await app.inject('/cache')).headers['cache-control'], 'public, max-age=42')
    t.same((await app.inject('/req')).json(), { forwarded: ['127.0.0.1'], is: null })
  })

  t.test('sharedSchemaId adds the error schema for response references', async (t) => {
    const app = velox()
    app.register(sensible, { sharedSchemaId: 'HttpError' })
    app.get('/s', { schema: { response: { 404: { $ref: 'HttpError' } } } }, async (_req: any, reply: any) => reply.notFound())
    await app.ready()
    t.same(Object.keys(app.getSchemas()), ['HttpError'])
    t.equal((await app.inject('/s')).body, error(404, 'Not Found', 'Not Found'))
  })
})

t.test('@fastify/formbody', async (t) => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' }

  t.test('parses urlencoded bodies, repeated keys into arrays, with or without a charset', async (t) => {
    const app = velox()
    app.register(formbody)
    app.post('/', async (req: any) => req.body)
    t.same((await app.inject({ method: 'POST', url: '/', payload: 'a=1&b=two&b=three', headers: form })).json(), { a: '1', b: ['two', 'three'] })
    const withCharset = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
    t.same((await app.inject({ method: 'POST', url: '/', payload: 'a=%C3%A9', headers: withCharset })).json(), { a: 'é' })
  })

  t.test('the parsed body is validated by the route schema', async (t) => {
    const app = velox()
    app.register(formbody)
    const schema = { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } }
    app.post('/', { schema }, async (req: any) => req.body)
    t.same((await app.inject({ method: 'POST', url: '/', payload: 'n=5', headers: form })).json(), { n: 5 })
    const res = await app.inject({ method: 'POST', url: '/', payload: 'x=5', headers: form })
    t.equal(res.statusCode, 400)
    t.equal(res.json().code, 'FST_ERR_VALIDATION')
  })

  t.test('bodyLimit answers 413', async (t) => {
    const app = velox()
    app.register(formbody, { bodyLimit: 10 })
    app.post('/', async (req: any) => req.body)
    const res = await app.inject({ method: 'POST', url: '/', payload: 'a=1111111111111111111', headers: form })
    t.equal(res.statusCode, 413)
    t.equal(res.json().code, 'FST_ERR_CTP_BODY_TOO_LARGE')
  })

  t.test('a custom parser function is used', async (t) => {
    const app = velox()
    app.register(formbody, { parser: (s: string) => ({ raw: s }) })
    app.post('/', async (req: any) => req.body)
    t.same((await app.inject({ method: 'POST', url: '/', payload: 'a=1&b', headers: form })).json(), { raw: 'a=1&b' })
  })

  t.test('registered inside a plugin it parses only that plugin\'s bodies', async (t) => {
    const app = velox()
    app.register(async (i: any) => {
      i.register(formbody)
      i.post('/in', async (req: any) => req.body)
    })
    app.post('/out', async (req: any) => req.body)
    const opts = { method: 'POST', payload: 'a=1', headers: form }
    t.same((await app.inject({ url: '/in', ...opts })).json(), { a: '1' })
    t.equal((await app.inject({ url: '/out', ...opts })).statusCode, 415)
  })
})
