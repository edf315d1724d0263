/**
 * The Reply API. Writing payloads, streams and errors lives in send.ts and
 * error-handler.ts; this file is what users call. Every field is set in the
 * constructor (fixed shape); decorators become fields of per-scope subclasses.
 */
import type { ServerResponse } from 'node:http'
import { finished } from 'node:stream'
import { performance } from 'node:perf_hooks'
import type { Logger } from 'pino'
import type { Request } from './request.js'
import type { RouteContext } from './route-context.js'
import type { ErrorHandlerNode } from '../app/scope.js'
import { FST_ERR_BAD_STATUS_CODE, FST_ERR_DEC_UNDECLARED, FST_ERR_MISSING_CONTENTTYPE_SERIALIZATION_FN, FST_ERR_MISSING_SERIALIZATION_FN } from '../errors.js'
import { send, serializePayload } from './send.js'
import { assertValidHeaders } from './headers.js'
import { callNotFound } from './not-found.js'
import { clearHandlerTimeout } from './handler-timeout.js'
import { mediaTypeOf } from './body.js'
import { addTrailer } from './trailers.js'
import type { TrailerFn } from './trailers.js'
import type { HandlerStore } from './diagnostics.js'
import type { SerializeFunction } from '../schema/compile.js'

export class Reply {
  raw: ServerResponse
  request: Request
  log: Logger
  context: RouteContext
  /** Headers to write, lower-cased names; written once with writeHead. */
  _headers: Record<string, any>
  _hasStatus: boolean
  _isError: boolean
  _hijacked: boolean
  _serializer: ((payload: unknown) => string) | null
  /** undefined: start at the route's handler; null: every handler ran, use the fallback. */
  _nextErrorHandler: ErrorHandlerNode | null | undefined
  _runningOnError: boolean
  _startTime: number
  /** `reply.trailer()` functions by lower-cased name (undefined once removed); null when none. */
  _trailers: Record<string, TrailerFn | undefined> | null
  /** The diagnostics_channel message of the handler's trace, while someone subscribes; else null. */
  _diagnostics: HandlerStore | null

  constructor (raw: ServerResponse, request: Request, log: Logger) {
    this.raw = raw
    this.request = request
    this.log = log
    this.context = request.context
    this._headers = {}
    this._hasStatus = false
    this._isError = false
    this._hijacked = false
    this._serializer = null
    this._nextErrorHandler = undefined
    this._runningOnError = false
    this._startTime = performance.now()
    this._trailers = null
    this._diagnostics = null
  }

  get server (): any {
    return this.context.instance
  }

  get routeOptions (): Readonly<Record<string, any>> {
    return this.context.routeOptions
  }

  get statusCode (): number {
    return this.raw.statusCode
  }

  set statusCode (code: number) {
    this.code(code)
  }

  /** Sets the status code (100-599). */
  code (code: number): this {
    const n = Number(code)
    if (!(n >= 100 && n <= 599)) throw new FST_ERR_BAD_STATUS_CODE(String(code))
    // As in Fastify, a fraction is accepted: Node sends its integer part (404.5 is sent as 404).
    // Velox keeps the integer at once, so reply.statusCode and hooks see the status that is sent.
    this.raw.statusCode = Math.trunc(n)
    this._hasStatus = true
    return this
  }

  status (code: number): this {
    return this.code(code)
  }

  get sent (): boolean {
    return this._hijacked || this.raw.writableEnded
  }

  get elapsedTime (): number {
    return performance.now() - this._startTime
  }

  header (name: string, value: unknown = ''): this {
    const key = name.toLowerCase()
    if (key === 'set-cookie') {
      const current = this._headers[key]
      if (current === undefined) this._headers[key] = value
      else this._headers[key] = ([] as unknown[]).concat(current, value)
      return this
    }
    this._headers[key] = value
    return this
  }

  headers (headers: Record<string, unknown>): this {
    for (const name of Object.keys(headers)) this.header(name, headers[name])
    return this
  }

  getHeader (name: string): any {
    const key = name.toLowerCase()
    const value = this._headers[key]
    return value !== undefined ? value : this.raw.getHeader(key)
  }

  getHeaders (): Record<string, any> {
    return { ...this.raw.getHeaders(), ...this._headers }
  }

  hasHeader (name: string): boolean {
    const key = name.toLowerCase()
    return this._headers[key] !== undefined || this.raw.hasHeader(key)
  }

  removeHeader (name: string): this {
    const key = name.toLowerCase()
    delete this._headers[key]
    // Once the headers are out (a hijacked reply that flushed them), there is nothing to remove
    // and Node would throw ERR_HTTP_HEADERS_SENT; Fastify's removeHeader does not throw there.
    if (!this.raw.headersSent && this.raw.hasHeader(key)) this.raw.removeHeader(key)
    return this
  }

  /**
   * Sends a trailer field after the body: `fn(reply, payload, done)` answers its value through
   * `done(err, value)` or a returned promise. Framing and content fields (`content-length`,
   * `content-type`, `set-cookie`, `trailer`...) are refused with FST_ERR_BAD_TRAILER_NAME.
   *
   * @example
   * reply.trailer('server-timing', async () => `db;dur=${elapsed}`)
   * reply.trailer('content-md5', (reply, payload, done) => { done(null, md5(payload)) })
   */
  trailer (name: string, fn: TrailerFn): this {
    addTrailer(this, name, fn)
    return this
  }

  hasTrailer (name: string): boolean {
    return this._trailers?.[name.toLowerCase()] !== undefined
  }

  removeTrailer (name: string): this {
    if (this._trailers !== null) this._trailers[name.toLowerCase()] = undefined
    return this
  }

  /** The `type/subtype` of the Content-Type set so far, lower-cased, without parameters; undefined when none. */
  get mediaType (): string | undefined {
    const header: unknown = this.getHeader('content-type')
    return mediaTypeOf(header === undefined ? undefined : String(header))
  }

  type (contentType: string): this {
    this._headers['content-type'] = contentType
    return this
  }

  /** Uses `fn` instead of the route's serializers for this reply. */
  serializer (fn: (payload: unknown) => string): this {
    this._serializer = fn
    return this
  }

  /** Serializes with the route's serializer for the current status (or a custom one). */
  serialize (payload: unknown): string | undefined {
    return serializePayload(this, payload)
  }

  /**
   * The serializer compiled for a response key exactly as declared (`200`,
   * `'2xx'`, `'default'`; with `contentType` for `content` maps), or the one
   * `compileSerializationSchema` compiled earlier for this schema object.
   */
  getSerializationFunction (schemaOrStatus: string | number | Record<string, unknown>, contentType?: string): SerializeFunction | undefined {
    if (typeof schemaOrStatus === 'object') return schemaOrStatus === null ? undefined : this.context.cachedSerialization(schemaOrStatus)
    return this.context.serializerForKey(String(schemaOrStatus), contentType) ?? undefined
  }

  compileSerializationSchema (schema: Record<string, unknown>, httpStatus?: string | number, contentType?: string): SerializeFunction {
    return this.context.compileSerialization(schema, httpStatus === undefined ? undefined : String(httpStatus), contentType)
  }

  /**
   * Serializes `input` with the route's serializer for a response key (`200`, `'4xx'`, with a
   * content type for `content` maps), or with one compiled for `schema` (once per schema
   * object). A status the route has no serializer for throws FST_ERR_MISSING_SERIALIZATION_FN
   * (FST_ERR_MISSING_CONTENTTYPE_SERIALIZATION_FN with a content type). As Fastify's.
   *
   * @example
   * reply.serializeInput({ id: 1 }, 201)
   * reply.serializeInput({ id: 1 }, { type: 'object', properties: { id: { type: 'integer' } } })
   */
  serializeInput (input: unknown, schemaOrStatus: string | number | Record<string, unknown>, httpStatus?: string | number, contentType?: string): string {
    // Fastify's argument shifting: (input, status, contentType) as well as (input, schema, status, contentType).
    const byStatus = typeof schemaOrStatus === 'string' || typeof schemaOrStatus === 'number'
    const status = byStatus ? schemaOrStatus : httpStatus
    const type = byStatus ? httpStatus as string | undefined : contentType
    if (status !== undefined && status !== null) {
      const serialize = this.getSerializationFunction(status, type)
      if (serialize !== undefined) return serialize(input)
      if (type !== undefined && type !== null) throw new FST_ERR_MISSING_CONTENTTYPE_SERIALIZATION_FN(String(status), type)
      throw new FST_ERR_MISSING_SERIALIZATION_FN(String(status))
    }
    const schema = schemaOrStatus as Record<string, unknown>
    return (this.getSerializationFunction(schema) ?? this.compileSerializationSchema(schema))(input)
  }

  send (payload?: unknown): this {
    send(this, payload)
    return this
  }

  /**
   * Redirects to `url` with 302 (or the status already set). Both Fastify 5's
   * `redirect(url, code)` and the older `redirect(code, url)` are accepted.
   */
  redirect (urlOrCode: string | number, codeOrUrl?: number | string): this {
    let url = urlOrCode as string
    let code = codeOrUrl as number | undefined
    if (typeof urlOrCode === 'number') {
      code = urlOrCode
      url = codeOrUrl as string
    }
    if (code === undefined) code = this._hasStatus ? this.raw.statusCode : 302
    return this.header('location', url).code(code).send()
  }

  /**
   * Sends a 103 Early Hints response ahead of the real one (RFC 8297), e.g.
   * `reply.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' })`.
   */
  writeEarlyHints (hints: Record<string, string | string[]>, callback?: () => void): this {
    assertValidHeaders(hints, this.request.raw.httpVersionMajor === 2)
    this.raw.writeEarlyHints(hints, callback)
    return this
  }

  /** Tells Velox the handler writes the response itself through `reply.raw`. */
  hijack (): this {
    this._hijacked = true
    // The handler owns the response now, however long it takes (as in Fastify).
    if (this.request._timeout !== null) clearHandlerTimeout(this)
    return this
  }

  callNotFound (): this {
    callNotFound(this.request, this)
    return this
  }

  /** A decorator's value (functions bound to this reply); FST_ERR_DEC_UNDECLARED when there is none. */
  getDecorator (name: string): unknown {
    if (!(name in this)) throw new FST_ERR_DEC_UNDECLARED(name, 'reply')
    const value = (this as any)[name]
    return typeof value === 'function' ? value.bind(this) : value
  }

  /** Resolves when the response has been fully written (Fastify's `reply.then`). */
  then (fulfilled?: () => void, rejected?: (err: Error) => void): void {
    const onDone = (): void => { if (typeof fulfilled === 'function') fulfilled() }
    if (this.sent) {
      onDone()
      return
    }
    finished(this.raw, (err) => {
      if (err != null && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        if (typeof rejected === 'function') rejected(err)
        else this.log.warn({ err }, 'unhandled rejection on reply.then')
      } else {
        onDone()
      }
    })
  }
}
