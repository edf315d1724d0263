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
import type { HttpPart } from './schema/validation.js'
import type { ValidateFunction } from './schema/compile.js'
import { FST_ERR_REQ_INVALID_VALIDATION_INVOCATION } from './errors.js'

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
  private _signal: AbortController | null
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
    this._res = res
  }

  get url (): string {
    return this.raw.url as string
  }

  get originalUrl (): string {
    return (this.raw as IncomingMessage & { originalUrl?: string }).originalUrl ?? (this.raw.url as string)
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
    const host = this.host
    const portMatch = host.startsWith('[') ? host.slice(host.indexOf(']') + 1) : host.slice(host.indexOf(':') === -1 ? host.length : host.indexOf(':'))
    if (portMatch.startsWith(':')) {
      const port = Number(portMatch.slice(1))
      if (Number.isInteger(port)) return port
    }
    return this.raw.socket?.localPort ?? null
  }

  get protocol (): 'http' | 'https' {
    const trust = this.context.app.trustProxy
    if (trust !== null) {
      const forwarded = this.headers['x-forwarded-proto']
      if (forwarded !== undefined && trust.trusted(this.raw)) return lastValue(forwarded).trim() === 'https' ? 'https' : 'http'
    }
    return (this.raw.socket as Socket & { encrypted?: boolean })?.encrypted === true ? 'https' : 'http'
  }

  /** Aborts when the client goes away before the response is complete. */
  get signal (): AbortSignal {
    if (this._signal === null) {
      const controller = new AbortController()
      this._signal = controller
      const res = this._res
      if (res.writableFinished) return controller.signal
      res.once('close', () => {
        if (!res.writableFinished) controller.abort()
      })
    }
    return this._signal.signal
  }

  /** The compiled validator of this route for a part, or one compiled from a schema. */
  getValidationFunction (partOrSchema: HttpPart | Record<string, unknown>): ValidateFunction | undefined {
    if (typeof partOrSchema === 'string') return this.context.validatorFor(partOrSchema) ?? undefined
    return this.context.compileValidation(partOrSchema)
  }

  compileValidationSchema (schema: Record<string, unknown>, httpPart?: HttpPart): ValidateFunction {
    return this.context.compileValidation(schema, httpPart)
  }

  /** Validates `input` with a route part's validator or a given schema. */
  validateInput (input: unknown, schemaOrPart: HttpPart | Record<string, unknown>, httpPart?: HttpPart): boolean | unknown {
    let validate: ValidateFunction | null | undefined
    if (typeof schemaOrPart === 'string') {
      validate = this.context.validatorFor(schemaOrPart)
      if (validate == null) throw new FST_ERR_REQ_INVALID_VALIDATION_INVOCATION(schemaOrPart)
    } else {
      validate = this.context.compileValidation(schemaOrPart, httpPart)
    }
    return validate(input)
  }
}

function lastValue (value: string | string[]): string {
  const joined = Array.isArray(value) ? value.join(',') : value
  const comma = joined.lastIndexOf(',')
  return (comma === -1 ? joined : joined.slice(comma + 1)).trim()
}
