// `velox client`: a typed client module written from an OpenAPI document, for consumers in other
// repositories. The generated modules are type-checked with the compiler, as a consumer's strict
// project would (with the uses that must compile, and those that must not, by error code), and
// one of them is run against a real listening Velox server.
import t from 'tap'
import ts from 'typescript'
import { typeCheck as check } from './typescript-host.js'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { stringify } from 'yaml'
import { main } from '../lib/cli/index.js'
import { generateClient } from '../lib/client/generate.js'

// Type-checking the generated modules takes tens of seconds on a loaded machine.
t.setTimeout(300_000)

const run = promisify(execFile)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// The compiled CLI and package: `npm test` builds dist/ before running the tests.
const cli = join(process.cwd(), 'dist', 'cli.js')
const veloxModule = join(process.cwd(), 'dist', 'velox.js')
const kitchenSink = join(root, 'test', 'fixtures', 'client', 'kitchen-sink.json')
// The example app is TypeScript: the suite's build compiles it; a run through tsx loads the .ts.
const exampleApp = existsSync(join(root, 'examples', 'app.js')) ? join(root, 'examples', 'app.js') : join(root, 'examples', 'app.ts')

/** Runs the CLI in this process and collects what it prints. */
async function velox$ (...argv: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (s) => { stdout += s }, stderr: (s) => { stderr += s } })
  return { code, stdout, stderr }
}

// A consumer's strict project, stricter than most: every flag that changes what a module must
// spell out. The generated module must compile under all of them.
const consumerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  // The repository's @types (the test build's own node_modules holds only velox).
  typeRoots: [dirname(dirname(createRequire(import.meta.url).resolve('@types/node/package.json')))],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  erasableSyntaxOnly: true,
  noEmit: true
}

interface Diagnostic { file: string, line: number, code: number, text: string }

async function typeCheck (files: string[], options: ts.CompilerOptions): Promise<Diagnostic[]> {
  const found = await check({ rootNames: files, options, report: 'program' })
  return found.map(({ file, line, code, text }) => ({ file, line, code, text }))
}

/** `// TS2322` at the end of a line: the error that line must give. */
function expectedErrors (text: string): Array<{ line: number, code: number }> {
  return text.split('\n').flatMap((line, i) => {
    const match = /\/\/ TS(\d+)\s*$/.exec(line)
    return match === null ? [] : [{ line: i + 1, code: Number(match[1]) }]
  })
}

const typeHelpers = `type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
export function expectType<T extends true> (): T | undefined { return undefined }
`

// Uses of the kitchen-sink client that must compile, each construct's type asserted exactly.
const kitchenSinkUses = `import { createClient, type Api, type Base, type Cat, type Counts, type Dog, type ErrorBody, type Labels,
  type Mixed, type NullableName, type Pet, type Point, type ResponseSchema, type Routes, type Stamp, type Tree } from './client.js'
${typeHelpers}
type Get<P extends keyof Routes, M extends keyof Routes[P]> = Routes[P][M]

expectType<Equal<Cat, { kind: 'cat', name: string, lives?: number }>>()
expectType<Equal<Pet, Cat | Dog>>()
expectType<Equal<Dog['goodBoy'], boolean | undefined>>()
expectType<Equal<Tree, { value: number, children?: Tree[] }>>()
expectType<Equal<ErrorBody['code'], 'E_ONE' | 'E_TWO'>>()
expectType<Equal<ErrorBody['details'], { [key: string]: string } | null | undefined>>()
expectType<Equal<Stamp, Base & { at: string }>>()
expectType<Equal<Labels, { [key: string]: unknown }>>()
expectType<Equal<Counts, { total?: number, [key: string]: number | undefined }>>()
expectType<Equal<Point, [number, number, string?]>>()
expectType<Equal<Mixed, string | number>>()
expectType<Equal<NullableName, string | null>>()
expectType<Equal<ResponseSchema, { ok?: boolean }>>()

expectType<Equal<Get<'/pets/:petId', 'GET'>['params'], { petId: number }>>()
expectType<Equal<Get<'/pets/:petId', 'GET'>['query'], { fields?: Array<'name' | 'kind'>, since: string }>>()
expectType<Equal<Get<'/pets/:petId', 'GET'>['headers'], { 'x-trace': string }>>()
expectType<Equal<Get<'/pets/:petId', 'GET'>['responses'], { 200: Pet, 404: ErrorBody, default: ErrorBody }>>()
expectType<Equal<Get<'/pets', 'GET'>['query'], { limit?: number, tag?: string | null }>>()
expectType<Equal<Get<'/pets', 'POST'>['body'], Pet>>()
expectType<Equal<Get<'/pets', 'POST'>['responses'], { 201: Pet, '4XX': ErrorBody }>>()
expectType<Equal<Get<'/files/*', 'GET'>['params'], { '*': string }>>()
expectType<Equal<Get<'/range/:from-:to', 'GET'>['params'], { from: number, to: number }>>()
expectType<Equal<Get<'/users/:user_id/avatar', 'GET'>['responses'], { 200: ArrayBuffer }>>()
expectType<Equal<Get<'/users/:user_id/avatar', 'PUT'>['body'], FormData>>()
expectType<Equal<Get<'/trees', 'POST'>['body'], Tree | undefined>>()
expectType<Equal<Get<'/misc', 'GET'>['responses'][200]['settings'], { theme?: 'light' | 'dark' | null }>>()
expectType<Equal<Get<'/misc', 'GET'>['responses'][200]['version'], 2>>()
expectType<Equal<Get<'/misc', 'GET'>['responses'][200]['inner'], number | undefined>>()
type Forms = Get<'/forms', 'POST'>['responses'][200]
expectType<Equal<Forms['tuple'], [string, boolean?, ...number[]]>>()
expectType<Equal<Forms['shape'], { a: [1, 'x', null], 'b-c': true }>>()
expectType<Equal<Forms['odd'] | Forms['anything'], unknown>>()
expectType<Equal<Forms['nothing'], never>>()
expectType<Equal<Forms['loop'], Tree[]>>()
expectType<Equal<Forms['plain'], { id: number, extra: string, [key: string]: string | number }>>()
expectType<Equal<Forms['noted'], string | number | null>>()
expectType<Equal<Get<'/forms', 'POST'>['body'], URLSearchParams | Exclude<NonNullable<RequestInit['body']>, string>>>()
expectType<Equal<Get<'/search', 'QUERY'>['query'], { filter?: { q?: string } }>>()
expectType<Equal<Get<'/search', 'QUERY'>['responses'], { 200: unknown[] }>>()
expectType<Equal<Get<'/search', 'COPY'>['responses'], { 201: unknown }>>()

export async function calls (api: Api = createClient('http://127.0.0.1:3000')): Promise<void> {
  const res = await api.pets[':petId'].$get({ params: { petId: 1 }, query: { since: '2026-01-01T00:00:00Z', fields: ['name'] }, headers: { 'x-trace': 't1' } })
  if (res.status === 200) {
    if (res.data.kind === 'cat') expectType<Equal<typeof res.data.lives, number | undefined>>()
    else expectType<Equal<typeof res.data, Dog>>()
  } else {
    // \`default\` stands for the statuses the others do not name.
    expectType<Equal<Extract<typeof res.status, 200>, never>>()
    expectType<Equal<typeof res.data, ErrorBody>>()
  }
  const created = await api.pets.$post({ body: { kind: 'dog', name: 'Rex', goodBoy: true } })
  if (created.status === 201) expectType<Equal<typeof created.data, Pet>>()
  if (created.status === 418) expectType<Equal<typeof created.data, ErrorBody>>()
  if (created.status === 503) expectType<Equal<typeof created.data['message'], string>>()
  const file = await api.files['*'].$get({ params: { '*': 'a/b.txt' } })
  if (file.ok) expectType<Equal<typeof file.data, string>>()
  await api.range[':from-:to'].$get({ params: { from: 1, to: 2 } })
  await api.users[':user_id'].avatar.$put({ params: { user_id: 'u1' }, body: new FormData() })
  await api.things[':id::cancel'].$post({ params: { id: 'x' } })
  await api.trees.$post()
  await api.trees.$post({ body: { value: 1, children: [{ value: 2 }] } })
  const gone = await api.pets[':petId'].$delete({ params: { petId: 1 } })
  if (gone.status === 204) expectType<Equal<typeof gone.data, undefined>>()
  const misc = await api.misc.$get()
  if (misc.ok) expectType<Equal<typeof misc.data.point, Point>>()
  await api.forms.$post({ body: new URLSearchParams('a=1') })
  await api.forms.$post({ body: new Blob(['plain text'], { type: 'text/plain' }) })
  await api.search.$query({ body: { anything: true } })
  await api.search.$copy()
  expectType<Equal<ReturnType<typeof api.pets.$url>, URL>>()
}
`

// Uses that must not compile, each with the error it gives.
const kitchenSinkFails = `import { createClient } from './client.js'
const api = createClient('http://127.0.0.1:3000')
export async function calls (): Promise<void> {
  await api.pets[':petId'].$get({ params: { petId: 1 }, query: { since: 'x' }, headers: {} }) // TS2322
  await api.pets[':petId'].$get({ params: { petId: 1 }, query: { since: 'x', fields: ['age'] }, headers: { 'x-trace': 't' } }) // TS2322
  await api.pets.$post({ body: { kind: 'bird', name: 'Tweety' } }) // TS2322
  await api.pets.$get({ query: { limit: '10' } }) // TS2322
  await api.pets.$put() // TS2339
  await api.nothing.$get() // TS2339
  const res = await api.misc.$get()
  res.data.labels // TS2339
  await api.users[':user_id'].avatar.$put({ params: { user_id: 'u' }, body: { file: 'x' } }) // TS2353
  await api.forms.$post({ body: 'plain text' }) // TS2322
}
`

const exampleUses = `import { createClient } from './client.js'
${typeHelpers}
const api = createClient('http://127.0.0.1:3000')
export async function calls (): Promise<void> {
  const res = await api.v1.users[':id'].$get({ params: { id: 1 } })
  if (res.status === 200) expectType<Equal<typeof res.data, { id: number, name: string, age?: number }>>()
  if (res.status === 404) expectType<Equal<typeof res.data.message, string>>()
  const created = await api.v1.users.$post({ body: { name: 'Grace', age: 36 } })
  if (created.ok) expectType<Equal<typeof created.data.id, number>>()
  const list = await api.v1.users.$get()
  if (list.status === 200) expectType<Equal<typeof list.data, Array<{ id: number, name: string, age?: number }>>>()
  await api.health.$get()
  await api.$get()
}
`

const exampleFails = `import { createClient } from './client.js'
const api = createClient('http://127.0.0.1:3000')
export async function calls (): Promise<void> {
  await api.v1.users[':id'].$get({ params: { id: 'one' } }) // TS2322
  await api.v1.users[':id'].$get() // TS2554
  await api.v1.users.$post({ body: { age: 36 } }) // TS2741
  await api.v1.users.$post({ body: { name: 'Grace', email: 'g@example.com' } }) // TS2353
}
`

t.test('the example app\'s client and a document exercising each JSON Schema construct compile under strict, and wrong uses fail with their errors', async (t) => {
  const dir = t.testdir({
    'package.json': JSON.stringify({ type: 'module' }),
    example: { 'uses.ts': exampleUses, 'fails.ts': exampleFails },
    sink: { 'uses.ts': kitchenSinkUses, 'fails.ts': kitchenSinkFails }
  })
  const fromApp = await velox$('client', exampleApp, '--output', join(dir, 'example', 'client.ts'))
  t.equal(fromApp.code, 0, fromApp.stderr)
  t.match(fromApp.stdout, /wrote .*client\.ts: 5 routes, 1 schema\n$/)
  const fromDocument = await velox$('client', kitchenSink, '-o', join(dir, 'sink', 'client.ts'))
  t.equal(fromDocument.code, 0, fromDocument.stderr)
  t.match(fromDocument.stdout, /15 routes, 13 schemas/)

  const files = ['example', 'sink'].flatMap((name) => ['client.ts', 'uses.ts', 'fails.ts'].map((file) => join(dir, name, file)))
  const diagnostics = await typeCheck(files, consumerOptions)
  for (const file of files) {
    const name = file.slice(dir.length + 1)
    const got = diagnostics.filter((d) => d.file === file).map((d) => ({ line: d.line, code: d.code }))
    const want = file.endsWith('fails.ts') ? expectedErrors(await readFile(file, 'utf8')) : []
    t.same(got, want, `${name}: ${want.length === 0 ? 'no errors' : 'the expected errors, on their lines'}`, {
      diagnostics: diagnostics.filter((d) => d.file === file).map((d) => `${d.line}: TS${d.code} ${d.text.split('\n')[0]}`)
    })
  }
  t.same(diagnostics.filter((d) => !files.includes(d.file)).map((d) => d.text), [], 'no errors elsewhere (options, libraries)')

  // A browser project: the DOM's fetch types, no Node.js types.
  const dom = await typeCheck([join(dir, 'example', 'client.ts'), join(dir, 'sink', 'client.ts')], {
    ...consumerOptions, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: []
  })
  t.same(dom.map((d) => `${d.file}:${d.line} TS${d.code} ${d.text}`), [], 'the modules compile with the DOM library instead of @types/node')
})

t.test('the generated module spells the document out readably: named schemas, route table, the runtime as it is', async (t) => {
  const result = await velox$('client', kitchenSink)
  t.equal(result.code, 0)
  const code = result.stdout
  t.match(code, /^\/\* eslint-disable \*\/\n\/\/ A typed client for Kitchen sink 2\.0\.0 \(OpenAPI 3\.1\.0\)/)
  t.match(code, /\/\/ Servers the document names: https:\/\/api\.example\.com\/v2\n/)
  t.match(code, /\nexport type Pet = Cat \| Dog\n/)
  t.match(code, /\nexport type ErrorBody = \{\n/, 'a component name becomes a type name (error-body -> ErrorBody)')
  t.match(code, /\nexport type ResponseSchema = \{/, 'a name the runtime uses (Response) is not shadowed')
  t.match(code, /'\/users\/:user_id\/avatar': \{/, 'a parameter name the :param syntax cannot hold is renamed')
  t.match(code, /\/\*\* The parameter "user-id" of the document. \*\//)
  t.match(code, /'\/things\/:id::cancel': \{/, 'a literal colon is ::')
  t.match(code, /\/\*\*\n {5}\* One pet\n {5}\* operationId: getPet\n {5}\*\/\n {4}GET: \{/, 'operations carry their summary')
  t.match(code, /\/\*\*\n {11}\* Use name\.\n {11}\* @deprecated\n {11}\*\/\n {10}legacy\?: string/, 'deprecated properties say so')
  t.notMatch(code, /'accept'|session/i, 'Accept and cookie parameters are left out')
  const runtime = await readFile(join(root, 'lib', 'client', 'client.ts'), 'utf8')
  const body = runtime.slice(runtime.indexOf('*/') + 2).trim()
  t.ok(code.endsWith(body + '\n'), 'the runtime is lib/client/client.ts, without its file header')
  t.equal(generateClient(JSON.parse(await readFile(kitchenSink, 'utf8')), { source: kitchenSink, runtime, version: '0.1.0' }).code.length > 0, true)
})

t.test('a YAML document, and the same document served over HTTP, give the same client', async (t) => {
  const document = JSON.parse(await readFile(kitchenSink, 'utf8'))
  const dir = t.testdir({ 'api.yaml': stringify(document) })
  const fromJson = await velox$('client', kitchenSink)
  const fromYaml = await velox$('client', join(dir, 'api.yaml'))
  t.equal(fromYaml.code, 0, fromYaml.stderr)
  const withoutSource = (code: string) => code.replace(/ from .*\.\n/, '\n')
  t.equal(withoutSource(fromYaml.stdout), withoutSource(fromJson.stdout))

  const { default: velox } = await import(veloxModule) as { default: (opts?: object) => any }
  const server = velox({ logger: false })
  server.get('/openapi.json', async () => document)
  server.get('/openapi.yaml', async (_req: unknown, reply: any) => reply.type('application/yaml').send(stringify(document)))
  t.teardown(() => server.close())
  const address: string = await server.listen({ port: 0, host: '127.0.0.1' })
  for (const path of ['/openapi.json', '/openapi.yaml']) {
    const fromUrl = await velox$('client', address + path)
    t.equal(fromUrl.code, 0, fromUrl.stderr)
    t.equal(withoutSource(fromUrl.stdout), withoutSource(fromJson.stdout), path)
  }
  const missing = await velox$('client', `${address}/nothing.json`)
  t.equal(missing.code, 1)
  t.match(missing.stderr, /^velox client: No OpenAPI document at http:\/\/127\.0\.0\.1:\d+\/nothing\.json: the server answered 404 \(VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND\)\n$/)
})

// The server the generated client calls: a Velox app in a module, as `velox client <app>` reads it.
const shopModule = `import velox from ${JSON.stringify(veloxModule)}
const Item = {
  $id: 'item',
  type: 'object',
  required: ['id', 'name', 'tags'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }
}
export default function buildShop () {
  const items = new Map([[1, { id: 1, name: 'lamp', tags: ['home'] }]])
  return velox({ logger: false, openapi: { info: { title: 'Shop', version: '1.0.0' } } })
    .addSchema(Item)
    .get('/items/:id', {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        querystring: { type: 'object', properties: { fields: { type: 'array', items: { type: 'string' } } } },
        response: { 200: { $ref: 'item#' }, 404: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } }
      }
    }, async (request, reply) => {
      const item = items.get(request.params.id)
      if (item === undefined) return reply.code(404).send({ message: 'no item ' + request.params.id })
      return request.query.fields?.includes('upper') ? { ...item, name: item.name.toUpperCase() } : item
    })
    .post('/items', {
      schema: {
        headers: { type: 'object', required: ['x-request-id'], properties: { 'x-request-id': { type: 'string' } } },
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 }, tags: { type: 'array', items: { type: 'string' }, default: [] } } },
        response: { 201: { $ref: 'item#' } }
      }
    }, async (request, reply) => {
      const item = { id: items.size + 1, name: request.body.name, tags: request.body.tags }
      items.set(item.id, item)
      reply.header('x-echo', request.headers['x-request-id'])
      return reply.code(201).send(item)
    })
    .delete('/items/:id', { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } }, response: { 204: { type: 'null' } } } }, async (request, reply) => {
      items.delete(request.params.id)
      return reply.code(204).send()
    })
    .get('/files/*', { schema: { response: { 200: { type: 'string' } } } }, async (request, reply) => reply.type('text/plain').send('file ' + request.params['*']))
    .get('/range/:from-:to', async (request) => ({ from: request.params.from, to: request.params.to }))
}
`

t.test('the generated client calls a real listening server: params, query, headers, body, per-status data', async (t) => {
  const dir = t.testdir({ 'package.json': JSON.stringify({ type: 'module' }), 'shop.mjs': shopModule })
  const generated = await velox$('client', join(dir, 'shop.mjs'), '-o', join(dir, 'client.ts'))
  t.equal(generated.code, 0, generated.stderr)
  const code = await readFile(join(dir, 'client.ts'), 'utf8')
  t.match(code, /'\/files\/\*': \{/, 'the wildcard is the client\'s * again')
  t.match(code, /'\/range\/:from-:to': \{/)
  // Compiled as a consumer's build would, then loaded.
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
  await writeFile(join(dir, 'client.mjs'), js)
  const { createClient } = await import(pathToFileURL(join(dir, 'client.mjs')).href) as { createClient: (url: string, options?: object) => any }

  const { default: buildShop } = await import(pathToFileURL(join(dir, 'shop.mjs')).href) as { default: () => any }
  const app = buildShop()
  t.teardown(() => app.close())
  const address: string = await app.listen({ port: 0, host: '127.0.0.1' })
  const api = createClient(address, { headers: { 'x-request-id': 'default-id' } })

  const found = await api.items[':id'].$get({ params: { id: 1 }, query: { fields: ['upper', 'x'] } })
  t.same({ status: found.status, ok: found.ok, data: found.data }, { status: 200, ok: true, data: { id: 1, name: 'LAMP', tags: ['home'] } })
  t.equal(found.response.headers.get('content-type'), 'application/json; charset=utf-8')
  const missing = await api.items[':id'].$get({ params: { id: 9 } })
  t.same({ status: missing.status, ok: missing.ok, data: missing.data }, { status: 404, ok: false, data: { message: 'no item 9' } })
  const invalid = await api.items[':id'].$get({ params: { id: 'x' } })
  t.equal(invalid.status, 400, 'the server still validates')
  t.equal(invalid.data.code, 'FST_ERR_VALIDATION')

  const created = await api.items.$post({ body: { name: 'desk' }, headers: { 'x-request-id': 'r-1' } })
  t.equal(created.status, 201)
  t.same(created.data, { id: 2, name: 'desk', tags: [] }, 'the server filled in the default')
  t.equal(created.headers.get('x-echo'), 'r-1', 'a call\'s headers win over the defaults')
  const refused = await api.items.$post({ body: { name: '' } })
  t.equal(refused.status, 400)
  t.match(refused.data.message, /name/)

  const gone = await api.items[':id'].$delete({ params: { id: 2 } })
  t.same({ status: gone.status, data: gone.data }, { status: 204, data: undefined })
  const file = await api.files['*'].$get({ params: { '*': 'docs/read me.txt' } })
  t.same({ status: file.status, data: file.data }, { status: 200, data: 'file docs/read me.txt' }, 'the wildcard keeps its slashes')
  const range = await api.range[':from-:to'].$get({ params: { from: 3, to: 5 } })
  t.same(range.data, { from: '3', to: '5' })
  t.equal(api.items[':id'].$url({ params: { id: 7 }, query: { fields: ['a', 'b'] } }).href, `${address}/items/7?fields=a&fields=b`)

  // The document the app serves gives the same client as the module.
  const fromUrl = await velox$('client', `${address}/openapi.json`)
  t.equal(fromUrl.stdout.replace(/ from .*\.\n/, '\n'), code.replace(/ from .*\.\n/, '\n'), 'the served document gives the same module')
})

t.test('velox client fails with a coded error and exit code 1 for a document it cannot read', async (t) => {
  const dir = t.testdir({
    'broken.json': '{ "openapi": "3.1.0", ',
    'swagger.json': JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} }),
    'future.json': JSON.stringify({ openapi: '4.0.0', paths: {} }),
    'array.json': '[]',
    'no-version.json': JSON.stringify({ info: {}, paths: {} }),
    'bad-ref.json': JSON.stringify({ openapi: '3.0.3', paths: { '/a': { get: { responses: { 200: { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } } } }),
    'external-ref.json': JSON.stringify({ openapi: '3.1.0', paths: { '/a': { get: { responses: { 200: { $ref: 'common.yaml#/responses/Ok' } } } } } }),
    'bad-status.json': JSON.stringify({ openapi: '3.1.0', paths: { '/a': { get: { responses: { 20: { description: 'x' } } } } } }),
    'bad-parameter.json': JSON.stringify({ openapi: '3.1.0', paths: { '/a': { get: { parameters: [{ in: 'query' }], responses: {} } } } }),
    'bad.yaml': 'openapi: [3.1\n'
  })
  const cases: Array<[string, string, RegExp]> = [
    ['missing.json', 'VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND', /No OpenAPI document at .*missing\.json: no such file/],
    ['broken.json', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /broken\.json is not an OpenAPI document velox client can read: it is not JSON \(/],
    ['bad.yaml', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /it is not YAML/],
    ['swagger.json', 'VLX_ERR_CLIENT_OPENAPI_VERSION', /swagger\.json is Swagger 2\.0; velox client reads OpenAPI 3\.x documents \(convert/],
    ['future.json', 'VLX_ERR_CLIENT_OPENAPI_VERSION', /is OpenAPI 4\.0\.0;/],
    ['array.json', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /it is an array, not an object/],
    ['no-version.json', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /it has no "openapi" field/],
    ['bad-ref.json', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /the \$ref "#\/components\/schemas\/Nope" in paths\["\/a"\]\.get\.responses\["200"\] application\/json points to nothing/],
    ['external-ref.json', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /points into another document; bundle it into one first/],
    ['bad-status.json', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /has the key "20", which is not a status code/],
    ['bad-parameter.json', 'VLX_ERR_CLIENT_DOCUMENT_INVALID', /parameters\[0\] is not a Parameter object/]
  ]
  for (const [file, code, message] of cases) {
    const result = await velox$('client', join(dir, file), '-o', join(dir, 'out.ts'))
    t.equal(result.code, 1, `${file}: exit code 1`)
    t.match(result.stderr, message, `${file}: the message says what is wrong`)
    t.ok(result.stderr.endsWith(` (${code})\n`), `${file}: ${code}`)
    t.equal(result.stdout, '')
  }
  t.notOk(existsSync(join(dir, 'out.ts')), 'nothing is written')
  const closed = await velox$('client', 'http://127.0.0.1:9/openapi.json')
  t.equal(closed.code, 1)
  t.match(closed.stderr, /No OpenAPI document at http:\/\/127\.0\.0\.1:9\/openapi\.json: the request failed \(.*\) \(VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND\)/)
})

t.test('odd names, odd schemas and malformed parts of a document', async (t) => {
  const runtime = await readFile(join(root, 'lib', 'client', 'client.ts'), 'utf8')
  const generate = (document: unknown) => generateClient(document, { source: 'odd.json', runtime, version: '0.1.0' }).code
  const code = generate({
    openapi: '3.0.3',
    info: { title: 'Odd' },
    servers: [{ url: 1 }, { url: 'http://127.0.0.1:3000' }],
    paths: {
      '/a/{b}/{b-c}/{b_c}': {
        get: { description: 'Described.', parameters: [{ name: 'b-c', in: 'path', deprecated: true, description: 'd', schema: { type: 'string', format: 'uuid' } }] }
      },
      '/p/{a-b}': { get: { responses: { 200: { description: 'first' } } } },
      '/p/{a.b}': { get: { responses: { 200: { description: 'second' } } } },
      '/lit*': { get: { responses: { default: { description: '' } } } }
    },
    components: {
      schemas: {
        '1st': { enum: [] },
        '---': { type: 'number' },
        Response: { type: 'string' },
        response: { type: 'string' },
        Quoted: { allOf: [{ enum: ['a|b', "it's", 'say "hi"'] }, { type: 'string' }] },
        Loop: { properties: { x: { $ref: '#/components/schemas/Loop/properties/x' } } },
        Multi: { description: 'First line.\n\nAfter a blank line, */ stays in the comment.\n', type: 'object' },
        Closed: { type: 'object', additionalProperties: false },
        Pattern: { type: 'object', additionalProperties: false, patternProperties: { '^a': { type: 'string' } } },
        Infinite: { const: Infinity },
        EmptyConst: { const: {} },
        OpenTuple: { type: 'array', prefixItems: [{ type: 'string' }] },
        OddTypes: { type: ['string', 5] },
        BareItems: { items: { type: 'string' } },
        RequiredOnly: { required: ['a'] },
        Both: { allOf: [{ $ref: '#/components/schemas/Closed' }, { $ref: '#/components/schemas/RequiredOnly' }], nullable: true },
        AnyValue: true,
        NoValue: false,
        UnionInArray: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'null' }] } }
      }
    }
  })
  t.match(code, /\n {2}'\/a\/:b\/:b_c\/:b_c_': \{\n {4}\/\*\* Described\. \*\/\n {4}GET: \{\n {6}params: \{\n {8}b: string \| number\n {8}\/\*\*\n {9}\* The parameter "b-c" of the document\.\n {9}\* d\n {9}\* Format: uuid\.\n {9}\* @deprecated\n {9}\*\/\n {8}b_c: string\n {8}b_c_: string \| number\n/, 'undeclared, renamed and colliding parameter names')
  t.match(code, /responses: \{ default: unknown \}/, 'no responses: anything')
  t.match(code, /\/\*\* first \*\/\n {8}200: unknown/)
  t.notMatch(code, /second/, 'two templates that read as one client path: the first wins')
  t.match(code, /'\/lit%2A': \{/, 'a literal * is percent-encoded')
  t.match(code, /\/\/ Servers the document names: http:\/\/127\.0\.0\.1:3000\n/)
  for (const [name, type] of [
    ['_1st', 'never'], ['Schema', 'number'], ['ResponseSchema', 'string'], ['ResponseSchema2', 'string'],
    ['Quoted', '(\'a|b\' | \'it\\\'s\' | \'say "hi"\') & string'], ['Loop', '{\n  x?: unknown\n}'],
    ['Closed', '{}'], ['Pattern', '{\n  [key: string]: string\n}'], ['Infinite', 'number'], ['EmptyConst', '{}'],
    ['OpenTuple', '[string?, ...unknown[]]'], ['OddTypes', 'unknown'], ['BareItems', 'string[]'],
    ['RequiredOnly', '{\n  a: unknown\n}'], ['Both', '(Closed & RequiredOnly) | null'], ['AnyValue', 'unknown'], ['NoValue', 'never'],
    ['UnionInArray', 'Array<string | null>']
  ]) {
    t.ok(code.includes(`\nexport type ${name} = ${type}\n`), `${name} = ${type}`)
  }
  t.ok(code.includes('/**\n * First line.\n *\n * After a blank line, *\\/ stays in the comment.\n */\nexport type Multi = {\n  [key: string]: unknown\n}'), 'descriptions become doc comments')

  const invalid: Array<[unknown, RegExp]> = [
    [null, /it is null, not an object/],
    ['{}', /it is a string, not an object/],
    [{ openapi: 3.1 }, /no "openapi" field/],
    [{ openapi: '3.1.0', paths: [] }, /"paths" is not an object/],
    [{ openapi: '3.1.0', components: { schemas: [] } }, /"components" or "components.schemas" is not an object/],
    [{ openapi: '3.1.0', paths: { '/a': 1 } }, /paths\["\/a"\] is not a Path Item object/],
    [{ openapi: '3.1.0', paths: { '/a': { get: true } } }, /paths\["\/a"\]\.get is not an Operation object/],
    [{ openapi: '3.1.0', paths: { '/a': { parameters: {}, get: {} } } }, /the parameters of the path of paths\["\/a"\]\.get are not an array/],
    [{ openapi: '3.1.0', paths: { '/a': { post: { requestBody: 'x' } } } }, /requestBody is not a Request Body object/],
    [{ openapi: '3.1.0', paths: { '/a': { get: { responses: [] } } } }, /responses is not a Responses object/],
    [{ openapi: '3.1.0', paths: { '/a': { get: { responses: { 200: null } } } } }, /responses\["200"\] is not a Response object/],
    [{ openapi: '3.1.0', paths: { '/a': { get: { responses: { 200: { content: [] } } } } } }, /the content of .* is not an object/],
    [{ openapi: '3.1.0', paths: { '/a': { $ref: '#/paths/~1b' }, '/b': { $ref: '#/paths/~1a' } } }, /the \$ref "#\/paths\/~1b" in paths\["\/a"\] refers to itself/],
    [{ openapi: '3.1.0', paths: { '/a': { $ref: '#paths' } } }, /the \$ref "#paths" in paths\["\/a"\] is not a JSON pointer/],
    [{ openapi: '3.1.0', paths: { '/a': { get: { parameters: [{ name: 'q', in: 'query', schema: 5 }] } } } }, /the schema at parameter "q" is a number, not an object or a boolean/]
  ]
  for (const [document, message] of invalid) {
    t.throws(() => generate(document), { code: 'VLX_ERR_CLIENT_DOCUMENT_INVALID', message }, String(message))
  }
})

t.test('velox client explains its usage', async (t) => {
  const help = await velox$('client', '--help')
  t.equal(help.code, 0)
  t.match(help.stdout, /^usage: velox client <document \| app> \[--output <file>\]/)
  t.match((await velox$('--help')).stdout, /client +write a typed TypeScript client/)
  const none = await velox$('client')
  t.equal(none.code, 2)
  t.match(none.stderr, /velox client: which app\?/)
  const empty = await velox$('client', kitchenSink, '--output', '')
  t.equal(empty.code, 2)
  t.match(empty.stderr, /--output needs a file name/)
  const app = await velox$('client', join(root, 'test', 'fixtures', 'client', 'missing-app.mjs'))
  t.equal(app.code, 1, 'a missing app module is the app loader\'s error')
  t.match(app.stderr, /missing-app\.mjs: no such file/)
})

t.test('the built velox command carries the runtime in its bundle and writes the same module', async (t) => {
  const { stdout } = await run(process.execPath, [cli, 'client', kitchenSink])
  t.equal(stdout, (await velox$('client', kitchenSink)).stdout)
  const failed = await run(process.execPath, [cli, 'client', 'nothing.json']).then(() => null, (e: { code: number, stderr: string }) => e)
  t.equal(failed?.code, 1)
  t.match(failed?.stderr, /VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND/)
})
