/**
 * The HTTP server: node's own http, https or http2 modules, timeouts, and
 * the address list. Listening and closing are driven by instance.ts.
 */
import http from 'node:http'
import type https from 'node:https'
import type http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { coalesceWrites } from './socket-writes.js'

type Handler = (req: any, res: any) => void

// https and http2 (with tls and the crypto they load) are required only by the servers that use them:
// a plain HTTP start does not pay for them.
const require = createRequire(import.meta.url)

export interface ServerOptions {
  http2?: boolean
  https?: Record<string, unknown> | null
  connectionTimeout?: number
  keepAliveTimeout?: number
  requestTimeout?: number
  maxRequestsPerSocket?: number
  http2SessionTimeout?: number
  serverFactory?: (handler: Handler, opts: Record<string, unknown>) => any
  coalesceWrites?: boolean
}

export function createServer (options: ServerOptions, handler: Handler): any {
  let server: any
  if (typeof options.serverFactory === 'function') {
    server = options.serverFactory(handler, options as Record<string, unknown>)
  } else if (options.http2 === true) {
    const h2 = require('node:http2') as typeof http2
    server = options.https != null
      ? h2.createSecureServer({ allowHTTP1: true, ...options.https }, handler)
      : h2.createServer(handler)
    server.setTimeout(options.http2SessionTimeout ?? 72000)
  } else if (options.https != null) {
    server = (require('node:https') as typeof https).createServer({ ...options.https, requestTimeout: options.requestTimeout ?? 0 } as https.ServerOptions, handler)
  } else {
    server = http.createServer({ requestTimeout: options.requestTimeout ?? 0 }, handler)
    // Plain HTTP/1.1 only: TLS and HTTP/2 write through their own layers.
    if (options.coalesceWrites !== false) server.on('connection', coalesceWrites)
  }
  if (options.http2 !== true) {
    server.setTimeout(options.connectionTimeout ?? 0)
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72000
    if (options.maxRequestsPerSocket !== undefined) server.maxRequestsPerSocket = options.maxRequestsPerSocket
  }
  return server
}

/**
 * Fastify's default `clientErrorHandler`: requests Node.js cannot parse (a bad
 * Content-Length, Content-Length with Transfer-Encoding, oversized headers, a
 * body cut short) get a small JSON answer and the socket is closed. Runs with
 * the root instance as `this`.
 */
export function defaultClientErrorHandler (this: { log: { trace: (...args: unknown[]) => void } }, err: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  // A reset connection is already gone (https://nodejs.org/api/http.html#event-clienterror).
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  let status = 400
  let message = 'Client Error'
  let label = 'error'
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408
    message = 'Client Timeout'
    label = 'timeout'
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431
    message = 'Exceeded maximum allowed HTTP header size'
    label = 'header_overflow'
  }
  const reason = http.STATUS_CODES[status] as string
  const body = `{"error":"${reason}","message":"${message}","statusCode":${status}}`
  this.log.trace({ err }, `client ${label}`)
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

/** `http://127.0.0.1:3000`, `http://[::1]:3000`, or the pipe path. */
export function formatAddress (address: AddressInfo | string | null, secure: boolean): string {
  if (address === null) return ''
  if (typeof address === 'string') return address
  const host = address.family === 'IPv6' || (address.family as unknown) === 6 ? `[${address.address}]` : address.address
  return `${secure ? 'https' : 'http'}://${host}:${address.port}`
}
