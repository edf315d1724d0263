import t from 'tap'
import type { Test } from 'tap'
import velox from '../lib/index.js'

async function json (t: Test, app: any, url: string): Promise<any> {
  const res = await app.inject(url)
  t.equal(res.statusCode, 200, `${url} answers 200`)
  return res.json()
}

t.test('instance decorators', async (t) => {
  t.test('decorate adds values, functions and getter/setter pairs, and returns the instance', async (t) => {
    const app = velox()
    let stored = 1
    t.equal(app.decorate('answer', 42), app)
    app.decorate('whoAmI', function (this: any) { return this === app })
    app.decorate('counter', { getter () { return stored }, setter (v: number) { stored = v } })
    app.counter = 5
    t.equal(app.answer, 42)
    t.equal(app.whoAmI(), true)
    t.equal(app.counter, 5)
    t.equal(stored, 5)
  })

  t.test('an object value is allowed on the instance (it is shared by design)', async (t) => {
    const app = velox()
    const db = { query: () => 'rows' }
    app.decorate('db', db)
    t.equal(app.db, db)
  })

  t.test('decorating the same name twice in one scope throws FST_ERR_DEC_ALREADY_PRESENT', async (t) => {
    const app = velox()
    app.decorate('x', 1)
    t.throws(() => app.decorate('x', 2), { code: 'FST_ERR_DEC_ALREADY_PRESENT', message: "The decorator 'x' has already been added!" })
  })

  t.test('a name of the app API cannot be used', async (t) => {
    const app = velox()
    t.throws(() => app.decorate('get', () => {}), { code: 'FST_ERR_DEC_ALREADY_PRESENT' })
    t.throws(() => app.decorate('register', () => {}), { code: 'FST_ERR_DEC_ALREADY_PRESENT' })
  })

  t.test("a child may shadow its parent's decorator without changing the parent", async (t) => {
    const app = velox()
    app.decorate('mode', 'parent')
    app.decorate('readOnly', { getter: () => 'parent getter' })
    let inChild: unknown
    app.register(async (c: any) => {
      c.decorate('mode', 'child')
      c.decorate('readOnly', 'child value')
      inChild = [c.mode, c.readOnly]
    })
    await app.ready()
    t.same(inChild, ['child', 'child value'])
    t.same([app.mode, app.readOnly], ['parent', 'parent getter'])
  })

  t.test('hasDecorator sees own, inherited and API names', async (t) => {
    const app = velox()
    app.decorate('own', 1)
    let inChild: boolean[] = []
    app.register(async (c: any) => { inChild = [c.hasDecorator('own'), c.hasDecorator('missing')] })
    await app.ready()
    t.same(inChild, [true, false])
    t.equal(app.hasDecorator('own'), true)
    t.equal(app.hasDecorator('get'), true)
    t.equal(app.hasDecorator('missing'), false)
  })

  t.test('getDecorator returns the value, binds functions to the instance, and throws FST_ERR_DEC_UNDECLARED', async (t) => {
    const app = velox()
    app.decorate('value', 'v')
    app.decorate('fn', function (this: any) { return this })
    t.equal(app.getDecorator('value'), 'v')
    const fn = app.getDecorator('fn') as () => unknown
    t.equal(fn(), app)
    t.throws(() => app.getDecorator('missing'), { code: 'FST_ERR_DEC_UNDECLARED', message: "No decorator 'missing' has been declared on instance." })
  })
})

t.test('dependencies', async (t) => {
  t.test('a missing dependency throws FST_ERR_DEC_MISSING_DEPENDENCY naming it', async (t) => {
    const app = velox()
    t.throws(() => app.decorate('b', 1, ['a']), { code: 'FST_ERR_DEC_MISSING_DEPENDENCY', message: "The decorator is missing dependency 'a'." })
    t.throws(() => app.decorateRequest('b', 1, ['a']), { code: 'FST_ERR_DEC_MISSING_DEPENDENCY' })
    t.throws(() => app.decorateReply('b', 1, ['a']), { code: 'FST_ERR_DEC_MISSING_DEPENDENCY' })
  })

  t.test('dependencies that are not an array throw FST_ERR_DEC_DEPENDENCY_INVALID_TYPE', async (t) => {
    const app = velox()
    app.decorate('a', 1)
    t.throws(() => app.decorate('b', 1, 'a'), {
      code: 'FST_ERR_DEC_DEPENDENCY_INVALID_TYPE',
      message: "The dependencies of decorator 'b' must be of type Array."
    })
  })

  t.test('dependencies may be declared in the same scope or in an ancestor', async (t) => {
    const app = velox()
    app.decorate('a', 1)
    app.decorateRequest('ra', null)
    app.decorateReply('pa', null)
    t.doesNotThrow(() => app.decorate('b', 2, ['a']))
    app.register(async (c: any) => {
      c.decorate('c', 3, ['a', 'b'])
      c.decorateRequest('rb', null, ['ra'])
      c.decorateReply('pb', null, ['pa'])
    })
    await t.resolves(app.ready())
  })
})

t.test('request and reply decorators', async (t) => {
  t.test('values become per-request fields, functions and accessors run with the request or reply as this', async (t) => {
    const app = velox()
    app.decorateRequest('user', null)
    app.decorateRequest('greet', function (this: any) { return `hello ${this.user}` })
    app.decorateRequest('path', { getter (this: any) { return `path:${this.url}` } })
    app.decorateReply('flag', false)
    app.decorateReply('mark', function (this: any) { this.flag = true; return this })
    app.addHook('onRequest', async (req: any) => { req.user = 'ann' })
    app.get('/x', async (req: any, reply: any) => ({ greet: req.greet(), path: req.path, flag: reply.mark().flag }))
    t.same(await json(t, app, '/x'), { greet: 'hello ann', path: 'path:/x', flag: true })
  })

  t.test('a value set on one request does not leak into the next', async (t) => {
    const app = velox()
    app.decorateRequest('count', 0)
    app.get('/x', async (req: any) => { req.count++; return { count: req.count } })
    t.same(await json(t, app, '/x'), { count: 1 })
    t.same(await json(t, app, '/x'), { count: 1 })
  })

  t.test('objects and arrays are refused with FST_ERR_DEC_REFERENCE_TYPE', async (t) => {
    const app = velox()
    t.throws(() => app.decorateRequest('obj', { a: 1 }), {
      code: 'FST_ERR_DEC_REFERENCE_TYPE',
      message: "The decorator 'obj' of type 'object' is a reference type. Use the { getter, setter } interface instead."
    })
    t.throws(() => app.decorateReply('arr', []), { code: 'FST_ERR_DEC_REFERENCE_TYPE', message: /'arr' of type 'object'/ })
  })

  t.test('null and primitives are allowed', async (t) => {
    const app = velox()
    t.doesNotThrow(() => {
      app.decorateRequest('a', null)
      app.decorateRequest('b', 'text')
      app.decorateReply('c', 0)
      app.decorateReply('d', undefined)
    })
  })

  t.test('a name used twice, in the same scope or below, throws FST_ERR_DEC_ALREADY_PRESENT', async (t) => {
    const app = velox()
    app.decorateRequest('r', 1)
    app.decorateReply('p', 1)
    t.throws(() => app.decorateRequest('r', 2), { code: 'FST_ERR_DEC_ALREADY_PRESENT' })
    t.throws(() => app.decorateReply('p', 2), { code: 'FST_ERR_DEC_ALREADY_PRESENT' })
    app.register(async (c: any) => { c.decorateRequest('r', 3) })
    await t.rejects(app.ready(), { code: 'FST_ERR_DEC_ALREADY_PRESENT' })
  })

  t.test('built-in request and reply members cannot be replaced', async (t) => {
    const app = velox()
    for (const name of ['body', 'params', 'query', 'raw', 'id', 'log', 'url', 'headers']) {
      t.throws(() => app.decorateRequest(name, null), { code: 'FST_ERR_DEC_ALREADY_PRESENT' }, `request.${name}`)
    }
    for (const name of ['raw', 'request', 'log', 'send', 'code', 'statusCode']) {
      t.throws(() => app.decorateReply(name, null), { code: 'FST_ERR_DEC_ALREADY_PRESENT' }, `reply.${name}`)
    }
  })

  t.test('a function decorator may shadow a built-in method, in its scope only (plugins mock reply.getHeader so)', async (t) => {
    const app = velox()
    t.throws(() => app.decorateReply('getHeader', 'not a function'), { code: 'FST_ERR_DEC_ALREADY_PRESENT' }, 'a value may not replace a method')
    app.register(async (c: any) => {
      c.decorateReply('getHeader', function (this: any, name: string) { return `mocked ${name}` })
      c.get('/mocked', async (_req: any, reply: any) => reply.getHeader('vary'))
    })
    app.get('/real', async (_req: any, reply: any) => { reply.header('vary', 'Origin'); return reply.getHeader('vary') })
    t.equal((await app.inject('/mocked')).body, 'mocked vary')
    t.equal((await app.inject('/real')).body, 'Origin')
  })

  t.test('a child plugin may shadow a method decorator of its parent with its own, but not a value', async (t) => {
    const app = velox()
    app.decorateRequest('greet', () => 'parent')
    app.decorateRequest('n', 1)
    app.register(async (c: any) => {
      c.decorateRequest('greet', () => 'child')
      t.throws(() => c.decorateRequest('n', 2), { code: 'FST_ERR_DEC_ALREADY_PRESENT' })
      c.get('/child', async (req: any) => req.greet())
    })
    app.get('/parent', async (req: any) => req.greet())
    t.equal((await app.inject('/child')).body, 'child')
    t.equal((await app.inject('/parent')).body, 'parent')
  })

  t.test('hasRequestDecorator and hasReplyDecorator see decorators and built-in members', async (t) => {
    const app = velox()
    app.decorateRequest('a', 1)
    app.decorateReply('b', 1)
    t.same(
      [app.hasRequestDecorator('a'), app.hasReplyDecorator('b'), app.hasRequestDecorator('b'), app.hasReplyDecorator('a')],
      [true, true, false, false]
    )
    t.same([app.hasRequestDecorator('body'), app.hasReplyDecorator('send'), app.hasDecorator('a')], [true, true, false])
  })

  t.test('request.getDecorator, request.setDecorator and reply.getDecorator', async (t) => {
    const app = velox()
    app.decorateRequest('user', null)
    app.decorateRequest('whoami', function (this: any) { return this.user })
    app.decorateReply('tag', 'reply-tag')
    app.get('/x', async (req: any, reply: any) => {
      req.setDecorator('user', 'bob')
      const errors: string[] = []
      try { req.setDecorator('usr', 'typo') } catch (err: any) { errors.push(err.code) }
      try { req.getDecorator('missing') } catch (err: any) { errors.push(err.message) }
      try { reply.getDecorator('missing') } catch (err: any) { errors.push(err.message) }
      const whoami = req.getDecorator('whoami')
      return { user: req.getDecorator('user'), whoami: whoami(), tag: reply.getDecorator('tag'), errors }
    })
    t.same(await json(t, app, '/x'), {
      user: 'bob',
      whoami: 'bob',
      tag: 'reply-tag',
      errors: [
        'FST_ERR_DEC_UNDECLARED',
        "No decorator 'missing' has been declared on request.",
        "No decorator 'missing' has been declared on reply."
      ]
    })
  })
})

t.test('fixed shape', async (t) => {
  t.test('requests of one scope have the same own keys in the same order, decorators included', async (t) => {
    const app = velox()
    app.decorateRequest('user', null)
    app.decorateRequest('tenant', 'none')
    app.decorateRequest('method2', function () {})
    app.decorateReply('flag', false)
    const shapes: string[][] = []
    const replyShapes: string[][] = []
    const record = async (req: any, reply: any): Promise<string> => {
      shapes.push(Object.keys(req))
      replyShapes.push(Object.keys(reply))
      return 'ok'
    }
    app.get('/a', record)
    app.post('/b', { schema: { body: { type: 'object' } } }, record)
    await app.inject('/a')
    await app.inject({ method: 'POST', url: '/b', payload: { x: 1 } })
    await app.inject('/a?q=1')
    t.equal(shapes.length, 3)
    t.same(shapes[1], shapes[0])
    t.same(shapes[2], shapes[0])
    t.same(replyShapes[1], replyShapes[0])
    t.same(shapes[0].slice(-2), ['user', 'tenant'], 'value decorators are own fields, after the built-in ones')
    t.notOk(shapes[0].includes('method2'), 'function decorators live on the prototype')
    t.same(replyShapes[0].slice(-1), ['flag'])
  })

  t.test('decorator values are own fields set before the first hook runs', async (t) => {
    const app = velox()
    app.decorateRequest('user', 'anonymous')
    let seen: unknown
    app.addHook('onRequest', async (req: any) => { seen = [Object.prototype.hasOwnProperty.call(req, 'user'), req.user] })
    app.get('/', async () => 'ok')
    await app.inject('/')
    t.same(seen, [true, 'anonymous'])
  })

  t.test("a child's request decorators extend its parent's shape and do not change it", async (t) => {
    const app = velox()
    app.decorateRequest('rootField', 1)
    let childKeys: string[] = []
    let rootKeys: string[] = []
    app.register(async (c: any) => {
      c.decorateRequest('childField', 2)
      c.get('/child', async (req: any) => { childKeys = Object.keys(req); return 'c' })
    })
    app.get('/root', async (req: any) => { rootKeys = Object.keys(req); return 'r' })
    await app.inject('/child')
    await app.inject('/root')
    t.same(childKeys, [...rootKeys, 'childField'])
    t.notOk(rootKeys.includes('childField'))
  })
})
