/**
 * The options of `velox(options)`.
 */

import type { IncomingMessage, Server, ServerOptions as HttpServerOptions, ServerResponse } from 'node:http'
import type { SecureServerOptions as Http2SecureServerOptions } from 'node:http2'
import type { Socket } from 'node:net'
import type { ServerOptions as HttpsServerOptions } from 'node:https'
import type { VeloxError } from './errors.js'
import type { VeloxBaseLogger, VeloxLoggerOptions } from './logger.js'
import type { OpenApiServerOptions } from './openapi.js'
import type { CloseOnSignalsOptions, HealthOptions, MetricsOptions } from '../lib/ops/index.js'
import type { VeloxReply } from './reply.js'
import type { VeloxRequest } from './request.js'
import type { ChildLoggerFactory } from './route.js'
import type { LogController } from '../lib/server/log-controller.js'
import type { SchemaControllerOptions, SchemaErrorFormatter } from './schema-compilers.js'

/** What to do with `__proto__` or `constructor.prototype` keys in JSON bodies. */
export type ProtoAction = 'error' | 'remove' | 'ignore'

/** Options of the find-my-way router. */
export interface RouterOptions {
  caseSensitive?: boolean
  ignoreTrailingSlash?: boolean
  ignoreDuplicateSlashes?: boolean
  maxParamLength?: number
  allowUnsafeRegex?: boolean
  useSemicolonDelimiter?: boolean
  querystringParser?: (query: string) => Record<string, unknown>
  constraints?: Record<string, unknown>
  [option: string]: unknown
}

/** Options of the `ajv` instance that compiles validators. */
export interface AjvServerOptions {
  /** Passed to `new Ajv()`, over Velox's defaults (`coerceTypes: 'array'`, `useDefaults: true`, `removeAdditional: true`, `allErrors: false`). */
  customOptions?: Record<string, unknown>
  /** ajv plugins, each a function or a `[plugin, options]` pair. */
  plugins?: ReadonlyArray<((ajv: any, options?: any) => unknown) | readonly [(ajv: any, options?: any) => unknown, unknown]>
  /** Called with each new Ajv instance, after the plugins. */
  onCreate?: (ajv: any) => void
}

/** The options of `velox()`. Every one is optional. */
export interface VeloxServerOptions {
  /** `true` for a pino logger with its defaults, pino options, or `false` (the default) for none. */
  logger?: VeloxLoggerOptions
  /** A logger to use as is, in place of `logger`. */
  loggerInstance?: VeloxBaseLogger
  /** Largest accepted body, in bytes. Default 1 MiB. */
  bodyLimit?: number
  caseSensitive?: boolean
  ignoreTrailingSlash?: boolean
  ignoreDuplicateSlashes?: boolean
  maxParamLength?: number
  /** Header whose value becomes `request.id`, or `false` to always generate it. */
  requestIdHeader?: string | false
  requestIdLogLabel?: string
  genReqId?: (request: IncomingMessage) => string
  disableRequestLogging?: boolean | ((request: VeloxRequest) => boolean)
  connectionTimeout?: number
  keepAliveTimeout?: number
  requestTimeout?: number
  /**
   * Milliseconds a route has to send its reply (0: no limit); late ones answer 503
   * FST_ERR_HANDLER_TIMEOUT and `request.signal` aborts. Routes can set their own.
   */
  handlerTimeout?: number
  /** Answer 503 to requests that arrive while closing. Default true. */
  return503OnClosing?: boolean
  /** Trust `X-Forwarded-*` headers: `true`, hop count, address list, or a predicate. */
  trustProxy?: boolean | number | string | readonly string[] | ((address: string, hop: number) => boolean)
  /** Options for `http.createServer` (`maxHeaderSize`, `requireHostHeader`, `connectionsCheckingInterval`...). */
  http?: HttpServerOptions
  http2?: boolean
  https?: HttpsServerOptions | Http2SecureServerOptions | null
  http2SessionTimeout?: number
  /** Builds the server from Velox's request handler. */
  serverFactory?: (handler: (request: IncomingMessage, response: ServerResponse) => void, options: VeloxServerOptions) => Server
  /**
   * Answers what Node.js cannot parse as a request (the server's 'clientError' event), with the
   * instance as `this`. By default a `400 Bad Request` is written and the socket closed.
   */
  clientErrorHandler?: (error: NodeJS.ErrnoException, socket: Socket) => void
  /** Milliseconds a plugin may take to load. Default 10000. */
  pluginTimeout?: number
  querystringParser?: (query: string) => Record<string, unknown>
  /** Declare a HEAD route next to every GET route. Default true. */
  exposeHeadRoutes?: boolean
  onProtoPoisoning?: ProtoAction
  onConstructorPoisoning?: ProtoAction
  ajv?: AjvServerOptions
  schemaErrorFormatter?: SchemaErrorFormatter
  /** Answers errors the router raises before a route is found (a malformed URL, a bad content type). */
  frameworkErrors?: (error: VeloxError, request: VeloxRequest, reply: VeloxReply) => void
  childLoggerFactory?: ChildLoggerFactory
  /** Writes the per-request log lines; an instance of `LogController` or a subclass. */
  logController?: LogController
  /** Options of fast-json-stringify. */
  serializerOpts?: Record<string, unknown>
  /** Serve the OpenAPI document and the docs page (`/openapi.json`, `/openapi.yaml`, `/docs`). */
  openapi?: boolean | OpenApiServerOptions
  /** Close open connections on `close()`: all, only idle ones, or none. */
  forceCloseConnections?: boolean | 'idle'
  routerOptions?: RouterOptions
  /** Shared-schema buckets and compiler factories (Fastify's SchemaController). */
  schemaController?: SchemaControllerOptions
  /** Keep compiled validators and serializers in a file between starts: `true` for node_modules/.cache/velox/schemas.cjs, or a path. */
  schemaCache?: boolean | string
  /**
   * Velox only: the file `velox build` wrote (a path or a file: URL). Validators and serializers
   * found in it are loaded instead of compiled; the others are compiled as usual.
   */
  schemaBuild?: string | URL
  /**
   * Velox only: when route schemas compile. `'eager'`: at `ready()`, so a schema error fails it.
   * `'on-demand'`: on each route's first request, the rest in idle slices after `listen()`; a
   * schema error is logged and the route answers a coded 500. Default: `listen()` and the
   * `velox/serverless` handlers compile on demand, `ready()` and `inject()` before `listen()` eagerly.
   */
  compile?: 'eager' | 'on-demand'
  /** Rewrites the URL before routing; `request.originalUrl` keeps the one received. */
  rewriteUrl?: (this: unknown, request: IncomingMessage) => string
  /** `false` makes a second setErrorHandler in one plugin throw. Default true. */
  allowErrorHandlerOverride?: boolean
  maxRequestsPerSocket?: number
  /**
   * Velox only: send what a plain HTTP/1.1 connection writes during one turn of the event loop in
   * one system call (pipelined responses, a response and its end). Default true.
   */
  coalesceWrites?: boolean
  /**
   * Velox only: 5xx answers carry the status text and code instead of the error's message,
   * unless the error is marked `expose: true`; the log keeps the whole error. Default: true
   * when NODE_ENV is 'production'.
   */
  safeErrors?: boolean
  /**
   * Velox only: on SIGTERM or SIGINT, fail readiness, drain (requests in flight finish with
   * `connection: close`), run the onClose hooks and exit; see docs/deployment.md. `velox start`
   * turns it on.
   */
  closeOnSignals?: boolean | CloseOnSignalsOptions
  /** Velox only: liveness and readiness routes (`/health/live`, `/health/ready`); see `addHealthCheck`. */
  health?: boolean | HealthOptions
  /** Velox only: Prometheus metrics through prom-client, served on `/metrics`. */
  metrics?: boolean | MetricsOptions
}

export type { CloseOnSignalsOptions, HealthOptions, MetricsOptions }

/** The server options as resolved at creation, read-only on `app.initialConfig`. */
export type VeloxInitialConfig = Readonly<Pick<VeloxServerOptions,
  | 'bodyLimit'
  | 'caseSensitive'
  | 'connectionTimeout'
  | 'keepAliveTimeout'
  | 'requestTimeout'
  | 'handlerTimeout'
  | 'http2'
  | 'http2SessionTimeout'
  | 'ignoreTrailingSlash'
  | 'ignoreDuplicateSlashes'
  | 'maxParamLength'
  | 'onProtoPoisoning'
  | 'onConstructorPoisoning'
  | 'pluginTimeout'
  | 'requestIdHeader'
  | 'requestIdLogLabel'
  | 'return503OnClosing'
  | 'exposeHeadRoutes'
  | 'forceCloseConnections'
  | 'coalesceWrites'
  | 'safeErrors'
> & {
  disableRequestLogging?: boolean
  https?: boolean | { allowHTTP1: boolean }
  /** The find-my-way options, when `routerOptions` was given, completed with their defaults. */
  routerOptions?: RouterOptions
}>

/** The options of `listen()`. */
export interface ListenOptions {
  /** Default 0 (any free port). */
  port?: number
  /** Default `localhost`; `0.0.0.0` or `::` to listen on every interface. */
  host?: string
  /** A Unix socket or Windows pipe, instead of `port` and `host`. */
  path?: string
  backlog?: number
  exclusive?: boolean
  readableAll?: boolean
  writableAll?: boolean
  ipv6Only?: boolean
  signal?: AbortSignal
  /** The text logged for each address listened on. */
  listenTextResolver?: (address: string) => string
}
