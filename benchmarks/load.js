// Runs autocannon for one scenario. Two ways in:
//  - as a child with an IPC channel (the runner keeps one pinned to its own core): each message
//    { id, scenario, port, duration, connections, pipelining } answers { id, result };
//  - from the command line (clinic's --on-port):
//    node benchmarks/load.js --scenario s1 --port 3000 [--duration 10] [--connections 100] [--pipelining 10]
import autocannon from 'autocannon'
import { parseArgs } from 'node:util'
import { scenarios } from './scenarios.js'

export function loadOptions ({ scenario, port, duration, connections, pipelining }) {
  const s = scenarios[scenario]
  if (s === undefined) throw new Error(`unknown scenario ${scenario}`)
  return {
    url: `http://127.0.0.1:${port}${s.request.path}`,
    method: s.request.method,
    headers: s.request.headers,
    body: s.request.body,
    connections,
    pipelining: s.pipelining ? pipelining : 1,
    duration,
    timeout: 10
  }
}

// The parts of autocannon's result the report uses.
function summary (result) {
  return {
    requests: result.requests.total,
    duration: result.duration,
    latency: { p50: result.latency.p50, p99: result.latency.p99, average: result.latency.average },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodeStats: result.statusCodeStats
  }
}

async function serveIpc () {
  process.on('message', async function onMessage (message) {
    try {
      const result = await autocannon(loadOptions(message))
      process.send({ id: message.id, result: summary(result) })
    } catch (err) {
      process.send({ id: message.id, error: err.message })
    }
  })
  process.on('disconnect', function parentGone () { process.exit(0) })
  process.send({ ready: true })
}

async function runCli () {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 's1' },
      port: { type: 'string' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '100' },
      pipelining: { type: 'string', default: '10' }
    }
  })
  if (values.port === undefined) throw new Error('--port is required')
  const result = await autocannon(loadOptions({
    scenario: values.scenario,
    port: Number(values.port),
    duration: Number(values.duration),
    connections: Number(values.connections),
    pipelining: Number(values.pipelining)
  }))
  const s = summary(result)
  console.log(`${values.scenario}: ${Math.round(s.requests / s.duration)} req/s, p50 ${s.latency.p50} ms, ` +
    `p99 ${s.latency.p99} ms, errors ${s.errors}, non-2xx ${s.non2xx}`)
}

if (process.send !== undefined) await serveIpc()
else await runCli()
