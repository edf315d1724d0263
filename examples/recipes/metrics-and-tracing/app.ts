// Metrics and tracing: Prometheus metrics from Velox's `metrics` option (prom-client), with a
// business metric of our own on the same page, and OpenTelemetry traces from @fastify/otel: one
// span per request (named after the route) with child spans for its hooks and handler.
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import { Counter, Registry } from 'prom-client'
import { FastifyOtelInstrumentation } from '@fastify/otel'
import { trace } from '@opentelemetry/api'
import type { TracerProvider } from '@opentelemetry/api'
import '../../support/plugin-types.js'

export interface ObservabilityOptions extends VeloxServerOptions {
  tracerProvider: TracerProvider
  /** A registry per app (the default is prom-client's global one). */
  registry?: Registry
}

export function buildApp ({ tracerProvider, registry = new Registry(), ...options }: ObservabilityOptions) {
  const app = velox({ ...options, metrics: { registry } })

  const otel = new FastifyOtelInstrumentation()
  otel.setTracerProvider(tracerProvider)
  // Before the routes, so that it sees each of them being added.
  app.register(otel.plugin())

  const ordersPlaced = new Counter({ name: 'orders_placed_total', help: 'Orders placed, by payment method', labelNames: ['payment'], registers: [registry] })

  app.register(async function orders (app) {
    app.addHook('preHandler', async () => { /* an auth check would go here: it gets a span of its own */ })
    app.post('/orders', async (request, reply) => {
      const { payment = 'card' } = (request.body ?? {}) as { payment?: string }
      // A span of our own inside the request's trace.
      await trace.getTracer('orders-api').startActiveSpan('reserve stock', async (span) => {
        span.setAttribute('order.payment', payment)
        span.end()
      })
      ordersPlaced.inc({ payment })
      return reply.code(201).send({ ok: true })
    })
    app.get('/orders/:id', async (request) => ({ id: (request.params as { id: string }).id }))
  })
  // Load balancers poll this often: leave it out of the traces.
  app.get('/healthz', { config: { otel: false } }, async () => ({ ok: true }))
  return app
}
