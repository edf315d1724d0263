#!/usr/bin/env node
/**
 * Runs Fastify's own test suite (the copy shipped in node_modules/fastify/test) against Velox and
 * prints how many of its public-API tests pass, per file and in total.
 *
 *   npm run test:fastify                      the whole suite against Velox
 *   npm run test:fastify -- hooks route.1     only the files whose path contains one of the words
 *   npm run test:fastify -- --failures        also list every failing test with its first error line
 *   npm run test:fastify -- --target=fastify --write-baseline
 *                                             run the same files against Fastify itself and record
 *                                             which tests pass there (baseline.json)
 *
 * Options: --jobs=N (files run at once, default 2), --timeout=S (per file, default 150),
 * --json=FILE (write every test's result).
 *
 * What counts: a test counts when it passes against Fastify itself on this machine (baseline.json)
 * and is not in exclusions.json (tests that reach Fastify's internals: lib/ files other than
 * errors.js, internal symbols, Fastify's own paths or version string). known-failures.json gives
 * the reason of counted tests that Velox fails on purpose or that another piece of work owns; they
 * still count as failed.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildSandbox, listTestFiles, realFastify, skipHangingTests } from './sandbox.js'
import { parseTap } from './tap.js'

const here = path.dirname(new URL(import.meta.url).pathname)
const baselineFile = path.join(here, 'baseline.json')

function parseArgs (argv) {
  const options = { target: 'velox', jobs: 2, timeout: 150, failures: false, writeBaseline: false, json: null, filters: [] }
  for (const arg of argv) {
    const [flag, value] = arg.split('=')
    if (flag === '--target') options.target = value
    else if (flag === '--jobs') options.jobs = Number(value)
    else if (flag === '--timeout') options.timeout = Number(value)
    else if (flag === '--failures') options.failures = true
    else if (flag === '--write-baseline') options.writeBaseline = true
    else if (flag === '--json') options.json = path.resolve(value)
    else if (flag.startsWith('--')) throw new Error(`unknown option ${flag}`)
    else options.filters.push(arg)
  }
  if (options.target !== 'velox' && options.target !== 'fastify') throw new Error('--target is velox or fastify')
  if (options.writeBaseline && options.target !== 'fastify') throw new Error('--write-baseline needs --target=fastify')
  return options
}

/** Installs Fastify's test-only packages (this folder's package.json) when one is missing. */
function ensureSuitePackages () {
  const wanted = Object.keys(loadJson(path.join(here, 'package.json')).devDependencies)
  if (wanted.every((name) => fs.existsSync(path.join(here, 'node_modules', name, 'package.json')))) return
  console.log('installing the packages Fastify\'s tests require (test/fastify-suite/package.json)...')
  const { status } = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' })
  if (status !== 0) throw new Error('npm ci in test/fastify-suite failed')
}

/**
 * A test that hangs fails on its own after this long, so the rest of its file still runs. Not
 * `--test-force-exit`: several of Fastify's files create tests from a listen() callback, after
 * the first ones finished, and a forced exit would drop them.
 */
const testTimeoutMs = 60_000

/** Runs one file with node's test runner; resolves with its TAP output and how it ended. */
function runFile (testDir, file, timeoutSeconds) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', `--test-timeout=${testTimeoutMs}`, file], {
      cwd: testDir,
      detached: true,
      env: { ...process.env, NODE_ENV: 'test', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let timedOut = false
    child.stdout.on('data', (chunk) => { out += chunk })
    child.stderr.on('data', (chunk) => { out += chunk })
    const timer = setTimeout(() => {
      timedOut = true
      try { process.kill(-child.pid, 'SIGKILL') } catch {}
    }, timeoutSeconds * 1000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ out, code, timedOut, seconds: (Date.now() - started) / 1000 })
    })
  })
}

/** Tests of one file's run, with the file-level failure (a file that did not load) set apart. */
function readResults (file, run) {
  const tests = parseTap(run.out)
  let fileError = null
  for (const [name, test] of tests) {
    if (name.startsWith('/') && name.endsWith(file)) {
      tests.delete(name)
      if (test.status === 'fail') fileError = test.error ?? 'the file failed'
    }
  }
  if (run.timedOut) fileError = `timed out after ${run.seconds.toFixed(0)}s`
  return { tests, fileError }
}

function loadJson (file, fallback) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : fallback
}

/** Index of entries `{ file, test?, reason }`: a test matches its own name or a parent's. */
function indexEntries (entries) {
  return function find (file, name) {
    for (const entry of entries) {
      if (entry.file !== file) continue
      if (entry.test === undefined || entry.test === name || name.startsWith(entry.test + ' > ')) return entry
    }
    return null
  }
}

async function main () {
  const options = parseArgs(process.argv.slice(2))
  ensureSuitePackages()
  const dir = path.join(os.tmpdir(), `velox-fastify-suite-${options.target}`)
  const testDir = buildSandbox({ dir, target: options.target })
  const fastifyVersion = loadJson(path.join(realFastify, 'package.json')).version
  const files = listTestFiles(testDir).filter((file) =>
    options.filters.length === 0 || options.filters.some((word) => file.includes(word)))

  const baseline = loadJson(baselineFile, { files: {} })
  const exclusions = loadJson(path.join(here, 'exclusions.json'), [])
  if (options.target === 'velox') skipHangingTests(testDir, exclusions)
  const excluded = indexEntries(exclusions)
  const known = indexEntries(loadJson(path.join(here, 'known-failures.json'), []))

  console.log(`Fastify ${fastifyVersion}'s test suite against ${options.target === 'velox' ? 'Velox' : 'Fastify itself'}: ${files.length} files, ${options.jobs} at a time (${dir})`)
  const report = {}
  const queue = [...files]
  const workers = Array.from({ length: Math.max(1, options.jobs) }, async () => {
    while (queue.length > 0) {
      const file = queue.shift()
      const run = await runFile(testDir, file, options.timeout)
      report[file] = summarize(file, readResults(file, run), run)
    }
  })

  function summarize (file, { tests, fileError }, run) {
    const expected = baseline.files[file]?.tests ?? null
    const result = { passed: 0, failed: 0, excluded: 0, notCounted: 0, fileError, seconds: run.seconds, tests: {} }
    const names = options.target === 'fastify' || expected === null
      ? [...tests.keys()].filter((name) => tests.get(name).leaf)
      : Object.keys(expected)
    for (const name of names) {
      const got = tests.get(name)
      const entry = { status: got?.status ?? 'missing', error: got?.error ?? (got === undefined ? (fileError ?? 'did not run') : undefined) }
      const exclusion = excluded(file, name)
      if (exclusion !== null) {
        entry.counted = false
        entry.reason = exclusion.reason
        result.excluded++
      } else if (options.target === 'velox' && expected !== null && expected[name] !== 'pass') {
        entry.counted = false
        entry.reason = `${expected[name]} on Fastify itself here`
        result.notCounted++
      } else if (entry.status === 'skip' || entry.status === 'todo') {
        entry.counted = false
        entry.reason = entry.status
        result.notCounted++
      } else {
        entry.counted = true
        if (entry.status === 'pass') result.passed++
        else {
          result.failed++
          const reason = known(file, name)
          if (reason !== null) entry.reason = reason.reason
        }
      }
      result.tests[name] = entry
    }
    const extra = options.target === 'velox' && expected !== null
      ? [...tests.keys()].filter((name) => tests.get(name).leaf && !(name in expected))
      : []
    if (extra.length > 0) result.unknown = extra
    const mark = result.failed === 0 && fileError === null ? 'ok  ' : 'FAIL'
    const notes = [
      result.excluded > 0 ? `${result.excluded} excluded` : '',
      result.notCounted > 0 ? `${result.notCounted} not counted` : '',
      fileError !== null ? fileError.split('\n')[0] : ''
    ].filter(Boolean).join(', ')
    console.log(`${mark} ${file.padEnd(48)} ${String(result.passed).padStart(4)}/${String(result.passed + result.failed).padEnd(4)} ${run.seconds.toFixed(1).padStart(6)}s${notes ? '  ' + notes : ''}`)
    return result
  }

  await Promise.all(workers)

  let passed = 0
  let failed = 0
  let excludedCount = 0
  let notCounted = 0
  for (const file of files) {
    passed += report[file].passed
    failed += report[file].failed
    excludedCount += report[file].excluded
    notCounted += report[file].notCounted
  }
  if (options.failures) {
    console.log('\nFailing tests:')
    for (const file of files) {
      for (const [name, test] of Object.entries(report[file].tests)) {
        if (test.counted && test.status !== 'pass') {
          console.log(`- ${file} > ${name}: ${test.reason ? `[known] ${test.reason}` : (test.error ?? test.status).split('\n')[0].slice(0, 200)}`)
        }
      }
      if (report[file].unknown) console.log(`  (${file}: tests not in the baseline: ${report[file].unknown.join('; ')})`)
    }
  }
  const total = passed + failed
  const percent = total === 0 ? 0 : (100 * passed / total)
  console.log(`\n${excludedCount} excluded (Fastify internals), ${notCounted} not counted (skipped, or failing on Fastify itself here)`)
  console.log(`${passed} passed, ${failed} failed`)
  console.log(`score: ${passed}/${total} = ${percent.toFixed(1)}% of Fastify ${fastifyVersion}'s public-API tests`)

  if (options.json !== null) fs.writeFileSync(options.json, JSON.stringify({ fastifyVersion, target: options.target, passed, failed, report }, null, 2) + '\n')
  if (options.writeBaseline) {
    const files_ = { ...baseline.files }
    for (const file of files) {
      files_[file] = { tests: Object.fromEntries(Object.entries(report[file].tests).map(([name, test]) => [name, test.status])) }
    }
    const sorted = Object.fromEntries(Object.keys(files_).sort().map((file) => [file, files_[file]]))
    fs.writeFileSync(baselineFile, JSON.stringify({ fastifyVersion, node: process.version, files: sorted }, null, 1) + '\n')
    console.log(`wrote ${path.relative(process.cwd(), baselineFile)}`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
