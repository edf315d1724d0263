/**
 * What every `velox` command shares: its shape, argument parsing with errors
 * a person can act on, and the output streams (passed in, so tests can read them).
 */
import { parseArgs } from 'node:util'

export interface Output {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface Command {
  /** One line for `velox --help`. */
  summary: string
  /** The whole `velox <command> --help` text. */
  help: string
  /** Runs the command; resolves with the process exit code. */
  run: (argv: string[], out: Output) => Promise<number>
}

/** A mistake in how the command was called: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor (command: string, message: string) {
    super(`velox ${command}: ${message}\nRun "velox ${command} --help" for the options.`)
    this.name = 'UsageError'
  }
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean', short?: string, multiple?: boolean }>

/**
 * node:util's parseArgs in strict mode, with `--help`/`-h` always known, and
 * its errors (unknown option, missing value) rephrased for the command.
 */
export function parseCommandArgs<T extends OptionSpec> (command: string, argv: string[], options: T): { values: Record<string, any>, positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
    return { values: parsed.values as Record<string, any>, positionals: parsed.positionals }
  } catch (err) {
    const message = (err as Error).message
    // "Unknown option '--x'. To specify a positional argument..." -> "unknown option '--x'"
    const first = message.split('. ')[0]
    throw new UsageError(command, first.charAt(0).toLowerCase() + first.slice(1))
  }
}

/** A whole number option (`--port 3000`), or the fallback; a UsageError names a bad one. */
export function integerOption (command: string, name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(command, `--${name} must be a whole number from ${min} to ${max}, got '${value}'`)
  return n
}

/**
 * The arguments of a command that works on one app (`velox <command> <app> [options]`):
 * null when --help was asked (the help is printed), else the app's module and the options.
 */
export function parseAppCommandArgs (command: string, help: string, argv: string[], options: OptionSpec, out: Output): { modulePath: string, values: Record<string, any> } | null {
  const { values, positionals } = parseCommandArgs(command, argv, options)
  if (values.help === true) {
    out.stdout(help)
    return null
  }
  const modulePath = positionals[0]
  if (modulePath === undefined) throw new UsageError(command, `which app? Give the module that exports it, e.g. velox ${command} ./app.js`)
  if (positionals.length > 1) throw new UsageError(command, `one app at a time (got ${positionals.join(', ')})`)
  return { modulePath, values }
}
