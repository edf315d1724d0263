import t from 'tap'
import fp from 'fastify-plugin'
import velox from '../lib/index.js'

t.test('onRoute', async (t) => {
  t.test('receives the route options with the full url, the prefix and the path inside the plugin', async (t) => {
    const app = velox()
    const seen: unknown[] = []
    app.addHook('onRoute', (route: any) => {
      seen.push({ method: route.method, url: route.url, path: route.path, routePath: route.routePath, prefix: route.prefix })
    })
    app.register(async (i: any) => { i.get('/users', async () => 'u') }, { prefix: '/v1' })
    await app.ready()
    t.same(seen, [
      { method: 'GET', url: '/v1/users', path: '/v1/users', routePath: '/users', prefix: '/v1' },
      { method: 'HEAD', url: '/v1/users', path: '/v1/users', routePath: '/users', prefix: '/v1' }
    ])
  })

  t.test('runs once per route and method, also for ancestors\' hooks inside nested plugins', async (t) => {
    const app = velox({ exposeHeadRoutes: false })
    const seen: string[] = []
    app.addHook('onRoute', (route: any) => { seen.push(`root ${route.url}`) })
    app.register(async (a: any) => {
      a.addHook('onRoute', (route: any) => { seen.push(`a ${route.url}`) })
      a.register(async (b: any) => { b.get('/deep', async () => 'd') })
    })
    await app.ready()
    t.same(seen, ['root /deep', 'a /deep'])
  })

  t.test('may change the handler, the url, the config and the route hooks', async (t) => {
    const app = velox()
    const calls: string[] = []
    app.addHook('onRoute', (route: any) => {
      if (route.url === '/old') route.url = '/new'
      if (route.config?.replace === true) route.handler = async () => 'replaced'
      route.config = { ...route.config, tagged: true }
      // As given: a function, an array, or nothing (onRoute runs before route hooks are normalized).
      route.preHandler = [].concat(route.preHandler ?? [], async () => { calls.push('added preHandler') })
    })
    app.get('/old', async () => 'moved')
    app.get('/swap', { config: { replace: true } }, async () => 'original')
    app.get('/cfg', { preHandler: async () => { calls.push('own preHandler') } }, async (req: any) => req.routeOptions.config)
    t.equal((await app.inject('/old')).statusCode, 404)
    t.equal((await app.inject('/new')).body, 'moved')
    t.equal((await app.inject('/swap')).body, 'replaced')
    t.same((await app.inject('/cfg')).json(), { tagged: true, url: '/cfg', method: 'GET' })
    t.same(calls, ['added preHandler', 'added preHandler', 'own preHandler', 'added preHandler'])
  })

  t.test("sees logLevel '' when neither the route nor a plugin sets one, else the route's or the plugin's", async (t) => {
    const app = velox()
    const seen: Record<string, unknown> = {}
    app.addHook('onRoute', (route: any) => { seen[route.url] = route.logLevel })
    app.get('/plain', async () => 'x')
    app.get('/own', { logLevel: 'debug' }, async () => 'x')
    app.register(async (p: any) => { p.get('/inherited', async () => 'x') }, { logLevel: 'warn' })
    await app.ready()
    t.same(seen, { '/plain': '', '/own': 'debug', '/inherited': 'warn' })
  })

  t.test('the options it got show the normalized schema once the route is added, the caller\'s object unchanged (@fastify/swagger reads them later)', async (t) => {
    const app = velox()
    let seen: any
    app.addHook('onRoute', (route: any) => { seen = route })
    const query = { type: 'object', properties: { q: { type: 'string' } } }
    const schema = { query }
    app.get('/search', { schema }, async () => 'x')
    await app.ready()
    t.equal(seen.schema.querystring, query)
    t.same(Object.keys(schema), ['query'], 'the schema object the route was declared with is not changed')
  })

  t.test('runs once for a route with several methods, with the method array', async (t) => {
    const app = velox()
    const seen: unknown[] = []
    app.addHook('onRoute', (route: any) => { seen.push(route.method) })
    app.route({ method: ['GET', 'post'], url: '/both', handler: async () => 'x' })
    await app.ready()
    t.same(seen, [['GET', 'POST'], 'HEAD'])
    t.equal((await app.inject({ method: 'POST', url: '/both' })).body, 'x')
  })

  t.test('route hook options are checked after the onRoute hooks, which may replace an invalid one', async (t) => {
    const app = velox({ exposeHeadRoutes: false })
    const calls: string[] = []
    app.addHook('onRoute', (route: any) => {
      if (route.url === '/fixed') route.onRequest = async () => { calls.push('onRequest from onRoute') }
    })
    app.get('/fixed', { onRequest: null }, async () => 'fixed')
    t.throws(() => app.get('/broken', { onRequest: null }, async () => 'x'), { code: 'FST_ERR_HOOK_INVALID_HANDLER' })
    t.equal((await app.inject('/fixed')).body, 'fixed')
    t.same(calls, ['onRequest from onRoute'])
  })

  t.test("a plugin's onRoute hook does not see the routes of its parent or siblings", async (t) => {
    const app = velox({ exposeHeadRoutes: false })
    const seen: string[] = []
    app.register(async (c: any) => {
      c.addHook('onRoute', (route: any) => { seen.push(route.url) })
      c.get('/child', async () => 'c')
    })
    app.register(async (s: any) => { s.get('/sibling', async () => 's') })
    app.get('/root', async () => 'r')
    await app.ready()
    t.same(seen, ['/child'])
  })

  t.test('an onRoute hook added by a fastify-plugin plugin sees the routes of its parent', async (t) => {
    const app = velox({ exposeHeadRoutes: false })
    const seen: string[] = []
    app.get('/early', async () => 'e')
    app.register(fp(async (i: any) => { i.addHook('onRoute', (route: any) => { seen.push(route.url) }) }))
    app.register(async (s: any) => { s.get('/sibling', async () => 's') })
    await app.after()
    app.get('/root', async () => 'r')
    await app.ready()
    t.same(seen, ['/sibling', '/root'], 'routes declared before the plugin loaded are not seen')
  })

  t.test('only routes declared after the hook are seen', async (t) => {
    const app = velox({ exposeHeadRoutes: false })
    const seen: string[] = []
    app.get('/before', async () => 'b')
    app.addHook('onRoute', (route: any) => { seen.push(route.url) })
    app.get('/after', async () => 'a')
    await app.ready()
    t.same(seen, ['/after'])
  })

  t.test('runs with the instance that declares the route as this', async (t) => {
    const app = velox({ exposeHeadRoutes: false })
    let child: unknown
    const thisValues: unknown[] = []
    app.addHook('onRoute', function (this: unknown) { thisValues.push(this) })
    app.register(async (c: any) => { child = c; c.get('/c', async () => 'c') })
    app.get('/r', async () => 'r')
    await app.ready()
    // '/r' is declared at once; the plugin's '/c' when the plugin loads, at ready().
    t.same(thisValues.map((v) => v === app ? 'app' : v === child ? 'child' : 'other'), ['app', 'child'])
  })

  t.test('an async onRoute hook is accepted and its synchronous part runs in time', async (t) => {
    const app = velox({ exposeHeadRoutes: false })
    app.addHook('onRoute', async (route: any) => { route.handler = async () => 'from async hook' })
    app.get('/', async () => 'original')
    t.equal((await app.inject('/')).body, 'from async hook')
  })
})

t.test('onRegister', async (t) => {
  t.test('runs for every new encapsulated plugin with its instance and options, with the registering instance as this', async (t) => {
    const app = velox()
    const seen: unknown[] = []
    let a: any
    app.addHook('onRegister', function (this: any, instance: any, opts: any) {
      seen.push(['root hook', this === app ? 'app' : this === a ? 'a' : 'other', instance.prefix, opts.prefix])
    })
    app.register(async (i: any) => {
      a = i
      i.addHook('onRegister', (instance: any) => { seen.push(['a hook', instance.prefix]) })
      i.register(async () => {}, { prefix: '/a1' })
    }, { prefix: '/a' })
    app.register(async () => {}, { prefix: '/b' })
    await app.ready()
    t.same(seen, [
      ['root hook', 'app', '/a', '/a'],
      ['root hook', 'a', '/a/a1', '/a1'],
      ['a hook', '/a/a1'],
      ['root hook', 'app', '/b', '/b']
    ])
  })

  t.test('does not run for skip-override plugins, which create no instance', async (t) => {
    const app = velox()
    let count = 0
    app.addHook('onRegister', () => { count++ })
    app.register(fp(async () => {}))
    app.register(async () => {})
    await app.ready()
    t.equal(count, 1)
  })

  t.test('runs before the plugin function, so it can prepare the new instance', async (t) => {
    const app = velox()
    app.addHook('onRegister', (instance: any) => { instance.decorate('prepared', true) })
    let seen: unknown
    app.register(async (i: any) => { seen = i.prepared })
    await app.ready()
    t.equal(seen, true)
    t.equal(app.hasDecorator('prepared'), false)
  })
})

t.test('onReady', async (t) => {
  t.test('runs once, in the order the hooks were added, with the instance that added it as this', async (t) => {
    const app = velox()
    const seen: unknown[] = []
    let child: any
    app.addHook('onReady', async function (this: any) { seen.push(['root', this === app]) })
    app.register(async (c: any) => {
      child = c
      c.addHook('onReady', function (this: any, done: () => void) { seen.push(['child', this === child]); done() })
    })
    app.addHook('onReady', async function () { seen.push('root 2') })
    await app.ready()
    await app.ready()
    t.same(seen, [['root', true], 'root 2', ['child', true]])
  })

  t.test('runs after every plugin has loaded', async (t) => {
    const app = velox()
    const seen: string[] = []
    app.addHook('onReady', async () => { seen.push('onReady') })
    app.register(async () => { await new Promise((resolve) => setTimeout(resolve, 5)); seen.push('plugin') })
    await app.ready()
    t.same(seen, ['plugin', 'onReady'])
  })

  t.test('an error fails ready()', async (t) => {
    const app = velox()
    app.addHook('onReady', async () => { throw new Error('not ready') })
    await t.rejects(app.ready(), { message: 'not ready' })
  })

  t.test('an error passed to done fails ready()', async (t) => {
    const app = velox()
    app.register(async (c: any) => { c.addHook('onReady', (done: (err?: Error) => void) => { done(new Error('child not ready')) }) })
    await t.rejects(app.ready(), { message: 'child not ready' })
  })

  t.test('a hook that never finishes fails with FST_ERR_HOOK_TIMEOUT after pluginTimeout', async (t) => {
    const app = velox({ pluginTimeout: 50 })
    app.addHook('onReady', function slowReady (_done: () => void) {})
    await t.rejects(app.ready(), {
      code: 'FST_ERR_HOOK_TIMEOUT',
      message: "A callback for 'onReady' hook \"slowReady\" timed out. You may have forgotten to call 'done' function or to resolve a Promise"
    })
  })

  t.test('an async hook that also takes done is refused', async (t) => {
    const app = velox()
    t.throws(() => app.addHook('onReady', async (_done: unknown) => {}), { code: 'FST_ERR_HOOK_INVALID_ASYNC_HANDLER' })
  })
})

t.test('onListen', async (t) => {
  t.test('runs after the server listens, with the instance as this, and not for inject', async (t) => {
    const app = velox()
    t.teardown(() => app.close())
    const seen: unknown[] = []
    let child: any
    app.addHook('onListen', async function (this: any) { seen.push(['root', this === app, this.addresses().length]) })
    app.register(async (c: any) => {
      child = c
      c.addHook('onListen', function (this: any, done: () => void) { seen.push(['child', this === child]); done() })
    })
    await app.inject('/')
    t.same(seen, [], 'inject does not listen')
    await app.listen({ port: 0, host: '127.0.0.1' })
    t.same(seen, [['root', true, 1], ['child', true]])
  })

  t.test('an error is logged and does not stop listen or the next hooks', async (t) => {
    const logged: unknown[] = []
    const logger: any = {
      level: 'info',
      info () {},
      warn () {},
      debug () {},
      trace () {},
      fatal () {},
      error (obj: unknown) { logged.push(obj) },
      child () { return logger }
    }
    const app = velox({ loggerInstance: logger })
    t.teardown(() => app.close())
    const seen: string[] = []
    app.addHook('onListen', (done: (err?: Error) => void) => { done(new Error('listen hook failed')) })
    app.addHook('onListen', async () => { seen.push('second') })
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    t.match(address, /^http:\/\/127\.0\.0\.1:\d+$/)
    t.same(seen, ['second'])
    // Logged as Fastify logs it: the error itself, its message becoming the line's message.
    t.match(logged, [{ message: 'listen hook failed' }])
  })

  t.test('listen() settles before the hooks run; they run root first, then each plugin\'s, depth first', async (t) => {
    const app = velox()
    t.teardown(() => app.close())
    const order: string[] = []
    app.register(async (child: any) => {
      child.addHook('onListen', function (this: any, done: () => void) { order.push(`child:${String(this === child)}`); done() })
      child.register(async (grandchild: any) => {
        grandchild.addHook('onListen', async () => { order.push('grandchild') })
      })
    })
    app.addHook('onListen', function (done: () => void) { order.push('root'); done() })
    let hooksDone: () => void
    const finished = new Promise<void>((resolve) => { hooksDone = resolve })
    app.addHook('onListen', function (done: () => void) { order.push('root 2'); done() })
    app.register(async (last: any) => { last.addHook('onListen', async () => { hooksDone() }) })
    app.listen({ port: 0, host: '127.0.0.1' }, () => { order.push('listen callback') })
    await finished
    t.same(order, ['listen callback', 'root', 'root 2', 'child:true', 'grandchild'])
  })
})

t.test('ready() on a plugin instance settles with that instance once every plugin loaded, before onReady hooks', async (t) => {
  const app = velox()
  const order: string[] = []
  app.register((child: any, _opts: unknown, done: () => void) => {
    child.ready((err: Error | null, instance: unknown) => { order.push(`child callback ${String(err)} ${String(instance === child)}`) })
    child.ready().then((instance: unknown) => { order.push(`child promise ${String(instance === child)}`) })
    done()
  })
  app.addHook('onReady', function (done: () => void) { order.push('onReady'); done() })
  await new Promise<void>((resolve) => {
    app.ready((err: Error | null, instance: unknown) => {
      order.push(`root callback ${String(err)} ${String(instance === app)}`)
      resolve()
    })
  })
  t.same(order, ['child callback null true', 'child promise true', 'onReady', 'root callback null true'])
})

t.test('an onReady hook may still decorate the instance; an onReady hook it adds does not run', async (t) => {
  const app = velox()
  let added = false
  app.addHook('onReady', function (done: () => void) {
    app.decorate('late', 42)
    app.addHook('onReady', async () => { added = true })
    done()
  })
  await app.ready()
  t.equal((app as any).late, 42)
  t.equal(added, false)
  t.throws(() => app.decorate('later', 1), { code: 'FST_ERR_DEC_AFTER_START' })
})
