import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { assertValidOpenApi } from './openapi-helpers.js'

const run = promisify(execFile)
// The compiled CLI: `npm test` builds dist/ before running the tests.
const cli = join(process.cwd(), 'dist', 'lib', 'cli', 'index.js')
const exampleApp = 'examples/app.js'

t.test('velox openapi writes the document of the example app to stdout without listening', async (t) => {
  const { stdout } = await run(process.execPath, [cli, 'openapi', exampleApp], { cwd: process.cwd() })
  const document = JSON.parse(stdout)
  t.equal(document.openapi, '3.1.0')
  t.equal(document.info.title, 'Velox example')
  t.ok(document.paths['/v1/users/{id}'].get, 'the parameterized route is listed with an OpenAPI path')
  t.ok(document.components.schemas.user, 'the shared schema is a component')
  t.notOk(document.paths['/openapi.json'], 'the serving routes are hidden')
  await assertValidOpenApi(t, document)
})

t.test('velox openapi --yaml --output writes YAML to a file', async (t) => {
  const dir = t.testdir({})
  const out = join(dir, 'openapi.yaml')
  await run(process.execPath, [cli, 'openapi', exampleApp, '--yaml', '--output', out])
  const document = parse(await readFile(out, 'utf8'))
  t.equal(document.openapi, '3.1.0')
  t.ok(document.paths['/v1/users'].post)
})

t.test('velox with an unknown command prints the usage and fails', async (t) => {
  const err = await run(process.execPath, [cli, 'serve']).then(() => null, (e: { code: number, stderr: string }) => e)
  t.ok(err, 'the command failed')
  t.equal(err?.code, 1)
  t.match(err?.stderr, /usage: velox openapi/)
})

t.test('velox openapi names the module that exports no app', async (t) => {
  const dir = t.testdir({ 'empty.mjs': 'export const nothing = 1\n' })
  const err = await run(process.execPath, [cli, 'openapi', join(dir, 'empty.mjs')]).then(() => null, (e: { code: number, stderr: string }) => e)
  t.equal(err?.code, 1)
  t.match(err?.stderr, /exports no Velox app/)
})
