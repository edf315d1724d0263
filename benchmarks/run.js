// The load runner: every (scenario, server) pair in a fresh server process pinned to one core,
// the load generator (autocannon, or Debian's wrk with --loader wrk) pinned to the other,
// servers interleaved in rounds, and a markdown report with a chart of the ratios. `npm run bench -- --help` lists the options.
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { scenarios, DEFAULT_TARGET } from './scenarios.js'
import { parseOptions } from './lib/options.js'
import {
  spawnPinned, pinSelf, kill, cleanupOnExit, watchOutput, cpuSeconds, tasksetAvailable, sleep
} from './lib/processes.js'
import { checkResponse } from './lib/check.js'
import { aggregate, resultsTable, targetLines, roundsTable } from './lib/report.js'
import { ratioChart } from './lib/chart.js'
import { runWrk, wrkAvailable } from './lib/wrk.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const PEERS = ['node', 'fastify', 'express', 'hono', 'velox']
const SCENARIOS = Object.keys(scenarios)

const { values: options } = parseOptions('usage: npm run bench -- [options]', {
  peers: { list: true, choices: PEERS, default: PEERS.join(','), description: 'servers to measure' },
  scenarios: { list: true, choices: SCENARIOS, default: SCENARIOS.join(','), description: 'scenarios to run' },
  rounds: { number: true, default: '3', description: 'rounds; each runs every server once per scenario' },
  duration: { number: true, default: '5', description: 'seconds of measured load per run' },
  warmup: { number: true, default: '2', description: 'seconds of discarded load before each measured run' },
  loader: { default: 'autocannon', choices: ['autocannon', 'wrk'], description: 'load generator: autocannon, or wrk (apt-get install -y wrk), which needs less CPU per request' },
  connections: { number: true, default: '100', description: 'connections of the load generator' },
  pipelining: { number: true, default: '10', description: 'requests in flight per connection (S1-np uses 1)' },
  'server-core': { number: true, default: '0', description: 'core the servers run on' },
  'load-core': { number: true, default: '1', description: 'core the load generator and this runner run on' },
  'no-pin': { type: 'boolean', description: 'do not use taskset' },
  out: { default: path.join(here, 'results'), description: 'directory for the reports' },
  'no-write': { type: 'boolean', description: 'print the table only, write no files' }
})

if (options.rounds < 1 || !Number.isInteger(options.rounds) || options.duration <= 0) {
  console.error('--rounds must be a whole number ≥ 1 and --duration more than 0')
  process.exit(2)
}

if (options.loader === 'wrk' && !wrkAvailable()) {
  console.error('--loader wrk: no wrk on the PATH (apt-get install -y wrk)')
  process.exit(2)
}

cleanupOnExit()

const pin = !options['no-pin'] && tasksetAvailable
const serverCore = pin ? options['server-core'] : null
const loadCore = pin ? options['load-core'] : null
if (pin) pinSelf(loadCore)
else console.error('warning: running without CPU pinning; numbers are less stable')

const startedAt = new Date()
const loadAverageBefore = os.loadavg()

/** The autocannon process, kept for the whole run so its start-up never overlaps a measurement. */
async function startLoader () {
  const child = spawnPinned(loadCore, process.execPath, [path.join(here, 'load.js')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const [message] = await once(child, 'message')
  if (!message.ready) throw new Error('load generator did not start')
  let nextId = 0
  return {
    child,
    run (params) {
      const id = ++nextId
      return new Promise(function waitResult (resolve, reject) {
        function onMessage (reply) {
          if (reply.id !== id) return
          child.off('message', onMessage)
          child.off('exit', onExit)
          if (reply.error !== undefined) reject(new Error(reply.error))
          else resolve(reply.result)
        }
        function onExit () { reject(new Error('load generator exited')) }
        child.on('message', onMessage)
        child.once('exit', onExit)
        child.send({ id, ...params })
      })
    }
  }
}

async function startServer (peer, scenario) {
  const child = spawnPinned(serverCore, process.execPath, [path.join(here, 'servers', `${peer}.js`), scenario.server], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', PORT: '0' }
  })
  const output = watchOutput(child)
  const ready = await output.nextJsonLine(20000)
  return { child, port: ready.port }
}

// Statuses other than the expected one mean the server answered something else under load.
function unexpectedResponses (result, expectedStatus) {
  let count = 0
  for (const [status, { count: n }] of Object.entries(result.statusCodeStats ?? {})) {
    if (Number(status) !== expectedStatus) count += Number(n)
  }
  return count
}

async function measure (loader, round, name, peer) {
  const scenario = scenarios[name]
  const run = { round, scenario: name, peer }
  let server = null
  try {
    try {
      server = await startServer(peer, scenario)
    } catch (err) {
      run.broken = `did not start: ${err.message}`
      return run
    }
    const problem = await checkResponse(server.port, scenario)
    if (problem !== null) {
      run.broken = problem
      return run
    }
    const params = {
      scenario: name,
      port: server.port,
      connections: options.connections,
      pipelining: options.pipelining
    }
    if (options.warmup > 0) await loader.run({ ...params, duration: options.warmup })
    const cpuBefore = cpuSeconds(server.child.pid)
    const result = await loader.run({ ...params, duration: options.duration })
    const cpuAfter = cpuSeconds(server.child.pid)
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      run.broken = 'exited under load'
      return run
    }
    if (result.requests === 0) {
      run.broken = `no responses under load (errors ${result.errors}, timeouts ${result.timeouts})`
      return run
    }
    run.requests = result.requests
    run.duration = result.duration
    run.reqPerSec = result.requests / result.duration
    run.cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore
    run.reqPerCpu = run.cpuSeconds ? result.requests / run.cpuSeconds : null
    run.p50 = result.latency.p50
    run.p99 = result.latency.p99
    run.notes = []
    if (result.errors > 0) run.notes.push(`${result.errors} errors (${result.timeouts} timeouts)`)
    const unexpected = unexpectedResponses(result, scenario.expect.status)
    if (unexpected > 0) run.notes.push(`${unexpected} responses with another status than ${scenario.expect.status}`)
    return run
  } finally {
    if (server !== null) await kill(server.child)
  }
}

function describe (run) {
  if (run.broken !== undefined) return `BROKEN ${run.broken}`
  const cpu = run.reqPerCpu === null ? '' : `, ${Math.round(run.reqPerCpu)} req/CPU-s`
  return `${Math.round(run.reqPerSec)} req/s${cpu}, p50 ${run.p50} ms, p99 ${run.p99} ms` +
    (run.notes.length > 0 ? ` (${run.notes.join('; ')})` : '')
}

async function main () {
  // wrk starts in a few milliseconds: one process per run, on the load core.
  const loader = options.loader === 'wrk' ? { child: null, run: (params) => runWrk(loadCore, params) } : await startLoader()
  const runs = []
  const broken = new Set()
  const total = options.rounds * options.scenarios.length * options.peers.length
  let done = 0
  for (let round = 1; round <= options.rounds; round++) {
    for (const name of options.scenarios) {
      // Rotate the order each round, so no server always runs first after the previous one.
      const shift = (round - 1) % options.peers.length
      const order = [...options.peers.slice(shift), ...options.peers.slice(0, shift)]
      for (const peer of order) {
        done++
        const key = `${name}/${peer}`
        if (broken.has(key)) continue
        const run = await measure(loader, round, name, peer)
        if (run.broken !== undefined) broken.add(key)
        runs.push(run)
        console.error(`[${done}/${total}] round ${round} ${name.padEnd(5)} ${peer.padEnd(8)} ${describe(run)}`)
        await sleep(200)
      }
    }
  }
  if (loader.child !== null) await kill(loader.child)
  return runs
}

function chartFor (rows, date) {
  const names = options.scenarios
  const peers = options.peers
  const find = (g, peer) => rows.find((r) => r.scenario === names[g] && r.peer === peer)
  const value = (baseline, metric) => function ratioOf (g, peer) {
    const row = find(g, peer)
    if (row === undefined) return null
    if (row.rounds === 0) return 'broken'
    return row.vs[baseline][metric]
  }
  return ratioChart({
    title: `Velox and peers, ratios of medians (${date})`,
    subtitle: `${options.rounds} rounds × ${options.duration} s, ${options.loader}, ${options.connections} connections, ` +
      `pipelining ${options.pipelining} (S1-np: 1); ${os.cpus().length} cores, Node ${process.version}`,
    peers,
    groups: names.map((n) => scenarios[n].title),
    panels: [
      { title: 'requests per server CPU-second ÷ Fastify', value: value('fastify', 'reqPerCpu'), target: names.map((n) => scenarios[n].target ?? DEFAULT_TARGET) },
      { title: 'requests per server CPU-second ÷ node:http', value: value('node', 'reqPerCpu') },
      { title: 'requests per second ÷ Fastify', value: value('fastify', 'reqPerSec') },
      { title: 'requests per second ÷ node:http', value: value('node', 'reqPerSec') }
    ]
  })
}

function reportFor (runs, rows, chartFile) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const loadAverageAfter = os.loadavg()
  const command = ['npm run bench --', ...process.argv.slice(2)].join(' ').replace(/ --$/, '')
  return [
    `# Benchmark results, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${os.cpus().length} × ${cpu}, Linux ${os.release()}, Node ${process.version}. ` +
      `Load average before/after: ${loadAverageBefore[0].toFixed(2)} / ${loadAverageAfter[0].toFixed(2)}.`,
    '',
    `Method: ${options.rounds} rounds; each round runs every server once per scenario, each in a fresh ` +
      `process${pin ? ` pinned to core ${serverCore}` : ''}, with ${options.loader}${pin ? ` on core ${loadCore}` : ''}: ` +
      `${options.connections} connections, pipelining ${options.pipelining} (S1-np: 1), ${options.warmup} s warm-up ` +
      `discarded, then ${options.duration} s measured. Medians over rounds; ratios are taken within a round, then ` +
      'the median. Requests per CPU-second = responses ÷ (utime + stime of the server process during the measured run).',
    '',
    `Command: \`${command}\``,
    '',
    resultsTable(rows, scenarios),
    '',
    `![ratios](${chartFile})`,
    '',
    '## Velox against the targets',
    '',
    ...targetLines(rows, scenarios),
    '',
    '<details><summary>Every round</summary>',
    '',
    roundsTable(runs, scenarios),
    '',
    '</details>',
    ''
  ].join('\n')
}

const runs = await main()
const rows = aggregate(runs, options.scenarios, options.peers)
console.log('\n' + resultsTable(rows, scenarios) + '\n')
console.log(targetLines(rows, scenarios).join('\n') + '\n')

if (!options['no-write']) {
  const date = startedAt.toISOString().slice(0, 10)
  mkdirSync(options.out, { recursive: true })
  const svg = chartFor(rows, date)
  writeFileSync(path.join(options.out, `${date}.svg`), svg)
  writeFileSync(path.join(options.out, 'latest.svg'), svg)
  writeFileSync(path.join(options.out, `${date}.md`), reportFor(runs, rows, `${date}.svg`))
  writeFileSync(path.join(options.out, 'latest.md'), reportFor(runs, rows, 'latest.svg'))
  writeFileSync(path.join(options.out, `${date}.json`), JSON.stringify({ startedAt, options, runs }, null, 2) + '\n')
  console.log(`wrote ${path.relative(process.cwd(), path.join(options.out, `${date}.md`))}, latest.md and the charts`)
}
