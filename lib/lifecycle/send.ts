/**
 * Writing a reply: content-type inference, preSerialization, serialization,
 * onSend, and the final write of strings, Buffers and streams.
 *
 * Follows Fastify's reply.send: strings default to text/plain, Buffers and
 * typed arrays to application/octet-stream, streams are piped, everything
 * else goes through preSerialization and the route's serializer for the
 * status code (compiled at ready; JSON.stringify when there is no schema).
 */
import type { Reply } from './reply.js'
import { handleError, type ReplyWriter } from './error-handler.js'
import {
  FST_ERR_REP_ALREADY_SENT, FST_ERR_REP_INVALID_PAYLOAD_TYPE, VLX_ERR_SERIALIZATION, FST_ERR_SEND_INSIDE_ONERR,
  FST_ERR_REP_RESPONSE_BODY_CONSUMED
} from '../errors.js'
import { runPayloadHooks } from './pipeline-hooks.js'
import type { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { writeHead } from './headers.js'
import { jsonContentType } from './body.js'
import { announceTrailers, endWithTrailers } from './trailers.js'
import { sendStream, sendWebStream } from './stream-send.js'

function noop (): void {}

const CONTENT_TYPE_JSON = 'application/json; charset=utf-8'
const CONTENT_TYPE_PLAIN = 'text/plain; charset=utf-8'
const CONTENT_TYPE_OCTET = 'application/octet-stream'

/** What the error handling calls to send its result: this module's own functions (see ReplyWriter). */
const writer: ReplyWriter = { send, onSendHook }

/**
 * Something tried to answer a reply that was sent or hijacked: a warning carrying
 * FST_ERR_REP_ALREADY_SENT, as in Fastify; an error that could not be answered is its cause, so
 * it is logged rather than lost.
 */
export function warnAlreadySent (reply: Reply, cause: unknown): void {
  const { url, method } = reply.request
  const err = cause === undefined ? new FST_ERR_REP_ALREADY_SENT(url, method) : new FST_ERR_REP_ALREADY_SENT(url, method, { cause })
  reply.log.warn({ err }, err.message)
}

export function send (reply: Reply, payload: unknown): void {
  if (reply._runningOnError) throw new FST_ERR_SEND_INSIDE_ONERR()
  if (reply.sent) {
    warnAlreadySent(reply, undefined)
    return
  }
  if (reply._isError || payload instanceof Error) {
    // Whatever was thrown or rejected, an Error or not, reaches onError hooks and error handlers
    // as it is, as in Fastify; the default handler sends a non-Error value like any payload.
    reply._isError = false
    handleError(reply, payload, writer)
    return
  }
  if (payload === undefined) {
    onSendHook(reply, undefined)
    return
  }
  const contentType = reply._headers['content-type'] as string | undefined
  if (payload !== null) {
    if (typeof (payload as { pipe?: unknown }).pipe === 'function' || typeof (payload as { getReader?: unknown }).getReader === 'function' ||
      (typeof payload === 'object' && isResponse(payload))) {
      // Node and web streams, and web Responses, go to onSend untouched, as in Fastify.
      onSendHook(reply, payload)
      return
    }
    if (typeof payload === 'string') {
      if (contentType === undefined) {
        reply._headers['content-type'] = CONTENT_TYPE_PLAIN
        onSendHook(reply, payload)
        return
      }
    } else if (ArrayBuffer.isView(payload)) {
      if (contentType === undefined) reply._headers['content-type'] = CONTENT_TYPE_OCTET
      onSendHook(reply, Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength))
      return
    }
  }
  if (reply._serializer !== null) {
    if (typeof payload !== 'string') {
      preSerialization(reply, payload)
      return
    }
    onSendHook(reply, reply._serializer(payload))
    return
  }
  if (contentType === undefined || contentType.includes('json') || isJsonMediaType(contentType)) {
    if (contentType === undefined) reply._headers['content-type'] = CONTENT_TYPE_JSON
    else reply._headers['content-type'] = jsonContentType(contentType)
    if (typeof payload !== 'string') {
      preSerialization(reply, payload)
      return
    }
  }
  onSendHook(reply, payload)
}

/** Whether a Content-Type's media type (not its parameters) names JSON, in any case, as Fastify checks it. */
function isJsonMediaType (contentType: string): boolean {
  const semi = contentType.indexOf(';')
  return (semi === -1 ? contentType : contentType.slice(0, semi)).toLowerCase().includes('json')
}

function preSerialization (reply: Reply, payload: unknown): void {
  const hooks = reply.context.preSerialization
  if (hooks === null) {
    serializeAndSend(reply, payload)
    return
  }
  runPayloadHooks(hooks, reply, payload, function afterPreSerialization (err, newPayload) {
    if (err != null) {
      reply._isError = true
      send(reply, err)
      return
    }
    serializeAndSend(reply, newPayload)
  })
}

function serializeAndSend (reply: Reply, payload: unknown): void {
  let serialized: string | undefined
  try {
    serialized = serializePayload(reply, payload)
  } catch (err) {
    reply._isError = true
    send(reply, err)
    return
  }
  onSendHook(reply, serialized)
}

/**
 * Serializes a payload as Fastify does: `reply.serializer(fn)`, else the
 * scope's `setReplySerializer` function, else the response schema's
 * serializer for the status and content type, else JSON.stringify.
 */
export function serializePayload (reply: Reply, payload: unknown): string | undefined {
  if (reply._serializer !== null) return reply._serializer(payload)
  const statusCode = reply.raw.statusCode
  const context = reply.context
  const custom = context.replySerializer
  if (custom !== null) return custom(payload, statusCode)
  const fn = context.serializerFor(statusCode, reply._headers['content-type'] as string | undefined)
  if (fn !== null) {
    try {
      return fn(payload)
    } catch (err) {
      // The serializer's own message quotes the value it refused (an SSN, a token...): the answer
      // says what kind of mismatch it was, and the value stays on `cause`, for the log only.
      const error = new VLX_ERR_SERIALIZATION(statusCode, withoutValue((err as Error).message), { cause: err })
      // Fastify marks serialization failures with the route's method and url.
      ;(error as { serialization?: unknown }).serialization = context.config
      throw error
    }
  }
  // JSON.stringify of a function or a symbol is undefined: then nothing is sent, as in Fastify.
  return JSON.stringify(payload)
}

/** `The value "SSN-078-05-1120" cannot be converted to an integer.` -> `A value cannot be converted to an integer.` */
function withoutValue (message: string): string {
  return message.replace(/The value "[\s\S]*" (cannot be converted)/, 'A value $1')
}

export function onSendHook (reply: Reply, payload: unknown): void {
  const hooks = reply.context.onSend
  if (hooks === null) {
    onSendEnd(reply, payload)
    return
  }
  runPayloadHooks(hooks, reply, payload, function afterOnSend (err, newPayload) {
    if (err != null) {
      reply._isError = true
      send(reply, err)
      return
    }
    onSendEnd(reply, newPayload)
  })
}

/** Node's `toString` tag of a web `Response` (also from another realm or undici's own class). */
function isResponse (payload: object): payload is Response {
  return Object.prototype.toString.call(payload) === '[object Response]'
}

/** HTTP/2 writes large payloads in slices, waiting for 'drain', so memory stays bounded. */
const HTTP2_WRITE_CHUNK_SIZE = 64 * 1024

/** Writes the status line, headers and payload. */
export function onSendEnd (reply: Reply, payload: unknown): void {
  const res = reply.raw
  const headers = reply._headers
  // While the app closes, the connection stays open as in Fastify (a request already sent on it
  // is answered 503) and is closed a grace period after its response (AppState.closeIdleSoon),
  // so close() does not wait for keepAliveTimeout. A graceful shutdown (closeOnSignals) tells
  // keep-alive clients to go elsewhere instead. HTTP/2 has no such header.
  const app = reply.context.app
  if ((app.closing || app.draining) && reply.request.raw.httpVersionMajor < 2) {
    if (app.draining) headers.connection = 'close'
    else if (app.options.forceCloseConnections !== true) res.once('finish', app.closeIdleSoon)
  }
  if (reply._trailers !== null) announceTrailers(reply)
  if (payload !== null && typeof payload === 'object' && !Buffer.isBuffer(payload) && isResponse(payload)) {
    // A web Response brings its status and headers; its body (null or a ReadableStream) is the payload.
    reply.code(payload.status)
    for (const [name, value] of payload.headers) reply.header(name, value)
    if (payload.body !== null && payload.bodyUsed) {
      reply._isError = true
      send(reply, new FST_ERR_REP_RESPONSE_BODY_CONSUMED())
      return
    }
    payload = payload.body
  }
  const statusCode = res.statusCode
  if (payload === undefined || payload === null) {
    // RFC 9110 8.6: no Content-Length on 1xx, 204 and 304 responses, nor with trailers (chunked).
    // A HEAD route decides for itself (one made for a GET has set what the GET would send: see head-route.ts).
    if (statusCode >= 200 && statusCode !== 204 && statusCode !== 304 && reply.request.raw.method !== 'HEAD' && reply._trailers === null) {
      headers['content-length'] = '0'
    }
    if (!writeHead(reply, statusCode, headers)) return
    endWithTrailers(reply, payload)
    return
  }
  if ((statusCode >= 100 && statusCode < 200) || statusCode === 204) {
    // RFC 9110 8.6 and 15.3.5: these responses have no content, so no Content-Type or Content-Length either.
    delete headers['content-type']
    delete headers['content-length']
    if (!writeHead(reply, statusCode, headers)) return
    endWithTrailers(reply, undefined)
    if (typeof (payload as { resume?: unknown }).resume === 'function') {
      (payload as Readable).on('error', noop);
      (payload as Readable).resume()
    }
    return
  }
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
    if (typeof (payload as { pipe?: unknown }).pipe === 'function') {
      sendStream(reply, payload as NodeJS.ReadableStream)
      return
    }
    if (typeof (payload as { getReader?: unknown }).getReader === 'function') {
      sendWebStream(reply, payload as WebReadableStream)
      return
    }
    reply._isError = true
    send(reply, new FST_ERR_REP_INVALID_PAYLOAD_TYPE(typeof payload))
    return
  }
  if (reply._trailers === null) {
    const declared = headers['content-length'] as string | number | undefined
    if (declared === undefined || (reply.request.raw.method !== 'HEAD' && Number(declared) !== Buffer.byteLength(payload))) {
      headers['content-length'] = String(Buffer.byteLength(payload))
    }
  }
  if (!writeHead(reply, statusCode, headers)) return
  if (reply._trailers === null && (reply.request.raw.httpVersionMajor !== 2 || payload.length <= HTTP2_WRITE_CHUNK_SIZE)) {
    res.end(payload)
    return
  }
  writeSlices(reply, payload)
}

/**
 * Writes a payload that has trailers to follow, or a large HTTP/2 one: an HTTP/2 stream takes
 * at most its flow-control window at once, so the payload goes in slices, each after 'drain'.
 */
function writeSlices (reply: Reply, payload: string | Buffer): void {
  const res = reply.raw
  if (reply.request.raw.httpVersionMajor !== 2) {
    res.write(payload)
    endWithTrailers(reply, payload)
    return
  }
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload
  let offset = 0
  const writeNext = (): void => {
    while (offset < bytes.length) {
      if (res.destroyed || res.writableEnded) return
      const end = Math.min(offset + HTTP2_WRITE_CHUNK_SIZE, bytes.length)
      const more = res.write(bytes.subarray(offset, end))
      offset = end
      if (!more) {
        res.once('drain', writeNext)
        return
      }
    }
    endWithTrailers(reply, payload)
  }
  writeNext()
}
