/**
 * `velox start <app>`: serves an app until SIGTERM or SIGINT, then shuts it
 * down gracefully (drain, close, exit). Optionally in several processes
 * (`--workers`, see cluster.ts), under `node --watch`, or with pretty logs.
 */
import cluster from 'node:cluster'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Command, integerOption, parseAppCommandArgs, UsageError } from './command.js'
import { AppLoadError, loadApp, type LoadedApp } from './load-app.js'
import { spawnCli, supervise } from './relaunch.js'
import { runPrimary } from './cluster.js'
import { closeOnSignals, shutdownHandleOf } from '../ops/index.js'
import { kScope } from '../app/instance.js'
import { createLogger } from '../server/logger.js'

const help = `usage: velox start <app> [options]

Serves the app until SIGTERM or SIGINT, then shuts down gracefully: readiness
fails, requests in flight finish (with connection: close), onClose hooks run,
and the process exits; connections still open after --shutdown-timeout are
closed by force.

  <app>                    a module whose default export (or export named
                           "app") is the app, or a function returning it (it
                           is called with { logger: { level } })
  -p, --port <n>           port to listen on (default: $PORT, else 3000)
  --host <address>         address to bind (default: $HOST, else localhost;
                           0.0.0.0 in a container)
  --env <name>             NODE_ENV for the app; production hides the messages
                           of 5xx errors (safeErrors)
  --env-file <file>        load environment variables from a .env file first
  -w, --workers <n>        run n processes with node:cluster (0: one per CPU);
                           a worker that dies is replaced, SIGHUP restarts them
                           one by one without dropping a request
  --watch                  restart when a file the app imports changes
                           (node --watch; for development)
  --log-level <level>      level of the logger given to an app factory, and of
                           the cluster's own log (default: info)
  --pretty, --no-pretty    human-readable logs through pino-pretty (default: on
                           a terminal, when pino-pretty is installed)
  --drain <ms>             after the signal, keep serving this long with
                           readiness failing, so load balancers move away
                           (default: 0; 1000 with --workers)
  --shutdown-timeout <ms>  close connections still open after this long, from
                           the signal (default: 10000)
  -h, --help               this text
`

const options = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  env: { type: 'string' },
  'env-file': { type: 'string' },
  workers: { type: 'string', short: 'w' },
  watch: { type: 'boolean' },
  'log-level': { type: 'string' },
  pretty: { type: 'boolean' },
  'no-pretty': { type: 'boolean' },
  drain: { type: 'string' },
  'shutdown-timeout': { type: 'string' }
} as const

const levels = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

export interface StartSettings {
  modulePath: string
  port: number
  host: string
  level: string
  workers: number | null
  drain: number
  timeout: number
}

export const start: Command = {
  summary: 'serve an app, with graceful shutdown (and optionally several workers)',
  help,
  async run (argv, out) {
    const args = parseAppCommandArgs('start', help, argv, options, out)
    if (args === null) return 0
    const { modulePath, values } = args
    const level = values['log-level'] ?? 'info'
    if (!levels.has(level)) throw new UsageError('start', `--log-level must be one of ${[...levels].join(', ')}`)
    const workers = values.workers === undefined ? null : integerOption('start', 'workers', values.workers, 1, 0, 1024)
    const timeout = integerOption('start', 'shutdown-timeout', values['shutdown-timeout'], 10_000, 1, 24 * 3600_000)
    const drain = integerOption('start', 'drain', values.drain, workers === null ? 0 : Math.min(1000, timeout - 1), 0, timeout - 1)
    const settings: StartSettings = {
      modulePath,
      port: integerOption('start', 'port', values.port ?? process.env.PORT, 3000, 0, 65535),
      host: values.host ?? process.env.HOST ?? 'localhost',
      level,
      workers,
      drain,
      timeout
    }
    if (values['env-file'] !== undefined) loadEnvFile(values['env-file'])
    if (values.env !== undefined) process.env.NODE_ENV = values.env

    const pretty = values['no-pretty'] !== true && (values.pretty === true || process.stdout.isTTY === true) && prettyModule() !== null
    /* c8 ignore start: the serving paths run in the process `velox start` is; test/cli-start.test.ts and test/cluster.test.ts drive them, and the coverage of such children is left out (they run dist/, which .taprc leaves out of coverage) */
    if ((values.watch === true || pretty) && cluster.isPrimary) {
      // This process only relays: the app runs in a child, under node --watch and/or with its
      // output piped through pino-pretty.
      const childArgs = ['start', ...argv.filter((arg) => arg !== '--watch' && arg !== '--pretty'), '--no-pretty']
      const child = spawnCli(values.watch === true ? ['--watch'] : [], childArgs, ['ignore', pretty ? 'pipe' : 'inherit', 'inherit'])
      if (pretty) child.stdout?.pipe(prettyStream())
      return await supervise(child)
    }
    if (workers !== null && cluster.isPrimary) return await runPrimary(settings)
    await serve(settings)
    // Serving until a signal ends the process.
    return await new Promise<number>(() => {})
    /* c8 ignore stop */
  }
}

/* c8 ignore start: serving runs in `velox start` processes (see the note in run) */
/** Loads the app, listens, and shuts down on SIGTERM/SIGINT (or when the cluster primary asks). */
async function serve (settings: StartSettings): Promise<void> {
  const app = await loadApp(settings.modulePath, { logger: { level: settings.level } })
  const log = isSilent(app.log) ? createLogger({ level: settings.level }).logger : app.log
  let address: string
  try {
    address = await app.listen({ port: settings.port, host: settings.host })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      await app.close()
      throw new AppLoadError(`cannot listen on ${settings.host}:${settings.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'permission denied' : 'no such address here'} (choose another with --port or --host)`, { cause: err })
    }
    throw err
  }
  if (log !== app.log) log.info(`listening on ${address}`)
  // An app created with its own closeOnSignals option keeps its settings.
  const handle = shutdownHandleOf(app) ?? closeOnSignals(app, drainStateOf(app), { delay: settings.drain, timeout: settings.timeout }, log)
  if (cluster.isWorker) {
    process.on('message', (message) => {
      if (message === 'velox:shutdown') handle.shutdown('shutdown requested by the cluster primary').catch(() => {})
    })
  }
}

/** Velox's app state, so the shutdown can fail readiness and ask for connection: close; null for other apps. */
function drainStateOf (app: LoadedApp): { draining: boolean } | null {
  return (app as any)[kScope]?.app ?? null
}

function isSilent (log: unknown): boolean {
  return (log as { level?: string } | null)?.level === 'silent'
}

/* c8 ignore stop */

function loadEnvFile (file: string): void {
  const load = (process as { loadEnvFile?: (path: string) => void }).loadEnvFile
  if (typeof load !== 'function') throw new UsageError('start', `--env-file needs Node.js >= 20.12 (this is ${process.versions.node})`)
  try {
    load(file)
  } catch (err) {
    throw new UsageError('start', `--env-file ${file}: ${(err as Error).message}`)
  }
}

/* c8 ignore start: pretty output is set up in `velox start` processes on a terminal or with --pretty (test/cli-start.test.ts) */
/** pino-pretty, from the app's project first, else next to Velox; null when neither has it. */
function prettyModule (): ((options: Record<string, unknown>) => NodeJS.WritableStream) | null {
  for (const base of [join(process.cwd(), 'package.json'), import.meta.url]) {
    try {
      const mod = createRequire(base)('pino-pretty')
      return mod.default ?? mod
    } catch {}
  }
  return null
}

function prettyStream (): NodeJS.WritableStream {
  const pretty = prettyModule() as (options: Record<string, unknown>) => NodeJS.WritableStream
  return pretty({ colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname', destination: 1 })
}
/* c8 ignore stop */
