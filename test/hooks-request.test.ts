import t from 'tap'
import { Transform } from 'node:stream'
import { gzipSync, createGunzip } from 'node:zlib'
import velox from '../lib/index.js'

type Trail = string[]

const requestHooks = [
  'onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization',
  'onSend', 'onResponse', 'onError', 'onTimeout', 'onRequestAbort'
]

t.test('addHook accepts every request hook name and returns the instance', async (t) => {
  const app = velox()
  for (const name of requestHooks) {
    t.equal(app.addHook(name, function hook () {}), app, name)
  }
  await app.ready()
})

t.test('addHook rejects a hook name that is not a string', async (t) => {
  const app = velox()
  await t.rejects(async () => {
    app.addHook(123, () => {})
    await app.ready()
  }, { code: 'FST_ERR_HOOK_INVALID_TYPE', message: 'The hook name must be a string' })
})

t.test('addHook rejects an unknown hook name', async (t) => {
  const app = velox()
  await t.rejects(async () => {
    app.addHook('onFoo', () => {})
    await app.ready()
  }, { code: 'FST_ERR_HOOK_NOT_SUPPORTED', message: 'onFoo hook not supported!' })
})

t.test('addHook rejects a handler that is not a function', async (t) => {
  const app = velox()
  await t.rejects(async () => {
    app.addHook('onRequest', 'nope')
    await app.ready()
  }, { code: 'FST_ERR_HOOK_INVALID_HANDLER', message: 'onRequest hook should be a function, instead got [object String]' })
  const other = velox()
  t.throws(() => other.addHook('preHandler', undefined), {
    code: 'FST_ERR_HOOK_INVALID_HANDLER',
    message: 'preHandler hook should be a function, instead got undefined'
  })
})

t.test('a route option hook that is not a function is refused with its tag, as Fastify words it', async (t) => {
  const app = velox()
  t.throws(() => app.route({ method: 'GET', url: '/a', onRequest: [undefined], handler: async () => 'x' }), {
    code: 'FST_ERR_HOOK_INVALID_HANDLER',
    message: 'onRequest hook should be a function, instead got [object Undefined]'
  })
  t.throws(() => app.route({ method: 'GET', url: '/b', onSend: null, handler: async () => 'x' }), {
    message: 'onSend hook should be a function, instead got [object Null]'
  })
})

t.test('an async hook that also declares done is refused', async (t) => {
  const cases: Array<[string, (...args: any[]) => Promise<void>]> = [
    ['onRequest', async (_req, _reply, _done) => {}],
    ['preValidation', async (_req, _reply, _done) => {}],
    ['preHandler', async (_req, _reply, _done) => {}],
    ['onResponse', async (_req, _reply, _done) => {}],
    ['onTimeout', async (_req, _reply, _done) => {}],
    ['preParsing', async (_req, _reply, _payload, _done) => {}],
    ['preSerialization', async (_req, _reply, _payload, _done) => {}],
    ['onSend', async (_req, _reply, _payload, _done) => {}],
    ['onError', async (_req, _reply, _error, _done) => {}],
    ['onRequestAbort', async (_req, _done) => {}]
  ]
  for (const [name, fn] of cases) {
    const app = velox()
    t.throws(() => app.addHook(name, fn), {
      code: 'FST_ERR_HOOK_INVALID_ASYNC_HANDLER',
      message: "Async function has too many arguments. Async hooks should not use the 'done' argument."
    }, name)
  }
})

t.test('route-level hooks are validated like addHook', async (t) => {
  const app = velox()
  t.throws(() => app.get('/', { onRequest: 'nope' }, async () => 'x'), { code: 'FST_ERR_HOOK_INVALID_HANDLER' })
  t.throws(() => app.get('/a', { preHandler: [async (_req: unknown, _reply: unknown, _done: unknown) => {}] }, async () => 'x'), {
    code: 'FST_ERR_HOOK_INVALID_ASYNC_HANDLER'
  })
})

t.test('addHook after ready throws', async (t) => {
  const app = velox()
  await app.ready()
  t.throws(() => app.addHook('onRequest', () => {}), {
    code: 'FST_ERR_INSTANCE_ALREADY_LISTENING',
    message: 'Fastify instance is already listening. Cannot call "addHook"!'
  })
})

t.test('callback and async hooks both continue the request', async (t) => {
  const app = velox()
  const trail: Trail = []
  app.addHook('onRequest', (_req: any, _reply: any, done: () => void) => { trail.push('onRequest cb'); done() })
  app.addHook('onRequest', async () => { trail.push('onRequest async') })
  app.addHook('preParsing', (_req: any, _reply: any, payload: unknown, done: (err: null, p: unknown) => void) => { trail.push('preParsing cb'); done(null, payload) })
  app.addHook('preParsing', async () => { trail.push('preParsing async') })
  app.addHook('preValidation', (_req: any, _reply: any, done: () => void) => { trail.push('preValidation cb'); done() })
  app.addHook('preValidation', async () => { trail.push('preValidation async') })
  app.addHook('preHandler', (_req: any, _reply: any, done: () => void) => { trail.push('preHandler cb'); done() })
  app.addHook('preHandler', async () => { trail.push('preHandler async') })
  app.post('/', async (req: any) => { trail.push('handler'); return req.body })
  const res = await app.inject({ method: 'POST', url: '/', payload: { a: 1 } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { a: 1 })
  t.same(trail, [
    'onRequest cb', 'onRequest async', 'preParsing cb', 'preParsing async',
    'preValidation cb', 'preValidation async', 'preHandler cb', 'preHandler async', 'handler'
  ])
})

t.test('hooks run in stage order and see the body only after parsing', async (t) => {
  const app = velox()
  const seen: Record<string, unknown> = {}
  app.addHook('onRequest', async (req: any) => { seen.onRequest = req.body })
  app.addHook('preParsing', async (req: any) => { seen.preParsing = req.body })
  app.addHook('preValidation', async (req: any) => { seen.preValidation = req.body })
  app.addHook('preHandler', async (req: any) => { seen.preHandler = req.body })
  app.post('/', async () => 'ok')
  await app.inject({ method: 'POST', url: '/', payload: { a: 1 } })
  t.same(seen, { onRequest: undefined, preParsing: undefined, preValidation: { a: 1 }, preHandler: { a: 1 } })
})

t.test('hooks run in registration order, parents before children, route-level last', async (t) => {
  const app = velox()
  const trail: Trail = []
  const hook = (label: string) => async () => { trail.push(label) }
  for (const name of ['onRequest', 'preParsing', 'preValidation', 'preHandler']) {
    app.addHook(name, hook(`${name} root 1`))
    app.addHook(name, hook(`${name} root 2`))
  }
  app.register(async function child (child: any) {
    for (const name of ['onRequest', 'preParsing', 'preValidation', 'preHandler']) child.addHook(name, hook(`${name} child`))
    child.post('/', {
      onRequest: hook('onRequest route'),
      preParsing: [hook('preParsing route 1'), hook('preParsing route 2')],
      preValidation: hook('preValidation route'),
      preHandler: [hook('preHandler route')]
    }, async () => 'ok')
  })
  const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain' }, payload: 'x' })
  t.equal(res.statusCode, 200)
  t.same(trail, [
    'onRequest root 1', 'onRequest root 2', 'onRequest child', 'onRequest route',
    'preParsing root 1', 'preParsing root 2', 'preParsing child', 'preParsing route 1', 'preParsing route 2',
    'preValidation root 1', 'preValidation root 2', 'preValidation child', 'preValidation route',
    'preHandler root 1', 'preHandler root 2', 'preHandler child', 'preHandler route'
  ])
})

t.test('a hook a parent adds after registering a plugin still runs for that plugin\'s routes', async (t) => {
  const app = velox()
  const trail: Trail = []
  app.register(async function outer (outer: any) {
    await outer.register(async function inner (inner: any) {
      inner.get('/inner', async () => 'inner')
    })
    outer.addHook('onRequest', async () => { trail.push('outer hook') })
  })
  app.addHook('onRequest', async () => { trail.push('root hook') })
  const res = await app.inject('/inner')
  t.equal(res.body, 'inner')
  t.same(trail.sort(), ['outer hook', 'root hook'])
})

t.test('a hook added in a plugin is encapsulated in that plugin', async (t) => {
  const app = velox()
  const trail: Trail = []
  app.register(async function a (a: any) {
    a.addHook('onRequest', async (req: any) => { trail.push(`a:${req.url}`) })
    a.get('/a', async () => 'a')
  })
  app.register(async function b (b: any) {
    b.get('/b', async () => 'b')
  })
  app.get('/root', async () => 'root')
  await app.inject('/a')
  await app.inject('/b')
  await app.inject('/root')
  t.same(trail, ['a:/a'])
})

t.test('a hook added by a skip-override plugin applies to its parent', async (t) => {
  const app = velox()
  const trail: Trail = []
  const shared = async function shared (instance: any) {
    instance.addHook('onRequest', async () => { trail.push('shared') })
  }
  ;(shared as any)[Symbol.for('skip-override')] = true
  app.register(shared)
  app.get('/', async () => 'ok')
  await app.inject('/')
  t.same(trail, ['shared'])
})

t.test('hooks run with this bound to the instance of the route\'s plugin', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  app.addHook('onRequest', async function (this: any) { seen.push(this.where) })
  app.register(async function child (child: any) {
    child.decorate('where', 'child')
    child.get('/', { preHandler: async function (this: any) { seen.push(this.where) } }, async () => 'ok')
  })
  await app.inject('/')
  t.same(seen, ['child', 'child'])
})

for (const stage of ['onRequest', 'preParsing', 'preValidation', 'preHandler']) {
  t.test(`replying from ${stage} skips the rest and still runs onSend and onResponse`, async (t) => {
    const app = velox()
    const trail: Trail = []
    const stages = ['onRequest', 'preParsing', 'preValidation', 'preHandler']
    for (const name of stages) {
      app.addHook(name, async (_req: any, reply: any) => {
        trail.push(name)
        if (name === stage) {
          reply.code(203).send({ early: name })
          return reply
        }
      })
    }
    app.addHook('onSend', async (_req: any, _reply: any, payload: unknown) => { trail.push(`onSend ${String(payload)}`) })
    const responded = new Promise<void>((resolve) => {
      app.addHook('onResponse', async () => { trail.push('onResponse'); resolve() })
    })
    app.post('/', async () => { trail.push('handler'); return 'handler' })
    const res = await app.inject({ method: 'POST', url: '/', payload: { a: 1 } })
    await responded
    t.equal(res.statusCode, 203)
    t.same(res.json(), { early: stage })
    t.same(trail, [...stages.slice(0, stages.indexOf(stage) + 1), `onSend {"early":"${stage}"}`, 'onResponse'])
  })

  t.test(`a callback ${stage} hook can reply early without calling done`, async (t) => {
    const app = velox()
    let handlerRan = false
    if (stage === 'preParsing') {
      app.addHook(stage, (_req: any, reply: any, _payload: unknown, _done: unknown) => { reply.send('early') })
    } else {
      app.addHook(stage, (_req: any, reply: any, _done: unknown) => { reply.send('early') })
    }
    app.post('/', async () => { handlerRan = true; return 'handler' })
    const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain' }, payload: 'x' })
    t.equal(res.body, 'early')
    t.equal(handlerRan, false)
  })

  t.test(`an error from ${stage} goes to the error handler with its status`, async (t) => {
    const styles = ['done', 'throw', 'reject'] as const
    for (const style of styles) {
      const app = velox()
      const onSend: unknown[] = []
      const fail = (done?: (err: Error) => void): unknown => {
        const err = Object.assign(new Error(`${stage} ${style}`), { statusCode: 418, code: 'TEAPOT' })
        if (style === 'done') return done?.(err)
        if (style === 'throw') throw err
        return Promise.reject(err)
      }
      if (stage === 'preParsing') {
        app.addHook(stage, style === 'done'
          ? (_req: any, _reply: any, _payload: unknown, done: any) => fail(done)
          : (_req: any, _reply: any, _payload: unknown, _done?: unknown) => fail())
      } else {
        app.addHook(stage, style === 'done'
          ? (_req: any, _reply: any, done: any) => fail(done)
          : (_req: any, _reply: any, _done?: unknown) => fail())
      }
      app.addHook('onSend', async (_req: any, reply: any, payload: unknown) => { onSend.push([reply.statusCode, payload]) })
      let handlerRan = false
      app.post('/', async () => { handlerRan = true; return 'handler' })
      const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain' }, payload: 'x' })
      t.equal(res.statusCode, 418, style)
      t.same(res.json(), { statusCode: 418, code: 'TEAPOT', error: "I'm a Teapot", message: `${stage} ${style}` }, style)
      t.equal(handlerRan, false, style)
      t.equal(onSend.length, 1, `${style}: the error reply goes through onSend`)
    }
  })
}

t.test('a hook rejecting with no value answers 500 FST_ERR_SEND_UNDEFINED_ERR', async (t) => {
  const app = velox()
  app.addHook('preHandler', () => Promise.reject(undefined)) // eslint-disable-line prefer-promise-reject-errors
  app.get('/', async () => 'ok')
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { statusCode: 500, code: 'FST_ERR_SEND_UNDEFINED_ERR', error: 'Internal Server Error', message: 'Undefined error has occurred' })
})

t.test('an error thrown without a status code becomes a 500', async (t) => {
  const app = velox()
  app.addHook('onRequest', async () => { throw new Error('kaboom') })
  app.get('/', async () => 'ok')
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { statusCode: 500, error: 'Internal Server Error', message: 'kaboom' })
})

t.test('hooks also run for the routes added by route()', async (t) => {
  const app = velox()
  const trail: Trail = []
  app.route({
    method: 'GET',
    url: '/',
    onRequest: async () => { trail.push('onRequest') },
    preHandler: (_req: any, _reply: any, done: () => void) => { trail.push('preHandler'); done() },
    handler: async () => 'ok'
  })
  await app.inject('/')
  t.same(trail, ['onRequest', 'preHandler'])
})

t.test('preParsing may replace the body stream', async (t) => {
  const app = velox()
  app.addHook('preParsing', async (_req: any, _reply: any, payload: NodeJS.ReadableStream) => {
    const upper = new Transform({
      transform (chunk, _enc, cb) { cb(null, chunk.toString().toUpperCase()) }
    })
    return payload.pipe(upper)
  })
  app.post('/', async (req: any) => req.body)
  const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain' }, payload: 'hello' })
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'HELLO')
})

t.test('preParsing may replace the body stream through the done callback', async (t) => {
  const app = velox()
  app.addHook('preParsing', (_req: any, _reply: any, payload: NodeJS.ReadableStream, done: (err: null, p: unknown) => void) => {
    done(null, payload.pipe(new Transform({ transform (chunk, _enc, cb) { cb(null, chunk.toString().replace('1', '2')) } })))
  })
  app.post('/', async (req: any) => req.body)
  const res = await app.inject({ method: 'POST', url: '/', payload: { a: 1 } })
  t.same(res.json(), { a: 2 })
})

t.test('a later preParsing hook receives the stream an earlier one returned', async (t) => {
  const app = velox()
  const marker = new Transform({ transform (chunk, _enc, cb) { cb(null, chunk) } })
  let received: unknown
  app.addHook('preParsing', async (_req: any, _reply: any, payload: NodeJS.ReadableStream) => payload.pipe(marker))
  app.addHook('preParsing', async (_req: any, _reply: any, payload: unknown) => { received = payload })
  app.post('/', async (req: any) => req.body)
  const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain' }, payload: 'same' })
  t.equal(res.body, 'same')
  t.equal(received, marker)
})

function gunzipCounting (payload: NodeJS.ReadableStream): NodeJS.ReadableStream {
  const gunzip = createGunzip() as ReturnType<typeof createGunzip> & { receivedEncodedLength: number }
  gunzip.receivedEncodedLength = 0
  payload.on('data', (chunk: Buffer) => { gunzip.receivedEncodedLength += chunk.length })
  return payload.pipe(gunzip)
}

t.test('a gunzip preParsing stream with receivedEncodedLength passes the Content-Length check', async (t) => {
  const app = velox()
  app.addHook('preParsing', async (_req: any, _reply: any, payload: NodeJS.ReadableStream) => gunzipCounting(payload))
  app.post('/', async (req: any) => req.body)
  const zipped = gzipSync(JSON.stringify({ hello: 'world'.repeat(50) }))
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: zipped
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { hello: 'world'.repeat(50) })
})

t.test('a decoded stream without receivedEncodedLength fails the Content-Length check', async (t) => {
  const app = velox()
  app.addHook('preParsing', async (_req: any, _reply: any, payload: NodeJS.ReadableStream) => payload.pipe(createGunzip()))
  app.post('/', async (req: any) => req.body)
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json' },
    payload: gzipSync(JSON.stringify({ hello: 'world'.repeat(50) }))
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
})

t.test('receivedEncodedLength over the body limit answers 413', async (t) => {
  const app = velox({ bodyLimit: 100 })
  app.addHook('preParsing', async (_req: any, _reply: any, payload: NodeJS.ReadableStream) => {
    const passthrough = new Transform({
      transform (chunk, _enc, cb) {
        // Reports a larger encoded size than it decodes, like a zip bomb would in reverse.
        passthrough.receivedEncodedLength += chunk.length * 10
        cb(null, chunk)
      }
    }) as Transform & { receivedEncodedLength: number }
    passthrough.receivedEncodedLength = 0
    return payload.pipe(passthrough)
  })
  app.post('/', async (req: any) => req.body)
  const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain' }, payload: 'x'.repeat(50) })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'FST_ERR_CTP_BODY_TOO_LARGE')
})

t.test('a hook added after a route was declared still runs for it, as hooks are merged at ready', async (t) => {
  const app = velox()
  const trail: Trail = []
  app.get('/', async () => 'root')
  app.addHook('onRequest', async () => { trail.push('added later') })
  app.register(async function child (child: any) {
    child.get('/child', async () => 'child')
    child.addHook('preHandler', async () => { trail.push('child, added later') })
  })
  await app.inject('/')
  await app.inject('/child')
  t.same(trail, ['added later', 'added later', 'child, added later'])
})

t.test('onRequest hooks run for the 404 handler of their scope', async (t) => {
  const app = velox()
  const trail: Trail = []
  app.addHook('onRequest', async (req: any) => { trail.push(req.url) })
  const res = await app.inject('/missing')
  t.equal(res.statusCode, 404)
  t.same(trail, ['/missing'])
})
