/**
 * The route table: option checks, prefixes, HEAD routes for GET, onRoute
 * hooks, and the adapter to find-my-way. Routes are inserted into the router
 * when declared (so a duplicate throws at once, naming the route) and their
 * RouteContext is finalized at ready().
 */
import type { Scope } from './scope.js'
import type { AppState } from './app-state.js'
import { RouteContext } from '../lifecycle/route-context.js'
import { handleRequest } from '../lifecycle/pipeline.js'
import { requestHookNames, validateHook } from './hooks.js'
import { validateBodyLimit } from '../lifecycle/body.js'
import { validateHandlerTimeout } from '../lifecycle/handler-timeout.js'
import {
  FST_ERR_DUPLICATED_ROUTE, FST_ERR_INVALID_URL, FST_ERR_ROUTE_DUPLICATED_HANDLER, FST_ERR_ROUTE_HANDLER_NOT_FN,
  FST_ERR_ROUTE_METHOD_INVALID, FST_ERR_ROUTE_METHOD_NOT_SUPPORTED, FST_ERR_ROUTE_MISSING_HANDLER,
  FST_ERR_ROUTE_OPTIONS_NOT_OBJ, FST_ERR_INSTANCE_ALREADY_LISTENING,
  FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED, FST_ERR_ROUTE_LOG_LEVEL_INVALID
} from '../errors.js'
import { normalizeRouteSchema } from '../schema/normalize.js'
import type { JsonSchema } from '../schema/store.js'
import type { Handler, HTTPMethod, HTTPVersion } from 'find-my-way'

export type RouteOptions = Record<string, any>

function normalizeMethods (app: AppState, method: unknown): string[] {
  const list = Array.isArray(method) ? method : [method]
  if (list.length === 0) throw new FST_ERR_ROUTE_METHOD_INVALID()
  return list.map((m) => {
    if (typeof m !== 'string') throw new FST_ERR_ROUTE_METHOD_INVALID()
    const upper = m.toUpperCase()
    // As in Fastify: the standard methods and QUERY, plus those added with addHttpMethod().
    if (!app.bodylessMethods.has(upper) && !app.bodyMethods.has(upper)) throw new FST_ERR_ROUTE_METHOD_NOT_SUPPORTED(upper)
    return upper
  })
}

/**
 * Copies the schema with Fastify's normalizations (`query` alias, fluent
 * schemas, `content` maps; see schema/normalize.ts). Header names are
 * lower-cased and response keys checked when the route compiles at ready().
 */
function normalizeSchema (app: AppState, schema: unknown, method: string, url: string): JsonSchema | undefined {
  if (schema === undefined || schema === null) return undefined
  // The route's schema as the user wrote it; normalizing checks its parts.
  const out = normalizeRouteSchema(schema as JsonSchema)
  if (out.body !== undefined && app.bodylessMethods.has(method)) {
    throw new FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED(method, url)
  }
  return out
}

function checkRouteHooks (opts: RouteOptions): void {
  for (const name of requestHookNames) {
    const value = opts[name]
    if (value === undefined) continue
    const list = Array.isArray(value) ? value : [value]
    for (const fn of list) validateHook(name, fn, true)
    opts[name] = list
  }
}

/**
 * onRoute hooks that apply to this scope, in registration order: a child
 * scope's list starts as a copy of its parent's, so it already holds its
 * ancestors' hooks.
 */
function onRouteHooks (scope: Scope): Array<(opts: RouteOptions) => void> {
  return scope.appHooks.onRoute as Array<(opts: RouteOptions) => void>
}

export function addRoute (scope: Scope, options: RouteOptions): void {
  const app = scope.app
  if (app.started) throw new FST_ERR_INSTANCE_ALREADY_LISTENING('Cannot add route!')
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new FST_ERR_ROUTE_OPTIONS_NOT_OBJ('', '')
  }
  const opts: RouteOptions = { ...options }
  const path = opts.url ?? opts.path ?? ''
  if (typeof path !== 'string') throw new FST_ERR_INVALID_URL(typeof path)
  const methods = normalizeMethods(app, opts.method)
  if (typeof opts.handler !== 'function') throw new FST_ERR_ROUTE_MISSING_HANDLER(methods.join(','), path)
  if (opts.errorHandler !== undefined && typeof opts.errorHandler !== 'function') {
    throw new FST_ERR_ROUTE_HANDLER_NOT_FN(methods.join(','), path)
  }
  validateBodyLimit(opts.bodyLimit)
  validateHandlerTimeout(opts.handlerTimeout)
  // One route, however many methods: onRoute hooks see it once, with the array, as in Fastify.
  opts.method = Array.isArray(opts.method) ? methods : methods[0]
  // The HEAD route generated for a GET starts from the options as given, before onRoute hooks.
  const headOptions = { ...options }
  const prefix = scope.prefix
  if (path === '/' && prefix.length > 0 && opts.method !== 'HEAD') {
    switch (opts.prefixTrailingSlash) {
      case 'slash':
        addNewRoute(scope, app, opts, path, false, headOptions)
        break
      case 'no-slash':
        addNewRoute(scope, app, opts, '', false, headOptions)
        break
      default: {
        // 'both' (the default): /prefix and /prefix/ both answer.
        addNewRoute(scope, app, opts, '', false, headOptions)
        if (!app.ignoreTrailingSlash && (!app.ignoreDuplicateSlashes || !prefix.endsWith('/'))) {
          addNewRoute(scope, app, opts, path, true, headOptions)
        }
      }
    }
  } else if (path[0] === '/' && prefix.endsWith('/')) {
    addNewRoute(scope, app, opts, path.slice(1), false, headOptions)
  } else {
    addNewRoute(scope, app, opts, path, false, headOptions)
  }
}

/**
 * Adds one URL of a route (a prefixed `/` route has two: `/prefix` and `/prefix/`) for each of
 * its methods. `opts` is shared by the URLs of one route, as in Fastify: what an onRoute hook
 * changes on the first applies to the second (for which the hooks do not run again).
 */
function addNewRoute (scope: Scope, app: AppState, opts: RouteOptions, path: string, prefixing: boolean, headOptions: RouteOptions | null, isAutoHead = false): void {
  const prefix = scope.prefix
  const url = prefix + path
  opts.url = url
  opts.path = url
  opts.routePath = path
  opts.prefix = prefix
  // '' when neither the route nor a plugin sets one, as Fastify shows it to onRoute hooks (@fastify/swagger-ui's tests).
  opts.logLevel = opts.logLevel || scope.logLevel || ''
  validateLogLevel(app, opts.logLevel, opts.method, url)
  if (opts.attachValidation == null) opts.attachValidation = false
  if (!prefixing) {
    for (const hook of onRouteHooks(scope)) hook.call(scope.instance, opts)
  }
  // Route-level hooks are checked after the onRoute hooks, which may set or replace them.
  checkRouteHooks(opts)
  const finalUrl = opts.url as string
  if (typeof finalUrl !== 'string') throw new FST_ERR_INVALID_URL(typeof finalUrl)
  const methods: string[] = Array.isArray(opts.method) ? opts.method : [opts.method]
  const constraints = opts.constraints ?? {}
  const router = app.router

  let normalized: JsonSchema | undefined
  for (const method of methods) {
    const schema = normalized = normalizeSchema(app, opts.schema, method, finalUrl)
    if (method === 'HEAD' && !isAutoHead) {
      // An explicit HEAD route replaces the one generated for a GET.
      const existing = app.contexts.find((c) => c.method === 'HEAD' && c.url === finalUrl && c.options.isAutoHead === true)
      if (existing !== undefined) {
        router.off('HEAD', finalUrl, constraints)
        app.contexts.splice(app.contexts.indexOf(existing), 1)
      }
    }
    const context = new RouteContext(app, scope, { ...opts, method, schema, isAutoHead, configMethod: opts.method, configUrl: prefixing ? prefix : url })
    try {
      // find-my-way calls handleRequest with the route context as its store (params are always strings here).
      router.on(method as HTTPMethod, finalUrl, { constraints }, handleRequest as Handler<HTTPVersion.V1>, context)
    } catch (err) {
      const message = (err as Error).message
      if (message.includes('already declared')) throw new FST_ERR_DUPLICATED_ROUTE(method, finalUrl)
      throw err
    }
    app.contexts.push(context)
  }
  // Plugins that keep the options onRoute hooks got and read `schema` later (@fastify/swagger)
  // see it normalized (`querystring` for `query`, fluent schemas as JSON), as Fastify normalizes
  // a route's schema in place; the object the caller passed is left as it was.
  if (normalized !== undefined) opts.schema = normalized

  const exposeHead = opts.exposeHeadRoute ?? app.exposeHeadRoutes
  if (headOptions !== null && methods.includes('GET') && !methods.includes('HEAD') && exposeHead && router.findRoute('HEAD', finalUrl, constraints) === null) {
    addNewRoute(scope, app, { ...headOptions, method: 'HEAD', url: path }, path, prefixing, null, true)
  }
}

/** A route's (or its plugin's) `logLevel` must be a level of the app's logger, as in Fastify. */
function validateLogLevel (app: AppState, logLevel: unknown, method: unknown, url: string): void {
  if (logLevel === undefined || logLevel === null || logLevel === '') return
  const levels = (app.logger as { levels?: { values?: Record<string, number> } }).levels?.values
  if (levels === undefined) return
  if (typeof logLevel !== 'string' || levels[logLevel] === undefined) {
    throw new FST_ERR_ROUTE_LOG_LEVEL_INVALID(String(method), url, String(logLevel))
  }
}

export function shorthand (scope: Scope, method: string | string[], url: string, options: unknown, handler: unknown): void {
  let opts: RouteOptions
  if (handler === undefined && typeof options === 'function') {
    opts = { handler: options }
  } else if (typeof handler === 'function') {
    // With the handler third, the second argument must be an options object (Fastify refuses
    // undefined and null there too), without a handler of its own.
    if (Object.prototype.toString.call(options) !== '[object Object]') throw new FST_ERR_ROUTE_OPTIONS_NOT_OBJ(String(method), url)
    const given = options as RouteOptions
    if (given.handler !== undefined && given.handler !== null) {
      if (typeof given.handler === 'function') throw new FST_ERR_ROUTE_DUPLICATED_HANDLER(String(method), url)
      throw new FST_ERR_ROUTE_HANDLER_NOT_FN(String(method), url)
    }
    opts = { ...given, handler }
  } else if (options === undefined || options === null) {
    opts = { handler }
  } else {
    if (typeof options !== 'object' || Array.isArray(options)) throw new FST_ERR_ROUTE_OPTIONS_NOT_OBJ(String(method), url)
    const given = options as RouteOptions
    if (given.handler !== undefined && handler !== undefined) throw new FST_ERR_ROUTE_DUPLICATED_HANDLER(String(method), url)
    opts = { ...given, handler: given.handler ?? handler }
  }
  addRoute(scope, { ...opts, method, url })
}
