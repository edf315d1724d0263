/**
 * The application instance, `velox()`'s result and what every plugin gets.
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CallbackFunc as InjectCallback, Chain, InjectOptions, Response as LightMyRequestResponse } from 'light-my-request'
import type { AddContentTypeParserMethod, BodyContentTypeParser, ContentTypeMatcher } from './content-type-parser.js'
import type { VeloxError } from './errors.js'
import type { AddHookMethod, LifecycleHook } from './hooks.js'
import type { AnySchema, JSONSchemaObject } from './json-schema.js'
import type { VeloxBaseLogger } from './logger.js'
import type { OpenApiDocument, OpenApiOptions } from './openapi.js'
import type { RegisterMethod } from './plugin.js'
import type { RouteTableMark, RouteTableReceiver } from './route-table.js'
import type { VeloxReply } from './reply.js'
import type { VeloxRequest } from './request.js'
import type {
  ChildLoggerFactory,
  ErrorHandler,
  HTTPMethods,
  RouteGenericInterface,
  RouteHandler,
  RouteMethod,
  RouteShorthandMethod
} from './route.js'
import type {
  ReplySerializer,
  SchemaControllerOptions,
  SchemaErrorFormatter,
  SerializerCompiler,
  ValidatorCompiler
} from './schema-compilers.js'
import type { ListenOptions, ProtoAction, VeloxInitialConfig, VeloxServerOptions } from './server-options.js'
import type {
  DecoratorType,
  DecoratorValue,
  DefaultState,
  InstanceState,
  SchemaRefs,
  VeloxDecorators,
  WithDecorator,
  WithReplyDecorator,
  WithRequestDecorator,
  WithSchema,
  instanceState
} from './state.js'

/** What `printRoutes()` prints. */
export interface PrintRoutesOptions {
  method?: HTTPMethods
  /** Print route metadata: all of it, or the named store keys. */
  includeMeta?: boolean | ReadonlyArray<string | symbol>
  commonPrefix?: boolean
  includeHooks?: boolean
}

/** A route to look up with `hasRoute()` / `findRoute()`. */
export interface RouteLookup {
  method: HTTPMethods | (string & {})
  url: string
  constraints?: Record<string, unknown>
}

/** What `findRoute()` finds. */
export interface FoundRoute {
  // `any`: the route's own types are not known to a lookup by URL.
  handler: RouteHandler<any, any>
  params: Record<string, string | undefined>
  searchParams: Record<string, string>
}

/** The not-found handler's own hooks: `setNotFoundHandler({ preHandler }, handler)`. */
export interface NotFoundHandlerOptions<S extends InstanceState = DefaultState> {
  preValidation?: LifecycleHook<RouteGenericInterface, S> | ReadonlyArray<LifecycleHook<RouteGenericInterface, S>>
  preHandler?: LifecycleHook<RouteGenericInterface, S> | ReadonlyArray<LifecycleHook<RouteGenericInterface, S>>
}

/**
 * The instance interface. `S` is what has been declared on the instance so
 * far; methods that declare something (`decorate`, `decorateRequest`,
 * `decorateReply`, `addSchema`) return the instance type with it added.
 *
 * Use {@link VeloxInstance}, which adds the instance's decorators.
 */
export interface VeloxInstanceBase<S extends InstanceState = DefaultState> extends VeloxDecorators {
  /** Type-level only: the state this instance type carries. */
  readonly [instanceState]?: S

  /** The Node.js server. */
  server: Server
  log: VeloxBaseLogger
  /** The validator compiler in use: the one set with setValidatorCompiler, else the default one once a route needs it at ready(), else undefined. */
  readonly validatorCompiler: ValidatorCompiler | undefined
  /** The serializer compiler in use, reported as `validatorCompiler` is. */
  readonly serializerCompiler: SerializerCompiler | undefined
  /** The version of Fastify whose API this implements: what plugins check `fastify.version` against. */
  version: string
  /** The route prefix of this plugin scope. */
  prefix: string
  /** The name of the plugin that created this scope, with its parents'. */
  pluginName: string
  /** The server options as resolved at creation. */
  initialConfig: VeloxInitialConfig
  /** The addresses the server listens on; empty until it does. */
  addresses (): AddressInfo[]
  /**
   * Routes a raw Node request through the app (URL rewrite, router, hooks, handler) as the server
   * does, for requests a plugin receives outside the 'request' event (WebSocket upgrades).
   */
  routing (req: IncomingMessage, res: ServerResponse): void

  // ----------------------------------------------------------------- routes
  get: RouteShorthandMethod<S, 'GET'>
  head: RouteShorthandMethod<S, 'HEAD'>
  post: RouteShorthandMethod<S, 'POST'>
  put: RouteShorthandMethod<S, 'PUT'>
  delete: RouteShorthandMethod<S, 'DELETE'>
  options: RouteShorthandMethod<S, 'OPTIONS'>
  patch: RouteShorthandMethod<S, 'PATCH'>
  trace: RouteShorthandMethod<S, 'TRACE'>
  /** The QUERY method (RFC 10008): a safe request with a body; it must send a Content-Type. */
  query: RouteShorthandMethod<S, 'QUERY'>
  /** Every supported method (`supportedMethods`) at the time of the call. */
  all: RouteShorthandMethod<S, 'DELETE' | 'GET' | 'HEAD' | 'PATCH' | 'POST' | 'PUT' | 'OPTIONS' | 'TRACE' | 'QUERY'>
  /** The methods routes may use: the standard ones, QUERY and those added with `addHttpMethod`. */
  readonly supportedMethods: string[]
  /** Lets routes use another method Node.js knows, and adds its lower-case shorthand. */
  addHttpMethod<Routes = never> (this: RouteTableReceiver<Routes>, method: string, options?: { hasBody?: boolean, overrideExisting?: boolean }): VeloxInstance<S, Routes>
  /** The origin the server listens on (`http://127.0.0.1:3000`, or the socket path), once listening. */
  readonly listeningOrigin: string | undefined
  /** Adds a find-my-way constraint strategy routes can use in `constraints`. */
  addConstraintStrategy<Routes = never> (this: RouteTableReceiver<Routes>, strategy: { name: string, storage: () => unknown, deriveConstraint: (...args: any[]) => unknown, validate?: (value: unknown) => void, mustMatchWhenDerived?: boolean }): VeloxInstance<S, Routes>
  hasConstraintStrategy (name: string): boolean
  route: RouteMethod<S>
  hasRoute (route: RouteLookup): boolean
  findRoute (route: RouteLookup): FoundRoute | null
  printRoutes (options?: PrintRoutesOptions): string

  // ---------------------------------------------------------------- plugins
  /**
   * Registers a plugin in a child scope (or in this one, for a plugin marked
   * `skip-override`). Awaiting the result waits for the plugin to load.
   *
   * @example
   * await app.register(async function users (app) {
   *   app.get('/users', async () => [])
   * }, { prefix: '/v1' })
   */
  register: RegisterMethod<S>
  /** Runs after the plugins registered so far have loaded. */
  after (): VeloxInstance<S> & PromiseLike<undefined>
  after (listener: (error: Error | null, done: () => void) => unknown): VeloxInstance<S>
  /** avvio's three-argument form: the instance the callback was added on comes second. */
  after (listener: (error: Error | null, instance: VeloxInstance<S>, done: (err?: Error | null) => void) => unknown): VeloxInstance<S>
  /** Loads every plugin and compiles every route; `listen()` and `inject()` call it. */
  ready (): VeloxInstance<S> & PromiseLike<undefined>
  ready (listener: (error: Error | null) => void | Promise<void>): VeloxInstance<S>
  hasPlugin (name: string): boolean
  printPlugins (): string

  // ------------------------------------------------------------- lifecycle
  /** Starts listening; resolves to the first address (`http://127.0.0.1:3000`). */
  listen (options?: ListenOptions): Promise<string>
  listen (options: ListenOptions, callback: (error: Error | null, address: string) => void): void
  /** Stops listening, runs `preClose` and `onClose` hooks. */
  close (): Promise<undefined>
  close (callback: (error?: Error) => void): undefined
  /** Sends a request through the app without a socket (light-my-request). */
  inject (options: InjectOptions | string, callback: InjectCallback): void
  inject (options: InjectOptions | string): Promise<LightMyRequestResponse>
  inject (): Chain

  // ------------------------------------------------------------- decorators
  /**
   * Adds a property to the instance (and its children). The returned
   * instance type has it; so do plugins registered from that instance.
   *
   * @example
   * const app = velox().decorate('db', new Database())
   * app.db // Database
   */
  decorate<V extends DecoratorType<VeloxDecorators & S['decorators'], K>, K extends string | symbol = string | symbol, Routes = never> (
    this: RouteTableReceiver<Routes>,
    name: K,
    value: DecoratorValue<V, VeloxInstance<S>>,
    dependencies?: readonly string[]
  ): VeloxInstance<WithDecorator<S, K, V>, Routes>
  /**
   * Adds a property to every request of this scope. Reference types need a
   * getter (`{ getter () { ... } }`) so requests do not share one object; a
   * value set later starts as `null`: `decorateRequest('user', null as User | null)`.
   */
  decorateRequest<V extends DecoratorType<S['request'], K>, K extends string | symbol = string | symbol, Routes = never> (
    this: RouteTableReceiver<Routes>,
    name: K,
    value: DecoratorValue<V, VeloxRequest<RouteGenericInterface, S>>,
    dependencies?: readonly string[]
  ): VeloxInstance<WithRequestDecorator<S, K, V>, Routes>
  /** Adds a property to every reply of this scope; see {@link decorateRequest}. */
  decorateReply<V extends DecoratorType<S['reply'], K>, K extends string | symbol = string | symbol, Routes = never> (
    this: RouteTableReceiver<Routes>,
    name: K,
    value: DecoratorValue<V, VeloxReply<RouteGenericInterface, S>>,
    dependencies?: readonly string[]
  ): VeloxInstance<WithReplyDecorator<S, K, V>, Routes>
  hasDecorator (name: string | symbol): boolean
  hasRequestDecorator (name: string | symbol): boolean
  hasReplyDecorator (name: string | symbol): boolean
  /**
   * Reads a decorator, failing if it is missing: typed from the instance type
   * when it knows the name, or by the type argument as in Fastify.
   */
  getDecorator<T = never, K extends string | symbol = string | symbol> (name: K):
    // NoInfer: `T` is given or left out, never inferred from where the result goes.
    [NoInfer<T>] extends [never] ? DecoratorType<VeloxDecorators & S['decorators'], K> : NoInfer<T>

  // ------------------------------------------------------------------ hooks
  addHook: AddHookMethod<S>

  // ---------------------------------------------------------------- schemas
  /**
   * Adds a shared schema, referenced from route schemas with
   * `{ $ref: '<$id>#' }`. The returned instance type knows it by `$id`, so
   * those references infer.
   *
   * @example
   * const app = velox().addSchema({ $id: 'User', type: 'object', properties: { name: { type: 'string' } } })
   * app.post('/users', { schema: { body: { $ref: 'User#' } } }, async (req) => req.body.name)
   */
  addSchema<const T extends AnySchema, Routes = never> (this: RouteTableReceiver<Routes>, schema: T): VeloxInstance<WithSchema<S, T>, Routes>
  getSchema<Id extends string> (id: Id): DecoratorType<SchemaRefs<S>, Id>
  getSchemas (): Record<string, unknown>
  setValidatorCompiler<T = JSONSchemaObject, Routes = never> (this: RouteTableReceiver<Routes>, compiler: ValidatorCompiler<T>): VeloxInstance<S, Routes>
  setSerializerCompiler<T = JSONSchemaObject, Routes = never> (this: RouteTableReceiver<Routes>, compiler: SerializerCompiler<T>): VeloxInstance<S, Routes>
  setSchemaErrorFormatter<Routes = never> (this: RouteTableReceiver<Routes>, formatter: SchemaErrorFormatter): VeloxInstance<S, Routes>
  setSchemaController<Routes = never> (this: RouteTableReceiver<Routes>, options: SchemaControllerOptions): VeloxInstance<S, Routes>
  /** Serializes payloads no response schema covers; `JSON.stringify` by default. */
  setReplySerializer<Routes = never> (this: RouteTableReceiver<Routes>, serializer: ReplySerializer): VeloxInstance<S, Routes>
  /**
   * Fastify's type-provider switch. Velox infers request and reply types from each route's schema
   * without a provider, so this returns the same instance with the same types.
   */
  withTypeProvider<_Provider = unknown, Routes = never> (this: RouteTableReceiver<Routes>): VeloxInstance<S, Routes>
  /** The OpenAPI 3.1 document of the routes declared so far. */
  openapi (options?: OpenApiOptions): OpenApiDocument
  /**
   * Adds a readiness check (the `health` option's readiness route answers 503 while one throws,
   * rejects or returns false).
   *
   * @example
   * app.addHealthCheck('db', async () => { await pool.query('select 1') })
   */
  addHealthCheck<Routes = never> (this: RouteTableReceiver<Routes>, name: string, check: () => unknown): VeloxInstance<S, Routes>

  // ------------------------------------------------------- errors, not found
  setErrorHandler<E extends Error = VeloxError, G extends RouteGenericInterface = RouteGenericInterface, Routes = never> (
    this: RouteTableReceiver<Routes>,
    handler: ErrorHandler<G, S, E>
  ): VeloxInstance<S, Routes>
  setNotFoundHandler<G extends RouteGenericInterface = RouteGenericInterface, Routes = never> (this: RouteTableReceiver<Routes>, handler: RouteHandler<G, S>): VeloxInstance<S, Routes>
  setNotFoundHandler<G extends RouteGenericInterface = RouteGenericInterface, Routes = never> (
    this: RouteTableReceiver<Routes>,
    options: NotFoundHandlerOptions<S>,
    handler: RouteHandler<G, S>
  ): VeloxInstance<S, Routes>
  /** The error handler of this scope. */
  errorHandler: ErrorHandler<any, any>
  /** The factory of request loggers in force in this plugin. */
  childLoggerFactory: ChildLoggerFactory<any>
  /** Sets how this plugin's (and its children's) routes build each request's logger. */
  setChildLoggerFactory<Routes = never> (this: RouteTableReceiver<Routes>, factory: ChildLoggerFactory<S>): VeloxInstance<S, Routes>
  /** The request-id function in force in this plugin. */
  genReqId: (request: IncomingMessage | { headers: IncomingMessage['headers'] }) => string
  /** Sets the request-id function of this plugin and its children; `requestIdHeader` still wins. */
  setGenReqId<Routes = never> (this: RouteTableReceiver<Routes>, genReqId: (request: IncomingMessage) => string): VeloxInstance<S, Routes>

  // -------------------------------------------------------- content types
  addContentTypeParser: AddContentTypeParserMethod<S>
  hasContentTypeParser (contentType: string | RegExp): boolean
  removeContentTypeParser<Routes = never> (this: RouteTableReceiver<Routes>, contentType: ContentTypeMatcher): VeloxInstance<S, Routes>
  removeAllContentTypeParsers<Routes = never> (this: RouteTableReceiver<Routes>): VeloxInstance<S, Routes>
  /** The built-in JSON parser, configured for prototype poisoning. */
  getDefaultJsonParser (onProtoPoisoning: ProtoAction, onConstructorPoisoning: ProtoAction): BodyContentTypeParser<string | Buffer>
  /** The built-in `text/plain` parser. */
  defaultTextParser: BodyContentTypeParser<string>
}

/**
 * A Velox instance with state `S`: the instance interface plus the
 * decorators declared on it, and the routes `R` it has recorded (see
 * `RouteRecord`; what `velox/client` types a client from).
 *
 * @example
 * function routes (app: VeloxInstance) { app.get('/', async () => 'ok') }
 */
export type VeloxInstance<S extends InstanceState = DefaultState, R = never> =
  VeloxInstanceBase<S> & S['decorators'] & ([R] extends [never] ? unknown : RouteTableMark<R>)

/** The signature of `velox()`. */
export type VeloxFactory = (options?: VeloxServerOptions) => VeloxInstance
