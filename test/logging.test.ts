import t from 'tap'
import pino from 'pino'
import velox, { LogController } from '../lib/index.js'
import { logCollector } from './log-collector.js'

t.test('each request logs one incoming request and one request completed line', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.post('/items', async () => ({ ok: true }))
  await app.inject({ method: 'POST', url: '/items?x=1', payload: { a: 1 } })
  t.equal(lines.length, 2)
  const [incoming, completed] = lines
  t.equal(incoming.msg, 'incoming request')
  t.equal(incoming.level, 30)
  t.equal(incoming.reqId, 'req-1')
  t.same(incoming.req, { method: 'POST', url: '/items?x=1', host: 'localhost:80', remoteAddress: '127.0.0.1' })
  t.equal(completed.msg, 'request completed')
  t.equal(completed.level, 30)
  t.equal(completed.reqId, 'req-1')
  t.same(completed.res, { statusCode: 200 })
  t.type(completed.responseTime, 'number')
  t.ok(completed.responseTime >= 0)
})

t.test('the req serializer includes the peer port and the accept-version header', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/', async () => 'ok')
  t.teardown(() => app.close())
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const res = await fetch(address + '/', { headers: { 'accept-version': '1.x' } })
  t.equal(await res.text(), 'ok')
  const incoming = lines.find((l) => l.msg === 'incoming request')
  t.equal(incoming?.req.method, 'GET')
  t.equal(incoming?.req.url, '/')
  t.equal(incoming?.req.version, '1.x')
  t.equal(incoming?.req.host, new URL(address).host)
  t.equal(incoming?.req.remoteAddress, '127.0.0.1')
  t.type(incoming?.req.remotePort, 'number')
})

t.test('every request gets its own child logger bound to its id', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  const loggers: unknown[] = []
  app.get('/', async (req: any) => {
    loggers.push(req.log)
    req.log.info('handler line')
    return 'ok'
  })
  await app.inject('/')
  await app.inject('/')
  t.not(loggers[0], loggers[1])
  t.not(loggers[0], app.log)
  t.same(lines.filter((l) => l.msg === 'handler line').map((l) => l.reqId), ['req-1', 'req-2'])
})

t.test('requestIdLogLabel renames the id binding', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream }, requestIdLogLabel: 'traceId' })
  app.get('/', async () => 'ok')
  await app.inject('/')
  t.same(lines.map((l) => l.traceId), ['req-1', 'req-1'])
  t.equal(lines[0].reqId, undefined)
})

t.test('logLevel on a plugin applies to the request logs of its routes', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.register(async (child: any) => {
    // As in Fastify, the plugin's own instance logger keeps the app level.
    child.log.info('plugin info')
    child.get('/quiet', async (req: any) => {
      req.log.info('hidden')
      req.log.error('shown')
      return 'ok'
    })
  }, { logLevel: 'error' })
  app.get('/normal', async () => 'ok')
  await app.inject('/quiet')
  await app.inject('/normal')
  t.same(lines.map((l) => l.msg), ['plugin info', 'shown', 'incoming request', 'request completed'])
  t.equal(lines[2].req.url, '/normal')
})

t.test('disableRequestLogging: true drops request lines but keeps the handler\'s own', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream }, disableRequestLogging: true })
  app.get('/', async (req: any) => {
    req.log.info('mine')
    return 'ok'
  })
  app.get('/fail', async () => { throw new Error('hidden failure') })
  await app.inject('/')
  await app.inject('/fail')
  await app.inject('/missing')
  t.same(lines.map((l) => l.msg), ['mine'], 'no request, default error handler or 404 lines')
})

t.test('disableRequestLogging as a function decides per request', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({
    logger: { level: 'info', stream },
    disableRequestLogging: (req: any) => req.url === '/health'
  })
  app.get('/health', async () => 'ok')
  app.get('/work', async () => 'ok')
  await app.inject('/health')
  await app.inject('/work')
  t.same(lines.map((l) => [l.msg, l.reqId]), [['incoming request', 'req-2'], ['request completed', 'req-2']])
})

t.test('without a logger nothing is written and app.log still has the pino methods', async (t) => {
  const app = velox()
  for (const method of ['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child']) {
    t.type(app.log[method], 'function', method)
  }
  app.get('/', async (req: any) => {
    req.log.info('into the void')
    return { childIsSame: req.log.child({}) === req.log }
  })
  t.same((await app.inject('/')).json(), { childIsSame: true })
})

t.test('logger: true builds a pino logger at level info', async (t) => {
  const app = velox({ logger: true })
  t.equal(app.log.level, 'info')
  t.type(app.log.child, 'function')
  t.equal(typeof app.log.isLevelEnabled, 'function')
  t.equal(app.log.isLevelEnabled('debug'), false)
})

t.test('logger options choose the level and the destination stream', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'warn', stream } })
  app.get('/', async (req: any) => {
    req.log.info('too low')
    req.log.warn('high enough')
    return 'ok'
  })
  await app.inject('/')
  t.equal(app.log.level, 'warn')
  t.same(lines.map((l) => l.msg), ['high enough'])
})

t.test('custom serializers in the logger options replace the defaults', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({
    logger: { level: 'info', stream, serializers: { req: (req: any) => ({ only: req.method }) } }
  })
  app.get('/', async () => 'ok')
  await app.inject('/')
  t.same(lines[0].req, { only: 'GET' })
  t.same(lines[1].res, { statusCode: 200 }, 'the other defaults stay')
})

t.test('a pino instance given as loggerInstance is used with the request serializers', async (t) => {
  const { lines, stream } = logCollector()
  const instance = pino({ level: 'info' }, stream)
  const app = velox({ loggerInstance: instance })
  app.get('/', async () => 'ok')
  await app.inject('/')
  t.equal(lines.length, 2)
  t.same(lines[0].req, { method: 'GET', url: '/', host: 'localhost:80', remoteAddress: '127.0.0.1' })
  t.same(lines[1].res, { statusCode: 200 })
})

t.test('logger and loggerInstance are checked with Fastify 5\'s codes', async (t) => {
  const instance = pino({ level: 'info' })
  t.throws(() => velox({ logger: instance as any }), { code: 'FST_ERR_LOG_INVALID_LOGGER_CONFIG', message: 'logger options only accepts a configuration object.' })
  t.throws(() => velox({ logger: true, loggerInstance: instance }), { code: 'FST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED' })
  t.throws(() => velox({ loggerInstance: { level: 'info' } as any }), { code: 'FST_ERR_LOG_INVALID_LOGGER_INSTANCE', message: 'loggerInstance only accepts a logger instance.' })
  t.throws(() => velox({ logger: { stream: process.stdout, file: '/tmp/x.log' } as any }), { code: 'FST_ERR_LOG_INVALID_DESTINATION' })
})

t.test('a logger object missing methods throws FST_ERR_LOG_INVALID_LOGGER', async (t) => {
  t.throws(() => velox({ loggerInstance: { info () {}, error () {} } }), {
    code: 'FST_ERR_LOG_INVALID_LOGGER',
    message: "Invalid logger object provided. The logger instance should have these functions(s): 'debug,fatal,warn,trace,child'."
  })
})

// Request ids, child loggers and the log controller (Fastify 5.12's public logging API)

t.test('setGenReqId sets the request ids of a plugin and its children only; genReqId reads it', async (t) => {
  const app = velox()
  app.get('/', async (request: any) => request.id)
  app.register(async (api: any) => {
    api.setGenReqId(() => 'api-id')
    t.equal(api.genReqId({ headers: {} }), 'api-id')
    api.get('/api', async (request: any) => request.id)
  })
  await app.ready()
  t.equal((await app.inject('/api')).body, 'api-id')
  t.match((await app.inject('/')).body, /^req-/)
  t.match(app.genReqId({ headers: {} } as any), /^req-/)
})

t.test('requestIdHeader still wins over a setGenReqId function, and true means request-id', async (t) => {
  const app = velox({ requestIdHeader: true })
  app.setGenReqId(() => 'generated')
  app.get('/', async (request: any) => request.id)
  t.equal(app.initialConfig.requestIdHeader, 'request-id')
  t.equal((await app.inject({ url: '/', headers: { 'request-id': 'from-header' } })).body, 'from-header')
  t.equal((await app.inject('/')).body, 'generated')
  t.equal(velox({ requestIdHeader: '' }).initialConfig.requestIdHeader, false)
})

t.test('setChildLoggerFactory builds request.log with the request id binding and the route level', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  const calls: Array<{ bindings: Record<string, unknown>, opts: Record<string, unknown>, url: string }> = []
  app.setChildLoggerFactory(function (logger: any, bindings: any, opts: any, req: any) {
    calls.push({ bindings, opts, url: req.url })
    return logger.child({ ...bindings, tenant: 'acme' }, opts)
  })
  app.get('/', { logLevel: 'warn' }, async (request: any) => { request.log.warn('hello'); return 'ok' })
  await app.inject('/')
  t.same(calls, [{ bindings: { reqId: 'req-1' }, opts: { level: 'warn' }, url: '/' }])
  t.equal(lines.find((line) => line.msg === 'hello')?.tenant, 'acme')
})

t.test('a route childLoggerFactory wins over the instance one, without a logger configured too', async (t) => {
  const app = velox()
  const seen: string[] = []
  app.setChildLoggerFactory((logger: any) => { seen.push('instance'); return logger })
  app.get('/own', { childLoggerFactory: (logger: any) => { seen.push('route'); return logger } }, async () => 'ok')
  app.get('/other', async () => 'ok')
  await app.inject('/own')
  await app.inject('/other')
  t.same(seen, ['route', 'instance'])
  t.equal(typeof app.childLoggerFactory, 'function')
})

t.test('a childLoggerFactory that returns no logger answers 500 FST_ERR_LOG_INVALID_LOGGER and keeps serving', async (t) => {
  const app = velox()
  app.setChildLoggerFactory(() => undefined as any)
  app.get('/', async () => 'ok')
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.json().code, 'FST_ERR_LOG_INVALID_LOGGER')
  t.equal((await app.inject('/')).statusCode, 500)
})

t.test('route logSerializers override the plugin ones, one by one', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.register(async (api: any) => {
    api.get('/', { logSerializers: { user: (user: any) => `route:${user.name}` } }, async (request: any) => {
      request.log.info({ user: { name: 'ada' }, item: { id: 1 } }, 'seen')
      return 'ok'
    })
  }, { logSerializers: { user: () => 'plugin', item: (item: any) => `item:${item.id}` } })
  await app.inject('/')
  const line = lines.find((l) => l.msg === 'seen')
  t.equal(line?.user, 'route:ada')
  t.equal(line?.item, 'item:1')
})

t.test('a route logLevel that is not a level of the logger is refused with FST_ERR_ROUTE_LOG_LEVEL_INVALID', async (t) => {
  const app = velox({ logger: true })
  t.throws(() => app.get('/log', { logLevel: 'loud' as any }, async () => 'x'), {
    code: 'FST_ERR_ROUTE_LOG_LEVEL_INVALID',
    message: "Log level for 'GET:/log' route must be a valid logger level. Received: 'loud'"
  })
})

t.test('a logController subclass decides which requests are logged', async (t) => {
  const { lines, stream } = logCollector()
  class QuietHealth extends LogController {
    isLogDisabled (request: any): boolean { return request.url === '/health' }
  }
  const app = velox({ logger: { level: 'info', stream }, logController: new QuietHealth() })
  app.get('/health', async () => 'ok')
  app.get('/work', async () => 'ok')
  await app.inject('/health')
  await app.inject('/work')
  t.same(lines.map((l) => l.msg), ['incoming request', 'request completed'])
  t.throws(() => velox({ logController: {} as any }), { code: 'FST_ERR_LOG_INVALID_LOG_CONTROLLER' })
})

t.test('an onResponse hook that fails is logged as request errored', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.addHook('onResponse', (_req: any, _reply: any, done: any) => { done(new Error('kaboom')) })
  app.get('/', async () => 'ok')
  await app.inject('/')
  const errored = lines.find((l) => l.msg === 'request errored')
  t.equal(errored?.level, 50)
  t.equal(errored?.err.message, 'kaboom')
})

t.test('requests answered by frameworkErrors get their incoming request line, as in Fastify', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({
    logger: { level: 'info', stream },
    frameworkErrors: (error: any, _request: any, reply: any) => { reply.code(400).send(error.code) }
  })
  app.get('/:id', async () => 'ok')
  await app.inject('/%c0')
  t.same(lines.map((l) => l.msg), ['incoming request'])
  t.equal(lines[0].req.url, '/%c0')
})
