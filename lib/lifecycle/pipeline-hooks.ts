/**
 * Runners for request hooks. Each hook may take a `done` callback or return a
 * promise; the runner supports both without wrapping synchronous hooks in
 * promises. Hook functions arrive already bound to the route's instance.
 */
import type { Reply } from './reply.js'
import type { Request } from './request.js'
import { FST_ERR_SEND_UNDEFINED_ERR } from '../errors.js'

type HookFn = (...args: any[]) => any

function isThenable (value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function'
}

/**
 * onRequest, preValidation, preHandler, onResponse, onTimeout:
 * `(request, reply, done)`. Stops silently once the reply is sent (a hook that
 * replied early), exactly as Fastify's hook runner does.
 */
export function runRequestHooks (
  hooks: HookFn[],
  request: Request,
  reply: Reply,
  cb: (err: unknown) => void,
  ignoreSent = false
): void {
  let i = 0
  function next (err?: unknown): void {
    if (reply._hijacked && !ignoreSent) return
    if (err != null || i === hooks.length) {
      cb(err ?? null)
      return
    }
    if (!ignoreSent && reply.sent) return
    let result: unknown
    try {
      result = hooks[i++](request, reply, next)
    } catch (error) {
      cb(error ?? new FST_ERR_SEND_UNDEFINED_ERR())
      return
    }
    if (isThenable(result)) result.then(onResolve, onReject)
  }
  function onResolve (): void {
    next()
  }
  function onReject (err: unknown): void {
    cb(err ?? new FST_ERR_SEND_UNDEFINED_ERR())
  }
  next()
}

/** onRequestAbort: `(request, done)`; there is no reply to write to any more. */
export function runAbortHooks (hooks: HookFn[], request: Request, cb: (err: unknown) => void): void {
  let i = 0
  function next (err?: unknown): void {
    if (err != null || i === hooks.length) {
      cb(err ?? null)
      return
    }
    let result: unknown
    try {
      result = hooks[i++](request, next)
    } catch (error) {
      cb(error ?? new FST_ERR_SEND_UNDEFINED_ERR())
      return
    }
    if (isThenable(result)) result.then(onResolve, onReject)
  }
  function onResolve (): void {
    next()
  }
  function onReject (err: unknown): void {
    cb(err ?? new FST_ERR_SEND_UNDEFINED_ERR())
  }
  next()
}

/**
 * preParsing, preSerialization, onSend and onError: `(request, reply, payload, done(err, newPayload))`.
 * A hook that resolves or calls done with a value replaces the payload (for preParsing, the
 * body stream). preParsing passes `stopWhenSent`: like the other hooks before the handler, it
 * stops silently once a hook has replied or hijacked the reply.
 */
export function runPayloadHooks (
  hooks: HookFn[],
  reply: Reply,
  payload: unknown,
  cb: (err: unknown, payload: unknown) => void,
  stopWhenSent = false
): void {
  const request = reply.request
  let i = 0
  function next (err?: unknown, newPayload?: unknown): void {
    if (stopWhenSent && reply._hijacked) return
    if (newPayload !== undefined) payload = newPayload
    if (err != null || i === hooks.length) {
      cb(err ?? null, payload)
      return
    }
    if (stopWhenSent && reply.sent) return
    let result: unknown
    try {
      result = hooks[i++](request, reply, payload, next)
    } catch (error) {
      cb(error ?? new FST_ERR_SEND_UNDEFINED_ERR(), payload)
      return
    }
    if (isThenable(result)) result.then(onResolve, onReject)
  }
  function onResolve (value: unknown): void {
    next(null, value)
  }
  function onReject (err: unknown): void {
    cb(err ?? new FST_ERR_SEND_UNDEFINED_ERR(), payload)
  }
  next()
}
