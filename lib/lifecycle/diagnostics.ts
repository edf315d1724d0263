/**
 * Node's diagnostics_channel events Fastify publishes, so APM tools (OpenTelemetry's
 * @fastify/otel, Datadog, Sentry...) see Velox apps as they see Fastify ones:
 *
 * - `fastify.initialization`: `{ fastify }` once per app, when it is created;
 * - the tracing channel `fastify.request.handler` (`tracing:fastify.request.handler:start`, `end`,
 *   `asyncStart`, `asyncEnd`, `error`) around each route handler, with the message
 *   `{ request, reply, route: { url, method }, async, error? }`. Not-found handlers are not traced.
 *
 * Nothing is built while no one subscribes: the request path checks `hasSubscribers` only.
 */
import diagnostics from 'node:diagnostics_channel'
import type { Request } from './request.js'
import type { Reply } from './reply.js'

export const initializationChannel = diagnostics.channel('fastify.initialization')
export const handlerChannel = diagnostics.tracingChannel('fastify.request.handler')

export interface HandlerStore {
  request: Request
  reply: Reply
  route: { url: string, method: string }
  /** true once the handler (or the error handler answering for it) returned a promise. */
  async: boolean
  error?: unknown
}
