/**
 * The Request class. Every field is set in the one constructor so that all
 * requests share a hidden class; decorators become fields of per-scope
 * subclasses built at ready() (see decorators.ts). Views that cost something
 * (ip with a trusted proxy, the abort signal) are computed on access.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Logger } from 'pino'
import type { RouteContext } from './route-context.js'
import type { HttpPart } from '../schema/validation.js'
import type { ValidateFunction } from '../schema/compile.js'
import { FST_ERR_REQ_INVALID_VALIDATION_INVOCATION, FST_ERR_DEC_UNDECLARED } from '../errors.js'
import { type HandlerTimeout, kOnAbort, kTimeoutTimer } from './handler-timeout.js'
import { mediaTypeOf } from './body.js'

export class Request {
  id: string
  params: Record<string, string>
  raw: IncomingMessage
  query: Record<string, unknown>
  headers: Record<string, any>
  log: Logger
  body: unknown
  validationError: Error | undefined
  context: RouteContext
  /** Set when a preParsing hook replaced the body stream. */
  payloadStream: NodeJS.ReadableStream | null
  /** The abort controller behind `signal`: made on first access, or up front by handlerTimeout. */
  _signal: AbortController | null
  /** The route's handlerTimeout timer, null when the route has none. */
  _timeout: HandlerTimeout | null
  private readonly _res: ServerResponse

  constructor (id: string, params: Record<string, string>, raw: IncomingMessage, query: Record<string, unknown>, log: Logger, context: RouteContext, res: ServerResponse) {
    this.id = id
    this.params = params
    this.raw = raw
    this.query = query
    this.headers = raw.headers
    this.log = log
    this.body = undefined
    this.validationError = undefined
    this.context = context
    this.payloadStream = null
    this._signal = null
    this._timeout = null
    this._res = res
  }

  get url (): string {
    return this.raw.url as string
  }

  get originalUrl (): string {
    return (this.raw as IncomingMessage & { originalUrl?: string }).originalUrl ?? (this.raw.url as string)
  }

  /** The `type/subtype` of the request's Content-Type, lower-cased, without parameters; undefined when absent or invalid. */
  get mediaType (): string | undefined {
    return mediaTypeOf(this.headers['content-type'])
  }

  get method (): string {
    return this.raw.method as string
  }

  get server (): any {
    return this.context.instance
  }

  get routeOptions (): Readonly<Record<string, any>> {
    return this.context.routeOptions
  }

  get is404 (): boolean {
    return this.context.is404
  }

  get socket (): Socket {
    return this.raw.socket
  }

  get ip (): string | undefined {
    const trust = this.context.app.trustProxy
    if (trust !== null) return trust.address(this.raw)
    return this.raw.socket?.remoteAddress
  }

  get ips (): string[] | undefined {
    const trust = this.context.app.trustProxy
    if (trust !== null) return trust.all(this.raw)
    return undefined
  }

  get host (): string {
    const trust = this.context.app.trustProxy
    if (trust !== null) {
      const forwarded = this.headers['x-forwarded-host']
      if (forwarded !== undefined && trust.trusted(this.raw)) return lastValue(forwarded)
    }
    return this.headers.host ?? this.headers[':authority'] ?? ''
  }

  get hostname (): string {
    const host = this.host
    // IPv6 literals keep their brackets: [::1]:3000 -> [::1]
    if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1)
    const colon = host.indexOf(':')
    return colon === -1 ? host : host.slice(0, colon)
  }

  get port (): number | null {
    // The port the client addressed, from the Host header; null when it names none (as in Fastify).
    const match = /:(\d+)$/.exec(this.host)
    return match === null ? null : Number.parseInt(match[1], 10)
  }

  get protocol (): 'http' | 'https' {
    const trust = this.context.app.trustProxy
    if (trust !== null) {
      const forwarded = this.headers['x-forwarded-proto']
      if (forwarded !== undefined && trust.trusted(this.raw)) return lastValue(forwarded).trim() === 'https' ? 'https' : 'http'
    }
    return (this.raw.socket as Socket & { encrypted?: boolean })?.encrypted === true ? 'https' : 'http'
  }

  /** The pending handlerTimeout timer (null once cleared; undefined without a timeout), as Fastify's kTimeoutTimer. */
  get [kTimeoutTimer] (): NodeJS.Timeout | null | undefined {
    return this._timeout?.timer
  }

  /** The pending disconnect listener of handlerTimeout, as Fastify's kOnAbort. */
  get [kOnAbort] (): (() => void) | null | undefined {
    return this._timeout?.onAbort
  }

  /**
   * Aborts when the client goes away before the response is complete, or when
   * the route's handlerTimeout fires (the reason is then FST_ERR_HANDLER_TIMEOUT).
   */
  get signal (): AbortSignal {
    if (this._signal === null) {
      const controller = new AbortController()
      this._signal = controller
      const res = this._res
      // writableEnded (end() was called), not writableFinished: responses that never
      // touch a socket (inject) close without ever reporting finished.
      if (res.writableEnded) return controller.signal
      res.once('close', () => {
        if (!res.writableEnded) controller.abort()
      })
    }
    return this._signal.signal
  }

  /**
   * The route's validator for a part (`body`, `querystring` or `query`,
   * `params`, `headers`), or the one `compileValidationSchema` compiled earlier
   * for this schema object; undefined otherwise.
   */
  getValidationFunction (partOrSchema: HttpPart | 'query' | Record<string, unknown>): ValidateFunction | undefined {
    if (typeof partOrSchema === 'string') return this.context.validatorFor(partOrSchema) ?? undefined
    if (partOrSchema !== null && typeof partOrSchema === 'object') return this.context.cachedValidation(partOrSchema)
    return undefined
  }

  /** Compiles a schema with the route's validator compiler, once per schema object. */
  compileValidationSchema (schema: Record<string, unknown>, httpPart?: HttpPart): ValidateFunction {
    return this.context.compileValidation(schema, httpPart)
  }

  /**
   * Validates `input` as Fastify does: with the route's validator for the named
   * part when it has one (`validateInput(data, 'body')`, or a part given as
   * third argument), otherwise with the given schema, compiled once.
   */
  validateInput (input: unknown, schemaOrPart: HttpPart | 'query' | Record<string, unknown>, httpPart?: HttpPart): boolean | unknown {
    const part = typeof schemaOrPart === 'string' ? schemaOrPart : httpPart
    let validate: ValidateFunction | null | undefined = typeof part === 'string' ? this.context.validatorFor(part) : null
    if (validate == null) {
      if (schemaOrPart === null || typeof schemaOrPart !== 'object' || Array.isArray(schemaOrPart)) {
        throw new FST_ERR_REQ_INVALID_VALIDATION_INVOCATION(part)
      }
      validate = this.context.compileValidation(schemaOrPart, httpPart)
    }
    return validate(input)
  }

  /** A decorator's value (functions bound to this request); FST_ERR_DEC_UNDECLARED when there is none. */
  getDecorator (name: string): unknown {
    if (!(name in this)) throw new FST_ERR_DEC_UNDECLARED(name, 'request')
    const value = (this as any)[name]
    return typeof value === 'function' ? value.bind(this) : value
  }

  /** Sets a declared decorator's value; FST_ERR_DEC_UNDECLARED catches a misspelt name. */
  setDecorator (name: string, value: unknown): void {
    if (!(name in this)) throw new FST_ERR_DEC_UNDECLARED(name, 'request')
    ;(this as any)[name] = value
  }
}

function lastValue (value: string | string[]): string {
  const joined = Array.isArray(value) ? value.join(',') : value
  const comma = joined.lastIndexOf(',')
  return (comma === -1 ? joined : joined.slice(comma + 1)).trim()
}
