import t from 'tap'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { requirePackage } from '../lib/schema/ajv-loader.js'
import { ajvFiles } from '../lib/schema/ajv-files.generated.js'
import { generate, target } from '../scripts/generate-ajv-files.js'

const require = createRequire(import.meta.url)

t.test('the recorded requests are those of the installed Ajv and ajv-formats', async (t) => {
  t.equal(readFileSync(target, 'utf8'), generate(), 'run `npm run generate:ajv-files`')
})

t.test('a fresh process loads through the recorded requests exactly the files require() loads, as the same modules', async (t) => {
  const dir = t.testdir({})
  const loader = new URL('../lib/schema/ajv-loader.js', import.meta.url).href
  // Each child reports the files in require.cache and whether ajv-formats and the app's own
  // require('ajv') see the Ajv the loader loaded (the instanceof checks of Ajv's codegen need one copy).
  const script = (fast: boolean): string => `
import { createRequire } from 'node:module'
import { requirePackage } from ${JSON.stringify(loader)}
const require = createRequire(${JSON.stringify(join(process.cwd(), 'package.json'))})
const load = (name) => ${fast ? 'requirePackage(require, name)' : 'require(name)'}
const Ajv = load('ajv').default
const addFormats = load('ajv-formats')
const ajv = new Ajv()
addFormats(ajv)
const valid = ajv.compile({ type: 'string', format: 'email' })('a@b.io')
console.log(JSON.stringify({
  files: Object.keys(require.cache).filter((f) => f.includes('node_modules')).sort(),
  same: require('ajv').default === Ajv,
  // The loader gives the modules it loads their own require (the recorded requests); require() does not.
  recorded: Object.hasOwn(require.cache[require.resolve('ajv')], 'require'),
  valid
}))`
  const run = (fast: boolean): { files: string[], same: boolean, recorded: boolean, valid: boolean } => {
    const file = join(dir, `${fast ? 'fast' : 'plain'}.mjs`)
    writeFileSync(file, script(fast))
    return JSON.parse(execFileSync(process.execPath, [...process.execArgv, file], { encoding: 'utf8' }))
  }
  const fast = run(true)
  const plain = run(false)
  t.equal(fast.recorded, true, 'the loader used the recorded requests')
  t.equal(plain.recorded, false)
  t.same(fast.files, plain.files)
  t.ok(fast.files.some((f) => f.endsWith(join('ajv', 'dist', 'core.js'))))
  t.equal(fast.same, true)
  t.equal(fast.valid, true)
})

t.test('in a process that already loaded Ajv, the loader returns the loaded modules', async (t) => {
  t.equal(requirePackage(require, 'ajv'), require('ajv'))
  t.equal(requirePackage(require, 'ajv-formats'), require('ajv-formats'))
})

/** A project directory holding a package named `ajv` with the given version and files. */
function fakeProject (dir: string, version: string, files: Record<string, string>): NodeJS.Require {
  const root = join(dir, 'node_modules', 'ajv')
  mkdirSync(join(root, 'dist'), { recursive: true })
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ajv', version, main: ajvFiles.ajv.main }))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text)
  writeFileSync(join(dir, 'index.js'), '')
  return createRequire(join(dir, 'index.js'))
}

t.test('another installed version of Ajv is loaded by plain require', async (t) => {
  const fake = fakeProject(t.testdir({}), '0.0.1-other', { [ajvFiles.ajv.main]: 'module.exports = { other: true, core: require("./core") }', 'dist/core.js': 'module.exports = 1' })
  t.same(requirePackage(fake, 'ajv'), { other: true, core: 1 })
  t.notOk(Object.hasOwn(fake.cache[fake.resolve('ajv')] as object, 'require'), 'loaded by require()')
})

t.test('when the recorded files do not load, nothing is left half-loaded and require() gives its own answer', async (t) => {
  const dir = t.testdir({})
  // The recorded version, but files that do not match the record: its main requires a file that is not there.
  const fake = fakeProject(dir, ajvFiles.ajv.version, { [ajvFiles.ajv.main]: 'module.exports = require("./core")' })
  const before = Object.keys(fake.cache).length
  t.throws(() => requirePackage(fake, 'ajv'), { code: 'MODULE_NOT_FOUND' })
  t.equal(Object.keys(fake.cache).filter((f) => f.startsWith(dir)).length, 0)
  t.equal(Object.keys(fake.cache).length, before)
})

t.test('a package the loader has no record of is loaded by plain require', async (t) => {
  t.equal(requirePackage(require, 'fast-uri'), require('fast-uri'))
})
