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
import { handleError } from './error-handler.js'
import { FST_ERR_REP_ALREADY_SENT, FST_ERR_REP_INVALID_PAYLOAD_TYPE, VLX_ERR_SERIALIZATION, FST_ERR_SEND_INSIDE_ONERR, FST_ERR_BAD_STATUS_CODE } from '../errors.js'
import { runPayloadHooks } from './pipeline-hooks.js'
import { Readable } from 'node:stream'
import { validateHeaderName, validateHeaderValue } from 'node:http'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'

function noop (): void {}

const CONTENT_TYPE_JSON = 'application/json; charset=utf-8'
const CONTENT_TYPE_PLAIN = 'text/plain; charset=utf-8'
const CONTENT_TYPE_OCTET = 'application/octet-stream'

export function send (reply: Reply, payload: unknown): void {
  if (reply._runningOnError) throw new FST_ERR_SEND_INSIDE_ONERR()
  if (reply.sent) {
    if (reply._hijacked) {
      reply.log.warn(`Reply was hijacked; send() ignored for ${reply.request.method} ${reply.request.url}`)
      return
    }
    const err = new FST_ERR_REP_ALREADY_SENT(reply.request.url, reply.request.method)
    reply.log.warn({ err }, err.message)
    return
  }
  if (reply._isError || payload instanceof Error) {
    // Whatever was thrown or rejected, an Error or not, reaches onError hooks and error handlers
    // as it is, as in Fastify; the default handler sends a non-Error value like any payload.
    reply._isError = false
    handleError(reply, payload)
    return
  }
  if (payload === undefined) {
    onSendHook(reply, undefined)
    return
  }
  const contentType = reply._headers['content-type'] as string | undefined
  if (payload !== null) {
    if (typeof (payload as { pipe?: unknown }).pipe === 'function' || typeof (payload as { getReader?: unknown }).getReader === 'function') {
      // Node and web streams go to onSend untouched, as in Fastify.
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
  if (contentType === undefined || contentType.includes('json')) {
    if (contentType === undefined) reply._headers['content-type'] = CONTENT_TYPE_JSON
    else if (!contentType.includes('charset')) reply._headers['content-type'] = contentType + '; charset=utf-8'
    if (typeof payload !== 'string') {
      preSerialization(reply, payload)
      return
    }
  }
  onSendHook(reply, payload)
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
  const fn = context.serializerFor(statusCode, reply._headers['content-type'])
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

/** Writes the status line, headers and payload. */
export function onSendEnd (reply: Reply, payload: unknown): void {
  const res = reply.raw
  const headers = reply._headers
  const statusCode = res.statusCode
  // While the app closes, tell keep-alive clients not to reuse the connection, so close()
  // does not wait for their idle sockets to time out (HTTP/2 has no such header).
  const app = reply.context.app
  if ((app.closing || app.draining) && reply.request.raw.httpVersionMajor < 2) headers.connection = 'close'
  if (payload === undefined || payload === null) {
    // RFC 9110 8.6: no Content-Length on 1xx, 204 and 304 responses. A HEAD route decides for
    // itself (one made for a GET has set what the GET would send: see head-route.ts).
    if (statusCode >= 200 && statusCode !== 204 && statusCode !== 304 && reply.request.raw.method !== 'HEAD') {
      headers['content-length'] = '0'
    }
    if (!writeHead(reply, statusCode, headers)) return
    res.end()
    return
  }
  if ((statusCode >= 100 && statusCode < 200) || statusCode === 204) {
    // RFC 9110 8.6 and 15.3.5: these responses have no content, so no Content-Type or Content-Length either.
    delete headers['content-type']
    delete headers['content-length']
    if (!writeHead(reply, statusCode, headers)) return
    res.end()
    if (typeof (payload as { resume?: unknown }).resume === 'function') {
      (payload as Readable).on('error', noop);
      (payload as Readable).resume()
    }
    return
  }
  if (typeof (payload as { pipe?: unknown }).pipe === 'function') {
    sendStream(reply, payload as NodeJS.ReadableStream)
    return
  }
  if (typeof (payload as { getReader?: unknown }).getReader === 'function') {
    sendStream(reply, Readable.fromWeb(payload as WebReadableStream))
    return
  }
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
    reply._isError = true
    send(reply, new FST_ERR_REP_INVALID_PAYLOAD_TYPE(typeof payload))
    return
  }
  const declared = headers['content-length']
  if (declared === undefined || (reply.request.raw.method !== 'HEAD' && Number(declared) !== Buffer.byteLength(payload))) {
    headers['content-length'] = String(Buffer.byteLength(payload))
  }
  if (!writeHead(reply, statusCode, headers)) return
  res.end(payload)
}

/**
 * Writes the status line and headers. Node refuses header names that are not
 * tokens, values with CR, LF or characters outside Latin-1, and status codes
 * outside 100-999 by throwing (ERR_INVALID_CHAR, ERR_INVALID_HTTP_TOKEN,
 * ERR_HTTP_INVALID_STATUS_CODE...). A handler that echoes request input into a
 * header or a redirect would otherwise take the process down with that throw.
 * Returns false when the write was refused: the error path has taken over.
 */
function writeHead (reply: Reply, statusCode: number, headers: Record<string, any>): boolean {
  if (statusCode < 200 || statusCode === 204 || statusCode === 304) {
    // Node marks these responses bodiless inside writeHead before it checks the headers, so a
    // refused write would leave the error answer without its body: check them first.
    const invalid = invalidHeaderError(reply)
    if (invalid !== null) {
      headersRefused(reply, invalid)
      return false
    }
  }
  try {
    reply.raw.writeHead(statusCode, headers)
    return true
  } catch (err) {
    headersRefused(reply, err as NodeJS.ErrnoException)
    return false
  }
}

/**
 * As in Fastify, the refusal becomes a 500 through the error path (Node's error
 * and code, whose message names the header but never its value), logged at
 * warn. Unlike Fastify, which retries every error handler with the same bad
 * headers and finally writes none at all, the refused headers are dropped
 * first, so the error answer keeps the reply's valid headers (CORS, security
 * headers) and an error handler's answer can go out.
 */
export function headersRefused (reply: Reply, err: NodeJS.ErrnoException): void {
  const res = reply.raw
  if (err.code === 'ERR_HTTP_HEADERS_SENT' || res.headersSent) {
    // Something wrote to reply.raw directly and then sent through the reply too: the response is
    // already on its way and cannot become an error answer any more.
    reply.log.warn(`Reply was already sent, did you forget to "return reply" in the "${reply.request.raw.url as string}" (${reply.request.raw.method as string}) route?`)
    res.destroy()
    return
  }
  reply.context.app.logController.writeHeadError(err, reply.request, reply)
  dropInvalidHeaders(reply)
  // A refused header or status is the server's fault, whatever status the reply had: 500.
  const error: Error = isValidStatus(res.statusCode) ? err : new FST_ERR_BAD_STATUS_CODE(String(res.statusCode), { cause: err })
  res.statusCode = 500
  reply._isError = true
  send(reply, error)
}

function isValidStatus (statusCode: unknown): boolean {
  return Number.isInteger(statusCode) && (statusCode as number) >= 100 && (statusCode as number) <= 999
}

/** HTTP/2 forbids connection-specific header fields (RFC 9113 8.2.2); Node throws on them. */
const http2Forbidden = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'])

/** Removes every header Node would refuse, from the reply and from the raw response. */
export function dropInvalidHeaders (reply: Reply): void {
  const headers = reply._headers
  const h2 = reply.request.raw.httpVersionMajor === 2
  for (const name of Object.keys(headers)) {
    if (!isValidHeader(name, headers[name], h2)) delete headers[name]
  }
  const res = reply.raw
  for (const name of res.getHeaderNames()) {
    if (!isValidHeader(name, res.getHeader(name), h2)) res.removeHeader(name)
  }
}

function isValidHeader (name: string, value: unknown, h2: boolean): boolean {
  return headerError(name, value, h2) === null
}

/** Node's own error for a header it would refuse, else null. */
function headerError (name: string, value: unknown, h2: boolean): NodeJS.ErrnoException | null {
  try {
    validateHeaderName(name)
    if (Array.isArray(value)) {
      for (const item of value) validateHeaderValue(name, item)
    } else {
      validateHeaderValue(name, value as string)
    }
  } catch (err) {
    return err as NodeJS.ErrnoException
  }
  if (h2 && (http2Forbidden.has(name) || (name === 'te' && value !== 'trailers'))) {
    const err: NodeJS.ErrnoException = new TypeError(`HTTP/1 Connection specific headers are forbidden: "${name}"`)
    err.code = 'ERR_HTTP2_INVALID_CONNECTION_HEADERS'
    return err
  }
  return null
}

/**
 * Throws Node's own error for the first header it would refuse. Node 20 writes the non-`link`
 * fields of a 103 Early Hints response unchecked, so request input there could add headers
 * of its own (`x-a: 1\r\nset-cookie: ...`); Node 24 refuses them, and so does Velox everywhere.
 */
export function assertValidHeaders (headers: Record<string, unknown>, h2: boolean): void {
  for (const name of Object.keys(headers)) {
    const err = headerError(name, headers[name], h2)
    if (err !== null) throw err
  }
}

/** The error Node would raise for the first header of the reply it refuses, else null. */
function invalidHeaderError (reply: Reply): NodeJS.ErrnoException | null {
  const headers = reply._headers
  const h2 = reply.request.raw.httpVersionMajor === 2
  for (const name of Object.keys(headers)) {
    const err = headerError(name, headers[name], h2)
    if (err !== null) return err
  }
  return null
}

function sendStream (reply: Reply, payload: NodeJS.ReadableStream): void {
  const res = reply.raw
  let sourceOpen = true
  let errorLogged = false
  const stream = payload as NodeJS.ReadableStream & { destroy?: (err?: Error) => void, destroyed?: boolean }

  res.on('close', function onResClose () {
    if (sourceOpen && typeof stream.destroy === 'function' && stream.destroyed !== true) {
      // The client went away: stop producing data nobody will read.
      stream.destroy()
    }
  })
  stream.on('end', () => { sourceOpen = false })
  stream.on('close', () => { sourceOpen = false })
  stream.on('error', function onStreamError (err: Error) {
    sourceOpen = false
    if (res.headersSent || reply.request.raw.destroyed) {
      if (!errorLogged) {
        errorLogged = true
        reply.context.app.logController.streamError(err, reply.request, reply)
      }
      res.destroy()
      return
    }
    for (const name of Object.keys(reply._headers)) res.removeHeader(name)
    reply._isError = true
    send(reply, err)
  })
  // Headers are written with the first chunk, so an early stream error can still become an error response.
  if (!res.headersSent) {
    try {
      for (const name of Object.keys(reply._headers)) res.setHeader(name, reply._headers[name])
    } catch (err) {
      // Nothing was read from the source yet: release it, then answer the error.
      sourceOpen = false
      stream.on('error', noop)
      if (typeof stream.destroy === 'function') stream.destroy()
      headersRefused(reply, err as NodeJS.ErrnoException)
      return
    }
  }
  stream.pipe(res)
}
