/**
 * The request pipeline, and nothing else:
 *
 *   onRequest -> preParsing -> parsing -> preValidation -> validation ->
 *   preHandler -> handler -> reply.send (preSerialization -> onSend -> write)
 *   -> onResponse
 *
 * Every stage checks a precomputed field of the RouteContext; a route with no
 * hooks, no schema and no body pays a null comparison per stage.
 */
import { AsyncResource } from 'node:async_hooks'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { RouteContext } from './route-context.js'
import type { Request } from './request.js'
import type { Reply } from './reply.js'
import { runAbortHooks as runAbortHookList, runPayloadHooks, runRequestHooks } from './pipeline-hooks.js'
import { invalidMediaType, readBody, runParser } from './body.js'
import { validateRequest } from '../schema/validation.js'
import { FST_ERR_CTP_INVALID_MEDIA_TYPE, FST_ERR_ROUTE_MISSING_CONTENT_TYPE } from '../errors.js'
import { send, warnAlreadySent } from './send.js'
import { armHandlerTimeout } from './handler-timeout.js'
import { handlerChannel } from './diagnostics.js'
import type { HandlerStore } from './diagnostics.js'
import { setErrorStatusCode } from './error-handler.js'

/** Entry point of a matched route (the find-my-way handler). */
export function handleRequest (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
  context: RouteContext,
  query: Record<string, unknown>
): void {
  // The one check compilation on demand costs a request: false only until the route's first request.
  if (!context.compiled) context.compileOnDemand()
  const app = context.app
  const id = context.genReqId(req)
  const log = app.requestLogger(id, context, req, res)
  if (log === null) return
  if (app.closing) {
    // A request that still arrives on a busy keep-alive connection while the server drains.
    if (req.httpVersionMajor !== 2) res.setHeader('connection', 'close')
    // A graceful shutdown (closeOnSignals) serves these: the client learns to go elsewhere from
    // `connection: close`, where a 503 would be a failed request.
    if (app.return503OnClosing && !app.draining) {
      // Fastify's exact answer, written before any hook runs so the load balancer retries elsewhere.
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': '80' })
      res.end('{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}')
      app.logController.serviceUnavailable(log, context.instance)
      return
    }
  }
  const request = new context.Request(id, params, req, query, log, context, res)
  const reply = new context.Reply(res, request, log)
  if (context.handlerTimeout !== 0) armHandlerTimeout(request, reply, context.handlerTimeout)
  if (context.logRequests) app.logController.incomingRequest(request, reply)
  if (context.logRequests || context.onResponse !== null) {
    res.once('finish', function onResponseFinished () { onResponse(request, reply) })
  }
  if (context.onTimeout !== null) watchTimeout(req.socket as TimeoutSocket | null, reply)
  if (context.onRequestAbort !== null) {
    res.once('close', function onResponseClose () {
      // writableEnded: inject's responses close without ever reporting writableFinished.
      if (!res.writableEnded) runAbortHooks(context.onRequestAbort as never, request, reply)
    })
  }
  if (context.onRequest === null) {
    afterOnRequest(request, reply)
    return
  }
  runRequestHooks(context.onRequest, request, reply, function onRequestDone (err) {
    if (err != null) {
      fail(reply, err)
      return
    }
    afterOnRequest(request, reply)
  })
}

function noop (): void {}

const kTimeoutReply = Symbol('velox.timeoutReply')
type TimeoutSocket = NodeJS.EventEmitter & { [kTimeoutReply]?: Reply }

/**
 * One 'timeout' listener per socket, pointed at the socket's current reply:
 * a listener per request would pile up on keep-alive connections (Fastify
 * keeps the same per-socket record).
 */
function watchTimeout (socket: TimeoutSocket | null, reply: Reply): void {
  if (socket === null || typeof socket.on !== 'function') return
  if (socket[kTimeoutReply] === undefined) socket.on('timeout', onSocketTimeout)
  socket[kTimeoutReply] = reply
}

function onSocketTimeout (this: TimeoutSocket): void {
  const reply = this[kTimeoutReply]
  // An idle keep-alive socket timing out after its last response is not a request timeout.
  if (reply === undefined || reply.raw.writableEnded) return
  const hooks = reply.context.onTimeout
  if (hooks !== null) runRequestHooks(hooks, reply.request, reply, noop, true)
}

function runAbortHooks (hooks: Array<(...args: any[]) => any>, request: Request, reply: Reply): void {
  runAbortHookList(hooks, request, function onRequestAbortDone (err) {
    if (err != null) reply.log.error({ err }, 'onRequestAborted hook failed')
  })
}

function fail (reply: Reply, err: unknown): void {
  if (reply.sent) {
    // A hijacked reply belongs to the code that hijacked it (it may have taken the socket over),
    // so nothing is written. A hook that fails after hijacking is ignored as in Fastify, which
    // logs nothing for it; Velox keeps a debug line.
    if (reply._hijacked) reply.log.debug({ err }, 'error after the reply was hijacked')
    return
  }
  reply._isError = true
  send(reply, err)
}

function afterOnRequest (request: Request, reply: Reply): void {
  if (reply.sent) return
  const context = request.context
  if (context.preParsing === null) {
    parseBody(request, reply)
    return
  }
  runPayloadHooks(context.preParsing, reply, request.raw, function preParsingDone (err, payload) {
    if (err != null) {
      fail(reply, err)
      return
    }
    if (payload !== request.raw) request.payloadStream = payload as NodeJS.ReadableStream
    parseBody(request, reply)
  }, true)
}

function parseBody (request: Request, reply: Reply): void {
  if (reply.sent) return
  const method = request.raw.method as string
  // GET, HEAD and TRACE bodies have no meaning (RFC 9110); methods added without a body neither.
  if (request.context.app.bodylessMethods.has(method)) {
    afterParsing(request, reply)
    return
  }
  const headers = request.headers
  const contentType: string | undefined = headers['content-type']
  if (contentType === undefined && method === 'QUERY') {
    // RFC 10008 2: a QUERY request without a media type must fail.
    reply.code(400)
    fail(reply, new FST_ERR_ROUTE_MISSING_CONTENT_TYPE(method))
    return
  }
  const contentLength: string | undefined = headers['content-length']
  const transferEncoding: string | undefined = headers['transfer-encoding']
  // A request that names a Content-Type is parsed even without a body (OPTIONS too, as in
  // Fastify 5.12: a CORS preflight sends no Content-Type of its own).
  if (contentType === undefined && (contentLength === undefined || contentLength === '0') && transferEncoding === undefined && request.payloadStream === null) {
    afterParsing(request, reply)
    return
  }
  const context = request.context
  const parser = context.parsers.find(contentType)
  if (parser === invalidMediaType) {
    // A Content-Type that is not a media type is refused before routing matters, as in Fastify.
    fail(reply, new FST_ERR_CTP_INVALID_MEDIA_TYPE())
    return
  }
  if (parser === null) {
    if (context.is404) {
      afterParsing(request, reply)
      return
    }
    fail(reply, new FST_ERR_CTP_INVALID_MEDIA_TYPE())
    return
  }
  // The body arrives in the socket's async context, and a parser may answer from another one: as
  // in Fastify, what follows parsing runs in the request's, so AsyncLocalStorage stores entered
  // by onRequest hooks are still there in the handler and the error handler.
  const resource = new AsyncResource('content-type-parser:run', { requireManualDestroy: true })
  const onBody = (body: unknown): void => {
    resource.runInAsyncScope(bodyParsed, null, resource, request, reply, body)
  }
  const onError = (err: Error, closeConnection: boolean): void => {
    resource.runInAsyncScope(bodyFailed, null, resource, reply, err, closeConnection)
  }
  const stream = (request.payloadStream ?? request.raw) as Readable
  if (parser.parseAs === 0) {
    runParser(parser, request, stream, context.instance, onBody, onError)
    return
  }
  // As in Fastify, a route's own bodyLimit wins over the parser's, which wins over the server's.
  const limit: number = context.options.bodyLimit ?? parser.bodyLimit ?? context.bodyLimit
  readBody(request, stream, parser, limit, context.instance, onBody, onError)
}

function bodyParsed (resource: AsyncResource, request: Request, reply: Reply, body: unknown): void {
  resource.emitDestroy()
  request.body = body
  afterParsing(request, reply)
}

function bodyFailed (resource: AsyncResource, reply: Reply, err: Error, closeConnection: boolean): void {
  resource.emitDestroy()
  if (closeConnection) reply.header('connection', 'close')
  fail(reply, err)
}

function afterParsing (request: Request, reply: Reply): void {
  if (reply.sent) return
  const context = request.context
  if (context.preValidation === null) {
    validate(request, reply)
    return
  }
  runRequestHooks(context.preValidation, request, reply, function preValidationDone (err) {
    if (err != null) {
      fail(reply, err)
      return
    }
    validate(request, reply)
  })
}

function validate (request: Request, reply: Reply): void {
  const context = request.context
  if (context.hasValidation) {
    let error
    try {
      error = validateRequest(context, request)
    } catch (err) {
      // A validator or a schemaErrorFormatter that throws: its error is the answer, as in Fastify.
      fail(reply, err)
      return
    }
    if (error !== null) {
      if (error instanceof Promise) {
        // An asynchronous validator (ajv `$async`): continue once it settles.
        error.then(function asyncValidationDone (asyncError) {
          if (asyncError !== null && !context.attachValidation) {
            fail(reply, asyncError)
            return
          }
          if (asyncError !== null) request.validationError = asyncError
          afterValidation(request, reply)
        }, function asyncValidationFailed (err) { fail(reply, err) })
        return
      }
      if (context.attachValidation) {
        request.validationError = error
      } else {
        fail(reply, error)
        return
      }
    }
  }
  afterValidation(request, reply)
}

function afterValidation (request: Request, reply: Reply): void {
  const context = request.context
  if (context.preHandler === null) {
    runHandler(request, reply)
    return
  }
  runRequestHooks(context.preHandler, request, reply, function preHandlerDone (err) {
    if (err != null) {
      if (handlerChannel.hasSubscribers && !context.is404 && !reply.sent) traceHandler(request, reply, err)
      else fail(reply, err)
      return
    }
    runHandler(request, reply)
  })
}

function runHandler (request: Request, reply: Reply): void {
  if (reply.sent) return
  const context = request.context
  if (handlerChannel.hasSubscribers && !context.is404) {
    traceHandler(request, reply, null)
    return
  }
  let result
  try {
    result = context.handler.call(context.instance, request, reply)
  } catch (err) {
    // A handler that throws after it hijacked or sent the reply: Fastify's warning, with the error.
    if (reply.sent) warnAlreadySent(reply, err)
    else fail(reply, err)
    return
  }
  if (result === undefined) return
  if (result !== null && typeof result.then === 'function') {
    result.then(function onHandlerResolve (payload: unknown) { handlerResolved(request, reply, payload) },
      function onHandlerReject (err: unknown) { handlerRejected(reply, err) })
    return
  }
  send(reply, result)
}

function handlerResolved (request: Request, reply: Reply, payload: unknown): void {
  if (reply._hijacked) return
  if (payload !== undefined) {
    send(reply, payload)
    return
  }
  if (!reply.sent && !reply.raw.headersSent && request.raw.socket?.destroyed !== true) {
    // An async handler that resolved with nothing and never replied: answer empty.
    send(reply, undefined)
  }
}

function handlerRejected (reply: Reply, err: unknown): void {
  if (reply.sent) {
    reply.log.error({ err }, 'Promise errored, but reply.sent = true was set')
    return
  }
  fail(reply, err)
}

/**
 * The handler inside the `fastify.request.handler` tracing channel (only while someone
 * subscribes): start and end around the call, error with the status the error answer will have,
 * asyncStart and asyncEnd around the settling of a returned promise. A preHandler error is
 * published as the handler's error, as Fastify does.
 */
function traceHandler (request: Request, reply: Reply, err: unknown): void {
  const context = request.context
  const store: HandlerStore = { request, reply, async: false, route: { url: context.config.url, method: context.config.method } }
  reply._diagnostics = store
  handlerChannel.start.runStores(store, tracedHandler, undefined, request, reply, store, err)
}

function tracedError (reply: Reply, store: HandlerStore, err: unknown): void {
  store.error = err
  setErrorStatusCode(reply, err)
  handlerChannel.error.publish(store)
}

function tracedHandler (request: Request, reply: Reply, store: HandlerStore, preHandlerError: unknown): void {
  try {
    if (preHandlerError != null) {
      tracedError(reply, store, preHandlerError)
      fail(reply, preHandlerError)
      return
    }
    const context = request.context
    let result
    try {
      result = context.handler.call(context.instance, request, reply)
    } catch (err) {
      tracedError(reply, store, err)
      if (reply.sent) warnAlreadySent(reply, err)
      else fail(reply, err)
      return
    }
    if (result === undefined) return
    if (result !== null && typeof result.then === 'function') {
      store.async = true
      result.then(function onTracedResolve (payload: unknown) {
        if (reply._hijacked) return
        handlerChannel.asyncStart.publish(store)
        try {
          handlerResolved(request, reply, payload)
        } finally {
          handlerChannel.asyncEnd.publish(store)
        }
      }, function onTracedReject (err: unknown) {
        tracedError(reply, store, err)
        handlerChannel.asyncStart.publish(store)
        try {
          handlerRejected(reply, err)
        } finally {
          handlerChannel.asyncEnd.publish(store)
        }
      })
      return
    }
    send(reply, result)
  } finally {
    handlerChannel.end.publish(store)
  }
}

/** onResponse hooks, then "request completed" (or "request errored" when a hook failed). */
export function onResponse (request: Request, reply: Reply): void {
  const context = request.context
  if (context.onResponse !== null) {
    runRequestHooks(context.onResponse, request, reply, function onResponseDone (err) {
      if (context.logRequests) context.app.logController.requestCompleted(err, request, reply)
    }, true)
    return
  }
  if (context.logRequests) context.app.logController.requestCompleted(null, request, reply)
}
