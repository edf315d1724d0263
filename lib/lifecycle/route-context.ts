/**
 * Everything precomputed for one route at ready(): merged hook lists (null
 * when empty), compiled validators per request part, serializers per status
 * code with `2xx`/`default` fallbacks resolved, the error-handler chain, the
 * body limit, the Request/Reply classes of the route's scope.
 */
import type { AppState, ChildLoggerFactory, GenReqId } from '../app/app-state.js'
import type { Scope, ErrorHandlerNode } from '../app/scope.js'
import { requestHookNames } from '../app/hooks.js'
import type { RequestHookName } from '../app/hooks.js'
import type { ContentTypeParsers } from './body.js'
import { compilersFor } from '../schema/compile.js'
import type { BucketCompilers, SerializeFunction, ValidateFunction, ValidatorCompiler, SerializerCompiler } from '../schema/compile.js'
import type { HttpPart, SchemaErrorFormatter } from '../schema/validation.js'
import { defaultSchemaErrorFormatter } from '../schema/validation.js'
import { isContentMap, isPlainSchema, lowerCaseHeaderNames } from '../schema/normalize.js'
import { standardSourceOf, standardValidatorOf } from '../schema/standard-schema.js'
import { codeSourcesFor } from '../schema/code-sources.js'
import {
  FST_ERR_SCH_SERIALIZATION_BUILD, FST_ERR_SCH_VALIDATION_BUILD, FST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX
} from '../errors.js'
import type { Request } from './request.js'
import type { Reply } from './reply.js'
import { replyClassFor, requestClassFor } from '../app/decorators.js'
import { headRouteOnSendHandler } from './head-route.js'
import type { JsonSchema } from '../schema/store.js'

type HookFn = (...args: any[]) => any
type RequestClass = new (...args: any[]) => Request
type ReplyClass = new (...args: any[]) => Reply

export interface RouteSchema {
  body?: JsonSchema
  querystring?: JsonSchema
  params?: JsonSchema
  headers?: JsonSchema
  response?: Record<string, JsonSchema>
  [key: string]: unknown
}

/** The serializers of one response key declared with a `content` map, by media type. */
interface ContentSerializers {
  byType: Map<string, SerializeFunction>
  /** The `*\/*` entry, used when no media type matches. */
  any: SerializeFunction | null
}

/** What one response key compiles to: a serializer, or serializers per media type. */
type ResponseEntry = SerializeFunction | ContentSerializers

/**
 * A per-status serializer table with ranges and `default` folded in at compile
 * time. As in Fastify, the most specific declared key wins (201, then 2xx,
 * then default); when that key has a `content` map, the reply's media type
 * picks the serializer (then `*\/*`), and no match means JSON.stringify.
 */
interface SerializerTable {
  /** Exact status codes declared in the schema. */
  byCode: Map<number, ResponseEntry>
  /** Index 1..5: the `Nxx` range, or `default`, or null. */
  byClass: Array<ResponseEntry | null>
  /** Every key as declared (lower-cased), for `reply.getSerializationFunction()`. */
  byKey: Map<string, ResponseEntry>
}

/** Response keys Fastify accepts: 100-599, `1xx`-`5xx`, `default`. */
const responseKeyPattern = /^[1-5](?:\d{2}|xx)$|^default$/

export class RouteContext {
  readonly app: AppState
  readonly scope: Scope
  instance: any
  method: string
  url: string
  handler: HookFn
  config: Record<string, any>
  schema: RouteSchema | undefined
  routeOptions: Record<string, any>
  options: Record<string, any>
  is404: boolean
  ready: boolean
  /**
   * False until the route's validators and serializers are compiled: at ready() when compiling
   * eagerly, else on the route's first request or by the warm-up after listen() (warm-up.ts).
   * The pipeline checks it once per request (pipeline.ts, handleRequest).
   */
  compiled: boolean

  onRequest: HookFn[] | null = null
  preParsing: HookFn[] | null = null
  preValidation: HookFn[] | null = null
  preHandler: HookFn[] | null = null
  preSerialization: HookFn[] | null = null
  onSend: HookFn[] | null = null
  onResponse: HookFn[] | null = null
  onError: HookFn[] | null = null
  onTimeout: HookFn[] | null = null
  onRequestAbort: HookFn[] | null = null

  validateParams: ValidateFunction | null = null
  validateBody: ValidateFunction | null = null
  validateQuery: ValidateFunction | null = null
  validateHeaders: ValidateFunction | null = null
  /** Body validators per content type (schema.body.content), else null. */
  validateBodyByType: Map<string, ValidateFunction> | null = null
  hasValidation = false
  serializers: SerializerTable | null = null
  /** The entry for status 200, resolved at compile time: most replies take this path. */
  response200: ResponseEntry | null = null

  errorHandler: ErrorHandlerNode
  bodyLimit: number
  parsers: ContentTypeParsers
  Request: RequestClass
  Reply: ReplyClass
  logLevel: string | undefined
  logSerializers: Record<string, (value: any) => unknown> | undefined
  /** The request-id function of the route's scope (`setGenReqId`). */
  genReqId: GenReqId
  /** The route's `childLoggerFactory`, else its scope's; null for Velox's default. */
  childLoggerFactory: ChildLoggerFactory | null
  attachValidation: boolean
  schemaErrorFormatter: SchemaErrorFormatter
  replySerializer: ((payload: unknown, statusCode: number) => string) | null
  logRequests: boolean
  /** Milliseconds the route has to send its reply (route option, else the server's); 0: no limit. */
  handlerTimeout: number
  private validatorCompiler: ValidatorCompiler | null = null
  private serializerCompiler: SerializerCompiler | null = null
  /** Header names are lower-cased only for the default (Ajv) validator, as in Fastify. */
  private customValidator = false
  /** Validators and serializers compiled on request (`compileValidationSchema`...), by schema object. */
  private requestValidators: WeakMap<object, ValidateFunction> | null = null
  private requestSerializers: WeakMap<object, SerializeFunction> | null = null

  constructor (app: AppState, scope: Scope, options: Record<string, any>, is404 = false) {
    this.app = app
    this.scope = scope
    this.instance = scope.instance
    this.options = options
    this.method = options.method
    this.url = options.url
    this.handler = options.handler
    // As in Fastify: the route's method as declared (an array for a multi-method route), its URL
    // as declared (before onRoute hooks), the prefix alone for the `/prefix/` twin of a prefixed
    // `/` route, and neither for a 404 handler.
    this.config = is404 ? { ...options.config } : { ...options.config, url: options.configUrl ?? options.url, method: options.configMethod ?? options.method }
    this.schema = options.schema
    this.is404 = is404
    this.ready = false
    this.compiled = false
    this.routeOptions = {}
    this.errorHandler = scope.errorHandler
    this.bodyLimit = app.bodyLimit
    this.parsers = scope.parsers
    this.Request = null as unknown as RequestClass
    this.Reply = null as unknown as ReplyClass
    this.logLevel = options.logLevel
    this.logSerializers = undefined
    // Set by finalize() at ready(), before any request: looking it up here too cost every route a walk of its scopes.
    this.genReqId = null as unknown as GenReqId
    this.childLoggerFactory = null
    this.attachValidation = options.attachValidation === true
    this.schemaErrorFormatter = defaultSchemaErrorFormatter
    this.replySerializer = null
    this.logRequests = false
    this.handlerTimeout = 0
  }

  /**
   * Called once at ready(): merges hooks, picks compilers and classes, and compiles the
   * schemas when `compileNow` (eager compilation, whose errors fail ready()); otherwise the
   * schemas wait for `compileOnDemand()`.
   */
  finalize (compileNow = true): void {
    const scope = this.scope
    const options = this.options
    const instance = this.instance
    for (const name of requestHookNames) {
      const inherited = scope.hooks[name]
      const own = options[name] as HookFn | HookFn[] | undefined
      const autoHead = name === 'onSend' && options.isAutoHead === true
      // Most routes have no hook of most kinds: no arrays made for those (10,000 routes: 200,000 fewer).
      if (inherited.length === 0 && own === undefined && !autoHead) continue
      let merged: HookFn[] = own === undefined ? inherited : inherited.concat(own)
      if (autoHead) merged = [...merged, headRouteOnSendHandler]
      this[name as RequestHookName] = merged.length === 0 ? null : merged.map((fn) => fn.bind(instance))
    }
    this.errorHandler = typeof options.errorHandler === 'function'
      ? { fn: options.errorHandler, instance, parent: scope.errorHandler }
      : scope.errorHandler
    this.bodyLimit = options.bodyLimit ?? this.app.bodyLimit
    this.parsers = scope.parsers
    this.Request = requestClassFor(scope)
    this.Reply = replyClassFor(scope)
    this.logLevel = options.logLevel ?? scope.logLevel
    // The plugin's serializers, overridden one by one by the route's, as in Fastify.
    this.logSerializers = scope.logSerializers !== undefined || options.logSerializers !== undefined
      ? { ...scope.logSerializers, ...options.logSerializers }
      : undefined
    this.genReqId = scope.genReqIdOf()
    this.childLoggerFactory = typeof options.childLoggerFactory === 'function' ? options.childLoggerFactory : scope.childLoggerFactoryOf()
    this.schemaErrorFormatter = options.schemaErrorFormatter ?? scope.schemaErrorFormatter ?? this.app.schemaErrorFormatter ?? defaultSchemaErrorFormatter
    // Not-found answers are serialized without setReplySerializer's function, as in Fastify
    // (its not-found contexts carry no reply serializer): a custom serializer shapes route payloads.
    this.replySerializer = this.is404 ? null : scope.replySerializer
    this.logRequests = this.app.logRequests
    // Not-found handlers have no timeout, as in Fastify.
    this.handlerTimeout = this.is404 ? 0 : options.handlerTimeout ?? this.app.handlerTimeout
    this.selectCompilers()
    if (compileNow) {
      this.compileSchemas()
      this.compiled = true
    }
    this.routeOptions = Object.freeze({
      method: this.config.method,
      url: this.config.url,
      bodyLimit: this.bodyLimit,
      attachValidation: this.attachValidation,
      // Resolved values, as Fastify reports them: '' means the inherited level.
      logLevel: this.logLevel ?? '',
      exposeHeadRoute: options.exposeHeadRoute ?? this.app.exposeHeadRoutes,
      prefixTrailingSlash: options.prefixTrailingSlash ?? 'both',
      config: this.config,
      schema: this.schema,
      handler: this.handler,
      version: options.constraints?.version,
      handlerTimeout: this.handlerTimeout
    })
    this.ready = true
  }

  /**
   * Compiles the route's validators and serializers (or loads them from the schema cache) on
   * its first request, or from the warm-up after listen(). A schema that does not compile
   * cannot fail ready() any more, so it fails loudly instead: the error is logged once at
   * error level with the route, and every request to the route answers it, a 500 with the
   * schema error's code (FST_ERR_SCH_VALIDATION_BUILD or FST_ERR_SCH_SERIALIZATION_BUILD),
   * through the route's hooks and error handlers as a handler's error would.
   */
  compileOnDemand (): void {
    if (this.compiled) return
    this.compiled = true
    try {
      this.compileSchemas()
    } catch (err) {
      this.validateParams = this.validateBody = this.validateQuery = this.validateHeaders = null
      this.validateBodyByType = null
      this.hasValidation = false
      this.serializers = null
      this.response200 = null
      this.handler = function schemaBuildFailed () { throw err }
      this.app.logger.error({ err, route: { method: this.method, url: this.url } },
        `route ${this.method} ${this.url} answers 500: its schema failed to compile`)
    }
  }

  /**
   * Picks the compilers as Fastify does: the route's `validatorCompiler` /
   * `serializerCompiler`, then the scope's `setValidatorCompiler` /
   * `setSerializerCompiler`, then the scope's schema controller (Ajv and
   * fast-json-stringify over the scope's shared schemas unless
   * `compilersFactory` replaces them).
   */
  private selectCompilers (): void {
    const options = this.options
    const scope = this.scope
    const compilers = this.bucketCompilers()
    const routeValidator = options.validatorCompiler as ValidatorCompiler | undefined
    this.customValidator = typeof routeValidator === 'function' || scope.validatorCompiler !== null || compilers.customValidator
    const schema = this.schema
    if (schema === undefined || schema === null) return
    if (schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined || schema.headers !== undefined) {
      this.validatorCompiler = routeValidator ?? scope.validatorCompiler ?? compilers.getValidator()
    }
    if (schema.response !== undefined) {
      this.serializerCompiler = options.serializerCompiler ?? scope.serializerCompiler ?? compilers.getSerializer()
    }
  }

  private bucketCompilers (): BucketCompilers {
    const scope = this.scope
    return compilersFor(scope.schemas, scope.schemaController, this.app.ajvOptions, this.app.serializerOpts, codeSourcesFor(this.app.options))
  }

  private compileSchemas (): void {
    const schema = this.schema
    if (schema === undefined || schema === null) return
    const v = this.validatorCompiler as ValidatorCompiler
    const build = (part: HttpPart, s: JsonSchema | undefined, contentType?: string): ValidateFunction | null => {
      if (s === undefined) return null
      // A custom validatorCompiler compiles a Standard Schema library's object itself (Fastify's
      // Joi and Yup recipes); otherwise the library validates, unless its JSON Schema is faithful.
      const source = this.customValidator ? standardSourceOf(s) : null
      const standard = source === null ? standardValidatorOf(s) : null
      if (standard !== null) return standard
      try {
        return v({ schema: source ?? s, method: this.method, url: this.url, httpPart: part, contentType })
      } catch (err) {
        throw new FST_ERR_SCH_VALIDATION_BUILD(this.method, this.url, (err as Error).message)
      }
    }
    let headers = schema.headers
    if (headers !== undefined && !this.customValidator && isPlainSchema(headers) && standardValidatorOf(headers) === null) headers = lowerCaseHeaderNames(headers)
    this.validateHeaders = build('headers', headers)
    if (isContentMap(schema.body)) {
      this.validateBodyByType = new Map()
      for (const [type, entry] of Object.entries(schema.body.content)) {
        const fn = build('body', entry.schema, type)
        if (fn !== null) this.validateBodyByType.set(type.toLowerCase(), fn)
      }
    } else {
      this.validateBody = build('body', schema.body)
    }
    this.validateQuery = build('querystring', schema.querystring)
    this.validateParams = build('params', schema.params)
    this.hasValidation = this.validateParams !== null || this.validateBody !== null || this.validateBodyByType !== null ||
      this.validateQuery !== null || this.validateHeaders !== null
    if (schema.response !== undefined && schema.response !== null) this.compileResponse(schema.response)
  }

  private compileResponse (response: Record<string, JsonSchema>): void {
    const s = this.serializerCompiler as SerializerCompiler
    const table: SerializerTable = { byCode: new Map(), byClass: [null, null, null, null, null, null], byKey: new Map() }
    const build = (status: string, schema: JsonSchema, contentType?: string): SerializeFunction => {
      return s({ schema, method: this.method, url: this.url, httpStatus: status, contentType })
    }
    let fallback: ResponseEntry | null = null
    const ranges: Array<ResponseEntry | null> = [null, null, null, null, null, null]
    try {
      for (const declared of Object.keys(response)) {
        const key = declared.toLowerCase()
        if (!responseKeyPattern.test(key)) throw new FST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX()
        const schema = response[declared]
        let entry: ResponseEntry
        if (isContentMap(schema)) {
          const byType = new Map<string, SerializeFunction>()
          for (const [type, value] of Object.entries(schema.content)) {
            byType.set(type.toLowerCase(), build(key, value.schema, type))
          }
          entry = { byType, any: byType.get('*/*') ?? null }
        } else {
          entry = build(key, schema)
        }
        table.byKey.set(key, entry)
        if (key === 'default') fallback = entry
        else if (key[1] === 'x') ranges[Number(key[0])] = entry
        else table.byCode.set(Number(key), entry)
      }
    } catch (err) {
      throw new FST_ERR_SCH_SERIALIZATION_BUILD(this.method, this.url, (err as Error).message)
    }
    for (let c = 1; c <= 5; c++) table.byClass[c] = ranges[c] ?? fallback
    this.serializers = table
    this.response200 = table.byCode.get(200) ?? table.byClass[2]
  }

  /**
   * The serializer for a status (exact code, then range, then default) and,
   * when that key has a `content` map, for the media type; null when none
   * applies (the payload is then JSON.stringify'd).
   */
  serializerFor (statusCode: number, contentType?: string): SerializeFunction | null {
    const table = this.serializers
    if (table === null) return null
    const entry = statusCode === 200
      ? this.response200
      : table.byCode.get(statusCode) ?? table.byClass[(statusCode / 100) | 0] ?? null
    if (entry === null || typeof entry === 'function') return entry
    return contentSerializer(entry, contentType)
  }

  /** The serializer compiled for a response key exactly as declared (`reply.getSerializationFunction`). */
  serializerForKey (key: string, contentType?: string): SerializeFunction | null {
    const entry = this.serializers?.byKey.get(key.toLowerCase()) ?? null
    if (entry === null) return null
    if (typeof entry === 'function') return contentType === undefined ? entry : null
    if (contentType === undefined) return null
    return entry.byType.get(contentType.toLowerCase()) ?? null
  }

  validatorFor (part: string): ValidateFunction | null {
    switch (part) {
      case 'params': return this.validateParams
      case 'body': return this.validateBody ?? (this.validateBodyByType?.values().next().value ?? null)
      case 'query':
      case 'querystring': return this.validateQuery
      case 'headers': return this.validateHeaders
      default: return null
    }
  }

  /** A validator compiled earlier by `compileValidation` for this schema object. */
  cachedValidation (schema: JsonSchema): ValidateFunction | undefined {
    return this.requestValidators?.get(schema)
  }

  /** A serializer compiled earlier by `compileSerialization` for this schema object. */
  cachedSerialization (schema: JsonSchema): SerializeFunction | undefined {
    return this.requestSerializers?.get(schema)
  }

  /** Compiles (once per schema object) with the route's validator compiler, as `request.compileValidationSchema`. */
  compileValidation (schema: JsonSchema, httpPart?: string): ValidateFunction {
    const hit = this.requestValidators?.get(schema)
    if (hit !== undefined) return hit
    const compile = this.validatorCompiler ?? this.options.validatorCompiler ?? this.scope.validatorCompiler ?? this.bucketCompilers().getValidator()
    const fn = compile({ schema, method: this.method, url: this.url, httpPart: httpPart ?? (null as unknown as string) })
    this.requestValidators ??= new WeakMap()
    this.requestValidators.set(schema, fn)
    return fn
  }

  /** Compiles (once per schema object) with the route's serializer compiler, as `reply.compileSerializationSchema`. */
  compileSerialization (schema: JsonSchema, httpStatus?: string, contentType?: string): SerializeFunction {
    const hit = this.requestSerializers?.get(schema)
    if (hit !== undefined) return hit
    const compile = this.serializerCompiler ?? this.options.serializerCompiler ?? this.scope.serializerCompiler ?? this.bucketCompilers().getSerializer()
    const fn = compile({ schema, method: this.method, url: this.url, httpStatus: httpStatus ?? (null as unknown as string), contentType })
    this.requestSerializers ??= new WeakMap()
    this.requestSerializers.set(schema, fn)
    return fn
  }
}

/** The serializer of a `content` map for a Content-Type header value, else `*\/*`, else null. */
function contentSerializer (entry: ContentSerializers, contentType: string | undefined): SerializeFunction | null {
  if (contentType === undefined) return entry.any
  const semi = contentType.indexOf(';')
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
  return entry.byType.get(type) ?? entry.any
}
