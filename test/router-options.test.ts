import t from 'tap'
import velox from '../lib/index.js'

t.test('routerOptions win over the top-level options of the same name, which win over the defaults', async (t) => {
  const app = velox({ ignoreTrailingSlash: false, caseSensitive: true, routerOptions: { ignoreTrailingSlash: true, caseSensitive: false } })
  app.get('/Items', async () => 'items')
  t.equal((await app.inject('/items/')).body, 'items')
  const top = velox({ maxParamLength: 5 })
  top.get('/p/:id', async () => 'ok')
  t.equal((await top.inject('/p/toolong')).statusCode, 414)
})

t.test('a defaultRoute in routerOptions answers what no route matches', async (t) => {
  const app = velox({
    routerOptions: {
      defaultRoute (_req: any, res: any) {
        res.statusCode = 404
        res.end('nothing here')
      }
    }
  })
  const res = await app.inject('/missing')
  t.equal(res.statusCode, 404)
  t.equal(res.body, 'nothing here')
})

t.test('a URL that cannot be decoded answers 400 FST_ERR_BAD_URL even when no route of its method exists', async (t) => {
  const app = velox()
  app.get('/hello/:id', async () => 'hi')
  const res = await app.inject({ method: 'DELETE', url: '/hello/%world' })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'Bad Request', code: 'FST_ERR_BAD_URL', message: "'/hello/%world' is not a valid url component", statusCode: 400 })
  const custom = velox({ routerOptions: { onBadUrl (path: string, _req: any, res: any) { res.statusCode = 400; res.end(`bad ${path}`) } } })
  t.equal((await custom.inject('/x/%zz')).body, 'bad /x/%zz')
})

t.test('querystringParser in routerOptions parses the query', async (t) => {
  const app = velox({ routerOptions: { querystringParser: (s: string) => ({ raw: s }) } })
  app.get('/', async (request: any) => request.query)
  t.same((await app.inject('/?a=1')).json(), { raw: 'a=1' })
  t.throws(() => velox({ routerOptions: { querystringParser: 'no' } } as any), { code: 'FST_ERR_QSP_NOT_FN' })
})

t.test('printRoutes shows hooks and the error handler by their function names', async (t) => {
  const app = velox()
  app.addHook('onRequest', function checkAuth (_req: any, _reply: any, done: any) { done() })
  app.get('/a', async () => 'a')
  await app.ready()
  t.equal(app.printRoutes({ includeHooks: true, includeMeta: ['errorHandler'] }), [
    '└── /',
    '    └── a (GET)',
    '        • (onRequest) ["checkAuth()"]',
    '        • (errorHandler) "defaultErrorHandler()"',
    '        a (HEAD)',
    '        • (onRequest) ["checkAuth()"]',
    '        • (onSend) ["headRouteOnSendHandler()"]',
    '        • (errorHandler) "defaultErrorHandler()"',
    ''
  ].join('\n'))
})

t.test('routerOptions.compile compiles the route table at ready() and routing still works', async (t) => {
  const app = velox({ routerOptions: { compile: true } })
  app.get('/users/:id', async (request: any) => request.params.id)
  t.equal((await app.inject('/users/42')).body, '42')
})

const tenantStrategy = (derive: (req: any, ctx: any, done?: any) => unknown): Record<string, unknown> => ({
  name: 'tenant',
  storage () {
    const stores = new Map()
    return { get: (key: string) => stores.get(key) ?? null, set: (key: string, store: unknown) => { stores.set(key, store) } }
  },
  deriveConstraint: derive,
  mustMatchWhenDerived: true
})

t.test('addConstraintStrategy adds a constraint routes can use; hasConstraintStrategy tells it is there', async (t) => {
  const app = velox()
  t.equal(app.hasConstraintStrategy('tenant'), false)
  app.addConstraintStrategy(tenantStrategy((req: any) => req.headers['x-tenant']))
  t.equal(app.hasConstraintStrategy('tenant'), true)
  t.throws(() => app.addConstraintStrategy(tenantStrategy(() => 'x')), /already exists/)
  app.get('/', { constraints: { tenant: 'acme' } }, async () => 'acme')
  t.equal((await app.inject({ url: '/', headers: { 'x-tenant': 'acme' } })).body, 'acme')
  t.equal((await app.inject({ url: '/', headers: { 'x-tenant': 'other' } })).statusCode, 404)
  t.equal((await app.inject({ method: 'HEAD', url: '/', headers: { 'x-tenant': 'acme' } })).statusCode, 200)
  await app.ready()
  t.throws(() => app.addConstraintStrategy({ ...tenantStrategy(() => 'x'), name: 'late' }), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
})

t.test('an async constraint is awaited; one that fails answers 500, or frameworkErrors with FST_ERR_ASYNC_CONSTRAINT', async (t) => {
  const derive = (req: any, _ctx: any, done: any): void => {
    setImmediate(() => req.headers['x-tenant'] === 'boom' ? done(new Error('lookup failed')) : done(null, req.headers['x-tenant']))
  }
  const app = velox()
  app.addConstraintStrategy(tenantStrategy(derive))
  app.get('/', { constraints: { tenant: 'acme' } }, async () => 'acme')
  t.equal((await app.inject({ url: '/', headers: { 'x-tenant': 'acme' } })).body, 'acme')
  const failed = await app.inject({ url: '/', headers: { 'x-tenant': 'boom' } })
  t.equal(failed.statusCode, 500)
  t.same(failed.json(), { error: 'Internal Server Error', message: 'Unexpected error from async constraint', statusCode: 500 })
  const handled = velox({ frameworkErrors: (error: any, _req: any, reply: any) => { reply.code(503).send(error.code) } })
  handled.addConstraintStrategy(tenantStrategy(derive))
  handled.get('/', { constraints: { tenant: 'acme' } }, async () => 'acme')
  const res = await handled.inject({ url: '/', headers: { 'x-tenant': 'boom' } })
  t.equal(res.statusCode, 503)
  t.equal(res.body, 'FST_ERR_ASYNC_CONSTRAINT')
})
