// Server-Sent Events with @fastify/sse: clients follow order updates on GET /orders/events; a
// client that reconnects with Last-Event-ID gets the events it missed first.
import { EventEmitter } from 'node:events'
import velox from 'velox'
import type { VeloxInstance, VeloxServerOptions } from 'velox'
import { fastifySSE as sse } from '@fastify/sse'
import '../../support/plugin-types.js'

interface OrderEvent { id: string, event: string, data: { orderId: number, status: string } }

export function buildApp (options: VeloxServerOptions = {}) {
  const app = velox(options)
  const bus = new EventEmitter()
  const history: OrderEvent[] = []
  let nextOrder = 1

  app.register(sse, { heartbeatInterval: 15_000 })
  // Open streams never end on their own: close them when the app closes, or close() would wait
  // until each client goes away (noticed at the next heartbeat at best). Browsers reconnect to
  // another instance.
  const streams = new Set<() => void>()
  app.addHook('preClose', async () => { for (const close of streams) close() })

  // The routes go in a plugin registered after @fastify/sse, so that its onRoute hook sees them.
  app.register(async function orders (app: VeloxInstance) {
    app.post('/orders', {
      schema: { body: { type: 'object', required: ['item'], properties: { item: { type: 'string' } } } }
    }, async (request, reply) => {
      const orderId = nextOrder++
      const event: OrderEvent = { id: String(history.length + 1), event: 'order', data: { orderId, status: `created: ${request.body.item}` } }
      history.push(event)
      bus.emit('order', event)
      reply.code(201)
      return { orderId }
    })

    app.get('/orders/events', { sse: 'only' }, async (request, reply) => {
      // The events a reconnecting browser missed (it sends the last id it saw as Last-Event-ID).
      await reply.sse.replay(async (lastEventId) => {
        for (const event of history.filter((e) => Number(e.id) > Number(lastEventId))) await reply.sse.send(event)
      })
      // Commit the response as an event stream now, even before the first event, and keep it
      // open after the handler returns; stop forwarding when the client goes away.
      reply.sse.sendHeaders()
      // Node holds written headers until the first body bytes; send them now, so the client's
      // EventSource opens at once rather than at the first event or heartbeat.
      reply.raw.flushHeaders()
      reply.sse.keepAlive()
      const forward = (event: OrderEvent) => {
        reply.sse.send(event).catch((err: unknown) => { request.log.warn({ err }, 'event not sent') })
      }
      const close = () => { reply.sse.close() }
      bus.on('order', forward)
      streams.add(close)
      reply.sse.onClose(() => { bus.off('order', forward); streams.delete(close) })
    })
  })

  return app
}
