// Installs the benchmarks' own packages (benchmarks/package.json: the peers Fastify, Express and
// Hono, autocannon, clinic) into benchmarks/node_modules, the first time and again whenever
// benchmarks/package-lock.json changes. They are not devDependencies of the
// library, so `npm ci` for Velox itself stays lean. `npm run bench`, `bench:startup` and
// `profile` run this first; run it yourself (`npm run bench:install`) before calling a
// benchmark script with node directly.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
// The lockfile's hash, written after each install: a different lockfile means a new install.
const stamp = path.join(here, 'node_modules', '.velox-installed')
const hash = createHash('sha256').update(readFileSync(path.join(here, 'package-lock.json'))).digest('hex')

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  console.error('installing the benchmarks\' packages (benchmarks/package.json)...')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const { status } = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' })
  if (status !== 0) {
    console.error('npm ci in benchmarks/ failed')
    process.exit(status ?? 1)
  }
  writeFileSync(stamp, hash)
}
