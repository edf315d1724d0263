/**
 * Lays out a temporary folder in which Fastify's own test suite runs unchanged:
 *
 *   <dir>/fastify/            a package named `fastify`, Fastify 5's package.json
 *     fastify.js              target 'velox': Velox in Fastify's CommonJS shape (shim/fastify.cjs)
 *                             target 'fastify': Fastify's own entry (the reference run)
 *     lib/                    Fastify's lib/, so that files which import an internal module still
 *                             load (the tests that use one are in exclusions.json); for Velox,
 *                             lib/errors.js is Velox's public `errorCodes`, and lib/request.js and
 *                             lib/reply.js answer `instanceof` for Velox's request and reply
 *     test/                   a copy of node_modules/fastify/test (a copy, not a link: Node would
 *                             resolve a linked test file's `require('..')` to the real Fastify)
 *   <dir>/node_modules/       links to the repository's packages, overlaid by this folder's own
 *                             (Fastify's devDependencies), with `fastify` pointing at <dir>/fastify
 */
import fs from 'node:fs'
import path from 'node:path'

const here = path.dirname(new URL(import.meta.url).pathname)
export const repoRoot = path.resolve(here, '../..')
export const realFastify = path.join(repoRoot, 'node_modules/fastify')

/** Links every package of `modulesDir` into `target`, merging scope folders (`@scope/name`). */
function linkPackages (modulesDir, target) {
  if (!fs.existsSync(modulesDir)) return
  for (const entry of fs.readdirSync(modulesDir)) {
    if (entry.startsWith('.') || entry === 'fastify') continue
    const from = path.join(modulesDir, entry)
    const to = path.join(target, entry)
    if (entry.startsWith('@')) {
      if (fs.existsSync(to) && fs.lstatSync(to).isSymbolicLink()) fs.unlinkSync(to)
      fs.mkdirSync(to, { recursive: true })
      linkPackages(from, to)
      continue
    }
    fs.rmSync(to, { recursive: true, force: true })
    fs.symlinkSync(from, to)
  }
}

/**
 * @param {{ dir: string, target: 'velox' | 'fastify' }} options
 * @returns {string} the folder holding the copied tests
 */
export function buildSandbox ({ dir, target }) {
  fs.rmSync(dir, { recursive: true, force: true })
  const pkg = path.join(dir, 'fastify')
  fs.mkdirSync(pkg, { recursive: true })
  fs.copyFileSync(path.join(realFastify, 'package.json'), path.join(pkg, 'package.json'))
  fs.cpSync(path.join(realFastify, 'lib'), path.join(pkg, 'lib'), { recursive: true })
  fs.cpSync(path.join(realFastify, 'test'), path.join(pkg, 'test'), { recursive: true })
  if (fs.existsSync(path.join(realFastify, 'node_modules'))) {
    fs.symlinkSync(path.join(realFastify, 'node_modules'), path.join(pkg, 'node_modules'))
  }

  if (target === 'fastify') {
    fs.copyFileSync(path.join(realFastify, 'fastify.js'), path.join(pkg, 'fastify.js'))
  } else {
    const dist = path.join(repoRoot, JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).main)
    if (!fs.existsSync(dist)) throw new Error('dist/ is missing: run `npm run build` first')
    const fill = (file, words = {}) => Object.entries({ __VELOX_DIST__: JSON.stringify(dist), ...words })
      .reduce((text, [word, value]) => text.replaceAll(word, value), fs.readFileSync(path.join(here, 'shim', file), 'utf8'))
    fs.writeFileSync(path.join(pkg, 'fastify.js'), fill('fastify.cjs'))
    fs.writeFileSync(path.join(pkg, 'lib/errors.js'), fill('errors.cjs'))
    fs.writeFileSync(path.join(pkg, 'lib/request.js'), fill('instance-check.cjs', { __CLASS__: 'Request', __MODULE__: 'request' }))
    fs.writeFileSync(path.join(pkg, 'lib/reply.js'), fill('instance-check.cjs', { __CLASS__: 'Reply', __MODULE__: 'reply' }))
  }

  const modules = path.join(dir, 'node_modules')
  fs.mkdirSync(modules)
  linkPackages(path.join(repoRoot, 'node_modules'), modules)
  linkPackages(path.join(here, 'node_modules'), modules)
  fs.symlinkSync(pkg, path.join(modules, 'fastify'))
  return path.join(pkg, 'test')
}

/**
 * Turns the excluded tests marked `hangs` into skipped ones in the copied files. Such a test
 * rewires Fastify's own modules (proxyquire) and waits for something only those modules do, so
 * against Velox it never ends and takes the tests after it in its file down with it. Excluded
 * tests never count; skipping them only lets the rest of the file run.
 */
export function skipHangingTests (testDir, exclusions) {
  for (const entry of exclusions) {
    if (entry.hangs !== true || entry.test === undefined) continue
    const file = path.join(testDir, entry.file)
    const name = entry.test.split(' > ').at(-1)
    const source = fs.readFileSync(file, 'utf8')
    const quoted = [`'${name.replaceAll("'", "\\'")}'`, `"${name}"`, `\`${name}\``]
    let out = source
    for (const literal of quoted) {
      // `{ skip }` works for top-level tests and for subtests (t.test) alike.
      out = out.replaceAll(`test(${literal},`, `test(${literal}, { skip: 'hangs against Velox' },`)
    }
    if (out === source) throw new Error(`exclusions.json: cannot find the hanging test "${entry.test}" in ${entry.file}`)
    fs.writeFileSync(file, out)
  }
}

/** Every test file borp would run in Fastify's repository (`test/**\/*.test.{js,mjs}`), relative. */
export function listTestFiles (testDir) {
  const files = []
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(testDir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) walk(child)
      else if (/\.test\.m?js$/.test(entry.name)) files.push(child)
    }
  }
  walk('')
  return files.sort()
}
