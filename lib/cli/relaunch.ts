/**
 * Running the CLI again in a child Node process: with a Node flag the app
 * needs (type stripping), under `node --watch`, or with its output piped
 * through pino-pretty. The parent forwards termination signals and exits with
 * the child's code.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { isTypeScript, typeScriptSupport } from './load-app.js'

/** The script the CLI runs from (dist/cli.js, or a bin link to it). */
export function cliScript (): string {
  return process.argv[1]
}

/* c8 ignore start: relaunching happens in the `velox` process itself (test/cli-start.test.ts runs --watch and --pretty, test/cli.test.ts a .ts app), whose coverage is left out (they run dist/, which .taprc leaves out of coverage) */
export function spawnCli (nodeArgs: string[], argv: string[], stdio: StdioOptions, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, ...process.execArgv, cliScript(), ...argv], { stdio, env })
}

/**
 * Forwards SIGTERM and SIGHUP to the child (and SIGINT when no terminal sends
 * it to the whole process group already), and resolves with the exit code the
 * parent should end with.
 */
export function supervise (child: ChildProcess): Promise<number> {
  const forwarded: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT']
  const handlers = new Map<NodeJS.Signals, () => void>()
  for (const signal of forwarded) {
    const handler = (): void => {
      // Ctrl+C in a terminal reaches the child too: forwarding would make it a second SIGINT,
      // which means "stop now" to a draining server.
      if (signal === 'SIGINT' && process.stdin.isTTY === true) return
      child.kill(signal)
    }
    handlers.set(signal, handler)
    process.on(signal, handler)
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.removeListener(name, handler)
      resolve(code ?? (signal === null ? 1 : 128 + signalNumber(signal)))
    })
  })
}

function signalNumber (signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1
}

/**
 * On Node 22.6 - 23.5, a `.ts` app needs --experimental-strip-types: starts the
 * same command line again with it and returns the child; null when not needed.
 */
export function relaunchForTypeScript (argv: string[]): ChildProcess | null {
  if (!argv.some((arg) => !arg.startsWith('-') && isTypeScript(arg)) || typeScriptSupport() !== 'flag') return null
  const child = spawnCli(['--experimental-strip-types', '--disable-warning=ExperimentalWarning'], argv, 'inherit')
  supervise(child).then((code) => { process.exitCode = code }, () => { process.exitCode = 1 })
  return child
}
/* c8 ignore stop */
