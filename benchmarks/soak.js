// The soak benchmark: minutes of full load on one Velox server, mixing valid requests, requests
// the server must refuse (4xx) and bytes that are not HTTP at all, while the server's memory is
// sampled after a full garbage collection. What it must show: no valid request answered with
// anything but 2xx, nothing unexpected, and memory that stays flat.
//
//   npm run bench:soak -- --minutes 10      (run it under the bench lock: see benchmarks/README.md)
import autocannon from 'autocannon'
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseOptions } from './lib/options.js'
import { spawnPinned, pinSelf, kill, cleanupOnExit, watchOutput, cpuSeconds, tasksetAvailable } from './lib/processes.js'
import { lineChart } from './lib/chart.js'

const here = path.dirname(fileURLToPath(import.meta.url))

const { values: options } = parseOptions('usage: npm run bench:soak -- [options]', {
  minutes: { number: true, default: '10', description: 'minutes of load' },
  sample: { number: true, default: '5', description: 'seconds between memory samples' },
  connections: { number: true, default: '64', description: 'keep-alive connections sending valid and invalid requests' },
  malformed: { number: true, default: '4', description: 'concurrent loops sending malformed bytes, one connection each' },
  'server-core': { number: true, default: '0', description: 'core the server runs on' },
  'load-core': { number: true, default: '1', description: 'core the load and this runner run on' },
  'no-pin': { type: 'boolean', description: 'do not use taskset' },
  out: { default: path.join(here, 'results'), description: 'directory for the report' },
  'no-write': { type: 'boolean', description: 'print the report only, write no files' }
})

if (options.minutes <= 0 || options.sample <= 0 || options.connections < 1) {
  console.error('--minutes and --sample must be more than 0, --connections at least 1')
  process.exit(2)
}

/** The secret /fail's error carries: it must never reach a client. */
const SECRET = '10.0.0.7'

const json = { 'content-type': 'application/json' }
/**
 * The keep-alive mix, cycled by every connection. Only requests whose answer keeps the
 * connection open belong here (autocannon matches answers to requests by order); those after
 * which the server closes the connection, as Fastify does after a body it cannot parse, are sent
 * on fresh connections with the malformed ones below. `expect` is the class of status each must get:
 * 2xx for valid requests, 4xx for requests the server must refuse, and the coded 500s two
 * routes answer by design (a header Node refuses, an internal error hidden by safeErrors).
 */
const mix = [
  { kind: 'valid', expect: 2, method: 'GET', path: '/items/42' },
  { kind: 'invalid', expect: 4, method: 'POST', path: '/items', headers: json, body: '{}' },
  { kind: 'valid', expect: 2, method: 'POST', path: '/items', headers: json, body: JSON.stringify({ name: 'pen', tags: ['office'], price: 1.5 }) },
  { kind: 'valid', expect: 2, method: 'GET', path: '/search?q=velox&limit=20' },
  { kind: 'invalid', expect: 4, method: 'POST', path: '/items', headers: { 'content-type': 'text/plain' }, body: 'pen' },
  { kind: 'valid', expect: 2, method: 'GET', path: '/stream' },
  { kind: 'invalid', expect: 4, method: 'GET', path: '/items/abc' },
  { kind: 'valid', expect: 2, method: 'GET', path: '/slow' },
  { kind: 'invalid', expect: 4, method: 'GET', path: '/nowhere/at/all' },
  { kind: 'valid', expect: 2, method: 'GET', path: '/health/ready' },
  { kind: 'invalid', expect: 4, method: 'GET', path: '/search?q=x&limit=500' },
  { kind: 'invalid', expect: 4, method: 'POST', path: '/items', headers: json, body: JSON.stringify({ name: 'x'.repeat(500) }) },
  { kind: 'coded500', expect: 5, method: 'GET', path: '/echo?v=%0d%0aSet-Cookie:%20admin=1' },
  { kind: 'coded500', expect: 5, method: 'GET', path: '/fail' }
]

/**
 * Bytes that are not valid HTTP, and bodies the server refuses before reading them through, each
 * sent on a fresh connection: a 4xx (or a close, for a client that hangs up) is expected.
 */
const malformed = [
  'POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{"name":',
  'POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 39\r\n\r\n{"name":"x","__proto__":{"admin":true}}',
  'GARBAGE\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n',
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
  'POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
  'POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'GET /items/1 HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n',
  'GET /items/1 HTTP/1.1\r\nHost: x\r\n'
]

cleanupOnExit()
const pin = !options['no-pin'] && tasksetAvailable
if (pin) pinSelf(options['load-core'])

const startedAt = new Date()
const server = spawnPinned(pin ? options['server-core'] : null, process.execPath, ['--expose-gc', path.join(here, 'soak-server.js')], {
  stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  env: { ...process.env, NODE_ENV: 'production' }
})
const output = watchOutput(server)
const { port } = await output.nextJsonLine(30_000)

const counts = {
  valid: { sent: 0, ok: 0, unexpected: {} },
  invalid: { sent: 0, ok: 0, unexpected: {} },
  coded500: { sent: 0, ok: 0, unexpected: {} },
  malformed: { sent: 0, ok: 0, unexpected: {} },
  leaks: 0
}

function tally (kind, expected, status, body) {
  const bucket = counts[kind]
  bucket.sent++
  if (Math.floor(status / 100) === expected) {
    bucket.ok++
  } else {
    bucket.unexpected[status] = (bucket.unexpected[status] ?? 0) + 1
  }
  if (status >= 500 && body !== undefined && body.includes(SECRET)) counts.leaks++
}

/** The server's memory after a full GC, over IPC. */
async function sampleServer () {
  server.send({ sample: true })
  const [message] = await once(server, 'message')
  return message
}

let stopped = false

async function malformedLoop () {
  let i = 0
  // eslint-disable-next-line no-unmodified-loop-condition -- set when the soak's time is up
  while (!stopped) {
    const bytes = malformed[i++ % malformed.length]
    const answer = await new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' })
      let received = ''
      const timer = setTimeout(() => { socket.destroy(); resolve('timeout') }, 10_000)
      socket.on('data', (chunk) => { received += chunk.toString('latin1') })
      socket.on('error', () => {})
      socket.on('close', () => { clearTimeout(timer); resolve(received) })
      socket.on('connect', () => {
        socket.write(bytes)
        // The last case stops mid-headers: the client goes away, the server must not care.
        if (bytes.endsWith('Host: x\r\n')) socket.end()
      })
    })
    counts.malformed.sent++
    const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]
    if (answer === 'timeout') {
      counts.malformed.unexpected.timeout = (counts.malformed.unexpected.timeout ?? 0) + 1
    } else if (status === undefined || status.startsWith('4')) {
      // A 4xx, or a close with no answer (the client itself hung up mid-request).
      counts.malformed.ok++
    } else {
      counts.malformed.unexpected[status] = (counts.malformed.unexpected[status] ?? 0) + 1
    }
  }
}

const seconds = Math.round(options.minutes * 60)
console.error(`soak: ${options.minutes} min, ${options.connections} connections + ${options.malformed} malformed loops, server pid ${server.pid}${pin ? ` on core ${options['server-core']}, load on core ${options['load-core']}` : ' (not pinned)'}`)

const samples = []
let lastCpu = cpuSeconds(server.pid)
let lastSentinel = { valid: 0, invalid: 0, malformed: 0, coded500: 0 }
let lastTime = Date.now()
const t0 = Date.now()
async function takeSample () {
  const memory = await sampleServer()
  const now = Date.now()
  const cpu = cpuSeconds(server.pid)
  const dt = (now - lastTime) / 1000
  const rate = (kind) => (counts[kind].sent - lastSentinel[kind]) / dt
  const sample = {
    minute: (now - t0) / 60_000,
    rssMB: memory.rss / 1048576,
    heapMB: memory.heapUsed / 1048576,
    validPerSecond: rate('valid'),
    invalidPerSecond: rate('invalid') + rate('coded500'),
    malformedPerSecond: rate('malformed'),
    serverCpu: cpu !== null && lastCpu !== null ? (cpu - lastCpu) / dt : null
  }
  lastCpu = cpu
  lastTime = now
  lastSentinel = { valid: counts.valid.sent, invalid: counts.invalid.sent, malformed: counts.malformed.sent, coded500: counts.coded500.sent }
  samples.push(sample)
  console.error(`  ${sample.minute.toFixed(1).padStart(5)} min  rss ${sample.rssMB.toFixed(1)} MB  heap ${sample.heapMB.toFixed(2)} MB  ${Math.round(sample.validPerSecond)} valid/s  ${Math.round(sample.invalidPerSecond)} refused/s  ${Math.round(sample.malformedPerSecond)} malformed/s  valid non-2xx ${counts.valid.sent - counts.valid.ok}`)
}

await takeSample()
const sampler = setInterval(() => { takeSample().catch(() => {}) }, options.sample * 1000)
const malformedLoops = Array.from({ length: options.malformed }, malformedLoop)
const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: options.connections,
  pipelining: 1,
  duration: seconds,
  timeout: 10,
  requests: mix.map((request) => ({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body,
    onResponse (status, body) { tally(request.kind, request.expect, status, body) }
  }))
})
stopped = true
clearInterval(sampler)
await Promise.all(malformedLoops)
await takeSample()
const serverAlive = server.exitCode === null && server.signalCode === null
await kill(server)

// Memory after warm-up (the first minute, or the first fifth of a short run) as a straight line:
// its rise over the rest of the run is the growth a leak would show.
const warmup = Math.min(1, options.minutes / 5)
const steady = samples.filter((s) => s.minute >= warmup)
function trend (key) {
  const n = steady.length
  if (n < 2) return { start: steady[0]?.[key] ?? 0, end: steady[0]?.[key] ?? 0, perMinute: 0 }
  const mx = steady.reduce((a, s) => a + s.minute, 0) / n
  const my = steady.reduce((a, s) => a + s[key], 0) / n
  const slope = steady.reduce((a, s) => a + (s.minute - mx) * (s[key] - my), 0) / steady.reduce((a, s) => a + (s.minute - mx) ** 2, 0)
  const first = steady[0].minute
  const last = steady[n - 1].minute
  return { start: my + slope * (first - mx), end: my + slope * (last - mx), perMinute: slope, min: Math.min(...steady.map((s) => s[key])), max: Math.max(...steady.map((s) => s[key])) }
}
const heap = trend('heapMB')
const rss = trend('rssMB')
const heapGrowth = heap.end - heap.start
const flat = heapGrowth < Math.max(1, heap.start * 0.05)
const validFailures = counts.valid.sent - counts.valid.ok
const unexpected = ['invalid', 'coded500', 'malformed'].reduce((a, kind) => a + counts[kind].sent - counts[kind].ok, 0)
const errors = result.errors + result.timeouts
const pass = validFailures === 0 && unexpected === 0 && counts.leaks === 0 && serverAlive && flat

const fmt = (n) => Math.round(n).toLocaleString('en-US')
const mb = (n) => n.toFixed(1)
const describe = (bucket) => Object.keys(bucket.unexpected).length === 0 ? 'none' : Object.entries(bucket.unexpected).map(([status, n]) => `${status} ×${n}`).join(', ')
const cpuLoad = samples.filter((s) => s.serverCpu !== null).map((s) => s.serverCpu)
const report = `# Soak: ${options.minutes} minutes of mixed traffic (${startedAt.toISOString().slice(0, 10)})

Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), machine shared with other work;
server ${pin ? `pinned to core ${options['server-core']}, load and runner to core ${options['load-core']}` : 'not pinned'};
${options.connections} keep-alive connections cycling ${mix.length} requests (${mix.filter((r) => r.kind === 'valid').length} valid, ${mix.filter((r) => r.kind === 'invalid').length} to refuse with 4xx, ${mix.filter((r) => r.kind === 'coded500').length} answered with a coded 500 by design) and ${options.malformed} loops sending ${malformed.length} kinds of malformed HTTP on fresh connections.
The server runs with \`NODE_ENV=production\` (safe errors), handlerTimeout, health and metrics on; memory is read after a full GC every ${options.sample} s.

| traffic | requests | as expected | unexpected |
| --- | ---: | ---: | --- |
| valid (must be 2xx) | ${fmt(counts.valid.sent)} | ${fmt(counts.valid.ok)} | ${describe(counts.valid)} |
| invalid (must be 4xx) | ${fmt(counts.invalid.sent)} | ${fmt(counts.invalid.ok)} | ${describe(counts.invalid)} |
| header injection, internal error (coded 500) | ${fmt(counts.coded500.sent)} | ${fmt(counts.coded500.ok)} | ${describe(counts.coded500)} |
| malformed HTTP (4xx or close) | ${fmt(counts.malformed.sent)} | ${fmt(counts.malformed.ok)} | ${describe(counts.malformed)} |

- Valid requests answered with anything but 2xx: **${validFailures}** ${validFailures === 0 ? '✅' : '❌'}
- Socket errors and timeouts of the load generator: ${errors} (${result.errors} errors, ${result.timeouts} timeouts)
- 5xx answers that leaked the internal error's message: ${counts.leaks} ${counts.leaks === 0 ? '✅' : '❌'}
- Server process alive at the end: ${serverAlive ? 'yes ✅' : 'no ❌'}
- Throughput: ${fmt(result.requests.average)} keep-alive requests/s on average (${fmt(result.requests.total)} in all), server CPU ${cpuLoad.length > 0 ? `${(cpuLoad.reduce((a, b) => a + b, 0) / cpuLoad.length * 100).toFixed(0)}%` : 'n/a'} of a core
- Heap after GC, after the ${warmup} min warm-up: ${mb(heap.start)} → ${mb(heap.end)} MB on the fitted line (${heapGrowth >= 0 ? '+' : ''}${(heapGrowth * 1024).toFixed(0)} KiB, ${(heap.perMinute * 1024).toFixed(1)} KiB/min; samples ${mb(heap.min)}–${mb(heap.max)} MB) ${flat ? '✅ flat' : '❌ growing'}
- RSS after warm-up: ${mb(rss.start)} → ${mb(rss.end)} MB on the fitted line (samples ${mb(rss.min)}–${mb(rss.max)} MB)

Result: ${pass ? '**pass**' : '**FAIL**'}.

![Server memory and request rates over the run](soak-latest.svg)
`

const svg = lineChart({
  title: `Soak: ${options.minutes} minutes of valid, invalid and malformed requests`,
  subtitle: `Velox, Node ${process.version}; valid non-2xx: ${validFailures}; heap after GC ${mb(heap.start)} → ${mb(heap.end)} MB`,
  xLabel: 'minutes',
  panels: [
    { title: 'Server resident memory (RSS)', unit: 'MB', series: [{ name: 'RSS', points: samples.map((s) => [s.minute, s.rssMB]) }] },
    { title: 'Server heap used, after a full GC', unit: 'MB', series: [{ name: 'heap used after GC', points: samples.map((s) => [s.minute, s.heapMB]) }] },
    {
      title: 'Requests per second',
      unit: 'req/s',
      series: [
        { name: 'valid', points: samples.slice(1).map((s) => [s.minute, s.validPerSecond]) },
        { name: 'refused (4xx, coded 500)', points: samples.slice(1).map((s) => [s.minute, s.invalidPerSecond]) },
        { name: 'malformed', points: samples.slice(1).map((s) => [s.minute, s.malformedPerSecond]) }
      ]
    }
  ]
})

console.log(report)
if (!options['no-write']) {
  mkdirSync(options.out, { recursive: true })
  const stamp = startedAt.toISOString().slice(0, 10)
  const data = JSON.stringify({ options, counts, result: { requests: result.requests, errors: result.errors, timeouts: result.timeouts }, samples, heap, rss, pass }, null, 2)
  for (const name of [`soak-${stamp}`, 'soak-latest']) {
    writeFileSync(path.join(options.out, `${name}.md`), report.replace('soak-latest.svg', `${name}.svg`))
    writeFileSync(path.join(options.out, `${name}.svg`), svg)
  }
  writeFileSync(path.join(options.out, `soak-${stamp}.json`), data)
  console.error(`wrote ${path.join(options.out, `soak-${stamp}.md`)} and soak-latest.*`)
}
process.exit(pass ? 0 : 1)
