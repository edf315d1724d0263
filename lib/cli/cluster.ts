/**
 * `velox start --workers N`: the cluster primary. It runs no app itself: it
 * starts N workers (each runs `velox start` in a child process sharing the
 * port through node:cluster), replaces a worker that dies, and on SIGHUP
 * restarts them one at a time, each replacement listening before the old
 * worker drains, so capacity never drops and no request is refused. SIGTERM
 * and SIGINT shut every worker down gracefully, then the primary exits.
 */
import cluster, { type Worker } from 'node:cluster'
import { availableParallelism, cpus } from 'node:os'
import { createLogger } from '../server/logger.js'
import type { StartSettings } from './start.js'

/** A worker that dies this soon after starting is failing to start: wait before the next try. */
const CRASH_WINDOW_MS = 5_000
const MAX_RESTART_DELAY_MS = 10_000
/** How long a new worker may take to listen during a rolling restart before the restart is abandoned. */
const LISTEN_TIMEOUT_MS = 30_000

/* c8 ignore start: runs only in the `velox start --workers` process; test/cluster.test.ts drives it, and the coverage of such children is left out (they run dist/, which .taprc leaves out of coverage) */
export async function runPrimary (settings: StartSettings): Promise<number> {
  const log = createLogger({ level: settings.level }).logger.child({ role: 'primary' })
  const count = settings.workers === 0 ? (typeof availableParallelism === 'function' ? availableParallelism() : cpus().length) : settings.workers as number
  // Workers run this same command line; cluster.isWorker sends them to serve().
  cluster.setupPrimary({ args: process.argv.slice(2) })

  const retiring = new Set<Worker>()
  let stopping = false
  let rolling: Promise<void> | null = null
  let restartDelay = 0
  let exitCode = 0

  const fork = (): Worker => {
    const worker = cluster.fork()
    const startedAt = Date.now()
    worker.on('exit', (code, signal) => {
      if (retiring.delete(worker) || stopping) {
        if (code !== 0) exitCode = 1
        log.info({ worker: worker.id, pid: worker.process.pid, code, signal }, `worker ${worker.id} exited`)
        return
      }
      const crashLooping = Date.now() - startedAt < CRASH_WINDOW_MS
      restartDelay = crashLooping ? Math.min(Math.max(restartDelay * 2, 500), MAX_RESTART_DELAY_MS) : 0
      log.error({ worker: worker.id, pid: worker.process.pid, code, signal }, `worker ${worker.id} died (${signal ?? `exit code ${String(code)}`}); starting another${restartDelay > 0 ? ` in ${restartDelay} ms` : ''}`)
      setTimeout(() => { if (!stopping) fork() }, restartDelay)
    })
    return worker
  }

  const listening = (worker: Worker): Promise<void> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(new Error(`did not listen within ${LISTEN_TIMEOUT_MS} ms`)) }, LISTEN_TIMEOUT_MS)
    const onListening = (): void => { cleanup(); resolve() }
    const onExit = (code: number | null): void => { cleanup(); reject(new Error(`exited with code ${String(code)} before listening`)) }
    const cleanup = (): void => { clearTimeout(timer); worker.removeListener('listening', onListening); worker.removeListener('exit', onExit) }
    worker.once('listening', onListening)
    worker.once('exit', onExit)
  })

  /** Asks a worker to drain and exit, and waits for it to be gone. */
  const retire = (worker: Worker): Promise<void> => new Promise((resolve) => {
    if (worker.isDead()) { resolve(); return }
    retiring.add(worker)
    worker.once('exit', () => resolve())
    if (worker.isConnected()) worker.send('velox:shutdown')
    else worker.process.kill('SIGTERM')
  })

  const rollingRestart = async (): Promise<void> => {
    const old = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !retiring.has(w))
    log.info({ workers: old.length }, `SIGHUP: restarting ${old.length} workers one at a time`)
    for (const worker of old) {
      if (stopping) return
      const replacement = fork()
      try {
        await listening(replacement)
      } catch (err) {
        log.error({ err, worker: replacement.id }, `rolling restart stopped: the new worker ${(err as Error).message}; the old workers keep serving`)
        return
      }
      await retire(worker)
    }
    log.info('rolling restart done')
  }

  process.on('SIGHUP', () => {
    if (stopping) return
    if (rolling !== null) {
      log.warn('SIGHUP: a rolling restart is already running')
      return
    }
    rolling = rollingRestart().finally(() => { rolling = null })
  })

  const done = new Promise<number>((resolve) => {
    let signals = 0
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)
      if (signals > 1) {
        log.warn({ signal }, `${signal} received again: stopping the workers now`)
        for (const worker of workers) worker.process.kill(signal)
        return
      }
      stopping = true
      log.info({ signal, workers: workers.length }, `${signal}: shutting down ${workers.length} workers`)
      // Each worker drains and exits by itself (a terminal's Ctrl+C reaches them directly too;
      // asking twice is harmless). Past the workers' own deadline, what is left is killed.
      const deadline = setTimeout(() => {
        log.error('workers still running after the shutdown timeout: killing them')
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
      }, settings.timeout + 2000)
      Promise.all(workers.map(retire)).then(() => {
        clearTimeout(deadline)
        log.info('all workers stopped')
        resolve(exitCode)
      }, () => resolve(1))
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  })

  log.info({ workers: count }, `starting ${count} workers`)
  for (let i = 0; i < count; i++) fork()
  return await done
}
/* c8 ignore stop */
