import t from 'tap'
import http from 'node:http'
import { once } from 'node:events'
import velox from '../lib/index.js'

t.test('request exposes id, params, query, headers, body, method and urls', async (t) => {
  const app = velox()
  app.post('/items/:id', async (req: any) => ({
    id: req.id,
    params: req.params,
    query: req.query,
    header: req.headers['x-thing'],
    body: req.body,
    method: req.method,
    url: req.url,
    originalUrl: req.originalUrl,
    rawHeaders: req.raw.headers === req.headers,
    rawUrl: req.raw.url
  }))
  const res = await app.inject({
    method: 'POST',
    url: '/items/7?sort=asc',
    headers: { 'x-thing': 'abc' },
    payload: { name: 'x' }
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    id: 'req-1',
    params: { id: '7' },
    query: { sort: 'asc' },
    header: 'abc',
    body: { name: 'x' },
    method: 'POST',
    url: '/items/7?sort=asc',
    originalUrl: '/items/7?sort=asc',
    rawHeaders: true,
    rawUrl: '/items/7?sort=asc'
  })
})

t.test('request ids count up per app in base 36: req-1, req-2', async (t) => {
  const app = velox()
  app.get('/', async (req: any) => req.id)
  t.equal((await app.inject('/')).body, 'req-1')
  t.equal((await app.inject('/')).body, 'req-2')
  const other = velox()
  other.get('/', async (req: any) => req.id)
  t.equal((await other.inject('/')).body, 'req-1', 'a second app has its own counter')
})

t.test('request.ip is the peer address and ips is undefined without trustProxy', async (t) => {
  const app = velox()
  app.get('/', async (req: any) => ({ ip: req.ip, ips: req.ips ?? 'none', socket: req.socket === req.raw.socket }))
  const res = await app.inject({ url: '/', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '1.1.1.1' } })
  t.same(res.json(), { ip: '10.1.2.3', ips: 'none', socket: true })
})

t.test('host, hostname and port come from the Host header', async (t) => {
  const app = velox()
  app.get('/', async (req: any) => ({ host: req.host, hostname: req.hostname, port: req.port, protocol: req.protocol }))
  t.same((await app.inject({ url: '/', headers: { host: 'example.com:8080' } })).json(),
    { host: 'example.com:8080', hostname: 'example.com', port: 8080, protocol: 'http' })
  t.same((await app.inject({ url: '/', headers: { host: 'example.com' } })).json(),
    { host: 'example.com', hostname: 'example.com', port: null, protocol: 'http' }, 'no port in the header: null')
  t.same((await app.inject({ url: '/', headers: { host: '[::1]:3000' } })).json(),
    { host: '[::1]:3000', hostname: '[::1]', port: 3000, protocol: 'http' }, 'IPv6 literals keep their brackets')
})

t.test('request.log is a child logger carrying the request id', async (t) => {
  const lines: any[] = []
  const app = velox({ logger: { level: 'info', stream: { write: (l: string) => { lines.push(JSON.parse(l)) } } } })
  app.get('/', async (req: any, reply: any) => {
    req.log.info({ extra: 1 }, 'inside')
    return { same: req.log === reply.log, childOfApp: req.log !== app.log }
  })
  t.same((await app.inject('/')).json(), { same: true, childOfApp: true })
  const inside = lines.find((l) => l.msg === 'inside')
  t.equal(inside.reqId, 'req-1')
  t.equal(inside.extra, 1)
})

t.test('request.routeOptions describes the matched route', async (t) => {
  const app = velox()
  const schema = { querystring: { type: 'object', properties: { a: { type: 'string' } } } }
  app.get('/r/:id', { schema, config: { x: 1 }, bodyLimit: 512, logLevel: 'warn' }, async (req: any) => {
    const o = req.routeOptions
    return {
      method: o.method,
      url: o.url,
      bodyLimit: o.bodyLimit,
      config: o.config,
      hasSchema: o.schema.querystring !== undefined,
      logLevel: o.logLevel,
      exposeHeadRoute: o.exposeHeadRoute,
      attachValidation: o.attachValidation,
      prefixTrailingSlash: o.prefixTrailingSlash,
      handlerIsFunction: typeof o.handler === 'function',
      frozen: Object.isFrozen(o)
    }
  })
  t.same((await app.inject('/r/1')).json(), {
    method: 'GET',
    url: '/r/:id',
    bodyLimit: 512,
    config: { x: 1, url: '/r/:id', method: 'GET' },
    hasSchema: true,
    logLevel: 'warn',
    exposeHeadRoute: true,
    attachValidation: false,
    prefixTrailingSlash: 'both',
    handlerIsFunction: true,
    frozen: true
  })
})

t.test('request.routeOptions gives the method and url as declared: the array of a multi-method route, the url before onRoute hooks, the prefix for /prefix/', async (t) => {
  const app = velox()
  app.addHook('onRoute', (route: any) => { if (route.url === '/old') route.url = '/new' })
  const describe = async (req: any) => ({ method: req.routeOptions.method, url: req.routeOptions.url, config: req.routeOptions.config })
  app.route({ method: ['GET', 'POST'], url: '/multi', handler: describe })
  app.get('/old', describe)
  app.register(async (p: any) => { p.get('/', describe) }, { prefix: '/pre' })
  t.same((await app.inject({ method: 'POST', url: '/multi' })).json(), { method: ['GET', 'POST'], url: '/multi', config: { url: '/multi', method: ['GET', 'POST'] } })
  t.same((await app.inject('/new')).json(), { method: 'GET', url: '/old', config: { url: '/old', method: 'GET' } })
  t.same((await app.inject('/pre/')).json(), { method: 'GET', url: '/pre', config: { url: '/pre', method: 'GET' } })
})

t.test('in a not-found handler, request.routeOptions has no url or method and an empty config, as in Fastify', async (t) => {
  const app = velox()
  app.register(async (p: any) => {
    p.setNotFoundHandler(async (req: any) => ({ url: req.routeOptions.url ?? null, method: req.routeOptions.method ?? null, config: req.routeOptions.config }))
  }, { prefix: '/p' })
  app.addHook('onRequest', async (req: any, reply: any) => { if (req.url === '/nope') reply.header('x-url', String(req.routeOptions.url)) })
  const res = await app.inject('/p/nope')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { url: null, method: null, config: {} })
  t.equal((await app.inject('/nope')).headers['x-url'], 'undefined', 'the default 404 too')
})

t.test('routeOptions has the server defaults when the route sets none', async (t) => {
  const app = velox({ bodyLimit: 2048 })
  app.get('/', async (req: any) => ({
    bodyLimit: req.routeOptions.bodyLimit,
    logLevel: req.routeOptions.logLevel,
    schema: req.routeOptions.schema ?? null
  }))
  t.same((await app.inject('/')).json(), { bodyLimit: 2048, logLevel: '', schema: null })
})

t.test('request.is404 is true only inside the not-found handler', async (t) => {
  const app = velox()
  app.get('/', async (req: any) => ({ is404: req.is404 }))
  app.setNotFoundHandler(async (req: any, reply: any) => reply.code(404).send({ is404: req.is404 }))
  t.same((await app.inject('/')).json(), { is404: false })
  const missing = await app.inject('/missing')
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { is404: true })
})

t.test('request.server is the instance of the plugin that declared the route', async (t) => {
  const app = velox()
  let pluginInstance: any
  app.register(async (child: any) => {
    pluginInstance = child
    child.get('/in-plugin', async (req: any) => ({ same: req.server === pluginInstance, root: req.server === app }))
  })
  app.get('/root', async (req: any) => ({ root: req.server === app }))
  t.same((await app.inject('/in-plugin')).json(), { same: true, root: false })
  t.same((await app.inject('/root')).json(), { root: true })
})

t.test('GET and HEAD bodies are not read', async (t) => {
  const app = velox()
  app.get('/', async (req: any) => ({ body: req.body ?? 'none' }))
  const res = await app.inject({ method: 'GET', url: '/', payload: '{"a":1}', headers: { 'content-type': 'application/json' } })
  t.same(res.json(), { body: 'none' })
})

t.test('request.signal aborts when the client disconnects before the reply', async (t) => {
  const app = velox()
  let entered: () => void
  const handlerEntered = new Promise<void>((resolve) => { entered = resolve })
  let aborted: (reason: string) => void
  const signalAborted = new Promise<string>((resolve) => { aborted = resolve })
  app.get('/wait', async (req: any, reply: any) => {
    const signal: AbortSignal = req.signal
    t.equal(signal.aborted, false, 'not aborted while the client waits')
    signal.addEventListener('abort', () => { aborted('aborted') })
    entered()
    await once(signal, 'abort')
    reply.hijack()
  })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address()
  const clientReq = http.get({ host: '127.0.0.1', port, path: '/wait' })
  clientReq.on('error', () => {})
  await handlerEntered
  clientReq.destroy()
  t.equal(await signalAborted, 'aborted')
})

t.test('request.signal stays quiet for a request that completes', async (t) => {
  const app = velox()
  let signal: AbortSignal | undefined
  app.get('/', async (req: any) => {
    signal = req.signal
    return 'done'
  })
  const res = await app.inject('/')
  t.equal(res.body, 'done')
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(signal?.aborted, false)
})

t.test('request.mediaType is the Content-Type without parameters, lower-cased, undefined without one', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  app.post('/', { preValidation: (request: any, _reply: any, done: any) => { seen.push(request.mediaType); done() } }, async (request: any) => {
    seen.push(request.mediaType)
    return 'ok'
  })
  app.get('/', async (request: any) => String(request.mediaType))
  await app.inject({ method: 'POST', url: '/', payload: '{}', headers: { 'content-type': ' Application/JSON ; charset=utf-8' } })
  t.same(seen, ['application/json', 'application/json'])
  t.equal((await app.inject('/')).body, 'undefined')
})
