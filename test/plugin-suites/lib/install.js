// Installs one plugin, as published on npm, with what its own tests need, into the cache folder,
// once per version: `npm pack` fetches the tarball (which ships the test files), npm installs its
// dependencies and devDependencies next to it, minus the lint, type-check, coverage and benchmark
// tools the unit tests never load and minus `fastify` itself, which the runner points at either
// real Fastify or Velox for each run.

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile, rename, readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MARKER = '.velox-suite.json'
const dispatcher = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fastify-dispatch.cjs'), 'utf8')

/**
 * Runs a command, collecting its output; rejects with that output when it fails.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, timeoutMs?: number }} options
 * @returns {Promise<string>}
 */
export function exec (command, args, { cwd, timeoutMs = 10 * 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } })
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    child.stderr.on('data', (chunk) => { output += chunk })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (err) => { clearTimeout(timer); reject(err) })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}) in ${cwd}:\n${output.slice(-4000)}`))
    })
  })
}

/** The folder a plugin version lives in inside the cache. */
export function pluginDir (cacheDir, plugin) {
  return join(cacheDir, `${plugin.name.replace('/', '+')}@${plugin.version}`)
}

/** What the install depends on: a change to any of it installs the plugin again. */
function installKey (plugin, dropped) {
  return createHash('sha256').update(JSON.stringify({ name: plugin.name, version: plugin.version, dropped, mkdir: plugin.mkdir })).digest('hex').slice(0, 16)
}

/**
 * Makes sure the plugin is unpacked and its dependencies installed; reuses an earlier install.
 *
 * @param {string} cacheDir
 * @param {{ name: string, version: string, drop?: string[] }} plugin
 * @param {string[]} globalDrop devDependencies never installed
 * @returns {Promise<{ dir: string, installed: boolean }>}
 */
export async function installPlugin (cacheDir, plugin, globalDrop) {
  const dir = pluginDir(cacheDir, plugin)
  const dropped = [...globalDrop, ...(plugin.drop ?? [])]
  const key = installKey(plugin, dropped)
  try {
    const marker = JSON.parse(await readFile(join(dir, MARKER), 'utf8'))
    if (marker.key === key) {
      await writeStandIn(dir)
      return { dir, installed: false }
    }
  } catch {}

  const work = `${dir}.partial-${process.pid}`
  await rm(work, { recursive: true, force: true })
  await mkdir(work, { recursive: true })
  const packed = await exec('npm', ['pack', `${plugin.name}@${plugin.version}`, '--silent', '--pack-destination', work], { cwd: work })
  const tarball = packed.trim().split('\n').pop()
  await exec('tar', ['xzf', tarball, '--strip-components=1'], { cwd: work })
  await rm(join(work, tarball))

  const pkgPath = join(work, 'package.json')
  const pkg = JSON.parse(await readFile(pkgPath, 'utf8'))
  for (const name of Object.keys(pkg.devDependencies ?? {})) {
    if (dropped.includes(name) || name.startsWith('@types/')) delete pkg.devDependencies[name]
  }
  // Lifecycle scripts stay out of it: the tests need the published files, not a build.
  delete pkg.scripts
  await writeFile(pkgPath, JSON.stringify(pkg, null, 2))
  await exec('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', '--legacy-peer-deps'], { cwd: work })
  await rm(join(work, 'node_modules', 'fastify'), { recursive: true, force: true })
  await writeStandIn(work)
  // Empty folders the tests expect: npm packs no empty folder.
  for (const folder of plugin.mkdir ?? []) await mkdir(join(work, folder), { recursive: true })

  await writeFile(join(work, MARKER), JSON.stringify({ key, name: plugin.name, version: plugin.version, dropped }, null, 2))
  await rm(dir, { recursive: true, force: true })
  await rename(work, dir)
  return { dir, installed: true }
}

/**
 * `fastify` in the plugin's node_modules is the runner's: a stand-in that loads real Fastify or
 * Velox, whichever the run is for (it replaces any copy a dependency peering on fastify brought).
 */
async function writeStandIn (dir) {
  const stand = join(dir, 'node_modules', 'fastify')
  try {
    if (await readFile(join(stand, 'index.js'), 'utf8') === dispatcher) return
  } catch {}
  await rm(stand, { recursive: true, force: true })
  await mkdir(stand, { recursive: true })
  await writeFile(join(stand, 'package.json'), JSON.stringify({ name: 'fastify', private: true, main: 'index.js' }, null, 2))
  await writeFile(join(stand, 'index.js'), dispatcher)
}

/** Removes leftovers of installs that were interrupted (their process is gone). */
export async function cleanPartials (cacheDir) {
  if (!existsSync(cacheDir)) return
  for (const name of await readdir(cacheDir)) {
    const match = /\.partial-(\d+)$/.exec(name)
    if (match === null) continue
    try {
      process.kill(Number(match[1]), 0)
      continue // still installing
    } catch {}
    await rm(join(cacheDir, name), { recursive: true, force: true })
  }
}
