import t from 'tap'
import fp from 'fastify-plugin'
import velox from '../lib/index.js'

async function body (app: any, url: string): Promise<string> {
  const res = await app.inject(url)
  return `${res.statusCode} ${res.body}`
}

t.test('setErrorHandler', async (t) => {
  t.test('each plugin scope uses the nearest error handler; siblings and the parent keep theirs', async (t) => {
    const app = velox()
    app.setErrorHandler((err: Error, _req: any, reply: any) => { reply.code(500).send({ by: 'root', message: err.message }) })
    app.register(async (c: any) => {
      c.setErrorHandler((_err: Error, _req: any, reply: any) => { reply.code(418).send({ by: 'child' }) })
      c.get('/child', async () => { throw new Error('c') })
      c.register(async (g: any) => { g.get('/grandchild', async () => { throw new Error('g') }) })
    })
    app.register(async (s: any) => { s.get('/sibling', async () => { throw new Error('s') }) })
    app.get('/root', async () => { throw new Error('r') })
    t.equal(await body(app, '/child'), '418 {"by":"child"}')
    t.equal(await body(app, '/grandchild'), '418 {"by":"child"}', 'a grandchild inherits its parent\'s handler')
    t.equal(await body(app, '/sibling'), '500 {"by":"root","message":"s"}')
    t.equal(await body(app, '/root'), '500 {"by":"root","message":"r"}')
  })

  t.test("a child's handler that throws falls back to its parent's handler", async (t) => {
    const app = velox()
    app.setErrorHandler((err: Error, _req: any, reply: any) => { reply.code(502).send({ by: 'root', message: err.message }) })
    app.register(async (c: any) => {
      c.setErrorHandler(async (err: Error) => { throw new Error(`child rethrew: ${err.message}`) })
      c.get('/async', async () => { throw new Error('a') })
      c.register(async (g: any) => {
        g.setErrorHandler((err: Error) => { throw err })
        g.get('/two-levels', async () => { throw new Error('b') })
      })
    })
    t.equal(await body(app, '/async'), '502 {"by":"root","message":"child rethrew: a"}')
    t.equal(await body(app, '/two-levels'), '502 {"by":"root","message":"child rethrew: b"}')
  })

  t.test('when every handler throws, the default handler answers with the last error', async (t) => {
    const app = velox()
    app.setErrorHandler(() => { throw Object.assign(new Error('root threw'), { statusCode: 409 }) })
    app.register(async (c: any) => {
      c.setErrorHandler((err: Error) => { throw err })
      c.get('/', async () => { throw new Error('x') })
    })
    t.equal(await body(app, '/'), '409 {"statusCode":409,"error":"Conflict","message":"root threw"}')
  })

  t.test('the handler runs with the instance that set it as this', async (t) => {
    const app = velox()
    let child: any
    let seen: unknown
    app.register(async (c: any) => {
      child = c
      c.setErrorHandler(function (this: any, _err: Error, _req: any, reply: any) { seen = this; reply.send('handled') })
      c.get('/', async () => { throw new Error('x') })
    })
    await app.inject('/')
    t.equal(seen, child)
  })

  t.test('a handler set by a fastify-plugin plugin applies to the parent scope', async (t) => {
    const app = velox()
    app.register(fp(async (i: any) => {
      i.setErrorHandler((_err: Error, _req: any, reply: any) => { reply.code(503).send({ by: 'fp' }) })
    }))
    app.get('/', async () => { throw new Error('x') })
    t.equal(await body(app, '/'), '503 {"by":"fp"}')
  })

  t.test('a handler set again in the same scope falls back to the one it replaced, as in Fastify', async (t) => {
    const app = velox()
    app.setErrorHandler((_err: Error, _req: any, reply: any) => { reply.code(500).send({ by: 'root' }) })
    app.register(async (c: any) => {
      c.setErrorHandler((_err: Error, _req: any, reply: any) => { reply.send({ by: 'first' }) })
      c.setErrorHandler((err: Error) => { throw err })
      c.get('/', async () => { throw new Error('x') })
    })
    t.equal(await body(app, '/'), '200 {"by":"first"}')
  })

  t.test('a route errorHandler comes first and falls back to its scope handler', async (t) => {
    const app = velox()
    app.register(async (c: any) => {
      c.setErrorHandler((err: Error, _req: any, reply: any) => { reply.code(400).send({ by: 'scope', message: err.message }) })
      c.get('/', { errorHandler: (err: Error) => { throw new Error(`route saw ${err.message}`) } }, async () => { throw new Error('x') })
    })
    t.equal(await body(app, '/'), '400 {"by":"scope","message":"route saw x"}')
  })

  t.test('errors from a child\'s hooks go to the child\'s handler', async (t) => {
    const app = velox()
    app.register(async (c: any) => {
      c.addHook('preHandler', async () => { throw new Error('hook failed') })
      c.setErrorHandler((err: Error, _req: any, reply: any) => { reply.code(401).send({ message: err.message }) })
      c.get('/', async () => 'never')
    })
    t.equal(await body(app, '/'), '401 {"message":"hook failed"}')
  })

  t.test('a value that is not a function is refused with FST_ERR_ERROR_HANDLER_NOT_FN', async (t) => {
    const app = velox()
    t.throws(() => app.setErrorHandler('nope'), { code: 'FST_ERR_ERROR_HANDLER_NOT_FN', message: 'Error Handler must be a function' })
  })

  t.test('app.errorHandler is the handler in effect for the instance', async (t) => {
    const app = velox()
    t.type(app.errorHandler, 'function')
    const handler = (_err: Error, _req: any, reply: any): void => { reply.send('x') }
    let inChild: unknown
    app.register(async (c: any) => { inChild = c.errorHandler })
    app.setErrorHandler(handler)
    await app.ready()
    t.equal(app.errorHandler, handler)
    t.equal(inChild, handler)
  })
})

t.test('setNotFoundHandler', async (t) => {
  t.test('the handler of the most specific prefix answers, with its scope\'s hooks', async (t) => {
    const app = velox()
    const seen: string[] = []
    app.addHook('onRequest', async (req: any) => { seen.push(`root hook ${req.url}`) })
    app.setNotFoundHandler((_req: any, reply: any) => { reply.code(404).send({ notFound: 'root' }) })
    app.register(async (v1: any) => {
      v1.addHook('onRequest', async (req: any) => { seen.push(`v1 hook ${req.url}`) })
      v1.setNotFoundHandler({ preHandler: async () => { seen.push('v1 preHandler') } }, (_req: any, reply: any) => {
        reply.code(404).send({ notFound: 'v1' })
      })
      v1.get('/x', async () => 'x')
    }, { prefix: '/v1' })
    app.register(async (v2: any) => { v2.get('/y', async () => 'y') }, { prefix: '/v2' })

    t.equal(await body(app, '/v1/nope'), '404 {"notFound":"v1"}')
    t.same(seen, ['root hook /v1/nope', 'v1 hook /v1/nope', 'v1 preHandler'])
    seen.length = 0
    t.equal(await body(app, '/v1'), '404 {"notFound":"v1"}', 'the bare prefix belongs to the plugin')
    seen.length = 0
    t.equal(await body(app, '/v2/nope'), '404 {"notFound":"root"}', 'a prefix without a handler falls back to the root')
    t.same(seen, ['root hook /v2/nope'])
    t.equal(await body(app, '/v1x'), '404 {"notFound":"root"}', 'a longer path segment is not under the prefix')
    t.equal(await body(app, '/nope'), '404 {"notFound":"root"}')
  })

  t.test('nested prefixes each get their own handler', async (t) => {
    const app = velox()
    app.register(async (api: any) => {
      api.setNotFoundHandler((_req: any, reply: any) => { reply.code(404).send('api') })
      api.register(async (v1: any) => {
        v1.setNotFoundHandler((_req: any, reply: any) => { reply.code(404).send('api v1') })
      }, { prefix: '/v1' })
    }, { prefix: '/api' })
    t.equal(await body(app, '/api/v1/nope'), '404 api v1')
    t.equal(await body(app, '/api/v2/nope'), '404 api')
    t.equal((await app.inject('/elsewhere')).json().message, 'Route GET:/elsewhere not found')
  })

  t.test('the default answer is Fastify\'s 404 payload', async (t) => {
    const app = velox()
    t.equal(await body(app, '/missing'), '404 {"message":"Route GET:/missing not found","error":"Not Found","statusCode":404}')
  })

  t.test('a plugin without its own prefix sets the handler of the prefix it lives under', async (t) => {
    const app = velox()
    app.register(async (c: any) => { c.setNotFoundHandler((_req: any, reply: any) => { reply.code(404).send('from child') }) })
    t.equal(await body(app, '/anything'), '404 from child')
  })

  t.test('a fastify-plugin plugin can set the handler for its parent', async (t) => {
    const app = velox()
    app.register(fp(async (i: any) => { i.setNotFoundHandler((_req: any, reply: any) => { reply.code(404).send('from fp') }) }))
    t.equal(await body(app, '/anything'), '404 from fp')
  })

  t.test('a second handler for the same prefix is refused with VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET', async (t) => {
    const app = velox()
    app.setNotFoundHandler((_req: any, reply: any) => { reply.send('a') })
    t.throws(() => app.setNotFoundHandler((_req: any, reply: any) => { reply.send('b') }), {
      code: 'VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET',
      message: "Not found handler already set for Fastify instance with prefix: '/'"
    })
    const other = velox()
    other.register(async (a: any) => { a.setNotFoundHandler(() => {}) })
    other.register(async (b: any) => { b.setNotFoundHandler(() => {}) })
    await t.rejects(other.ready(), { code: 'VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET' })
    const prefixed = velox()
    prefixed.register(async (p: any) => {
      p.setNotFoundHandler(() => {})
      p.register(async (inner: any) => { inner.setNotFoundHandler(() => {}) })
    }, { prefix: '/p' })
    await t.rejects(prefixed.ready(), { code: 'VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET', message: /prefix: '\/p'/ })
  })

  t.test('reply.callNotFound() uses the handler of the route\'s prefix', async (t) => {
    const app = velox()
    app.register(async (p: any) => {
      p.setNotFoundHandler((_req: any, reply: any) => { reply.code(404).send('prefix handler') })
      p.get('/go', (_req: any, reply: any) => { reply.callNotFound() })
    }, { prefix: '/p' })
    t.equal(await body(app, '/p/go'), '404 prefix handler')
  })

  t.test('a handler that is not a function is refused', async (t) => {
    const app = velox()
    t.throws(() => app.setNotFoundHandler({}, 'nope'), { code: 'FST_ERR_HOOK_INVALID_HANDLER' })
  })
})

t.test('printRoutes', async (t) => {
  const build = async (): Promise<any> => {
    const app = velox({ exposeHeadRoutes: false })
    app.get('/', async () => '')
    app.register(async (api: any) => {
      api.addHook('onRequest', async function authHook () {})
      api.get('/users', async () => '')
      api.post('/users', async () => '')
      api.get('/users/:id', async () => '')
    }, { prefix: '/api' })
    await app.ready()
    return app
  }

  t.test('draws the route tree with shared prefixes folded', async (t) => {
    const app = await build()
    t.equal(app.printRoutes(), [
      '└── / (GET)',
      '    └── api/users (GET, POST)',
      '        └── /',
      '            └── :id (GET)',
      ''
    ].join('\n'))
  })

  t.test('commonPrefix: false keeps each path whole', async (t) => {
    const app = await build()
    t.equal(app.printRoutes({ commonPrefix: false }), [
      '└── / (GET)',
      '    └── api/users (GET, POST)',
      '        └── /:id (GET)',
      ''
    ].join('\n'))
  })

  t.test('includeHooks lists the hooks of each route', async (t) => {
    const app = await build()
    t.equal(app.printRoutes({ includeHooks: true }), [
      '└── / (GET)',
      '    └── api/users (GET, POST)',
      '        • (onRequest) ["authHook()"]',
      '        └── /',
      '            └── :id (GET)',
      '                • (onRequest) ["authHook()"]',
      ''
    ].join('\n'))
  })
})
