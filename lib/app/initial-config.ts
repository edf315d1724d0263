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

/**
 * The value Fastify's validator (ajv with coerceTypes) accepts for a kind: `'0'` for an integer
 * is 0, `'true'` for a boolean is true, a number for a string is its text; undefined when refused.
 */
function coerce (kind: string, value: unknown): { value: unknown } | undefined {
  switch (kind) {
    case 'integer':
      if (Number.isInteger(value)) return { value }
      if (typeof value === 'string' && value !== '' && Number.isInteger(Number(value))) return { value: Number(value) }
      if (typeof value === 'boolean') return { value: value ? 1 : 0 }
      if (value === null) return { value: 0 }
      return undefined
    case 'boolean':
      if (typeof value === 'boolean') return { value }
      if (value === 'true' || value === 1) return { value: true }
      if (value === 'false' || value === 0 || value === null) return { value: false }
      return undefined
    case 'string':
      if (typeof value === 'string') return { value }
      if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) }
      if (value === null) return { value: '' }
      return undefined
    case 'boolean|string':
      // ajv tries the anyOf branches in order, coercing: 1 becomes true before it could become '1'.
      return typeof value === 'boolean' || typeof value === 'string' ? { value } : coerce('boolean', value) ?? coerce('string', value)
    default:
      return { value }
  }
}

function describe (kind: string): string {
  return kind === 'boolean|string' ? 'boolean or string' : kind
}

/** find-my-way options Fastify validates (and defaults) inside `routerOptions`. */
const routerSpec: Record<string, { kind: Kind, default: unknown }> = {
  compile: { kind: 'boolean', default: false },
  ignoreTrailingSlash: { kind: 'boolean', default: false },
  ignoreDuplicateSlashes: { kind: 'boolean', default: false },
  maxParamLength: { kind: 'integer', default: 100 },
  allowUnsafeRegex: { kind: 'boolean', default: false },
  useSemicolonDelimiter: { kind: 'boolean', default: false }
}

/** Velox's own options: readable in initialConfig, but not enumerated, so it keeps Fastify's shape. */
const veloxOwn = new Set(['coalesceWrites'])

/**
 * A copy of plain objects and arrays, down to their leaves (functions and other values shared):
 * freezing it for initialConfig must not freeze what the user passed, such as constraint
 * strategies find-my-way still writes to.
 */
function cloneForConfig (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneForConfig)
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = cloneForConfig((value as Record<string, unknown>)[key])
  return out
}

function deepFreeze<T> (value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value
  for (const key of Object.getOwnPropertyNames(value)) deepFreeze((value as Record<string, unknown>)[key])
  return Object.freeze(value)
}

export interface InitialConfig {
  /** `app.initialConfig`: deep-frozen. */
  config: Readonly<Record<string, unknown>>
  /** The options as Fastify's validator coerced them (only those given), for Velox to use. */
  coerced: Record<string, unknown>
}

/** Checks the factory options and returns the frozen `initialConfig` with the coerced options. */
export function buildInitialConfig (options: Record<string, any>): InitialConfig {
  const config: Record<string, unknown> = {}
  const coerced: Record<string, unknown> = {}
  for (const key of Object.keys(spec)) {
    const { kind, default: fallback } = spec[key]
    const value = options[key]
    const visible = !veloxOwn.has(key)
    const set = (v: unknown): void => {
      if (visible) config[key] = v
      else Object.defineProperty(config, key, { value: v, enumerable: false })
    }
    if (value === undefined) {
      if (fallback !== undefined) set(fallback)
      continue
    }
    // maxRequestsPerSocket accepts null (no limit), as in Fastify.
    const accepted = key === 'maxRequestsPerSocket' && value === null ? { value } : coerce(kind, value)
    if (accepted === undefined) throw new FST_ERR_INIT_OPTS_INVALID(`${key} must be ${describe(kind)}`)
    set(accepted.value)
    coerced[key] = accepted.value
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
    const allowHTTP1 = https !== null && typeof https === 'object' ? https.allowHTTP1 : undefined
    config.https = https === null || typeof https === 'boolean' ? https : typeof allowHTTP1 === 'boolean' ? { allowHTTP1 } : true
  }
  if (options.routerOptions !== undefined && options.routerOptions !== null) {
    if (typeof options.routerOptions !== 'object') throw new FST_ERR_INIT_OPTS_INVALID('routerOptions must be object')
    // Every router option as given (functions included), the validated ones coerced and defaulted.
    const router = cloneForConfig(options.routerOptions) as Record<string, unknown>
    for (const [key, { kind, default: fallback }] of Object.entries(routerSpec)) {
      if (router[key] === undefined) {
        router[key] = fallback
        continue
      }
      const accepted = coerce(kind, router[key])
      if (accepted === undefined) throw new FST_ERR_INIT_OPTS_INVALID(`routerOptions.${key} must be ${kind}`)
      router[key] = accepted.value
    }
    config.routerOptions = router
  }
  if (options.constraints !== undefined && options.constraints !== null) config.constraints = cloneForConfig(options.constraints)
  return { config: deepFreeze(config), coerced }
}
