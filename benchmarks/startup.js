// Cold start: the time from spawning a server process with N schema routes to the first
// successful response of its LAST route, and the RSS the server reports once ready.
// Servers and sizes are interleaved sample by sample. `npm run bench:startup -- --help`.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs'
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
// velox-cache: Velox with its schemaCache option, primed by one unmeasured start per size, as an
// app that ships its precompiled validators and serializers.
const SERVERS = ['velox', 'velox-cache', 'fastify']

const { values: options } = parseOptions('usage: npm run bench:startup -- [options]', {
  servers: { list: true, choices: SERVERS, default: SERVERS.join(','), description: 'servers to start' },
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

async function sample (server, routes) {
  const deadline = performance.now() + options.timeout * 1000
  const start = performance.now()
  const env = { ...process.env, NODE_ENV: 'production' }
  if (server === 'velox-cache') env.VELOX_SCHEMA_CACHE = cacheFile(routes)
  const child = spawnPinned(serverCore, process.execPath, [path.join(here, 'startup-server.js'), server, String(routes)], {
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

const samples = []
for (const routes of options.sizes) {
  const failed = new Set()
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
          : `listening ${result.listening.toFixed(0)} ms, last route answered ${result.firstResponse.toFixed(0)} ms ` +
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
      listening: median(ok.map((s) => s.listening)),
      firstResponse: median(ok.map((s) => s.firstResponse)),
      cpu: median(ok.map((s) => s.cpu)),
      rss: median(ok.map((s) => s.rss))
    })
  }
}
for (const row of rows) {
  const fastify = rows.find((r) => r.routes === row.routes && r.server === 'fastify')
  row.vsFastify = fastify?.firstResponse ? row.firstResponse / fastify.firstResponse : null
  row.cpuVsFastify = fastify?.cpu ? row.cpu / fastify.cpu : null
}

function table () {
  const lines = [
    '| routes | server | listening ms | last route answered ms | ÷ fastify | server CPU ms | ÷ fastify | RSS at ready MiB | samples |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]
  for (const row of rows) {
    const server = row.server.startsWith('velox') ? `**${row.server}**` : row.server
    if (row.samples === 0) {
      lines.push(`| ${formatInteger(row.routes)} | ${server} | failed: ${String(row.failed).replace(/\|/g, '\\|')} | | | | | | 0 |`)
      continue
    }
    lines.push(`| ${formatInteger(row.routes)} | ${server} | ${formatInteger(row.listening)} | ${formatInteger(row.firstResponse)} | ` +
      `${formatRatio(row.vsFastify)} | ${formatInteger(row.cpu)} | ${formatRatio(row.cpuVsFastify)} | ${(row.rss / 2 ** 20).toFixed(1)} | ${row.samples}${row.failed ? ` (failed: ${row.failed})` : ''} |`)
  }
  return lines.join('\n')
}

function targetLines () {
  const label = 'Target (1,000 routes, at most 0.25 × fastify\'s time)'
  if (!options.servers.includes('fastify') || !options.sizes.includes(1000)) return [`${label}: not measured in this run.`]
  return options.servers.filter((server) => server !== 'fastify').map(function target (server) {
    const row = rows.find((r) => r.routes === 1000 && r.server === server)
    if (row.samples === 0) return `${label}, ${server}: ❌ failed (${row.failed})`
    return `${label}, ${server}: ${formatRatio(row.vsFastify)} of its time ` +
      `(${formatRatio(row.cpuVsFastify)} of its CPU) ${row.vsFastify !== null && row.vsFastify <= 0.25 ? '✅' : '❌'}`
  })
}

const report = [
  `# Cold start, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Linux ${os.release()}, Node ${process.version}.`,
  '',
  `Method: each sample spawns \`node benchmarks/startup-server.js <server> <routes>\`${pin ? ` pinned to core ${serverCore}` : ''}; ` +
    'every route is `POST /r<i>` with its own body schema (property `f<i>`) and response schema. "listening" is ' +
    'the time until the server prints its ready line after `listen()`; "last route answered" is the time from spawn ' +
    `to the first correct 200 of \`POST /r<routes-1>\`; "server CPU" is the server's utime + stime at that ` +
    'moment, which moves less than wall time when other work shares the machine. `velox-cache` is Velox ' +
    'with its `schemaCache` option, the file written by one unmeasured start per size beforehand. ' +
    `Medians of ${options.samples} samples, servers interleaved.`,
  '',
  `Command: \`${['npm run bench:startup --', ...process.argv.slice(2)].join(' ').replace(/ --$/, '')}\``,
  '',
  table(),
  '',
  ...targetLines().map((line) => `- ${line}`),
  ''
].join('\n')

console.log('\n' + table() + '\n\n' + targetLines().join('\n'))
if (!options['no-write']) {
  const date = startedAt.toISOString().slice(0, 10)
  mkdirSync(options.out, { recursive: true })
  writeFileSync(path.join(options.out, `startup-${date}.md`), report)
  writeFileSync(path.join(options.out, 'startup-latest.md'), report)
  writeFileSync(path.join(options.out, `startup-${date}.json`), JSON.stringify({ startedAt, options, samples }, null, 2) + '\n')
  console.log(`wrote ${path.relative(process.cwd(), path.join(options.out, `startup-${date}.md`))} and startup-latest.md`)
}
