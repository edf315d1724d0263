// Real Redis and PostgreSQL servers on 127.0.0.1 for the tests that need them: the plugin suites
// (@fastify/redis, @fastify/rate-limit's Redis store, @fastify/postgres) and the examples.
//
// A server already answering on its port is used as it is. Otherwise Debian's `redis-server` and
// PostgreSQL (`initdb`/`pg_ctl`) are started from a scratch folder and stopped by whoever started
// them. When a server cannot be started (not installed, no user to run PostgreSQL as), the result
// says why, so a test can skip with that reason instead of failing.
//
// CLI (used by .ci/run):
//   node test/services/services.js start [redis] [postgres]   start what is missing, print the URLs
//   node test/services/services.js stop                       stop what `start` started
//   node test/services/services.js env                        print REDIS_URL=... DATABASE_URL=... for `eval`

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const HOST = '127.0.0.1'
export const REDIS_PORT = Number(process.env.VELOX_REDIS_PORT ?? 6379)
export const POSTGRES_PORT = Number(process.env.VELOX_POSTGRES_PORT ?? 5432)
/** The credentials @fastify/postgres's tests expect, and the examples use. */
export const POSTGRES_URL = `postgres://postgres:postgres@${HOST}:${POSTGRES_PORT}/postgres`
export const REDIS_URL = `redis://${HOST}:${REDIS_PORT}`
const STATE_DIR = process.env.VELOX_SERVICES_DIR ?? join(tmpdir(), 'velox-services')

/**
 * @typedef {{ name: 'redis' | 'postgres', url?: string, started: boolean, skip?: string }} Service
 */

/** Opens a TCP connection, writes `probe` and resolves with what the server answered first, or null. */
function ask (port, probe, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port })
    const done = (value) => { socket.destroy(); resolve(value) }
    socket.setTimeout(timeoutMs, () => done(null))
    socket.on('error', () => done(null))
    socket.on('connect', () => { if (probe === null) done(''); else socket.write(probe) })
    socket.on('data', (chunk) => done(chunk.toString('latin1')))
  })
}

async function waitFor (check, timeoutMs) {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

const redisAnswers = async () => (await ask(REDIS_PORT, 'PING\r\n'))?.startsWith('+PONG') === true

/** Finds an executable in PATH or in the given folders. */
function findBinary (name, extraDirs = []) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...extraDirs]) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name)
  }
  return undefined
}

/** Debian keeps PostgreSQL's server binaries in /usr/lib/postgresql/<major>/bin. */
function postgresBinDirs () {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return []
  return readdirSync(root).sort((a, b) => Number(b) - Number(a)).map((major) => join(root, major, 'bin'))
}

function statePath (file) {
  mkdirSync(STATE_DIR, { recursive: true })
  return join(STATE_DIR, file)
}

/** @returns {Promise<Service>} */
export async function startRedis () {
  if (await redisAnswers()) return { name: 'redis', url: REDIS_URL, started: false }
  const bin = findBinary('redis-server', ['/usr/bin', '/usr/sbin', '/usr/local/bin'])
  if (bin === undefined) return { name: 'redis', started: false, skip: 'redis-server is not installed (Debian: apt-get install redis-server)' }
  const child = spawn(bin, ['--bind', HOST, '--port', String(REDIS_PORT), '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    detached: true,
    stdio: 'ignore'
  })
  child.unref()
  if (!await waitFor(redisAnswers, 10_000)) {
    try { process.kill(child.pid, 'SIGKILL') } catch {}
    return { name: 'redis', started: false, skip: `redis-server did not answer on ${HOST}:${REDIS_PORT} within 10 s` }
  }
  writeFileSync(statePath('redis.pid'), String(child.pid))
  return { name: 'redis', url: REDIS_URL, started: true }
}

/** Runs a PostgreSQL tool, as the `postgres` user when we are root (the server refuses root). */
function runPostgresTool (bin, args, asUser) {
  const [command, commandArgs] = asUser ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
  return spawnSync(command, commandArgs, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: 'postgres' } })
}

const postgresAnswers = async () => (await ask(POSTGRES_PORT, null)) !== null

/** @returns {Promise<Service>} */
export async function startPostgres () {
  if (await postgresAnswers()) return { name: 'postgres', url: POSTGRES_URL, started: false }
  const binDir = [...postgresBinDirs(), ...(process.env.PATH ?? '').split(':')].find((dir) => dir !== '' && existsSync(join(dir, 'pg_ctl')))
  if (binDir === undefined) return { name: 'postgres', started: false, skip: 'PostgreSQL is not installed (Debian: apt-get install postgresql)' }
  const asUser = process.getuid?.() === 0
  let uid = -1
  if (asUser) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    if (id.status !== 0) return { name: 'postgres', started: false, skip: 'PostgreSQL refuses to run as root and there is no "postgres" user to run it as' }
    uid = Number(id.stdout.trim())
  }
  const dataDir = statePath(`postgres-${POSTGRES_PORT}`)
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(dataDir, { recursive: true, force: true })
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const pwFile = statePath('postgres.pw')
    writeFileSync(pwFile, 'postgres\n')
    if (asUser) { chownSync(STATE_DIR, uid, -1); chownSync(dataDir, uid, -1); chownSync(pwFile, uid, -1) }
    const init = runPostgresTool(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync'], asUser)
    if (init.status !== 0) return { name: 'postgres', started: false, skip: `initdb failed: ${(init.stderr || init.stdout).trim().slice(-500)}` }
  }
  // Throwaway data: durability settings off, the socket kept in the data folder.
  const serverOptions = `-c listen_addresses=${HOST} -p ${POSTGRES_PORT} -c unix_socket_directories=${dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
  const start = runPostgresTool(join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-o', serverOptions, '-w', '-t', '30', 'start'], asUser)
  if (start.status !== 0 || !await waitFor(postgresAnswers, 10_000)) {
    return { name: 'postgres', started: false, skip: `PostgreSQL did not start: ${(start.stderr || start.stdout).trim().slice(-500)}` }
  }
  writeFileSync(statePath('postgres.json'), JSON.stringify({ binDir, dataDir, asUser }))
  return { name: 'postgres', url: POSTGRES_URL, started: true }
}

/**
 * Starts (or finds running) the named services.
 *
 * @param {Array<'redis' | 'postgres'>} names
 * @returns {Promise<Record<string, Service>>}
 */
export async function startServices (names) {
  /** @type {Record<string, Service>} */
  const services = {}
  for (const name of names) services[name] = name === 'redis' ? await startRedis() : await startPostgres()
  return services
}

/** Stops a service this module started (its state file says so); leaves others alone. */
export async function stopService (name) {
  if (name === 'redis') {
    const file = statePath('redis.pid')
    if (!existsSync(file)) return
    try { process.kill(Number(readFileSync(file, 'utf8')), 'SIGTERM') } catch {}
    rmSync(file, { force: true })
    await waitFor(async () => !await redisAnswers(), 5000)
    return
  }
  const file = statePath('postgres.json')
  if (!existsSync(file)) return
  const { binDir, dataDir, asUser } = JSON.parse(readFileSync(file, 'utf8'))
  runPostgresTool(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], asUser)
  rmSync(file, { force: true })
}

/** Stops every service that was started and returned by startServices(). */
export async function stopServices (services) {
  for (const service of Object.values(services)) {
    if (service.started) await stopService(service.name)
  }
}

/**
 * Runs SQL against the local PostgreSQL with psql (for suites that need a table to exist).
 *
 * @param {string} sql
 */
export function runSql (sql) {
  const psql = findBinary('psql', postgresBinDirs())
  if (psql === undefined) throw new Error('psql is not installed')
  const result = spawnSync(psql, ['-h', HOST, '-p', String(POSTGRES_PORT), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: 'postgres' }
  })
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr.trim()}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command = 'start', ...names] = process.argv.slice(2)
  const wanted = names.length > 0 ? names : ['redis', 'postgres']
  if (command === 'start') {
    let failed = false
    for (const service of Object.values(await startServices(wanted))) {
      if (service.skip !== undefined) { failed = true; console.error(`${service.name}: cannot start: ${service.skip}`) } else console.log(`${service.name}: ${service.url}${service.started ? ' (started)' : ' (already running)'}`)
    }
    process.exitCode = failed ? 1 : 0
  } else if (command === 'stop') {
    for (const name of wanted) await stopService(name)
  } else if (command === 'env') {
    console.log(`REDIS_URL=${REDIS_URL}\nDATABASE_URL=${POSTGRES_URL}`)
  } else {
    console.error('usage: services.js start|stop|env [redis] [postgres]')
    process.exitCode = 2
  }
}
