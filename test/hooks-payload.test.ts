import t from 'tap'
import { Readable } from 'node:stream'
import velox from '../lib/index.js'

// preSerialization

t.test('preSerialization may replace an object payload before it is serialized', async (t) => {
  const app = velox()
  app.addHook('preSerialization', async (_req: any, _reply: any, payload: any) => ({ ...payload, added: true }))
  app.get('/', async () => ({ hello: 'world' }))
  const res = await app.inject('/')
  t.same(res.json(), { hello: 'world', added: true })
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
})

t.test('preSerialization hooks chain through done and see the previous hook\'s payload', async (t) => {
  const app = velox()
  app.addHook('preSerialization', (_req: any, _reply: any, payload: any, done: any) => { done(null, { wrapped: payload }) })
  app.addHook('preSerialization', (_req: any, _reply: any, payload: any, done: any) => { done(null, { again: payload }) })
  app.get('/', async () => ({ n: 1 }))
  const res = await app.inject('/')
  t.same(res.json(), { again: { wrapped: { n: 1 } } })
})

t.test('preSerialization that resolves with nothing keeps the payload', async (t) => {
  const app = velox()
  app.addHook('preSerialization', async () => {})
  app.get('/', async () => ({ kept: true }))
  const res = await app.inject('/')
  t.same(res.json(), { kept: true })
})

t.test('the replaced payload goes through the response schema', async (t) => {
  const app = velox()
  app.addHook('preSerialization', async () => ({ id: 1, secret: 'x' }))
  app.get('/', {
    schema: { response: { 200: { type: 'object', properties: { id: { type: 'integer' } } } } }
  }, async () => ({ id: 2 }))
  const res = await app.inject('/')
  t.equal(res.body, '{"id":1}')
})

t.test('preSerialization does not run for strings, Buffers or streams', async (t) => {
  const app = velox()
  let calls = 0
  app.addHook('preSerialization', async () => { calls++ })
  app.get('/string', async () => 'text')
  app.get('/buffer', async () => Buffer.from('bytes'))
  app.get('/stream', async () => Readable.from(['streamed']))
  app.get('/json-string', async (_req: any, reply: any) => reply.type('application/json').send('{"already":"json"}'))
  t.equal((await app.inject('/string')).body, 'text')
  t.equal((await app.inject('/buffer')).body, 'bytes')
  t.equal((await app.inject('/stream')).body, 'streamed')
  t.equal((await app.inject('/json-string')).body, '{"already":"json"}')
  t.equal(calls, 0)
  await app.close()
})

t.test('preSerialization runs for null payloads serialized as JSON', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  app.addHook('preSerialization', async (_req: any, _reply: any, payload: unknown) => { seen.push(payload) })
  app.get('/', async (_req: any, reply: any) => reply.send(null))
  const res = await app.inject('/')
  t.equal(res.body, 'null')
  t.same(seen, [null])
})

t.test('preSerialization does not run for the default error payload', async (t) => {
  const app = velox()
  let calls = 0
  app.addHook('preSerialization', async () => { calls++ })
  app.get('/', async () => { throw new Error('nope') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(calls, 0)
})

t.test('preSerialization runs for the object an error handler sends', async (t) => {
  const app = velox()
  app.addHook('preSerialization', async (_req: any, _reply: any, payload: any) => ({ ...payload, via: 'preSerialization' }))
  app.setErrorHandler(async (err: Error, _req: any, reply: any) => { reply.code(409); return { failed: err.message } })
  app.get('/', async () => { throw new Error('nope') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 409)
  t.same(res.json(), { failed: 'nope', via: 'preSerialization' })
})

t.test('an error in preSerialization goes to the error handler', async (t) => {
  const app = velox()
  app.addHook('preSerialization', async () => { throw Object.assign(new Error('bad payload'), { statusCode: 422 }) })
  app.get('/', async () => ({ a: 1 }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 422)
  t.same(res.json(), { statusCode: 422, error: 'Unprocessable Entity', message: 'bad payload' })
})

t.test('route-level preSerialization runs after the scope\'s hooks', async (t) => {
  const app = velox()
  app.addHook('preSerialization', async (_req: any, _reply: any, p: any) => ({ ...p, order: [...p.order, 'scope'] }))
  app.get('/', {
    preSerialization: async (_req: any, _reply: any, p: any) => ({ ...p, order: [...p.order, 'route'] })
  }, async () => ({ order: [] }))
  t.same((await app.inject('/')).json(), { order: ['scope', 'route'] })
})

// onSend

t.test('onSend receives the serialized payload and may replace it with a string', async (t) => {
  const app = velox()
  let received: unknown
  app.addHook('onSend', async (_req: any, _reply: any, payload: unknown) => {
    received = payload
    return 'replaced'
  })
  app.get('/', async () => ({ a: 1 }))
  const res = await app.inject('/')
  t.equal(received, '{"a":1}')
  t.equal(res.body, 'replaced')
  t.equal(res.headers['content-length'], String('replaced'.length))
})

t.test('onSend may replace the payload with a Buffer', async (t) => {
  const app = velox()
  app.addHook('onSend', (_req: any, _reply: any, _payload: unknown, done: any) => { done(null, Buffer.from('bytes!')) })
  app.get('/', async () => 'text')
  const res = await app.inject('/')
  t.equal(res.body, 'bytes!')
  t.equal(res.headers['content-length'], '6')
})

t.test('onSend may replace the payload with a stream', async (t) => {
  const app = velox()
  app.addHook('onSend', async () => Readable.from(['from ', 'a ', 'stream']))
  app.get('/', async () => ({ a: 1 }))
  const res = await app.inject('/')
  t.equal(res.body, 'from a stream')
})

t.test('onSend may replace the payload with null for an empty body', async (t) => {
  const app = velox()
  app.addHook('onSend', (_req: any, _reply: any, _payload: unknown, done: any) => { done(null, null) })
  app.get('/', async () => ({ a: 1 }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  t.equal(res.headers['content-length'], '0')
})

t.test('onSend that resolves with nothing keeps the payload', async (t) => {
  const app = velox()
  app.addHook('onSend', async () => {})
  app.get('/', async () => ({ a: 1 }))
  t.equal((await app.inject('/')).body, '{"a":1}')
})

t.test('onSend may set headers and the status code', async (t) => {
  const app = velox()
  app.addHook('onSend', async (_req: any, reply: any) => { reply.header('x-on-send', 'yes').code(202) })
  app.get('/', async () => 'ok')
  const res = await app.inject('/')
  t.equal(res.statusCode, 202)
  t.equal(res.headers['x-on-send'], 'yes')
})

t.test('onSend hooks run in order, parents first, route-level last', async (t) => {
  const app = velox()
  const tag = (label: string) => async (_req: any, _reply: any, payload: string) => `${payload}>${label}`
  app.addHook('onSend', tag('root'))
  app.register(async function child (child: any) {
    child.addHook('onSend', tag('child'))
    child.get('/', { onSend: [tag('route 1'), tag('route 2')] }, async () => 'start')
  })
  t.equal((await app.inject('/')).body, 'start>root>child>route 1>route 2')
})

t.test('onSend receives the serialized error payload', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  app.addHook('onSend', async (_req: any, reply: any, payload: unknown) => { seen.push([reply.statusCode, payload]) })
  app.get('/', async () => { throw Object.assign(new Error('no'), { statusCode: 403 }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 403)
  t.same(seen, [[403, '{"statusCode":403,"error":"Forbidden","message":"no"}']])
})

t.test('onSend receives undefined for an empty reply', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  app.addHook('onSend', async (_req: any, _reply: any, payload: unknown) => { seen.push(payload) })
  app.get('/', (_req: any, reply: any) => { reply.code(204).send() })
  const res = await app.inject('/')
  t.equal(res.statusCode, 204)
  t.same(seen, [undefined])
})

t.test('an error in onSend becomes the error reply, which runs onSend again', async (t) => {
  const app = velox()
  let calls = 0
  app.addHook('onSend', async (_req: any, _reply: any, payload: unknown) => {
    calls++
    if (calls === 1) throw Object.assign(new Error('onSend failed'), { statusCode: 503 })
    return payload
  })
  app.get('/', async () => 'ok')
  const res = await app.inject('/')
  t.equal(res.statusCode, 503)
  t.same(res.json(), { statusCode: 503, error: 'Service Unavailable', message: 'onSend failed' })
  t.equal(calls, 2)
})

t.test('an onSend hook that always fails still gets an answer out', async (t) => {
  const app = velox()
  let calls = 0
  app.addHook('onSend', (_req: any, _reply: any, _payload: unknown, done: any) => {
    calls++
    done(new Error(`onSend failed ${calls}`))
  })
  app.get('/', async () => 'ok')
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { statusCode: 500, error: 'Internal Server Error', message: 'onSend failed 2' })
  t.equal(calls, 2)
})

t.test('onSend that replaces the payload with an invalid type answers 500 FST_ERR_REP_INVALID_PAYLOAD_TYPE', async (t) => {
  const app = velox()
  let calls = 0
  app.addHook('onSend', async (_req: any, _reply: any, payload: unknown) => {
    calls++
    return calls === 1 ? { not: 'serialized' } : payload
  })
  app.get('/', async () => 'ok')
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.json().code, 'FST_ERR_REP_INVALID_PAYLOAD_TYPE')
  t.equal(res.json().message, "Attempted to send payload of invalid type 'object'. Expected a string or Buffer.")
})

// onError

t.test('onError runs before the error handler with the error', async (t) => {
  const app = velox()
  const trail: string[] = []
  app.addHook('onError', async (_req: any, _reply: any, error: Error) => { trail.push(`onError ${error.message}`) })
  app.setErrorHandler((error: Error, _req: any, reply: any) => {
    trail.push(`handler ${error.message}`)
    reply.code(400).send({ handled: true })
  })
  app.get('/', async () => { throw new Error('boom') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { handled: true })
  t.same(trail, ['onError boom', 'handler boom'])
})

t.test('onError works in callback style and in order', async (t) => {
  const app = velox()
  const trail: string[] = []
  app.addHook('onError', (_req: any, _reply: any, _error: Error, done: () => void) => { trail.push('first'); done() })
  app.addHook('onError', async () => { trail.push('second') })
  app.get('/', { onError: async () => { trail.push('route') } }, async () => { throw new Error('boom') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(trail, ['first', 'second', 'route'])
})

t.test('onError runs for errors from hooks, handlers and reply.send(error)', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.addHook('onError', async (_req: any, _reply: any, error: Error) => { seen.push(error.message) })
  app.get('/hook', { preHandler: async () => { throw new Error('from hook') } }, async () => 'x')
  app.get('/sync', () => { throw new Error('from sync handler') })
  app.get('/send', (_req: any, reply: any) => { reply.send(new Error('from send')) })
  app.get('/fine', async () => 'fine')
  await app.inject('/hook')
  await app.inject('/sync')
  await app.inject('/send')
  await app.inject('/fine')
  t.same(seen, ['from hook', 'from sync handler', 'from send'])
})

t.test('onError runs once even when the error handler throws', async (t) => {
  const app = velox()
  let calls = 0
  app.addHook('onError', async () => { calls++ })
  app.setErrorHandler(async () => { throw new Error('handler failed') })
  app.get('/', async () => { throw new Error('first') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.json().message, 'handler failed')
  t.equal(calls, 1)
})

t.test('calling reply.send inside onError throws FST_ERR_SEND_INSIDE_ONERR and the error reply still goes out', async (t) => {
  const app = velox()
  let thrown: any
  app.addHook('onError', (_req: any, reply: any, _error: Error, done: () => void) => {
    try {
      reply.send('changed')
    } catch (err) {
      thrown = err
    }
    done()
  })
  app.get('/', async () => { throw Object.assign(new Error('original'), { statusCode: 409 }) })
  const res = await app.inject('/')
  t.equal(thrown?.code, 'FST_ERR_SEND_INSIDE_ONERR')
  t.equal(thrown?.message, 'You cannot use `send` inside the `onError` hook')
  t.equal(res.statusCode, 409)
  t.equal(res.json().message, 'original')
})

t.test('an error from an onError hook is ignored and the original error is handled', async (t) => {
  const app = velox()
  app.addHook('onError', async () => { throw new Error('hook failed') })
  app.get('/', async () => { throw Object.assign(new Error('original'), { statusCode: 418 }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 418)
  t.equal(res.json().message, 'original')
})

t.test('onError is encapsulated in its plugin', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.register(async function child (child: any) {
    child.addHook('onError', async (req: any) => { seen.push(req.url) })
    child.get('/child', async () => { throw new Error('x') })
  })
  app.get('/root', async () => { throw new Error('x') })
  await app.inject('/child')
  await app.inject('/root')
  t.same(seen, ['/child'])
})

t.test('onError does not run for a 404', async (t) => {
  const app = velox()
  let calls = 0
  app.addHook('onError', async () => { calls++ })
  const res = await app.inject('/missing')
  t.equal(res.statusCode, 404)
  t.equal(calls, 0)
})
