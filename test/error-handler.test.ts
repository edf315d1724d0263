import t from 'tap'
import velox from '../lib/index.js'
import { logCollector as logSink } from './log-collector.js'

const httpError = (message: string, fields: Record<string, unknown>): Error => Object.assign(new Error(message), fields)

// The default handler and payload

t.test('an error answers { statusCode, code, error, message } with the error\'s status', async (t) => {
  const app = velox()
  app.get('/', async () => { throw httpError('not yours', { statusCode: 403, code: 'E_FORBIDDEN' }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 403)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.body, '{"statusCode":403,"code":"E_FORBIDDEN","error":"Forbidden","message":"not yours"}')
})

t.test('an error without a status is a 500 that keeps its message and leaks no stack', async (t) => {
  const app = velox()
  app.get('/', async () => { throw new Error('database down') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { statusCode: 500, error: 'Internal Server Error', message: 'database down' })
  t.notMatch(res.body, /stack|at /)
})

t.test('the status may come from error.status', async (t) => {
  const app = velox()
  app.get('/', async () => { throw httpError('gone', { status: 410 }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 410)
  t.equal(res.json().error, 'Gone')
})

t.test('an error status outside 400-599 becomes 500', async (t) => {
  const app = velox()
  app.get('/redirect', async () => { throw httpError('odd', { statusCode: 302 }) })
  app.get('/huge', async () => { throw httpError('odd', { statusCode: 999 }) })
  t.equal((await app.inject('/redirect')).statusCode, 500)
  t.equal((await app.inject('/huge')).statusCode, 500)
})

t.test('the error\'s own status wins over a status already set on the reply', async (t) => {
  const app = velox()
  app.get('/own', async (_req: any, reply: any) => { reply.code(404); throw httpError('teapot', { statusCode: 418 }) })
  app.get('/kept', async (_req: any, reply: any) => { reply.code(409); throw new Error('conflict') })
  app.get('/success', async (_req: any, reply: any) => { reply.code(201); throw new Error('not created') })
  t.equal((await app.inject('/own')).statusCode, 418)
  t.equal((await app.inject('/kept')).statusCode, 409, 'an error status set on the reply is kept for an error without one')
  t.equal((await app.inject('/success')).statusCode, 500, 'a success status is not kept for an error')
})

t.test('an error with headers sets them on the reply', async (t) => {
  const app = velox()
  app.get('/', async () => { throw httpError('slow down', { statusCode: 429, headers: { 'retry-after': '10', 'x-limit': 5 } }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 429)
  t.equal(res.headers['retry-after'], '10')
  t.equal(res.headers['x-limit'], '5')
})

t.test('reply.send(error) keeps the message of a 4xx error', async (t) => {
  const app = velox()
  app.get('/', (_req: any, reply: any) => { reply.code(400).send(new Error('name is required')) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { statusCode: 400, error: 'Bad Request', message: 'name is required' })
})

t.test('a non-string error code is sent as a string', async (t) => {
  const app = velox()
  app.get('/', async () => { throw httpError('numbered', { code: 42 }) })
  t.equal((await app.inject('/')).json().code, '42')
})

t.test('errors drop content headers set before them', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    reply.type('text/csv').header('content-length', '999')
    throw new Error('midway')
  })
  const res = await app.inject('/')
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.headers['content-length'], String(res.body.length))
})

t.test('a response schema for the error status shapes the error payload', async (t) => {
  const app = velox()
  app.get('/', {
    schema: {
      response: {
        500: { type: 'object', properties: { message: { type: 'string' }, requestId: { type: 'string' } } }
      }
    }
  }, async () => { throw httpError('with extras', { requestId: 'r-1', secret: 'hidden' }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { message: 'with extras', requestId: 'r-1' })
})

t.test('4xx errors are logged at info and 5xx at error', async (t) => {
  const { stream, lines } = logSink()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/client', async () => { throw httpError('client fault', { statusCode: 400 }) })
  app.get('/server', async () => { throw new Error('server fault') })
  await app.inject('/client')
  await app.inject('/server')
  const client = lines.find((l) => l.msg === 'client fault')
  const server = lines.find((l) => l.msg === 'server fault')
  t.equal(client?.level, 30)
  t.equal(server?.level, 50)
  t.equal(server?.err?.message, 'server fault')
})

// Non-Error values

t.test('a plain object thrown with its own 4xx statusCode is sent as the answer, as Fastify sends it (@fastify/rate-limit errorResponseBuilder)', async (t) => {
  const { stream, lines } = logSink()
  const app = velox({ logger: { stream, level: 'info' } })
  app.addHook('onRequest', async (request) => {
    // eslint-disable-next-line no-throw-literal
    if (request.url === '/limited') throw { statusCode: 429, limit: 2, timeWindow: '1 second' }
  })
  app.get('/limited', async () => 'never')
  app.get('/5xx', async () => { throw { statusCode: 503, secret: 'hunter2' } }) // eslint-disable-line no-throw-literal
  app.get('/array', async () => { throw [{ statusCode: 400 }] }) // eslint-disable-line no-throw-literal
  const limited = await app.inject('/limited')
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['content-type'], 'application/json; charset=utf-8')
  t.same(limited.json(), { statusCode: 429, limit: 2, timeWindow: '1 second' })
  t.ok(lines.some((l) => l.level === 30 && l.err?.limit === 2), 'logged at info, as a 4xx error')
  // Only a client error: a 5xx object or anything else stays hidden behind the coded 500.
  const hidden = await app.inject('/5xx')
  t.equal(hidden.statusCode, 500)
  t.equal(hidden.json().code, 'VLX_ERR_HANDLER_NON_ERROR_THROWN')
  t.equal((await app.inject('/array')).json().code, 'VLX_ERR_HANDLER_NON_ERROR_THROWN')
})

t.test('non-Error throws and rejections become coded 500s that name the kind of value, not the value', async (t) => {
  const app = velox()
  app.get('/string', async () => { throw 'just a string' }) // eslint-disable-line no-throw-literal
  app.get('/sync-string', () => { throw 'sync string' }) // eslint-disable-line no-throw-literal
  app.get('/number', () => Promise.reject(42)) // eslint-disable-line prefer-promise-reject-errors
  app.get('/object', async () => { throw { foo: 'bar' } }) // eslint-disable-line no-throw-literal
  app.get('/undefined', () => Promise.reject(undefined)) // eslint-disable-line prefer-promise-reject-errors
  app.get('/null', async () => { throw null }) // eslint-disable-line no-throw-literal
  app.get('/symbol', () => { throw Symbol('x') })
  const nonError = (value: string): Record<string, unknown> => ({
    statusCode: 500,
    code: 'VLX_ERR_HANDLER_NON_ERROR_THROWN',
    error: 'Internal Server Error',
    message: `A non-Error value was thrown or rejected: ${value}`
  })
  const undefinedError = { statusCode: 500, code: 'FST_ERR_SEND_UNDEFINED_ERR', error: 'Internal Server Error', message: 'Undefined error has occurred' }
  t.same((await app.inject('/string')).json(), nonError('a string'))
  t.same((await app.inject('/sync-string')).json(), nonError('a string'))
  t.same((await app.inject('/number')).json(), nonError('a number'))
  t.same((await app.inject('/object')).json(), nonError('an object'))
  t.same((await app.inject('/undefined')).json(), undefinedError)
  t.same((await app.inject('/null')).json(), undefinedError)
  t.same((await app.inject('/symbol')).json(), nonError('a symbol'))
})

t.test('error handlers and onError hooks receive a non-Error value as it was thrown', async (t) => {
  const app = velox()
  const thrown = { detail: 1 }
  const seen: unknown[] = []
  app.addHook('onError', async (_req: any, _reply: any, error: unknown) => { seen.push(error) })
  app.setErrorHandler((error: any, _req: any, reply: any) => { seen.push(error); reply.code(502).send('handled') })
  app.get('/object', async () => { throw thrown })
  app.get('/undefined', () => Promise.reject(undefined)) // eslint-disable-line prefer-promise-reject-errors
  const res = await app.inject('/object')
  t.equal(res.statusCode, 502)
  t.equal(res.body, 'handled')
  t.equal(seen[0], thrown)
  t.equal(seen[1], thrown)
  await app.inject('/undefined')
  t.same(seen.slice(2), [undefined, undefined])
})

// setErrorHandler

t.test('setErrorHandler receives the error, the request and the reply', async (t) => {
  const app = velox()
  app.setErrorHandler((error: Error, request: any, reply: any) => {
    reply.code(422).send({ caught: error.message, url: request.url })
  })
  app.get('/x', async () => { throw new Error('bad input') })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 422)
  t.same(res.json(), { caught: 'bad input', url: '/x' })
})

t.test('an async error handler may return the payload', async (t) => {
  const app = velox()
  app.setErrorHandler(async (error: Error, _req: any, reply: any) => {
    reply.code(503)
    return { unavailable: error.message }
  })
  app.get('/', async () => { throw new Error('later') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 503)
  t.same(res.json(), { unavailable: 'later' })
})

t.test('an async error handler that resolves without replying still ends the request', async (t) => {
  const app = velox()
  app.setErrorHandler(async () => {})
  app.get('/', async () => { throw new Error('swallowed') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
})

t.test('the error handler runs with this bound to the instance it was set on', async (t) => {
  const app = velox()
  let self: any
  app.register(async function child (child: any) {
    child.decorate('label', 'child scope')
    child.setErrorHandler(function (this: any, error: Error, _req: any, reply: any) {
      self = this
      reply.send(error)
    })
    child.get('/', async () => { throw new Error('x') })
  })
  await app.inject('/')
  t.equal(self?.label, 'child scope')
})

t.test('error handlers are encapsulated per plugin', async (t) => {
  const app = velox()
  app.setErrorHandler((_error: Error, _req: any, reply: any) => { reply.code(500).send({ by: 'root' }) })
  app.register(async function child (child: any) {
    child.setErrorHandler((_error: Error, _req: any, reply: any) => { reply.code(500).send({ by: 'child' }) })
    child.get('/child', async () => { throw new Error('x') })
  })
  app.register(async function sibling (sibling: any) {
    sibling.get('/sibling', async () => { throw new Error('x') })
  })
  t.same((await app.inject('/child')).json(), { by: 'child' })
  t.same((await app.inject('/sibling')).json(), { by: 'root' })
})

t.test('an error thrown inside an error handler reaches the parent\'s handler', async (t) => {
  const app = velox()
  const trail: string[] = []
  app.setErrorHandler((error: Error, _req: any, reply: any) => {
    trail.push(`root:${error.message}`)
    reply.code(502).send({ final: error.message })
  })
  app.register(async function child (child: any) {
    child.setErrorHandler((error: Error) => {
      trail.push(`child:${error.message}`)
      throw new Error('child handler failed')
    })
    child.get('/', async () => { throw new Error('original') })
  })
  const res = await app.inject('/')
  t.equal(res.statusCode, 502)
  t.same(res.json(), { final: 'child handler failed' })
  t.same(trail, ['child:original', 'root:child handler failed'])
})

t.test('an error handler that sends an error passes it up the chain', async (t) => {
  const app = velox()
  app.register(async function child (child: any) {
    child.setErrorHandler(async (error: Error, _req: any, reply: any) => {
      reply.code(409).send(new Error(`wrapped: ${error.message}`))
    })
    child.get('/', async () => { throw new Error('inner') })
  })
  const res = await app.inject('/')
  t.equal(res.statusCode, 409)
  t.same(res.json(), { statusCode: 409, error: 'Conflict', message: 'wrapped: inner' })
})

t.test('an error thrown by the root\'s custom handler goes to the default handler', async (t) => {
  const app = velox()
  app.setErrorHandler(async () => { throw httpError('handler broke', { statusCode: 503 }) })
  app.get('/', async () => { throw new Error('first') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 503)
  t.same(res.json(), { statusCode: 503, error: 'Service Unavailable', message: 'handler broke' })
})

t.test('a route errorHandler runs before the scope\'s and falls back to it', async (t) => {
  const app = velox()
  app.setErrorHandler((error: Error, _req: any, reply: any) => { reply.code(500).send({ scope: error.message }) })
  app.get('/handled', { errorHandler: (_error: Error, _req: any, reply: any) => { reply.code(400).send({ route: true }) } }, async () => { throw new Error('x') })
  app.get('/rethrown', { errorHandler: () => { throw new Error('route handler gave up') } }, async () => { throw new Error('x') })
  t.same((await app.inject('/handled')).json(), { route: true })
  t.same((await app.inject('/rethrown')).json(), { scope: 'route handler gave up' })
})

t.test('setting an error handler again in the same scope replaces it, and the replaced one is its fallback', async (t) => {
  const app = velox()
  app.setErrorHandler((error: Error, _req: any, reply: any) => { reply.code(418).send({ first: error.message }) })
  app.setErrorHandler(() => { throw new Error('second threw') })
  app.get('/', async () => { throw new Error('original') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 418)
  t.same(res.json(), { first: 'second threw' })
})

t.test('allowErrorHandlerOverride: false refuses a second handler in the same scope', async (t) => {
  const app = velox({ allowErrorHandlerOverride: false })
  app.setErrorHandler(() => {})
  t.throws(() => app.setErrorHandler(() => {}), {
    code: 'FST_ERR_ERROR_HANDLER_ALREADY_SET',
    message: "Error Handler already set in this scope. Set 'allowErrorHandlerOverride: true' to allow overriding."
  })
  app.register(async function child (child: any) {
    child.setErrorHandler(() => {})
  })
  await app.ready()
  t.pass('a child scope may still set its own')
})

t.test('setErrorHandler checks its argument and refuses after ready', async (t) => {
  const app = velox()
  t.throws(() => app.setErrorHandler('nope'), { code: 'FST_ERR_ERROR_HANDLER_NOT_FN', message: 'Error Handler must be a function' })
  await app.ready()
  t.throws(() => app.setErrorHandler(() => {}), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
})

t.test('instance.errorHandler is the default handler, usable from a custom one', async (t) => {
  const app = velox()
  const fallback = app.errorHandler
  t.type(fallback, 'function')
  app.setErrorHandler(function (this: any, error: Error, request: any, reply: any) {
    reply.header('x-custom', 'yes')
    fallback.call(this, error, request, reply)
  })
  app.get('/', async () => { throw httpError('via default', { statusCode: 451 }) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 451)
  t.equal(res.headers['x-custom'], 'yes')
  t.same(res.json(), { statusCode: 451, error: 'Unavailable For Legal Reasons', message: 'via default' })
})

t.test('errors from hooks, validation and parsing all reach the error handler', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.setErrorHandler((error: any, _req: any, reply: any) => {
    seen.push(error.code ?? error.message)
    reply.send(error)
  })
  app.post('/', {
    schema: { body: { type: 'object', required: ['a'] } },
    preHandler: async (req: any) => { if (req.body.a === 'hook') throw new Error('from preHandler') }
  }, async () => 'ok')
  await app.inject({ method: 'POST', url: '/', payload: {} })
  await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/json' }, payload: '{' })
  await app.inject({ method: 'POST', url: '/', payload: { a: 'hook' } })
  t.same(seen, ['FST_ERR_VALIDATION', 'FST_ERR_CTP_INVALID_JSON_BODY', 'from preHandler'])
})

// frameworkErrors

t.test('a malformed URL answers 400 FST_ERR_BAD_URL without running hooks', async (t) => {
  const app = velox()
  let hooks = 0
  app.addHook('onRequest', async () => { hooks++ })
  app.get('/:id', async () => 'ok')
  const res = await app.inject('/%zz')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'Bad Request', code: 'FST_ERR_BAD_URL', message: "'/%zz' is not a valid url component", statusCode: 400 })
  t.equal(hooks, 0)
})

t.test('a path parameter over maxParamLength answers 414 FST_ERR_MAX_PARAM_LENGTH', async (t) => {
  const app = velox({ maxParamLength: 10 })
  app.get('/:id', async () => 'ok')
  const res = await app.inject('/' + 'a'.repeat(11))
  t.equal(res.statusCode, 414)
  t.same(res.json(), { error: 'Bad Request', code: 'FST_ERR_MAX_PARAM_LENGTH', message: `'/${'a'.repeat(11)}' is exceeding the max param length`, statusCode: 414 })
  t.equal((await app.inject('/' + 'a'.repeat(10))).body, 'ok')
})

t.test('frameworkErrors answers router errors with a request and a reply, and no hooks', async (t) => {
  const seen: unknown[] = []
  const app = velox({
    maxParamLength: 10,
    frameworkErrors (error: any, request: any, reply: any) {
      seen.push([error.code, error.statusCode, request.url, typeof request.id, typeof request.log.info])
      reply.code(error.code === 'FST_ERR_BAD_URL' ? 400 : 414).send({ custom: error.code })
    }
  })
  let hooks = 0
  app.addHook('onRequest', async () => { hooks++ })
  app.addHook('onSend', async () => { hooks++ })
  app.get('/:id', async () => 'ok')
  const bad = await app.inject('/%zz')
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { custom: 'FST_ERR_BAD_URL' })
  const long = await app.inject('/' + 'a'.repeat(11))
  t.equal(long.statusCode, 414)
  t.same(long.json(), { custom: 'FST_ERR_MAX_PARAM_LENGTH' })
  t.same(seen, [
    ['FST_ERR_BAD_URL', 400, '/%zz', 'string', 'function'],
    ['FST_ERR_MAX_PARAM_LENGTH', 414, '/' + 'a'.repeat(11), 'string', 'function']
  ])
  t.equal(hooks, 0)
})

t.test('frameworkErrors may pass the error on to the default handler', async (t) => {
  const app = velox({
    frameworkErrors (error: Error, _request: any, reply: any) { reply.send(error) }
  })
  app.get('/:id', async () => 'ok')
  const res = await app.inject('/%zz')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { statusCode: 400, code: 'FST_ERR_BAD_URL', error: 'Bad Request', message: "'/%zz' is not a valid url component" })
})

t.test('frameworkErrors does not receive content-type parser errors', async (t) => {
  let calls = 0
  const app = velox({ frameworkErrors (_error: Error, _request: any, reply: any) { calls++; reply.send('framework') } })
  app.post('/', async (req: any) => req.body)
  const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/json' }, payload: '{' })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
  t.equal(calls, 0)
})

// childLoggerFactory

t.test('childLoggerFactory builds each request\'s logger, framework errors included', async (t) => {
  const { stream, lines } = logSink()
  const calls: unknown[] = []
  const app = velox({
    logger: { level: 'info', stream },
    childLoggerFactory (this: any, logger: any, bindings: Record<string, unknown>, opts: Record<string, unknown>, rawReq: any) {
      calls.push([typeof this.get, Object.keys(bindings), typeof opts, rawReq.url])
      return logger.child({ ...bindings, trace: rawReq.headers['x-trace'] ?? 'none' }, opts)
    },
    frameworkErrors (_error: Error, request: any, reply: any) {
      request.log.warn('framework error seen')
      reply.code(400).send({ framework: true })
    }
  })
  app.get('/:id', async (req: any) => { req.log.info('in handler'); return 'ok' })
  await app.inject({ url: '/1', headers: { 'x-trace': 'abc' } })
  await app.inject({ url: '/%zz', headers: { 'x-trace': 'def' } })
  t.same(calls, [['function', ['reqId'], 'object', '/1'], ['function', ['reqId'], 'object', '/%zz']])
  t.equal(lines.find((l) => l.msg === 'in handler')?.trace, 'abc')
  t.equal(lines.find((l) => l.msg === 'framework error seen')?.trace, 'def')
  t.type(app.childLoggerFactory, 'function', 'the instance exposes the factory')
})
