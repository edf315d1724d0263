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
import { noopLogger } from '../server/logger.js'
import { buildInitialConfig } from './initial-config.js'
import type { AjvOptions } from '../schema/compile.js'
import type { SchemaErrorFormatter } from '../schema/validation.js'
import type { ProtoAction } from '../lifecycle/body.js'
import {
  FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_ARR, FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_OBJ, FST_ERR_QSP_NOT_FN,
  FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN, FST_ERR_OPTIONS_NOT_OBJ, FST_ERR_INIT_OPTS_INVALID, FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT,
  FST_ERR_ROUTE_REWRITE_NOT_STR
} from '../errors.js'

type TrustFn = (address: string, hop: number) => boolean

export interface TrustProxy {
  address: (req: IncomingMessage) => string
  all: (req: IncomingMessage) => string[]
  trusted: (req: IncomingMessage) => boolean
}

export type GenReqId = (req: IncomingMessage) => string

export type ChildLoggerFactory = (this: any, logger: Logger, bindings: Record<string, unknown>, opts: Record<string, unknown>, req: IncomingMessage) => Logger

export type FrameworkErrorHandler = (error: Error, request: any, reply: any) => void

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

export class AppState {
  readonly options: Record<string, any>
  root!: Scope
  readonly router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>
  readonly contexts: RouteContext[] = []
  notFoundContexts: NotFoundEntry[] = []
  /** true once ready() has completed: routes, hooks and decorators are closed. */
  started = false
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
  server: any = null
  readonly bodyLimit: number
  readonly rewriteUrl: ((this: any, req: IncomingMessage) => unknown) | null
  /** `app.initialConfig`: the validated options with Fastify's defaults, frozen. */
  readonly initialConfig: Readonly<Record<string, unknown>>
  readonly caseSensitive: boolean
  readonly return503OnClosing: boolean
  readonly trustProxy: TrustProxy | null
  readonly genReqId: GenReqId
  readonly logger: Logger
  readonly loggerEnabled: boolean
  readonly logRequests: boolean
  /** `disableRequestLogging` given as a function: true for a request skips its request log lines. */
  readonly requestLogFilter: ((request: any) => boolean) | null
  readonly requestIdLogLabel: string
  readonly childLoggerFactory: ChildLoggerFactory | null
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
  }) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new FST_ERR_OPTIONS_NOT_OBJ()
    this.options = options
    this.routing = (req, res) => { this.dispatch(req, res) }
    this.bodyLimit = options.bodyLimit ?? 1024 * 1024
    // Fastify reports a bad server bodyLimit with the same code as a bad route bodyLimit.
    if (!Number.isInteger(this.bodyLimit) || this.bodyLimit <= 0) throw new FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT(options.bodyLimit)
    this.initialConfig = buildInitialConfig(options)
    this.rewriteUrl = options.rewriteUrl ?? null
    this.caseSensitive = options.caseSensitive ?? true
    this.return503OnClosing = options.return503OnClosing ?? true
    this.trustProxy = compileTrustProxy(options.trustProxy)
    this.logger = logger
    this.loggerEnabled = loggerEnabled
    this.logRequests = loggerEnabled && options.disableRequestLogging !== true
    this.requestLogFilter = typeof options.disableRequestLogging === 'function' ? options.disableRequestLogging : null
    this.requestIdLogLabel = options.requestIdLogLabel ?? 'reqId'
    this.childLoggerFactory = options.childLoggerFactory ?? null
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

    if (options.querystringParser !== undefined && typeof options.querystringParser !== 'function') {
      throw new FST_ERR_QSP_NOT_FN(typeof options.querystringParser)
    }
    this.querystringParser = options.querystringParser ?? null

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

    const requestIdHeader: string | false = typeof options.requestIdHeader === 'string' ? options.requestIdHeader.toLowerCase() : false
    const gen: GenReqId = options.genReqId ?? defaultGenReqIdFactory()
    this.genReqId = requestIdHeader === false
      ? gen
      : (req) => {
          const value = req.headers[requestIdHeader]
          return typeof value === 'string' && value.length > 0 ? value : gen(req)
        }

    const routerOptions = options.routerOptions ?? {}
    const qsp = this.querystringParser
    this.router = FindMyWay({
      caseSensitive: this.caseSensitive,
      ignoreTrailingSlash: options.ignoreTrailingSlash ?? routerOptions.ignoreTrailingSlash ?? false,
      ignoreDuplicateSlashes: options.ignoreDuplicateSlashes ?? routerOptions.ignoreDuplicateSlashes ?? false,
      maxParamLength: options.maxParamLength ?? routerOptions.maxParamLength ?? 100,
      allowUnsafeRegex: options.allowUnsafeRegex ?? routerOptions.allowUnsafeRegex ?? false,
      useSemicolonDelimiter: routerOptions.useSemicolonDelimiter ?? false,
      constraints: options.constraints ?? routerOptions.constraints,
      querystringParser: qsp === null ? undefined : (s: string) => qsp(s),
      defaultRoute: handlers.onNotFound,
      onBadUrl: handlers.onBadUrl,
      onMaxParamLength: handlers.onMaxParamLength
    } as FindMyWay.Config<FindMyWay.HTTPVersion.V1>)
  }

  /**
   * Whether a request gets the per-request log lines: incoming, completed, the default
   * error handler's and the default 404's. Like Fastify, a filter function is asked each time.
   */
  logsRequest (request: { context: RouteContext }): boolean {
    return request.context.logRequests && (this.requestLogFilter === null || this.requestLogFilter(request) !== true)
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
      const url: unknown = rewrite.call(this.root.instance, req)
      if (typeof url !== 'string') {
        // Fastify's behaviour: nothing sensible can be routed, so the request is dropped.
        req.destroy(new FST_ERR_ROUTE_REWRITE_NOT_STR(original, typeof url))
        return
      }
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = original
      req.url = url
    }
    this.router.lookup(req, res)
  }

  /** The per-request logger: a child with the request id, or the no-op logger. */
  requestLogger (id: string, context: RouteContext, req: IncomingMessage): Logger {
    if (!this.loggerEnabled) return noopLogger
    const scope = context.scope
    const opts: Record<string, unknown> = {}
    if (context.logLevel !== undefined) opts.level = context.logLevel
    if (scope.logSerializers !== undefined) opts.serializers = scope.logSerializers
    const bindings = { [this.requestIdLogLabel]: id }
    if (this.childLoggerFactory !== null) return this.childLoggerFactory.call(context.instance, scope.logger, bindings, opts, req)
    return scope.logger.child(bindings, opts)
  }
}
