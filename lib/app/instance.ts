/**
 * The app object: route shorthands, decorate, register, hooks, listen,
 * close, inject. Each plugin scope has its own instance object, created with
 * `Object.create(parentInstance)` so decorators are inherited; its state is
 * the one Scope object stored under `kScope`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { once } from 'node:events'
import { METHODS } from 'node:http'
import { networkInterfaces } from 'node:os'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { AppState, buildGenReqId, defaultChildLoggerFactory } from './app-state.js'
import type { ChildLoggerFactory, GenReqId } from './app-state.js'
import type { Logger } from 'pino'
import type { HTTPMethod, HTTPVersion, ConstraintStrategy as RouterConstraintStrategy } from 'find-my-way'
import type { CallbackFunc as InjectCallback, Chain, InjectOptions, Response as InjectResponse } from 'light-my-request'
import { Scope } from './scope.js'
import type { ErrorHandlerFn, NotFoundSetting } from './scope.js'
import { createLogger } from '../server/logger.js'
import { createDefaultParsers, defaultTextParser, getDefaultJsonParser } from '../lifecycle/body.js'
import type { ParserFn, ParserOptions, ProtoAction } from '../lifecycle/body.js'
import { rootErrorHandler } from '../lifecycle/error-handler.js'
import { isAppHook, requestHookNames, runAppHook, validateHook } from './hooks.js'
import { PluginTree, pluginLabel } from './plugin-tree.js'
import type { AfterFn, AfterFnWithInstance, PluginFn, ScopeOptions } from './plugin-tree.js'
import { addRoute, shorthand } from './routes.js'
import type { RouteOptions } from './routes.js'
import { emitWarning } from '../warnings.js'
import { decorate, getDecorator, hasDecorator } from './decorators.js'
import { RouteContext } from '../lifecycle/route-context.js'
import { basic404, requestOutsideRoutes, routeNotFound } from '../lifecycle/not-found.js'
import { initializationChannel } from '../lifecycle/diagnostics.js'
import { createServer, defaultClientErrorHandler, formatAddress } from '../server/server.js'
import type { AppServer } from '../server/server.js'
import {
  FST_ERR_ERROR_HANDLER_NOT_FN, FST_ERR_ERROR_HANDLER_ALREADY_SET, FST_ERR_INSTANCE_ALREADY_LISTENING, FST_ERR_REOPENED_CLOSE_SERVER, FST_ERR_REOPENED_SERVER,
  FST_ERR_LISTEN_OPTIONS_INVALID, VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET, FST_ERR_CTP_INSTANCE_ALREADY_STARTED, FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH, FST_ERR_HOOK_INVALID_HANDLER,
  FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN, VLX_ERR_HEALTH_CHECK_INVALID, FST_ERR_ASYNC_CONSTRAINT, FST_ERR_ROUTE_METHOD_INVALID, FST_ERR_SEND_UNDEFINED_ERR,
  FST_ERR_FORCE_CLOSE_CONNECTIONS_IDLE_NOT_AVAILABLE
} from '../errors.js'
import type { VeloxError } from '../errors.js'
import type { SerializerCompiler, ValidatorCompiler } from '../schema/compile.js'
import { builtCompilers, createBucket, normalizeSchemaController } from '../schema/compile.js'
import { flushCodeCaches } from '../schema/code-cache.js'
import { warmUp } from '../lifecycle/warm-up.js'
import { SchemaBuildWriter } from '../schema/build-file.js'
import { collectInto } from '../schema/code-sources.js'
import type { JsonSchema, SchemaBucket } from '../schema/store.js'
import type { SchemaErrorFormatter } from '../schema/validation.js'
import { buildOpenApiFromApp } from '../openapi/adapter.js'
import type { OpenApiDocument, OpenApiOptions } from '../openapi/types.js'
import type { ListenOptions as PublicListenOptions, VeloxServerOptions } from '../../types/server-options.js'
import { registerOpenApiRoutes } from '../openapi/routes.js'
import { registerOperations } from '../ops/index.js'

/**
 * The Fastify release whose public API Velox implements, spelled as that Fastify reports its own
 * `version`: plugins check their `fastify` range against it. Kept equal to the Fastify that
 * `npm run test:fastify` measures Velox against (test/plugin-meta.test.ts checks it).
 */
export const FASTIFY_API_VERSION = '5.12.8'
/** Velox's own version. */
export const VELOX_VERSION = '0.1.0'

export const kScope = Symbol('velox.scope')
/** Methods for Velox's own tools (`velox build`, velox/serverless), found by global symbol whichever copy of Velox made the app. */
export const kBuildSchemas = Symbol.for('velox.buildSchemas')
export const kStartOnDemand = Symbol.for('velox.startOnDemand')
/**
 * Boot steps wait for process.nextTick, as avvio's do in Fastify, never for a turn of the event
 * loop: ready(), inject() and their callbacks settle before the setImmediate callbacks and I/O
 * queued when they were called. Tests rely on it (an async test with t.plan whose inject()
 * callbacks are not awaited; fake timers that fake setImmediate, or that fake nextTick and
 * advance on a real interval: boot then waits for that clock exactly as Fastify's does).
 * Looked up at each call, so a faked nextTick applies to Velox as it applies to avvio.
 */
function nextTick (): Promise<void> {
  return new Promise<void>((resolve) => { process.nextTick(resolve) })
}
/** Where Fastify lists the names of the plugins registered in a scope (fastify-plugin `name`s). */
const kRegisteredPlugins = Symbol.for('registered-plugin')

const require = createRequire(import.meta.url)
type Dispatch = (req: IncomingMessage, res: ServerResponse) => void
/** light-my-request's inject() as Velox calls it: a Chain without a callback, nothing with one (its options are checked there). */
type InjectFn = (dispatch: Dispatch, opts?: InjectOptions | string, cb?: InjectCallback) => Chain | undefined
let lightMyRequest: InjectFn | null = null
/** light-my-request is loaded on the first inject(): production servers never pay for it. */
function inject (dispatch: Dispatch, opts?: InjectOptions | string): Chain
function inject (dispatch: Dispatch, opts: InjectOptions | string | undefined, cb: InjectCallback): undefined
function inject (dispatch: Dispatch, opts: InjectOptions | string | undefined, cb: InjectCallback | undefined): Chain | undefined
function inject (dispatch: Dispatch, opts?: InjectOptions | string, cb?: InjectCallback): Chain | undefined {
  lightMyRequest ??= require('light-my-request') as InjectFn
  return lightMyRequest(dispatch, opts, cb)
}

type LifecycleHook = 'onReady' | 'onListen' | 'preClose' | 'onClose'
interface LifecycleEntry { fn: HookFn, instance: AppInstance }

interface Internals {
  app: AppState
  tree: PluginTree
  lifecycle: Record<LifecycleHook, LifecycleEntry[]>
  readyPromise: Promise<void> | null
  closePromise: Promise<undefined> | null
  /** Set while resolving a thenable instance, so the resolved value is not itself treated as thenable (as avvio does). */
  thenifyOff: WeakSet<object>
  pluginTreeLines: Array<{ depth: number, name: string }>
  /** Prefix-owning scopes whose not-found handler has been set. */
  notFoundLevels: WeakSet<Scope>
  /** `ready()` calls made on plugin instances while plugins load, settled once they have. */
  childReady: Array<(err: Error | null) => void>
}

const internalsOf = new WeakMap<AppState, Internals>()

function scopeOf (instance: AppInstance): Scope {
  return instance[kScope]
}

function internals (instance: AppInstance): Internals {
  return internalsOf.get(scopeOf(instance).app) as Internals
}

function throwIfStarted (instance: AppInstance, what: string): void {
  if (scopeOf(instance).app.started) throw new FST_ERR_INSTANCE_ALREADY_LISTENING(what)
}

/**
 * Errors in the shape of a route's schema that Fastify reports through ready() (it normalizes
 * schemas while booting), not from the route call: Velox finds them when the route is declared
 * and queues them where Fastify raises them, so the plugins after are skipped and ready() fails.
 */
const bootSchemaErrors = new Set(['FST_ERR_SCH_DUPLICATE', 'FST_ERR_SCH_CONTENT_MISSING_SCHEMA'])

function declareRoute (instance: AppInstance, declare: () => void): void {
  try {
    declare()
  } catch (err) {
    if (!bootSchemaErrors.has((err as { code?: string }).code as string)) throw err
    internals(instance).tree.after(instance, (_err: Error | null, done?: (err?: Error | null) => void) => { done?.(err as Error) })
  }
}

/** A route shorthand (`app.get(url, [options], handler)`); the options and handler are the user's, checked by addRoute. */
type RouteShorthand = (url: string, options?: unknown, handler?: unknown) => AppInstance

function routeShorthand (method: string | string[]): RouteShorthand {
  return function (this: AppInstance, url: string, options?: unknown, handler?: unknown) {
    declareRoute(this, () => { shorthand(scopeOf(this), method, url, options, handler) })
    return this
  }
}

/** The part of a route a lookup names (`hasRoute`, `findRoute`). */
interface RouteLookup { method?: string, url?: string, constraints?: Record<string, unknown> }
/** A hook function as the user gave it: its arguments depend on the hook's name (see hooks.ts). */
type HookFn = Parameters<typeof runAppHook>[0]
type ListenCallback = (err: Error | null, address: string) => void
/** An AbortSignal, or an EventEmitter-style signal that emits 'abort' (Fastify accepts both). */
interface ListenSignal { aborted?: boolean, addEventListener?: AbortSignal['addEventListener'], on?: (event: 'abort', listener: () => void) => unknown }
type ListenOptions = Omit<PublicListenOptions, 'signal'> & { signal?: ListenSignal }
type NotFoundHandler = NotFoundSetting['handler']
type ContentTypeMatcher = string | RegExp | ReadonlyArray<string | RegExp>
type ConstraintStrategy = RouterConstraintStrategy<HTTPVersion.V1>

/** find-my-way types the method as one it knows; a lookup passes the caller's on (an unknown one matches nothing). */
function lookupMethod (opts: RouteLookup): HTTPMethod {
  return (opts.method?.toUpperCase() ?? '') as HTTPMethod
}

/**
 * The app object's methods: each plugin scope's instance is an object whose prototype chain ends
 * here (`Object.create(AppInstance.prototype)` for the root, `Object.create(parentInstance)` for
 * a child, so decorators are inherited); its state is the one Scope under `kScope`. Never
 * constructed: the public type is `VeloxInstance` (types/instance.ts), checked against this class
 * by instance-check.ts (through lib/index.ts) and test/types/instance-implementation.tst.ts.
 */
export class AppInstance {
  declare [kScope]: Scope
  /** The route shorthands (assigned to the prototype below, as addHttpMethod() adds its own). */
  declare get: RouteShorthand
  declare head: RouteShorthand
  declare post: RouteShorthand
  declare put: RouteShorthand
  declare delete: RouteShorthand
  declare options: RouteShorthand
  declare patch: RouteShorthand
  declare trace: RouteShorthand
  declare query: RouteShorthand
  declare defaultTextParser: typeof defaultTextParser

  /** Every supported method (`supportedMethods`) at the time of the call, as Fastify's `all`. */
  all (url: string, options?: unknown, handler?: unknown): this {
    declareRoute(this, () => { shorthand(scopeOf(this), this.supportedMethods, url, options, handler) })
    return this
  }

  /** The methods routes may use: the standard ones, QUERY, and those added with addHttpMethod(). */
  get supportedMethods (): string[] {
    const app = scopeOf(this).app
    return [...app.bodylessMethods, ...app.bodyMethods]
  }

  /**
   * Lets routes use another method Node.js knows (WebDAV's PROPFIND, MKCOL..., or any of
   * `http.METHODS`), with or without a request body, and adds its shorthand (`app.propfind()`).
   * Calling it for a supported method changes whether its body is read (pass
   * `overrideExisting: true`, or a FSTDEP025 deprecation is emitted, as in Fastify).
   *
   * @example
   * app.addHttpMethod('PROPFIND', { hasBody: true })
   * app.propfind('/files/*', async (request) => listProperties(request.params['*'], request.body))
   */
  addHttpMethod (method: unknown, { hasBody = false, overrideExisting = false }: { hasBody?: boolean, overrideExisting?: boolean } = {}): this {
    if (typeof method !== 'string' || !METHODS.includes(method)) throw new FST_ERR_ROUTE_METHOD_INVALID()
    const app = scopeOf(this).app
    if ((app.bodylessMethods.has(method) || app.bodyMethods.has(method)) && !overrideExisting) emitWarning('FSTDEP025', method)
    if (hasBody) {
      app.bodyMethods.add(method)
      app.bodylessMethods.delete(method)
    } else {
      app.bodyMethods.delete(method)
      app.bodylessMethods.add(method)
    }
    const name = method.toLowerCase()
    if (!this.hasDecorator(name)) this.decorate(name, routeShorthand(method))
    return this
  }

  route (options: RouteOptions): this {
    declareRoute(this, () => { addRoute(scopeOf(this), options) })
    return this
  }

  register (plugin: unknown, opts?: unknown): this {
    internals(this).tree.register(this, plugin, opts)
    return this
  }

  after (): Promise<void>
  after (fn: AfterFn | AfterFnWithInstance): this
  after (fn?: AfterFn | AfterFnWithInstance): Promise<void> | this {
    const { tree } = internals(this)
    if (fn === undefined) {
      return new Promise<void>((resolve, reject) => {
        // The error is passed on, not handled: it still fails ready(), as in Fastify.
        tree.after(this, (err: Error | null, done?: (err?: Error | null) => void) => {
          if (err != null) reject(err)
          else resolve()
          done?.(err)
        })
        tree.flush().catch(() => {})
      })
    }
    tree.after(this, fn)
    return this
  }

  /**
   * Loads every plugin and settles with the instance (`cb(err, instance)`). Called on a plugin's
   * instance while plugins load, it settles once the whole tree has loaded, before the onReady
   * hooks, in the order such calls were made (avvio's behaviour in Fastify).
   */
  ready (): Promise<this>
  ready (cb: (err: Error | null, instance?: AppInstance) => void): undefined
  ready (cb?: (err: Error | null, instance?: AppInstance) => void): Promise<this> | undefined {
    const state = internals(this)
    const promise = this !== state.app.root.instance && state.tree.isLoading
      ? new Promise<void>((resolve, reject) => { state.childReady.push((err) => { if (err === null) resolve(); else reject(err) }) })
      : ready(this)
    const settled = promise.then<this>(() => this)
    if (typeof cb === 'function') {
      // One step later than `settled`, like a `.then()` on the promise form: callbacks and promise
      // callers are answered in the order they called ready().
      settled.then((self) => { cb(null, self) }, (err: Error) => { cb(err) })
      return undefined
    }
    return settled
  }

  listen (opts?: ListenOptions): Promise<string>
  listen (cb: ListenCallback): undefined
  listen (opts: ListenOptions | undefined, cb: ListenCallback): undefined
  listen (opts?: ListenOptions | ListenCallback, cb?: ListenCallback): Promise<string> | undefined {
    if (typeof opts === 'function') {
      cb = opts
      opts = {}
    }
    const signal = opts?.signal
    if (signal && typeof signal.on !== 'function' && typeof signal.addEventListener !== 'function') {
      throw new FST_ERR_LISTEN_OPTIONS_INVALID('Invalid options.signal')
    }
    const started = listen(this, opts ?? {})
    // The callback, or the promise, settles first; onListen hooks start right after (as Fastify).
    const onListening = (): void => { runOnListenHooks(internals(this).lifecycle.onListen) }
    if (typeof cb === 'function') {
      const callback = cb
      started.then((address) => {
        // Aborted through `signal` before listening: the app closes and, as in Fastify, the
        // callback is never called.
        if (address === undefined) return
        callback(null, address)
        onListening()
      }, (err: Error) => { callback(err, null as unknown as string) })
      return undefined
    }
    return new Promise<string>((resolve, reject) => {
      started.then((address) => {
        // Settled through a promise, a few microtask steps later, as Fastify's listen() chain is:
        // onListen hooks that finish at once (async ones included) have run when `await` resumes.
        resolve(Promise.resolve(address as string))
        if (address !== undefined) onListening()
      }, reject)
    })
  }

  close (): Promise<undefined>
  close (cb: (err?: Error) => void): undefined
  close (cb?: (err?: Error) => void): Promise<undefined> | undefined {
    const promise = close(this)
    if (typeof cb === 'function') {
      // As Fastify: no argument after a clean close (a callback testing `arguments.length` or
      // `err === undefined` sees the same thing on both), the error otherwise.
      promise.then(() => cb(), (err: Error) => cb(err))
      return undefined
    }
    return promise
  }

  /**
   * `velox build`: boots the app (it must not be started yet), compiling every schema, and
   * returns the build file with their standalone code. A global symbol, so the command works
   * with the copy of Velox the app itself imported.
   */
  async [kBuildSchemas] (): Promise<{ file: Buffer, validators: number, serializers: number, routes: number }> {
    const state = internals(this)
    if (state.readyPromise !== null) throw new Error('the app was started (ready(), listen() or inject()) before velox build could compile its schemas')
    const writer = new SchemaBuildWriter(VELOX_VERSION)
    collectInto(state.app.options, writer)
    await ready(this, 'eager')
    return { file: writer.toBuffer(), validators: writer.validators, serializers: writer.serializers, routes: state.app.contexts.length }
  }

  /** The serverless handlers start the app this way: schemas compile on each route's first request, with no warm-up. */
  [kStartOnDemand] (): Promise<void> {
    return ready(this, 'on-demand')
  }

  inject (opts: InjectOptions | string | undefined, cb: InjectCallback): undefined
  inject (opts: InjectOptions | string): Chain
  inject (): Chain
  inject (opts?: InjectOptions | string, cb?: InjectCallback): Chain | Promise<InjectResponse> | undefined {
    const app = scopeOf(this).app
    const dispatch = (req: IncomingMessage, res: ServerResponse): void => { app.dispatch(req, res) }
    if (app.started) {
      if (app.closing) {
        const err = new FST_ERR_REOPENED_CLOSE_SERVER()
        if (typeof cb === 'function') { cb(err, undefined); return undefined }
        return Promise.reject(err)
      }
      return inject(dispatch, opts, cb)
    }
    if (typeof cb === 'function') {
      ready(this).then(() => { inject(dispatch, opts, cb) }, (err: Error) => cb(err, undefined))
      return undefined
    }
    return inject((req: IncomingMessage, res: ServerResponse) => {
      ready(this).then(() => dispatch(req, res), (err) => { res.emit('error', err) })
    }, opts)
  }

  addresses (): AddressInfo[] {
    // The server's address, as Fastify reports it: a serverFactory server may listen on its own.
    const server = scopeOf(this).app.server
    const address: unknown = server !== null && typeof server.address === 'function' ? server.address() : null
    // A socket path is reported as given, as Fastify does; the public type names the usual case.
    return address === null || address === undefined ? [] : [address as AddressInfo]
  }

  decorate (name: string | symbol, value: unknown, dependencies?: readonly string[]): this {
    decorate(scopeOf(this), 'instance', name, value, dependencies)
    return this
  }

  decorateRequest (name: string | symbol, value: unknown, dependencies?: readonly string[]): this {
    decorate(scopeOf(this), 'request', name, value, dependencies)
    return this
  }

  decorateReply (name: string | symbol, value: unknown, dependencies?: readonly string[]): this {
    decorate(scopeOf(this), 'reply', name, value, dependencies)
    return this
  }

  hasDecorator (name: string | symbol): boolean {
    return hasDecorator(scopeOf(this), 'instance', name)
  }

  hasRequestDecorator (name: string | symbol): boolean {
    return hasDecorator(scopeOf(this), 'request', name)
  }

  hasReplyDecorator (name: string | symbol): boolean {
    return hasDecorator(scopeOf(this), 'reply', name)
  }

  getDecorator (name: string | symbol): unknown {
    return getDecorator(scopeOf(this), name)
  }

  addHook (name: string, fn: unknown): this {
    if (name === 'onClose' && fn !== null && typeof fn === 'object') fn = disposableHook(fn)
    validateHook(name, fn)
    const scope = scopeOf(this)
    // onClose and preClose may be added at any time, even while closing, as in
    // Fastify (one added after its phase has run simply does not run); other application hooks
    // until the onReady hooks have run; request hooks until ready() has loaded the plugins.
    if (name !== 'onClose' && name !== 'preClose' && name !== 'onListen') {
      if (!isAppHook(name) || scope.app.readyHooksDone) throwIfStarted(this, 'Cannot call "addHook"!')
    }
    if (name === 'onRoute') {
      scope.appHooks.onRoute.push(fn)
    } else if (isAppHook(name) && name !== 'onRegister') {
      internals(this).lifecycle[name as LifecycleHook].push({ fn, instance: this })
    } else {
      // Request hooks and onRegister join the plugin queue, as in Fastify (avvio's `after`): a
      // hook added after a `register()` that has not loaded yet is added once that plugin has,
      // so the plugin's own hooks run first.
      internals(this).tree.after(this, function addQueuedHook (err: Error | null, done?: (err?: Error | null) => void) {
        if (name === 'onRegister') scope.appHooks.onRegister.push(fn)
        else addRequestHook(scope, name as keyof Scope['hooks'], fn)
        done?.(err)
      })
    }
    return this
  }

  /**
   * avvio's `onClose(fn)`, present on every Fastify instance: `fn(instance, done)` (or an async
   * `fn(instance)`) runs when the app closes, after the server has closed, like an `onClose`
   * hook; handlers added later run first.
   *
   * @example
   * app.onClose(async (instance) => { await instance.db.end() })
   */
  onClose (fn: (instance: AppInstance, done: (err?: Error | null) => void) => unknown): this {
    if (typeof fn !== 'function') throw new FST_ERR_HOOK_INVALID_HANDLER('onClose', Object.prototype.toString.call(fn))
    internals(this).lifecycle.onClose.push({ fn, instance: this })
    return this
  }

  /**
   * Fastify's `routing(req, res)`: routes a raw Node request through the app (URL rewrite, router,
   * hooks, handler) as the server does. Plugins use it for requests the server hands to them
   * outside the 'request' event, such as @fastify/websocket's upgrade requests.
   *
   * @example
   * server.on('upgrade', (req, socket) => { app.routing(req, new ServerResponse(req)) })
   */
  get routing (): (req: IncomingMessage, res: ServerResponse) => void {
    return scopeOf(this).app.routing
  }

  addSchema (schema: unknown): this {
    throwIfStarted(this, 'Cannot call "addSchema"!')
    // The store refuses what has no `$id` (FST_ERR_SCH_MISSING_ID), a boolean schema included.
    addSchemaToScope(scopeOf(this), schema as JsonSchema)
    return this
  }

  getSchema (id: string): unknown {
    return scopeOf(this).schemas.getSchema(id)
  }

  getSchemas (): Record<string, unknown> {
    return scopeOf(this).schemas.getSchemas()
  }

  setSchemaController (controllerOptions: unknown): this {
    throwIfStarted(this, 'Cannot call "setSchemaController"!')
    const scope = scopeOf(this)
    scope.schemaController = normalizeSchemaController(controllerOptions, scope.schemaController)
    scope.schemas = createBucket(scope.schemaController, scope.schemas)
    scope.ownSchemas = true
    return this
  }

  setErrorHandler (fn: ErrorHandlerFn): this {
    throwIfStarted(this, 'Cannot call "setErrorHandler"!')
    if (typeof fn !== 'function') throw new FST_ERR_ERROR_HANDLER_NOT_FN()
    const scope = scopeOf(this)
    if (scope.errorHandlerSetHere && scope.app.options.allowErrorHandlerOverride === false) throw new FST_ERR_ERROR_HANDLER_ALREADY_SET()
    // As in Fastify, a handler set again in the same scope falls back to the one it replaced when it throws.
    scope.errorHandler = { fn, instance: this, parent: scope.errorHandler }
    scope.errorHandlerSetHere = true
    return this
  }

  setNotFoundHandler (handler: NotFoundHandler): this
  setNotFoundHandler (opts: NotFoundSetting['options'] | undefined, handler: NotFoundHandler): this
  setNotFoundHandler (opts: NotFoundSetting['options'] | NotFoundHandler | undefined, handler?: NotFoundHandler): this {
    throwIfStarted(this, 'Cannot call "setNotFoundHandler"!')
    if (handler === undefined) {
      handler = opts as NotFoundHandler
      opts = {}
    }
    if (typeof handler !== 'function') throw new FST_ERR_HOOK_INVALID_HANDLER('setNotFoundHandler', typeof handler)
    const scope = scopeOf(this)
    // One handler per prefix, as in Fastify: the scope that owns the prefix
    // (the nearest one registered with a `prefix` option, or the root) is
    // taken by the first call from it or from any plugin without a prefix of its own.
    let level = scope
    while (level.parent !== null && level.prefix === level.parent.prefix) level = level.parent
    const { notFoundLevels } = internals(this)
    if (notFoundLevels.has(level)) throw new VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET(level.prefix === '' ? '/' : level.prefix)
    notFoundLevels.add(level)
    scope.notFound = { handler, options: (opts ?? {}) as NotFoundSetting['options'], scope }
    return this
  }

  setValidatorCompiler (compiler: ValidatorCompiler): this {
    throwIfStarted(this, 'Cannot call "setValidatorCompiler"!')
    scopeOf(this).validatorCompiler = compiler
    return this
  }

  setSerializerCompiler (compiler: SerializerCompiler): this {
    throwIfStarted(this, 'Cannot call "setSerializerCompiler"!')
    scopeOf(this).serializerCompiler = compiler
    return this
  }

  setSchemaErrorFormatter (formatter: SchemaErrorFormatter): this {
    throwIfStarted(this, 'Cannot call "setSchemaErrorFormatter"!')
    checkSchemaErrorFormatter(formatter)
    // The formatter runs with the instance it was set on as `this`, as in Fastify.
    scopeOf(this).schemaErrorFormatter = formatter.bind(this)
    return this
  }

  setReplySerializer (fn: (payload: unknown, statusCode: number) => string): this {
    throwIfStarted(this, 'Cannot call "setReplySerializer"!')
    scopeOf(this).replySerializer = fn
    return this
  }

  addContentTypeParser (type: ContentTypeMatcher, parser: ParserFn): this
  addContentTypeParser (type: ContentTypeMatcher, opts: ParserOptions, parser: ParserFn): this
  addContentTypeParser (type: ContentTypeMatcher, opts: ParserOptions | ParserFn, parser?: ParserFn): this {
    if (scopeOf(this).app.started) throw new FST_ERR_CTP_INSTANCE_ALREADY_STARTED('addContentTypeParser')
    if (typeof opts === 'function') {
      parser = opts
      opts = {}
    }
    scopeOf(this).parsers.add(type, opts ?? {}, parser as ParserFn)
    return this
  }

  hasContentTypeParser (type: string | RegExp): boolean {
    return scopeOf(this).parsers.has(type)
  }

  removeContentTypeParser (type: ContentTypeMatcher): this {
    if (scopeOf(this).app.started) throw new FST_ERR_CTP_INSTANCE_ALREADY_STARTED('removeContentTypeParser')
    scopeOf(this).parsers.remove(type)
    return this
  }

  removeAllContentTypeParsers (): this {
    if (scopeOf(this).app.started) throw new FST_ERR_CTP_INSTANCE_ALREADY_STARTED('removeAllContentTypeParsers')
    scopeOf(this).parsers.removeAll()
    return this
  }

  getDefaultJsonParser (onProtoPoisoning: ProtoAction, onConstructorPoisoning: ProtoAction): ReturnType<typeof getDefaultJsonParser> {
    return getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning)
  }

  /**
   * Adds a find-my-way constraint strategy (Fastify's `addConstraintStrategy`): routes may then be
   * constrained on it (`constraints: { [name]: value }`). `deriveConstraint` may be asynchronous
   * (a callback as third argument); a failure answers 500 (`frameworkErrors` gets
   * FST_ERR_ASYNC_CONSTRAINT).
   *
   * @example
   * app.addConstraintStrategy({
   *   name: 'tenant',
   *   storage () { const m = new Map(); return { get: (k) => m.get(k) ?? null, set: (k, v) => { m.set(k, v) } } },
   *   deriveConstraint: (req) => req.headers['x-tenant'],
   *   mustMatchWhenDerived: true
   * })
   * app.get('/', { constraints: { tenant: 'acme' } }, async () => 'acme only')
   */
  addConstraintStrategy (strategy: ConstraintStrategy): this {
    throwIfStarted(this, 'Cannot add constraint strategy!')
    scopeOf(this).app.router.addConstraintStrategy(strategy)
    return this
  }

  /** Whether a constraint strategy of that name exists (the built-in `version` and `host` once a route uses them). */
  hasConstraintStrategy (name: string): boolean {
    return scopeOf(this).app.router.hasConstraintStrategy(name)
  }

  // Without a method or a URL nothing matches, as in Fastify (no exception).
  hasRoute (opts: RouteLookup): boolean {
    return scopeOf(this).app.router.findRoute(lookupMethod(opts), opts.url ?? '', opts.constraints) !== null
  }

  findRoute (opts: RouteLookup): { handler: RouteContext['handler'], params: Record<string, string | undefined>, searchParams: Record<string, string> } | null {
    // Matched like a request URL, so `/users/:id` gives `params: { id: ':id' }` (Fastify's documented shape).
    // The route context stays private: callers could otherwise change a live route.
    const found = scopeOf(this).app.router.find(lookupMethod(opts), opts.url ?? '', opts.constraints)
    if (found === null) return null
    return { handler: (found.store as RouteContext).handler, params: found.params, searchParams: found.searchParams }
  }

  printRoutes (opts: { method?: string, includeMeta?: boolean | ReadonlyArray<string | symbol>, commonPrefix?: boolean, includeHooks?: boolean } = {}): string {
    // includeHooks: every hook, in Fastify's order, before the meta keys asked for.
    const includeMeta = opts.includeHooks === true
      ? [...printedHooks, ...(Array.isArray(opts.includeMeta) ? opts.includeMeta as ReadonlyArray<string | symbol> : [])]
      : opts.includeMeta
    return scopeOf(this).app.router.prettyPrint({
      commonPrefix: opts.commonPrefix !== false,
      // find-my-way's types want a mutable array; it only reads it.
      includeMeta: includeMeta as boolean | Array<string | symbol> | undefined,
      method: opts.method as HTTPMethod | undefined
    })
  }

  printPlugins (): string {
    return formatPluginTree(internals(this).pluginTreeLines)
  }

  hasPlugin (name: string): boolean {
    const scope = scopeOf(this)
    return scope.registeredPlugins.includes(name) || scope.pluginNames.includes(name)
  }

  /**
   * Adds a readiness check: the `health` option's readiness route answers 503 while it throws,
   * rejects or returns false (each check has `health.checkTimeout`, default 2 s).
   */
  addHealthCheck (name: string, check: () => unknown): this {
    const checks = scopeOf(this).app.healthChecks
    if (typeof name !== 'string' || name === '') throw new VLX_ERR_HEALTH_CHECK_INVALID('a name (a non-empty string)')
    if (typeof check !== 'function') throw new VLX_ERR_HEALTH_CHECK_INVALID(`a function as check '${name}'`)
    if (checks.some((entry) => entry.name === name)) throw new VLX_ERR_HEALTH_CHECK_INVALID(`a unique name: '${name}' is taken`)
    checks.push({ name, check })
    return this
  }

  /**
   * Fastify's `withTypeProvider<Provider>()`: a type-level switch (Velox infers types from schemas
   * without one); at run time it returns the instance itself.
   */
  withTypeProvider (): this {
    return this
  }

  openapi (options?: OpenApiOptions): OpenApiDocument {
    return buildOpenApiFromApp(scopeOf(this).app, options)
  }

  /** The server: Node's, or the one the `serverFactory` option made (typed as Node's, as in Fastify). */
  get server (): Server {
    return scopeOf(this).app.server as Server
  }

  /** The origin the server listens on, `http://127.0.0.1:3000` (or the socket path), once listening. */
  get listeningOrigin (): string | undefined {
    const app = scopeOf(this).app
    const address = app.listening && app.server !== null ? app.server.address() : null
    if (address === null) return undefined
    return formatAddress(address, app.options.https != null)
  }

  get log (): Logger {
    return scopeOf(this).logger
  }

  get prefix (): string {
    return scopeOf(this).prefix
  }

  get pluginName (): string {
    return scopeOf(this).pluginNames.join(' -> ')
  }

  /** The names hasPlugin() knows in this scope, under Fastify's global symbol (read by plugins' tests). */
  get [kRegisteredPlugins] (): string[] {
    return scopeOf(this).registeredPlugins
  }

  /**
   * The validator compiler of this instance, as Fastify reports it: the one `setValidatorCompiler`
   * set (here or in a parent), else the schema controller's once a route with a request schema
   * has been set up at ready(), else undefined.
   */
  get validatorCompiler (): ValidatorCompiler | undefined {
    const scope = scopeOf(this)
    return scope.validatorCompiler ?? builtCompilers(scope.schemas, scope.schemaController).validator ?? undefined
  }

  /** The serializer compiler of this instance, as `validatorCompiler` reports the validator's. */
  get serializerCompiler (): SerializerCompiler | undefined {
    const scope = scopeOf(this)
    return scope.serializerCompiler ?? builtCompilers(scope.schemas, scope.schemaController).serializer ?? undefined
  }

  get version (): string {
    return FASTIFY_API_VERSION
  }

  get initialConfig (): AppState['initialConfig'] {
    return scopeOf(this).app.initialConfig
  }

  get errorHandler (): ErrorHandlerFn {
    return scopeOf(this).errorHandler.fn
  }

  /** The factory of request loggers in force in this plugin (Velox's default when none was set). */
  get childLoggerFactory (): ChildLoggerFactory {
    return scopeOf(this).childLoggerFactoryOf() ?? defaultChildLoggerFactory
  }

  /** The request-id function in force in this plugin (`genReqId`, `setGenReqId`, `requestIdHeader`). */
  get genReqId (): GenReqId {
    return scopeOf(this).genReqIdOf()
  }

  /**
   * Sets the request-id function of this plugin and its children (Fastify's `setGenReqId`); it
   * gets the raw request, and `requestIdHeader`, when set, still wins.
   *
   * @example
   * app.register(async (api) => {
   *   api.setGenReqId((req) => `api-${randomUUID()}`)
   * })
   */
  setGenReqId (fn: GenReqId): this {
    throwIfStarted(this, 'Cannot call "setGenReqId"!')
    const scope = scopeOf(this)
    scope.genReqId = buildGenReqId(scope.app.requestIdHeader, fn)
    return this
  }

  /**
   * Sets how the routes of this plugin and its children create each request's logger (Fastify's
   * `setChildLoggerFactory`): `factory(logger, bindings, opts, rawRequest)` runs with the instance
   * as `this` and returns the logger `request.log` becomes.
   *
   * @example
   * app.setChildLoggerFactory(function (logger, bindings, opts, req) {
   *   return logger.child({ ...bindings, tenant: req.headers['x-tenant'] }, opts)
   * })
   */
  setChildLoggerFactory (factory: ChildLoggerFactory): this {
    throwIfStarted(this, 'Cannot call "setChildLoggerFactory"!')
    scopeOf(this).childLoggerFactory = factory
    return this
  }

  /**
   * An instance is thenable until it has booted, like Fastify's: awaiting
   * `app.register(plugin)` loads what was registered so far.
   */
  get then (): ((resolve: (value: unknown) => void, reject: (err: unknown) => void) => Promise<void>) | undefined {
    const { tree, thenifyOff } = internals(this)
    if (tree.isBooted) return undefined
    if (thenifyOff.has(this)) {
      thenifyOff.delete(this)
      return undefined
    }
    const instance = this
    return function thenifyWrapped (resolve: (v: unknown) => void, reject: (e: unknown) => void) {
      return tree.flush().then(() => {
        thenifyOff.add(instance)
        resolve(instance)
      }, reject)
    }
  }
}

Object.assign(AppInstance.prototype, {
  get: routeShorthand('GET'),
  head: routeShorthand('HEAD'),
  post: routeShorthand('POST'),
  put: routeShorthand('PUT'),
  delete: routeShorthand('DELETE'),
  options: routeShorthand('OPTIONS'),
  patch: routeShorthand('PATCH'),
  trace: routeShorthand('TRACE'),
  query: routeShorthand('QUERY'),
  defaultTextParser
})

/**
 * The prototype keeps the shape of the object literal it was before it became a class: members
 * enumerable (`for...in` over an instance lists the API, as over Fastify's, whose methods are
 * plain properties) and no `constructor` of its own (an instance's is Object, as Fastify's).
 */
for (const key of Reflect.ownKeys(AppInstance.prototype)) {
  if (key !== 'constructor') Object.defineProperty(AppInstance.prototype, key, { enumerable: true })
}
Reflect.deleteProperty(AppInstance.prototype, 'constructor')

/** Fastify's hook list, in the order its printRoutes({ includeHooks }) shows them. */
const printedHooks = [
  'onTimeout', 'onRequest', 'preParsing', 'preValidation', 'preSerialization', 'preHandler', 'onSend', 'onResponse',
  'onError', 'onRequestAbort', 'onRoute', 'onRegister', 'onReady', 'onListen', 'preClose', 'onClose'
]

/**
 * Adds a request hook to a scope and to the child scopes it already has: as in
 * Fastify, a parent's hook added after `await register(child)` still runs for
 * the child's routes. Children created later copy the parent's lists.
 */
function addRequestHook (scope: Scope, name: keyof Scope['hooks'], fn: HookFn): void {
  scope.hooks[name].push(fn)
  for (const child of scope.children) addRequestHook(child, name, fn)
}

/**
 * Adds a shared schema to a scope and, as Fastify does, to the child scopes it
 * already has: children sharing the old store move to the new one, children
 * with their own store get the schema added.
 */
function addSchemaToScope (scope: Scope, schema: JsonSchema): void {
  const before = scope.schemas
  const bucket = scope.writableSchemas()
  bucket.add(schema)
  propagateSchema(scope, schema, before, bucket)
}

function propagateSchema (scope: Scope, schema: JsonSchema, before: SchemaBucket, after: SchemaBucket): void {
  for (const child of scope.children) {
    if (child.schemas === before) {
      child.schemas = after
      propagateSchema(child, schema, before, after)
    } else if (child.ownSchemas && child.schemas !== after) {
      child.schemas.add(schema)
      propagateSchema(child, schema, child.schemas, child.schemas)
    }
  }
}

function checkSchemaErrorFormatter (formatter: unknown): void {
  if (typeof formatter !== 'function') throw new FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN(typeof formatter)
  if (formatter.constructor.name === 'AsyncFunction') throw new FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN('AsyncFunction')
}

/** Draws the plugin tree (pre-order lines with depths) with box-drawing branches. */
function formatPluginTree (lines: Array<{ depth: number, name: string }>): string {
  const isLast = (i: number): boolean => {
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].depth < lines[i].depth) return true
      if (lines[j].depth === lines[i].depth) return false
    }
    return true
  }
  const out: string[] = []
  // open[d] is true while the branch at depth d still has siblings to come.
  const open: boolean[] = []
  for (let i = 0; i < lines.length; i++) {
    const { depth, name } = lines[i]
    if (depth === 0) {
      out.push(name)
      continue
    }
    const last = isLast(i)
    let prefix = ''
    for (let d = 1; d < depth; d++) prefix += open[d] === true ? '│   ' : '    '
    out.push(prefix + (last ? '└── ' : '├── ') + name)
    open[depth] = !last
  }
  return out.join('\n') + '\n'
}

/**
 * When schemas compile (the `compile` option): 'eager' at ready(), so a schema error fails
 * ready(); 'on-demand' on each route's first request, and after listen() in small slices of
 * idle time (warm-up.ts). Without the option, whatever starts the app decides: ready() and
 * inject() compile eagerly, as tests expect; listen() and the serverless handlers on demand.
 */
export type CompileMode = 'eager' | 'on-demand'

/** Starts the app, once; the first caller's `mode` applies unless the `compile` option says otherwise. */
function ready (instance: AppInstance, mode: CompileMode = 'eager'): Promise<void> {
  const state = internals(instance)
  if (state.readyPromise !== null) return state.readyPromise
  state.readyPromise = boot(instance, mode)
  return state.readyPromise
}

async function boot (instance: AppInstance, mode: CompileMode): Promise<void> {
  const state = internals(instance)
  const app = state.app
  app.booting = true
  // Loading starts two ticks later, as in Fastify: its ready() runs its hooks on a tick, and
  // avvio starts loading on the tick after that. The second tick is queued from a promise job, so
  // the promise jobs queued meanwhile run first: what runs after ready() or listen() in the same
  // turn, such as node:test starting the synchronous tests declared next to a listen() call (that
  // add routes: Fastify's own test helpers), still gets in.
  await nextTick()
  await nextTick()
  try {
    await state.tree.load()
  } catch (err) {
    settleChildReady(state, err as Error)
    throw err
  }
  app.compileMode = app.options.compile as CompileMode | undefined ?? mode
  const eager = app.compileMode === 'eager'
  buildNotFoundContexts(app)
  app.routesReady()
  for (const context of app.contexts) context.finalize(eager)
  for (const entry of app.notFoundContexts) entry.context.finalize(eager)
  // With the schemaCache option, store what this start compiled for the next one (on demand: once warm-up is done).
  if (eager) flushCodeCaches()
  app.started = true
  if (settleChildReady(state, null)) {
    // Let what those ready() calls chained run before the onReady hooks, as avvio does.
    await nextTick()
  }
  // A snapshot: an onReady hook added by an onReady hook does not run, as in Fastify.
  for (const { fn, instance: hookInstance } of state.lifecycle.onReady.slice()) {
    await runAppHook(fn, hookInstance, [], 'onReady', app.pluginTimeout)
  }
  // Instance decorators could still be added by onReady hooks, as in Fastify.
  app.readyHooksDone = true
}

/** Settles the ready() calls plugins made while loading; true when there were some. */
function settleChildReady (state: Internals, err: Error | null): boolean {
  const waiting = state.childReady.splice(0)
  for (const settle of waiting) settle(err)
  return waiting.length > 0
}

function buildNotFoundContexts (app: AppState): void {
  const entries: Array<{ prefix: string, context: RouteContext }> = []
  const seen = new Set<string>()
  const visit = (scope: Scope): void => {
    if (scope.notFound !== null && scope.notFound.scope === scope && !seen.has(scope.prefix)) {
      seen.add(scope.prefix)
      const ctx = new RouteContext(app, scope, { ...scope.notFound.options, method: '*', url: scope.prefix + '*', handler: scope.notFound.handler }, true)
      entries.push({ prefix: scope.prefix, context: ctx })
    }
    for (const child of scope.children) visit(child)
  }
  visit(app.root)
  if (!seen.has('')) {
    entries.push({ prefix: '', context: new RouteContext(app, app.root, { method: '*', url: '*', handler: basic404 }, true) })
  }
  entries.sort((a, b) => b.prefix.length - a.prefix.length)
  app.notFoundContexts = entries
}

function ignoreCloseError (): void {}

/**
 * Boots the app and listens. Resolves with the address, or with undefined when `opts.signal`
 * aborted first: as in Fastify, aborting closes the app, before or after it listens.
 */
async function listen (instance: AppInstance, opts: ListenOptions): Promise<string | undefined> {
  const app = scopeOf(instance).app
  if (app.closing || app.closed) throw new FST_ERR_REOPENED_CLOSE_SERVER()
  if (app.listening) throw new FST_ERR_REOPENED_SERVER()
  if (opts === null || typeof opts !== 'object') throw new FST_ERR_LISTEN_OPTIONS_INVALID(String(opts))
  const signal = opts.signal
  let aborted = false
  if (signal) {
    // close() reports its own failures (a failing onClose hook is logged); nobody awaits this one.
    if (signal.aborted === true) {
      instance.close().catch(ignoreCloseError)
      return undefined
    }
    const onAbort = (): void => {
      aborted = true
      instance.close().catch(ignoreCloseError)
    }
    if (typeof signal.addEventListener === 'function') signal.addEventListener('abort', onAbort, { once: true })
    else signal.on?.('abort', onAbort)
  }
  await ready(instance, 'on-demand')
  if (aborted) return undefined
  // Made with the app (createInstance).
  const server = app.server as AppServer
  // Node checks the port (ERR_SOCKET_BAD_PORT), as with Fastify.
  const listenOpts: Record<string, unknown> = {
    port: opts.port ?? 0,
    host: opts.host ?? 'localhost'
  }
  if (opts.path !== undefined) {
    delete listenOpts.port
    delete listenOpts.host
    listenOpts.path = opts.path
  }
  if (opts.backlog !== undefined) listenOpts.backlog = opts.backlog
  if (opts.exclusive !== undefined) listenOpts.exclusive = opts.exclusive
  if (opts.ipv6Only !== undefined) listenOpts.ipv6Only = opts.ipv6Only
  server.listen(listenOpts)
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => { server.removeListener('listening', onListening); reject(err) }
    const onListening = (): void => { server.removeListener('error', onError); resolve() }
    server.once('error', onError)
    server.once('listening', onListening)
  })
  app.listening = true
  if (app.compileMode === 'on-demand') {
    // What the first requests did not compile yet is compiled between requests from now on.
    warmUp([...app.contexts, ...app.notFoundContexts.map((entry) => entry.context)], () => app.closing, flushCodeCaches)
  }
  const addresses = listeningAddresses(server.address(), app.options.https != null)
  for (const address of addresses) {
    app.logger.info(typeof opts.listenTextResolver === 'function' ? opts.listenTextResolver(address) : `Server listening at ${address}`)
  }
  return addresses[0]
}

/**
 * What listen() reports, as Fastify: the address, or for the IPv4 wildcard `0.0.0.0` each IPv4
 * interface it covers (the loopback ones first), the first of which listen() resolves to.
 */
function listeningAddresses (address: AddressInfo | string | null, secure: boolean): string[] {
  if (address === null || typeof address === 'string' || address.address !== '0.0.0.0') return [formatAddress(address, secure)]
  const interfaces = Object.values(networkInterfaces()).flat().filter((iface) => iface !== undefined && iface.family === 'IPv4')
  interfaces.sort((a, b) => Number(b?.internal) - Number(a?.internal))
  return interfaces.map((iface) => formatAddress({ address: iface?.address as string, family: 'IPv4', port: address.port }, secure))
}

/**
 * onListen hooks in Fastify's order: a plugin's own hooks (in the order added), then its
 * children's, depth first, without holding listen(). Callback-style and synchronous hooks run one
 * after the other in the same tick; a hook that fails is logged with its instance's logger and
 * the next one still runs: the server is already listening.
 */
function runOnListenHooks (entries: LifecycleEntry[]): void {
  const byScope = new Map<Scope, LifecycleEntry[]>()
  for (const entry of entries) {
    const scope = scopeOf(entry.instance)
    const list = byScope.get(scope)
    if (list === undefined) byScope.set(scope, [entry])
    else list.push(entry)
  }
  const ordered: LifecycleEntry[] = []
  const visit = (scope: Scope): void => {
    ordered.push(...(byScope.get(scope) ?? []))
    for (const child of scope.children) visit(child)
  }
  if (entries.length > 0) visit(scopeOf(entries[0].instance).app.root)
  let i = 0
  const next = (err?: unknown): void => {
    if (err != null) ordered[i - 1].instance.log.error(err)
    if (i === ordered.length) return
    const { fn, instance: hookInstance } = ordered[i++]
    let result: unknown
    try {
      if (fn.length >= 1) {
        fn.call(hookInstance, next)
        return
      }
      result = fn.call(hookInstance)
    } catch (error) {
      next(error)
      return
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(() => { next() }, (error: unknown) => { next(error ?? new FST_ERR_SEND_UNDEFINED_ERR()) })
    } else {
      next()
    }
  }
  next()
}

async function close (instance: AppInstance): Promise<undefined> {
  const state = internals(instance)
  if (state.closePromise !== null) return state.closePromise
  state.closePromise = (async (): Promise<undefined> => {
    const app = state.app
    if (!app.started) {
      try {
        // Nothing will be served: the schemas need not compile.
        await ready(instance, 'on-demand')
      } catch {
        // A failed boot still closes what was opened.
      }
    }
    app.closing = true
    let firstError: unknown = null
    // A failing preClose hook stops the other preClose hooks but not the
    // close itself: the server still closes, onClose hooks still run, and
    // close() rejects with the error at the end (Fastify's behaviour).
    for (const { fn, instance: hookInstance } of state.lifecycle.preClose) {
      try {
        await runAppHook(fn, hookInstance, [], 'preClose')
      } catch (err) {
        firstError = err
        break
      }
    }
    if (app.listening) {
      const server = app.server as AppServer
      const force = app.options.forceCloseConnections as VeloxServerOptions['forceCloseConnections'] ?? 'idle'
      const closed = once(server, 'close')
      server.close()
      if (force === true && typeof server.closeAllConnections === 'function') server.closeAllConnections()
      else if (typeof server.closeIdleConnections === 'function') {
        // Node's own servers close their idle connections in close(); one from serverFactory may not.
        if (force === 'idle' && app.options.serverFactory !== undefined) server.closeIdleConnections()
        // A reply sent just before close() (in the same handler, say) finishes a moment later:
        // its keep-alive connection becomes idle then, and closes a grace period after instead of
        // holding close() open (responses finishing later restart the grace, see send.ts).
        app.closeIdleSoon()
      }
      // HTTP/2 with forceCloseConnections: true (see server.ts).
      if (typeof server.closeHttp2Sessions === 'function') server.closeHttp2Sessions()
      await closed
      app.cancelIdleClose()
      app.listening = false
    }
    // Children close before their parents: hooks run in reverse registration order.
    for (const { fn, instance: hookInstance } of state.lifecycle.onClose.slice().reverse()) {
      try {
        await runAppHook(fn, hookInstance, [hookInstance], 'onClose')
      } catch (err) {
        firstError ??= err
        app.logger.error({ err }, 'onClose hook failed')
      }
    }
    app.closed = true
    if (firstError !== null) throw firstError
    return undefined
  })()
  return state.closePromise
}

// Node 20 has them, ES2022's lib does not declare them.
const asyncDisposeSymbol = (Symbol as { asyncDispose?: symbol }).asyncDispose
const disposeSymbol = (Symbol as { dispose?: symbol }).dispose

/**
 * An object with `Symbol.asyncDispose` or `Symbol.dispose` given as an onClose
 * hook is disposed on close (Fastify 5 accepts these too). Anything else is
 * returned as is for validateHook to refuse.
 */
function disposableHook (value: object): unknown {
  const disposable = value as Record<symbol, unknown>
  if (asyncDisposeSymbol !== undefined && typeof disposable[asyncDisposeSymbol] === 'function') {
    const run = disposable[asyncDisposeSymbol] as () => unknown
    return function disposeAsync () { return run.call(value) }
  }
  if (disposeSymbol !== undefined && typeof disposable[disposeSymbol] === 'function') {
    const run = disposable[disposeSymbol] as () => unknown
    return function dispose () { run.call(value) }
  }
  return value
}

// `await using app = velox()` closes the app at the end of the block, as with Fastify.
if (asyncDisposeSymbol !== undefined) {
  Object.assign(AppInstance.prototype, { [asyncDisposeSymbol]: function dispose (this: AppInstance) { return this.close() } })
}

/** Property descriptors that empty every request hook list of a context. */
const hooklessContext: PropertyDescriptorMap = Object.fromEntries(
  requestHookNames.map((name) => [name, { value: null }])
)

/** Creates the root instance. */
export function createInstance (options: VeloxServerOptions = {}): AppInstance {
  const { logger, enabled } = createLogger(options.logger, options.loggerInstance)
  const root = Object.create(AppInstance.prototype) as AppInstance
  /**
   * Router errors (Fastify's `frameworkErrors`). Without the option: Fastify's
   * exact bytes, written before any route, hook or request log. With it: the
   * option's function gets a request and a reply of the root 404 context with
   * every hook list emptied, since Fastify runs no hooks for these either.
   */
  const frameworkError = (error: VeloxError, req: IncomingMessage, res: ServerResponse): void => {
    const handler = app.frameworkErrors
    if (handler === null) {
      const body = JSON.stringify({ error: 'Bad Request', code: error.code, message: error.message, statusCode: error.statusCode })
      res.writeHead(error.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      res.end(body)
      return
    }
    const context = Object.create(app.notFoundContexts[app.notFoundContexts.length - 1].context, hooklessContext) as RouteContext
    // Fastify logs the incoming line here but no completion line.
    const pair = requestOutsideRoutes(app, context, req, res)
    if (pair === null) return
    const { request, reply } = pair
    try {
      const result: unknown = handler.call(app.options, error, request, reply)
      if (result !== null && typeof (result as Promise<unknown> | undefined)?.then === 'function') {
        (result as Promise<unknown>).then(undefined, (err: unknown) => { if (!reply.sent) reply.send(err) })
      }
    } catch (err) {
      if (!reply.sent) reply.send(err)
    }
  }
  const onBadUrl = (path: string, req: IncomingMessage, res: ServerResponse): void => {
    frameworkError(new FST_ERR_BAD_URL(path), req, res)
  }
  const onMaxParamLength = (path: string, req: IncomingMessage, res: ServerResponse): void => {
    frameworkError(new FST_ERR_MAX_PARAM_LENGTH(path), req, res)
  }
  /** An async constraint strategy that failed: Fastify's exact 500, or `frameworkErrors`. */
  const onAsyncConstraintError = (req: IncomingMessage, res: ServerResponse): void => {
    if (app.frameworkErrors !== null) {
      frameworkError(new FST_ERR_ASYNC_CONSTRAINT(), req, res)
      return
    }
    const body = '{"error":"Internal Server Error","message":"Unexpected error from async constraint","statusCode":500}'
    res.writeHead(500, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
  }
  // Declared after the router callbacks above, which read it only once requests arrive.
  const app = new AppState(options, logger, enabled, {
    onNotFound: (req, res) => routeNotFound(app, req, res),
    onBadUrl,
    onMaxParamLength,
    onAsyncConstraintError
  })
  const rootScope = new Scope(app, null, {
    instance: root,
    logger,
    errorHandler: rootErrorHandler(root),
    parsers: createDefaultParsers(app.onProtoPoisoning, app.onConstructorPoisoning)
  })
  root[kScope] = rootScope
  // The factory's schemaErrorFormatter runs with the root instance as `this`.
  if (app.schemaErrorFormatter !== null) rootScope.schemaErrorFormatter = app.schemaErrorFormatter.bind(root)
  app.root = rootScope

  const pluginTreeLines: Internals['pluginTreeLines'] = [{ depth: 0, name: 'root' }]
  const tree = new PluginTree(root, {
    scopeOf,
    pluginTimeout: app.pluginTimeout,
    override (parentInstance: AppInstance, plugin: PluginFn, opts: ScopeOptions, depth: number) {
      const parentScope = scopeOf(parentInstance)
      const label = pluginLabel(plugin)
      // As in Fastify, only names given in plugin metadata (fastify-plugin's
      // `name`) count for hasPlugin() and `dependencies`, in the registering scope.
      const marks = plugin as unknown as Record<symbol, unknown>
      const meta = marks[Symbol.for('plugin-meta')] as { name?: unknown } | undefined
      if (typeof meta?.name === 'string') parentScope.registeredPlugins.push(meta.name)
      pluginTreeLines.push({ depth, name: label })
      if (marks[Symbol.for('skip-override')] === true) {
        parentScope.pluginNames.push(label)
        return parentInstance
      }
      const instance = Object.create(parentInstance) as AppInstance
      const scope = new Scope(app, parentScope, {
        instance,
        logger: parentScope.logger,
        errorHandler: parentScope.errorHandler,
        parsers: parentScope.parsers
      })
      scope.pluginNames.push(label)
      if (typeof opts.prefix === 'string' && opts.prefix.length > 0) {
        let prefix = opts.prefix
        if (prefix[0] !== '/') prefix = '/' + prefix
        // '/v1' + '/users' composes; a trailing slash on the parent prefix is not doubled.
        scope.prefix = parentScope.prefix.endsWith('/') ? parentScope.prefix + prefix.slice(1) : parentScope.prefix + prefix
      }
      // The plugin's log level applies to its routes' request loggers; the
      // instance's own `log` keeps the parent's level, as in Fastify.
      if (opts.logLevel !== undefined) scope.logLevel = opts.logLevel
      if (opts.logSerializers !== undefined) {
        scope.logSerializers = { ...parentScope.logSerializers, ...opts.logSerializers }
      }
      instance[kScope] = scope
      // The parent's list already holds its ancestors' hooks (copied when it was created).
      for (const hook of parentScope.appHooks.onRegister) hook.call(parentInstance, instance, opts)
      return instance
    }
  })
  internalsOf.set(app, {
    app,
    tree,
    lifecycle: { onReady: [], onListen: [], preClose: [], onClose: [] },
    readyPromise: null,
    closePromise: null,
    thenifyOff: new WeakSet(),
    pluginTreeLines,
    notFoundLevels: new WeakSet(),
    childReady: []
  })
  app.server = createServer(app.options, (req: IncomingMessage, res: ServerResponse) => { app.dispatch(req, res) })
  if (options.forceCloseConnections === 'idle' && typeof app.server.closeIdleConnections !== 'function') {
    throw new FST_ERR_FORCE_CLOSE_CONNECTIONS_IDLE_NOT_AVAILABLE()
  }
  app.server.on('clientError', (typeof options.clientErrorHandler === 'function' ? options.clientErrorHandler : defaultClientErrorHandler).bind(root))
  if (options.openapi !== undefined && options.openapi !== false) {
    // GET /openapi.json, /openapi.yaml and /docs, hidden from the document itself.
    registerOpenApiRoutes(root, options.openapi === true ? {} : options.openapi)
  }
  // closeOnSignals, health, metrics (lib/ops): nothing is added when they are off.
  registerOperations(root, app, app.options)
  // For APM instrumentations that register their plugin on each app (@fastify/otel does).
  if (initializationChannel.hasSubscribers) initializationChannel.publish({ fastify: root })
  return root
}
