/**
 * Running in production: graceful shutdown, health routes and metrics, each
 * turned on by a server option and built on the app's public API (routes,
 * hooks, close). Options that are off add nothing to the request path.
 */
import { closeOnSignals, normalizeCloseOnSignals, type ShutdownHandle } from './shutdown.js'
import { registerHealthRoutes, type HealthState } from './health.js'
import { metricsPlugin } from './metrics.js'
import { FST_ERR_INIT_OPTS_INVALID } from '../errors.js'

export { closeOnSignals, shutdownHandleOf } from './shutdown.js'
export type { CloseOnSignalsOptions } from './shutdown.js'
export type { HealthOptions, HealthCheck } from './health.js'
export type { MetricsOptions } from './metrics.js'

/** Sets up what the options `closeOnSignals`, `health` and `metrics` ask for, on a new root instance. */
export function registerOperations (root: any, state: HealthState, options: Record<string, any>): void {
  const shutdown = normalizeCloseOnSignals(options.closeOnSignals)
  if (shutdown !== null) {
    // Signals are listened for while the server listens: an app that is only injected
    // (tests) or built to print its routes never holds on to them.
    let handle: ShutdownHandle | null = null
    root.addHook('onListen', function closeOnSignalsListen () { handle = closeOnSignals(root, state, shutdown) })
    root.addHook('onClose', function closeOnSignalsRelease () { handle?.dispose() })
  }
  const health = objectOption('health', options.health)
  if (health !== null) registerHealthRoutes(root, state, health)
  const metrics = objectOption('metrics', options.metrics)
  if (metrics !== null) root.register(metricsPlugin, metrics)
}

/** `true` or an options object: the options (`{}` for true); undefined or false: null. */
function objectOption (name: string, value: unknown): Record<string, any> | null {
  if (value === undefined || value === false) return null
  if (value === true) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FST_ERR_INIT_OPTS_INVALID(`${name} must be a boolean or an object`)
  return value as Record<string, any>
}
