/**
 * Route types: the schema a route declares, the types resolved from it (or
 * from explicit generics), the handler, and the route options.
 */

import type { IncomingMessage } from 'node:http'
import type { VeloxError } from './errors.js'
import type {
  LifecycleHook,
  OnErrorHook,
  OnRequestAbortHook,
  OnSendHook,
  PreParsingHook,
  PreSerializationHook
} from './hooks.js'
import type { VeloxInstance } from './instance.js'
import type { AnySchema, FromSchema } from './json-schema.js'
import type { LogLevel, VeloxBaseLogger } from './logger.js'
import type { OpenApiRouteDocOptions } from './openapi.js'
import type { VeloxReply, VeloxReplyBase } from './reply.js'
import type { VeloxRequest } from './request.js'
import type { SchemaErrorFormatter, SerializerCompiler, ValidatorCompiler } from './schema-compilers.js'
import type { DefaultState, InstanceState, SchemaRefs } from './state.js'

/** HTTP methods a route can answer, in either case as Fastify accepts them. */
export type HTTPMethods =
  | 'DELETE' | 'GET' | 'HEAD' | 'PATCH' | 'POST' | 'PUT' | 'OPTIONS'
  | 'PROPFIND' | 'PROPPATCH' | 'MKCOL' | 'COPY' | 'MOVE' | 'LOCK' | 'UNLOCK'
  | 'TRACE' | 'SEARCH' | 'REPORT' | 'MKCALENDAR'
  | 'delete' | 'get' | 'head' | 'patch' | 'post' | 'put' | 'options'
  | 'propfind' | 'proppatch' | 'mkcol' | 'copy' | 'move' | 'lock' | 'unlock'
  | 'trace' | 'search' | 'report' | 'mkcalendar'

/**
 * Explicit route types, as in Fastify: `app.get<{ Querystring: Q; Reply: R }>(...)`.
 * `Reply` is one type for every status, or a map from status code (`200`,
 * `'2xx'`, `'default'`) to type. `Config` is the type of the route's
 * `config`; it is filled in from the route options.
 */
export interface RouteGenericInterface {
  Body?: unknown
  Querystring?: unknown
  Params?: unknown
  Headers?: unknown
  Reply?: unknown
  Config?: unknown
}

/** The default type of a route's `config`; extend it with declaration merging. */
export interface VeloxContextConfig {}

/** A response schema given per content type, as in OpenAPI. */
export interface ContentSchemas {
  description?: string
  content: { readonly [mediaType: string]: { readonly schema: AnySchema } }
}

/**
 * A route's `schema`. Each request part is validated with its schema, and
 * `response` maps status codes (`200`, `'2xx'`, `'default'`) to the schema
 * its payload is serialized with.
 */
export interface RouteSchema {
  body?: AnySchema | ContentSchemas
  querystring?: AnySchema
  /** Alias of `querystring`. */
  query?: AnySchema
  params?: AnySchema
  headers?: AnySchema
  response?: ResponseSchemas
  summary?: string
  description?: string
  tags?: readonly string[]
  operationId?: string
  deprecated?: boolean
  hide?: boolean
  security?: ReadonlyArray<{ readonly [scheme: string]: readonly string[] }>
  consumes?: readonly string[]
  produces?: readonly string[]
}

type BodyFromSchema<B, Refs> =
  B extends { readonly content: infer C }
    ? { [M in keyof C]: C[M] extends { readonly schema: infer X } ? FromSchema<X, Refs> : unknown }[keyof C]
    : FromSchema<B, Refs>

type ResponseFromSchema<R, Refs> =
  R extends { readonly content: infer C }
    ? { [M in keyof C]: C[M] extends { readonly schema: infer X } ? FromSchema<X, Refs, 'output'> : unknown }[keyof C]
    : FromSchema<R, Refs, 'output'>

type SchemaPartName = 'Body' | 'Querystring' | 'Params' | 'Headers' | 'Reply'

// The parts the schema types: each is computed only when read.
type SchemaParts<Sch, Refs, Given> = {
  [K in Exclude<SchemaPartName, Given>]:
    K extends 'Body'
      ? (Sch extends { readonly body: infer B } ? BodyFromSchema<B, Refs> : unknown)
      : K extends 'Querystring'
        ? (Sch extends { readonly querystring: infer Q }
            ? FromSchema<Q, Refs>
            : Sch extends { readonly query: infer Q } ? FromSchema<Q, Refs> : unknown)
        : K extends 'Params'
          ? (Sch extends { readonly params: infer P } ? FromSchema<P, Refs> : unknown)
          : K extends 'Headers'
            ? (Sch extends { readonly headers: infer H } ? FromSchema<H, Refs> : unknown)
            : (Sch extends { readonly response: infer R }
                ? { -readonly [Status in keyof R]: ResponseFromSchema<R[Status], Refs> }
                : unknown)
}

/** What a route type is when neither generics nor schema give it. */
export interface RouteDefaults {
  Body: unknown
  Querystring: unknown
  Params: unknown
  Headers: unknown
  Reply: unknown
  Config: VeloxContextConfig
}

/**
 * One part of route types `G`, or its default. An indexed access rather than
 * a conditional type, so request and reply types stay covariant in `G`.
 */
export type RoutePart<G, K extends keyof RouteDefaults> = (G & RouteDefaults)[K]

/**
 * The types of a route: explicit generics `G` where given, else inferred from
 * the route's schema `Sch` (with `$ref`s resolved through `Refs`), else
 * `unknown`. `Reply` is a status map when the schema declares `response`.
 *
 * `G` is kept whole (an intersection, not a copy), and is all there is when
 * the route has no schema and no `config`, so that a handler typed apart,
 * `RouteHandler<{ Params: P }>`, gives the route its types by inference.
 */
export type ResolveRoute<G, Sch, Refs, C = VeloxContextConfig> =
  & ([keyof Sch] extends [never] ? G : G & SchemaParts<Sch, Refs, keyof G>)
  & (VeloxContextConfig extends C ? unknown : 'Config' extends keyof G ? unknown : { Config: C })

/*
 * Reply types. In the conditional types below, types that come from the
 * route's types appear only as check types or in branches, never in an
 * `extends` clause (no `C extends keyof M`): TypeScript relates two
 * instantiations of a conditional type only when their `extends` clauses are
 * identical, so a route type there would make replies invariant in their
 * route types, and a reply could not be passed where a `VeloxReply` (or a
 * `FastifyReply`) is expected.
 */

/** A status key of a reply map. */
export type StatusKey = number | `${number}` | `${1 | 2 | 3 | 4 | 5}xx` | 'default'

/** Whether a `Reply` type is a map from status code to payload type. */
export type IsStatusMap<R> = R extends object
  ? ([keyof R] extends [never] ? false : [keyof R] extends [StatusKey] ? true : false)
  : false

/** The `Reply` of route types `G`. */
export type ReplyType<G> = RoutePart<G, 'Reply'>

/**
 * Every payload a route may send, whatever the status. A status map declared
 * as an interface (which has no implicit index signature) gives `unknown`.
 */
export type AnyReplyPayload<R> = IsStatusMap<R> extends true ? MapValues<R> : R

type MapValues<M> = M extends { readonly [status: string]: infer V } ? V : unknown

/**
 * The payload a route sends with status `Code`: the exact code, then its
 * class (`'2xx'`), then `'default'`, the order the serializers are looked
 * up in at runtime. A code none of them covers is not checked (`unknown`);
 * with no code set, any of the declared payloads is accepted.
 */
export type ReplyPayload<R, Code extends number = never> =
  IsStatusMap<R> extends true ? StatusPayload<R, Code> : R

type StatusPayload<M, C extends number> =
  [C] extends [never]
    ? MapValues<M>
    : number extends C
      ? MapValues<M>
      : M extends { readonly [K in C]: infer V }
        ? V
        : M extends { readonly [K in `${C}`]: infer V }
          ? V
          : M extends { readonly [K in StatusClass<C>]: infer V }
            ? V
            : M extends { readonly default: infer V } ? V : unknown

type StatusClass<C extends number> = `${C}` extends `${infer D}${string}` ? `${D}xx` : never

/**
 * What a handler may return: one of the declared payloads (any status, since
 * the status set with `reply.code()` is not known to the return statement),
 * nothing, or the reply itself; or a promise of those. Anything, without a
 * reply type (`unknown` absorbs the union).
 */
export type HandlerReturn<R> =
  | HandlerResult<AnyReplyPayload<R>>
  | Promise<HandlerResult<AnyReplyPayload<R>>>

// `any`: a handler may return its reply whatever that reply's route types are.
type HandlerResult<P> = P | void | VeloxReplyBase<any, any, never>

/**
 * A route handler. `this` is the instance the route was declared on.
 *
 * @example
 * const handler: RouteHandler<{ Params: { id: string }, Reply: User }> =
 *   async (req) => users.get(req.params.id)
 */
export type RouteHandler<G extends RouteGenericInterface = RouteGenericInterface, S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>
) => HandlerReturn<ReplyType<G>>

/** An error handler, for the instance (`setErrorHandler`) or one route. */
export type ErrorHandler<G extends RouteGenericInterface = RouteGenericInterface, S extends InstanceState = DefaultState, E extends Error = VeloxError> = (
  this: VeloxInstance<S>,
  error: E,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>
) => unknown

/** Builds the logger of each request; see the `childLoggerFactory` server option. */
export type ChildLoggerFactory<S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  logger: VeloxBaseLogger,
  bindings: Record<string, unknown>,
  options: Record<string, unknown>,
  rawRequest: IncomingMessage
) => VeloxBaseLogger

type OneOrMany<T> = T | readonly T[]

/** The options of a route besides method, URL and handler. */
export interface RouteShorthandOptions<
  G extends RouteGenericInterface = RouteGenericInterface,
  S extends InstanceState = DefaultState,
  Sch = RouteSchema,
  C = VeloxContextConfig
> extends OpenApiRouteDocOptions {
  /** Validation and serialization schemas; the request and reply types are inferred from them. */
  schema?: Sch
  /** Hand validation failures to the handler in `request.validationError` instead of answering 400. */
  attachValidation?: boolean
  exposeHeadRoute?: boolean
  validatorCompiler?: ValidatorCompiler
  serializerCompiler?: SerializerCompiler
  schemaErrorFormatter?: SchemaErrorFormatter
  bodyLimit?: number
  /** Milliseconds this route has to send its reply; overrides the server's `handlerTimeout`. */
  handlerTimeout?: number
  logLevel?: LogLevel
  logSerializers?: Record<string, (value: unknown) => unknown>
  /** Free-form route data, available as `request.routeOptions.config`. */
  config?: C
  version?: string
  constraints?: Record<string, unknown>
  prefixTrailingSlash?: 'slash' | 'no-slash' | 'both'
  errorHandler?: ErrorHandler<G, S>
  childLoggerFactory?: ChildLoggerFactory<S>
  onRequest?: OneOrMany<LifecycleHook<G, S>>
  preParsing?: OneOrMany<PreParsingHook<G, S>>
  preValidation?: OneOrMany<LifecycleHook<G, S>>
  preHandler?: OneOrMany<LifecycleHook<G, S>>
  preSerialization?: OneOrMany<PreSerializationHook<G, S>>
  onSend?: OneOrMany<OnSendHook<G, S>>
  onResponse?: OneOrMany<LifecycleHook<G, S>>
  onTimeout?: OneOrMany<LifecycleHook<G, S>>
  onError?: OneOrMany<OnErrorHook<G, S>>
  onRequestAbort?: OneOrMany<OnRequestAbortHook<G, S>>
}

/**
 * Route options with the handler among them: `app.get(url, { handler })`.
 * `Return` is what the handler may return; the route methods set it (see
 * RouteShorthandMethod).
 */
export interface RouteShorthandOptionsWithHandler<
  G extends RouteGenericInterface = RouteGenericInterface,
  S extends InstanceState = DefaultState,
  Sch = RouteSchema,
  C = VeloxContextConfig,
  Return = HandlerReturn<ReplyType<G>>
> extends RouteShorthandOptions<G, S, Sch, C> {
  handler: (
    this: VeloxInstance<S>,
    request: VeloxRequest<G, S>,
    reply: VeloxReply<G, S>
  ) => Return
}

/** The options of `app.route()`. */
export interface RouteOptions<
  G extends RouteGenericInterface = RouteGenericInterface,
  S extends InstanceState = DefaultState,
  Sch = RouteSchema,
  C = VeloxContextConfig,
  Return = HandlerReturn<ReplyType<G>>
> extends RouteShorthandOptionsWithHandler<G, S, Sch, C, Return> {
  method: HTTPMethods | (string & {}) | ReadonlyArray<HTTPMethods | (string & {})>
  url: string
}

/** The route as `onRoute` hooks see it: its options plus where it was mounted. */
export interface RouteDefinition<S extends InstanceState = DefaultState> extends RouteOptions<RouteGenericInterface, S> {
  routePath: string
  path: string
  prefix: string
}

/** Response schemas by status code, as `schema.response` holds them. */
export interface ResponseSchemas {
  readonly [status: string]: AnySchema | ContentSchemas
}

// What a route without response schemas declares: anything, for any status.
// Written as response schemas (`default: true`) because routes with and
// without them go through the same signature, typed by `Rsp`.
type AnyResponse = { readonly default: true }

/** The reply map of response schemas `Rsp`: status code to payload type. */
export type ResponseTypes<Rsp, Refs> = { -readonly [Status in keyof Rsp]: ResponseFromSchema<Rsp[Status], Refs> }

/**
 * The types of a route typed by its schema alone: the request parts from
 * `Sch`, the replies from its `response`, which the route methods capture
 * as a type parameter `Rsp` of its own.
 */
export type SchemaRoute<Sch, Rsp, Refs, C = VeloxContextConfig> =
  SchemaParts<Sch, Refs, 'Reply'> & { Reply: ResponseTypes<Rsp, Refs>, Config: C }

/**
 * The default of the route types parameter of the signatures that take them
 * explicitly (or from a handler typed apart); left to it, those signatures
 * take no handler, so that the schema signatures report the errors.
 */
export interface NoRouteTypes extends RouteGenericInterface {
  readonly '~noRouteTypes': true
}

type UnlessNoRouteTypes<G, T> = [G] extends [NoRouteTypes] ? never : T

/*
 * How the route methods are typed.
 *
 * Each form comes twice. The first signature types the route from its schema
 * alone: `Sch` captures the schema and `Rsp` its `response`, both `const`, so
 * no `as const` is needed. The second takes route types `G`, given
 * explicitly as in Fastify (`app.get<{ Body: B }>(...)`) or inferred from a
 * handler typed apart; it applies only when `G` is one of those.
 *
 * Why two: a handler's returned literal keeps its literal type (`'active'`
 * for an `enum`, not `string`) only in a `const` context, which TypeScript
 * grants when the handler's return type maps over a `const` type parameter
 * (here `{ [Status in keyof Rsp]: ... }`). Route types `G` in the same
 * signature would put `ResolveRoute<G, ...>` in between, and literals would
 * widen and fail against the response types.
 *
 * The handler parameters spell out RouteHandler's function type rather than
 * name it: TypeScript relates two instantiations of one type alias by their
 * type arguments, and RouteHandler is invariant in its route types (they type
 * both its parameters and its return value). Written out, the function types
 * are compared structurally, so a handler typed apart, with
 * `RouteHandler<{ Body: B }>` or `(req: FastifyRequest<{ Body: B }>, reply:
 * FastifyReply)`, fits a route whose schema gives it more types.
 *
 * The `(url, handler)` and `(url, optionsWithHandler)` forms share one
 * signature (a union parameter) because TypeScript types a function
 * expression's parameters and return value from the first signature it tries
 * and keeps them for the next: a handler inside options tried first against
 * `(url, handler)` would lose its context.
 */

/**
 * The route shorthands `get`, `post`, ...: `(url, options, handler)`,
 * `(url, handler)` and `(url, optionsWithHandler)`.
 *
 * The schema is captured by a `const` type parameter, so an inline JSON
 * Schema types the request and reply with no `as const`:
 *
 * @example
 * app.post('/users', {
 *   schema: {
 *     body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
 *     response: { 201: { type: 'object', properties: { id: { type: 'integer' } } } }
 *   }
 * }, async (req, reply) => {
 *   req.body.name // string
 *   return reply.code(201).send({ id: 1 })
 * })
 */
export interface RouteShorthandMethod<S extends InstanceState = DefaultState> {
  <const Sch extends RouteSchema = {}, const Rsp extends ResponseSchemas = AnyResponse, C = VeloxContextConfig>(
    url: string,
    options: RouteShorthandOptions<SchemaRoute<Sch, Rsp, SchemaRefs<S>, C>, S, Sch & { readonly response?: Rsp }, C>,
    handler: SchemaRouteHandler<Sch, Rsp, S, C>
  ): VeloxInstance<S>
  <G extends RouteGenericInterface = NoRouteTypes, C = VeloxContextConfig, const Sch extends RouteSchema = {}>(
    url: string,
    options: RouteShorthandOptions<ResolveRoute<G, Sch, SchemaRefs<S>, C>, S, Sch, C>,
    handler: UnlessNoRouteTypes<G, TypedRouteHandler<ResolveRoute<G, Sch, SchemaRefs<S>, C>, S>>
  ): VeloxInstance<S>
  <const Sch extends RouteSchema = {}, const Rsp extends ResponseSchemas = AnyResponse, C = VeloxContextConfig>(
    url: string,
    handlerOrOptions:
      | SchemaRouteHandler<Sch, Rsp, S, C>
      | RouteShorthandOptionsWithHandler<SchemaRoute<Sch, Rsp, SchemaRefs<S>, C>, S, Sch & { readonly response?: Rsp }, C,
        NoInfer<HandlerReturn<ResponseTypes<Rsp, SchemaRefs<S>>>>>
  ): VeloxInstance<S>
  <G extends RouteGenericInterface = NoRouteTypes, C = VeloxContextConfig, const Sch extends RouteSchema = {}>(
    url: string,
    handlerOrOptions: UnlessNoRouteTypes<G,
      | TypedRouteHandler<ResolveRoute<G, Sch, SchemaRefs<S>, C>, S>
      | RouteShorthandOptionsWithHandler<ResolveRoute<G, Sch, SchemaRefs<S>, C>, S, Sch, C>>
  ): VeloxInstance<S>
}

// The handler of a route typed by its schema. `NoInfer` keeps TypeScript from
// inferring the response schemas from what the handler returns; the return
// type still gives returned literals a `const` context (through `Rsp`, a
// `const` type parameter), so an `enum` value keeps its literal type.
type SchemaRouteHandler<Sch, Rsp, S extends InstanceState, C> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<SchemaRoute<Sch, Rsp, SchemaRefs<S>, C>, S>,
  reply: VeloxReply<SchemaRoute<Sch, Rsp, SchemaRefs<S>, C>, S>
) => NoInfer<HandlerReturn<ResponseTypes<Rsp, SchemaRefs<S>>>>

// RouteHandler's function type, for the reason given above.
type TypedRouteHandler<G, S extends InstanceState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>
) => HandlerReturn<ReplyType<G>>

/** `app.route(options)`, with the same inference as the shorthands. */
export interface RouteMethod<S extends InstanceState = DefaultState> {
  <const Sch extends RouteSchema = {}, const Rsp extends ResponseSchemas = AnyResponse, C = VeloxContextConfig>(
    options: RouteOptions<SchemaRoute<Sch, Rsp, SchemaRefs<S>, C>, S, Sch & { readonly response?: Rsp }, C,
      NoInfer<HandlerReturn<ResponseTypes<Rsp, SchemaRefs<S>>>>>
  ): VeloxInstance<S>
  <G extends RouteGenericInterface = NoRouteTypes, C = VeloxContextConfig, const Sch extends RouteSchema = {}>(
    options: UnlessNoRouteTypes<G, RouteOptions<ResolveRoute<G, Sch, SchemaRefs<S>, C>, S, Sch, C>>
  ): VeloxInstance<S>
}
