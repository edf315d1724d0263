/** `velox build <app>`: every validator and serializer of the app as standalone code, in one file to load at start. */
import { writeFile } from 'node:fs/promises'
import { type Command, parseAppCommandArgs } from './command.js'
import { AppLoadError, loadApp } from './load-app.js'

const help = `usage: velox build <app> [--output <file>]

Compiles every validator and serializer of the app and writes them, as
standalone code, to one file the app loads at start with the schemaBuild
option: velox({ schemaBuild: 'velox-schemas.bin' }). Routes then start
without compiling (and without loading Ajv). The app is booted with ready(),
never listens, and is closed afterwards. Build again when schemas change or
Velox is upgraded: a schema missing from the file is compiled at start.

  <app>              a module whose default export (or export named "app") is
                     the app, or a function returning it; the app must not
                     have been started (ready, listen, inject) by the module
  -o, --output <f>   the file to write (default velox-schemas.bin)
  -h, --help         this text
`

type Built = { file: Buffer, validators: number, serializers: number, routes: number }

export const build: Command = {
  summary: 'compile the schemas of an app into a file it loads at start',
  help,
  async run (argv, out) {
    const args = parseAppCommandArgs('build', help, argv, { output: { type: 'string', short: 'o' } }, out)
    if (args === null) return 0
    const { modulePath, values } = args
    const output = typeof values.output === 'string' && values.output !== '' ? values.output : 'velox-schemas.bin'
    const app = await loadApp(modulePath)
    const buildSchemas = (app as unknown as Record<symbol, (() => Promise<Built>) | undefined>)[Symbol.for('velox.buildSchemas')]
    if (typeof buildSchemas !== 'function') throw new AppLoadError(`${modulePath} exports an app that Velox cannot build (made by another framework, or an older Velox)`)
    let built: Built
    try {
      built = await buildSchemas.call(app)
    } finally {
      await app.close()
    }
    await writeFile(output, built.file)
    out.stdout(`velox build: wrote ${output} (${formatBytes(built.file.length)}): ${built.validators} validators and ` +
      `${built.serializers} serializers for ${built.routes} routes\n`)
    return 0
  }
}

function formatBytes (n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`
}
