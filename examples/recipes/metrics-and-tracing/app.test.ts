import { test } from 'node:test'
import assert from 'node:assert/strict'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { buildApp } from './app.js'

const exporter = new InMemorySpanExporter()
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
tracerProvider.register()

test('each request is one trace: a request span named after the route, with the hook, the handler and our own span inside it', async () => {
  exporter.reset()
  const app = buildApp({ tracerProvider })
  const res = await app.inject({ method: 'POST', url: '/orders', payload: { payment: 'paypal' } })
  assert.equal(res.statusCode, 201)

  const spans = exporter.getFinishedSpans()
  const root = spans.find((s) => s.name === 'request')
  assert.ok(root !== undefined, `spans: ${spans.map((s) => s.name).join(', ')}`)
  assert.equal(root.attributes['http.route'], '/orders')
  assert.equal(root.attributes['http.request.method'], 'POST')
  assert.equal(root.attributes['http.response.status_code'], 201)
  const inTrace = spans.filter((s) => s.spanContext().traceId === root.spanContext().traceId).map((s) => s.name)
  assert.ok(inTrace.some((name) => name.startsWith('handler')), inTrace.join(', '))
  assert.ok(inTrace.some((name) => name.includes('preHandler')), inTrace.join(', '))
  const own = spans.find((s) => s.name === 'reserve stock')
  assert.equal(own?.attributes['order.payment'], 'paypal')
  assert.equal(own?.spanContext().traceId, root.spanContext().traceId)

  exporter.reset()
  await app.inject('/healthz')
  assert.deepEqual(exporter.getFinishedSpans().map((s) => s.name), [])
  await app.close()
})

test('/metrics serves request counts and durations by route, and our own counter', async () => {
  const app = buildApp({ tracerProvider })
  await app.inject({ method: 'POST', url: '/orders', payload: { payment: 'card' } })
  await app.inject({ method: 'POST', url: '/orders', payload: { payment: 'card' } })
  await app.inject('/orders/7')
  await app.inject('/orders/8')

  const res = await app.inject('/metrics')
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/)
  assert.match(res.body, /^http_requests_total\{method="GET",route="\/orders\/:id",status_code="200"\} 2$/m)
  assert.match(res.body, /^http_requests_total\{method="POST",route="\/orders",status_code="201"\} 2$/m)
  assert.match(res.body, /^http_request_duration_seconds_count\{method="GET",route="\/orders\/:id",status_code="200"\} 2$/m)
  assert.match(res.body, /^orders_placed_total\{payment="card"\} 2$/m)
  await app.close()
})
