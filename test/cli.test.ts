import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { assertValidOpenApi } from './openapi-helpers.js'
import { main } from '../lib/cli/index.js'
import { typeScriptSupport } from '../lib/cli/load-app.js'
import { VELOX_VERSION } from '../lib/index.js'

const run = promisify(execFile)
// The compiled CLI: `npm test` builds dist/ before running the tests.
const cli = join(process.cwd(), 'dist', 'cli.js')
const velox = join(process.cwd(), 'dist', 'velox.js')
// The example app is TypeScript: the suite's build (npm test) compiles it next to this file's
// own output, and a run through tsx (npx tap test/cli.test.ts) loads the .ts file itself.
const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples')
const exampleApp = existsSync(join(examples, 'app.js')) ? join(examples, 'app.js') : join(examples, 'app.ts')
// A child Node runs a .ts example through tsx, as a user on Node 20 would.
const exampleLoader = exampleApp.endsWith('.ts') ? ['--import', 'tsx'] : []

/** Runs the CLI in this process and collects what it prints. */
async function velox$ (...argv: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (s) => { stdout += s }, stderr: (s) => { stderr += s } })
  return { code, stdout, stderr }
}

function appModule (body: string): string {
  return `import velox from ${JSON.stringify(velox)}\n${body}\n`
}

t.test('velox openapi writes the document of the example app to stdout without listening', async (t) => {
  const { stdout } = await run(process.execPath, [...exampleLoader, cli, 'openapi', exampleApp], { cwd: process.cwd() })
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
  const result = await velox$('openapi', exampleApp, '--yaml', '--output', out)
  t.equal(result.code, 0)
  t.equal(result.stdout, '', 'nothing on stdout when writing a file')
  const document = parse(await readFile(out, 'utf8'))
  t.equal(document.openapi, '3.1.0')
  t.ok(document.paths['/v1/users'].post)
})

t.test('velox routes prints the route tree of the app', async (t) => {
  const dir = t.testdir({
    'app.mjs': appModule(`const app = velox()
app.get('/users', async () => [])
app.post('/users', async () => ({}))
app.get('/users/:id', async () => ({}))
export default app`)
  })
  const all = await velox$('routes', join(dir, 'app.mjs'))
  t.equal(all.code, 0)
  t.match(all.stdout, /users \(GET, HEAD, POST\)/)
  t.match(all.stdout, /:id \(GET, HEAD\)/)
  const posts = await velox$('routes', join(dir, 'app.mjs'), '--method', 'post')
  t.match(posts.stdout, /users \(POST\)/)
  t.notMatch(posts.stdout, /:id/, '--method keeps the routes of one method')
})

t.test('velox routes --hooks lists the hooks of each route', async (t) => {
  const dir = t.testdir({
    'app.mjs': appModule(`export function build () {
  const app = velox()
  app.addHook('onRequest', async function checkToken () {})
  app.get('/', async () => 'ok')
  return app
}
export default build`)
  })
  const result = await velox$('routes', join(dir, 'app.mjs'), '--hooks')
  t.equal(result.code, 0)
  t.match(result.stdout, /onRequest/)
  t.match(result.stdout, /checkToken/)
})

t.test('velox --help lists the commands and velox --version prints the version', async (t) => {
  const help = await velox$('--help')
  t.equal(help.code, 0)
  t.match(help.stdout, /usage: velox <command>/)
  t.match(help.stdout, /openapi +write the OpenAPI 3\.1 document/)
  t.match(help.stdout, /routes +print the route tree/)
  const version = await velox$('--version')
  t.equal(version.code, 0)
  t.equal(version.stdout, `velox ${VELOX_VERSION}\n`)
  t.equal((await velox$('routes', '--version')).stdout, `velox ${VELOX_VERSION}\n`, '--version works after a command too')
  const none = await velox$()
  t.equal(none.code, 2, 'no command is a usage error')
  t.match(none.stderr, /usage: velox <command>/)
})

t.test('each command prints its own help', async (t) => {
  for (const command of ['openapi', 'routes']) {
    const result = await velox$(command, '--help')
    t.equal(result.code, 0, command)
    t.match(result.stdout, new RegExp(`^usage: velox ${command} <app>`), command)
    t.equal((await velox$(command, '-h')).stdout, result.stdout, `${command} -h`)
  }
})

t.test('velox with an unknown command names it and prints the usage', async (t) => {
  const err = await run(process.execPath, [cli, 'serve']).then(() => null, (e: { code: number, stderr: string }) => e)
  t.equal(err?.code, 2)
  t.match(err?.stderr, /unknown command 'serve'/)
  t.match(err?.stderr, /usage: velox <command>/)
})

t.test('mistakes in a command line are explained with a pointer to --help', async (t) => {
  const missing = await velox$('openapi')
  t.equal(missing.code, 2)
  t.match(missing.stderr, /velox openapi: which app\?/)
  t.match(missing.stderr, /velox openapi --help/)
  const unknown = await velox$('routes', exampleApp, '--colour')
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /velox routes: unknown option '--colour'/)
  const noValue = await velox$('openapi', exampleApp, '--output')
  t.equal(noValue.code, 2)
  t.match(noValue.stderr, /velox openapi: option '-o, --output <value>' argument missing/)
  const two = await velox$('routes', 'a.js', 'b.js')
  t.match(two.stderr, /one app at a time/)
})

t.test('velox names a module that is missing or exports no app', async (t) => {
  const dir = t.testdir({ 'empty.mjs': 'export const nothing = 1\n' })
  const empty = await velox$('openapi', join(dir, 'empty.mjs'))
  t.equal(empty.code, 1)
  t.match(empty.stderr, /exports no Velox app/)
  const missing = await velox$('routes', join(dir, 'nope.js'))
  t.equal(missing.code, 1)
  t.match(missing.stderr, /nope\.js: no such file/)
})

t.test('an error thrown while the app boots reaches the user with its stack', async (t) => {
  const dir = t.testdir({
    'app.mjs': appModule(`const app = velox()
app.register(async function database () { throw new Error('cannot reach the database') })
export default app`)
  })
  const err = await run(process.execPath, [cli, 'routes', join(dir, 'app.mjs')]).then(() => null, (e: { code: number, stderr: string }) => e)
  t.equal(err?.code, 1)
  t.match(err?.stderr, /velox routes: Error: cannot reach the database\n\s+at (Object\.)?database/)
})

t.test('a TypeScript app loads where Node strips types, and is explained where it cannot', async (t) => {
  const dir = t.testdir({
    'app.ts': appModule(`const app = velox()
const greeting: string = 'hello'
app.get('/', async () => greeting)
export default app`)
  })
  const result = await run(process.execPath, [cli, 'routes', join(dir, 'app.ts')]).then((r) => ({ code: 0, ...r }), (e: { code: number, stdout: string, stderr: string }) => e)
  if (typeScriptSupport() === 'none') {
    t.equal(result.code, 1)
    t.match(result.stderr, new RegExp(`app\\.ts is TypeScript, and Node\\.js ${process.versions.node.replace(/\./g, '\\.')} cannot load \\.ts files`))
    t.match(result.stderr, /node --import tsx/)
    t.match(result.stderr, /compile first/)
    t.notMatch(result.stderr, /Unknown file extension/)
  } else {
    t.equal(result.code, 0, result.stderr)
    t.match(result.stdout, /\/ \(GET, HEAD\)/)
  }
})

t.test('how a Node version loads TypeScript', async (t) => {
  t.equal(typeScriptSupport('20.20.0', {}, []), 'none')
  t.equal(typeScriptSupport('22.5.1', {}, []), 'none')
  t.equal(typeScriptSupport('22.6.0', {}, []), 'flag')
  t.equal(typeScriptSupport('23.5.0', {}, []), 'flag')
  t.equal(typeScriptSupport('22.6.0', {}, ['--experimental-strip-types']), 'on')
  t.equal(typeScriptSupport('22.18.0', { typescript: 'strip' }, []), 'on')
  t.equal(typeScriptSupport('23.6.0', {}, []), 'on')
  t.equal(typeScriptSupport('24.11.0', {}, []), 'on')
})
