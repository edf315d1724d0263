/**
 * `handlerTimeout` (Fastify 5.12's server and route option): when a route's
 * reply is not sent within the time, `request.signal` aborts with
 * FST_ERR_HANDLER_TIMEOUT as its reason and the error goes through the
 * route's error handlers (503 by default). The timeout is cooperative: the
 * handler keeps running, and should pass `request.signal` to what it awaits.
 *
 * Only routes with a timeout pay for it: the pipeline compares the route's
 * `handlerTimeout` with 0 and calls `armHandlerTimeout` when it is set.
 */
import type { Request } from './request.js'
import type { Reply } from './reply.js'
import { FST_ERR_HANDLER_TIMEOUT, FST_ERR_ROUTE_HANDLER_TIMEOUT_OPTION_NOT_INT } from '../errors.js'

/** The timer and the client-disconnect listener of one request, cleared once the reply is done. */
export interface HandlerTimeout {
  timer: NodeJS.Timeout | null
  onAbort: (() => void) | null
}

/**
 * Keys under which a request shows its timer and abort listener, as Fastify's
 * `kTimeoutTimer` and `kOnAbort` do: Fastify's own handler-timeout tests check
 * them to prove nothing is left behind after a reply. Registered symbols, so a test can reach
 * them without importing Velox's internals (the package ships one bundle).
 */
export const kTimeoutTimer = Symbol.for('velox.request.timeoutTimer')
export const kOnAbort = Symbol.for('velox.request.onAbort')

/** A route's `handlerTimeout`, when given, is a whole number of milliseconds above 0 (as in Fastify). */
export function validateHandlerTimeout (value: unknown): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || (value as number) <= 0) throw new FST_ERR_ROUTE_HANDLER_TIMEOUT_OPTION_NOT_INT(value)
}

/** Starts the timer of one request; `request.signal` exists from now on and aborts on timeout or disconnect. */
export function armHandlerTimeout (request: Request, reply: Reply, ms: number): void {
  const controller = new AbortController()
  request._signal = controller
  const state: HandlerTimeout = { timer: null, onAbort: null }
  request._timeout = state
  state.timer = setTimeout(onHandlerTimeout, ms, request, reply, controller, ms)
  const res = reply.raw
  const onAbort = (): void => {
    // 'close' after the reply ended is the normal end of an exchange, not a client going away.
    if (!res.writableEnded && !controller.signal.aborted) controller.abort()
    clearHandlerTimeout(reply)
  }
  state.onAbort = onAbort
  res.once('close', onAbort)
  res.once('finish', function handlerTimeoutFinished () { clearHandlerTimeout(reply) })
}

/** Stops the timer and drops the disconnect listener: the reply is done, or hijacked. */
export function clearHandlerTimeout (reply: Reply): void {
  const state = reply.request._timeout
  if (state === null) return
  if (state.timer !== null) {
    clearTimeout(state.timer)
    state.timer = null
  }
  if (state.onAbort !== null) {
    reply.raw.removeListener('close', state.onAbort)
    state.onAbort = null
  }
}

function onHandlerTimeout (request: Request, reply: Reply, controller: AbortController, ms: number): void {
  const state = request._timeout as HandlerTimeout
  state.timer = null
  // Ended or hijacked: the response is on its way or belongs to someone else.
  if (reply.sent) return
  const err = new FST_ERR_HANDLER_TIMEOUT(ms, request.context.config.url)
  controller.abort(err)
  // Abort listeners run synchronously: one of them may have answered (a 504 of its own, say).
  if (reply.sent) return
  reply._isError = true
  if (reply.raw.headersSent) {
    // A stream already sent its status and part of its body: an error answer cannot follow,
    // so the response is cut short (throwing ERR_HTTP_HEADERS_SENT would take the process down).
    reply.raw.destroy(err)
    return
  }
  reply.send(err)
}
