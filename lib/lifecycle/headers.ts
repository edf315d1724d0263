/**
 * Writing the status line and headers without letting Node's refusals crash the process: a
 * header name that is not a token, a value with CR, LF or characters outside Latin-1, a status
 * outside 100-999, or (HTTP/2) a connection-specific header. The refusal becomes a 500 through
 * the error path, with the refused headers dropped.
 */
import type { Reply } from './reply.js'
import { validateHeaderName, validateHeaderValue } from 'node:http'
import { FST_ERR_BAD_STATUS_CODE } from '../errors.js'

/**
 * Writes the status line and headers. Node refuses header names that are not
 * tokens, values with CR, LF or characters outside Latin-1, and status codes
 * outside 100-999 by throwing (ERR_INVALID_CHAR, ERR_INVALID_HTTP_TOKEN,
 * ERR_HTTP_INVALID_STATUS_CODE...). A handler that echoes request input into a
 * header or a redirect would otherwise take the process down with that throw.
 * Returns false when the write was refused: the error path has taken over.
 */
export function writeHead (reply: Reply, statusCode: number, headers: Record<string, any>): boolean {
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
  reply.send(error)
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
      for (const item of value as unknown[]) validateHeaderValue(name, item as string)
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
