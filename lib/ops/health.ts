/**
 * Liveness and readiness routes (the `health` option, off by default).
 *
 * Liveness answers 200 while the process can answer at all: a failing
 * liveness probe makes an orchestrator restart the process, so it depends on
 * nothing else. Readiness answers 503 while the app is starting (not
 * listening yet), while it drains for shutdown, and while a check the app
 * registered with `app.addHealthCheck()` fails; a load balancer then sends
 * traffic elsewhere.
 */
import type { DrainState } from './shutdown.js'

export interface HealthOptions {
  /** Default `/health/live`. */
  livenessPath?: string
  /** Default `/health/ready`. */
  readinessPath?: string
  /** Milliseconds each check may take before it counts as failed. Default 2000. */
  checkTimeout?: number
}

/** A readiness check: healthy unless it throws, rejects, or returns (resolves with) `false`. */
export type HealthCheck = () => unknown

export interface HealthState extends DrainState {
  listening: boolean
  healthChecks: Array<{ name: string, check: HealthCheck }>
}

type CheckResult = 'ok' | 'failed' | 'timeout'

const timedOutMark = Symbol('timed out')

/** What the health routes use of a request and a reply. */
interface ProbeRequest { log: { warn: (obj: object, msg: string) => void } }
interface ProbeReply {
  header: (name: string, value: string) => unknown
  code: (statusCode: number) => { send: (payload: unknown) => unknown }
}

interface HealthHost {
  get: (path: string, options: Record<string, unknown>, handler: (request: ProbeRequest, reply: ProbeReply) => Promise<unknown>) => unknown
}

/** Health routes are not part of the API: hidden from OpenAPI, and only problems are logged (probes come every few seconds). */
const routeOptions = { hide: true, schema: { hide: true }, logLevel: 'warn' }

export function registerHealthRoutes (app: HealthHost, state: HealthState, options: HealthOptions = {}): void {
  const { livenessPath = '/health/live', readinessPath = '/health/ready', checkTimeout = 2000 } = options
  app.get(livenessPath, routeOptions, async function liveness (_request, reply) {
    reply.header('cache-control', 'no-store')
    return { status: 'ok' }
  })
  app.get(readinessPath, routeOptions, async function readiness (request, reply) {
    reply.header('cache-control', 'no-store')
    if (state.draining) return reply.code(503).send({ status: 'draining' })
    if (!state.listening) return reply.code(503).send({ status: 'starting' })
    if (state.healthChecks.length === 0) return { status: 'ready' }
    const results = await Promise.all(state.healthChecks.map(async ({ name, check }) => {
      const result = await runCheck(check, checkTimeout, (err) => { request.log.warn({ err, check: name }, `health check '${name}' failed`) })
      return [name, result] as const
    }))
    const checks = Object.fromEntries(results)
    const ready = results.every(([, result]) => result === 'ok')
    // A check's error may name hosts and credentials: it goes to the log, the probe gets ok/failed/timeout.
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks })
  })
}

async function runCheck (check: HealthCheck, timeout: number, onFailure: (err: unknown) => void): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<typeof timedOutMark>((resolve) => { timer = setTimeout(resolve, timeout, timedOutMark) })
  try {
    const outcome = await Promise.race([Promise.resolve().then(check), timedOut])
    if (outcome === timedOutMark) {
      onFailure(new Error(`no answer within ${timeout} ms`))
      return 'timeout'
    }
    if (outcome === false) {
      onFailure(new Error('the check returned false'))
      return 'failed'
    }
    return 'ok'
  } catch (err) {
    onFailure(err)
    return 'failed'
  } finally {
    clearTimeout(timer)
  }
}
