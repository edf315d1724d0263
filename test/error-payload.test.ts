import t from 'tap'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'

// What the default error handler answers. Every expected body below was captured from
// Fastify 5 for the same handler, so these pin Velox to Fastify's bytes.

function withError (make: () => unknown): any {
  const app = velox()
  app.get('/', async () => { throw make() })
  return app
}

function httpError (message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields)
}

t.test('an error without a status answers 500 with its message and no stack', async (t) => {
  const res = await withError(() => new Error('boom')).inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.body, '{"statusCode":500,"error":"Internal Server Error","message":"boom"}')
  t.equal(res.headers['content-length'], String(res.body.length))
  t.notMatch(res.body, /stack|at /)
})

t.test('error.statusCode sets the status when it is a 4xx or 5xx', async (t) => {
  const res = await withError(() => httpError('tea', { statusCode: 418 })).inject('/')
  t.equal(res.statusCode, 418)
  t.equal(res.body, '{"statusCode":418,"error":"I\'m a Teapot","message":"tea"}')
})

t.test('error.status is used when statusCode is absent', async (t) => {
  const res = await withError(() => httpError('no', { status: 401 })).inject('/')
  t.equal(res.statusCode, 401)
  t.equal(res.body, '{"statusCode":401,"error":"Unauthorized","message":"no"}')
})

t.test('a status outside 4xx and 5xx on the error becomes 500', async (t) => {
  const res = await withError(() => httpError('x', { statusCode: 302 })).inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.body, '{"statusCode":500,"error":"Internal Server Error","message":"x"}')
})

t.test('a 5xx error keeps its message', async (t) => {
  const res = await withError(() => httpError('down', { statusCode: 503 })).inject('/')
  t.equal(res.statusCode, 503)
  t.equal(res.body, '{"statusCode":503,"error":"Service Unavailable","message":"down"}')
})

t.test('error.code is included and error.headers are set on the reply', async (t) => {
  const res = await withError(() => httpError('slow down', { statusCode: 429, code: 'E_RATE', headers: { 'retry-after': '5' } })).inject('/')
  t.equal(res.statusCode, 429)
  t.equal(res.headers['retry-after'], '5')
  t.equal(res.body, '{"statusCode":429,"code":"E_RATE","error":"Too Many Requests","message":"slow down"}')
})

t.test('a status set with reply.code before an error is sent is kept when it is an error status', async (t) => {
  const app = velox()
  app.get('/kept', async (_req: any, reply: any) => reply.code(400).send(new Error('bad')))
  app.get('/success-status', async (_req: any, reply: any) => {
    reply.code(201)
    throw new Error('bad')
  })
  const kept = await app.inject('/kept')
  t.equal(kept.statusCode, 400)
  t.equal(kept.body, '{"statusCode":400,"error":"Bad Request","message":"bad"}')
  const success = await app.inject('/success-status')
  t.equal(success.statusCode, 500, 'a 2xx status never carries an error')
  t.equal(success.body, '{"statusCode":500,"error":"Internal Server Error","message":"bad"}')
})

t.test('errors thrown synchronously are handled like rejections', async (t) => {
  const app = velox()
  app.get('/', () => { throw new Error('sync') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.body, '{"statusCode":500,"error":"Internal Server Error","message":"sync"}')
})

t.test('Velox errors carry their FST_ code in the payload', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => { reply.code(1000) })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.equal(res.body, '{"statusCode":500,"code":"FST_ERR_BAD_STATUS_CODE","error":"Internal Server Error","message":"Called reply with an invalid status code: 1000"}')
})

t.test('4xx errors are logged at info and 5xx at error with the request', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  app.get('/client', async () => { throw httpError('bad', { statusCode: 400 }) })
  app.get('/server', async () => { throw new Error('boom') })
  await app.inject('/client')
  const client = lines.find((l) => l.msg === 'bad')
  t.equal(client?.level, 30)
  t.equal(client?.res.statusCode, 400)
  t.equal(client?.err.message, 'bad')
  await app.inject('/server')
  const server = lines.find((l) => l.msg === 'boom')
  t.equal(server?.level, 50)
  t.same(server?.req, { method: 'GET', url: '/server', host: 'localhost:80', remoteAddress: '127.0.0.1' })
  t.equal(server?.res.statusCode, 500)
  t.equal(server?.err.type, 'Error')
  t.match(server?.err.stack, /Error: boom/, 'the stack goes to the log, never to the client')
})

t.test('a status without a reason phrase leaves out the error field', async (t) => {
  const res = await withError(() => httpError('odd', { statusCode: 599 })).inject('/')
  t.equal(res.statusCode, 599)
  t.equal(res.body, '{"statusCode":599,"message":"odd"}')
})

t.test('a numeric string status on the error counts, as in Fastify', async (t) => {
  const res = await withError(() => httpError('s', { statusCode: '404' })).inject('/')
  t.equal(res.statusCode, 404)
  t.equal(res.body, '{"statusCode":404,"error":"Not Found","message":"s"}')
})

t.test('a non-string error code is sent as a string', async (t) => {
  const res = await withError(() => httpError('odd', { statusCode: 400, code: 42 })).inject('/')
  t.equal(res.body, '{"statusCode":400,"code":"42","error":"Bad Request","message":"odd"}')
})

t.test('a thrown plain object with a message and statusCode is sent as it is', async (t) => {
  const res = await withError(() => ({ message: 'm', statusCode: 409 })).inject('/')
  t.equal(res.statusCode, 409)
  t.equal(res.body, '{"message":"m","statusCode":409}')
})
