/**
 * Content-type parsers, body reading and limits.
 *
 * Each scope owns a `ContentTypeParsers` (copied from its parent when the
 * plugin loads, as Fastify does). Matching is by media type: parameters such
 * as `charset` are ignored unless the registered type names them. The request
 * header is split by hand (one `indexOf`, no regular expression), so a hostile
 * header costs linear time at worst, and lookups are cached per header value.
 */
import sjson from 'secure-json-parse'
import type { Readable } from 'node:stream'
import {
  FST_ERR_CTP_ALREADY_PRESENT, FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_EMPTY_JSON_BODY, FST_ERR_CTP_EMPTY_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH, FST_ERR_CTP_INVALID_HANDLER, FST_ERR_CTP_INVALID_JSON_BODY,
  FST_ERR_CTP_INVALID_PARSE_TYPE, FST_ERR_CTP_INVALID_TYPE, FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT
} from './errors.js'

export type ParserDone = (err: Error | null, body?: unknown) => void
export type ParserFn = (this: unknown, request: any, payload: any, done: ParserDone) => unknown

export interface ParserOptions {
  parseAs?: 'string' | 'buffer'
  bodyLimit?: number
}

export interface Parser {
  fn: ParserFn
  /** 0: hand the raw stream to the parser, 1: read as string, 2: read as Buffer */
  parseAs: 0 | 1 | 2
  bodyLimit: number | undefined
  isDefault: boolean
}

interface MediaType {
  type: string
  params: Map<string, string>
  source: string
}

export type ProtoAction = 'error' | 'remove' | 'ignore'

const CACHE_LIMIT = 100

/** Splits `type/subtype; a=b` into a lower-cased media type and its parameters. Linear time. */
export function parseMediaType (header: string): MediaType {
  const semi = header.indexOf(';')
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase()
  const params = new Map<string, string>()
  if (semi !== -1) {
    for (const part of header.slice(semi + 1).split(';')) {
      const eq = part.indexOf('=')
      if (eq === -1) continue
      let value = part.slice(eq + 1).trim()
      if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') value = value.slice(1, -1)
      params.set(part.slice(0, eq).trim().toLowerCase(), value.toLowerCase())
    }
  }
  return { type, params, source: header }
}

export function validateBodyLimit (limit: unknown): void {
  if (limit === undefined) return
  if (!Number.isInteger(limit) || (limit as number) <= 0) throw new FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT(limit)
}

export class ContentTypeParsers {
  /** String parsers, newest first (a later, more specific registration wins). */
  private list: Array<{ media: MediaType, parser: Parser }>
  private regexps: Array<{ re: RegExp, parser: Parser }>
  private catchAll: Parser | null
  private cache: Map<string, Parser | null>

  constructor (from?: ContentTypeParsers) {
    this.list = from !== undefined ? from.list.slice() : []
    this.regexps = from !== undefined ? from.regexps.slice() : []
    this.catchAll = from !== undefined ? from.catchAll : null
    this.cache = new Map()
  }

  add (type: string | RegExp | Array<string | RegExp>, opts: ParserOptions, fn: ParserFn, isDefault = false): void {
    if (Array.isArray(type)) {
      for (const t of type) this.add(t, opts, fn, isDefault)
      return
    }
    if (typeof type === 'string') {
      if (type.trim().length === 0) throw new FST_ERR_CTP_EMPTY_TYPE()
    } else if (!(type instanceof RegExp)) {
      throw new FST_ERR_CTP_INVALID_TYPE()
    }
    if (typeof fn !== 'function') throw new FST_ERR_CTP_INVALID_HANDLER()
    const parseAs = opts.parseAs
    if (parseAs !== undefined && parseAs !== 'string' && parseAs !== 'buffer') throw new FST_ERR_CTP_INVALID_PARSE_TYPE(parseAs)
    validateBodyLimit(opts.bodyLimit)
    const parser: Parser = {
      fn,
      parseAs: parseAs === 'string' ? 1 : parseAs === 'buffer' ? 2 : 0,
      bodyLimit: opts.bodyLimit,
      isDefault
    }
    this.cache.clear()
    if (type === '*') {
      if (this.catchAll !== null && !this.catchAll.isDefault) throw new FST_ERR_CTP_ALREADY_PRESENT(type)
      this.catchAll = parser
      return
    }
    if (type instanceof RegExp) {
      if (this.regexps.some((r) => r.re.source === type.source && r.re.flags === type.flags)) {
        throw new FST_ERR_CTP_ALREADY_PRESENT(type.toString())
      }
      this.regexps.push({ re: type, parser })
      return
    }
    const media = parseMediaType(type)
    const index = this.list.findIndex((entry) => sameMedia(entry.media, media))
    if (index !== -1) {
      // The built-in JSON and text parsers may be replaced, as in Fastify.
      if (!this.list[index].parser.isDefault) throw new FST_ERR_CTP_ALREADY_PRESENT(type)
      this.list.splice(index, 1)
    }
    this.list.unshift({ media, parser })
  }

  has (type: string | RegExp): boolean {
    if (type === '*') return this.catchAll !== null
    if (type instanceof RegExp) return this.regexps.some((r) => r.re.source === type.source && r.re.flags === type.flags)
    const media = parseMediaType(type)
    return this.list.some((entry) => sameMedia(entry.media, media))
  }

  remove (type: string | RegExp | Array<string | RegExp>): void {
    if (Array.isArray(type)) {
      for (const t of type) this.remove(t)
      return
    }
    if (typeof type !== 'string' && !(type instanceof RegExp)) throw new FST_ERR_CTP_INVALID_TYPE()
    this.cache.clear()
    if (type === '*') {
      this.catchAll = null
      return
    }
    if (type instanceof RegExp) {
      this.regexps = this.regexps.filter((r) => !(r.re.source === type.source && r.re.flags === type.flags))
      return
    }
    const media = parseMediaType(type)
    this.list = this.list.filter((entry) => !sameMedia(entry.media, media))
  }

  removeAll (): void {
    this.list = []
    this.regexps = []
    this.catchAll = null
    this.cache.clear()
  }

  /** The parser for a request's Content-Type header, or null (answered with 415). */
  find (header: string): Parser | null {
    const cached = this.cache.get(header)
    if (cached !== undefined) return cached
    const found = this.lookup(header)
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear()
    this.cache.set(header, found)
    return found
  }

  private lookup (header: string): Parser | null {
    if (header.length === 0) return this.catchAll
    const media = parseMediaType(header)
    for (const entry of this.list) {
      if (entry.media.type !== media.type) continue
      let paramsMatch = true
      for (const [key, value] of entry.media.params) {
        if (media.params.get(key) !== value) {
          paramsMatch = false
          break
        }
      }
      if (paramsMatch) return entry.parser
    }
    for (const { re, parser } of this.regexps) {
      re.lastIndex = 0
      if (re.test(header)) return parser
    }
    return this.catchAll
  }
}

function sameMedia (a: MediaType, b: MediaType): boolean {
  if (a.type !== b.type || a.params.size !== b.params.size) return false
  for (const [key, value] of a.params) if (b.params.get(key) !== value) return false
  return true
}

/** Fastify's `getDefaultJsonParser`: secure-json-parse with the given poisoning actions. */
export function getDefaultJsonParser (onProtoPoisoning: ProtoAction = 'error', onConstructorPoisoning: ProtoAction = 'error'): ParserFn {
  const options = { protoAction: onProtoPoisoning, constructorAction: onConstructorPoisoning }
  return function defaultJsonParser (_request: unknown, body: string | Buffer, done: ParserDone): void {
    if (body.length === 0) {
      done(new FST_ERR_CTP_EMPTY_JSON_BODY(), undefined)
      return
    }
    let json
    try {
      json = sjson.parse(body as string, null, options)
    } catch {
      done(new FST_ERR_CTP_INVALID_JSON_BODY(), undefined)
      return
    }
    done(null, json)
  }
}

/** Fastify's `defaultTextParser`: the body as a string. */
export function defaultTextParser (_request: unknown, body: string, done: ParserDone): void {
  done(null, body)
}

export function createDefaultParsers (onProto: ProtoAction, onConstructor: ProtoAction): ContentTypeParsers {
  const parsers = new ContentTypeParsers()
  parsers.add('application/json', { parseAs: 'string' }, getDefaultJsonParser(onProto, onConstructor), true)
  parsers.add('text/plain', { parseAs: 'string' }, defaultTextParser as ParserFn, true)
  return parsers
}

interface BodyTarget {
  headers: Record<string, string | string[] | undefined>
}

/**
 * Reads the body stream according to the parser, enforcing the limit and the
 * declared Content-Length, then runs the parser. Exactly one of `onBody` or
 * `onError` is called, at most once.
 */
export function readBody (
  request: BodyTarget,
  stream: Readable,
  parser: Parser,
  limit: number,
  thisArg: unknown,
  onBody: (body: unknown) => void,
  onError: (err: Error, closeConnection: boolean) => void
): void {
  const lengthHeader = request.headers['content-length']
  const contentLength = lengthHeader === undefined ? NaN : Number(lengthHeader)
  if (contentLength > limit) {
    // The client will send the data anyway: close the connection after answering.
    onError(new FST_ERR_CTP_BODY_TOO_LARGE(), true)
    return
  }
  const chunks: Buffer[] = []
  let received = 0

  function cleanup (): void {
    stream.removeListener('data', onData)
    stream.removeListener('end', onEnd)
    stream.removeListener('error', onStreamError)
    stream.removeListener('aborted', onAborted)
  }
  function onData (chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    received += buf.length
    const encoded = (stream as unknown as { receivedEncodedLength?: number }).receivedEncodedLength ?? 0
    if (received > limit || encoded > limit) {
      cleanup()
      onError(new FST_ERR_CTP_BODY_TOO_LARGE(), true)
      return
    }
    chunks.push(buf)
  }
  function onStreamError (err: Error & { statusCode?: number }): void {
    cleanup()
    if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400
    onError(err, true)
  }
  function onAborted (): void {
    onStreamError(Object.assign(new Error('Request aborted before the body was complete'), { code: 'ECONNRESET' }))
  }
  function onEnd (): void {
    cleanup()
    const encoded = (stream as unknown as { receivedEncodedLength?: number }).receivedEncodedLength
    if (!Number.isNaN(contentLength) && (encoded ?? received) !== contentLength) {
      onError(new FST_ERR_CTP_INVALID_CONTENT_LENGTH(), true)
      return
    }
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)
    runParser(parser, request, parser.parseAs === 1 ? buf.toString('utf8') : buf, thisArg, onBody, onError)
  }
  stream.on('data', onData)
  stream.on('end', onEnd)
  stream.on('error', onStreamError)
  stream.on('aborted', onAborted)
  stream.resume()
}

export function runParser (
  parser: Parser,
  request: unknown,
  payload: unknown,
  thisArg: unknown,
  onBody: (body: unknown) => void,
  onError: (err: Error, closeConnection: boolean) => void
): void {
  let called = false
  const done: ParserDone = (err, body) => {
    if (called) return
    called = true
    if (err != null) {
      if (!(typeof (err as { statusCode?: number }).statusCode === 'number')) (err as { statusCode?: number }).statusCode = 400
      onError(err, false)
    } else onBody(body)
  }
  let result
  try {
    result = parser.fn.call(thisArg, request, payload, done)
  } catch (err) {
    done(err as Error)
    return
  }
  if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then((body) => done(null, body), (err) => done(err ?? new Error('Content type parser rejected with no error')))
  }
}
