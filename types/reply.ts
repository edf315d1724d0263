/**
 * The reply object handlers and hooks receive.
 */

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { VeloxInstance } from './instance.js'
import type { VeloxBaseLogger } from './logger.js'
import type { VeloxRequest } from './request.js'
import type { ReplyPayload, ReplyType, RouteGenericInterface } from './route.js'
import type { SerializerFunction } from './schema-compilers.js'
import type { DecoratorType, DefaultState, InstanceState, VeloxReplyDecorators } from './state.js'

/**
 * Key of the phantom property that marks a reply type, through which a
 * handler's return type accepts its reply (`return reply.send(x)`) without
 * naming the reply's own members: a returned object with a `status` or
 * `type` property is then compared with the payload alone, and a mistake in
 * it is reported at the property. Type-level only: no runtime value has it.
 */
export declare const replyMark: unique symbol

/** What a reply type has that no payload has: see {@link replyMark}. */
export interface ReplyMark {
  readonly [replyMark]: true
}

/** A header value as a reply sets it. */
export type ReplyHeaderValue = string | number | boolean | readonly string[] | undefined

/**
 * The reply interface. `G` holds the route's types (its `Reply`, inferred
 * from `schema.response` or given explicitly), `S` the state of the instance
 * the route was declared on, and `Code` the status set with `code()`, which
 * picks the payload type `send()` accepts.
 */
export interface VeloxReplyBase<G = RouteGenericInterface, S extends InstanceState = DefaultState, Code extends number = never>
  extends VeloxReplyDecorators, ReplyMark {
  raw: ServerResponse
  request: VeloxRequest<G, S>
  server: VeloxInstance<S>
  log: VeloxBaseLogger
  statusCode: number
  /** True once the response has been sent (or the reply hijacked). */
  sent: boolean
  /** Milliseconds since the request arrived. */
  elapsedTime: number
  /** The `type/subtype` of the Content-Type set so far, lower-cased, without parameters. */
  readonly mediaType: string | undefined

  /**
   * Sets the status code; `send()` on the result is checked against the
   * response schema for that code, falling back to its class (`'2xx'`) and
   * then `'default'`.
   *
   * @example
   * reply.code(201).send({ id: 1 })
   */
  code<C extends number> (statusCode: C): VeloxReply<G, S, C>
  /** Alias of {@link code}. */
  status<C extends number> (statusCode: C): VeloxReply<G, S, C>
  header (name: string, value: ReplyHeaderValue): this
  headers (values: OutgoingHttpHeaders | Record<string, ReplyHeaderValue>): this
  getHeader (name: string): number | string | string[] | undefined
  getHeaders (): Record<string, number | string | string[] | undefined>
  removeHeader (name: string): this
  hasHeader (name: string): boolean
  /** Sets `Content-Type`. */
  /** Sends a field after the body; `fn` answers through `done(err, value)` or a returned promise. */
  trailer (name: string, fn: ((reply: this, payload: unknown, done: (err: Error | null, value?: string) => void) => void) | ((reply: this, payload: unknown) => Promise<string>)): this
  hasTrailer (name: string): boolean
  removeTrailer (name: string): this
  type (contentType: string): this
  /**
   * Sends the payload, serialized with the response schema of the status
   * code. Without a `code()` before it, any declared payload is accepted.
   */
  //
  // Generic, with the payload type as its constraint, rather than
  // `send (payload?: ReplyPayload<...>)`: TypeScript does not compare
  // constraints when it relates two generic methods, which keeps replies
  // covariant in their route types (see route.ts). The cost: a literal's
  // undeclared properties are not reported here.
  send<P extends ReplyPayload<ReplyType<G>, Code>> (payload?: P): this
  /** Serializes a payload as `send()` would, without sending it. */
  serialize (payload: unknown): string
  /** Serializes this reply's payload with `fn` instead. */
  serializer (fn: (payload: unknown) => string): this
  /** Redirects to `url`, with 302 unless `statusCode` says otherwise. */
  redirect (url: string, statusCode?: number): this
  /** Takes over the raw response; Velox will not send anything. */
  hijack (): this
  /** Answers as the not-found handler would. */
  callNotFound (): void
  /** Sends a 103 Early Hints response (RFC 8297) before the final one. */
  writeEarlyHints (hints: Record<string, string | string[]>, callback?: () => void): this
  /** Reads a reply decorator, typed from the instance type or by the type argument. */
  getDecorator<T = never, K extends string | symbol = string | symbol> (name: K):
    [NoInfer<T>] extends [never] ? DecoratorType<VeloxReplyDecorators & S['reply'], K> : NoInfer<T>
  /** The route's compiled serializer for a status code (and content type), or for a schema compiled before. */
  getSerializationFunction (httpStatus: string | number, contentType?: string): SerializerFunction | undefined
  getSerializationFunction (schema: object): SerializerFunction | undefined
  /**
   * Serializes `input` with the route's serializer for a status code (and content type), or
   * with one compiled for `schema`; throws FST_ERR_MISSING_SERIALIZATION_FN for a status the
   * route declares no response schema for.
   */
  serializeInput (input: unknown, httpStatus: string | number, contentType?: string): string
  serializeInput (input: unknown, schema: object, httpStatus?: string | number, contentType?: string): string
  /** Compiles a schema with the route's serializer compiler (cached by schema). */
  compileSerializationSchema (schema: object, httpStatus?: string | number, contentType?: string): SerializerFunction
  /**
   * Settles when the response has been written. Awaiting a reply gives
   * `undefined`, so `return reply` in an async handler type-checks.
   */
  then (fulfilled: (value: undefined) => void, rejected: (error: Error) => void): void
}

/**
 * A reply of a route with types `G`, on an instance with state `S`, after
 * `code(Code)`: the reply interface plus the reply decorators declared on the
 * instance.
 */
export type VeloxReply<G = RouteGenericInterface, S extends InstanceState = DefaultState, Code extends number = never> =
  VeloxReplyBase<G, S, Code> & S['reply']
