#!/usr/bin/env node
// The plugin compatibility runner: `npm run test:plugins [-- options] [plugin ...]`.
//
// Installs each Fastify plugin of plugins.json at its pinned version (cached), runs its own test
// files with its own test runner twice, once with `require('fastify')` resolving to real Fastify
// (this repo's node_modules/fastify) and once to Velox (fastify-shim/), and prints what passes on
// each, per plugin. A test that passes on Fastify and not on Velox is "lost"; the run fails when
// any test is lost, apart from the tests exclusions.json lists (they reach Fastify's internals).
// See README.md beside this file.

import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { discoverTestFiles } from './lib/discover.js'
import { cleanPartials, installPlugin } from './lib/install.js'
import { countResults, parseTap } from './lib/tap-results.js'
import { runSql, startServices, stopServices } from '../services/services.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    framework: { type: 'string', default: 'both' },
    jobs: { type: 'string', default: process.env.VELOX_PLUGIN_JOBS ?? '2' },
    timeout: { type: 'string', default: '240' },
    retries: { type: 'string', default: '1' },
    details: { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})

if (options.help) {
  console.log(`usage: npm run test:plugins -- [--framework both|velox|fastify] [--jobs N] [--timeout SECONDS]
                                [--retries N] [--details] [--json FILE] [plugin ...]
  plugin     a name from test/plugin-suites/plugins.json, with or without @fastify/ (default: all)
  --details  list every test lost or gained, with Velox's error
  --timeout  seconds one test file may run before it is killed and counted as failed (default 240)
  --retries  times a file runs again on the framework that passes fewer of its tests (default 1)
  cache      VELOX_PLUGIN_SUITES_CACHE (default ~/.cache/velox-plugin-suites)`)
  process.exit(0)
}

const manifest = JSON.parse(readFileSync(join(here, 'plugins.json'), 'utf8'))
const exclusions = JSON.parse(readFileSync(join(here, 'exclusions.json'), 'utf8'))
const cacheDir = process.env.VELOX_PLUGIN_SUITES_CACHE ?? join(homedir(), '.cache', 'velox-plugin-suites')
const fileTimeoutMs = Number(options.timeout) * 1000
const jobs = Math.max(1, Number(options.jobs))
const retries = Math.max(0, Number(options.retries))
const frameworks = options.framework === 'both' ? ['fastify', 'velox'] : [options.framework]
if (!frameworks.every((f) => f === 'fastify' || f === 'velox')) throw new Error(`--framework must be both, velox or fastify, not ${options.framework}`)

/** Where `require('fastify')` points in each run; subpaths always reach real Fastify's files. */
const targets = {
  fastify: join(root, 'node_modules', 'fastify'),
  velox: join(here, 'fastify-shim')
}
if (!existsSync(join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main))) throw new Error('dist/ is missing: run `npm run build` first (npm run test:plugins does)')
if (!existsSync(join(targets.fastify, 'package.json'))) throw new Error('node_modules/fastify is missing: run `npm ci` first')

const wanted = positionals.map((name) => name.startsWith('@') ? name : `@fastify/${name}`)
const plugins = manifest.plugins.filter((p) => wanted.length === 0 || wanted.includes(p.name))
const unknown = wanted.filter((name) => !manifest.plugins.some((p) => p.name === name))
if (unknown.length > 0) throw new Error(`not in plugins.json: ${unknown.join(', ')}`)

/**
 * Runs one test file with the plugin's runner against one framework.
 *
 * @returns {Promise<{ tests: import('./lib/tap-results.js').TestResult[], timedOut: boolean, ms: number, stderr: string }>}
 */
function runFile (dir, plugin, file, framework, env) {
  const args = plugin.runner === 'borp'
    ? [join(dir, 'node_modules', 'borp', 'borp.js'), '--reporter', 'tap', ...(plugin.args ?? []), file]
    : ['--test', '--test-reporter=tap', ...(plugin.args ?? []), file]
  const redirect = join(here, 'lib', 'redirect.cjs')
  const childEnv = {
    ...process.env,
    ...env,
    ...(plugin.env ?? {}),
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${redirect}"`.trim(),
    VELOX_SUITE_FASTIFY: targets[framework],
    VELOX_SUITE_FASTIFY_FILES: targets.fastify,
    // borp adds the files of .borp.yaml to the ones it is given: the runner gives it one at a time.
    BORP_CONF_FILE: join(dir, '.no-borp-config'),
    NODE_ENV: process.env.NODE_ENV ?? 'test',
    FORCE_COLOR: '0'
  }
  delete childEnv.NODE_TEST_CONTEXT
  const started = Date.now()
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-8000) })
    // The whole process group goes: servers or workers a test left behind must not outlive it.
    const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL') } catch {} }
    const timer = setTimeout(() => { timedOut = true; killGroup() }, fileTimeoutMs)
    child.on('close', () => {
      clearTimeout(timer)
      killGroup()
      // What a file printed outside its tests (node --test relays it as top-level comments).
      const printed = stdout.split('\n').filter((line) => line.startsWith('# ') && !/^# (Subtest:|(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) \d)/.test(line)).map((line) => line.slice(2)).join('\n')
      const tests = parseTap(stdout).map((t) => {
        // A file that failed as a whole (it crashed or never loaded) is reported under its own
        // absolute path: name it by its relative one, and keep what it printed to say why.
        if (t.path.length === 1 && t.path[0] === join(dir, file)) return { ...t, id: `${file} (the file failed)`, error: (printed + '\n' + stderr).trim().slice(-1500) || t.error }
        return { ...t, id: `${file} > ${t.id}` }
      })
      if (timedOut) tests.push({ id: `${file} (timed out after ${fileTimeoutMs / 1000} s)`, path: [], status: 'fail', error: 'killed by the runner' })
      resolvePromise({ tests, timedOut, ms: Date.now() - started, stderr })
    })
  })
}

/** Marks the tests exclusions.json lists for this plugin. */
function applyExclusions (plugin, tests) {
  const entries = exclusions[plugin.name] ?? []
  for (const test of tests) {
    const entry = entries.find((e) => test.id.startsWith(e.test === undefined ? `${e.file} >` : `${e.file} > ${e.test}`))
    if (entry !== undefined) test.status = 'excluded'
  }
  return tests
}

/** The ids of the tests that passed. */
const passedIds = (tests) => new Set(tests.filter((t) => t.status === 'pass').map((t) => t.id))

/**
 * Runs one test file on each framework, one after the other. When one framework passes a test
 * the other does not, the file runs again on the framework behind (up to --retries times) and
 * its best run counts: suites with timing-sensitive tests fail now and then under load on
 * either framework, and one such failure should not read as a difference between them.
 */
async function runFileOnEach (entry, file, env) {
  const runs = {}
  for (const framework of frameworks) {
    const run = await runFile(entry.dir, entry.plugin, file, framework, env)
    runs[framework] = { tests: applyExclusions(entry.plugin, run.tests), timedOut: run.timedOut, ms: run.ms, retried: 0 }
  }
  if (frameworks.length < 2) return runs
  for (let attempt = 0; attempt < retries; attempt++) {
    const fastifyPass = passedIds(runs.fastify.tests)
    const veloxPass = passedIds(runs.velox.tests)
    const behind = [...fastifyPass].some((id) => !veloxPass.has(id))
      ? 'velox'
      : [...veloxPass].some((id) => !fastifyPass.has(id)) ? 'fastify' : null
    if (behind === null) break
    const run = await runFile(entry.dir, entry.plugin, file, behind, env)
    const tests = applyExclusions(entry.plugin, run.tests)
    const previous = runs[behind]
    previous.retried++
    previous.ms += run.ms
    if (passedIds(tests).size > passedIds(previous.tests).size) Object.assign(previous, { tests, timedOut: run.timedOut })
  }
  return runs
}

/** Adds up the files of one plugin and compares the frameworks test by test. */
function summarize (entry, fileRuns) {
  const { plugin } = entry
  const result = { name: plugin.name, version: plugin.version, files: entry.files.length, note: plugin.note, seconds: 0, runs: {} }
  for (const framework of frameworks) {
    const tests = fileRuns.flatMap((runs) => runs[framework].tests)
    const timedOut = entry.files.filter((_, i) => fileRuns[i][framework].timedOut)
    const retried = entry.files.filter((_, i) => fileRuns[i][framework].retried > 0)
    result.runs[framework] = { tests, timedOut, retried, counts: countResults(tests.filter((t) => t.status !== 'excluded')) }
    result.seconds += fileRuns.reduce((sum, runs) => sum + runs[framework].ms, 0) / 1000
  }
  result.seconds = Math.round(result.seconds)
  result.excluded = result.runs[frameworks[0]].tests.filter((t) => t.status === 'excluded').length
  if (frameworks.length === 2) {
    const passed = (framework) => new Set(result.runs[framework].tests.filter((t) => t.status === 'pass').map((t) => t.id))
    const fastifyPass = passed('fastify')
    const veloxPass = passed('velox')
    result.lost = result.runs.velox.tests.filter((t) => fastifyPass.has(t.id) && !veloxPass.has(t.id))
    // A test that Velox never reached (its file died first) is lost too.
    const veloxIds = new Set(result.runs.velox.tests.map((t) => t.id))
    for (const id of fastifyPass) if (!veloxIds.has(id)) result.lost.push({ id, status: 'missing', error: 'not reported on Velox' })
    result.gained = result.runs.velox.tests.filter((t) => t.status === 'pass' && !fastifyPass.has(t.id))
  }
  return result
}

/** Runs `work` over `items` with at most `limit` at once; items sharing a lock key run one at a time. */
async function pool (items, limit, work, lockKey = () => []) {
  const held = new Set()
  const waiting = [...items]
  const results = new Array(items.length)
  let running = 0
  await new Promise((resolveAll, rejectAll) => {
    const next = () => {
      if (waiting.length === 0 && running === 0) return resolveAll()
      while (running < limit) {
        const index = waiting.findIndex((item) => lockKey(item).every((key) => !held.has(key)))
        if (index < 0) return
        const [item] = waiting.splice(index, 1)
        const keys = lockKey(item)
        for (const key of keys) held.add(key)
        running++
        work(item).then((value) => {
          results[items.indexOf(item)] = value
          for (const key of keys) held.delete(key)
          running--
          next()
        }, rejectAll)
      }
    }
    next()
  })
  return results
}

const pad = (value, width) => String(value).padEnd(width)
const padStart = (value, width) => String(value).padStart(width)

function printReport (results) {
  const both = frameworks.length === 2
  const header = [pad('plugin', 26), pad('version', 8), padStart('files', 5)]
  for (const framework of frameworks) header.push(padStart(`${framework} pass/fail`, 18))
  if (both) header.push(padStart('lost', 5), padStart('gained', 6))
  header.push(padStart('excl.', 5), padStart('s', 5))
  console.log(header.join('  '))
  const totals = { files: 0, excluded: 0, lost: 0, gained: 0, fastify: { pass: 0, fail: 0 }, velox: { pass: 0, fail: 0 } }
  for (const r of results) {
    const row = [pad(r.name, 26), pad(r.version, 8), padStart(r.files, 5)]
    for (const framework of frameworks) {
      const c = r.runs[framework].counts
      row.push(padStart(`${c.pass}/${c.fail}`, 18))
      totals[framework].pass += c.pass
      totals[framework].fail += c.fail
    }
    if (both) row.push(padStart(r.lost.length, 5), padStart(r.gained.length, 6))
    row.push(padStart(r.excluded, 5), padStart(r.seconds, 5))
    if (r.note !== undefined) row.push(`  (${r.note})`)
    console.log(row.join('  '))
    totals.files += r.files
    totals.excluded += r.excluded
    if (both) { totals.lost += r.lost.length; totals.gained += r.gained.length }
  }
  const row = [pad('total', 26), pad('', 8), padStart(totals.files, 5)]
  for (const framework of frameworks) row.push(padStart(`${totals[framework].pass}/${totals[framework].fail}`, 18))
  if (both) row.push(padStart(totals.lost, 5), padStart(totals.gained, 6))
  row.push(padStart(totals.excluded, 5))
  console.log(row.join('  '))

  const retriedLines = results.flatMap((r) => frameworks.flatMap((framework) => r.runs[framework].retried.map((file) => `  ${r.name} ${file} (${framework})`)))
  if (retriedLines.length > 0) console.log(`\nRun again because the frameworks differed the first time (the better run counts):\n${retriedLines.join('\n')}`)
  const timedOutLines = results.flatMap((r) => frameworks.flatMap((framework) => r.runs[framework].timedOut.map((file) => `  ${r.name} ${file} (${framework})`)))
  if (timedOutLines.length > 0) console.log(`\nKilled after ${fileTimeoutMs / 1000} s:\n${timedOutLines.join('\n')}`)

  if (!both) return
  for (const r of results) {
    if (r.lost.length === 0 && !(options.details && r.gained.length > 0)) continue
    console.log(`\n${r.name}: ${r.lost.length} test(s) pass on Fastify and not on Velox`)
    const shown = options.details ? r.lost : r.lost.slice(0, 10)
    for (const t of shown) console.log(`  - ${t.id}${t.error !== undefined ? `\n      ${t.error.slice(0, 300)}` : ''}`)
    if (shown.length < r.lost.length) console.log(`  ... and ${r.lost.length - shown.length} more (--details lists them all)`)
    if (options.details && r.gained.length > 0) {
      console.log(`${r.name}: ${r.gained.length} test(s) pass on Velox and not on Fastify`)
      for (const t of r.gained) console.log(`  + ${t.id}`)
    }
  }
}

async function main () {
  await mkdir(cacheDir, { recursive: true })
  await cleanPartials(cacheDir)

  const needed = [...new Set(plugins.flatMap((p) => p.services ?? []))]
  const services = await startServices(needed)
  const env = {}
  if (services.postgres?.url !== undefined) env.DATABASE_TEST_URL = services.postgres.url
  if (services.redis?.url !== undefined) env.REDIS_URL = services.redis.url
  try {
    const installStarted = Date.now()
    const installed = await pool(plugins, 3, async (plugin) => {
      const { dir, installed } = await installPlugin(cacheDir, plugin, manifest.dropDevDependencies)
      if (installed) console.log(`installed ${plugin.name}@${plugin.version}`)
      return { plugin, dir, files: discoverTestFiles(dir, plugin) }
    })
    console.log(`${installed.length} plugins ready in ${Math.round((Date.now() - installStarted) / 1000)} s (cache: ${cacheDir})`)

    const skipped = []
    const runnable = installed.filter((entry) => {
      const missing = (entry.plugin.services ?? []).filter((name) => services[name]?.skip !== undefined)
      if (missing.length === 0) return true
      skipped.push(`${entry.plugin.name}: skipped, ${missing.map((name) => `${name} cannot be started here: ${services[name].skip}`).join('; ')}`)
      return false
    })
    if (services.postgres?.url !== undefined && runnable.some((e) => e.plugin.name === '@fastify/postgres')) {
      // @fastify/postgres's suite expects the table its README's set-up script creates.
      runSql('CREATE TABLE IF NOT EXISTS users (id serial PRIMARY KEY, username varchar(50) NOT NULL)')
    }
    // One job per test file, the files of the longest suites first, so the run ends on short
    // jobs. Files of plugins that share a service (the same Redis) never run at the same time.
    runnable.sort((a, b) => b.files.length - a.files.length)
    const fileJobs = runnable.flatMap((entry) => entry.files.map((file, index) => ({ entry, file, index })))
    const pending = new Map(runnable.map((entry) => [entry, entry.files.length]))
    const fileRuns = new Map(runnable.map((entry) => [entry, new Array(entry.files.length)]))
    const started = Date.now()
    await pool(fileJobs, jobs, async ({ entry, file, index }) => {
      fileRuns.get(entry)[index] = await runFileOnEach(entry, file, env)
      pending.set(entry, pending.get(entry) - 1)
      if (pending.get(entry) === 0) console.log(`ran ${entry.plugin.name} (${entry.files.length} files)`)
    }, ({ entry }) => entry.plugin.services ?? [])
    const results = runnable.map((entry) => summarize(entry, fileRuns.get(entry)))
    results.sort((a, b) => a.name.localeCompare(b.name))
    console.log(`\nPlugin suites on Node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s, ${jobs} at a time; counts are test cases (node:test leaves)\n`)
    printReport(results)
    for (const line of skipped) console.log(line)
    if (options.json !== undefined) writeFileSync(options.json, JSON.stringify(results, null, 2))

    if (frameworks.length === 2) {
      const behind = results.filter((r) => r.lost.length > 0)
      console.log(`\nplugins: ${results.length - behind.length} passed, ${behind.length} failed${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}`)
      if (behind.length > 0) process.exitCode = 1
    }
  } finally {
    await stopServices(services)
  }
}

await main()
