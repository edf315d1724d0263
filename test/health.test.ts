import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'

async function listening (app: any): Promise<string> {
  return await app.listen({ port: 0, host: '127.0.0.1' })
}

t.test('health routes are off by default', async (t) => {
  const app = velox()
  t.equal((await app.inject('/health/live')).statusCode, 404)
  t.equal((await app.inject('/health/ready')).statusCode, 404)
  await app.close()
})

t.test('liveness answers 200 whatever the readiness', async (t) => {
  const app = velox({ health: true })
  app.addHealthCheck('db', () => false)
  const res = await app.inject('/health/live')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
  t.equal(res.headers['cache-control'], 'no-store')
  await app.close()
})

t.test('readiness fails while the app is starting and passes once it listens', async (t) => {
  const app = velox({ health: true })
  const starting = await app.inject('/health/ready')
  t.equal(starting.statusCode, 503)
  t.same(starting.json(), { status: 'starting' })
  const address = await listening(app)
  t.teardown(() => app.close())
  const res = await fetch(`${address}/health/ready`)
  t.equal(res.status, 200)
  t.same(await res.json(), { status: 'ready' })
})

t.test('readiness runs the checks the app registered and fails while one fails, without saying why', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ health: { checkTimeout: 100 }, logger: { level: 'info', stream } })
  let dbUp = true
  app.addHealthCheck('db', async () => { if (!dbUp) throw new Error('connect ECONNREFUSED 10.0.0.7:5432') })
  app.addHealthCheck('cache', () => true)
  app.addHealthCheck('queue', async () => { await sleep(1000) })
  const address = await listening(app)
  t.teardown(() => app.close())
  let res = await fetch(`${address}/health/ready`)
  t.equal(res.status, 503)
  t.same(await res.json(), { status: 'unavailable', checks: { db: 'ok', cache: 'ok', queue: 'timeout' } })
  dbUp = false
  res = await fetch(`${address}/health/ready`)
  const body = await res.json()
  t.same(body.checks, { db: 'failed', cache: 'ok', queue: 'timeout' })
  t.notMatch(JSON.stringify(body), /ECONNREFUSED/, 'the reason stays out of the answer')
  t.ok(lines.some((line) => line.level === 40 && line.check === 'db' && line.err.message.includes('ECONNREFUSED')), 'and goes to the log')
})

t.test('a check that returns false fails, anything else passes', async (t) => {
  const app = velox({ health: true })
  let healthy: unknown = 'yes'
  app.addHealthCheck('flag', () => healthy)
  const address = await listening(app)
  t.teardown(() => app.close())
  t.equal((await fetch(`${address}/health/ready`)).status, 200)
  healthy = false
  t.equal((await fetch(`${address}/health/ready`)).status, 503)
})

t.test('the paths can be chosen, and the routes stay out of the OpenAPI document', async (t) => {
  const app = velox({ health: { livenessPath: '/livez', readinessPath: '/readyz' }, openapi: true })
  app.get('/users', async () => [])
  t.equal((await app.inject('/livez')).statusCode, 200)
  t.equal((await app.inject('/readyz')).statusCode, 503)
  const paths = Object.keys((await app.inject('/openapi.json')).json().paths)
  t.same(paths, ['/users'])
  await app.close()
})

t.test('probes are not logged while they pass', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ health: true, logger: { level: 'info', stream } })
  await app.inject('/health/live')
  t.same(lines.filter((line) => line.reqId !== undefined), [])
  await app.close()
})

t.test('addHealthCheck refuses what it cannot run', async (t) => {
  const app = velox({ health: true })
  t.throws(() => app.addHealthCheck('', () => true), { code: 'VLX_ERR_HEALTH_CHECK_INVALID' })
  t.throws(() => app.addHealthCheck('db', 'select 1' as any), { code: 'VLX_ERR_HEALTH_CHECK_INVALID', message: /a function as check 'db'/ })
  app.addHealthCheck('db', () => true)
  t.throws(() => app.addHealthCheck('db', () => true), { code: 'VLX_ERR_HEALTH_CHECK_INVALID', message: /'db' is taken/ })
  t.throws(() => velox({ health: 'yes' as any }), { code: 'FST_ERR_INIT_OPTS_INVALID' })
  await app.close()
})
