/**
 * Not-found handling: the default 404 answer and `setNotFoundHandler` per
 * prefix. The most specific prefix whose scope set a handler answers; the
 * 404 route runs that scope's hooks, as in Fastify.
 */
import { METHODS } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import fastQuerystring from 'fast-querystring'
import type { Request } from './request.js'
import type { Reply } from './reply.js'
import type { RouteContext } from './route-context.js'
import type { AppState } from '../app/app-state.js'
import { handleRequest } from './pipeline.js'
import { runRequestHooks } from './pipeline-hooks.js'
import { send } from './send.js'
import { FST_ERR_NOT_FOUND } from '../errors.js'

/** Fastify's default: `{ message: 'Route GET:/x not found', error: 'Not Found', statusCode: 404 }`. */
export function basic404 (request: Request, reply: Reply): void {
  const { url, method } = request.raw
  if (request.context.logRequests) request.context.app.logController.routeNotFound(request, reply)
  reply.code(404).send({ message: `Route ${method as string}:${url as string} not found`, error: 'Not Found', statusCode: 404 })
}

function pathOf (url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

function queryOf (url: string, parser: ((s: string) => Record<string, unknown>) | null): Record<string, unknown> {
  const q = url.indexOf('?')
  const qs = q === -1 ? '' : url.slice(q + 1)
  if (parser !== null) return parser(qs)
  return qs.length === 0 ? {} : fastQuerystring.parse(qs)
}

/** The 404 context whose prefix covers `url` best. */
export function notFoundContextFor (app: AppState, url: string): RouteContext {
  let path = pathOf(url)
  if (!app.caseSensitive) path = path.toLowerCase()
  for (const entry of app.notFoundContexts) {
    const prefix = app.caseSensitive ? entry.prefix : entry.prefix.toLowerCase()
    if (prefix === '' || path === prefix || (path.startsWith(prefix) && (prefix.endsWith('/') || path[prefix.length] === '/'))) {
      return entry.context
    }
  }
  return app.notFoundContexts[app.notFoundContexts.length - 1].context
}

/** Whether a path's percent-encoding decodes (find-my-way calls onBadUrl when it does not). */
function isDecodable (path: string): boolean {
  try {
    decodeURIComponent(path)
    return true
  } catch {
    return false
  }
}

/**
 * find-my-way's default route: no route matched the method and path. A path that cannot be
 * decoded is a bad URL (400) here too, as with Fastify, whose 404 router reports it even when no
 * route of the method exists.
 */
export function routeNotFound (app: AppState, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url as string
  if (!nodeMethods.has(req.method as string)) {
    unsupportedMethod(app, req, res)
    return
  }
  if (url.includes('%')) {
    const path = pathOf(url)
    if (!isDecodable(path)) {
      (app.routerOptions.onBadUrl as (path: string, req: IncomingMessage, res: ServerResponse) => void)(path, req, res)
      return
    }
  }
  const context = notFoundContextFor(app, url)
  handleRequest(req, res, {}, context, queryOf(url, app.querystringParser))
}

/** Every method Node.js parses; the not-found handlers answer them all, as Fastify's 404 router does. */
const nodeMethods = new Set(METHODS)

/**
 * The request and reply of a request answered outside any route (an unknown method, a URL
 * find-my-way refused): id, child logger and the incoming line as for any other request.
 * Null when the logger could not be made (the request was answered already).
 */
export function requestOutsideRoutes (app: AppState, context: RouteContext, req: IncomingMessage, res: ServerResponse): { request: Request, reply: Reply } | null {
  const id = context.genReqId(req)
  const log = app.requestLogger(id, context, req, res)
  if (log === null) return null
  const request = new context.Request(id, {}, req, {}, log, context, res)
  const reply = new context.Reply(res, request, log)
  // Its incoming line is logged like any other request's, as in Fastify.
  if (context.logRequests) app.logController.incomingRequest(request, reply)
  return { request, reply }
}

/**
 * A method Node.js does not know (HTTP/2 lets a client send any token): 404 FST_ERR_NOT_FOUND through
 * the root error handler, whatever not-found handler is set, as Fastify answers it.
 */
function unsupportedMethod (app: AppState, req: IncomingMessage, res: ServerResponse): void {
  const pair = requestOutsideRoutes(app, app.notFoundContexts[app.notFoundContexts.length - 1].context, req, res)
  if (pair === null) return
  const { reply } = pair
  reply.code(404)
  reply._isError = true
  send(reply, new FST_ERR_NOT_FOUND())
}

/** `reply.callNotFound()`: switch the request to the matching 404 context and run its handler. */
export function callNotFound (request: Request, reply: Reply): void {
  const current = request.context
  if (current.is404) {
    reply.log.warn('Trying to send a NotFound error inside a 404 handler. Sending basic 404 response.')
    reply.code(404).send('404 Not Found')
    return
  }
  const context = notFoundContextFor(current.app, request.raw.url as string)
  request.context = context
  reply.context = context
  const run = (): void => {
    let result: unknown
    try {
      result = context.handler.call(context.instance, request, reply)
    } catch (err) {
      reply._isError = true
      send(reply, err)
      return
    }
    if (result !== undefined && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then((payload: unknown) => { if (payload !== undefined && !reply.sent) send(reply, payload) }, (err: unknown) => {
        reply._isError = true
        send(reply, err)
      })
    } else if (result !== undefined) {
      send(reply, result)
    }
  }
  if (context.preHandler === null) {
    run()
    return
  }
  runRequestHooks(context.preHandler, request, reply, (err) => {
    if (err != null) {
      reply._isError = true
      send(reply, err)
      return
    }
    run()
  })
}
