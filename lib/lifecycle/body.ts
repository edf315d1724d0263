/**
 * Content-type parsers, body reading and limits.
 *
 * Each scope owns a `ContentTypeParsers` (copied from its parent when the
 * plugin loads, as Fastify does). Matching follows Fastify 5: a parser
 * registered with parameters (`text/plain; charset=latin1`) answers only that
 * exact parameter set; otherwise parameters such as `charset` are ignored. The
 * header is read by hand, without regular expressions, so a hostile header
 * costs linear time, and lookups are cached per header value.
 */
import sjson from 'secure-json-parse'
import type { Readable } from 'node:stream'
import {
  FST_ERR_CTP_ALREADY_PRESENT, FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_EMPTY_JSON_BODY, FST_ERR_CTP_EMPTY_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH, FST_ERR_CTP_INVALID_HANDLER, FST_ERR_CTP_INVALID_JSON_BODY,
  FST_ERR_CTP_INVALID_PARSE_TYPE, FST_ERR_CTP_INVALID_TYPE, FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT, FST_ERR_SEND_UNDEFINED_ERR
} from '../errors.js'

export type ParserDone = (err: Error | null, body?: unknown) => void
export type ParserFn = (this: unknown, request: any, payload: any, done: ParserDone) => unknown

export interface ParserOptions {
  parseAs?: 'string' | 'buffer' | undefined
  bodyLimit?: number | undefined
}

export interface Parser {
  fn: ParserFn
  /** 0: hand the raw stream to the parser, 1: read as string, 2: read as Buffer */
  parseAs: 0 | 1 | 2
  bodyLimit: number | undefined
  isDefault: boolean
}

export type ProtoAction = 'error' | 'remove' | 'ignore'

const CACHE_LIMIT = 100

/**
 * A Content-Type value read the way Fastify 5 reads it: `type/subtype` lower-cased,
 * parameter names lower-cased, parameter values kept as sent (quotes removed).
 * `key` is the normalized form, `type/subtype; name="value"`, used for exact lookups.
 */
export interface MediaType {
  valid: boolean
  /** `type/subtype`, or '' when invalid. */
  essence: string
  key: string
}

const INVALID_MEDIA: MediaType = { valid: false, essence: '', key: '/' }

/** RFC 9110 token characters: ALPHA, DIGIT and !#$%&'*+-.^_`|~ */
function isTokenChar (c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x21 || (c >= 0x23 && c <= 0x27) || c === 0x2a || c === 0x2b || c === 0x2d || c === 0x2e ||
    c === 0x5e || c === 0x5f || c === 0x60 || c === 0x7c || c === 0x7e
}

function isToken (s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false
  return true
}

/** qdtext of RFC 9110 5.6.4: HTAB, SP, %x21, %x23-5B, %x5D-7E, obs-text */
function isQdtext (c: number): boolean {
  return c === 0x09 || c === 0x20 || c === 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || (c >= 0x80 && c <= 0xff)
}

function isSpace (c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0xa0 || c === 0xfeff
}

/**
 * Reads `name=value` parameters the way Fastify's parameter regular expression
 * does (a parameter starts the list or follows a `;`; malformed ones are
 * skipped), in linear time: a quoted string that fails to close marks the rest
 * of the text it scanned as dead, so a hostile header is never rescanned.
 */
function parseParameters (list: string): Map<string, string> {
  const params = new Map<string, string>()
  const n = list.length
  let deadUntil = -1
  let at = 0
  while (at < n) {
    let i = at
    while (i < n && isSpace(list.charCodeAt(i))) i++
    const nameStart = i
    while (i < n && isTokenChar(list.charCodeAt(i))) i++
    let end = -1
    let value = ''
    if (i > nameStart && i < n && list.charCodeAt(i) === 0x3d) {
      const name = list.slice(nameStart, i).toLowerCase()
      i++
      if (i < n && list.charCodeAt(i) === 0x22) {
        if (i >= deadUntil) {
          let j = i + 1
          let out = ''
          for (;;) {
            if (j >= n) break
            const c = list.charCodeAt(j)
            if (c === 0x22) {
              end = j + 1
              value = out
              break
            }
            if (c === 0x5c && j + 1 < n) {
              const next = list.charCodeAt(j + 1)
              if (next === 0x09 || (next >= 0x20 && next <= 0xff)) {
                out += list[j + 1]
                j += 2
                continue
              }
            }
            if (!isQdtext(c)) break
            out += list[j]
            j++
          }
          if (end === -1) deadUntil = j
        }
      } else {
        const valueStart = i
        while (i < n && isTokenChar(list.charCodeAt(i))) i++
        if (i > valueStart) {
          end = i
          value = list.slice(valueStart, i)
        }
      }
      if (end !== -1) params.set(name, value)
    }
    // The next parameter starts after the next `;` (after this one's end when it matched).
    const semi = list.indexOf(';', end === -1 ? at : end)
    if (semi === -1) break
    at = semi + 1
  }
  return params
}

/** Parses a Content-Type value as Fastify 5's ContentType class does. Linear time. */
export function parseMediaType (header: string): MediaType {
  if (header.length === 0 || header === 'undefined') return INVALID_MEDIA
  const semi = header.indexOf(';')
  const media = semi === -1 ? header : header.slice(0, semi)
  const slash = media.indexOf('/')
  if (slash === -1) return INVALID_MEDIA
  const type = media.slice(0, slash).trimStart().toLowerCase()
  const subtype = media.slice(slash + 1).trimEnd().toLowerCase()
  if (!isToken(type) || !isToken(subtype)) return INVALID_MEDIA
  const essence = `${type}/${subtype}`
  if (semi === -1) return { valid: true, essence, key: essence }
  const params = parseParameters(header.slice(semi + 1).trim())
  if (params.size === 0) return { valid: true, essence, key: essence }
  let key = essence
  for (const [name, value] of params) key += `; ${name}="${value}"`
  return { valid: true, essence, key }
}

/**
 * The Content-Type of a JSON reply as Fastify sends it: a value that names no `charset` parameter
 * (names are case-insensitive, a quoted `charset=` inside another value does not count) is written
 * again in Fastify's canonical form with `; charset=utf-8` added; any other value is kept as set.
 */
export function jsonContentType (header: string): string {
  const semi = header.indexOf(';')
  if (semi !== -1 && parseParameters(header.slice(semi + 1).trim()).has('charset')) return header
  const media = parseMediaType(header)
  return media.valid ? `${media.key}; charset=utf-8` : header
}

/** `request.mediaType` / `reply.mediaType`: the essence of a Content-Type value, or undefined. */
export function mediaTypeOf (header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const media = parseMediaType(header)
  return media.valid ? media.essence : undefined
}

export function validateBodyLimit (limit: unknown): void {
  if (limit === undefined) return
  if (!Number.isInteger(limit) || (limit as number) <= 0) throw new FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT(limit)
}

/** What `find` returns for a Content-Type header that is not a valid media type: always 415. */
export const invalidMediaType: Parser = Object.freeze({
  fn: function invalidMediaTypeParser () {},
  parseAs: 0,
  bodyLimit: undefined,
  isDefault: true
}) as Parser

/**
 * The parsers of one scope, matched as in Fastify 5: first the exact
 * normalized type with its parameters, then the bare `type/subtype`, then
 * the RegExps (newest first, tested against the normalized type), then the
 * `'*'` catch-all. Results are cached per header value.
 */
/** Array.isArray, for a read-only list (TypeScript's own guard narrows one to `any[]`). */
function isMatcherList (type: string | RegExp | ReadonlyArray<string | RegExp>): type is ReadonlyArray<string | RegExp> {
  return Array.isArray(type)
}

export class ContentTypeParsers {
  /** Keyed by the normalized type (`type/subtype; name="value"`). */
  private byKey: Map<string, Parser>
  /** Newest first. */
  private regexps: Array<{ re: RegExp, parser: Parser }>
  private catchAll: Parser | null
  private cache: Map<string | undefined, Parser | null>

  constructor (from?: ContentTypeParsers) {
    this.byKey = from !== undefined ? new Map(from.byKey) : new Map<string, Parser>()
    this.regexps = from !== undefined ? from.regexps.slice() : []
    this.catchAll = from !== undefined ? from.catchAll : null
    this.cache = new Map()
  }

  add (type: string | RegExp | ReadonlyArray<string | RegExp>, opts: ParserOptions, fn: ParserFn, isDefault = false): void {
    if (isMatcherList(type)) {
      for (const t of type) this.add(t, opts, fn, isDefault)
      return
    }
    let key: string | null = null
    // Fastify lower-cases the whole registered type, parameter values included.
    const normalized = typeof type === 'string' ? type.trim().toLowerCase() : null
    if (normalized === '') throw new FST_ERR_CTP_EMPTY_TYPE()
    if (normalized === null && !(type instanceof RegExp)) throw new FST_ERR_CTP_INVALID_TYPE()
    // A missing handler is reported before the media type's syntax, as Fastify reports it.
    if (typeof fn !== 'function') throw new FST_ERR_CTP_INVALID_HANDLER()
    if (normalized !== null && normalized !== '*') {
      const media = parseMediaType(normalized)
      if (!media.valid) throw new FST_ERR_CTP_INVALID_TYPE()
      key = media.key
    }
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
    if (type instanceof RegExp) {
      if (this.regexps.some((r) => sameRegExp(r.re, type))) throw new FST_ERR_CTP_ALREADY_PRESENT(type.toString())
      this.regexps.unshift({ re: type, parser })
      return
    }
    if (key === null) {
      if (this.catchAll !== null && !this.catchAll.isDefault) throw new FST_ERR_CTP_ALREADY_PRESENT('*')
      this.catchAll = parser
      return
    }
    const existing = this.byKey.get(key)
    // The built-in JSON and text parsers may be replaced, as in Fastify.
    if (existing !== undefined && !existing.isDefault) throw new FST_ERR_CTP_ALREADY_PRESENT((type as string).trim().toLowerCase())
    this.byKey.set(key, parser)
  }

  has (type: string | RegExp): boolean {
    if (type instanceof RegExp) return this.regexps.some((r) => sameRegExp(r.re, type))
    if (typeof type !== 'string') throw new FST_ERR_CTP_INVALID_TYPE()
    if (type.trim() === '*') return this.catchAll !== null
    return this.byKey.has(parseMediaType(type).key)
  }

  remove (type: string | RegExp | ReadonlyArray<string | RegExp>): void {
    if (isMatcherList(type)) {
      for (const t of type) this.remove(t)
      return
    }
    if (typeof type !== 'string' && !(type instanceof RegExp)) throw new FST_ERR_CTP_INVALID_TYPE()
    this.cache.clear()
    if (type instanceof RegExp) {
      this.regexps = this.regexps.filter((r) => !sameRegExp(r.re, type))
      return
    }
    if (type.trim() === '*') {
      this.catchAll = null
      return
    }
    this.byKey.delete(parseMediaType(type).key)
  }

  removeAll (): void {
    this.byKey = new Map()
    this.regexps = []
    this.catchAll = null
    this.cache.clear()
  }

  /**
   * The parser for a request's Content-Type header (undefined when the request
   * has a body but no header): a parser, `invalidMediaType` for a header that is not
   * a media type, or null when nothing matches (both answered with 415).
   */
  find (header: string | undefined): Parser | null {
    const cached = this.cache.get(header)
    if (cached !== undefined) return cached
    const found = this.lookup(header)
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear()
    this.cache.set(header, found)
    return found
  }

  private lookup (header: string | undefined): Parser | null {
    if (header === undefined) return this.catchAll
    const media = parseMediaType(header)
    if (!media.valid) return invalidMediaType
    const parser = this.byKey.get(media.key) ?? this.byKey.get(media.essence)
    if (parser !== undefined) return parser
    for (const { re, parser } of this.regexps) {
      // A `g` or `y` RegExp keeps lastIndex between calls.
      re.lastIndex = 0
      if (re.test(media.key)) return parser
    }
    return this.catchAll
  }
}

function sameRegExp (a: RegExp, b: RegExp): boolean {
  return a.source === b.source && a.flags === b.flags
}

/** Fastify's `getDefaultJsonParser`: secure-json-parse with the given poisoning actions. */
export function getDefaultJsonParser (onProtoPoisoning: ProtoAction = 'error', onConstructorPoisoning: ProtoAction = 'error'): (request: unknown, body: string | Buffer, done: ParserDone) => void {
  const options = { protoAction: onProtoPoisoning, constructorAction: onConstructorPoisoning }
  return function defaultJsonParser (_request: unknown, body: string | Buffer, done: ParserDone): void {
    if (body.length === 0) {
      done(new FST_ERR_CTP_EMPTY_JSON_BODY(), undefined)
      return
    }
    let json: unknown
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
      // The client may still be sending: close the connection after the error reply (Fastify does the same).
      // A parser error keeps its own status; without one it is a 500, as in Fastify.
      onError(err, true)
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
    (result as Promise<unknown>).then((body) => done(null, body), (err: unknown) => done((err as Error | null | undefined) ?? new FST_ERR_SEND_UNDEFINED_ERR()))
  }
}
