/** `velox openapi <app>`: the app's OpenAPI 3.1 document, without listening. */
import { writeFile } from 'node:fs/promises'
import { renderOpenApiJson, renderOpenApiYaml } from '../openapi/render.js'
import { type Command, parseAppCommandArgs, UsageError } from './command.js'
import { withReadyApp } from './load-app.js'

const help = `usage: velox openapi <app> [--yaml] [--output <file>]

Writes the OpenAPI 3.1 document of the app to stdout (or a file). The app is
booted with ready(), never listens, and is closed afterwards.

  <app>              a module whose default export (or export named "app") is
                     the app, or a function returning it; .js, .mjs, or .ts on
                     a Node.js that strips types
  --yaml             YAML instead of JSON
  -o, --output <f>   write to the file <f> instead of stdout
  -h, --help         this text
`

export const openapi: Command = {
  summary: 'write the OpenAPI 3.1 document of an app',
  help,
  async run (argv, out) {
    const args = parseAppCommandArgs('openapi', help, argv, {
      yaml: { type: 'boolean' },
      output: { type: 'string', short: 'o' }
    }, out)
    if (args === null) return 0
    const { modulePath, values } = args
    const text = await withReadyApp(modulePath, (app) => {
      if (typeof app.openapi !== 'function') throw new UsageError('openapi', `${modulePath} exports an app without openapi(): is it a Velox app?`)
      const document = app.openapi()
      return values.yaml === true ? renderOpenApiYaml(document) : renderOpenApiJson(document)
    })
    if (typeof values.output === 'string') await writeFile(values.output, text)
    else out.stdout(text.endsWith('\n') ? text : text + '\n')
    return 0
  }
}
