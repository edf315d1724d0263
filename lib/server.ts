/**
 * The HTTP server: node's own http, https or http2 modules, timeouts, and
 * the address list. Listening and closing are driven by instance.ts.
 */
import http from 'node:http'
import https from 'node:https'
import http2 from 'node:http2'
import type { AddressInfo } from 'node:net'

type Handler = (req: any, res: any) => void

export interface ServerOptions {
  http2?: boolean
  https?: Record<string, unknown> | null
  connectionTimeout?: number
  keepAliveTimeout?: number
  requestTimeout?: number
  maxRequestsPerSocket?: number
  http2SessionTimeout?: number
  serverFactory?: (handler: Handler, opts: Record<string, unknown>) => any
}

export function createServer (options: ServerOptions, handler: Handler): any {
  let server: any
  if (typeof options.serverFactory === 'function') {
    server = options.serverFactory(handler, options as Record<string, unknown>)
  } else if (options.http2 === true) {
    server = options.https != null
      ? http2.createSecureServer({ allowHTTP1: true, ...options.https }, handler)
      : http2.createServer(handler)
    server.setTimeout(options.http2SessionTimeout ?? 72000)
  } else if (options.https != null) {
    server = https.createServer({ ...options.https, requestTimeout: options.requestTimeout ?? 0 } as https.ServerOptions, handler)
  } else {
    server = http.createServer({ requestTimeout: options.requestTimeout ?? 0 }, handler)
  }
  if (options.http2 !== true) {
    server.setTimeout(options.connectionTimeout ?? 0)
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72000
    if (options.maxRequestsPerSocket !== undefined) server.maxRequestsPerSocket = options.maxRequestsPerSocket
  }
  return server
}

/** `http://127.0.0.1:3000`, `http://[::1]:3000`, or the pipe path. */
export function formatAddress (address: AddressInfo | string | null, secure: boolean): string {
  if (address === null) return ''
  if (typeof address === 'string') return address
  const host = address.family === 'IPv6' || (address.family as unknown) === 6 ? `[${address.address}]` : address.address
  return `${secure ? 'https' : 'http'}://${host}:${address.port}`
}
