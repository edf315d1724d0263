/**
 * The request object handlers and hooks receive.
 */

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { HTTPRequestPart, ValidationIssue } from './errors.js'
import type { VeloxInstance } from './instance.js'
import type { FromSchema } from './json-schema.js'
import type { LogLevel, VeloxBaseLogger } from './logger.js'
import type { RouteGenericInterface, RouteHandler, RoutePart, RouteSchema, VeloxContextConfig } from './route.js'
import type { ValidationFunction } from './schema-compilers.js'
import type { DecoratorType, DefaultState, InstanceState, SchemaRefs, VeloxRequestDecorators } from './state.js'

/**
 * Request headers: Node's parsed headers, intersected with the types a
 * `headers` schema declares. Reading a declared header gives the declared
 * type (a header coerced to a number is a `number`).
 */
export type RequestHeaders<H> = H & IncomingHttpHeaders

/** The route a request matched, as the request sees it. */
export interface RequestRouteOptions<C = VeloxContextConfig> {
  method: string
  url: string | undefined
  bodyLimit: number
  /** The route's handlerTimeout in milliseconds, 0 for none. */
  handlerTimeout: number
  attachValidation: boolean
  logLevel: LogLevel
  version: string | undefined
  exposeHeadRoute: boolean
  prefixTrailingSlash: string
  config: C
  schema: RouteSchema | undefined
  // `any`: typing the handler by the request's own types would make requests
  // invariant in them.
  handler: RouteHandler<any, any>
}

/**
 * The request interface. `G` holds the route's types (`Body`, `Querystring`,
 * `Params`, `Headers`), inferred from its schema or given explicitly; `S` is
 * the state of the instance the route was declared on.
 */
export interface VeloxRequestBase<G = RouteGenericInterface, S extends InstanceState = DefaultState> extends VeloxRequestDecorators {
  /** The request id, from `genReqId` or the `requestIdHeader`. */
  id: string
  params: RoutePart<G, 'Params'>
  query: RoutePart<G, 'Querystring'>
  body: RoutePart<G, 'Body'>
  headers: RequestHeaders<RoutePart<G, 'Headers'>>
  raw: IncomingMessage
  /** The URL as sent, path and query string. */
  url: string
  /** The URL before any rewrite. */
  originalUrl: string
  method: string
  /** The client address, through `trustProxy` when set. */
  ip: string
  /** The forwarding chain, with `trustProxy`. */
  ips?: string[]
  /** Host and port, from the `Host` header (or `X-Forwarded-Host` with `trustProxy`). */
  host: string
  hostname: string
  port: number | null
  protocol: 'http' | 'https'
  log: VeloxBaseLogger
  routeOptions: Readonly<RequestRouteOptions<RoutePart<G, 'Config'>>>
  /** True when the request is answered by the not-found handler. */
  is404: boolean
  /** The `type/subtype` of the Content-Type, lower-cased, without parameters. */
  readonly mediaType: string | undefined
  socket: Socket
  /** Aborted when the client goes away or the request times out. */
  signal: AbortSignal
  server: VeloxInstance<S>
  /** The validation failure, on a route with `attachValidation: true`. */
  validationError?: Error & { validation: ValidationIssue[], validationContext: HTTPRequestPart }
  /** The route's compiled validator for a request part, or for a schema compiled before. */
  getValidationFunction (httpPart: HTTPRequestPart): ValidationFunction | undefined
  getValidationFunction (schema: object): ValidationFunction | undefined
  /** Compiles a schema with the route's validator compiler (cached by schema). */
  compileValidationSchema (schema: object, httpPart?: HTTPRequestPart): ValidationFunction
  /**
   * Validates `input` against the route's schema for a request part, or a
   * schema, and narrows it to that part's (or schema's) type.
   */
  validateInput<P extends HTTPRequestPart> (input: unknown, httpPart: P): input is RequestPartType<G, P>
  validateInput<const T extends object> (input: unknown, schema: T, httpPart?: HTTPRequestPart): input is FromSchema<T, SchemaRefs<S>>
  /** Reads a request decorator, typed from the instance type or by the type argument. */
  getDecorator<T = never, K extends string | symbol = string | symbol> (name: K):
    [NoInfer<T>] extends [never] ? DecoratorType<VeloxRequestDecorators & S['request'], K> : NoInfer<T>
  /** Sets a request decorator on this request. */
  setDecorator<T = unknown> (name: string | symbol, value: T): void
}

type RequestPartType<G, P extends HTTPRequestPart> =
  P extends 'body' ? RoutePart<G, 'Body'>
    : P extends 'querystring' ? RoutePart<G, 'Querystring'>
      : P extends 'params' ? RoutePart<G, 'Params'>
        : RoutePart<G, 'Headers'>

/**
 * A request of a route with types `G`, on an instance with state `S`: the
 * request interface plus the request decorators declared on the instance.
 */
export type VeloxRequest<G = RouteGenericInterface, S extends InstanceState = DefaultState> =
  VeloxRequestBase<G, S> & S['request']
