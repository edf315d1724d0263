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
import type { RouteParams } from './path-params.js'
import type { ReplyMark, VeloxReply } from './reply.js'
import type { VeloxRequest } from './request.js'
import type { SchemaErrorFormatter, SerializerCompiler, ValidatorCompiler } from './schema-compilers.js'
import type { RouteRecord, RouteTableReceiver } from './route-table.js'
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
export type HandlerReturn<R> = HandlerReturnOf<AnyReplyPayload<R>>

// HandlerReturn by payload rather than by reply type: the route methods use
// it directly, so that messages print the payload resolved
// (`HandlerReturnOf<{ id: number }>`).
type HandlerReturnOf<P> = HandlerResult<P> | Promise<HandlerResult<P>>

// A handler may return its reply, whatever that reply's route types are.
type HandlerResult<P> = P | void | ReplyMark

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

/** Route options with the handler among them: `app.get(url, { handler })`. */
export interface RouteShorthandOptionsWithHandler<
  G extends RouteGenericInterface = RouteGenericInterface,
  S extends InstanceState = DefaultState,
  Sch = RouteSchema,
  C = VeloxContextConfig
> extends RouteShorthandOptions<G, S, Sch, C> {
  handler: RouteHandler<G, S>
}

/** The options of `app.route()`. */
export interface RouteOptions<
  G extends RouteGenericInterface = RouteGenericInterface,
  S extends InstanceState = DefaultState,
  Sch = RouteSchema,
  C = VeloxContextConfig
> extends RouteShorthandOptionsWithHandler<G, S, Sch, C> {
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

/**
 * The default of the route types parameter `G` of the route methods: no
 * route types given, neither explicitly nor by a handler typed apart, so the
 * route is typed by its schema alone.
 */
export interface NoRouteTypes extends RouteGenericInterface {
  readonly '~noRouteTypes': true
}

/**
 * The types of a route (`Body`, `Querystring`, `Params`, `Headers`, `Reply`,
 * `Config`) as the route methods give them to its handler and hooks.
 *
 * - With route types `G`, given explicitly as in Fastify
 *   (`app.get<{ Body: B }>(...)`) or declared by a handler typed apart: `G`,
 *   with the schema's types for the parts `G` leaves out. `G` is kept whole
 *   (an intersection, not a copy), and is all there is when the route has no
 *   schema and no `config`, so that a handler typed apart
 *   (`RouteHandler<{ Params: P }>`) gives the route its types by inference.
 * - Else the schema's: each request part it declares, and `Reply` from `Rsp`,
 *   the response schemas, which the route methods capture as a `const` type
 *   parameter of their own (see RouteReplies and RoutePayloads).
 *
 * The parts are mapped types written out in the branches, over the keys the
 * schema has, rather than aliases: hovers and error messages then print the
 * route's types (`NoInfer<{ Params: { id: number }; Reply: { 200: User } }>`),
 * not the schema they come from. A part the schema leaves out is `unknown`
 * through RouteDefaults.
 *
 * Everything but `G` is behind `NoInfer`. TypeScript infers `G` from the
 * handler's request and reply types (that is how a handler typed apart gives
 * the route its types), and it would otherwise walk the schema's parts too,
 * comparing them member by member for every route: that walk cost a quarter
 * of the type-check time of the 200-route benchmark.
 */
export type RouteTypes<G extends RouteGenericInterface, Sch, Rsp, Refs, C, Url extends string = string> =
  [G] extends [NoRouteTypes]
    ? NoInfer<{
      -readonly [K in keyof Sch | 'response' as SchemaPartName<K, Sch>]: K extends 'response'
        ? { -readonly [Status in keyof Rsp]: ResponseFromSchema<Rsp[Status], Refs> }
        : PartType<K, Sch[K & keyof Sch], Refs>
    } & ConfigPart<C, never> & PathParamsPart<Sch, Url>>
    : ([keyof Sch] extends [never]
      ? G
      : G & NoInfer<{ -readonly [K in keyof Sch as PartName<K, Sch, keyof G>]: PartType<K, Sch[K], Refs> }>)
      & NoInfer<ConfigPart<C, keyof G>>

// The route type a schema key gives, unless the route types `G` give it.
// `querystring` wins over its alias `query`.
type PartName<K, Sch, Given> = Exclude<SchemaPartName<K, Sch>, Given>

// Without route types: a lookup rather than a conditional per schema key.
type SchemaPartName<K, Sch> =
  K extends 'query' ? ('querystring' extends keyof Sch ? never : 'Querystring') : PartNames[K & keyof PartNames]

interface PartNames {
  body: 'Body'
  querystring: 'Querystring'
  params: 'Params'
  headers: 'Headers'
  response: 'Reply'
}

type PartType<K, X, Refs> =
  K extends 'body'
    ? BodyFromSchema<X, Refs>
    : K extends 'response'
      ? { -readonly [Status in keyof X]: ResponseFromSchema<X[Status], Refs> }
      : FromSchema<X, Refs>

// Without a params schema (nor route types), the path names the parameters: `/users/:id` gives
// `{ id: string }`, as the router hands them over.
type PathParamsPart<Sch, Url extends string> =
  'params' extends keyof Sch ? unknown : RouteParams<Url> extends infer P ? (unknown extends P ? unknown : { Params: P }) : never

// `config` types the route's `Config` unless it is the default or `G` gives it.
type ConfigPart<C, Given> =
  VeloxContextConfig extends C ? unknown : 'Config' extends Given ? unknown : { Config: C }

/**
 * What a route's handler may send: the payloads of its response schemas, or
 * of the `Reply` of route types `G`. Without `G`, a mapped type over the
 * `const` type parameter `Rsp`, which gives the literals a handler returns a
 * `const` context: `return { status: 'active' }` keeps `'active'` for an
 * `enum` rather than widening it to `string`.
 */
export type RouteReplies<G extends RouteGenericInterface, Sch, Rsp, Refs, C> =
  [G] extends [NoRouteTypes]
    ? NoInfer<{ -readonly [Status in keyof Rsp]: ResponseFromSchema<Rsp[Status], Refs> }>
    : ReplyType<RouteTypes<NoInfer<G>, Sch, Rsp, Refs, C>>

// The `schema` option: without route types, `Rsp` captures its `response`.
type SchemaOption<G, Sch, Rsp> = [G] extends [NoRouteTypes] ? Sch & { readonly response?: Rsp } : Sch

/**
 * A route handler as the route methods type it: `Route` types the request
 * and the reply, `Replies` (a status map, or one type for all) what it may
 * return.
 *
 * The return type is behind `NoInfer`, so what a handler returns never
 * changes the route's types: it is checked against them.
 */
export type Handler<Route, S extends InstanceState, Replies> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<Route, S>,
  reply: VeloxReply<Route, S>
) => HandlerReturnOf<AnyReplyPayload<Replies>>

// Handler, as the route methods use it: `Payloads` is already the union of
// what the handler may return (RoutePayloads), which spares every route the
// status-map test of AnyReplyPayload.
type MethodHandler<Route, S extends InstanceState, Payloads> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<Route, S>,
  reply: VeloxReply<Route, S>
) => HandlerReturnOf<Payloads>

// The payloads of RouteReplies, as one union. Without `G`, an indexed access
// into a mapped type over the `const` type parameter `Rsp`, which keeps the
// `const` context RouteReplies gives returned literals.
type RoutePayloads<G extends RouteGenericInterface, Sch, Rsp, Refs, C> =
  [G] extends [NoRouteTypes]
    ? NoInfer<{ -readonly [Status in keyof Rsp]: ResponseFromSchema<Rsp[Status], Refs> }[keyof Rsp]>
    : AnyReplyPayload<ReplyType<RouteTypes<NoInfer<G>, Sch, Rsp, Refs, C>>>

// The options of a route method. `NoInfer`: the route types come from the
// schema, the `config` and the handler, never from a hook typed apart.
type MethodOptions<G extends RouteGenericInterface, Sch, Rsp, S extends InstanceState, C, Url extends string> =
  RouteShorthandOptions<NoInfer<RouteTypes<G, Sch, Rsp, SchemaRefs<S>, C, Url>>, S, SchemaOption<G, Sch, Rsp>, C>

/*
 * How the route methods are typed.
 *
 * One generic signature per form, so that a mistake is reported as one
 * error, elaborated to where it is, rather than as TypeScript's "No overload
 * matches this call" listing every overload with its expanded types. The
 * forms differ in arity (`(url, options, handler)` against `(url,
 * handlerOrOptions)`), which TypeScript checks before it tries a signature,
 * so a call only ever meets one of them.
 *
 * - `G`, first as in Fastify, holds route types given explicitly, or
 *   inferred from a handler typed apart; left out, it is NoRouteTypes and the
 *   route is typed by its schema.
 * - `Sch` captures the schema and `Rsp` its `response`, both `const`, so an
 *   inline schema needs no `as const`. `C` is the type of `config`.
 *
 * Where the errors land. `reply.send(x)` is a call of its own: a wrong
 * payload is reported at the property, `Type 'string' is not assignable to
 * type 'number'`. A wrong return value is found when the handler is checked
 * against its parameter type: for an arrow function whose body is an
 * expression, TypeScript reports it at that expression (and, for a
 * synchronous one, at the property); for a body in braces it checks `return`
 * statements only against a return type written on the function, so it
 * reports the handler, with a chain that ends at the property.
 *
 * The `(url, handler)` and `(url, optionsWithHandler)` forms share one
 * signature (a union parameter): TypeScript types a function expression's
 * parameters from the first signature it tries and keeps them for the next,
 * so a handler inside options tried first against `(url, handler)` would
 * lose its context.
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
export interface RouteShorthandMethod<S extends InstanceState = DefaultState, Method extends string = string> {
  <G extends RouteGenericInterface = NoRouteTypes, C = VeloxContextConfig, const Sch extends RouteSchema = {}, const Rsp extends ResponseSchemas = AnyResponse, Url extends string = string, Routes = never>(
    this: RouteTableReceiver<Routes>,
    url: Url,
    options: MethodOptions<G, Sch, Rsp, S, C, Url>,
    handler: MethodHandler<RouteTypes<G, Sch, Rsp, SchemaRefs<S>, C, Url>, S, RoutePayloads<G, Sch, Rsp, SchemaRefs<S>, C>>
  ): VeloxInstance<S, Routes | RouteRecord<Method, Url, G, Sch, Rsp, SchemaRefs<S>>>
  <G extends RouteGenericInterface = NoRouteTypes, C = VeloxContextConfig, const Sch extends RouteSchema = {}, const Rsp extends ResponseSchemas = AnyResponse, Url extends string = string, Routes = never>(
    this: RouteTableReceiver<Routes>,
    url: Url,
    handlerOrOptions: MethodHandler<RouteTypes<G, Sch, Rsp, SchemaRefs<S>, C, Url>, S, RoutePayloads<G, Sch, Rsp, SchemaRefs<S>, C>> | (MethodOptions<G, Sch, Rsp, S, C, Url> & { handler: MethodHandler<RouteTypes<G, Sch, Rsp, SchemaRefs<S>, C, Url>, S, RoutePayloads<G, Sch, Rsp, SchemaRefs<S>, C>> })
  ): VeloxInstance<S, Routes | RouteRecord<Method, Url, G, Sch, Rsp, SchemaRefs<S>>>
}

/** `app.route(options)`, with the same inference as the shorthands. */
export interface RouteMethod<S extends InstanceState = DefaultState> {
  <G extends RouteGenericInterface = NoRouteTypes, C = VeloxContextConfig, const Sch extends RouteSchema = {}, const Rsp extends ResponseSchemas = AnyResponse, const Method extends HTTPMethods | (string & {}) | ReadonlyArray<HTTPMethods | (string & {})> = HTTPMethods | (string & {}) | ReadonlyArray<HTTPMethods | (string & {})>, Url extends string = string, Routes = never>(
    this: RouteTableReceiver<Routes>,
    options: MethodOptions<G, Sch, Rsp, S, C, Url> & {
      method: Method
      url: Url
      handler: MethodHandler<RouteTypes<G, Sch, Rsp, SchemaRefs<S>, C, Url>, S, RoutePayloads<G, Sch, Rsp, SchemaRefs<S>, C>>
    }
  ): VeloxInstance<S, Routes | RouteRecord<Uppercase<Method extends ReadonlyArray<infer M extends string> ? M : Method & string>, Url, G, Sch, Rsp, SchemaRefs<S>>>
}
