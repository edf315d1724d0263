import t from 'tap'
import { Registry } from 'prom-client'
import velox from '../lib/index.js'

/** The value of one sample line of the exposition text, or undefined. */
function sample (text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{')) continue
    const inner = line.slice(name.length + 1, line.indexOf('}'))
    if (wanted.every((pair) => inner.split(',').includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return undefined
}

function metricsApp (options: Record<string, unknown> = {}): any {
  const app = velox({ metrics: { registry: new Registry(), ...options } })
  app.get('/users/:id', async (request: any) => ({ id: request.params.id }))
  app.post('/users', async (_request: any, reply: any) => { reply.code(201); return {} })
  app.get('/fail', async () => { throw new Error('boom') })
  return app
}

t.test('requests are counted and timed by method, route pattern and status', async (t) => {
  const app = metricsApp()
  await app.inject('/users/1')
  await app.inject('/users/2')
  await app.inject({ method: 'POST', url: '/users' })
  await app.inject('/fail')
  await app.inject('/nowhere/1')
  await app.inject('/nowhere/2')
  const res = await app.inject('/metrics')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const text = res.body
  t.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/users/:id', status_code: '200' }), 2, 'one series per route pattern, not per URL')
  t.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/users', status_code: '201' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/fail', status_code: '500' }), 1)
  t.equal(sample(text, 'http_requests_total', { method: 'GET', route: '(not found)', status_code: '404' }), 2, 'unmatched URLs share one series')
  t.equal(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/users/:id', status_code: '200' }), 2)
  t.equal(sample(text, 'http_request_duration_seconds_bucket', { method: 'GET', route: '/users/:id', status_code: '200', le: '+Inf' }), 2)
  t.notMatch(text, /\/users\/1|\/nowhere/, 'no raw URL becomes a label')
  await app.close()
})

t.test('process metrics are served: event-loop lag, heap, resident memory', async (t) => {
  const app = metricsApp()
  const text = (await app.inject('/metrics')).body
  for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'process_resident_memory_bytes', 'process_cpu_seconds_total']) {
    t.match(text, new RegExp(`^${name} `, 'm'), name)
  }
  const bare = metricsApp({ defaultMetrics: false })
  t.notMatch((await bare.inject('/metrics')).body, /nodejs_heap/, 'defaultMetrics: false leaves them out')
  await Promise.all([app.close(), bare.close()])
})

t.test('the path can be moved or turned off, and the route stays out of the OpenAPI document', async (t) => {
  const moved = velox({ metrics: { registry: new Registry(), path: '/internal/metrics' }, openapi: true })
  t.equal((await moved.inject('/internal/metrics')).statusCode, 200)
  t.same(Object.keys((await moved.inject('/openapi.json')).json().paths), [])
  const registry = new Registry()
  const hidden = velox({ metrics: { registry, path: false } })
  hidden.get('/', async () => 'ok')
  await hidden.inject('/')
  t.equal((await hidden.inject('/metrics')).statusCode, 404)
  t.match(await registry.metrics(), /http_requests_total\{method="GET",route="\/",status_code="200"\} 1/, 'the registry is filled all the same')
  await Promise.all([moved.close(), hidden.close()])
})

t.test("metrics the app defines on the registry are served with Velox's", async (t) => {
  const registry = new Registry()
  const { Counter } = await import('prom-client')
  const signups = new Counter({ name: 'signups_total', help: 'sign-ups', registers: [registry] })
  signups.inc(3)
  const app = velox({ metrics: { registry } })
  t.match((await app.inject('/metrics')).body, /^signups_total 3$/m)
  await app.close()
})

t.test('two apps on one registry share the metrics instead of failing', async (t) => {
  const registry = new Registry()
  const first = velox({ metrics: { registry } })
  const second = velox({ metrics: { registry } })
  await first.ready()
  await second.ready()
  t.pass('both booted')
  await Promise.all([first.close(), second.close()])
})

t.test('without the option, no metrics route and no hook', async (t) => {
  const app = velox()
  app.get('/', async (request: any) => request.routeOptions.config)
  t.equal((await app.inject('/metrics')).statusCode, 404)
  t.match(app.printRoutes({ includeHooks: true }), /^(?![\s\S]*onResponse)/, 'no onResponse hook was added')
  await app.close()
  t.throws(() => velox({ metrics: 1 as any }), { code: 'FST_ERR_INIT_OPTS_INVALID' })
})
