#!/usr/bin/env node
/**
 * The `velox` command.
 *
 *   velox openapi ./app.js [--yaml] [--output file]
 *
 * Loads the module, takes its app (the default export, an export named `app`,
 * or a function returning either), waits for ready() without listening, and
 * writes the OpenAPI document to stdout or a file.
 */
import { writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'
import { renderOpenApiJson, renderOpenApiYaml } from '../openapi/render.js'

const usage = `usage: velox openapi <module> [--yaml] [--output <file>]

  openapi   write the OpenAPI 3.1 document of the app exported by <module>
            (default export, or an export named "app", or a function returning one)
  --yaml    YAML instead of JSON
  --output  write to a file instead of stdout
`

function isApp (value: unknown): value is { ready: () => Promise<unknown>, openapi: () => any, close: () => Promise<unknown> } {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { openapi?: unknown }).openapi === 'function' && typeof (value as { ready?: unknown }).ready === 'function'
}

async function loadApp (modulePath: string): Promise<ReturnType<typeof Object> & { ready: () => Promise<unknown>, openapi: () => any, close: () => Promise<unknown> }> {
  const mod = await import(pathToFileURL(resolve(process.cwd(), modulePath)).href)
  for (const candidate of [mod.default, mod.app]) {
    if (isApp(candidate)) return candidate
    if (typeof candidate === 'function') {
      const built = await candidate()
      if (isApp(built)) return built
    }
  }
  throw new Error(`${modulePath} exports no Velox app: export it as default or as "app", or export a function that returns it`)
}

export async function main (argv: string[]): Promise<number> {
  const [command, modulePath, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(usage)
    return command === undefined ? 1 : 0
  }
  if (command !== 'openapi' || modulePath === undefined) {
    process.stderr.write(usage)
    return 1
  }
  const yaml = rest.includes('--yaml')
  const outIndex = rest.indexOf('--output')
  const output = outIndex === -1 ? undefined : rest[outIndex + 1]
  const app = await loadApp(modulePath)
  await app.ready()
  const document = app.openapi()
  const text = yaml ? renderOpenApiYaml(document) : renderOpenApiJson(document)
  if (output !== undefined) await writeFile(output, text)
  else process.stdout.write(text.endsWith('\n') ? text : text + '\n')
  await app.close()
  return 0
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (invokedDirectly || process.argv[1]?.endsWith('/velox')) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
    process.stderr.write(`velox: ${err.message}\n`)
    process.exit(1)
  })
}
