/**
 * `app.initialConfig`: the factory options Fastify validates and reports, with
 * their defaults filled in, deep-frozen. A value of the wrong type throws
 * FST_ERR_INIT_OPTS_INVALID when the app is created, naming the option, rather
 * than failing on the first request. Options that are functions or objects
 * (genReqId, logger, ajv...) are not part of it, as in Fastify.
 */
import { FST_ERR_INIT_OPTS_INVALID } from '../errors.js'

type Kind = 'integer' | 'boolean' | 'string'

/** Fastify 5's validated options: the kind each must have and its default (undefined: none). */
const spec: Record<string, { kind: Kind | 'boolean|string' | 'any', default?: unknown }> = {
  connectionTimeout: { kind: 'integer', default: 0 },
  keepAliveTimeout: { kind: 'integer', default: 72000 },
  maxRequestsPerSocket: { kind: 'integer', default: 0 },
  requestTimeout: { kind: 'integer', default: 0 },
  handlerTimeout: { kind: 'integer', default: 0 },
  bodyLimit: { kind: 'integer', default: 1024 * 1024 },
  caseSensitive: { kind: 'boolean', default: true },
  allowUnsafeRegex: { kind: 'boolean', default: false },
  http2: { kind: 'boolean' },
  ignoreTrailingSlash: { kind: 'boolean', default: false },
  ignoreDuplicateSlashes: { kind: 'boolean', default: false },
  disableRequestLogging: { kind: 'any', default: false },
  maxParamLength: { kind: 'integer', default: 100 },
  onProtoPoisoning: { kind: 'string', default: 'error' },
  onConstructorPoisoning: { kind: 'string', default: 'error' },
  pluginTimeout: { kind: 'integer', default: 10000 },
  requestIdHeader: { kind: 'boolean|string', default: false },
  requestIdLogLabel: { kind: 'string', default: 'reqId' },
  http2SessionTimeout: { kind: 'integer', default: 72000 },
  exposeHeadRoutes: { kind: 'boolean', default: true },
  return503OnClosing: { kind: 'boolean' },
  useSemicolonDelimiter: { kind: 'boolean', default: false },
  // Velox's own (plain HTTP/1.1 servers only; see socket-writes.ts).
  coalesceWrites: { kind: 'boolean', default: true },
  safeErrors: { kind: 'boolean' }
}

/** Options that must be functions when given; anything else would only fail once a request arrives. */
const functionOptions = ['genReqId', 'frameworkErrors', 'childLoggerFactory', 'serverFactory', 'rewriteUrl', 'clientErrorHandler']

function matches (kind: string, value: unknown): boolean {
  switch (kind) {
    case 'integer': return Number.isInteger(value)
    case 'boolean': return typeof value === 'boolean'
    case 'string': return typeof value === 'string'
    case 'boolean|string': return typeof value === 'boolean' || typeof value === 'string'
    default: return true
  }
}

function describe (kind: string): string {
  return kind === 'boolean|string' ? 'boolean or string' : kind
}

/** Checks the factory options and returns the frozen `initialConfig`. */
export function buildInitialConfig (options: Record<string, any>): Readonly<Record<string, unknown>> {
  const config: Record<string, unknown> = {}
  for (const key of Object.keys(spec)) {
    const { kind, default: fallback } = spec[key]
    const value = options[key]
    if (value === undefined) {
      if (fallback !== undefined) config[key] = fallback
      continue
    }
    // maxRequestsPerSocket accepts null (no limit), as in Fastify.
    if (!(key === 'maxRequestsPerSocket' && value === null) && !matches(kind, value)) {
      throw new FST_ERR_INIT_OPTS_INVALID(`${key} must be ${describe(kind)}`)
    }
    config[key] = value
  }
  // As Fastify reports it: '' means no header, true means its default `request-id`.
  if (config.requestIdHeader === '') config.requestIdHeader = false
  else if (config.requestIdHeader === true) config.requestIdHeader = 'request-id'
  for (const key of functionOptions) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      throw new FST_ERR_INIT_OPTS_INVALID(`${key} must be a function`)
    }
  }
  const force = options.forceCloseConnections
  if (force !== undefined) {
    if (force !== 'idle' && typeof force !== 'boolean') throw new FST_ERR_INIT_OPTS_INVALID("forceCloseConnections must be a boolean or 'idle'")
    config.forceCloseConnections = force
  }
  const https = options.https
  if (https !== undefined) {
    // TLS keys and certificates never appear in the config: only `true`, or `{ allowHTTP1 }`.
    const onlyAllow = https !== null && typeof https === 'object' && Object.keys(https).length === 1 && typeof https.allowHTTP1 === 'boolean'
    config.https = https === null || typeof https === 'boolean' ? https : onlyAllow ? { allowHTTP1: https.allowHTTP1 } : true
  }
  return Object.freeze(config)
}
