import t from 'tap'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'

// Bytes captured from Fastify 5 for the same requests.
const fastify404 = (method: string, url: string): string =>
  `{"message":"Route ${method}:${url} not found","error":"Not Found","statusCode":404}`

t.test('an unknown URL answers Fastify\'s 404 payload byte for byte', async (t) => {
  const app = velox()
  app.get('/', async () => 'home')
  const res = await app.inject('/x')
  t.equal(res.statusCode, 404)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.headers['content-length'], '73')
  t.equal(res.body, fastify404('GET', '/x'))
  t.equal(res.body, '{"message":"Route GET:/x not found","error":"Not Found","statusCode":404}')
})

t.test('the 404 message keeps the query string and names the method', async (t) => {
  const app = velox()
  t.equal((await app.inject('/nope?x=1')).body, fastify404('GET', '/nope?x=1'))
  t.equal((await app.inject({ method: 'DELETE', url: '/a/b' })).body, fastify404('DELETE', '/a/b'))
})

t.test('a method the path does not declare answers 404, not 405', async (t) => {
  const app = velox()
  app.get('/only-get', async () => 'x')
  const res = await app.inject({ method: 'POST', url: '/only-get' })
  t.equal(res.statusCode, 404)
  t.equal(res.body, fastify404('POST', '/only-get'))
})

t.test('the default 404 is logged at info with the request id', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream } })
  await app.inject('/missing')
  t.same(lines.map((l) => l.msg), ['incoming request', 'Route GET:/missing not found', 'request completed'])
  t.equal(lines[1].level, 30)
  t.equal(lines[1].reqId, 'req-1')
  t.equal(lines[2].res.statusCode, 404)
})

t.test('a malformed percent-encoding answers 400 FST_ERR_BAD_URL with Fastify\'s bytes', async (t) => {
  const app = velox()
  app.get('/:id', async (req: any) => req.params)
  const res = await app.inject('/%zz')
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-type'], 'application/json')
  t.equal(res.body, '{"error":"Bad Request","code":"FST_ERR_BAD_URL","message":"\'/%zz\' is not a valid url component","statusCode":400}')
  t.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)))
  const truncated = await app.inject('/%E0%A4%A')
  t.equal(truncated.statusCode, 400)
  t.equal(truncated.json().message, "'/%E0%A4%A' is not a valid url component")
})

t.test('a bad URL is answered before any hook runs', async (t) => {
  const app = velox()
  let hookRuns = 0
  app.addHook('onRequest', async () => { hookRuns++ })
  app.get('/:id', async () => 'x')
  const res = await app.inject('/%zz')
  t.equal(res.statusCode, 400)
  t.equal(hookRuns, 0)
})

t.test('frameworkErrors receives FST_ERR_BAD_URL and answers for it', async (t) => {
  const app = velox({
    frameworkErrors (err: any, _req: any, reply: any) {
      reply.code(400).send({ custom: err.code, status: err.statusCode })
    }
  })
  app.get('/:id', async () => 'x')
  const res = await app.inject('/%zz')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { custom: 'FST_ERR_BAD_URL', status: 400 })
})

t.test('a parameter longer than maxParamLength answers 414 FST_ERR_MAX_PARAM_LENGTH with Fastify\'s bytes', async (t) => {
  const app = velox({ maxParamLength: 5 })
  app.get('/:id', async (req: any) => req.params)
  t.same((await app.inject('/12345')).json(), { id: '12345' })
  const res = await app.inject('/123456')
  t.equal(res.statusCode, 414)
  t.equal(res.headers['content-type'], 'application/json')
  // Fastify 5 says "Bad Request" in the body of this 414; kept byte for byte.
  t.equal(res.body, '{"error":"Bad Request","code":"FST_ERR_MAX_PARAM_LENGTH","message":"\'/123456\' is exceeding the max param length","statusCode":414}')
})

t.test('setNotFoundHandler replaces the default answer', async (t) => {
  const app = velox()
  app.setNotFoundHandler(async (req: any, reply: any) => {
    reply.code(404)
    return { missing: req.url, method: req.method }
  })
  const res = await app.inject({ method: 'PUT', url: '/gone?q=1' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { missing: '/gone?q=1', method: 'PUT' })
})

t.test('a not-found handler set in a prefixed plugin answers under that prefix only', async (t) => {
  const app = velox()
  app.register(async (api: any) => {
    api.setNotFoundHandler(async (_req: any, reply: any) => reply.code(404).send({ scope: 'api' }))
    api.get('/known', async () => 'known')
  }, { prefix: '/api' })
  t.same((await app.inject('/api/unknown')).json(), { scope: 'api' })
  t.equal((await app.inject('/elsewhere')).body, fastify404('GET', '/elsewhere'))
})

t.test('the 404 handler reads bodies of any content type without a 415', async (t) => {
  const app = velox()
  const res = await app.inject({ method: 'POST', url: '/nowhere', payload: '<xml/>', headers: { 'content-type': 'application/xml' } })
  t.equal(res.statusCode, 404)
  t.equal(res.body, fastify404('POST', '/nowhere'))
})
