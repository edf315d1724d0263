/**
 * Logger types. Velox logs with pino; what the instance, requests and replies
 * expose is the part of pino's API that a custom logger must also provide.
 */

import type { BaseLogger, Bindings, ChildLoggerOptions, DestinationStream, LevelWithSilentOrString, LoggerOptions } from 'pino'

/** A log level name: pino's levels, `'silent'`, or a custom level. */
export type LogLevel = LevelWithSilentOrString

/**
 * What `app.log`, `request.log` and `reply.log` offer: pino's level methods
 * and `child()`. A pino logger satisfies it; so must a `loggerInstance`.
 */
export interface VeloxBaseLogger extends BaseLogger {
  child (bindings: Bindings, options?: ChildLoggerOptions): VeloxBaseLogger
}

/** The `logger` server option: `true` for pino's defaults, or pino options. */
export type VeloxLoggerOptions = boolean | (LoggerOptions & {
  /** Where the lines go: any object with `write(line)`; not with `file`. */
  stream?: DestinationStream
  /** A file the lines are appended to; not with `stream`. */
  file?: string
})

export type { Bindings as LoggerBindings, ChildLoggerOptions }
