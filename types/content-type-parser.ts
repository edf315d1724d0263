/**
 * Content-type parsers: what `addContentTypeParser` accepts.
 */

import type { VeloxInstance } from './instance.js'
import type { RouteTableReceiver } from './route-table.js'
import type { VeloxRequest } from './request.js'
import type { RequestPayload } from './hooks.js'
import type { DefaultState, InstanceState } from './state.js'

/** Ends a callback-style parser with the parsed body or an error. */
export type ContentTypeParserDone = (error: Error | null, body?: unknown) => void

/** A parser of the raw body stream: calls `done`, or resolves to the body. */
export type StreamContentTypeParser<S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<{}, S>,
  payload: RequestPayload,
  done: ContentTypeParserDone
) => void | Promise<unknown>

/** A parser of the whole body, read first as a string or a Buffer (`parseAs`). */
export type BodyContentTypeParser<B extends string | Buffer = string | Buffer, S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<{}, S>,
  body: B,
  done: ContentTypeParserDone
) => void | Promise<unknown>

/** The options of `addContentTypeParser`. */
export interface ContentTypeParserOptions<P extends 'string' | 'buffer' | undefined = undefined> {
  /** Read the body as a string or Buffer before parsing. */
  parseAs?: P
  bodyLimit?: number
}

/** A content type matcher: a media type, several, or a pattern. */
export type ContentTypeMatcher = string | RegExp | ReadonlyArray<string | RegExp>

/** `app.addContentTypeParser(contentType, [options,] parser)`. */
export interface AddContentTypeParserMethod<S extends InstanceState = DefaultState> {
  <Routes = never>(this: RouteTableReceiver<Routes>, contentType: ContentTypeMatcher, parser: StreamContentTypeParser<S>): VeloxInstance<S, Routes>
  <P extends 'string' | 'buffer', Routes = never>(
    this: RouteTableReceiver<Routes>,
    contentType: ContentTypeMatcher,
    options: ContentTypeParserOptions<P> & { parseAs: P },
    parser: BodyContentTypeParser<P extends 'string' ? string : Buffer, S>
  ): VeloxInstance<S, Routes>
  <Routes = never>(this: RouteTableReceiver<Routes>, contentType: ContentTypeMatcher, options: ContentTypeParserOptions, parser: StreamContentTypeParser<S>): VeloxInstance<S, Routes>
}
