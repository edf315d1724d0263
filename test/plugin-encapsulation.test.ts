import t from 'tap'
import fp from 'fastify-plugin'
import velox from '../lib/index.js'

async function body (app: any, url: string, opts: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({ url, ...opts })
  return `${res.statusCode} ${res.body}`
}

t.test('a child instance is linked to its parent', async (t) => {
  const app = velox()
  let child: any
  let grandchild: any
  app.register(async (c: any) => {
    child = c
    c.register(async (g: any) => { grandchild = g })
  })
  await app.ready()
  t.equal(Object.getPrototypeOf(child), app)
  t.equal(Object.getPrototypeOf(grandchild), child)
})

t.test('request hooks', async (t) => {
  t.test("a child's hook runs for its routes only, and the parent's hooks run for the child", async (t) => {
    const app = velox()
    const seen: string[] = []
    app.addHook('onRequest', async (req: any) => { seen.push(`root ${req.url}`) })
    app.register(async (c: any) => {
      c.addHook('onRequest', async (req: any) => { seen.push(`child ${req.url}`) })
      c.get('/child', async () => 'c')
    })
    app.register(async (s: any) => { s.get('/sibling', async () => 's') })
    app.get('/root', async () => 'r')
    await app.inject('/child')
    await app.inject('/sibling')
    await app.inject('/root')
    t.same(seen, ['root /child', 'child /child', 'root /sibling', 'root /root'])
  })

  t.test("a parent's hook added after the child was registered still runs for the child", async (t) => {
    const app = velox()
    const seen: string[] = []
    await app.register(async (c: any) => { c.get('/child', async () => 'c') })
    app.addHook('onRequest', async (req: any) => { seen.push(`late root ${req.url}`) })
    await app.inject('/child')
    t.same(seen, ['late root /child'])
  })

  t.test('a hook added by a fastify-plugin plugin applies to the parent and its other children', async (t) => {
    const app = velox()
    const seen: string[] = []
    app.register(fp(async (i: any) => { i.addHook('onRequest', async (req: any) => { seen.push(req.url) }) }))
    app.register(async (s: any) => { s.get('/sibling', async () => 's') })
    app.get('/root', async () => 'r')
    await app.inject('/sibling')
    await app.inject('/root')
    t.same(seen, ['/sibling', '/root'])
  })
})

t.test('decorators', async (t) => {
  t.test("a child's instance decorators are invisible to its parent and siblings", async (t) => {
    const app = velox()
    const seen: unknown[] = []
    app.decorate('fromRoot', 'R')
    app.register(async (c: any) => {
      c.decorate('fromChild', 'C')
      seen.push(['child sees root', c.fromRoot, c.hasDecorator('fromRoot')])
    })
    app.register(async (s: any) => { seen.push(['sibling sees child', s.fromChild, s.hasDecorator('fromChild')]) })
    await app.ready()
    seen.push(['root sees child', app.fromChild, app.hasDecorator('fromChild')])
    t.same(seen, [
      ['child sees root', 'R', true],
      ['sibling sees child', undefined, false],
      ['root sees child', undefined, false]
    ])
  })

  t.test('request and reply decorators are encapsulated the same way', async (t) => {
    const app = velox()
    app.decorateRequest('rootReq', 'r')
    app.register(async (c: any) => {
      c.decorateRequest('childReq', 'c')
      c.decorateReply('childReply', function (this: any) { return 'reply-' + typeof this.send })
      c.get('/child', async (req: any, reply: any) => ({ rootReq: req.rootReq, childReq: req.childReq, reply: reply.childReply() }))
    })
    app.register(async (s: any) => {
      s.get('/sibling', async (req: any, reply: any) => ({ childReq: req.childReq ?? 'none', reply: typeof reply.childReply }))
    })
    t.equal(await body(app, '/child'), '200 {"rootReq":"r","childReq":"c","reply":"reply-function"}')
    t.equal(await body(app, '/sibling'), '200 {"childReq":"none","reply":"undefined"}')
    t.equal(app.hasRequestDecorator('childReq'), false)
    t.equal(app.hasReplyDecorator('childReply'), false)
  })

  t.test('decorators added by a fastify-plugin plugin are visible to the parent and its other children', async (t) => {
    const app = velox()
    let seenBySibling: unknown
    app.register(fp(async (i: any) => {
      i.decorate('shared', 'yes')
      i.decorateRequest('sharedReq', 'req-yes')
    }))
    app.register(async (s: any) => {
      seenBySibling = s.shared
      s.get('/x', async (req: any) => req.sharedReq)
    })
    t.equal(await body(app, '/x'), '200 req-yes')
    t.equal(seenBySibling, 'yes')
    t.equal(app.shared, 'yes')
  })
})

t.test('skip-override', async (t) => {
  t.test('a plugin marked with skip-override receives its parent instance', async (t) => {
    const app = velox()
    let received: unknown
    const plugin = async (i: any): Promise<void> => { received = i }
    ;(plugin as any)[Symbol.for('skip-override')] = true
    app.register(plugin)
    await app.ready()
    t.equal(received, app)
  })

  t.test('inside a plugin, a skip-override plugin shares that plugin\'s scope, not the root', async (t) => {
    const app = velox()
    let parent: any
    let received: any
    app.register(async (p: any) => {
      parent = p
      p.register(fp(async (i: any) => { received = i; i.decorate('inner', 1) }))
    })
    await app.ready()
    t.equal(received, parent)
    t.equal(parent.inner, 1)
    t.equal(app.hasDecorator('inner'), false)
  })

  t.test('fastify-plugin with encapsulate: true creates a scope of its own', async (t) => {
    const app = velox()
    let received: unknown
    app.register(fp(async (i: any) => { received = i; i.decorate('enc', 1) }, { encapsulate: true, name: 'encapsulated' }))
    await app.ready()
    t.not(received, app)
    t.equal(app.hasDecorator('enc'), false)
    t.equal(app.hasPlugin('encapsulated'), true)
  })
})

t.test('content-type parsers are encapsulated', async (t) => {
  const app = velox()
  app.register(async (c: any) => {
    c.addContentTypeParser('text/x-custom', { parseAs: 'string' }, (_req: any, payload: string, done: any) => done(null, `parsed:${payload}`))
    c.post('/child', async (req: any) => req.body)
  })
  app.post('/root', async (req: any) => req.body)
  const opts = { method: 'POST', payload: 'x', headers: { 'content-type': 'text/x-custom' } }
  t.equal(await body(app, '/child', opts), '200 parsed:x')
  const res = await app.inject({ url: '/root', ...opts })
  t.equal(res.statusCode, 415)
  t.equal(res.json().code, 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
  t.equal(app.hasContentTypeParser('text/x-custom'), false)
})

t.test('shared schemas are encapsulated', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  app.addSchema({ $id: 'rootSchema', type: 'string' })
  app.register(async (c: any) => {
    c.addSchema({ $id: 'childSchema', type: 'string' })
    seen.push(Object.keys(c.getSchemas()))
  })
  app.register(async (s: any) => { seen.push(Object.keys(s.getSchemas()), s.getSchema('childSchema')) })
  await app.ready()
  seen.push(Object.keys(app.getSchemas()))
  t.same(seen, [['rootSchema', 'childSchema'], ['rootSchema'], undefined, ['rootSchema']])
})

t.test('sibling plugins may add shared schemas with the same $id', async (t) => {
  const app = velox()
  app.register(async (a: any) => {
    a.addSchema({ $id: 'item', type: 'object', properties: { n: { type: 'integer' } } })
    a.get('/a', { schema: { response: { 200: { $ref: 'item#' } } } }, async () => ({ n: 1, extra: true }))
  })
  app.register(async (b: any) => {
    b.addSchema({ $id: 'item', type: 'object', properties: { s: { type: 'string' } } })
    b.get('/b', { schema: { response: { 200: { $ref: 'item#' } } } }, async () => ({ s: 'x', extra: true }))
  })
  t.equal(await body(app, '/a'), '200 {"n":1}')
  t.equal(await body(app, '/b'), '200 {"s":"x"}')
})

t.test('a child may not redeclare a schema $id of its parent', async (t) => {
  const app = velox()
  app.addSchema({ $id: 'x', type: 'string' })
  app.register(async (c: any) => { c.addSchema({ $id: 'x', type: 'number' }) })
  await t.rejects(app.ready(), { code: 'FST_ERR_SCH_ALREADY_PRESENT' })
})

t.test('error handlers are encapsulated', async (t) => {
  const app = velox()
  app.register(async (c: any) => {
    c.setErrorHandler((_err: Error, _req: any, reply: any) => { reply.code(418).send({ handledBy: 'child' }) })
    c.get('/child', async () => { throw new Error('c') })
  })
  app.register(async (s: any) => { s.get('/sibling', async () => { throw new Error('s') }) })
  t.equal(await body(app, '/child'), '418 {"handledBy":"child"}')
  t.equal(await body(app, '/sibling'), '500 {"statusCode":500,"error":"Internal Server Error","message":"s"}')
})

t.test('a reply serializer is encapsulated', async (t) => {
  const app = velox()
  app.register(async (c: any) => {
    c.setReplySerializer((payload: unknown) => `custom:${JSON.stringify(payload)}`)
    c.get('/child', async () => ({ a: 1 }))
  })
  app.get('/root', async () => ({ a: 1 }))
  t.equal(await body(app, '/child'), '200 custom:{"a":1}')
  t.equal(await body(app, '/root'), '200 {"a":1}')
})

t.test('a validator compiler is encapsulated', async (t) => {
  const app = velox()
  const schema = { querystring: { type: 'object', properties: { n: { type: 'integer' } } } }
  app.register(async (c: any) => {
    c.setValidatorCompiler(() => () => ({ error: new Error('always refused') }))
    c.get('/child', { schema }, async () => 'ok')
  })
  app.get('/root', { schema }, async () => 'ok')
  t.equal((await app.inject('/child?n=1')).statusCode, 400)
  t.equal(await body(app, '/root?n=1'), '200 ok')
})
