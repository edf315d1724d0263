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
import type { EventEmitter } from 'node:events'

type Handler = (req: any, res: any) => void

// https and http2 (with tls and the crypto they load) are required only by the servers that use them:
// a plain HTTP start does not pay for them.
const require = createRequire(import.meta.url)

/**
 * The server the app answers on: Node's HTTP, HTTPS or HTTP/2 server, or what the `serverFactory`
 * option returned (which may lack the newer methods).
 */
export interface AppServer extends EventEmitter {
  listen (options: Record<string, unknown>): unknown
  close (): unknown
  address (): AddressInfo | string | null
  closeAllConnections?: () => void
  closeIdleConnections?: () => void
  /** Set by createServer for HTTP/2 with `forceCloseConnections: true` (server.ts). */
  closeHttp2Sessions?: () => void
}

export interface ServerOptions {
  http2?: boolean
  https?: Record<string, unknown> | true | null
  /** Options for `http.createServer` (or `http2.createServer` in cleartext): `maxHeaderSize`, `requireHostHeader`... */
  http?: Record<string, unknown> | null
  connectionTimeout?: number
  keepAliveTimeout?: number
  requestTimeout?: number
  maxRequestsPerSocket?: number
  http2SessionTimeout?: number
  forceCloseConnections?: boolean | 'idle'
  serverFactory?: (handler: Handler, opts: Record<string, unknown>) => any
  coalesceWrites?: boolean
}

/**
 * Builds the server as Fastify does: the `http` option goes to `http.createServer` (and to
 * `http2.createServer` in cleartext), the timeouts are set on the server Velox creates, HTTP/2
 * sessions close gracefully after `http2SessionTimeout` idle milliseconds, and a `serverFactory`
 * server is the user's own: no timeout is set on it.
 */
export function createServer (options: ServerOptions, handler: Handler): AppServer {
  if (typeof options.serverFactory === 'function') return options.serverFactory(handler, options as Record<string, unknown>)
  const httpsOptions = options.https === true ? {} : options.https
  const connectionTimeout = options.connectionTimeout ?? 0
  if (options.http2 === true) {
    const h2 = require('node:http2') as typeof http2
    const server: any = httpsOptions != null
      ? h2.createSecureServer({ allowHTTP1: true, ...httpsOptions }, handler)
      : h2.createServer(options.http ?? {}, handler)
    const sessionTimeout = options.http2SessionTimeout ?? 72000
    server.on('session', (session: http2.ServerHttp2Session) => {
      session.setTimeout(sessionTimeout, () => { session.close() })
    })
    if (options.forceCloseConnections === true) server.closeHttp2Sessions = trackHttp2Sessions(server)
    server.setTimeout(connectionTimeout)
    return server
  }
  let server: any
  if (httpsOptions != null) {
    server = (require('node:https') as typeof https).createServer(httpsOptions as https.ServerOptions, handler)
  } else {
    server = http.createServer(options.http ?? {}, handler)
    // Plain HTTP/1.1 only: TLS and HTTP/2 write through their own layers.
    if (options.coalesceWrites !== false) server.on('connection', coalesceWrites)
  }
  server.keepAliveTimeout = options.keepAliveTimeout ?? 72000
  server.requestTimeout = options.requestTimeout ?? 0
  server.setTimeout(connectionTimeout)
  // As in Fastify, 0 means Node's default (no limit).
  if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket
  return server
}

/**
 * With `forceCloseConnections: true`, what an HTTP/2 server has instead of closeAllConnections(),
 * as Fastify gives it: the open sessions are tracked, and close() closes each (GOAWAY; a stream a
 * client opens afterwards is refused with NGHTTP2_REFUSED_STREAM).
 */
function trackHttp2Sessions (server: http2.Http2Server): () => void {
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on('session', (session: http2.ServerHttp2Session) => {
    sessions.add(session)
    const forget = (): void => { sessions.delete(session) }
    session.once('close', forget)
    session.once('goaway', forget)
  })
  return function closeHttp2Sessions () {
    for (const session of sessions) session.close()
  }
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
