// Debian's `wrk` as the load generator (`npm run bench -- --loader wrk`): a C program, so on the
// load core it outlasts autocannon, whose own core saturates first when the server answers
// small responses one at a time (S1-np). Same inputs and the same result shape as load.js.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { scenarios } from '../scenarios.js'
import { spawnPinned } from './processes.js'

/** True when a `wrk` binary is on the PATH (`apt-get install -y wrk`). */
export function wrkAvailable () {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined
}

/** A Lua string literal. */
function lua (text) {
  return '"' + [...Buffer.from(text, 'utf8')].map((b) => b >= 32 && b < 127 && b !== 34 && b !== 92 ? String.fromCharCode(b) : `\\${b}`).join('') + '"'
}

/**
 * The wrk script of a scenario: its request (method, headers, body), repeated `pipelining`
 * times per write, and a `done` hook that prints the result as one JSON line.
 */
function script (scenario, pipelining) {
  const { method, path: url, headers = {}, body } = scenario.request
  const headerTable = Object.entries(headers).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ')
  // Built in init(): wrk adds the Host header to wrk.headers only after the script is loaded.
  return `
local batch
init = function (args)
  local headers = { ${headerTable} }
  for name, value in pairs(wrk.headers) do headers[name] = value end
  batch = string.rep(wrk.format(${lua(method)}, ${lua(url)}, headers, ${body === undefined ? 'nil' : lua(body)}), ${pipelining})
end
request = function () return batch end
done = function (summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration":%d,"p50":%d,"p99":%d,"average":%f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
`
}

/** Runs wrk once on `core`: { scenario, port, duration, connections, pipelining } -> load.js's result shape. */
export async function runWrk (core, { scenario: name, port, duration, connections, pipelining }) {
  const scenario = scenarios[name]
  if (scenario === undefined) throw new Error(`unknown scenario ${name}`)
  const depth = scenario.pipelining ? pipelining : 1
  const dir = mkdtempSync(path.join(os.tmpdir(), 'velox-wrk-'))
  const file = path.join(dir, 'scenario.lua')
  writeFileSync(file, script(scenario, depth))
  try {
    const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(duration))}s`, '--timeout', '10s', '-s', file,
      `http://127.0.0.1:${port}${scenario.request.path}`]
    const child = core === null ? spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] }) : spawnPinned(core, 'wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => { out += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk) => { err += chunk })
    const code = await new Promise((resolve) => child.on('close', resolve))
    const line = out.split('\n').find((l) => l.startsWith('{"requests"'))
    if (code !== 0 || line === undefined) throw new Error(`wrk failed (${code}): ${err.trim() || out.trim()}`)
    const r = JSON.parse(line)
    // wrk counts answers outside 2xx/3xx as status errors: for the 404 scenario those are the expected ones.
    const expected = scenario.expect.status
    const unexpected = expected < 400 ? r.status : r.requests - r.status
    return {
      requests: r.requests,
      duration: r.duration / 1e6,
      latency: { p50: r.p50 / 1000, p99: r.p99 / 1000, average: r.average / 1000 },
      errors: r.connect + r.read + r.write + r.timeout,
      timeouts: r.timeout,
      non2xx: expected < 400 ? r.status : r.requests - r.status,
      statusCodeStats: { [expected]: { count: r.requests - unexpected }, ...(unexpected > 0 ? { other: { count: unexpected } } : {}) }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
