import t from 'tap'
import { writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliDecompressSync } from 'node:zlib'
import velox from '../lib/index.js'
import { main } from '../lib/cli/index.js'

const buildSchemas = Symbol.for('velox.buildSchemas')

/** An app with shared schemas (one recursive, so Ajv cannot inline it), formats, patterns and coercion. */
function makeApp (options: Record<string, unknown> = {}, routes = 3) {
  const app = velox(options as any)
  app.addSchema({ $id: 'address', type: 'object', properties: { city: { type: 'string', maxLength: 20 }, zip: { type: 'string', pattern: '^[0-9]{5}$' } } })
  app.addSchema({ $id: 'tree', type: 'object', properties: { uniqueSharedField: { type: 'integer' }, child: { $ref: 'tree#' } } })
  for (let i = 0; i < routes; i++) {
    app.post(`/r${i}`, {
      schema: {
        body: {
          type: 'object',
          required: ['n'],
          additionalProperties: false,
          properties: { n: { type: 'integer' }, address: { $ref: 'address#' }, tree: { $ref: 'tree#' }, email: { type: 'string', format: 'email' }, route: { const: i } }
        },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' }, fromFile: { type: 'boolean' } } } }
      }
    }, async (req: any) => ({ n: req.body.n, fromFile: req.getValidationFunction('body').schemaEnv?.standalone === true, undeclared: 1 }))
  }
  return app
}

async function writeBuild (dir: string, routes = 3): Promise<string> {
  const app = makeApp({}, routes) as any
  const built = await app[buildSchemas]()
  await app.close()
  const file = join(dir, 'schemas.bin')
  writeFileSync(file, built.file)
  return file
}

/** The chunk sources of a build file, decompressed (the layout build-file.ts describes). */
function sourcesOf (file: string): string[] {
  const bytes = readFileSync(file)
  const first = bytes.indexOf(10)
  const second = bytes.indexOf(10, first + 1)
  const start = second + 1 + Number(bytes.subarray(first + 1, second).toString())
  const index = JSON.parse(bytes.subarray(second + 1, start).toString())
  return index.blocks.flatMap(([offset, length]: [number, number]) =>
    JSON.parse(brotliDecompressSync(bytes.subarray(start + offset, start + offset + length)).toString())[1])
}

/** The messages of the process warnings emitted during the test. */
function processWarnings (t: { teardown: (fn: () => void) => void }): string[] {
  const warnings: string[] = []
  const onWarning = (w: Error) => { warnings.push(w.message) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  return warnings
}

async function post (app: any, url: string, payload: unknown) {
  return app.inject({ method: 'POST', url, payload })
}

t.test('an app loading the build file validates, coerces and serializes exactly as one that compiles', async (t) => {
  const file = await writeBuild(t.testdir({}))
  for (const options of [{}, { schemaBuild: file }]) {
    const app = makeApp(options)
    const ok = await post(app, '/r1', { n: '7', extra: true, address: { city: 'Lyon', zip: '69001' }, tree: { uniqueSharedField: 1, child: { uniqueSharedField: '2' } }, email: 'a@b.co', route: 1 })
    t.equal(ok.statusCode, 200)
    t.same(ok.json(), { n: 7, fromFile: 'schemaBuild' in options }, 'coerced, undeclared field dropped, validator from the file only with the option')
    const messages = []
    for (const payload of [{ n: 1, address: { zip: 'x' } }, { n: 1, tree: { child: { child: { uniqueSharedField: 'no' } } } }, { n: 1, email: 'nope' }, { n: 1, route: 2 }, {}]) {
      const res = await post(app, '/r1', payload)
      t.equal(res.statusCode, 400)
      messages.push(res.json().message)
    }
    t.same(messages, [
      'body/address/zip must match pattern "^[0-9]{5}$"',
      'body/tree/child/child/uniqueSharedField must be integer',
      'body/email must match format "email"',
      'body/route must be equal to constant',
      "body must have required property 'n'"
    ])
    await app.close()
  }
})

t.test('a shared schema that validators reference is written to the build file once, whatever the number of routes', async (t) => {
  const count = (file: string) => sourcesOf(file).join('\n').split('uniqueSharedField').length - 1
  const one = count(await writeBuild(t.testdir({}), 1))
  const many = count(await writeBuild(t.testdir({}), 20))
  t.ok(one > 0, 'the shared schema is in the file')
  t.equal(many, one)
})

t.test('routes compiled on demand load their code from the build file on their first request', async (t) => {
  const file = await writeBuild(t.testdir({}))
  const app = makeApp({ schemaBuild: file, compile: 'on-demand' })
  await app.ready()
  const res = await post(app, '/r2', { n: 1, route: 2 })
  t.same(res.json(), { n: 1, fromFile: true })
  await app.close()
})

t.test('a schema missing from the build file is compiled, with one warning', async (t) => {
  const file = await writeBuild(t.testdir({}))
  const warnings = processWarnings(t)
  const app = makeApp({ schemaBuild: file })
  app.post('/changed', { schema: { body: { type: 'object', properties: { changed: { type: 'integer' } } } } }, async (req: any) => req.body)
  app.post('/changed2', { schema: { body: { type: 'object', properties: { changed2: { type: 'integer' } } } } }, async (req: any) => req.body)
  t.same((await post(app, '/changed', { changed: '4' })).json(), { changed: 4 })
  t.same((await post(app, '/r0', { n: 1 })).json(), { n: 1, fromFile: true }, 'the other routes still use the file')
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(warnings.filter((w) => w.includes('missing from the schema build')).length, 1)
  t.match(warnings.find((w) => w.includes('missing from the schema build')), /Run velox build again/)
  await app.close()
})

t.test('a schemaBuild file that is not a build gives a warning and the app compiles as usual', async (t) => {
  const dir = t.testdir({ 'garbage.bin': 'not a build file' })
  const warnings = processWarnings(t)
  const app = makeApp({ schemaBuild: new URL(`file://${join(dir, 'garbage.bin')}`) })
  t.same((await post(app, '/r0', { n: '3' })).json(), { n: 3, fromFile: false })
  await new Promise((resolve) => setImmediate(resolve))
  t.match(warnings.join('\n'), /could not load the schema build .*garbage\.bin.*is not a file written by velox build/)
  await app.close()
})

t.test('a build file in an older layout gives a warning asking for a new build, and the app compiles as usual', async (t) => {
  const dir = t.testdir({ 'old.bin': 'velox-schemas 1\n2\n{}' })
  const warnings = processWarnings(t)
  const app = makeApp({ schemaBuild: join(dir, 'old.bin') })
  t.same((await post(app, '/r0', { n: '3' })).json(), { n: 3, fromFile: false })
  await new Promise((resolve) => setImmediate(resolve))
  t.match(warnings.join('\n'), /old\.bin was written by another version of velox build: run velox build again/)
  await app.close()
})

t.test('a build file of many blocks serves every route from the file, first and last', async (t) => {
  const file = await writeBuild(t.testdir({}), 400)
  const bytes = readFileSync(file)
  const first = bytes.indexOf(10)
  const second = bytes.indexOf(10, first + 1)
  const index = JSON.parse(bytes.subarray(second + 1, second + 1 + Number(bytes.subarray(first + 1, second).toString())).toString())
  t.ok(index.blocks.length > 2, `${index.blocks.length} blocks`)
  const app = makeApp({ schemaBuild: file }, 400)
  for (const i of [399, 0, 200, 1]) t.same((await post(app, `/r${i}`, { n: String(i) })).json(), { n: i, fromFile: true }, `/r${i}`)
  await app.close()
})

t.test('an app that was already started cannot be built', async (t) => {
  const app = makeApp() as any
  await app.ready()
  await t.rejects(app[buildSchemas](), /was started .* before velox build/)
  await app.close()
})

t.test('velox build <app> writes the file and says what it holds', async (t) => {
  const dir = t.testdir({})
  const bundle = join(process.cwd(), 'dist', 'velox.js')
  writeFileSync(join(dir, 'app.mjs'), `import velox from ${JSON.stringify(bundle)}
const app = velox()
app.post('/', { schema: { body: { type: 'object', properties: { a: { type: 'integer' } } }, response: { 200: { type: 'object', properties: { a: { type: 'integer' } } } } } }, async (req) => req.body)
export default app
`)
  const output = join(dir, 'out.bin')
  let stdout = ''
  const code = await main(['build', join(dir, 'app.mjs'), '--output', output], { stdout: (s) => { stdout += s }, stderr: () => {} })
  t.equal(code, 0)
  t.match(stdout, /^velox build: wrote .*out\.bin \([\d.]+ KiB\): 1 validators and 1 serializers for 1 routes\n$/)
  const app = velox({ schemaBuild: output })
  app.post('/', { schema: { body: { type: 'object', properties: { a: { type: 'integer' } } }, response: { 200: { type: 'object', properties: { a: { type: 'integer' } } } } } }, async (req: any) => ({
    ...req.body, fromFile: req.getValidationFunction('body').schemaEnv?.standalone === true
  }))
  t.same((await post(app, '/', { a: '5' })).json(), { a: 5 }, 'the serializer from the file drops the undeclared field')
  t.equal(sourcesOf(output).length, 2, 'one validator and one serializer')
})

t.test('velox build --help describes the command', async (t) => {
  let stdout = ''
  t.equal(await main(['build', '--help'], { stdout: (s) => { stdout += s }, stderr: () => {} }), 0)
  t.match(stdout, /usage: velox build <app> \[--output <file>\]/)
  t.match(stdout, /schemaBuild/)
})
