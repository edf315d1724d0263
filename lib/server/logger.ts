/**
 * The pino factory and request logging.
 *
 * `logger: false` (the default) gives a no-op logger whose `child()` returns
 * itself, so a request costs nothing for logging. `logger: true` or pino
 * options build a pino logger with Fastify's request/response serializers;
 * a pino instance (as `logger` or `loggerInstance`) is used as given.
 */
import { createRequire } from 'node:module'
import type { Logger, LoggerOptions, DestinationStream } from 'pino'
import { FST_ERR_LOG_INVALID_LOGGER } from '../errors.js'

export type VeloxLogger = Logger

type Pino = typeof import('pino').default
const require = createRequire(import.meta.url)
let pinoModule: Pino | null = null
/** pino (and its worker-thread transport machinery) is loaded only when a logger is asked for. */
function pino (): Pino {
  pinoModule ??= require('pino') as Pino
  return pinoModule
}

const loggerMethods = ['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child'] as const

function noop (): void {}

/** A logger that does nothing; `child()` returns the same object. */
function createNoopLogger (): Logger {
  const logger: Record<string, unknown> = {
    level: 'silent',
    fatal: noop,
    error: noop,
    warn: noop,
    info: noop,
    debug: noop,
    trace: noop,
    silent: noop,
    isLevelEnabled: () => false
  }
  logger.child = () => logger
  return logger as unknown as Logger
}

export const noopLogger = createNoopLogger()

function isLoggerInstance (value: unknown): value is Logger {
  if (value === null || typeof value !== 'object') return false
  return loggerMethods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
}

interface SerializableRequest {
  method: string
  url: string
  headers?: Record<string, unknown>
  host?: string
  ip?: string
  socket?: { remotePort?: number } | null
  raw?: { headers?: Record<string, unknown> }
}

/** Fastify's default serializers: the request line and peer, the status code, pino's error serializer. */
export const defaultSerializers = {
  req: function serializeRequest (req: SerializableRequest) {
    return {
      method: req.method,
      url: req.url,
      version: req.headers?.['accept-version'],
      host: req.host,
      remoteAddress: req.ip,
      remotePort: req.socket?.remotePort
    }
  },
  res: function serializeReply (reply: { statusCode: number }) {
    return { statusCode: reply.statusCode }
  },
  err: function serializeError (err: Error) {
    return pino().stdSerializers.err(err)
  }
}

export interface LoggerSetup {
  logger: Logger
  /** false when requests should not be logged at all (no logger). */
  enabled: boolean
}

export function createLogger (option: unknown, loggerInstance?: unknown): LoggerSetup {
  const given = loggerInstance ?? (isLoggerInstance(option) ? option : undefined)
  if (given !== undefined) {
    if (!isLoggerInstance(given)) {
      throw new FST_ERR_LOG_INVALID_LOGGER(loggerMethods.filter((m) => typeof (given as Record<string, unknown>)?.[m] !== 'function').join(','))
    }
    // A child carrying Velox's req/res serializers (the instance's own win), as Fastify does:
    // without them request logs would serialize the whole Request object.
    const own = (given as unknown as Record<symbol, Record<string, unknown> | undefined>)[pino().symbols.serializersSym]
    return { logger: given.child({}, { serializers: { ...defaultSerializers, ...own } }), enabled: true }
  }
  if (option === undefined || option === false || option === null) return { logger: noopLogger, enabled: false }
  if (option === true) return { logger: pino()({ serializers: defaultSerializers }), enabled: true }
  if (typeof option === 'object') {
    const opts = { ...(option as LoggerOptions & { stream?: DestinationStream, file?: string }) }
    opts.serializers = { ...defaultSerializers, ...opts.serializers }
    const stream = opts.stream ?? (opts.file !== undefined ? pino().destination(opts.file) : undefined)
    delete opts.stream
    delete opts.file
    return { logger: stream !== undefined ? pino()(opts, stream) : pino()(opts), enabled: true }
  }
  throw new FST_ERR_LOG_INVALID_LOGGER(loggerMethods.join(','))
}
