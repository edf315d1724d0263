/**
 * Error handling: onError hooks, the chain of scoped error handlers, the
 * default handler and the last-resort serialization.
 *
 * The chain: the route's handler (route option `errorHandler`), then each
 * scope's `setErrorHandler` up to the root, then the default handler. A
 * handler that throws or sends an error passes it to the next one. When every
 * handler has run, the error is serialized as
 * `{ statusCode, code?, error, message }` with no stack.
 */
import { STATUS_CODES } from 'node:http'
import type { Reply } from './reply.js'
import type { ErrorHandlerNode } from '../app/scope.js'
import { FST_ERR_SEND_UNDEFINED_ERR, VLX_ERR_HANDLER_NON_ERROR_THROWN, FST_ERR_FAILED_ERROR_SERIALIZATION, FST_ERR_REP_INVALID_PAYLOAD_TYPE } from '../errors.js'
import { dropInvalidHeaders } from './headers.js'
import { runPayloadHooks } from './pipeline-hooks.js'
import { handlerChannel } from './diagnostics.js'

export interface HttpError extends Error {
  statusCode?: number
  status?: number
  code?: string
  headers?: Record<string, unknown>
  /** http-errors' flag: the message is written for clients, show it even for a 5xx in safe mode. */
  expose?: boolean
}

/**
 * The default handler answers a non-Error value thrown or rejected with a coded 500 whose
 * message names the kind of value, never the value: a rejected record would otherwise go to the
 * client field by field (Fastify sends the value as the payload). Error handlers and onError
 * hooks still receive the value itself, as in Fastify. The value stays on `cause`, which the
 * error log shows.
 */
export function toError (value: unknown): HttpError {
  if (value instanceof Error) return value
  if (value === undefined || value === null) return new FST_ERR_SEND_UNDEFINED_ERR()
  if (typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    // Error-like objects (e.g. from other realms) keep their fields.
    return value as HttpError
  }
  return new VLX_ERR_HANDLER_NON_ERROR_THROWN(kindOf(value), { cause: value })
}

function kindOf (value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  const type = typeof value
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`
}

/**
 * Whether an answer leaves out the error's own message: a 5xx error in safe
 * mode (`safeErrors`, on by default when NODE_ENV is production) that is not
 * marked `expose: true` (as http-errors and @fastify/sensible mark theirs).
 */
function hidesMessage (reply: Reply, statusCode: number, error: HttpError): boolean {
  return statusCode >= 500 && reply.context.app.safeErrors && (error as { expose?: unknown }).expose !== true
}

/**
 * A plain object (not an Error) with its own 4xx `statusCode`: an answer written by whoever threw
 * it, such as @fastify/rate-limit's `errorResponseBuilder` result. The default handler sends it as
 * it is, as Fastify does; other non-Error values stay hidden behind a coded 500 (see toError).
 */
function isClientErrorBody (value: unknown): value is { statusCode: number } {
  if (value === null || typeof value !== 'object' || value instanceof Error || Array.isArray(value)) return false
  const statusCode = (value as { statusCode?: unknown }).statusCode
  return typeof statusCode === 'number' && Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 499
}

/** Fastify's default error handler: picks the status, logs, and sends the error. */
export function defaultErrorHandler (this: unknown, thrown: HttpError | null | undefined, request: { log: Reply['log'] }, reply: Reply): void {
  if (isClientErrorBody(thrown)) {
    reply.code(thrown.statusCode)
    if (reply.context.logRequests) reply.context.app.logController.defaultErrorLog(thrown, reply.request, reply)
    reply.send(thrown)
    return
  }
  const error = thrown instanceof Error ? thrown : toError(thrown)
  setErrorHeaders(error, reply)
  if (!reply._hasStatus || reply.statusCode === 200) {
    reply.code((error != null ? errorStatus(error) : undefined) ?? 500)
  }
  // disableRequestLogging silences this line too, as in Fastify.
  if (reply.context.logRequests) reply.context.app.logController.defaultErrorLog(error, reply.request, reply)
  reply.send(error)
}

/**
 * The status an error answer will have, set before the error handlers run (for the diagnostics
 * error event, as in Fastify): the error's own, else 500, unless the reply already has one.
 */
export function setErrorStatusCode (reply: Reply, err: unknown): void {
  if (!reply._hasStatus || reply.statusCode === 200) {
    reply.code((err !== null && typeof err === 'object' ? errorStatus(err as HttpError) : undefined) ?? 500)
  }
}

/** The error's own `statusCode` (or `status`) when it is an error status, else undefined. */
function errorStatus (error: HttpError): number | undefined {
  // Compared as numbers, as Fastify does, so a numeric string such as '404' counts too.
  const statusCode = Number(error.statusCode)
  if (Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 599) return statusCode
  const status = Number(error.status)
  if (Number.isInteger(status) && status >= 400 && status <= 599) return status
  return undefined
}

/**
 * As Fastify's setErrorHeaders: copies `error.headers`, and the error's own
 * status wins over one set on the reply; without one, an error status already
 * set on the reply is kept and anything else becomes 500.
 */
function setErrorHeaders (error: HttpError | null | undefined, reply: Reply): void {
  const current = reply.raw.statusCode
  const fallback = current >= 400 && current <= 599 ? current : 500
  if (error == null) {
    reply.raw.statusCode = fallback
    return
  }
  if (error.headers !== undefined && error.headers !== null && typeof error.headers === 'object') {
    reply.headers(error.headers)
  }
  reply.raw.statusCode = errorStatus(error) ?? fallback
}

export function rootErrorHandler (instance: unknown): ErrorHandlerNode {
  return { fn: defaultErrorHandler, instance, parent: null }
}

/**
 * How the error handling hands a payload back to send.ts: send.ts passes its own functions in
 * when it hands an error over, so the two modules do not import each other.
 */
export interface ReplyWriter {
  /** What `reply.send()` does: an error goes to the next error handler, anything else is serialized and written. */
  send: (reply: Reply, payload: unknown) => void
  /** Runs onSend hooks on a serialized payload, then writes it. */
  onSendHook: (reply: Reply, payload: unknown) => void
}

/**
 * onError hooks run before the first error handler, and again for an error raised once every
 * handler has run (an onSend hook failing on the fallback error payload), as in Fastify; they
 * cannot change the reply.
 */
export function handleError (reply: Reply, error: unknown, writer: ReplyWriter): void {
  const hooks = reply.context.onError
  if (hooks !== null && (reply._nextErrorHandler === undefined || reply._nextErrorHandler === handlersExhausted)) {
    reply._runningOnError = true
    runPayloadHooks(hooks, reply, error, function afterOnError () {
      reply._runningOnError = false
      callErrorHandler(reply, error, writer)
    })
    return
  }
  callErrorHandler(reply, error, writer)
}

/**
 * Set once the fallback payload has gone through onSend: an error raised after
 * that (an onSend hook that fails on every payload) is written directly,
 * without hooks, so it cannot loop (Fastify's `kReplyNextErrorHandler = false`).
 */
const handlersExhausted: ErrorHandlerNode = { fn: defaultErrorHandler, instance: null, parent: null }

function callErrorHandler (reply: Reply, error: unknown, writer: ReplyWriter): void {
  const next = reply._nextErrorHandler
  if (next === handlersExhausted) {
    fallbackErrorSend(reply, error, true, writer)
    return
  }
  const node = next === undefined ? reply.context.errorHandler : next
  if (node === null) {
    reply._nextErrorHandler = handlersExhausted
    fallbackErrorSend(reply, error, false, writer)
    return
  }
  reply._nextErrorHandler = node.parent
  // Let the error payload pick its own content type and length.
  delete reply._headers['content-type']
  delete reply._headers['content-length']
  let result
  try {
    result = node.fn.call(node.instance, error, reply.request, reply)
  } catch (err) {
    reply._isError = true
    writer.send(reply, err)
    return
  }
  if (result === undefined) return
  if (result !== null && typeof (result as Promise<unknown>).then === 'function') {
    // A traced request's async error handler is part of its handler's trace (asyncStart/asyncEnd).
    const store = reply._diagnostics
    if (store !== null) store.async = true
    const promise = result as Promise<unknown>
    promise.then(function onErrorHandlerResolve (payload) {
      if (store !== null) handlerChannel.asyncStart.publish(store)
      try {
        if (reply.sent) return
        // An async handler that resolves with nothing and never replied still ends the request, as in Fastify.
        if (payload !== undefined || (!reply.raw.headersSent && reply.request.raw.socket?.destroyed !== true)) writer.send(reply, payload)
      } finally {
        if (store !== null) handlerChannel.asyncEnd.publish(store)
      }
    }, function onErrorHandlerReject (err) {
      if (store !== null) handlerChannel.asyncStart.publish(store)
      try {
        if (reply.sent) {
          reply.log.error({ err }, 'error handler rejected after the reply was sent')
          return
        }
        reply._isError = true
        writer.send(reply, err)
      } finally {
        if (store !== null) handlerChannel.asyncEnd.publish(store)
      }
    })
    return
  }
  writer.send(reply, result)
}

/** Serializes an error with the route's schema for its status if any, else the standard shape. */
function fallbackErrorSend (reply: Reply, thrown: unknown, direct: boolean, writer: ReplyWriter): void {
  // Reached with what the default handler sent as an error: an Error, or a value an error
  // handler threw; a value that is not an object gets the generic shape.
  const error: HttpError = thrown !== null && typeof thrown === 'object' ? thrown as HttpError : new FST_ERR_SEND_UNDEFINED_ERR()
  let statusCode = reply.raw.statusCode
  if (statusCode < 400) {
    statusCode = 500
    reply.raw.statusCode = 500
  }
  const headers = reply._headers
  if (headers['content-type'] === undefined) headers['content-type'] = 'application/json; charset=utf-8'
  let payload: string
  const hide = hidesMessage(reply, statusCode, error)
  try {
    const fn = reply.context.serializerFor(statusCode, headers['content-type'] as string | undefined)
    if (fn === null) {
      payload = serializeError(statusCode, error, hide)
    } else {
      payload = fn(Object.create(error, {
        error: { value: STATUS_CODES[statusCode] },
        message: { value: hide ? safeMessage(statusCode) : error.message },
        statusCode: { value: statusCode }
      }))
    }
  } catch (err) {
    reply.context.app.logController.serializerError(err, reply.request, reply, { statusCode })
    reply.raw.statusCode = 500
    const failed = new FST_ERR_FAILED_ERROR_SERIALIZATION((err as Error).message, error.message)
    payload = serializeOwnError(failed, reply.context.app.safeErrors)
  }
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
    // A custom serializer compiler returned something that cannot be written: answered, never
    // left to throw out of the error path (which would take the process down).
    payload = serializeOwnError(new FST_ERR_REP_INVALID_PAYLOAD_TYPE(typeof payload), false)
  }
  headers['content-length'] = String(Buffer.byteLength(payload))
  if (!direct) {
    writer.onSendHook(reply, payload)
    return
  }
  const res = reply.raw
  if (res.headersSent || res.destroyed) {
    // Too late for an error response: abort the one in flight.
    res.destroy(error)
    return
  }
  try {
    res.writeHead(res.statusCode, headers)
  } catch (err) {
    // The last answer must go out: without the headers Node refuses (see headersRefused in send.ts).
    reply.context.app.logController.writeHeadError(err, reply.request, reply)
    dropInvalidHeaders(reply)
    try {
      res.writeHead(res.statusCode, headers)
    } catch {
      res.statusCode = 500
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) })
    }
  }
  res.end(payload)
}

/**
 * `{ statusCode, code?, error, message }`, in Fastify's field order. With
 * `hideMessage`, the message is the status text: the code still tells what
 * failed, the log keeps the rest.
 */
export function serializeError (statusCode: number, error: HttpError, hideMessage = false): string {
  const body: Record<string, unknown> = { statusCode }
  // Fastify's error schema types `code` as a string: other values are stringified.
  const code = error.code as unknown
  if (code !== undefined) body.code = typeof code === 'string' ? code : code === null ? '' : String(code)
  // A status without a reason phrase (such as 599) has no `error` field, as in Fastify.
  const reason = STATUS_CODES[statusCode]
  if (reason !== undefined) body.error = reason
  body.message = hideMessage ? safeMessage(statusCode) : typeof error.message === 'string' ? error.message : ''
  return JSON.stringify(body)
}

/**
 * An error Velox raised while answering another one, written as Fastify writes it there: the
 * error object itself through the error schema (statusCode, code, message; no `error` field).
 */
function serializeOwnError (error: HttpError, hideMessage: boolean): string {
  const statusCode = error.statusCode as number
  return JSON.stringify({ statusCode, code: error.code, message: hideMessage ? safeMessage(statusCode) : error.message })
}

function safeMessage (statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Internal Server Error'
}
