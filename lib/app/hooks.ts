/**
 * Hook names, their validation, and the runners the pipeline calls.
 *
 * Lifecycle (docs/reference/lifecycle.md): onRequest -> preParsing -> parsing ->
 * preValidation -> validation -> preHandler -> handler -> preSerialization ->
 * onSend -> response -> onResponse, with onError, onTimeout and onRequestAbort
 * on the side. Hook lists are merged per route at ready(); an empty list is
 * `null`, so a route without hooks pays one comparison per stage.
 */
import {
  FST_ERR_HOOK_INVALID_ASYNC_HANDLER, FST_ERR_HOOK_INVALID_HANDLER, FST_ERR_HOOK_INVALID_TYPE,
  FST_ERR_HOOK_NOT_SUPPORTED, FST_ERR_SEND_UNDEFINED_ERR, FST_ERR_HOOK_TIMEOUT
} from '../errors.js'

export const requestHookNames = [
  'onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization',
  'onSend', 'onResponse', 'onError', 'onTimeout', 'onRequestAbort'
] as const

export const appHookNames = [
  'onRoute', 'onRegister', 'onReady', 'onListen', 'preClose', 'onClose'
] as const

export type RequestHookName = typeof requestHookNames[number]
export type AppHookName = typeof appHookNames[number]
export type HookName = RequestHookName | AppHookName

type AnyFn = (...args: any[]) => any

export type RequestHookLists = Record<RequestHookName, AnyFn[]>
export type AppHookLists = Record<AppHookName, AnyFn[]>

const requestHookSet = new Set<string>(requestHookNames)
const appHookSet = new Set<string>(appHookNames)

/**
 * How many arguments a callback-style hook takes, `done` included. An async
 * function declaring that many arguments mixes the two styles, which Fastify
 * refuses with FST_ERR_HOOK_INVALID_ASYNC_HANDLER.
 */
const callbackArity: Record<string, number> = {
  onRequest: 3,
  preParsing: 4,
  preValidation: 3,
  preHandler: 3,
  preSerialization: 4,
  onSend: 4,
  onResponse: 3,
  onError: 4,
  onTimeout: 3,
  onRequestAbort: 2,
  onReady: 1,
  onListen: 1,
  preClose: 1,
  onClose: 2
}

export function emptyRequestHooks (): RequestHookLists {
  const out = {} as RequestHookLists
  for (const name of requestHookNames) out[name] = []
  return out
}

export function emptyAppHooks (): AppHookLists {
  const out = {} as AppHookLists
  for (const name of appHookNames) out[name] = []
  return out
}

export function copyHooks<T extends Record<string, AnyFn[]>> (hooks: T): T {
  const out = {} as Record<string, AnyFn[]>
  for (const name of Object.keys(hooks)) out[name] = hooks[name].slice()
  return out as T
}

export function isRequestHook (name: string): name is RequestHookName {
  return requestHookSet.has(name)
}

export function isAppHook (name: string): name is AppHookName {
  return appHookSet.has(name)
}

function isAsync (fn: AnyFn): boolean {
  return fn.constructor.name === 'AsyncFunction'
}

/**
 * Throws the coded error Fastify throws for a bad `addHook` call, or (`fromRoute`) for a bad hook
 * in route options.
 */
export function validateHook (name: unknown, fn: unknown, fromRoute = false): asserts fn is AnyFn {
  if (typeof name !== 'string') throw new FST_ERR_HOOK_INVALID_TYPE()
  if (!requestHookSet.has(name) && !appHookSet.has(name)) throw new FST_ERR_HOOK_NOT_SUPPORTED(name)
  if (typeof fn !== 'function') {
    // Fastify's addHook names a missing handler as `undefined`/`null`, any other value (and every
    // value given in route options) by its tag, `[object Undefined]`.
    throw new FST_ERR_HOOK_INVALID_HANDLER(name, fn == null && !fromRoute ? String(fn) : Object.prototype.toString.call(fn))
  }
  const arity = callbackArity[name]
  if (arity !== undefined && isAsync(fn as AnyFn) && (fn as AnyFn).length >= arity) {
    throw new FST_ERR_HOOK_INVALID_ASYNC_HANDLER()
  }
  // onRoute and onRegister run synchronously and their return value is ignored.
  // Fastify accepts async ones (their code up to the first `await` still runs
  // in time), and plugins rely on that, so they are not refused here.
}

/** Awaits one application hook written in either style. */
export function runAppHook (fn: AnyFn, thisArg: unknown, args: unknown[], name: string, timeout = 0): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false
    let timer: NodeJS.Timeout | undefined
    const done = (err?: unknown): void => {
      if (settled) return
      settled = true
      if (timer !== undefined) clearTimeout(timer)
      if (err != null) reject(err)
      else resolve()
    }
    if (timeout > 0) {
      timer = setTimeout(() => done(new FST_ERR_HOOK_TIMEOUT(name, fn.name ? ` "${fn.name}"` : '')), timeout)
    }
    let result: unknown
    try {
      result = fn.apply(thisArg, fn.length > args.length ? [...args, done] : args)
    } catch (err) {
      done(err)
      return
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(() => done(), (err: unknown) => done(err ?? new FST_ERR_SEND_UNDEFINED_ERR()))
    } else if (fn.length <= args.length) {
      done()
    }
  })
}
