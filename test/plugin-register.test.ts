import t from 'tap'
import fp from 'fastify-plugin'
import velox from '../lib/index.js'
import { logCollector as logSink } from './log-collector.js'

async function body (app: any, url: string): Promise<string> {
  const res = await app.inject(url)
  return `${res.statusCode} ${res.body}`
}

t.test('plugin styles', async (t) => {
  t.test('an async plugin receives its instance and its options', async (t) => {
    const app = velox()
    let received: any
    app.register(async function plugin (instance: any, opts: any) {
      received = { isChild: Object.getPrototypeOf(instance) === app, opts }
    }, { answer: 42 })
    await app.ready()
    t.same(received, { isChild: true, opts: { answer: 42 } })
  })

  t.test('a plugin registered without options receives an empty object', async (t) => {
    const app = velox()
    let received: unknown
    app.register(async (_i: any, opts: unknown) => { received = opts })
    await app.ready()
    t.same(received, {})
  })

  t.test('a callback plugin is waited for until it calls done', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(function slow (_i: any, _o: any, done: () => void) {
      setTimeout(() => { order.push('slow done'); done() }, 10)
    })
    app.register(async function next () { order.push('next') })
    await app.ready()
    t.same(order, ['slow done', 'next'])
  })

  t.test('a plain function returning a promise is awaited', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(function promised () {
      return new Promise<void>((resolve) => setTimeout(() => { order.push('promised'); resolve() }, 10))
    })
    app.register(async function next () { order.push('next') })
    await app.ready()
    t.same(order, ['promised', 'next'])
  })

  t.test('an ES module namespace object is unwrapped to its default export', async (t) => {
    const app = velox()
    app.register({ default: async (i: any) => { i.get('/esm', async () => 'esm') } })
    t.equal(await body(app, '/esm'), '200 esm')
  })

  t.test('a promise of a module (dynamic import) is awaited and its default export registered', async (t) => {
    const app = velox()
    app.register(import('./fixtures/plugins/module-plugin.js'), { value: 'from opts' })
    app.register(import('./fixtures/plugins/callback-module-plugin.js'))
    t.equal(await body(app, '/from-module'), '200 {"value":"from opts"}')
    t.equal(await body(app, '/from-callback-module'), '200 callback module')
  })

  t.test('options given as a function are called with the parent instance', async (t) => {
    const app = velox()
    app.decorate('config', { region: 'eu' })
    let parentSeen: unknown
    let received: any
    app.register(async function child (i: any) {
      i.register(async (_j: any, opts: any) => { received = opts }, (parent: any) => {
        parentSeen = parent
        return { region: parent.config.region }
      })
    })
    await app.ready()
    t.same(received, { region: 'eu' })
    t.not(parentSeen, app, 'the parent is the registering plugin instance, not the root')
    t.equal((parentSeen as any).config.region, 'eu')
  })

  t.test('an options function carries prefix, logLevel and logSerializers as its own properties, as with avvio', async (t) => {
    const app = velox()
    const options = Object.assign(() => ({ greeting: 'hi' }), { prefix: '/from-fn' })
    app.register(async (i: any, opts: any) => { i.get('/', async () => `${opts.greeting} ${i.prefix}`) }, options)
    t.equal(await body(app, '/from-fn'), '200 hi /from-fn')
  })

  t.test('register and after return the instance so calls chain', async (t) => {
    const app = velox()
    t.equal(app.register(async () => {}), app)
    t.equal(app.after(() => {}), app)
    t.equal(await app.register(async () => {}), app, 'awaiting register resolves to the instance')
  })
})

t.test('prefixes', async (t) => {
  t.test('nested prefixes compose and app.prefix reports the full prefix', async (t) => {
    const app = velox()
    const prefixes: string[] = [app.prefix]
    app.register(async (v1: any) => {
      prefixes.push(v1.prefix)
      v1.register(async (users: any) => {
        prefixes.push(users.prefix)
        users.get('/:id', async (req: any) => ({ id: req.params.id }))
      }, { prefix: '/users' })
    }, { prefix: '/v1' })
    t.equal(await body(app, '/v1/users/7'), '200 {"id":"7"}')
    t.same(prefixes, ['', '/v1', '/v1/users'])
  })

  t.test('a prefix without a leading slash gets one, and a trailing slash is not doubled', async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('/x', async () => i.prefix) }, { prefix: 'plain' })
    app.register(async (i: any) => {
      i.register(async (j: any) => { j.get('/y', async () => j.prefix) }, { prefix: '/b/' })
    }, { prefix: '/a/' })
    t.equal(await body(app, '/plain/x'), '200 /plain')
    t.equal(await body(app, '/a/b/y'), '200 /a/b/')
    t.equal((await app.inject('/a/b//y')).statusCode, 404)
  })

  t.test("a '/' route under a prefix answers with and without the trailing slash by default", async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('/', async () => 'index') }, { prefix: '/v1' })
    t.equal(await body(app, '/v1'), '200 index')
    t.equal(await body(app, '/v1/'), '200 index')
  })

  t.test("prefixTrailingSlash 'slash' registers only the prefix with a trailing slash", async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('/', { prefixTrailingSlash: 'slash' }, async () => 'slash') }, { prefix: '/s' })
    t.equal((await app.inject('/s')).statusCode, 404)
    t.equal(await body(app, '/s/'), '200 slash')
  })

  t.test("prefixTrailingSlash 'no-slash' registers only the bare prefix", async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('/', { prefixTrailingSlash: 'no-slash' }, async () => 'bare') }, { prefix: '/n' })
    t.equal(await body(app, '/n'), '200 bare')
    t.equal((await app.inject('/n/')).statusCode, 404)
  })

  t.test("prefixTrailingSlash 'both' is the default and can be given explicitly", async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('/', { prefixTrailingSlash: 'both' }, async () => 'both') }, { prefix: '/b' })
    t.equal(await body(app, '/b'), '200 both')
    t.equal(await body(app, '/b/'), '200 both')
  })

  t.test('an empty path under a prefix is the bare prefix only', async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('', async () => 'empty') }, { prefix: '/e' })
    t.equal(await body(app, '/e'), '200 empty')
    t.equal((await app.inject('/e/')).statusCode, 404)
  })

  t.test('a prefix ending in a slash owns the trailing-slash path for its index route', async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('/', async () => 'ts') }, { prefix: '/t/' })
    t.equal(await body(app, '/t/'), '200 ts')
    t.equal((await app.inject('/t')).statusCode, 404)
  })

  t.test('with ignoreTrailingSlash both forms of a prefixed index route answer', async (t) => {
    const app = velox({ ignoreTrailingSlash: true })
    app.register(async (i: any) => { i.get('/', async () => 'idx') }, { prefix: '/v' })
    t.equal(await body(app, '/v'), '200 idx')
    t.equal(await body(app, '/v/'), '200 idx')
  })

  t.test('a prefix does not leak to siblings or to the parent', async (t) => {
    const app = velox()
    app.register(async (i: any) => { i.get('/a', async () => 'a') }, { prefix: '/p' })
    app.register(async (i: any) => { i.get('/b', async () => i.prefix) })
    app.get('/c', async () => app.prefix)
    t.equal(await body(app, '/p/a'), '200 a')
    t.equal(await body(app, '/b'), '200 ')
    t.equal(await body(app, '/c'), '200 ')
  })
})

t.test('per-plugin logging options', async (t) => {
  t.test('logLevel applies to the request loggers of the plugin routes', async (t) => {
    const { lines, stream } = logSink()
    const app = velox({ logger: { level: 'info', stream } })
    app.register(async (i: any) => {
      i.get('/quiet', async (req: any) => { req.log.info('quiet info'); req.log.warn('quiet warn'); return 'q' })
    }, { logLevel: 'warn' })
    app.register(async (i: any) => {
      i.get('/loud', async (req: any) => { req.log.debug('loud debug'); return 'l' })
      i.get('/route-level', { logLevel: 'error' }, async (req: any) => { req.log.warn('route warn'); return 'r' })
    }, { logLevel: 'debug' })
    await app.inject('/quiet')
    await app.inject('/loud')
    await app.inject('/route-level')
    t.same(lines.map((l) => l.msg), ['quiet warn', 'incoming request', 'loud debug', 'request completed'])
  })

  t.test("logLevel leaves the plugin instance's own logger at its parent's level", async (t) => {
    const { lines, stream } = logSink()
    const app = velox({ logger: { level: 'info', stream } })
    app.register(async (i: any) => { i.log.info('plugin info'); i.log.debug('plugin debug') }, { logLevel: 'warn' })
    await app.ready()
    t.same(lines.map((l) => l.msg), ['plugin info'])
  })

  t.test('logSerializers apply inside the plugin and merge with an ancestor plugin', async (t) => {
    const { lines, stream } = logSink()
    const app = velox({ logger: { level: 'info', stream } })
    app.register(async (i: any) => {
      i.get('/a', async (req: any) => { req.log.info({ user: { name: 'ann', secret: 's' } }, 'a'); return 'a' })
      i.register(async (j: any) => {
        j.get('/b', async (req: any) => { req.log.info({ user: { name: 'bob' }, item: { id: 3 } }, 'b'); return 'b' })
      }, { logSerializers: { item: (item: any) => `item#${item.id}` } })
    }, { logSerializers: { user: (user: any) => `user:${user.name}` } })
    app.get('/root', async (req: any) => { req.log.info({ user: { name: 'eve' } }, 'root'); return 'r' })
    await app.inject('/a')
    await app.inject('/b')
    await app.inject('/root')
    const byMsg = Object.fromEntries(lines.filter((l) => ['a', 'b', 'root'].includes(l.msg)).map((l) => [l.msg, [l.user, l.item]]))
    t.same(byMsg, { a: ['user:ann', undefined], b: ['user:bob', 'item#3'], root: [{ name: 'eve' }, undefined] })
  })
})

t.test('load order', async (t) => {
  t.test('plugins load in registration order, children before the next sibling', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(async (a: any) => {
      order.push('a')
      a.register(async (a1: any) => {
        order.push('a1')
        a1.register(async () => { order.push('a1x') })
      })
      a.register(async () => { order.push('a2') })
    })
    app.register(async () => { order.push('b') })
    await app.ready()
    t.same(order, ['a', 'a1', 'a1x', 'a2', 'b'])
  })

  t.test('a slow plugin holds back the plugins registered after it', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(async () => { await new Promise((resolve) => setTimeout(resolve, 10)); order.push('slow') })
    app.register(async () => { order.push('fast') })
    await app.ready()
    t.same(order, ['slow', 'fast'])
  })

  t.test('await app.register() at top level loads that plugin before the next statement', async (t) => {
    const app = velox()
    await app.register(async (i: any) => { i.decorate('loaded', true) })
    t.equal(app.hasDecorator('loaded'), false, 'the decorator stays in the child scope')
    const seen: string[] = []
    await app.register(async () => { seen.push('second') })
    t.same(seen, ['second'])
    await app.ready()
  })

  t.test('await register inside a plugin loads the child before the rest of the plugin runs', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(async (i: any) => {
      order.push('parent start')
      await i.register(async (c: any) => {
        c.register(async () => { order.push('grandchild') })
        order.push('child')
      })
      order.push('parent after child')
    })
    app.register(async () => { order.push('sibling') })
    await app.ready()
    t.same(order, ['parent start', 'child', 'grandchild', 'parent after child', 'sibling'])
  })

  t.test('a plugin may register more children after an await', async (t) => {
    const app = velox()
    app.register(async (i: any) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      i.register(async (c: any) => { c.get('/late', async () => 'late') })
    })
    t.equal(await body(app, '/late'), '200 late')
  })

  t.test('a hook added after a register() that has not loaded yet is added once it has: the plugin\'s hooks run first', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(fp(async (i: any) => { i.addHook('onSend', async () => { order.push('plugin onSend') }) }))
    app.addHook('onSend', async () => { order.push('root onSend 1') })
    app.addHook('onRequest', async () => { order.push('root onRequest') })
    app.register(async (child: any) => {
      child.addHook('onRequest', async () => { order.push('child onRequest') })
      child.get('/child', async () => 'c')
    })
    app.addHook('onSend', async () => { order.push('root onSend 2') })
    app.get('/', async () => 'root')
    await app.inject('/')
    t.same(order, ['root onRequest', 'plugin onSend', 'root onSend 1', 'root onSend 2'])
    order.length = 0
    await app.inject('/child')
    t.same(order, ['root onRequest', 'child onRequest', 'plugin onSend', 'root onSend 1', 'root onSend 2'],
      'a parent hook queued behind the child still reaches the child, after the child\'s own')
  })
})

t.test('after()', async (t) => {
  t.test('after callbacks run once the plugins registered before them have loaded', async (t) => {
    const app = velox()
    const order: unknown[] = []
    app.register(async () => { order.push('p1') })
    app.after((err: Error | null) => { order.push(['after1', err]) })
    app.register(async () => { order.push('p2') })
    app.after((_err: Error | null, done: () => void) => { order.push('after2'); setTimeout(done, 5) })
    app.after(async () => { await new Promise((resolve) => setTimeout(resolve, 5)); order.push('after3') })
    app.register(async () => { order.push('p3') })
    await app.ready()
    t.same(order, ['p1', ['after1', null], 'p2', 'after2', 'after3', 'p3'])
  })

  t.test('await app.after() waits for everything registered so far', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(async () => { await new Promise((resolve) => setTimeout(resolve, 5)); order.push('p1') })
    await app.after()
    order.push('after awaited')
    app.register(async () => { order.push('p2') })
    await app.ready()
    t.same(order, ['p1', 'after awaited', 'p2'])
  })

  t.test('after inside a plugin waits for that plugin\'s children and runs with the plugin instance', async (t) => {
    const app = velox()
    const order: unknown[] = []
    app.register(async function parent (i: any) {
      i.register(async () => { order.push('c1') })
      i.after(function (this: any) { order.push(['after', this === i]) })
      i.register(async () => { order.push('c2') })
    })
    await app.ready()
    t.same(order, ['c1', ['after', true], 'c2'])
  })

  t.test('a three-argument after callback receives the error, the instance it was added on and done', async (t) => {
    const app = velox()
    const seen: unknown[] = []
    app.register(fp(async (i: any) => { i.decorate('db', 'x') }))
    app.after((err: Error | null, instance: any, done: () => void) => {
      seen.push(err, instance === app, instance.db)
      setTimeout(done, 5)
    })
    app.register(async function child (c: any) {
      c.after((_err: Error | null, instance: any, done: () => void) => { seen.push(instance === c); done() })
    })
    await app.ready()
    t.same(seen, [null, true, 'x', true])
  })

  t.test('an after callback without parameters does not handle the error: ready() and inject() still reject', async (t) => {
    const app = velox()
    let called = false
    app.register(async () => { throw new Error('kaboom') })
    app.after(function () { called = true })
    await t.rejects(app.inject('/'), { message: 'kaboom' })
    t.ok(called)
    const handled = velox()
    handled.register(async () => { throw new Error('kaboom') })
    handled.after((_err: Error | null) => {})
    await t.resolves(handled.ready())
  })

  t.test('plugins registered inside an after callback load before the siblings queued behind it', async (t) => {
    const app = velox()
    const order: string[] = []
    app.after(() => { app.register(async () => { order.push('from after') }) })
    app.register(async () => { order.push('sibling') })
    await app.ready()
    t.same(order, ['from after', 'sibling'])
  })

  t.test('a plugin error skips the next siblings and reaches the next after callback', async (t) => {
    const app = velox()
    const order: string[] = []
    app.register(async function failing () { throw new Error('boom') })
    app.register(async () => { order.push('skipped') })
    app.after((err: Error | null) => { order.push(`after: ${err?.message}`) })
    app.register(async () => { order.push('loaded after the handled error') })
    await app.ready()
    t.same(order, ['after: boom', 'loaded after the handled error'])
  })

  t.test('an after callback can pass the error on with done(err)', async (t) => {
    const app = velox()
    app.register(async function failing () { throw new Error('boom') })
    app.after((err: Error | null, done: (e?: Error) => void) => { done(new Error(`wrapped: ${err?.message}`)) })
    await t.rejects(app.ready(), { message: 'wrapped: boom' })
  })

  t.test('await app.after() rejects with a plugin error, and the error still fails ready()', async (t) => {
    const app = velox()
    const seen: string[] = []
    app.register(async function failing () { throw new Error('boom') })
    await t.rejects(app.after(), { message: /^boom/ })
    app.register(async () => { seen.push('skipped') })
    await t.rejects(app.ready(), { message: /^boom/ })
    t.same(seen, [])
  })

  t.test('catching the error of an awaited register does not hide it from ready()', async (t) => {
    const app = velox()
    const seen: string[] = []
    try {
      await app.register(async function failing () { throw new Error('boom') })
    } catch {
      seen.push('caught')
    }
    app.register(async () => { seen.push('skipped') })
    await t.rejects(app.ready(), { message: /^boom/ })
    t.same(seen, ['caught'])
  })

  t.test('inside a plugin, a caught error of an awaited child still fails the plugin', async (t) => {
    const app = velox()
    app.register(async function parent (p: any) {
      try {
        await p.register(async function child () { throw new Error('child failed') })
      } catch {}
    })
    await t.rejects(app.ready(), { message: 'child failed' })
  })

  t.test('an after callback is what handles an error', async (t) => {
    const app = velox()
    const seen: string[] = []
    try {
      await app.register(async function failing () { throw new Error('boom') })
    } catch {}
    app.after((err: Error | null) => { seen.push(`handled: ${err?.message}`) })
    app.register(async () => { seen.push('loaded') })
    await app.ready()
    t.same(seen, ['handled: boom', 'loaded'])
  })
})

t.test('plugin errors', async (t) => {
  t.test('an async plugin that throws makes ready() reject with its error, message unchanged, the plugin named in pluginName', async (t) => {
    const app = velox()
    const error = new Error('boom')
    app.register(async function failing () { throw error })
    const err = await app.ready().then(() => null, (e: Error) => e)
    t.equal(err, error, 'the same error object')
    t.equal(err?.message, 'boom')
    t.equal((err as any).pluginName, 'failing')
  })

  t.test('a callback plugin that calls done(err) makes ready() reject', async (t) => {
    const app = velox()
    app.register(function cbFailing (_i: any, _o: any, done: (err?: Error) => void) { done(new Error('cb boom')) })
    await t.rejects(app.ready(), { message: 'cb boom', pluginName: 'cbFailing' })
  })

  t.test('a plugin that throws synchronously makes ready() reject', async (t) => {
    const app = velox()
    app.register(function syncFailing () { throw new Error('sync boom') })
    await t.rejects(app.ready(), { message: 'sync boom', pluginName: 'syncFailing' })
  })

  t.test('an error deep in the tree is named after the plugin that raised it', async (t) => {
    const app = velox()
    app.register(async function outer (i: any) {
      i.register(async function inner () { throw new Error('deep') })
    })
    await t.rejects(app.ready(), { message: 'deep', pluginName: 'inner' })
  })

  t.test('an anonymous plugin error keeps its message', async (t) => {
    const app = velox()
    app.register(async () => { throw new Error('plain') })
    await t.rejects(app.ready(), { message: 'plain' })
  })

  t.test('awaiting register rejects with the plugin error', async (t) => {
    const app = velox()
    await t.rejects(async () => { await app.register(async function failing () { throw new Error('boom') }) }, { message: /boom/ })
  })

  t.test('listen() rejects with the plugin error and does not listen', async (t) => {
    const app = velox()
    t.teardown(() => app.close())
    app.register(async function failing () { throw new Error('boom') })
    await t.rejects(app.listen({ port: 0, host: '127.0.0.1' }), { message: 'boom', pluginName: 'failing' })
    t.same(app.addresses(), [])
  })

  t.test('inject() reports a boot error', async (t) => {
    const app = velox()
    app.register(async function failing () { throw new Error('boom') })
    await t.rejects(app.inject('/'), { message: /boom/ })
  })

  t.test('a value that is not a plugin is refused with FST_ERR_PLUGIN_NOT_VALID', async (t) => {
    const app = velox()
    t.throws(() => app.register(42), { code: 'FST_ERR_PLUGIN_NOT_VALID' })
    t.throws(() => app.register({ notDefault: () => {} }), { code: 'FST_ERR_PLUGIN_NOT_VALID' })
  })

  t.test('a module promise without a function default export fails the boot with FST_ERR_PLUGIN_NOT_VALID', async (t) => {
    const app = velox()
    app.register(Promise.resolve({ default: 'nope' }))
    await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_NOT_VALID' })
  })

  t.test('an async plugin that also takes done fails ready() with FST_ERR_PLUGIN_INVALID_ASYNC_HANDLER', async (t) => {
    const app = velox()
    app.register(async function mixed (_i: any, _o: any, _done: any) {})
    await t.rejects(app.ready(), {
      code: 'FST_ERR_PLUGIN_INVALID_ASYNC_HANDLER',
      message: /^The mixed plugin being registered mixes async and callback styles. Async plugin should not mix async and callback style./
    })
  })

  t.test('register options given as a function get the instance the plugin receives', async (t) => {
    const app = velox()
    const seen: unknown[] = []
    app.register(async (parent: any) => {
      parent.register(async (child: any) => { seen.push(child.fromOpts) }, (child: any) => {
        seen.push(child !== parent && Object.getPrototypeOf(child) === parent)
        child.decorate('fromOpts', 'decorated by the options function')
        return {}
      })
    })
    await app.ready()
    t.same(seen, [true, 'decorated by the options function'])
  })

  t.test('a plugin\'s fastify range is checked against the version its parent reports; a release candidate loads plugins for the previous version', async (t) => {
    const rc = velox()
    Object.defineProperty(rc, 'version', { value: '99.0.0-rc.1' })
    const previous = Object.assign(async () => {}, { [Symbol.for('plugin-meta')]: { name: 'prev', fastify: '^98.1.0' } })
    rc.register(previous)
    await rc.ready()
    const old = velox()
    Object.defineProperty(old, 'version', { value: '4.9.0' })
    old.register(Object.assign(async () => {}, { [Symbol.for('plugin-meta')]: { name: 'needs5', fastify: '5.x' } }))
    await t.rejects(old.ready(), { code: 'FST_ERR_PLUGIN_VERSION_MISMATCH', message: /needs5 - expected '5.x' fastify version, '4.9.0' is installed/ })
  })
})

t.test('plugin timeout', async (t) => {
  t.test('a callback plugin that never calls done fails with FST_ERR_PLUGIN_TIMEOUT naming it', async (t) => {
    const app = velox({ pluginTimeout: 50 })
    app.register(function neverDone (_i: any, _o: any, _done: () => void) {})
    await t.rejects(app.ready(), {
      code: 'FST_ERR_PLUGIN_TIMEOUT',
      statusCode: 500,
      message: "fastify-plugin: Plugin did not start in time: 'neverDone'. You may have forgotten to call 'done' function or to resolve a Promise"
    })
  })

  t.test('an async plugin that never settles times out, and so does a nested one', async (t) => {
    const app = velox({ pluginTimeout: 50 })
    app.register(async function outer (i: any) {
      i.register(async function stuck () { await new Promise(() => {}) })
    })
    await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_TIMEOUT', message: /'stuck'/ })
  })

  t.test('pluginTimeout 0 disables the timeout', async (t) => {
    const app = velox({ pluginTimeout: 0 })
    app.register(function late (_i: any, _o: any, done: () => void) { setTimeout(done, 80) })
    await t.resolves(app.ready())
  })
})

t.test('boot', async (t) => {
  t.test('ready() resolves to the instance and boots only once however often it is called', async (t) => {
    const app = velox()
    let loads = 0
    let readyHooks = 0
    app.register(async () => { loads++ })
    app.addHook('onReady', async () => { readyHooks++ })
    const [first, second] = await Promise.all([app.ready(), app.ready()])
    t.equal(first, app)
    t.equal(second, app)
    t.equal(await app.ready(), app)
    t.same([loads, readyHooks], [1, 1])
  })

  t.test('ready(cb) calls back with null and returns undefined', async (t) => {
    const app = velox()
    const result = await new Promise((resolve) => {
      const returned = app.ready((err: Error | null) => resolve([err, returned]))
    })
    t.same(result, [null, undefined])
  })

  t.test('ready(cb) calls back with the boot error', async (t) => {
    const app = velox()
    app.register(async function failing () { throw new Error('boom') })
    const err = await new Promise((resolve) => app.ready(resolve))
    t.match(err, { message: /boom/ })
  })

  t.test('the instance stops being thenable once booted', async (t) => {
    const app = velox()
    t.equal(typeof app.then, 'function')
    await app.ready()
    t.equal(app.then, undefined)
  })

  t.test('register after ready throws FST_ERR_ROOT_PLG_BOOTED', async (t) => {
    const app = velox()
    await app.ready()
    t.throws(() => app.register(async () => {}), { code: 'FST_ERR_ROOT_PLG_BOOTED' })
  })

  t.test('routes, hooks and decorators cannot be added after ready', async (t) => {
    const app = velox()
    let child: any
    app.register(async (i: any) => { child = i })
    await app.ready()
    t.throws(() => app.get('/late', async () => 'x'), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING', message: /Cannot add route/ })
    t.throws(() => child.get('/late', async () => 'x'), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
    t.throws(() => app.addHook('onRequest', async () => {}), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING', message: /addHook/ })
    t.throws(() => app.decorate('late', 1), { code: 'FST_ERR_DEC_AFTER_START', message: "The decorator 'late' has been added after start!" })
    t.throws(() => app.decorateRequest('late', 1), { code: 'FST_ERR_DEC_AFTER_START' })
    t.throws(() => app.decorateReply('late', 1), { code: 'FST_ERR_DEC_AFTER_START' })
    t.throws(() => app.setErrorHandler(() => {}), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
    t.throws(() => app.setNotFoundHandler(() => {}), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
  })
})

t.test('ready(), inject() and their callbacks settle before a setImmediate queued ahead of them, as in Fastify (an async test with t.plan and inject callbacks it does not await ends after them)', async (t) => {
  const app = velox()
  app.register(async (i: any) => { i.get('/', async () => 'ok') })
  const order: string[] = []
  const turn = new Promise<void>((resolve) => { setImmediate(() => { order.push('setImmediate'); resolve() }) })
  app.ready(() => { order.push('ready callback') })
  app.inject('/', (err, res) => { order.push(`inject callback ${err === null ? res?.statusCode : err.message}`) })
  app.inject('/').then((res: any) => { order.push(`inject promise ${res.statusCode}`) }, (err: Error) => { order.push(err.message) })
  await turn
  t.same(order, ['ready callback', 'inject callback 200', 'inject promise 200', 'setImmediate'])
  await app.close()
})

t.test('loading starts once the promise jobs queued along with ready() have run, as in Fastify (node:test runs the synchronous tests declared next to a listen() call, which add routes, before the app loads)', async (t) => {
  const app = velox()
  let ready!: Promise<unknown>
  let chain!: Promise<void>
  // From a callback of the event loop, as a test file's top level is.
  await new Promise<void>((resolve) => {
    setImmediate(() => {
      ready = app.ready()
      chain = Promise.resolve()
      for (let i = 0; i < 20; i++) chain = chain.then(() => {})
      chain = chain.then(() => { app.get('/late', async () => 'late') })
      resolve()
    })
  })
  await chain
  await ready
  t.equal((await app.inject('/late')).body, 'late')
  await app.close()
})

t.test('boot advances on process.nextTick, as avvio does: a fake clock that holds nextTick callbacks holds ready(), and an async plugin finishes a tick after its promise (@fastify/secure-session tests)', async (t) => {
  const app = velox()
  app.register(fp(async (i: any) => { i.decorate('loaded', true) }))
  const realNextTick = process.nextTick
  let held: Array<() => void> = []
  // As @sinonjs/fake-timers fakes it: callbacks wait until the clock advances.
  process.nextTick = ((fn: (...args: any[]) => void, ...args: any[]) => { held.push(() => fn(...args)) }) as typeof process.nextTick
  let settled = false
  let rounds = 0
  try {
    app.ready().then(() => { settled = true })
    while (rounds < 20) {
      // Microtasks and a turn of the event loop go by; the held ticks do not run.
      await new Promise<void>((resolve) => { setImmediate(resolve) })
      if (settled) break
      rounds++
      const run = held
      held = []
      for (const fn of run) fn()
    }
  } finally {
    process.nextTick = realNextTick
    for (const fn of held) fn()
  }
  t.ok(settled, 'ready() settled once the clock ran the ticks')
  // Two ticks to start loading, one after the plugin's promise settled (Fastify takes more).
  t.ok(rounds >= 3, `ready() waited for ${rounds} rounds of nextTick callbacks`)
  t.equal(app.loaded, true)
  await app.close()
})

t.test('ready() and inject() settle while a test fakes setImmediate and setTimeout (node:test mock.timers, as @fastify/rate-limit tests)', async (t) => {
  const real = { setImmediate: globalThis.setImmediate, setTimeout: globalThis.setTimeout }
  const app = velox()
  app.register(fp(async (i: any) => { i.decorate('ok', true) }))
  app.get('/', async () => ({ ok: true }))
  // Faked timers that never fire, as mock.timers' are until the test ticks them.
  globalThis.setImmediate = (() => {}) as any
  globalThis.setTimeout = (() => {}) as any
  try {
    await app.ready()
    t.equal((await app.inject('/')).statusCode, 200)
  } finally {
    globalThis.setImmediate = real.setImmediate
    globalThis.setTimeout = real.setTimeout
  }
  await app.close()
})
