/**
 * Graceful shutdown on SIGTERM/SIGINT (the `closeOnSignals` option, on in
 * `velox start`): readiness fails at once, requests keep being served for
 * `delay` ms with `connection: close` so keep-alive clients move elsewhere,
 * then `app.close()` stops accepting, lets requests in flight finish and runs
 * the onClose hooks. Connections still open after `timeout` ms are closed by
 * force, and the process exits (1 s later at the latest if close() hangs).
 * Each step is logged.
 */
import { FST_ERR_INIT_OPTS_INVALID } from '../errors.js'

export interface CloseOnSignalsOptions {
  /** The signals that start the shutdown. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[]
  /**
   * Milliseconds to keep serving (readiness failing, every response with `connection: close`)
   * before closing, so load balancers stop sending traffic first. Default 0.
   */
  delay?: number
  /** Milliseconds from the signal after which connections still open are closed by force. Default 10000. */
  timeout?: number
  /** End the process when closed (0, or 1 when close failed or was forced). Default true. */
  exit?: boolean
}

/** The app state the shutdown flips: readiness and `connection: close` read it. */
export interface DrainState {
  draining: boolean
}

/** What the shutdown uses of an app: Fastify's public API. */
export interface ClosableApp {
  close: () => PromiseLike<unknown>
  server: { closeAllConnections?: () => void } | null
  log: {
    info: (obj: object, msg?: string) => void
    warn: (obj: object, msg?: string) => void
    error: (obj: object, msg?: string) => void
    flush?: () => void
  }
}

export interface ShutdownHandle {
  /** Starts the shutdown (once; later calls return the same promise). */
  shutdown: (reason: string) => Promise<void>
  /** Removes the signal listeners without shutting down. */
  dispose: () => void
}

const installed = new WeakMap<object, ShutdownHandle>()

/** The shutdown set up for this app (by its option or by `velox start`), if any. */
export function shutdownHandleOf (app: object): ShutdownHandle | undefined {
  return installed.get(app)
}

function checkOptions (options: CloseOnSignalsOptions): Required<CloseOnSignalsOptions> {
  const { signals = ['SIGTERM', 'SIGINT'], delay = 0, timeout = 10_000, exit = true } = options
  if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !s.startsWith('SIG'))) {
    throw new FST_ERR_INIT_OPTS_INVALID('closeOnSignals.signals must be an array of signal names such as SIGTERM')
  }
  for (const [name, value] of [['delay', delay], ['timeout', timeout]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new FST_ERR_INIT_OPTS_INVALID(`closeOnSignals.${name} must be a whole number of milliseconds`)
  }
  if (delay >= timeout) throw new FST_ERR_INIT_OPTS_INVALID('closeOnSignals.delay must be shorter than closeOnSignals.timeout')
  return { signals, delay, timeout, exit: exit !== false }
}

/** Checks the `closeOnSignals` option when the app is created, so a mistake shows at once. */
export function normalizeCloseOnSignals (option: unknown): Required<CloseOnSignalsOptions> | null {
  if (option === undefined || option === false) return null
  if (option === true) return checkOptions({})
  if (option === null || typeof option !== 'object') throw new FST_ERR_INIT_OPTS_INVALID('closeOnSignals must be a boolean or an object')
  return checkOptions(option as CloseOnSignalsOptions)
}

/**
 * Listens for the signals and shuts `app` down on the first one; a second
 * signal while draining closes every connection and exits at once.
 *
 * @example
 * const app = velox({ closeOnSignals: { delay: 5_000, timeout: 25_000 } })
 */
export function closeOnSignals (app: ClosableApp, state: DrainState | null, options: CloseOnSignalsOptions = {}, log: ClosableApp['log'] = app.log): ShutdownHandle {
  const existing = installed.get(app)
  if (existing !== undefined) return existing
  const { signals, delay, timeout, exit } = checkOptions(options)
  let running: Promise<void> | null = null
  let hardExit: NodeJS.Timeout | null = null
  // Signals only: a shutdown started otherwise (a cluster primary's request) is not a first
  // signal, so the same SIGTERM reaching the whole process group does not count twice.
  let signalsReceived = 0

  const end = (code: number): void => {
    if (!exit) return
    log.flush?.()
    process.exit(code)
  }
  const forceClose = (): void => {
    app.server?.closeAllConnections?.()
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    signalsReceived++
    if (signalsReceived === 1) {
      handle.shutdown(signal).catch(() => {})
      return
    }
    log.warn({ signal }, `${signal} received again while shutting down: closing every connection and exiting now`)
    forceClose()
    end(1)
  }
  const removeListeners = (): void => {
    for (const signal of signals) process.removeListener(signal, onSignal)
  }

  const handle: ShutdownHandle = {
    dispose () {
      // During a shutdown the listeners stay until it ends: a second signal must still force it.
      if (running !== null) return
      removeListeners()
      installed.delete(app)
    },
    shutdown (reason) {
      if (running !== null) return running
      running = (async () => {
        const started = Date.now()
        if (state !== null) state.draining = true
        log.info({ reason, delay, timeout }, `${reason}: shutting down (readiness fails now; closing in ${delay} ms; connections still open after ${timeout} ms are closed by force)`)
        let forced = false
        const deadline = setTimeout(() => {
          forced = true
          log.warn({ timeout }, `shutdown: still open after ${timeout} ms, closing the remaining connections by force`)
          forceClose()
          if (exit) {
            hardExit = setTimeout(() => {
              log.error({ timeout }, 'shutdown: close() did not finish 1 s after the timeout (an onClose hook hanging?): exiting')
              end(1)
            }, 1000)
          }
        }, timeout)
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
        log.info({ reason }, 'shutdown: no new connections; requests in flight finish with connection: close, then the onClose hooks run')
        let code = 0
        try {
          await app.close()
          log.info({ ms: Date.now() - started, forced }, forced ? 'shutdown: closed after forcing connections' : 'shutdown: closed cleanly')
          if (forced) code = 1
        } catch (err) {
          code = 1
          log.error({ err }, 'shutdown: close failed')
        }
        clearTimeout(deadline)
        if (hardExit !== null) clearTimeout(hardExit)
        removeListeners()
        end(code)
      })()
      return running
    }
  }
  for (const signal of signals) process.on(signal, onSignal)
  installed.set(app, handle)
  return handle
}
