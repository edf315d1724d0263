import t from 'tap'
import { Readable } from 'node:stream'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'

t.test('each shorthand registers its method and answers only that method', async (t) => {
  const app = velox()
  for (const method of ['get', 'post', 'put', 'delete', 'options', 'patch']) {
    app[method]('/' + method, async (req: any) => ({ method: req.method }))
  }
  app.head('/head', async (_req: any, reply: any) => { reply.header('x-head', 'yes').send() })
  for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
    const res = await app.inject({ method, url: '/' + method.toLowerCase() })
    t.equal(res.statusCode, 200, method)
    t.same(res.json(), { method }, method)
  }
  const head = await app.inject({ method: 'HEAD', url: '/head' })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['x-head'], 'yes')
  const wrong = await app.inject({ method: 'PUT', url: '/get' })
  t.equal(wrong.statusCode, 404)
})

t.test('route() takes a method array and registers each method', async (t) => {
  const app = velox()
  app.route({ method: ['GET', 'post'], url: '/multi', handler: async (req: any) => req.method })
  t.equal((await app.inject({ method: 'GET', url: '/multi' })).body, 'GET')
  t.equal((await app.inject({ method: 'POST', url: '/multi' })).body, 'POST')
  t.equal((await app.inject({ method: 'PUT', url: '/multi' })).statusCode, 404)
  // GET in the array brings its HEAD route along.
  const head = await app.inject({ method: 'HEAD', url: '/multi' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
})

t.test('all() answers every method Fastify 5 lists', async (t) => {
  const app = velox()
  app.all('/any', async (req: any) => req.method)
  for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
    const res = await app.inject({ method, url: '/any' })
    t.equal(res.statusCode, 200, method)
    t.equal(res.body, method, method)
  }
  const head = await app.inject({ method: 'HEAD', url: '/any' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
})

t.test('URL parameters, wildcards, regular expressions and multi-parameters are captured', async (t) => {
  const app = velox()
  app.get('/users/:id', async (req: any) => req.params)
  app.get('/users/:id/books/:bookId', async (req: any) => req.params)
  app.get('/files/*', async (req: any) => req.params)
  app.get('/numbers/:n(^\\d+)', async (req: any) => req.params)
  app.get('/range/:from-:to', async (req: any) => req.params)
  app.get('/at/:lat(^\\d+)-:lng(^\\d+)', async (req: any) => req.params)

  t.same((await app.inject('/users/42')).json(), { id: '42' })
  t.same((await app.inject('/users/7/books/9')).json(), { id: '7', bookId: '9' })
  t.same((await app.inject('/files/a/b/c.txt')).json(), { '*': 'a/b/c.txt' })
  t.same((await app.inject('/numbers/123')).json(), { n: '123' })
  t.equal((await app.inject('/numbers/abc')).statusCode, 404)
  t.same((await app.inject('/range/10-20')).json(), { from: '10', to: '20' })
  t.same((await app.inject('/at/12-34')).json(), { lat: '12', lng: '34' })
  // Parameters are percent-decoded.
  t.same((await app.inject('/users/a%20b')).json(), { id: 'a b' })
})

t.test('the query string is parsed into request.query, repeated keys become arrays', async (t) => {
  const app = velox()
  app.get('/q', async (req: any) => req.query)
  t.same((await app.inject('/q?a=1&b=two&a=3')).json(), { a: ['1', '3'], b: 'two' })
  t.same((await app.inject('/q')).json(), {})
  t.same((await app.inject('/q?flag')).json(), { flag: '' })
})

t.test('a GET route gets a HEAD route with the same headers and no body', async (t) => {
  const app = velox()
  app.get('/doc', async (_req: any, reply: any) => {
    reply.header('x-custom', 'abc')
    return { hello: 'world' }
  })
  const get = await app.inject('/doc')
  const head = await app.inject({ method: 'HEAD', url: '/doc' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.equal(head.headers['x-custom'], 'abc')
  t.equal(head.headers['content-type'], get.headers['content-type'])
  t.equal(head.headers['content-length'], get.headers['content-length'])
  t.equal(get.headers['content-length'], String(Buffer.byteLength('{"hello":"world"}')))
})

t.test('exposeHeadRoute: false on a route leaves HEAD unanswered', async (t) => {
  const app = velox()
  app.get('/no-head', { exposeHeadRoute: false }, async () => 'x')
  const res = await app.inject({ method: 'HEAD', url: '/no-head' })
  t.equal(res.statusCode, 404)
})

t.test('exposeHeadRoutes: false on the factory turns automatic HEAD routes off', async (t) => {
  const app = velox({ exposeHeadRoutes: false })
  app.get('/a', async () => 'a')
  app.get('/b', { exposeHeadRoute: true }, async () => 'b')
  t.equal((await app.inject({ method: 'HEAD', url: '/a' })).statusCode, 404)
  t.equal((await app.inject({ method: 'HEAD', url: '/b' })).statusCode, 200)
})

t.test('an explicit HEAD route declared before the GET is kept', async (t) => {
  const app = velox()
  app.head('/thing', async (_req: any, reply: any) => { reply.header('x-from', 'head').send() })
  app.get('/thing', async () => 'get body')
  const res = await app.inject({ method: 'HEAD', url: '/thing' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-from'], 'head')
})

t.test('an explicit HEAD route declared after the GET replaces the generated one', async (t) => {
  const app = velox()
  app.get('/thing', async () => 'get body')
  app.head('/thing', async (_req: any, reply: any) => { reply.header('x-from', 'head').send() })
  const res = await app.inject({ method: 'HEAD', url: '/thing' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-from'], 'head')
  t.equal((await app.inject('/thing')).body, 'get body')
})

t.test('declaring the same method and URL twice throws FST_ERR_DUPLICATED_ROUTE at once', async (t) => {
  const app = velox()
  app.get('/dup', async () => 'a')
  t.throws(() => app.get('/dup', async () => 'b'), {
    code: 'FST_ERR_DUPLICATED_ROUTE',
    message: "Method 'GET' already declared for route '/dup'"
  })
  t.throws(() => app.route({ method: ['POST', 'GET'], url: '/dup', handler: async () => 'c' }), {
    code: 'FST_ERR_DUPLICATED_ROUTE'
  })
})

t.test('a route without a handler throws FST_ERR_ROUTE_MISSING_HANDLER', async (t) => {
  const app = velox()
  t.throws(() => app.route({ method: 'GET', url: '/' }), {
    code: 'FST_ERR_ROUTE_MISSING_HANDLER',
    message: 'Missing handler function for "GET:/" route.'
  })
  t.throws(() => app.get('/x'), { code: 'FST_ERR_ROUTE_MISSING_HANDLER' })
  t.throws(() => app.get('/y', {}), { code: 'FST_ERR_ROUTE_MISSING_HANDLER' })
})

t.test('an unknown or malformed method is refused', async (t) => {
  const app = velox()
  t.throws(() => app.route({ method: 'FOO', url: '/', handler: () => 'x' }), {
    code: 'FST_ERR_ROUTE_METHOD_NOT_SUPPORTED',
    message: 'FOO method is not supported.'
  })
  t.throws(() => app.route({ method: 1, url: '/', handler: () => 'x' }), {
    code: 'FST_ERR_ROUTE_METHOD_INVALID',
    message: 'Provided method is invalid!'
  })
  t.throws(() => app.route({ url: '/', handler: () => 'x' }), { code: 'FST_ERR_ROUTE_METHOD_INVALID' })
})

t.test('a method given in lower case is normalized', async (t) => {
  const app = velox()
  app.route({ method: 'post', url: '/lower', handler: async (req: any) => req.method })
  t.equal((await app.inject({ method: 'POST', url: '/lower' })).body, 'POST')
})

t.test('a URL that is not a string, or not rooted, is refused', async (t) => {
  const app = velox()
  t.throws(() => app.route({ method: 'GET', url: 42, handler: () => 'x' }), {
    code: 'FST_ERR_INVALID_URL',
    message: "URL must be a string. Received 'number'"
  })
  t.throws(() => app.get('no-slash', () => 'x'), /first character of a path should be `\/` or `\*`/)
})

t.test('shorthands accept (url, handler) and (url, options, handler)', async (t) => {
  const app = velox()
  app.get('/two', async () => 'two')
  app.get('/three', { config: { name: 'three' } }, async (req: any) => req.routeOptions.config.name)
  app.get('/in-options', { handler: async () => 'from options' })
  t.equal((await app.inject('/two')).body, 'two')
  t.equal((await app.inject('/three')).body, 'three')
  t.equal((await app.inject('/in-options')).body, 'from options')
})

t.test('a handler both in the options and as the third argument throws FST_ERR_ROUTE_DUPLICATED_HANDLER', async (t) => {
  const app = velox()
  t.throws(() => app.get('/', { handler: () => 'a' }, () => 'b'), {
    code: 'FST_ERR_ROUTE_DUPLICATED_HANDLER',
    message: 'Duplicate handler for "GET:/" route is not allowed!'
  })
})

t.test('shorthand options that are not an object throw FST_ERR_ROUTE_OPTIONS_NOT_OBJ', async (t) => {
  const app = velox()
  t.throws(() => app.get('/', 'nope', () => 'b'), {
    code: 'FST_ERR_ROUTE_OPTIONS_NOT_OBJ',
    message: 'Options for "GET:/" route must be an object'
  })
  // With a handler third, a missing options object is an error too, as in Fastify.
  for (const options of [undefined, null, [], 1]) {
    t.throws(() => app.get('/x', options as any, () => 'b'), { code: 'FST_ERR_ROUTE_OPTIONS_NOT_OBJ' }, String(options))
  }
  t.throws(() => app.get('/y', { handler: 'nope' } as any, () => 'b'), { code: 'FST_ERR_ROUTE_HANDLER_NOT_FN' })
})

t.test('a route errorHandler that is not a function throws FST_ERR_ROUTE_HANDLER_NOT_FN', async (t) => {
  const app = velox()
  t.throws(() => app.get('/', { errorHandler: 1 }, () => 'x'), {
    code: 'FST_ERR_ROUTE_HANDLER_NOT_FN',
    message: 'Error Handler for GET:/ route, if defined, must be a function'
  })
})

t.test('a route bodyLimit that is not a positive integer throws FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT', async (t) => {
  const app = velox()
  t.throws(() => app.post('/', { bodyLimit: -1 }, () => 'x'), {
    code: 'FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT',
    message: "'bodyLimit' option must be an integer > 0. Got '-1'"
  })
})

t.test('a body schema on a GET route throws FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED', async (t) => {
  const app = velox()
  t.throws(() => app.get('/', { schema: { body: { type: 'object' } } }, () => 'x'), {
    code: 'FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED',
    message: 'Body validation schema for GET:/ route is not supported!'
  })
})

t.test('routes cannot be added once the app is ready', async (t) => {
  const app = velox()
  await app.ready()
  t.throws(() => app.get('/late', () => 'x'), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
})

t.test('route config is visible on request.routeOptions.config with url and method', async (t) => {
  const app = velox()
  app.get('/cfg/:id', { config: { feature: 'x', limit: 3 } }, async (req: any) => ({
    config: req.routeOptions.config,
    url: req.routeOptions.url,
    method: req.routeOptions.method
  }))
  t.same((await app.inject('/cfg/1')).json(), {
    config: { feature: 'x', limit: 3, url: '/cfg/:id', method: 'GET' },
    url: '/cfg/:id',
    method: 'GET'
  })
})

t.test('the route handler runs with the plugin instance as this', async (t) => {
  const app = velox()
  app.decorate('who', 'root')
  app.register(async (child: any) => {
    child.decorate('inner', true)
    child.get('/this', function (this: any) { return { who: this.who, inner: this.inner } })
  })
  t.same((await app.inject('/this')).json(), { who: 'root', inner: true })
})

t.test('logLevel on a route filters that route\'s request logs', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/quiet', { logLevel: 'warn' }, async (req: any) => {
    req.log.info('not shown')
    req.log.warn('shown')
    return 'ok'
  })
  app.get('/loud', { logLevel: 'debug' }, async (req: any) => {
    req.log.debug('debug shown')
    return 'ok'
  })
  await app.inject('/quiet')
  const quiet = lines.splice(0)
  t.same(quiet.map((l) => l.msg), ['shown'])
  t.equal(quiet[0].level, 40)
  await app.inject('/loud')
  t.same(lines.map((l) => l.msg), ['incoming request', 'debug shown', 'request completed'])
  t.equal(app.log.level, 'info', 'the app logger keeps its level')
})

t.test('printRoutes draws the route tree with its methods', async (t) => {
  const app = velox()
  const handler = async (): Promise<string> => 'x'
  app.get('/', handler)
  app.get('/users/:id', handler)
  app.post('/users', handler)
  app.register(async (child: any) => { child.get('/items', handler) }, { prefix: '/v1' })
  await app.ready()
  t.equal(app.printRoutes(), [
    '└── / (GET, HEAD)',
    '    ├── users (POST)',
    '    │   └── /',
    '    │       └── :id (GET, HEAD)',
    '    └── v1/items (GET, HEAD)',
    ''
  ].join('\n'))
  t.equal(app.printRoutes({ method: 'POST' }), '└── /\n    └── users (POST)\n')
})

t.test('hasRoute tells whether a method and URL pattern is registered', async (t) => {
  const app = velox()
  app.get('/users/:id', async () => 'x')
  t.equal(app.hasRoute({ method: 'GET', url: '/users/:id' }), true)
  t.equal(app.hasRoute({ method: 'get', url: '/users/:id' }), true)
  t.equal(app.hasRoute({ method: 'HEAD', url: '/users/:id' }), true)
  t.equal(app.hasRoute({ method: 'GET', url: '/users/1' }), false, 'patterns, not URLs')
  t.equal(app.hasRoute({ method: 'POST', url: '/users/:id' }), false)
})

t.test('findRoute returns the handler and the parameters matched by the URL, or null', async (t) => {
  const app = velox()
  const handler = async (): Promise<string> => 'x'
  app.get('/artists/:artistId', handler)
  const found = app.findRoute({ method: 'GET', url: '/artists/:artistId' })
  t.equal(found.handler, handler)
  t.same({ ...found.params }, { artistId: ':artistId' })
  t.same(Object.keys(found).sort(), ['handler', 'params', 'searchParams'])
  t.equal(app.findRoute({ method: 'GET', url: '/nothing' }), null)
})

t.test('a route registered in a prefixed plugin answers on the prefix with and without a slash', async (t) => {
  const app = velox()
  app.register(async (child: any) => {
    child.get('/', async (req: any) => ({ url: req.url, route: req.routeOptions.url }))
    child.get('/list', async () => 'list')
  }, { prefix: '/v1' })
  t.same((await app.inject('/v1')).json(), { url: '/v1', route: '/v1' })
  t.equal((await app.inject('/v1/')).statusCode, 200)
  t.equal((await app.inject('/v1/list')).body, 'list')
})

t.test('an unknown method is named in upper case in the error, as Fastify names it', async (t) => {
  const app = velox()
  t.throws(() => app.route({ method: 'foo', url: '/', handler: () => 'x' }), { message: 'FOO method is not supported.' })
})

t.test('the HEAD route of a GET that sends nothing reports content-length 0', async (t) => {
  const app = velox()
  app.get('/empty', async (_req: any, reply: any) => { reply.send() })
  const head = await app.inject({ method: 'HEAD', url: '/empty' })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], '0')
  t.equal(head.body, '')
})

t.test('the HEAD route of a GET that streams sends the headers and no body', async (t) => {
  const app = velox()
  app.get('/stream', async (_req: any, reply: any) => reply.type('text/plain').send(Readable.from(['a', 'b'])))
  const head = await app.inject({ method: 'HEAD', url: '/stream' })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-type'], 'text/plain')
  t.equal(head.body, '')
})

t.test('hasRoute and findRoute without a method or a URL find nothing rather than throwing', async (t) => {
  const app = velox()
  app.get('/a', async () => 'a')
  t.equal(app.hasRoute({} as any), false)
  t.equal(app.hasRoute({ method: 'GET' } as any), false)
  t.equal(app.findRoute({ url: '/a' } as any), null)
  t.equal(app.hasRoute({ method: 'get', url: '/a' }), true)
})

t.test('withTypeProvider() returns the instance itself', async (t) => {
  const app = velox()
  t.equal(app.withTypeProvider(), app)
})
