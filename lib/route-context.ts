/**
 * Everything precomputed for one route at ready(): merged hook lists (null
 * when empty), compiled validators per request part, serializers per status
 * code with `2xx`/`default` fallbacks resolved, the error-handler chain, the
 * body limit, the Request/Reply classes of the route's scope.
 */
import { STATUS_CODES } from 'node:http'
import type { AppState } from './app-state.js'
import type { Scope, ErrorHandlerNode } from './scope.js'
import { requestHookNames } from './hooks.js'
import type { RequestHookName } from './hooks.js'
import type { ContentTypeParsers } from './body.js'
import { compilerFor } from './schema/compile.js'
import type { SerializeFunction, ValidateFunction, ValidatorCompiler, SerializerCompiler } from './schema/compile.js'
import type { HttpPart, SchemaErrorFormatter } from './schema/validation.js'
import { defaultSchemaErrorFormatter } from './schema/validation.js'
import { FST_ERR_SCH_SERIALIZATION_BUILD, FST_ERR_SCH_VALIDATION_BUILD } from './errors.js'
import type { Request } from './request.js'
import type { Reply } from './reply.js'
import { replyClassFor, requestClassFor } from './decorators.js'
import type { JsonSchema } from './schema/store.js'

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

/** A per-status serializer table with ranges and `default` folded in at compile time. */
interface SerializerTable {
  /** Exact status codes declared in the schema, with their resolved function. */
  byCode: Map<number, SerializeFunction>
  /** Index 1..5: the `Nxx` range, or `default`, or null. */
  byClass: Array<SerializeFunction | null>
  /** Per content type, when the schema declares `content`: status -> type -> fn. */
  byContentType: Map<string, Map<string, SerializeFunction>> | null
}

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
  serializer200: SerializeFunction | null = null

  errorHandler: ErrorHandlerNode
  bodyLimit: number
  parsers: ContentTypeParsers
  Request: RequestClass
  Reply: ReplyClass
  logLevel: string | undefined
  attachValidation: boolean
  schemaErrorFormatter: SchemaErrorFormatter
  replySerializer: ((payload: unknown, statusCode: number) => string) | null
  logRequests: boolean
  private validatorCompiler: ValidatorCompiler | null = null
  private serializerCompiler: SerializerCompiler | null = null

  constructor (app: AppState, scope: Scope, options: Record<string, any>, is404 = false) {
    this.app = app
    this.scope = scope
    this.instance = scope.instance
    this.options = options
    this.method = options.method
    this.url = options.url
    this.handler = options.handler
    this.config = { ...options.config, url: options.url, method: options.method }
    this.schema = options.schema
    this.is404 = is404
    this.ready = false
    this.routeOptions = {}
    this.errorHandler = scope.errorHandler
    this.bodyLimit = app.bodyLimit
    this.parsers = scope.parsers
    this.Request = null as unknown as RequestClass
    this.Reply = null as unknown as ReplyClass
    this.logLevel = options.logLevel
    this.attachValidation = options.attachValidation === true
    this.schemaErrorFormatter = defaultSchemaErrorFormatter
    this.replySerializer = null
    this.logRequests = false
  }

  /** Called once at ready(): merges hooks, compiles schemas, picks classes. */
  finalize (): void {
    const scope = this.scope
    const options = this.options
    const instance = this.instance
    for (const name of requestHookNames) {
      const own = options[name] as HookFn | HookFn[] | undefined
      const merged: HookFn[] = scope.hooks[name].concat(own === undefined ? [] : own)
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
    this.schemaErrorFormatter = options.schemaErrorFormatter ?? scope.schemaErrorFormatter ?? this.app.schemaErrorFormatter ?? defaultSchemaErrorFormatter
    this.replySerializer = scope.replySerializer
    this.logRequests = this.app.logRequests
    const compiler = compilerFor(scope.schemas, this.app.ajvOptions, this.app.serializerOpts)
    this.validatorCompiler = options.validatorCompiler ?? scope.validatorCompiler ?? compiler.compileValidator
    this.serializerCompiler = options.serializerCompiler ?? scope.serializerCompiler ?? compiler.compileSerializer
    this.compileSchemas()
    this.routeOptions = Object.freeze({
      method: this.method,
      url: this.url,
      bodyLimit: this.bodyLimit,
      attachValidation: this.attachValidation,
      logLevel: this.logLevel,
      exposeHeadRoute: options.exposeHeadRoute,
      prefixTrailingSlash: options.prefixTrailingSlash,
      config: this.config,
      schema: this.schema,
      handler: this.handler,
      version: options.constraints?.version
    })
    this.ready = true
  }

  private compileSchemas (): void {
    const schema = this.schema
    if (schema === undefined || schema === null) return
    const v = this.validatorCompiler as ValidatorCompiler
    const build = (part: HttpPart, s: JsonSchema | undefined): ValidateFunction | null => {
      if (s === undefined || s === null) return null
      try {
        return v({ schema: s, method: this.method, url: this.url, httpPart: part })
      } catch (err) {
        throw new FST_ERR_SCH_VALIDATION_BUILD(this.method, this.url, (err as Error).message)
      }
    }
    this.validateParams = build('params', schema.params)
    if (schema.body !== undefined && isContentMap(schema.body)) {
      this.validateBodyByType = new Map()
      for (const [type, entry] of Object.entries(schema.body.content as Record<string, { schema: JsonSchema }>)) {
        const fn = build('body', entry.schema)
        if (fn !== null) this.validateBodyByType.set(type.toLowerCase(), fn)
      }
    } else {
      this.validateBody = build('body', schema.body)
    }
    this.validateQuery = build('querystring', schema.querystring)
    this.validateHeaders = build('headers', schema.headers)
    this.hasValidation = this.validateParams !== null || this.validateBody !== null || this.validateBodyByType !== null ||
      this.validateQuery !== null || this.validateHeaders !== null
    if (schema.response !== undefined) this.compileResponse(schema.response)
  }

  private compileResponse (response: Record<string, JsonSchema>): void {
    const s = this.serializerCompiler as SerializerCompiler
    const table: SerializerTable = { byCode: new Map(), byClass: [null, null, null, null, null, null], byContentType: null }
    const build = (status: string, schema: JsonSchema, contentType?: string): SerializeFunction => {
      try {
        return s({ schema, method: this.method, url: this.url, httpStatus: status, contentType })
      } catch (err) {
        throw new FST_ERR_SCH_SERIALIZATION_BUILD(this.method, this.url, (err as Error).message)
      }
    }
    let fallback: SerializeFunction | null = null
    const ranges: Array<SerializeFunction | null> = [null, null, null, null, null, null]
    for (const key of Object.keys(response)) {
      const entry = response[key]
      let fn: SerializeFunction
      if (isContentMap(entry)) {
        table.byContentType ??= new Map()
        const perType = new Map<string, SerializeFunction>()
        for (const [type, value] of Object.entries(entry.content as Record<string, { schema: JsonSchema }>)) {
          perType.set(type.toLowerCase(), build(key, value.schema, type))
        }
        table.byContentType.set(key.toLowerCase(), perType)
        // Without a matching content type the first declared one is used.
        fn = perType.values().next().value as SerializeFunction
      } else {
        fn = build(key, entry)
      }
      if (key === 'default') fallback = fn
      else if (/^[1-5]xx$/i.test(key)) ranges[Number(key[0])] = fn
      else table.byCode.set(Number(key), fn)
    }
    for (let c = 1; c <= 5; c++) table.byClass[c] = ranges[c] ?? fallback
    this.serializers = table
    this.serializer200 = table.byCode.get(200) ?? table.byClass[2]
  }

  /** The serializer for a status (exact code, then range, then default), or null. */
  serializerFor (statusCode: number, contentType?: string): SerializeFunction | null {
    const table = this.serializers
    if (table === null) return null
    if (table.byContentType !== null && contentType !== undefined) {
      const type = contentType.split(';')[0].trim().toLowerCase()
      const keys = [String(statusCode), `${Math.floor(statusCode / 100)}xx`, 'default']
      for (const key of keys) {
        const perType = table.byContentType.get(key)
        const fn = perType?.get(type)
        if (fn !== undefined) return fn
      }
    }
    if (statusCode === 200) return this.serializer200
    return table.byCode.get(statusCode) ?? table.byClass[Math.floor(statusCode / 100)] ?? null
  }

  validatorFor (part: HttpPart): ValidateFunction | null {
    switch (part) {
      case 'params': return this.validateParams
      case 'body': return this.validateBody ?? (this.validateBodyByType?.values().next().value ?? null)
      case 'querystring': return this.validateQuery
      case 'headers': return this.validateHeaders
      default: return null
    }
  }

  compileValidation (schema: JsonSchema, httpPart?: string): ValidateFunction {
    const compile = this.validatorCompiler ?? compilerFor(this.scope.schemas, this.app.ajvOptions, this.app.serializerOpts).compileValidator
    return compile({ schema, method: this.method, url: this.url, httpPart: httpPart ?? '' })
  }

  compileSerialization (schema: JsonSchema, httpStatus?: string, contentType?: string): SerializeFunction {
    const compile = this.serializerCompiler ?? compilerFor(this.scope.schemas, this.app.ajvOptions, this.app.serializerOpts).compileSerializer
    return compile({ schema, method: this.method, url: this.url, httpStatus: httpStatus ?? '', contentType })
  }
}

function isContentMap (schema: JsonSchema): boolean {
  return schema !== null && typeof schema === 'object' && typeof schema.content === 'object' && schema.content !== null &&
    schema.type === undefined && schema.properties === undefined && schema.$ref === undefined
}

/** The reason phrase for a status, for error payloads. */
export function statusText (code: number): string {
  return STATUS_CODES[code] ?? 'Unknown'
}
