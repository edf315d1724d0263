// Which files a plugin's own test runner would run, so the runner can run them one by one (each
// file gets its own timeout) and the count matches what `npm test` runs in the plugin's repo.

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** Every file under `dir` (relative paths, `/`-separated), skipping node_modules and dot-folders. */
function walk (dir, root = dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || (entry.isDirectory() && entry.name.startsWith('.'))) continue
    const full = join(dir, entry.name)
    if (entry.isDirectory()) walk(full, root, out)
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'))
  }
  return out
}

/**
 * Turns a glob (`*`, `**`, `{a,b}`, `?`) into a regular expression over `/`-separated paths.
 *
 * @param {string} glob
 */
export function globToRegExp (glob) {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches anything.
      if (glob[i + 2] === '/') { source += '(?:.*/)?'; i += 2 } else { source += '.*'; i += 1 }
    } else if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else if (c === '{') {
      const end = glob.indexOf('}', i)
      source += `(?:${glob.slice(i + 1, end).split(',').map((part) => part.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`
      i = end
    } else source += c.replace(/[.+^$()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

// node --test without arguments (Node 20): every .js/.cjs/.mjs file in a folder named `test`, and
// files named test.js, test-*.js, *.test.js, *-test.js or *_test.js anywhere.
const NODE_TEST_DEFAULT = /(?:^|\/)(?:test\/.+|test|test-[^/]+|[^/]+[._-]test)\.[cm]?js$/

/** Reads the `files:` list of a .borp.yaml (the only key the plugins use). */
function borpFiles (dir) {
  for (const name of ['.borp.yaml', '.borp.yml']) {
    const file = join(dir, name)
    if (!existsSync(file)) continue
    const files = []
    let inFiles = false
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^files:\s*$/.test(line)) { inFiles = true; continue }
      if (inFiles && /^\s+-\s+/.test(line)) files.push(line.replace(/^\s+-\s+/, '').trim().replace(/^['"]|['"]$/g, ''))
      else if (/^\S/.test(line)) inFiles = false
    }
    if (files.length > 0) return files
  }
  return ['**/*.test.{js,mjs,cjs,ts,mts,cts}']
}

/**
 * Lists the test files of an installed plugin, as its runner would pick them.
 *
 * @param {string} dir the plugin's folder
 * @param {{ runner?: string, files?: string[] }} plugin
 * @returns {string[]} paths relative to `dir`, sorted
 */
export function discoverTestFiles (dir, plugin) {
  const all = walk(dir)
  let match
  if (plugin.files !== undefined) {
    const patterns = plugin.files.map(globToRegExp)
    match = (file) => patterns.some((re) => re.test(file))
  } else if (plugin.runner === 'borp') {
    const globs = borpFiles(dir)
    const include = globs.filter((g) => !g.startsWith('!')).map(globToRegExp)
    const exclude = globs.filter((g) => g.startsWith('!')).map((g) => globToRegExp(g.slice(1)))
    match = (file) => include.some((re) => re.test(file)) && !exclude.some((re) => re.test(file))
  } else {
    match = (file) => NODE_TEST_DEFAULT.test(file)
  }
  return all.filter(match).sort()
}
