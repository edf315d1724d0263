import t from 'tap'
import http from 'node:http'
import velox, { fastify } from '../lib/index.js'

function ipInfo (options: Record<string, unknown>): any {
  const app = velox(options)
  app.get('/', async (req: any) => ({ ip: req.ip, ips: req.ips ?? null, host: req.host, hostname: req.hostname, protocol: req.protocol }))
  return app
}

t.test('the factory is also the named export fastify, as Fastify exports it', async (t) => {
  t.equal(fastify, velox)
  const app = fastify()
  app.get('/', async () => 'named')
  t.equal((await app.inject({ url: '/' })).body, 'named')
})

const forwarded = {
  'x-forwarded-for': '1.1.1.1, 10.0.0.2',
  'x-forwarded-host': 'public.example:8443',
  'x-forwarded-proto': 'https'
}

t.test('options must be an object', async (t) => {
  t.throws(() => velox('nope' as any), { code: 'FST_ERR_OPTIONS_NOT_OBJ', message: 'Options must be an object' })
})

t.test('initialConfig reports the validated options with their defaults, frozen', async (t) => {
  const app = velox({ bodyLimit: 2048, connectionTimeout: 10, https: undefined })
  const config = app.initialConfig
  t.equal(config.bodyLimit, 2048)
  t.equal(config.connectionTimeout, 10)
  t.equal(config.keepAliveTimeout, 72000)
  t.equal(config.requestTimeout, 0)
  t.equal(config.caseSensitive, true)
  t.equal(config.ignoreTrailingSlash, false)
  t.equal(config.ignoreDuplicateSlashes, false)
  t.equal(config.maxParamLength, 100)
  t.equal(config.onProtoPoisoning, 'error')
  t.equal(config.onConstructorPoisoning, 'error')
  t.equal(config.pluginTimeout, 10000)
  t.equal(config.requestIdHeader, false)
  t.equal(config.requestIdLogLabel, 'reqId')
  t.equal(config.exposeHeadRoutes, true)
  t.equal(config.disableRequestLogging, false)
  t.ok(Object.isFrozen(config))
  t.equal(config.genReqId, undefined, 'functions are not reported')
})

t.test('initialConfig never exposes TLS material', async (t) => {
  // serverFactory keeps node from parsing the fake key material.
  const app = velox({ https: { key: 'secret key', cert: 'cert' }, serverFactory: (handler: any) => http.createServer(handler) })
  t.equal(app.initialConfig.https, true)
  const onlyFlag = velox({ https: { allowHTTP1: true }, serverFactory: (handler: any) => http.createServer(handler) })
  t.same(onlyFlag.initialConfig.https, { allowHTTP1: true })
})

t.test('an option of the wrong type throws FST_ERR_INIT_OPTS_INVALID when the app is created', async (t) => {
  t.throws(() => velox({ maxParamLength: 'long' }), {
    code: 'FST_ERR_INIT_OPTS_INVALID',
    message: "Invalid initialization options: 'maxParamLength must be integer'"
  })
  t.throws(() => velox({ caseSensitive: 'yes' }), { code: 'FST_ERR_INIT_OPTS_INVALID' })
  t.throws(() => velox({ requestIdHeader: {} }), { code: 'FST_ERR_INIT_OPTS_INVALID' })
  t.throws(() => velox({ genReqId: 'x' }), {
    code: 'FST_ERR_INIT_OPTS_INVALID',
    message: "Invalid initialization options: 'genReqId must be a function'"
  })
  t.throws(() => velox({ forceCloseConnections: 'sometimes' }), { code: 'FST_ERR_INIT_OPTS_INVALID' })
})

t.test('an invalid bodyLimit throws FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT, as in Fastify', async (t) => {
  t.throws(() => velox({ bodyLimit: -1 }), { code: 'FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT' })
})

t.test('a querystringParser that is not a function throws FST_ERR_QSP_NOT_FN', async (t) => {
  t.throws(() => velox({ querystringParser: 1 }), {
    code: 'FST_ERR_QSP_NOT_FN',
    message: "querystringParser option should be a function, instead got 'number'"
  })
})

t.test('option values are coerced as Fastify\'s validator coerces them', async (t) => {
  const app = velox({ pluginTimeout: '0', caseSensitive: 'false', requestIdHeader: 1, requestIdLogLabel: 7 } as any)
  t.equal(app.initialConfig.pluginTimeout, 0)
  t.equal(app.initialConfig.caseSensitive, false)
  t.equal(app.initialConfig.requestIdHeader, 'request-id')
  t.equal(app.initialConfig.requestIdLogLabel, '7')
  await app.ready()
})

t.test('routerOptions appear in initialConfig with their defaults, deep-frozen, the given object untouched', async (t) => {
  const routerOptions = { maxParamLength: 500, buildPrettyMeta: () => ({}) }
  const app = velox({ routerOptions })
  const config = app.initialConfig.routerOptions as Record<string, unknown>
  t.same({ ...config, buildPrettyMeta: undefined }, {
    maxParamLength: 500,
    buildPrettyMeta: undefined,
    compile: false,
    ignoreTrailingSlash: false,
    ignoreDuplicateSlashes: false,
    allowUnsafeRegex: false,
    useSemicolonDelimiter: false
  })
  t.equal(typeof config.buildPrettyMeta, 'function')
  t.ok(Object.isFrozen(config))
  t.notOk(Object.isFrozen(routerOptions))
  t.equal(velox().initialConfig.routerOptions, undefined)
  t.throws(() => velox({ routerOptions: { compile: 'yes' } } as any), { code: 'FST_ERR_INIT_OPTS_INVALID' })
})

t.test('querystringParser replaces the query string parser', async (t) => {
  const app = velox({ querystringParser: (raw: string) => ({ raw }) })
  app.get('/', async (req: any) => req.query)
  t.same((await app.inject('/?a=1&b')).json(), { raw: 'a=1&b' })
  t.same((await app.inject('/')).json(), { raw: '' })
})

t.test('routes are case sensitive by default', async (t) => {
  const app = velox()
  app.get('/Foo', async () => 'ok')
  t.equal((await app.inject('/Foo')).statusCode, 200)
  t.equal((await app.inject('/foo')).statusCode, 404)
})

t.test('caseSensitive: false matches paths in any case and keeps parameter values as sent', async (t) => {
  const app = velox({ caseSensitive: false })
  app.get('/Users/:name', async (req: any) => req.params)
  t.same((await app.inject('/users/AbC')).json(), { name: 'AbC' })
  t.same((await app.inject('/USERS/x')).json(), { name: 'x' })
})

t.test('ignoreTrailingSlash answers /foo and /foo/ with the same route', async (t) => {
  const strict = velox()
  strict.get('/foo', async () => 'ok')
  t.equal((await strict.inject('/foo/')).statusCode, 404)
  const lax = velox({ ignoreTrailingSlash: true })
  lax.get('/foo', async () => 'ok')
  t.equal((await lax.inject('/foo/')).body, 'ok')
  t.equal((await lax.inject('/foo')).body, 'ok')
})

t.test('ignoreDuplicateSlashes collapses repeated slashes', async (t) => {
  const strict = velox()
  strict.get('/foo/bar', async () => 'ok')
  t.equal((await strict.inject('//foo///bar')).statusCode, 404)
  const lax = velox({ ignoreDuplicateSlashes: true })
  lax.get('/foo/bar', async () => 'ok')
  t.equal((await lax.inject('//foo///bar')).body, 'ok')
})

t.test('maxParamLength bounds parameter values', async (t) => {
  const app = velox({ maxParamLength: 3 })
  app.get('/:id', async (req: any) => req.params.id)
  t.equal((await app.inject('/abc')).body, 'abc')
  t.equal((await app.inject('/abcd')).statusCode, 414)
})

t.test('requestIdHeader takes the request id from that header, else generates one', async (t) => {
  const app = velox({ requestIdHeader: 'X-Request-Id' })
  app.get('/', async (req: any) => req.id)
  t.equal((await app.inject({ url: '/', headers: { 'x-request-id': 'from-client' } })).body, 'from-client')
  t.equal((await app.inject('/')).body, 'req-1')
})

t.test('request ids ignore the request-id header unless requestIdHeader names it', async (t) => {
  const app = velox()
  app.get('/', async (req: any) => req.id)
  t.equal((await app.inject({ url: '/', headers: { 'request-id': 'spoofed' } })).body, 'req-1')
})

t.test('genReqId generates the request ids from the raw request', async (t) => {
  let n = 0
  const app = velox({ genReqId: (req: any) => `${req.method}-${++n}` })
  app.get('/', async (req: any) => req.id)
  t.equal((await app.inject('/')).body, 'GET-1')
  t.equal((await app.inject('/')).body, 'GET-2')
})

t.test('without trustProxy, X-Forwarded-* headers are ignored', async (t) => {
  const res = await ipInfo({}).inject({ url: '/', headers: forwarded, remoteAddress: '127.0.0.1' })
  t.same(res.json(), { ip: '127.0.0.1', ips: null, host: 'localhost:80', hostname: 'localhost', protocol: 'http' })
})

t.test('trustProxy: true trusts every hop', async (t) => {
  const res = await ipInfo({ trustProxy: true }).inject({ url: '/', headers: forwarded, remoteAddress: '127.0.0.1' })
  t.same(res.json(), {
    ip: '1.1.1.1',
    ips: ['127.0.0.1', '10.0.0.2', '1.1.1.1'],
    host: 'public.example:8443',
    hostname: 'public.example',
    protocol: 'https'
  })
})

t.test('trustProxy with a CIDR string trusts only proxies in that range', async (t) => {
  const app = ipInfo({ trustProxy: '127.0.0.1/8, 10.0.0.0/8' })
  const viaProxies = await app.inject({ url: '/', headers: forwarded, remoteAddress: '127.0.0.1' })
  t.same(viaProxies.json(), {
    ip: '1.1.1.1',
    ips: ['127.0.0.1', '10.0.0.2', '1.1.1.1'],
    host: 'public.example:8443',
    hostname: 'public.example',
    protocol: 'https'
  })
  const direct = await app.inject({ url: '/', headers: forwarded, remoteAddress: '8.8.8.8' })
  t.same(direct.json(), { ip: '8.8.8.8', ips: ['8.8.8.8'], host: 'localhost:80', hostname: 'localhost', protocol: 'http' },
    'a peer outside the range is the client, and its X-Forwarded-* headers are ignored')
})

t.test('trustProxy with an array stops at the first untrusted hop', async (t) => {
  const res = await ipInfo({ trustProxy: ['127.0.0.1'] }).inject({ url: '/', headers: forwarded, remoteAddress: '127.0.0.1' })
  t.same(res.json(), {
    ip: '10.0.0.2',
    ips: ['127.0.0.1', '10.0.0.2'],
    host: 'public.example:8443',
    hostname: 'public.example',
    protocol: 'https'
  })
})

t.test('trustProxy as a function is asked about each address and hop', async (t) => {
  const asked: Array<[string, number]> = []
  const trust = (address: string, hop: number): boolean => {
    asked.push([address, hop])
    return address === '127.0.0.1' || address === '10.0.0.2'
  }
  const res = await ipInfo({ trustProxy: trust }).inject({ url: '/', headers: forwarded, remoteAddress: '127.0.0.1' })
  t.equal(res.json().ip, '1.1.1.1')
  t.equal(res.json().protocol, 'https')
  t.ok(asked.some(([address, hop]) => address === '127.0.0.1' && hop === 0))
})

t.test('trustProxy as a hop count trusts nothing, as in Fastify 5', async (t) => {
  // A hop count cannot tell a proxy from a client that reaches the server directly.
  const res = await ipInfo({ trustProxy: 1 }).inject({ url: '/', headers: forwarded, remoteAddress: '127.0.0.1' })
  t.same(res.json(), { ip: '127.0.0.1', ips: ['127.0.0.1'], host: 'localhost:80', hostname: 'localhost', protocol: 'http' })
})

t.test('the last X-Forwarded-Host and X-Forwarded-Proto values win', async (t) => {
  const res = await ipInfo({ trustProxy: true }).inject({
    url: '/',
    headers: { 'x-forwarded-host': 'first.example, last.example', 'x-forwarded-proto': 'http, https' },
    remoteAddress: '127.0.0.1'
  })
  t.equal(res.json().host, 'last.example')
  t.equal(res.json().protocol, 'https')
})

t.test('rewriteUrl changes the URL the router matches and keeps the original on request.originalUrl', async (t) => {
  const app = velox({
    rewriteUrl (this: any, req: any) {
      t.equal(this, app, 'runs with the app as this')
      return req.url.replace(/^\/old\//, '/new/')
    }
  })
  app.get('/new/:id', async (req: any) => ({ url: req.url, originalUrl: req.originalUrl, params: req.params }))
  const res = await app.inject('/old/7?q=1')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { url: '/new/7?q=1', originalUrl: '/old/7?q=1', params: { id: '7' } })
  const missing = await app.inject('/old/x/y')
  t.equal(missing.json().message, 'Route GET:/new/x/y not found')
})

t.test('rewriteUrl can read req.originalUrl, set before it runs as in Fastify', async (t) => {
  const seen: unknown[] = []
  const app = velox({
    rewriteUrl (req: any) {
      seen.push(req.originalUrl)
      return '/b'
    }
  })
  app.get('/b', async (req: any) => ({ originalUrl: req.originalUrl }))
  const res = await app.inject('/a?x=1')
  t.same(res.json(), { originalUrl: '/a?x=1' })
  t.same(seen, ['/a?x=1'])
})

t.test('a rewriteUrl that returns no string drops the request with FST_ERR_ROUTE_REWRITE_NOT_STR', async (t) => {
  const app = velox({ rewriteUrl: () => 42 })
  app.get('/', async () => 'never')
  await t.rejects(app.inject('/'), {
    code: 'FST_ERR_ROUTE_REWRITE_NOT_STR',
    message: 'Rewrite url for "/" needs to be of type "string" but received "number"'
  })
})

t.test('without rewriteUrl, originalUrl equals url', async (t) => {
  const app = velox()
  app.get('/same', async (req: any) => ({ url: req.url, originalUrl: req.originalUrl }))
  t.same((await app.inject('/same?x=1')).json(), { url: '/same?x=1', originalUrl: '/same?x=1' })
})
