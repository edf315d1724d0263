/** `velox client <document|app>`: a typed client module, from an OpenAPI document, for other repositories. */
import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { extname } from 'node:path'
import { VELOX_VERSION } from '../app/instance.js'
import { generateClient } from '../client/generate.js'
import { clientRuntimeSource } from '../client/runtime-source.js'
import { errorCodes } from '../errors.js'
import { type Command, parseAppCommandArgs, UsageError } from './command.js'
import { withReadyApp } from './load-app.js'

const help = `usage: velox client <document | app> [--output <file>]

Writes a typed client of an API, as one TypeScript module that needs nothing
but fetch: a consumer in another repository copies it in (or generates it in
its build) without installing Velox. Calls have velox/client's shape:

  const api = createClient('http://127.0.0.1:3000')
  const res = await api.users[':id'].$get({ params: { id: 1 } })
  if (res.status === 200) res.data.name   // typed by the 200 response schema

  <document>         an OpenAPI 3.x document: a .json, .yaml or .yml file, or
                     an http(s):// URL that serves one
  <app>              or a module whose default export (or export named "app")
                     is a Velox app, or a function returning it: its document
                     is built with app.openapi(); the app is booted with
                     ready(), never listens, and is closed afterwards
  -o, --output <f>   write to the file <f> (client.ts, say) instead of stdout
  -h, --help         this text
`

const documentExtensions = new Set(['.json', '.yaml', '.yml'])

// The yaml package (CommonJS), loaded for a YAML document only.
const require = createRequire(import.meta.url)

export const client: Command = {
  summary: 'write a typed TypeScript client of an OpenAPI document or an app',
  help,
  async run (argv, out) {
    const args = parseAppCommandArgs('client', help, argv, { output: { type: 'string', short: 'o' } }, out)
    if (args === null) return 0
    const { modulePath: source, values } = args
    if (values.output === '') throw new UsageError('client', '--output needs a file name')
    try {
      const document = await readDocument(source)
      const generated = generateClient(document, { source, runtime: clientRuntimeSource(), version: VELOX_VERSION })
      if (typeof values.output !== 'string') {
        out.stdout(generated.code)
        return 0
      }
      await writeFile(values.output, generated.code)
      out.stdout(`velox client: wrote ${values.output}: ${generated.routes} ${generated.routes === 1 ? 'route' : 'routes'}, ` +
        `${generated.schemas} ${generated.schemas === 1 ? 'schema' : 'schemas'}\n`)
      return 0
    } catch (err) {
      // The document's own mistakes: the message says what and where; a stack would not help.
      const code = (err as { code?: unknown }).code
      if (typeof code === 'string' && /^VLX_ERR_(CLIENT|OPENAPI)_/.test(code)) {
        out.stderr(`velox client: ${(err as Error).message} (${code})\n`)
        return 1
      }
      throw err
    }
  }
}

/** The document behind `source`: fetched, read from a file, or built by the app a module exports. */
async function readDocument (source: string): Promise<unknown> {
  if (/^https?:\/\//i.test(source)) return fetchDocument(source)
  const extension = extname(source).toLowerCase()
  if (!documentExtensions.has(extension)) {
    return withReadyApp(source, (app) => {
      if (typeof app.openapi !== 'function') throw new UsageError('client', `${source} exports an app without openapi(): is it a Velox app?`)
      return app.openapi()
    })
  }
  let text: string
  try {
    text = await readFile(source, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file (looked in ${process.cwd()})` : (err as Error).message
    throw new errorCodes.VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND(source, reason)
  }
  return parseDocument(text, source, extension !== '.json')
}

async function fetchDocument (url: string): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, { headers: { accept: 'application/json, application/yaml;q=0.9' } })
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause
    throw new errorCodes.VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND(url, `the request failed (${cause?.message ?? (err as Error).message})`)
  }
  const text = await response.text()
  if (!response.ok) throw new errorCodes.VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND(url, `the server answered ${response.status}`)
  const type = response.headers.get('content-type') ?? ''
  return parseDocument(text, url, /yaml/i.test(type) || /\.ya?ml$/i.test(new URL(url).pathname))
}

function parseDocument (text: string, source: string, yaml: boolean): unknown {
  try {
    return yaml ? (require('yaml') as typeof import('yaml')).parse(text) : JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]
    throw new errorCodes.VLX_ERR_CLIENT_DOCUMENT_INVALID(source, `it is not ${yaml ? 'YAML' : 'JSON'} (${message})`)
  }
}
