/**
 * Prometheus metrics through prom-client (the `metrics` option, off by
 * default): request counts and durations by method, route and status, plus
 * prom-client's process metrics (event-loop lag, heap, RSS, CPU, GC), served
 * on `/metrics`. Disabled, nothing is loaded and no hook is added, so
 * requests pay nothing; enabled, one onResponse hook records each request.
 */
import type { Registry } from 'prom-client'
import { VLX_ERR_METRICS_CLIENT_MISSING } from '../errors.js'

// prom-client is an optional peer: its types are used here, its module is loaded on first use.
type PromClient = typeof import('prom-client')

export interface MetricsOptions {
  /** Where the metrics are served. Default `/metrics`; `false` to not serve them (read the registry yourself). */
  path?: string | false
  /**
   * The prom-client registry to fill and serve. Default: prom-client's global `register`, so
   * metrics the app defines itself are served too.
   */
  registry?: any
  /** Collect prom-client's default process metrics (event-loop lag, heap, GC...). Default true. */
  defaultMetrics?: boolean
  /** Histogram buckets of `http_request_duration_seconds`, in seconds. */
  buckets?: number[]
}

/** Buckets from 5 ms to 10 s: API latencies, with room to see slow outliers. */
const defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** The label of requests no route matched: their URLs would make one series per probe an attacker sends. */
const NOT_FOUND_ROUTE = '(not found)'

/** What the metrics read of a request and a reply when it is answered. */
interface AnsweredRequest { method: string, is404?: boolean, routeOptions: { url?: string } }
interface AnsweredReply { statusCode: number, elapsedTime: number }

interface MetricsHost {
  addHook: (name: 'onResponse', fn: (request: AnsweredRequest, reply: AnsweredReply, done: () => void) => void) => unknown
  get: (path: string, options: Record<string, unknown>, handler: (request: unknown, reply: { type: (contentType: string) => unknown }) => Promise<unknown>) => unknown
}

async function loadClient (): Promise<PromClient> {
  try {
    const mod = await import('prom-client') as PromClient & { default?: PromClient }
    return mod.default ?? mod
  } catch (err) {
    throw new VLX_ERR_METRICS_CLIENT_MISSING({ cause: err })
  }
}

/** A metric of the registry by name, made once: a second app (or a reload) in the same process reuses it. */
function metric<T> (registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make()
}

/**
 * The metrics plugin: runs in the root scope (skip-override), so its hook
 * sees every route, not-found answers included.
 */
export async function metricsPlugin (app: MetricsHost, options: MetricsOptions): Promise<void> {
  const client = await loadClient()
  const registry = (options.registry as Registry | undefined) ?? client.register
  const labelNames = ['method', 'route', 'status_code']
  if (options.defaultMetrics !== false && registry.getSingleMetric('process_cpu_user_seconds_total') === undefined) {
    client.collectDefaultMetrics({ register: registry })
  }
  const requests = metric(registry, 'http_requests_total', () => new client.Counter({
    name: 'http_requests_total', help: 'HTTP requests answered, by method, route and status code', labelNames, registers: [registry]
  }))
  const durations = metric(registry, 'http_request_duration_seconds', () => new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from routing to the last byte handed to the OS, by method, route and status code',
    labelNames,
    buckets: options.buckets ?? defaultBuckets,
    registers: [registry]
  }))
  app.addHook('onResponse', function recordRequestMetrics (request, reply, done) {
    const labels = {
      method: request.method,
      route: request.is404 === true ? NOT_FOUND_ROUTE : request.routeOptions.url,
      status_code: String(reply.statusCode)
    }
    requests.inc(labels)
    durations.observe(labels, reply.elapsedTime / 1000)
    done()
  })
  const path = options.path ?? '/metrics'
  if (path === false) return
  app.get(path, { hide: true, schema: { hide: true }, logLevel: 'warn' }, async function metrics (_request, reply) {
    reply.type(registry.contentType)
    return registry.metrics()
  })
}
Object.assign(metricsPlugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'velox-metrics' })
