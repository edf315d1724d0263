/**
 * The log lines Velox writes about requests, in one class a user can extend (Fastify 5.12's
 * `LogController`, given as the `logController` option): whether a request is logged at all,
 * "incoming request", "request completed" / "request errored", the default error handler's line,
 * stream errors, the default 404's line, refused headers, failing serializers and the 503 sent
 * while closing. Every message, level and field is Fastify's, so log queries keep matching.
 */
import type { BaseLogger } from 'pino'

// What the lines read of a request and a reply: a VeloxRequest / VeloxReply (or Fastify's) is
// one, so a subclass may type its parameters with those names and pass them on to super.
interface LoggedRequest { log: BaseLogger, raw: { url?: string | undefined, method?: string | undefined } }
interface LoggedReply { log: BaseLogger, statusCode: number, elapsedTime: number }

export interface LogControllerOptions {
  /** `true`, or a function of the request answering true, silences the per-request lines. */
  disableRequestLogging?: boolean | ((request: any) => boolean)
  /** The binding that carries the request id in each request's logger (default `reqId`). */
  requestIdLogLabel?: string
}

/**
 * Writes Velox's per-request log lines. Extend it and pass an instance as `logController` to
 * change one line without touching the others.
 *
 * @example
 * import velox, { LogController } from 'velox'
 * class QuietHealth extends LogController {
 *   isLogDisabled (request) { return request.url === '/health' }
 * }
 * const app = velox({ logger: true, logController: new QuietHealth() })
 */
export class LogController {
  disableRequestLogging: boolean | ((request: any) => boolean)
  readonly isDisableRequestLoggingFunction: boolean
  requestIdLogLabel: string

  constructor (options?: LogControllerOptions) {
    const opts = options ?? {}
    this.disableRequestLogging = opts.disableRequestLogging ?? false
    this.isDisableRequestLoggingFunction = typeof this.disableRequestLogging === 'function'
    this.requestIdLogLabel = opts.requestIdLogLabel ?? 'reqId'
  }

  /** true when the request's log lines are skipped. */
  isLogDisabled (request: unknown): boolean {
    return this.isDisableRequestLoggingFunction
      ? (this.disableRequestLogging as (request: unknown) => boolean)(request) === true
      : this.disableRequestLogging === true
  }

  incomingRequest (request: LoggedRequest, _reply?: LoggedReply, _metadata?: unknown): void {
    if (this.isLogDisabled(request)) return
    request.log.info({ req: request }, 'incoming request')
  }

  /** At `error` with the error when something failed after the response (an onResponse hook), else `info`. */
  requestCompleted (error: unknown, request: LoggedRequest, reply: LoggedReply, _metadata?: unknown): void {
    if (this.isLogDisabled(request)) return
    if (error != null && error !== false) {
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    } else {
      reply.log.info({ res: reply, responseTime: reply.elapsedTime }, 'request completed')
    }
  }

  /** The default error handler's line: `error` for 5xx answers, `info` for 4xx. */
  defaultErrorLog (error: unknown, request: LoggedRequest, reply: LoggedReply, _metadata?: unknown): void {
    if (this.isLogDisabled(request)) return
    if (reply.statusCode >= 500) {
      reply.log.error({ req: request, res: reply, err: error }, messageOf(error))
    } else {
      reply.log.info({ res: reply, err: error }, messageOf(error))
    }
  }

  /** A payload stream that failed once the headers were on their way. */
  streamError (error: unknown, request: LoggedRequest, reply: LoggedReply, _metadata?: unknown): void {
    if (this.isLogDisabled(request)) return
    if ((error as { code?: unknown } | null | undefined)?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
      reply.log.info({ res: reply }, 'stream closed prematurely')
    } else {
      reply.log.warn({ err: error }, 'response terminated with an error with headers already sent')
    }
  }

  /** The default not-found handler's line. */
  routeNotFound (request: LoggedRequest, _reply?: LoggedReply, _metadata?: unknown): void {
    if (this.isLogDisabled(request)) return
    const { url, method } = request.raw
    request.log.info(`Route ${method as string}:${url as string} not found`)
  }

  /**
   * A status line or header Node refused to write. Unlike Fastify's, the line carries no `req`:
   * a refused header value usually echoes request input (the URL), which should not be repeated
   * next to the refusal (Node's error names the header, never its value).
   */
  writeHeadError (error: unknown, request: LoggedRequest, reply: LoggedReply, _metadata?: unknown): void {
    if (this.isLogDisabled(request)) return
    reply.log.warn({ res: reply, err: error }, messageOf(error))
  }

  /** A response serializer that threw while serializing an error payload. */
  serializerError (error: unknown, request: LoggedRequest, reply: LoggedReply, metadata: { statusCode: number }): void {
    if (this.isLogDisabled(request)) return
    reply.log.error({ err: error, statusCode: metadata.statusCode }, 'The serializer for the given status code failed')
  }

  /** The 503 answered while the server closes; written even when request logging is disabled. */
  serviceUnavailable (logger: BaseLogger, _server?: unknown): void {
    logger.info({ res: { statusCode: 503 } }, 'request aborted - refusing to accept new requests as server is closing')
  }
}

/** The message of what was thrown, when it has one (anything may be thrown). */
function messageOf (error: unknown): string | undefined {
  return (error as { message?: string } | null | undefined)?.message
}
