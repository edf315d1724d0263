/**
 * Application-wide state shared by every scope: the normalized options, the
 * router, the route contexts, request ids, request loggers, trust-proxy, and
 * the lifecycle flags. Per-plugin state lives in scope.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import FindMyWay from 'find-my-way'
import proxyAddr from 'proxy-addr'
import type { Logger } from 'pino'
import type { RouteContext } from '../lifecycle/route-context.js'
import type { Scope } from './scope.js'
import { noopLogger, validateLogger } from '../server/logger.js'
import { serializeError } from '../lifecycle/error-handler.js'
import { LogController } from '../server/log-controller.js'
import type { AppServer } from '../server/server.js'
import { buildInitialConfig } from './initial-config.js'
import { requestHookNames } from './hooks.js'
import type { AjvOptions } from '../schema/compile.js'
import type { SchemaErrorFormatter } from '../schema/validation.js'
import type { ProtoAction } from '../lifecycle/body.js'
import {
  FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_ARR, FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_OBJ, FST_ERR_QSP_NOT_FN,
  FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN, FST_ERR_OPTIONS_NOT_OBJ, FST_ERR_INIT_OPTS_INVALID, FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT,
  FST_ERR_ROUTE_REWRITE_NOT_STR, FST_ERR_LOG_INVALID_LOG_CONTROLLER
} from '../errors.js'

type TrustFn = (address: string, hop: number) => boolean

export interface TrustProxy {
  address: (req: IncomingMessage) => string
  all: (req: IncomingMessage) => string[]
  trusted: (req: IncomingMessage) => boolean
}

export type GenReqId = (req: IncomingMessage) => string

export type ChildLoggerFactory = (this: unknown, logger: Logger, bindings: Record<string, unknown>, opts: Record<string, unknown>, req: IncomingMessage) => Logger

export type FrameworkErrorHandler = (error: Error, request: unknown, reply: unknown) => unknown

export interface NotFoundEntry {
  prefix: string
  context: RouteContext
}

function compileTrustProxy (option: unknown): TrustProxy | null {
  if (option === undefined || option === false || option === null) return null
  let trust: TrustFn
  if (option === true) {
    trust = () => true
  } else if (typeof option === 'number') {
    // Fastify 5 fails closed here: a hop count cannot tell whether the peer is a proxy,
    // so a client reaching the server directly could spoof X-Forwarded-*. Nothing is trusted.
    trust = () => false
  } else if (typeof option === 'function') {
    trust = option as TrustFn
  } else if (typeof option === 'string') {
    trust = proxyAddr.compile(option.split(',').map((s) => s.trim()))
  } else if (Array.isArray(option)) {
    trust = proxyAddr.compile(option as string[])
  } else {
    throw new FST_ERR_INIT_OPTS_INVALID(`trustProxy: ${String(option)}`)
  }
  return {
    address: (req) => proxyAddr(req, trust),
    all: (req) => proxyAddr.all(req, trust),
    trusted: (req) => trust(req.socket?.remoteAddress ?? '', 0)
  }
}

/** Fastify's default request ids: `req-1`, `req-2`... in base 36. */
function defaultGenReqIdFactory (): GenReqId {
  let next = 0
  return function genReqId () {
    next = (next + 1) & 0x7fffffff
    return `req-${next.toString(36)}`
  }
}

/**
 * The request-id function of a scope: `fn` (or a fresh `req-N` counter), behind the
 * `requestIdHeader` when one is set, as Fastify's reqIdGenFactory.
 */
export function buildGenReqId (requestIdHeader: string | false, fn?: GenReqId): GenReqId {
  const gen = fn ?? defaultGenReqIdFactory()
  if (requestIdHeader === false) return gen
  return function genReqIdFromHeader (req) {
    const value = req.headers[requestIdHeader]
    return typeof value === 'string' && value.length > 0 ? value : gen(req)
  }
}

/** The child logger Velox gives each request when no `childLoggerFactory` is set. */
export function defaultChildLoggerFactory (logger: Logger, bindings: Record<string, unknown>, opts: Record<string, unknown>): Logger {
  return logger.child(bindings, opts)
}

/** The `logController` option, or Velox's own controller built from the logging options. */
function createLogController (options: Record<string, any>): LogController {
  const given = options.logController
  if (given === undefined || given === null) {
    return new LogController({ disableRequestLogging: options.disableRequestLogging, requestIdLogLabel: options.requestIdLogLabel })
  }
  if (given instanceof LogController) return given
  throw new FST_ERR_LOG_INVALID_LOG_CONTROLLER(typeof given)
}

/** The options Fastify hands to find-my-way, top-level or in `routerOptions`. */
/**
 * How long a keep-alive connection stays open after its last response while the app closes:
 * well beyond a client's round trip on a local network, far below Node's keepAliveTimeout.
 */
const closeGraceMs = 100

const routerKeys = [
  'allowUnsafeRegex', 'buildPrettyMeta', 'caseSensitive', 'constraints', 'defaultRoute', 'ignoreDuplicateSlashes',
  'ignoreTrailingSlash', 'maxParamLength', 'onBadUrl', 'onMaxParamLength', 'querystringParser', 'useSemicolonDelimiter'
]

const routerDefaults: Record<string, unknown> = {
  allowUnsafeRegex: false,
  caseSensitive: true,
  ignoreDuplicateSlashes: false,
  ignoreTrailingSlash: false,
  maxParamLength: 100,
  useSemicolonDelimiter: false
}

/** `routerOptions` completed as Fastify does, without changing the object the user gave. */
function buildRouterOptions (options: Record<string, any>, handlers: Record<string, unknown>): Record<string, unknown> {
  const routerOptions: Record<string, unknown> = Object.assign(Object.create(null), options.routerOptions)
  for (const key of routerKeys) {
    if (!Object.hasOwn(routerOptions, key)) routerOptions[key] = options[key] ?? handlers[key] ?? routerDefaults[key]
  }
  routerOptions.compile ??= false
  return routerOptions
}

/**
 * What `printRoutes({ includeMeta })` shows of a route by default, as Fastify: its error handler,
 * log level, log serializers and hooks.
 */
function defaultBuildPrettyMeta (route: { store: RouteContext }): Record<string, unknown> {
  const context = route.store
  const meta: Record<string, unknown> = {
    errorHandler: context.errorHandler?.fn,
    logLevel: context.logLevel,
    logSerializers: context.logSerializers
  }
  for (const name of requestHookNames) meta[name] = context[name]
  return meta
}

export class AppState {
  readonly options: Record<string, any>
  root!: Scope
  readonly router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>
  readonly contexts: RouteContext[] = []
  notFoundContexts: NotFoundEntry[] = []
  /** true once ready() has loaded the plugins: routes, hooks and request/reply decorators are closed. */
  started = false
  /** true once the onReady hooks have run: instance decorators are closed too. */
  readyHooksDone = false
  booting = false
  closing = false
  closed = false
  listening = false
  /** When route schemas compile, decided at ready() (see `CompileMode` in instance.ts). */
  compileMode: 'eager' | 'on-demand' = 'eager'
  /**
   * A graceful shutdown has begun (closeOnSignals): readiness fails, every response asks for
   * `connection: close`, and requests still arriving on open connections are served.
   */
  draining = false
  /** Readiness checks added with `app.addHealthCheck()`. */
  readonly healthChecks: Array<{ name: string, check: () => unknown }> = []
  server: AppServer | null = null
  private idleCloseTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * While close() waits for the server: closes the keep-alive connections that are idle
   * `closeGraceMs` after the last response finished (the timer restarts with each one). As in
   * Fastify, a response written while closing keeps its connection open, so a request already
   * on its way there (a pipelined one, say) is answered (503 with `return503OnClosing`) rather
   * than cut; unlike Fastify, close() never waits for `keepAliveTimeout` to drop the idle ones.
   */
  readonly closeIdleSoon = (): void => {
    if (this.idleCloseTimer !== null) {
      this.idleCloseTimer.refresh()
      return
    }
    this.idleCloseTimer = setTimeout(() => {
      this.idleCloseTimer = null
      this.server?.closeIdleConnections?.()
    }, closeGraceMs).unref()
  }

  /** The server has closed: nothing left to sweep. */
  cancelIdleClose (): void {
    if (this.idleCloseTimer !== null) clearTimeout(this.idleCloseTimer)
    this.idleCloseTimer = null
  }

  readonly bodyLimit: number
  readonly rewriteUrl: ((this: unknown, req: IncomingMessage) => unknown) | null
  /** `app.initialConfig`: the validated options with Fastify's defaults, frozen. */
  readonly initialConfig: Readonly<Record<string, unknown>>
  /**
   * find-my-way's options, Fastify's precedence: `routerOptions.x`, else the top-level option of
   * the same name, else the default (Velox's not-found, bad-URL and max-param-length handlers).
   */
  readonly routerOptions: Record<string, unknown>
  /** Methods whose requests have no body Velox reads (`addHttpMethod(m, { hasBody: false })`). */
  readonly bodylessMethods = new Set(['GET', 'HEAD', 'TRACE'])
  /** Methods whose requests may carry a body; QUERY is RFC 10008's. */
  readonly bodyMethods = new Set(['DELETE', 'OPTIONS', 'PATCH', 'PUT', 'POST', 'QUERY'])
  /** Set at ready(): a route uses a constraint strategy whose deriveConstraint is asynchronous. */
  asyncConstraints = false
  private readonly onAsyncConstraintError: (req: IncomingMessage, res: ServerResponse) => void
  readonly caseSensitive: boolean
  readonly ignoreTrailingSlash: boolean
  readonly ignoreDuplicateSlashes: boolean
  readonly return503OnClosing: boolean
  readonly trustProxy: TrustProxy | null
  /** The lower-cased `requestIdHeader`, or false. */
  readonly requestIdHeader: string | false
  readonly logger: Logger
  readonly loggerEnabled: boolean
  /** Writes the per-request log lines (the `logController` option, or Velox's own). */
  readonly logController: LogController
  /**
   * Whether the request log lines are attempted at all: with a logger (unless request logging
   * is simply off), or whenever the controller is the user's own.
   */
  readonly logRequests: boolean
  readonly querystringParser: ((s: string) => Record<string, unknown>) | null
  readonly ajvOptions: AjvOptions
  readonly serializerOpts: Record<string, unknown>
  readonly schemaErrorFormatter: SchemaErrorFormatter | null
  readonly frameworkErrors: FrameworkErrorHandler | null
  readonly onProtoPoisoning: ProtoAction
  readonly onConstructorPoisoning: ProtoAction
  readonly exposeHeadRoutes: boolean
  readonly pluginTimeout: number
  /**
   * 5xx answers carry the status text instead of the error's message, unless the error is
   * marked `expose: true`. Default: on when NODE_ENV is production.
   */
  readonly safeErrors: boolean
  /** The server's `handlerTimeout` in milliseconds (0: none); routes may set their own. */
  readonly handlerTimeout: number
  /** `app.routing(req, res)`: dispatch() bound to this app, so plugins can call it detached, as Fastify's. */
  readonly routing: (req: IncomingMessage, res: ServerResponse) => void

  constructor (options: Record<string, any>, logger: Logger, loggerEnabled: boolean, handlers: {
    onNotFound: (req: IncomingMessage, res: ServerResponse) => void
    onBadUrl: (path: string, req: IncomingMessage, res: ServerResponse) => void
    onMaxParamLength: (path: string, req: IncomingMessage, res: ServerResponse) => void
    onAsyncConstraintError: (req: IncomingMessage, res: ServerResponse) => void
  }) {
    this.onAsyncConstraintError = handlers.onAsyncConstraintError
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new FST_ERR_OPTIONS_NOT_OBJ()
    // Fastify reports a bad server bodyLimit with the same code as a bad route bodyLimit.
    if (options.bodyLimit !== undefined && (!Number.isInteger(options.bodyLimit) || options.bodyLimit <= 0)) {
      throw new FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT(options.bodyLimit)
    }
    const { config, coerced } = buildInitialConfig(options)
    // Velox's own copy, with the values Fastify's validator would have coerced ('0' -> 0).
    options = Object.assign({}, options, coerced)
    this.options = options
    this.routing = (req, res) => { this.dispatch(req, res) }
    this.bodyLimit = options.bodyLimit ?? 1024 * 1024
    this.initialConfig = config
    this.rewriteUrl = options.rewriteUrl ?? null
    this.return503OnClosing = options.return503OnClosing ?? true
    this.trustProxy = compileTrustProxy(options.trustProxy)
    this.logger = logger
    this.loggerEnabled = loggerEnabled
    this.logController = createLogController(options)
    this.logRequests = options.logController != null || (loggerEnabled && options.disableRequestLogging !== true)
    this.exposeHeadRoutes = options.exposeHeadRoutes ?? true
    this.pluginTimeout = options.pluginTimeout ?? 10000
    this.handlerTimeout = options.handlerTimeout > 0 ? options.handlerTimeout : 0
    this.safeErrors = options.safeErrors ?? process.env.NODE_ENV === 'production'
    this.onProtoPoisoning = options.onProtoPoisoning ?? 'error'
    this.onConstructorPoisoning = options.onConstructorPoisoning ?? 'error'
    this.serializerOpts = options.serializerOpts ?? {}
    if (options.compile !== undefined && options.compile !== 'eager' && options.compile !== 'on-demand') {
      throw new FST_ERR_INIT_OPTS_INVALID("compile must be 'eager' or 'on-demand'")
    }
    this.frameworkErrors = options.frameworkErrors ?? null

    const qspOption = options.querystringParser ?? options.routerOptions?.querystringParser
    if (qspOption !== undefined && qspOption !== null && typeof qspOption !== 'function') {
      throw new FST_ERR_QSP_NOT_FN(typeof qspOption)
    }

    const ajv = options.ajv ?? {}
    if (ajv.customOptions !== undefined && (typeof ajv.customOptions !== 'object' || ajv.customOptions === null)) {
      throw new FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_OBJ(typeof ajv.customOptions)
    }
    if (ajv.plugins !== undefined && !Array.isArray(ajv.plugins)) throw new FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_ARR(typeof ajv.plugins)
    this.ajvOptions = ajv

    if (options.schemaErrorFormatter !== undefined) {
      if (typeof options.schemaErrorFormatter !== 'function') throw new FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN(typeof options.schemaErrorFormatter)
      if (options.schemaErrorFormatter.constructor.name === 'AsyncFunction') throw new FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN('AsyncFunction')
    }
    this.schemaErrorFormatter = options.schemaErrorFormatter ?? null

    // '' and false: no header; true: Fastify's default `request-id`.
    this.requestIdHeader = typeof options.requestIdHeader === 'string' && options.requestIdHeader.length > 0
      ? options.requestIdHeader.toLowerCase()
      : options.requestIdHeader === true ? 'request-id' : false

    this.routerOptions = buildRouterOptions(options, {
      defaultRoute: handlers.onNotFound,
      onBadUrl: handlers.onBadUrl,
      onMaxParamLength: handlers.onMaxParamLength,
      buildPrettyMeta: defaultBuildPrettyMeta
    })
    const routerOptions = this.routerOptions
    this.caseSensitive = routerOptions.caseSensitive as boolean
    this.ignoreTrailingSlash = routerOptions.ignoreTrailingSlash as boolean
    this.ignoreDuplicateSlashes = routerOptions.ignoreDuplicateSlashes as boolean
    this.querystringParser = (routerOptions.querystringParser as AppState['querystringParser']) ?? null
    const qsp = this.querystringParser
    this.router = FindMyWay({
      ...routerOptions,
      // find-my-way calls it without `this`; a plain parser keeps working either way.
      querystringParser: qsp === null ? undefined : (s: string) => qsp(s)
    } as FindMyWay.Config<FindMyWay.HTTPVersion.V1>)
  }

  /**
   * Routes one request (server and inject alike). `rewriteUrl` runs first, with the root
   * instance as `this`; the URL it returns is what the router matches, and the URL as
   * received stays on `req.originalUrl` (`request.originalUrl`).
   */
  dispatch (req: IncomingMessage, res: ServerResponse): void {
    const rewrite = this.rewriteUrl
    if (rewrite !== null) {
      const original = req.url as string
      // Set before the call, as in Fastify: rewriteUrl may read req.originalUrl.
      ;(req as IncomingMessage & { originalUrl?: string }).originalUrl = original
      const url: unknown = rewrite.call(this.root.instance, req)
      if (typeof url !== 'string') {
        // Fastify's behaviour: nothing sensible can be routed, so the request is dropped.
        req.destroy(new FST_ERR_ROUTE_REWRITE_NOT_STR(original, typeof url))
        return
      }
      req.url = url
    }
    if (!this.asyncConstraints) {
      this.router.lookup(req, res)
      return
    }
    this.router.lookup(req, res, (err: Error | null) => {
      if (err !== null) this.onAsyncConstraintError(req, res)
    })
  }

  /** Called at ready(), once the route table is complete. */
  routesReady (): void {
    const constrainer = (this.router as unknown as { constrainer?: { asyncStrategiesInUse?: Set<string> } }).constrainer
    this.asyncConstraints = (constrainer?.asyncStrategiesInUse?.size ?? 0) > 0
    if (this.routerOptions.compile === true) (this.router as unknown as { compile: () => void }).compile()
  }

  /**
   * The per-request logger: the route's `childLoggerFactory` (else the scope's, else the app's)
   * called with the root logger, `{ <requestIdLogLabel>: id }` and the route's level and
   * serializers; without a factory and without a logger, the no-op logger. A factory that returns
   * something that is not a logger gets the request answered with a 500 carrying
   * FST_ERR_LOG_INVALID_LOGGER (logged with the root logger), and null is returned: Fastify throws
   * out of the request handler there, which takes a server down.
   */
  requestLogger (id: string, context: RouteContext, req: IncomingMessage, res: ServerResponse): Logger | null {
    const factory = context.childLoggerFactory
    if (factory === null && !this.loggerEnabled) return noopLogger
    const opts: Record<string, unknown> = {}
    // An empty level means "inherit": passing one would make pino rebuild each child's methods.
    if (context.logLevel !== undefined && context.logLevel !== '') opts.level = context.logLevel
    if (context.logSerializers !== undefined) opts.serializers = context.logSerializers
    const bindings = { [this.logController.requestIdLogLabel]: id }
    if (factory === null) return context.scope.logger.child(bindings, opts)
    const child: unknown = factory.call(context.instance, context.scope.logger, bindings, opts, req)
    try {
      validateLogger(child, true)
      return child as Logger
    } catch (err) {
      this.logger.error({ err }, (err as Error).message)
      const body = serializeError(500, err as Error)
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
      res.end(body)
      return null
    }
  }
}
