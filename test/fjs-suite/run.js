// Runs fast-json-stringify's own test suite (the files its npm package ships in test/) against
// Velox's serializer compiler: the suite is copied into a temporary package named
// fast-json-stringify whose main module is adapter.cjs, so every `require('..')` of the suite
// builds with Velox. Prints pass/fail per file; a failure listed in exclusions.json (with its
// reason) is reported as excluded. Exits non-zero on any other failure.
//
//   npm run test:fjs-suite                      (builds dist/ first)
//   node test/fjs-suite/run.js --bulk 0         every array and object in byte mode, to test that path too
//   node test/fjs-suite/run.js --files ref,anyof --verbose
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../..')
const require = createRequire(import.meta.url)
const fjsDir = path.dirname(require.resolve('fast-json-stringify/package.json'))
const fjsVersion = require('fast-json-stringify/package.json').version

const { values: args } = parseArgs({
  options: {
    bulk: { type: 'string' },
    files: { type: 'string' },
    verbose: { type: 'boolean', default: false }
  }
})

if (!existsSync(path.join(root, 'dist/velox.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run test:fjs-suite does)')
  process.exit(2)
}

const exclusions = JSON.parse(readFileSync(path.join(here, 'exclusions.json'), 'utf8'))
delete exclusions.$comment

// The temporary package: the suite's files, the adapter as main, Velox's node_modules for the
// suite's own dependencies (ajv, rfdc, typebox...).
const work = mkdtempSync(path.join(os.tmpdir(), 'velox-fjs-suite-'))
const pkg = path.join(work, 'fast-json-stringify')
cpSync(path.join(fjsDir, 'test'), path.join(pkg, 'test'), { recursive: true })
if (existsSync(path.join(fjsDir, 'benchmark'))) cpSync(path.join(fjsDir, 'benchmark'), path.join(pkg, 'benchmark'), { recursive: true })
cpSync(path.join(here, 'adapter.cjs'), path.join(pkg, 'index.js'))
writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'fast-json-stringify', version: fjsVersion, main: 'index.js' }))
symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'), 'dir')

let files = readdirSync(path.join(pkg, 'test')).filter((f) => f.endsWith('.test.js'))
files.push(...readdirSync(path.join(pkg, 'test/json-schema-test-suite')).filter((f) => f.endsWith('.test.js')).map((f) => `json-schema-test-suite/${f}`))
if (args.files) {
  const wanted = args.files.split(',')
  files = files.filter((f) => wanted.some((w) => f.includes(w)))
}
files.sort()

const env = {
  ...process.env,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(path.join(here, 'preload.mjs')).href}`.trim()
}
if (args.bulk !== undefined) env.VELOX_FJS_SUITE_BULK = args.bulk

const started = Date.now()
const child = spawn(process.execPath, [
  '--test', `--test-reporter=${pathToFileURL(path.join(here, 'reporter.mjs')).href}`, '--test-reporter-destination=stdout',
  ...files.map((f) => path.join('test', f))
], { cwd: pkg, env, stdio: ['ignore', 'pipe', 'inherit'] })

let output = ''
child.stdout.setEncoding('utf8')
child.stdout.on('data', (chunk) => { output += chunk })
await new Promise((resolve) => child.on('close', resolve))
rmSync(work, { recursive: true, force: true })

/** Results per file: top-level tests, with the failing subtests of each. */
const byFile = new Map(files.map((f) => [f, []]))
const failingSubtests = new Map()
for (const line of output.split('\n')) {
  if (line === '') continue
  const result = JSON.parse(line)
  const file = path.relative(path.join(pkg, 'test'), result.file ?? '')
  if (!byFile.has(file)) continue
  if (result.nesting > 0) {
    if (!result.pass) failingSubtests.set(`${file}\0${result.name}`, result.error)
    continue
  }
  // A file that does not load is reported as one failing test named after the file.
  const name = result.name.endsWith(file) ? '(file)' : result.name
  byFile.get(file).push({ name, pass: result.pass, error: result.error })
}

let passed = 0
let failed = 0
let excluded = 0
const unexpected = []
const rows = []
for (const [file, results] of byFile) {
  const excludedHere = exclusions[file] ?? {}
  let filePassed = 0
  let fileFailed = 0
  let fileExcluded = 0
  for (const result of results) {
    const reason = excludedHere['*'] ?? excludedHere[result.name]
    if (result.pass) {
      filePassed++
      if (excludedHere[result.name] !== undefined) unexpected.push(`${file} :: ${result.name} passes but is listed in exclusions.json`)
    } else if (reason !== undefined) {
      fileExcluded++
    } else {
      fileFailed++
      unexpected.push(`${file} :: ${result.name}\n    ${result.error ?? ''}`)
    }
  }
  passed += filePassed
  failed += fileFailed
  excluded += fileExcluded
  if (results.length === 0) {
    fileFailed++
    failed++
    unexpected.push(`${file}: no test reported`)
  }
  rows.push([file, filePassed, fileFailed, fileExcluded])
}

const width = Math.max(...rows.map((r) => r[0].length))
for (const [file, p, f, e] of rows) {
  if (!args.verbose && f === 0) continue
  console.log(`${f === 0 ? 'ok  ' : 'FAIL'} ${file.padEnd(width)}  ${p} pass, ${f} fail, ${e} excluded`)
}
for (const line of unexpected) console.log(line)
if (args.verbose) for (const [key, error] of failingSubtests) console.log(`  subtest ${key.replace('\0', ' :: ')}: ${error}`)
const total = passed + failed + excluded
console.log(`fast-json-stringify ${fjsVersion} suite against Velox's serializer${args.bulk !== undefined ? ` (byte mode from ${args.bulk} items or fields)` : ''}: ` +
  `${passed} of ${total} tests pass, ${excluded} excluded (test/fjs-suite/exclusions.json), ${failed} fail, in ${files.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s`)
process.exitCode = failed > 0 ? 1 : 0
