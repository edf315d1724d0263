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
import {
  FST_ERR_LOG_INVALID_LOGGER, FST_ERR_LOG_INVALID_DESTINATION, FST_ERR_LOG_INVALID_LOGGER_CONFIG,
  FST_ERR_LOG_INVALID_LOGGER_INSTANCE, FST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED
} from '../errors.js'

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

/**
 * Whether `value` has every logger method: true when it has all of them, false when it has none
 * (it is not meant as a logger), FST_ERR_LOG_INVALID_LOGGER naming the missing ones otherwise
 * (or always, when `strict`), as Fastify's validateLogger.
 */
export function validateLogger (value: unknown, strict = false): value is Logger {
  const missing = loggerMethods.filter((m) => typeof (value as Record<string, unknown> | null | undefined)?.[m] !== 'function')
  if (missing.length === 0) return true
  if (missing.length === loggerMethods.length && !strict) return false
  throw new FST_ERR_LOG_INVALID_LOGGER(missing.join(','))
}

/** The `logger` and `loggerInstance` options, checked with Fastify 5's rules and codes. */
export function createLogger (option: unknown, loggerInstance?: unknown): LoggerSetup {
  if (option != null && option !== false && loggerInstance != null && loggerInstance !== false) {
    throw new FST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED()
  }
  if ((loggerInstance == null || loggerInstance === false) && (option == null || option === false)) {
    return { logger: noopLogger, enabled: false }
  }
  if (validateLogger(loggerInstance)) {
    // A child carrying Velox's req/res serializers (the instance's own win), as Fastify does:
    // without them request logs would serialize the whole Request object.
    const own = (loggerInstance as unknown as Record<symbol, Record<string, unknown> | undefined>)[pino().symbols.serializersSym]
    return { logger: loggerInstance.child({}, { serializers: { ...defaultSerializers, ...own } }), enabled: true }
  }
  // Fastify 5 takes a ready-made logger only as `loggerInstance`.
  if (validateLogger(option)) throw new FST_ERR_LOG_INVALID_LOGGER_CONFIG()
  if (loggerInstance != null && loggerInstance !== false) throw new FST_ERR_LOG_INVALID_LOGGER_INSTANCE()
  const opts: LoggerOptions & { stream?: DestinationStream, file?: string } =
    Object.prototype.toString.call(option) === '[object Object]' ? { ...(option as LoggerOptions) } : {}
  opts.level = opts.level ?? 'info'
  opts.serializers = { ...defaultSerializers, ...opts.serializers }
  if (opts.stream !== undefined && opts.file !== undefined) throw new FST_ERR_LOG_INVALID_DESTINATION()
  const stream = opts.stream ?? (opts.file !== undefined ? pino().destination(opts.file) : undefined)
  delete opts.stream
  delete opts.file
  return { logger: stream !== undefined ? pino()(opts, stream) : pino()(opts), enabled: true }
}
