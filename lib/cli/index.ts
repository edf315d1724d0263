#!/usr/bin/env node
/**
 * The `velox` command: a small dispatcher. Each command lives in its own file
 * (`start.ts`, `routes.ts`, `openapi.ts`...) and is listed in `commands` below.
 *
 *   velox <command> [options]      velox <command> --help      velox --version
 */
import { pathToFileURL } from 'node:url'
import { VELOX_VERSION } from '../app/instance.js'
import { type Command, type Output, UsageError } from './command.js'
import { AppLoadError } from './load-app.js'
import { relaunchForTypeScript } from './relaunch.js'
import { openapi } from './openapi.js'
import { routes } from './routes.js'
import { start } from './start.js'
import { build } from './build.js'
import { client } from './client.js'

/** Every command, by name; `velox --help` lists them in this order. */
export const commands: Record<string, Command> = {
  start,
  routes,
  openapi,
  build,
  client
}

function mainHelp (): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}   ${command.summary}`)
  return `usage: velox <command> [options]

Commands:
${lines.join('\n')}

  velox <command> --help   the options of one command
  velox --version          the version of Velox
`
}

const processOutput: Output = {
  stdout: (text) => { process.stdout.write(text) },
  stderr: (text) => { process.stderr.write(text) }
}

/** Runs one command line (without `node` and the script); resolves with the exit code. */
export async function main (argv: string[], out: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) {
    out.stderr(mainHelp())
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    out.stdout(mainHelp())
    return 0
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    out.stdout(`velox ${VELOX_VERSION}\n`)
    return 0
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (command === undefined) {
    out.stderr(`velox: unknown command '${name}'\n\n${mainHelp()}`)
    return 2
  }
  if (rest.includes('--version')) {
    out.stdout(`velox ${VELOX_VERSION}\n`)
    return 0
  }
  try {
    return await command.run(rest, out)
  } catch (err) {
    if (err instanceof UsageError) {
      out.stderr(err.message + '\n')
      return 2
    }
    if (err instanceof AppLoadError) {
      out.stderr(`velox ${name}: ${err.message}\n`)
      return 1
    }
    throw err
  }
}

const invokedDirectly = process.argv[1] !== undefined &&
  (import.meta.url === pathToFileURL(process.argv[1]).href || process.argv[1].endsWith('/velox'))
if (invokedDirectly) {
  const argv = process.argv.slice(2)
  // Node 22.6 - 23.5 strip types only with a flag: start again with it for a .ts app.
  const relaunched = relaunchForTypeScript(argv)
  if (relaunched === null) {
    main(argv).then((code) => { process.exitCode = code }, (err: Error) => {
      // An error from the app itself (its plugins failed to boot, say): the stack is the user's
      // to read, since it points into their code.
      process.stderr.write(`velox ${argv[0]}: ${err.stack ?? err.message}\n`)
      process.exitCode = 1
    })
  }
}
