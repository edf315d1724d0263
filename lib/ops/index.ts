/**
 * Running in production: graceful shutdown, health routes and metrics, each
 * turned on by a server option and built on the app's public API (routes,
 * hooks, close). Options that are off add nothing to the request path.
 */
import { closeOnSignals, normalizeCloseOnSignals, type ClosableApp, type ShutdownHandle } from './shutdown.js'
import { registerHealthRoutes, type HealthOptions, type HealthState } from './health.js'
import { metricsPlugin, type MetricsOptions } from './metrics.js'
import { FST_ERR_INIT_OPTS_INVALID } from '../errors.js'

export { closeOnSignals, shutdownHandleOf } from './shutdown.js'
export type { CloseOnSignalsOptions } from './shutdown.js'
export type { HealthOptions, HealthCheck } from './health.js'
export type { MetricsOptions } from './metrics.js'

/** What the operations use of the root instance: Fastify's public API. */
type OperationsHost = ClosableApp & Parameters<typeof registerHealthRoutes>[0] & {
  addHook: (name: 'onListen' | 'onClose', fn: () => void) => unknown
  register: (plugin: typeof metricsPlugin, options: MetricsOptions) => unknown
}

/** Sets up what the options `closeOnSignals`, `health` and `metrics` ask for, on a new root instance. */
export function registerOperations (root: OperationsHost, state: HealthState, options: Record<string, unknown>): void {
  const shutdown = normalizeCloseOnSignals(options.closeOnSignals)
  if (shutdown !== null) {
    // Signals are listened for while the server listens: an app that is only injected
    // (tests) or built to print its routes never holds on to them.
    let handle: ShutdownHandle | null = null
    root.addHook('onListen', function closeOnSignalsListen () { handle = closeOnSignals(root, state, shutdown) })
    root.addHook('onClose', function closeOnSignalsRelease () { handle?.dispose() })
  }
  const health = objectOption<HealthOptions>('health', options.health)
  if (health !== null) registerHealthRoutes(root, state, health)
  const metrics = objectOption<MetricsOptions>('metrics', options.metrics)
  if (metrics !== null) root.register(metricsPlugin, metrics)
}

/** `true` or an options object: the options (`{}` for true); undefined or false: null. */
function objectOption<T extends object> (name: string, value: unknown): T | null {
  if (value === undefined || value === false) return null
  if (value === true) return {} as T // every field of these options is optional
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FST_ERR_INIT_OPTS_INVALID(`${name} must be a boolean or an object`)
  return value as T
}
