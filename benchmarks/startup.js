// Cold start: the time from spawning a server process with N schema routes to the first
// successful response of its LAST route, and the RSS the server reports once ready; the same
// for a serverless handler (spawn to the first handled event); and the import of the framework
// alone. Servers and sizes are interleaved sample by sample. `npm run bench:startup -- --help`.
import { mkdirSync, writeFileSync, rmSync, statSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { request } from 'undici'
import { parseOptions } from './lib/options.js'
import {
  spawnPinned, pinSelf, kill, cleanupOnExit, watchOutput, tasksetAvailable, sleep, cpuSeconds
} from './lib/processes.js'
import { median, formatInteger, formatRatio } from './lib/stats.js'

const here = path.dirname(fileURLToPath(import.meta.url))
// velox: the defaults (listen() compiles on demand). velox-eager: compile: 'eager'.
// velox-build: the file `velox build` wrote, built once per size before the samples (not timed).
// velox-cache: the schemaCache option, primed by one unmeasured start per size.
// *-lambda: a serverless handler answering one API Gateway event (startup-lambda.js).
const SERVERS = ['fastify', 'velox-eager', 'velox', 'velox-build', 'velox-cache', 'velox-lambda', 'velox-lambda-build', 'fastify-lambda']
const DEFAULT_SERVERS = ['fastify', 'velox-eager', 'velox', 'velox-build', 'velox-lambda', 'velox-lambda-build', 'fastify-lambda']
const lambda = (server) => server.endsWith('-lambda') || server.endsWith('-lambda-build')
const needsBuild = (server) => server === 'velox-build' || server === 'velox-lambda-build'

const { values: options } = parseOptions('usage: npm run bench:startup -- [options]', {
  servers: { list: true, choices: SERVERS, default: DEFAULT_SERVERS.join(','), description: 'servers to start' },
  'import-samples': { number: true, default: '9', description: 'samples of the import alone, per framework (0: skip)' },
  sizes: { list: true, number: true, default: '1,100,1000,10000', description: 'route counts' },
  samples: { number: true, default: '3', description: 'samples per server and size' },
  timeout: { number: true, default: '180', description: 'seconds one start may take before it counts as failed' },
  'server-core': { number: true, default: '0', description: 'core the servers run on' },
  'client-core': { number: true, default: '1', description: 'core this script runs on' },
  'no-pin': { type: 'boolean', description: 'do not use taskset' },
  out: { default: path.join(here, 'results'), description: 'directory for the reports' },
  'no-write': { type: 'boolean', description: 'print the table only, write no files' }
})

if (options.samples < 1 || !Number.isInteger(options.samples) || options.sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('--samples and every --sizes entry must be whole numbers ≥ 1')
  process.exit(2)
}

cleanupOnExit()
const pin = !options['no-pin'] && tasksetAvailable
if (pin) pinSelf(options['client-core'])
const serverCore = pin ? options['server-core'] : null
const startedAt = new Date()

const cacheFiles = new Set()
function cacheFile (routes) {
  const file = path.join(os.tmpdir(), `velox-bench-schema-cache-${process.pid}-${routes}.cjs`)
  cacheFiles.add(file)
  return file
}
function removeCacheFiles () {
  for (const file of cacheFiles) rmSync(file, { force: true })
}
process.once('exit', removeCacheFiles)

/** Writes the `velox build` file for `routes` routes (not timed), or returns why it failed. */
function buildFile (routes) {
  const file = path.join(os.tmpdir(), `velox-bench-schema-build-${process.pid}-${routes}.bin`)
  cacheFiles.add(file)
  try {
    execFileSync(process.execPath, [path.join(here, '..', 'dist', 'cli.js'), 'build', path.join(here, 'startup-app.js'), '--output', file], {
      env: { ...process.env, ROUTES: String(routes) },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    return { file, size: statSync(file).size }
  } catch (err) {
    return { failed: `velox build failed: ${String(err.stderr ?? err.message).trim().split('\n').pop()}` }
  }
}

/** The size of the benchmark's own schemas, as JSON, for the build file's ratio. */
function schemasSize (routes) {
  let bytes = 0
  for (let i = 0; i < routes; i++) {
    const field = `f${i}`
    bytes += JSON.stringify({ type: 'object', required: [field], additionalProperties: false, properties: { [field]: { type: 'integer' } } }).length
    bytes += JSON.stringify({ type: 'object', properties: { [field]: { type: 'integer' }, route: { type: 'integer' } } }).length
  }
  return bytes
}

/** POST /r<last> until it answers 200 with the expected body; returns null or why it failed. */
async function askLastRoute (port, routes, deadline) {
  const last = routes - 1
  const expected = JSON.stringify({ [`f${last}`]: 1, route: last })
  let problem = 'no answer'
  while (performance.now() < deadline) {
    try {
      const res = await request(`http://127.0.0.1:${port}/r${last}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ [`f${last}`]: 1 })
      })
      const text = await res.body.text()
      if (res.statusCode === 200 && text === expected) return null
      problem = `answered ${res.statusCode} ${text.slice(0, 120)}, expected 200 ${expected}`
      // A server that answers wrongly once ready will not answer rightly later.
      return problem
    } catch (err) {
      problem = err.code ?? err.message
      await sleep(2)
    }
  }
  return `timed out: ${problem}`
}

const builds = new Map()

async function sample (server, routes) {
  const deadline = performance.now() + options.timeout * 1000
  const start = performance.now()
  const env = { ...process.env, NODE_ENV: 'production' }
  if (server === 'velox-cache') env.VELOX_SCHEMA_CACHE = cacheFile(routes)
  if (needsBuild(server)) env.VELOX_SCHEMA_BUILD = builds.get(routes)?.file
  const script = lambda(server) ? 'startup-lambda.js' : 'startup-server.js'
  const child = spawnPinned(serverCore, process.execPath, [path.join(here, script), server, String(routes)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env
  })
  const output = watchOutput(child)
  try {
    let ready
    try {
      ready = await output.nextJsonLine(options.timeout * 1000)
    } catch (err) {
      return { server, routes, failed: err.message }
    }
    const listening = performance.now() - start
    if (lambda(server)) {
      // The handler answered its first event: that line is the first response.
      const cpu = cpuSeconds(child.pid)
      if (!ready.ok) return { server, routes, failed: `answered ${JSON.stringify(ready.answer).slice(0, 160)}` }
      return { server, routes, listening: null, firstResponse: listening, cpu: cpu === null ? null : cpu * 1000, rss: ready.rss }
    }
    const problem = await askLastRoute(ready.port, routes, deadline)
    const firstResponse = performance.now() - start
    // CPU the server spent up to its answer: steadier than wall time when other work shares the core.
    const cpu = cpuSeconds(child.pid)
    if (problem !== null) return { server, routes, failed: problem }
    return { server, routes, listening, firstResponse, cpu: cpu === null ? null : cpu * 1000, rss: ready.rss }
  } finally {
    await kill(child)
  }
}

/** Spawn, import the framework, exit: the import alone, timed inside the child (wall and CPU). */
const importSamples = []
const importTargets = [['fastify', 'fastify'], ['velox', '../dist/velox.js']]
for (let i = 0; i < options['import-samples']; i++) {
  for (const [label, specifier] of i % 2 === 0 ? importTargets : [...importTargets].reverse()) {
    const code = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(specifier)}); ` +
      'const u = process.cpuUsage(c); console.log(JSON.stringify({ ms: performance.now() - t, cpu: (u.user + u.system) / 1000 }))'
    const child = spawnPinned(serverCore, process.execPath, ['--input-type=module', '-e', code], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = watchOutput(child)
    try {
      importSamples.push({ label, ...await output.nextJsonLine(30000) })
    } finally {
      await kill(child)
    }
  }
}
if (importSamples.length > 0) {
  for (const [label] of importTargets) {
    const own = importSamples.filter((s) => s.label === label)
    console.error(`import ${label.padEnd(8)} median ${median(own.map((s) => s.ms)).toFixed(1)} ms (CPU ${median(own.map((s) => s.cpu)).toFixed(1)} ms) of ${own.length}`)
  }
}

const samples = []
for (const routes of options.sizes) {
  const failed = new Set()
  if (options.servers.some(needsBuild)) {
    const built = buildFile(routes)
    if (built.failed === undefined) {
      builds.set(routes, built)
      console.error(`${String(routes).padStart(6)} routes velox build: ${(built.size / 1024).toFixed(1)} KiB (schemas as JSON: ${(schemasSize(routes) / 1024).toFixed(1)} KiB)`)
    } else {
      for (const server of options.servers.filter(needsBuild)) {
        failed.add(server)
        samples.push({ server, routes, failed: built.failed })
      }
    }
  }
  if (options.servers.includes('velox-cache')) {
    rmSync(cacheFile(routes), { force: true })
    const priming = await sample('velox-cache', routes)
    console.error(`${String(routes).padStart(6)} routes velox-cache priming start: ` +
      (priming.failed !== undefined ? `FAILED ${priming.failed}` : `${priming.firstResponse.toFixed(0)} ms (not counted)`))
    if (priming.failed !== undefined) {
      failed.add('velox-cache')
      samples.push(priming)
    }
  }
  for (let i = 0; i < options.samples; i++) {
    // Alternate which server goes first so neither always follows the other.
    const order = i % 2 === 0 ? options.servers : [...options.servers].reverse()
    for (const server of order) {
      // One failure is reported; repeating it (possibly a long timeout) tells nothing new.
      if (failed.has(server)) continue
      const result = await sample(server, routes)
      if (result.failed !== undefined) failed.add(server)
      samples.push(result)
      console.error(`${String(routes).padStart(6)} routes ${server.padEnd(8)} sample ${i + 1}: ` +
        (result.failed !== undefined
          ? `FAILED ${result.failed}`
          : `listening ${result.listening?.toFixed(0) ?? '-'} ms, last route answered ${result.firstResponse.toFixed(0)} ms ` +
            `(server CPU ${result.cpu?.toFixed(0) ?? '?'} ms), ` +
            `RSS ${(result.rss / 2 ** 20).toFixed(1)} MiB`))
      await sleep(100)
    }
  }
}

// Medians per (size, server), and the ratio to Fastify's median at the same size.
const rows = []
for (const routes of options.sizes) {
  for (const server of options.servers) {
    const own = samples.filter((s) => s.routes === routes && s.server === server)
    const ok = own.filter((s) => s.failed === undefined)
    rows.push({
      routes,
      server,
      samples: ok.length,
      failed: own.find((s) => s.failed !== undefined)?.failed,
      listening: lambda(server) ? null : median(ok.map((s) => s.listening)),
      firstResponse: median(ok.map((s) => s.firstResponse)),
      cpu: median(ok.map((s) => s.cpu)),
      rss: median(ok.map((s) => s.rss))
    })
  }
}
for (const row of rows) {
  // Servers are compared with Fastify's server, handlers with Fastify's inject() cold start.
  const peer = lambda(row.server) ? 'fastify-lambda' : 'fastify'
  const fastify = rows.find((r) => r.routes === row.routes && r.server === peer)
  row.vsFastify = fastify?.firstResponse ? row.firstResponse / fastify.firstResponse : null
  row.cpuVsFastify = fastify?.cpu ? row.cpu / fastify.cpu : null
  row.rssVsFastify = fastify?.rss ? row.rss / fastify.rss : null
}

function table () {
  const lines = [
    '| routes | server | listening ms | last route answered ms | ÷ fastify | server CPU ms | ÷ fastify | RSS at ready MiB | ÷ fastify | samples |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]
  for (const row of rows) {
    const server = row.server.startsWith('velox') ? `**${row.server}**` : row.server
    if (row.samples === 0) {
      lines.push(`| ${formatInteger(row.routes)} | ${server} | failed: ${String(row.failed).replace(/\|/g, '\\|')} | | | | | | | 0 |`)
      continue
    }
    lines.push(`| ${formatInteger(row.routes)} | ${server} | ${row.listening === null ? '-' : formatInteger(row.listening)} | ${formatInteger(row.firstResponse)} | ` +
      `${formatRatio(row.vsFastify)} | ${formatInteger(row.cpu)} | ${formatRatio(row.cpuVsFastify)} | ${(row.rss / 2 ** 20).toFixed(1)} | ` +
      `${formatRatio(row.rssVsFastify)} | ${row.samples}${row.failed ? ` (failed: ${row.failed})` : ''} |`)
  }
  return lines.join('\n')
}

function importTable () {
  if (importSamples.length === 0) return []
  const lines = ['| import of | wall ms (median) | CPU ms (median) | samples |', '| --- | ---: | ---: | ---: |']
  for (const [label] of importTargets) {
    const own = importSamples.filter((s) => s.label === label)
    lines.push(`| ${label === 'velox' ? '**velox** (dist/velox.js)' : label} | ${median(own.map((s) => s.ms)).toFixed(1)} | ${median(own.map((s) => s.cpu)).toFixed(1)} | ${own.length} |`)
  }
  return lines
}

function buildLines () {
  return [...builds].map(([routes, built]) =>
    `- velox build file for ${formatInteger(routes)} routes: ${(built.size / 1024).toFixed(1)} KiB; the schemas as JSON: ` +
    `${(schemasSize(routes) / 1024).toFixed(1)} KiB (${formatRatio(built.size / schemasSize(routes))}×)`)
}

/** The targets of issue 14, for whichever servers and sizes this run measured. */
function targetLines () {
  const find = (routes, server) => rows.find((r) => r.routes === routes && r.server === server && r.samples > 0)
  const out = []
  const check = (label, row, ok, text) => out.push(row === undefined ? `${label}: not measured in this run` : `${label}: ${text(row)} ${ok(row) ? '✅' : '❌'}`)
  check('1 route, velox at most 0.5 × fastify\'s time', find(1, 'velox'), (r) => r.vsFastify !== null && r.vsFastify <= 0.5,
    (r) => `${formatRatio(r.vsFastify)} (${formatInteger(r.firstResponse)} ms; CPU ${formatRatio(r.cpuVsFastify)})`)
  check('10,000 routes, velox (no cache) last route within 1 s', find(10000, 'velox'), (r) => r.firstResponse <= 1000,
    (r) => `${formatInteger(r.firstResponse)} ms (server CPU ${formatInteger(r.cpu)} ms)`)
  check('10,000 routes, velox-build last route within 0.5 s', find(10000, 'velox-build'), (r) => r.firstResponse <= 500,
    (r) => `${formatInteger(r.firstResponse)} ms (server CPU ${formatInteger(r.cpu)} ms)`)
  check('10,000 routes, velox RSS at ready at most 0.5 × fastify\'s', find(10000, 'velox'), (r) => r.rssVsFastify !== null && r.rssVsFastify <= 0.5,
    (r) => `${formatRatio(r.rssVsFastify)} (${(r.rss / 2 ** 20).toFixed(1)} MiB)`)
  return out
}

const report = [
  `# Cold start, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Linux ${os.release()}, Node ${process.version}.`,
  '',
  `Method: each sample spawns \`node benchmarks/startup-server.js <server> <routes>\`${pin ? ` pinned to core ${serverCore}` : ''}; ` +
    'every route is `POST /r<i>` with its own body schema (property `f<i>`) and response schema. "listening" is ' +
    'the time until the server prints its ready line after `listen()`; "last route answered" is the time from spawn ' +
    'to the first correct 200 of `POST /r<routes-1>`; "server CPU" is the server\'s utime + stime at that ' +
    'moment, which moves less than wall time when other work shares the machine. `velox` is Velox with its ' +
    'defaults (listen() compiles on demand), `velox-eager` compiles every schema before listening, `velox-build` ' +
    'loads the file `velox build` wrote beforehand (not timed), `velox-cache` uses `schemaCache` primed by one ' +
    'unmeasured start. The `-lambda` rows spawn `benchmarks/startup-lambda.js`, which answers one API Gateway v2 ' +
    'event for the last route through `velox/serverless` (or Fastify\'s `inject()`), and time spawn to that answer; ' +
    'their RSS is taken after it. The import rows time `await import()` of the framework alone inside a fresh process. ' +
    `Medians of ${options.samples} samples, servers interleaved.`,
  '',
  `Command: \`${['npm run bench:startup --', ...process.argv.slice(2)].join(' ').replace(/ --$/, '')}\``,
  '',
  ...importTable(),
  '',
  table(),
  '',
  ...buildLines(),
  ...targetLines().map((line) => `- ${line}`),
  ''
].join('\n')

console.log('\n' + importTable().join('\n') + '\n\n' + table() + '\n\n' + buildLines().join('\n') + '\n' + targetLines().join('\n'))
if (!options['no-write']) {
  const date = startedAt.toISOString().slice(0, 10)
  mkdirSync(options.out, { recursive: true })
  writeFileSync(path.join(options.out, `startup-${date}.md`), report)
  writeFileSync(path.join(options.out, 'startup-latest.md'), report)
  writeFileSync(path.join(options.out, `startup-${date}.json`), JSON.stringify({ startedAt, options, samples }, null, 2) + '\n')
  console.log(`wrote ${path.relative(process.cwd(), path.join(options.out, `startup-${date}.md`))} and startup-latest.md`)
}
