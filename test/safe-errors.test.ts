import t from 'tap'
import sensible from '@fastify/sensible'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'

const secret = 'postgres://admin:hunter2@10.0.0.7/users'
const ssn = 'SSN-078-05-1120'

/** An app whose routes fail in the ways that leak internals into answers. */
function leakyApp (options: Record<string, unknown> = {}): { app: any, logs: Array<Record<string, any>> } {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'info', stream }, ...options })
  app.get('/crash', async () => { throw new Error(`cannot connect to ${secret}`) })
  app.get('/coded', async () => { throw Object.assign(new Error(`query failed on ${secret}`), { code: 'E_DB_DOWN' }) })
  app.get('/exposed', async () => { throw Object.assign(new Error('Down for maintenance until 14:00'), { statusCode: 503, expose: true }) })
  app.get('/client', async () => { throw Object.assign(new Error('That name is taken'), { statusCode: 409 }) })
  app.get('/object', async () => { throw { ssn, password: 'hunter2' } }) // eslint-disable-line no-throw-literal
  app.get('/serialize', {
    schema: { response: { 200: { type: 'object', properties: { id: { type: 'integer' } } } } }
  }, async () => ({ id: ssn }))
  app.get('/schema-500', {
    schema: { response: { 500: { type: 'object', properties: { message: { type: 'string' }, code: { type: 'string' } } } } }
  }, async () => { throw new Error(`disk full on ${secret}`) })
  app.post('/validate', { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } }, async () => 'ok')
  return { app, logs: lines }
}

t.test('with safeErrors, a 5xx answer has the status text and code instead of the message', async (t) => {
  const { app } = leakyApp({ safeErrors: true })
  const crash = await app.inject('/crash')
  t.equal(crash.statusCode, 500)
  t.same(crash.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' })
  const coded = await app.inject('/coded')
  t.same(coded.json(), { statusCode: 500, code: 'E_DB_DOWN', error: 'Internal Server Error', message: 'Internal Server Error' })
  const schema500 = await app.inject('/schema-500')
  t.equal(schema500.statusCode, 500)
  t.same(schema500.json(), { message: 'Internal Server Error' }, 'a response schema for the 5xx gets the safe message too')
  await app.close()
})

t.test('with safeErrors, errors marked expose: true and 4xx errors keep their messages', async (t) => {
  const { app } = leakyApp({ safeErrors: true })
  const exposed = await app.inject('/exposed')
  t.equal(exposed.statusCode, 503)
  t.equal(exposed.json().message, 'Down for maintenance until 14:00')
  t.equal((await app.inject('/client')).json().message, 'That name is taken')
  const invalid = await app.inject({ method: 'POST', url: '/validate', payload: {} })
  t.equal(invalid.statusCode, 400)
  t.equal(invalid.json().message, "body must have required property 'name'")
  await app.close()
})

t.test("@fastify/sensible's http errors are shown as http-errors marks them", async (t) => {
  const app = velox({ safeErrors: true })
  await app.register(sensible as any)
  app.get('/unavailable', async () => { throw app.httpErrors.serviceUnavailable('Back in five minutes') })
  app.get('/internal', async () => { throw app.httpErrors.internalServerError(`pool exhausted at ${secret}`) })
  t.equal((await app.inject('/unavailable')).json().message, 'Service Unavailable', 'http-errors sets expose: false on 5xx')
  const internal = await app.inject('/internal')
  t.equal(internal.json().message, 'Internal Server Error')
  t.notMatch(internal.body, /hunter2/)
  await app.close()
})

t.test('safeErrors is on by default when NODE_ENV is production, and false turns it off', async (t) => {
  const before = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  t.teardown(() => { process.env.NODE_ENV = before })
  const production = leakyApp().app
  t.equal((await production.inject('/crash')).json().message, 'Internal Server Error')
  const debugging = leakyApp({ safeErrors: false }).app
  t.equal((await debugging.inject('/crash')).json().message, `cannot connect to ${secret}`)
  t.equal(debugging.initialConfig.safeErrors, false)
  process.env.NODE_ENV = 'development'
  const development = leakyApp().app
  t.equal((await development.inject('/crash')).json().message, `cannot connect to ${secret}`, 'outside production, messages help the developer')
  await Promise.all([production.close(), debugging.close(), development.close()])
})

t.test('the log keeps the whole error whatever the answer says', async (t) => {
  const { app, logs } = leakyApp({ safeErrors: true })
  await app.inject('/crash')
  const line = logs.find((l) => l.level === 50)
  t.equal(line?.err?.message, `cannot connect to ${secret}`)
  t.match(line?.err?.stack, /at /)
  await app.close()
})

t.test('a serialization error never shows the value it refused, in any mode, and the log has it', async (t) => {
  for (const safeErrors of [false, true]) {
    const { app, logs } = leakyApp({ safeErrors })
    const res = await app.inject('/serialize')
    t.equal(res.statusCode, 500)
    t.equal(res.json().code, 'VLX_ERR_SERIALIZATION')
    t.notMatch(res.body, ssn, `safeErrors: ${String(safeErrors)}`)
    if (!safeErrors) t.equal(res.json().message, 'The response payload for status 200 does not match its response schema: A value cannot be converted to an integer.')
    t.ok(logs.some((l) => JSON.stringify(l.err ?? {}).includes(ssn)), 'the refused value is in the log, for whoever debugs it')
    await app.close()
  }
})

t.test('a rejected plain object is not echoed into the answer, in any mode', async (t) => {
  for (const safeErrors of [false, true]) {
    const { app, logs } = leakyApp({ safeErrors })
    const res = await app.inject('/object')
    t.equal(res.statusCode, 500)
    t.equal(res.json().code, 'VLX_ERR_HANDLER_NON_ERROR_THROWN')
    t.notMatch(res.body, /hunter2|SSN|password/, `safeErrors: ${String(safeErrors)}`)
    t.ok(logs.some((l) => JSON.stringify(l.err ?? {}).includes('hunter2')), 'the value is in the log')
    await app.close()
  }
})

t.test('a custom error handler still receives the whole error', async (t) => {
  const app = velox({ safeErrors: true })
  app.setErrorHandler((error: Error, _request: any, reply: any) => { reply.code(500).send({ seen: error.message }) })
  app.get('/', async () => { throw new Error('detail') })
  t.same((await app.inject('/')).json(), { seen: 'detail' }, 'what the handler sends itself is its own choice')
  await app.close()
})

t.test('safeErrors must be a boolean', async (t) => {
  t.throws(() => velox({ safeErrors: 'yes' as any }), { code: 'FST_ERR_INIT_OPTS_INVALID', message: /safeErrors must be boolean/ })
})
