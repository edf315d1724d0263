// Child processes of the benchmark tools: spawning pinned to a core, waiting for a server's
// ready line, reading a process's CPU time, and killing everything we started on the way out.
import { spawn, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

// Error lines name files relative to the repository, to keep report cells short.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

const children = new Set()

function hasTaskset () {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export const tasksetAvailable = process.platform === 'linux' && hasTaskset()

/**
 * Spawns `command args` on `core` (with taskset, which execs the command, so the child's pid is
 * the command's own pid) and remembers it so that `killAll()` can end it.
 * `core` null or taskset missing: not pinned.
 */
export function spawnPinned (core, command, args, options = {}) {
  const pinned = core !== null && tasksetAvailable
  const child = pinned
    ? spawn('taskset', ['-c', String(core), command, ...args], options)
    : spawn(command, args, options)
  children.add(child)
  child.once('exit', function forget () { children.delete(child) })
  return child
}

/** Moves this process (all its threads) to `core`, so the tools stay off the server's core. */
export function pinSelf (core) {
  if (!tasksetAvailable) return false
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' })
  return true
}

/** Ends a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function kill (child, graceMs = 2000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(function forceKill () { child.kill('SIGKILL') }, graceMs)
  await exited
  clearTimeout(timer)
}

/** Synchronous last resort for exit paths: SIGKILL every child still running. */
export function killAllSync () {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}

export async function killAll () {
  await Promise.all([...children].map((child) => kill(child)))
}

/**
 * Kills every child on SIGINT/SIGTERM, uncaught errors and exit. Call once from a tool's main
 * module.
 */
export function cleanupOnExit () {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, function onSignal () {
      console.error(`\n${signal}: stopping child processes`)
      killAllSync()
      process.exit(130)
    })
  }
  process.once('uncaughtException', function onError (err) {
    console.error(err)
    killAllSync()
    process.exit(1)
  })
  process.once('unhandledRejection', function onRejection (err) {
    console.error(err)
    killAllSync()
    process.exit(1)
  })
  process.once('exit', killAllSync)
}

/**
 * Collects a child's stdout lines and stderr tail; `nextJsonLine()` resolves with the next
 * stdout line that parses as JSON, or rejects when the child exits or `timeoutMs` passes.
 */
export function watchOutput (child) {
  const lines = []
  const waiters = []
  let stderr = ''
  let buffered = ''
  let ended = null
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', function onStdout (chunk) {
    buffered += chunk
    let newline
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      let value
      try { value = JSON.parse(line) } catch { continue }
      const waiter = waiters.shift()
      if (waiter) waiter.resolve(value)
      else lines.push(value)
    }
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', function onStderr (chunk) {
    stderr = (stderr + chunk).slice(-4000)
  })
  child.once('exit', function onExit (code, signal) {
    ended = new Error(`exited (${signal ?? `code ${code}`}) ${lastError(stderr)}`.trim())
    for (const waiter of waiters.splice(0)) waiter.reject(ended)
  })
  return {
    stderr: () => stderr,
    nextJsonLine (timeoutMs) {
      if (lines.length > 0) return Promise.resolve(lines.shift())
      if (ended !== null) return Promise.reject(ended)
      return new Promise(function waitLine (resolve, reject) {
        const waiter = { resolve, reject }
        const timer = setTimeout(function timedOut () {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error(`no ready line after ${timeoutMs} ms ${lastError(stderr)}`.trim()))
        }, timeoutMs)
        waiter.resolve = (value) => { clearTimeout(timer); resolve(value) }
        waiter.reject = (err) => { clearTimeout(timer); reject(err) }
        waiters.push(waiter)
      })
    }
  }
}

// The line of a stderr dump that says what went wrong, e.g. "Error [ERR_MODULE_NOT_FOUND]: ...".
function lastError (stderr) {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean)
  const error = lines.find((line) => /^\w*Error\b|^Error \[|^\w+Error:/.test(line))
  return (error ?? lines.at(-1) ?? '').replaceAll('file://', '').replaceAll(repoRoot, '').slice(0, 300)
}

let clockTicks = null

/** Clock ticks per second of /proc times (`getconf CLK_TCK`). */
export function clockTicksPerSecond () {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    } catch {
      clockTicks = 100
    }
  }
  return clockTicks
}

/**
 * CPU seconds (user + system, all threads) that process `pid` has used so far, from fields 14
 * and 15 of /proc/<pid>/stat (proc(5)); null where there is no /proc.
 */
export function cpuSeconds (pid) {
  let stat
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) / clockTicksPerSecond()
}

export { sleep }
