// Profiles one scenario server under autocannon load with clinic and prints where the HTML
// report is. `npm run profile -- <scenario> [--doctor] [--server velox] [--duration 10]`.
// Headless by construction: NO_INSIGHT=1 and --open=false, or clinic stops at a prompt.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { scenarios } from './scenarios.js'
import { parseOptions } from './lib/options.js'
import { tasksetAvailable } from './lib/processes.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')
// clinic is one of the benchmarks' own packages (benchmarks/package.json).
const clinicBin = path.join(here, 'node_modules', 'clinic', 'bin.js')
const SERVERS = ['velox', 'fastify', 'node', 'express', 'hono']

const { values: options, positionals } = parseOptions(
  `usage: npm run profile -- <${Object.keys(scenarios).join('|')}> [options]`, {
    doctor: { type: 'boolean', description: 'also run clinic doctor' },
    server: { default: 'velox', description: `server to profile (${SERVERS.join(', ')})` },
    duration: { number: true, default: '10', description: 'seconds of load' },
    connections: { number: true, default: '100', description: 'autocannon connections' },
    pipelining: { number: true, default: '10', description: 'requests in flight per connection (S1-np uses 1)' },
    'no-pin': { type: 'boolean', description: 'do not use taskset' },
    out: { default: path.join(here, 'profiles'), description: 'directory for the reports' }
  }, { allowPositionals: true })

const name = positionals[0] ?? 's1'
const scenario = scenarios[name]
if (scenario === undefined || positionals.length > 1) {
  console.error(`unknown scenario "${positionals.join(' ')}"; one of ${Object.keys(scenarios).join(', ')}`)
  process.exit(2)
}
if (!SERVERS.includes(options.server)) {
  console.error(`unknown server "${options.server}"; one of ${SERVERS.join(', ')}`)
  process.exit(2)
}
if (options.server === 'velox' && !existsSync(path.join(root, 'dist', 'velox.js'))) {
  console.error('dist/velox.js is missing: run `npm run build` (npm run profile does it first)')
  process.exit(1)
}

const pin = !options['no-pin'] && tasksetAvailable

// clinic runs in its own process group with the server and the load under it; on the way out
// the whole group goes, so nothing outlives this script.
let clinic = null
function stopClinic () {
  if (clinic === null || clinic.exitCode !== null || clinic.signalCode !== null) return
  try {
    process.kill(-clinic.pid, 'SIGKILL')
  } catch {}
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, function onSignal () {
    console.error(`\n${signal}: stopping clinic`)
    stopClinic()
    process.exit(130)
  })
}
process.once('exit', stopClinic)

// A shell word, for clinic's --on-port command line (clinic runs it through a shell).
function quote (word) {
  return `'${String(word).replace(/'/g, "'\\''")}'`
}

function htmlReports (dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((file) => file.endsWith('.html'))
    .map((file) => path.join(dir, file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
}

async function profile (tool) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
  const dest = path.join(options.out, `${name}-${options.server}-${tool}-${stamp}`)
  mkdirSync(dest, { recursive: true })
  // The load runs on the other core; clinic substitutes $PORT with the port the server took.
  const load = [
    ...(pin ? ['taskset', '-c', '1'] : []),
    process.execPath, path.join(here, 'load.js'),
    '--scenario', name, '--port', '$PORT',
    '--duration', options.duration, '--connections', options.connections, '--pipelining', options.pipelining
  ].map((word) => (word === '$PORT' ? word : quote(word))).join(' ')
  const clinicArgs = [
    clinicBin, tool, '--open=false', '--dest', dest, '--on-port', load,
    '--', process.execPath, path.join(here, 'servers', `${options.server}.js`), scenario.server
  ]
  const command = pin ? 'taskset' : process.execPath
  const args = pin ? ['-c', '0', process.execPath, ...clinicArgs] : clinicArgs
  console.error(`clinic ${tool}: ${options.server} ${name} for ${options.duration} s ...`)
  const child = spawn(command, args, {
    // 0x writes its V8 log into the working directory; an interrupted run leaves it there.
    cwd: dest,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NO_INSIGHT: '1', NODE_ENV: 'production', PORT: '0' }
  })
  clinic = child
  // clinic stops the server and the load itself once the load ends; this is the backstop.
  const limit = setTimeout(function tooLong () {
    console.error(`clinic ${tool} still running after ${options.duration + 180} s; stopping it`)
    stopClinic()
  }, (options.duration + 180) * 1000)
  const [code] = await once(child, 'exit')
  clearTimeout(limit)
  clinic = null
  const reports = htmlReports(dest)
  if (code !== 0 || reports.length === 0) {
    throw new Error(`clinic ${tool} failed (exit code ${code}); data, if any, is in ${path.relative(process.cwd(), dest)}`)
  }
  return reports[0]
}

const tools = options.doctor ? ['flame', 'doctor'] : ['flame']
let failed = false
for (const tool of tools) {
  try {
    const report = await profile(tool)
    console.log(`${tool}: ${path.relative(process.cwd(), report)}`)
  } catch (err) {
    console.error(err.message)
    failed = true
  }
}
process.exitCode = failed ? 1 : 0
