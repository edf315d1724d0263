// `npm run test:watch [-- test/a.test.ts ...]`: reruns tests when a file under lib/, types/ or
// test/ changes. With files named, those files run on every change; without, a changed test file
// reruns alone and any other change reruns the suite. Tests load through tsx, as `npx tap x.ts`
// does (.taprc), without coverage; `npm test` stays the full, measured run.
//
// Why not `tap repl`'s watcher: it picks the tests to rerun from the process info of the last
// run, and after `npm test` that names the transpiled copies in test-build/, which a change to a
// .ts file does not update. Why not `node --watch`: its child processes report their imports over
// the IPC channel tap also uses, which floods the test output.
import { spawn } from 'node:child_process'
import { watch } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const named = process.argv.slice(2)
const tap = join(root, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs')

let running = null
let pending = null

function run (files) {
  if (running !== null) {
    // One run at a time: changes made meanwhile are run once it ends.
    // An empty list means the whole suite, which covers any other list.
    if (pending === null) pending = files
    else if (files.length === 0 || pending.length === 0) pending = []
    else pending = [...new Set([...pending, ...files])]
    return
  }
  console.log(`\n[test:watch] tap ${files.join(' ') || '(all tests)'}`)
  running = spawn(process.execPath, [tap, ...files], { cwd: root, stdio: 'inherit' })
  running.on('exit', function onExit () {
    running = null
    console.log('[test:watch] waiting for changes (Ctrl-C to stop)')
    if (pending !== null) {
      const next = pending
      pending = null
      run(next)
    }
  })
}

let changed = new Set()
let timer = null
for (const dir of ['lib', 'types', 'test']) {
  watch(join(root, dir), { recursive: true }, function onChange (event, name) {
    // test/types/ holds tstyche's type tests, which `npm run test:types` checks.
    if (name === null || !/\.[cm]?[jt]s$/.test(name) || (dir === 'test' && name.startsWith('types/'))) return
    changed.add(relative(root, join(root, dir, name)))
    // Editors write a file in several steps: wait for the burst to end.
    clearTimeout(timer)
    timer = setTimeout(function flush () {
      const files = [...changed]
      changed = new Set()
      if (named.length > 0) run(named)
      else if (files.every(file => file.endsWith('.test.ts'))) run(files)
      else run([])
    }, 200)
  })
}

run(named)
