// Transpiles the TypeScript that the test suite runs (lib/, types/, test/, examples/) into
// test-build/, one file at a time, with source maps that point back at the .ts files.
//
// Why: loading each test file through a TypeScript loader made every tap process load the
// compiler and transpile all of lib/ again (most of `npm test`'s time). Transpiling once here
// and running plain JavaScript is several times faster, and because the emitted JavaScript keeps
// its lines, comments (`c8 ignore` hints) and tsc's own source maps, coverage is measured on the
// .ts sources exactly as before. Types are not checked here: `npm run build` checks lib/ and
// types/, tstyche checks test/types/.
//
// test-build/ mirrors the repository: next to each emitted .js file is a link to its .ts source,
// every other file and top-level entry (docs/, dist/, test/types/, package.json...) is a link
// too. So a path a test builds from its own location (`join(dirname(fileURLToPath(
// import.meta.url)), '..')`) finds the same files as in the repository, and TypeScript programs
// that a test compiles resolve lib/ to its .ts sources. Node runs the .js files.
//
// Files whose output is newer than their source are skipped, and outputs whose source is gone
// are deleted (a removed test must not keep running).
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'test-build')
const compiled = ['lib', 'types', 'test', 'examples']
// Directories with nothing to run: linked whole. test/types/ holds tstyche's type tests.
const linkedWhole = new Set([join(root, 'test', 'types')])

function walk (dir, files = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.name === 'node_modules') continue
    if (entry.isDirectory() && !linkedWhole.has(path)) walk(path, files)
    else files.push(path)
  }
  return files
}

function lstatExists (path) {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

function mtime (path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0
}

function link (target, path) {
  if (lstatExists(path)) return
  mkdirSync(dirname(path), { recursive: true })
  symlinkSync(relative(dirname(path), target), path)
}

// Any change to how files are emitted (this script, the compiler options) rebuilds everything.
const configTime = Math.max(mtime(fileURLToPath(import.meta.url)), mtime(join(root, 'tsconfig.json')))
const wanted = new Set()
const toEmit = []
for (const top of compiled) {
  if (!existsSync(join(root, top))) continue
  for (const src of walk(join(root, top))) {
    const mirror = join(out, relative(root, src))
    // A JavaScript file named like a test (a copied third-party suite) is not one of ours: the
    // suite runs test-build/test/**/*.test.js, which must be exactly the emitted test/*.test.ts.
    if (/\.test\.[cm]?js$/.test(src)) continue
    wanted.add(mirror)
    link(src, mirror)
    if (/\.[cm]?ts$/.test(src) && !src.endsWith('.d.ts') && !linkedWhole.has(src)) {
      const js = mirror.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs')
      wanted.add(js)
      wanted.add(js + '.map')
      if (mtime(js) < Math.max(mtime(src), configTime)) toEmit.push({ src, js })
    }
  }
}

// The rest of the repository, linked at the top level.
const notLinked = new Set([...compiled, 'test-build', 'node_modules'])
for (const entry of readdirSync(root)) {
  if (!notLinked.has(entry) && !entry.startsWith('.')) link(join(root, entry), join(out, entry))
}

// examples/ import 'velox' as an app does. Their own package (examples/package.json) installs it
// as file:.., but npm test does not install examples/; in the test build the name resolves to
// this repository instead (package.json's exports: dist/, built by npm test's first step).
link(root, join(out, 'node_modules', 'velox'))
// Every installed package is linked next to it, so that a path a test builds to a package's file
// (`new URL('../node_modules/fastify/package.json', import.meta.url)`) finds it here too.
for (const entry of readdirSync(join(root, 'node_modules'))) {
  if (entry !== 'velox' && !entry.startsWith('.')) link(join(root, 'node_modules', entry), join(out, 'node_modules', entry))
}

// Outputs and links whose source was deleted or renamed.
for (const top of compiled) {
  const dir = join(out, top)
  if (!existsSync(dir)) continue
  for (const file of walk(dir)) {
    if (!wanted.has(file)) rmSync(file)
  }
}

if (toEmit.length > 0) {
  // Loaded only when something changed: the compiler is most of this script's cost.
  const { default: ts } = await import('typescript')
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic (diagnostic) {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
    }
  })
  const compilerOptions = {
    ...config.options,
    // Every file here is an ES module ("type": "module"); transpiling one file alone cannot
    // look that up, so say it.
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    sourceMap: true,
    inlineSourceMap: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false
  }
  for (const { src, js } of toEmit) {
    const result = ts.transpileModule(readFileSync(src, 'utf8'), { compilerOptions, fileName: src, reportDiagnostics: false })
    const name = js.slice(dirname(js).length + 1)
    const map = JSON.parse(result.sourceMapText)
    map.file = name
    map.sourceRoot = ''
    map.sources = [relative(dirname(js), src)]
    const code = result.outputText.replace(/\/\/# sourceMappingURL=\S+\s*$/, '') + `//# sourceMappingURL=${name}.map\n`
    // An output path may still hold a link from a build made when the source tree had a
    // JavaScript file there (examples/app.js before the examples became TypeScript): writing
    // through it would put the output into the repository.
    for (const path of [js, js + '.map']) {
      if (lstatExists(path) && lstatSync(path).isSymbolicLink()) rmSync(path)
    }
    writeFileSync(js + '.map', JSON.stringify(map))
    writeFileSync(js, code)
  }
}

// What tap runs: test-build/run/, one entry per test process. Each process costs about a CPU-second
// before its first assertion (tap itself, and on Node 20 @tapjs/processinfo's module loader
// thread, which records every loaded file for coverage), and loading lib/ again: for 64 files
// that was a third of the suite's CPU time. So the test files that need no process of their own
// share four, each importing its files in turn (every file's subtests run on tap's root test, in
// order, as they would alone; a failure's `at:` names the .ts file). These stay alone, because
// their work is large (spread over tap's jobs) or they set process-wide state: each spawns the CLI,
// runs a browser or npm pack, listens for unhandled rejections, or wraps net.Socket's writes
// before it loads lib/ (coalesce-writes). The three that type-check with the compiler API share
// one process of their own: there the compiler's code is already optimized for the second and
// third (a cold compiler is most of a first program's time), and test/typescript-host.ts hands
// them the SourceFiles of lib.*.d.ts, @types/node and lib/ parsed once (in separate processes:
// 30.9 CPU-s; sharing one, without and with the shared SourceFiles: 23.4, 19.8 CPU-s).
//
// tap runs as many entries at a time as there are cores (package.json's test:unit: its own
// default leaves one core free, which on a 2-core machine ran the entries one by one), and starts
// them in name order. So the entries are numbered here, most CPU time first (measured under
// npm test, in CPU-s: typescript 28, cluster 14, the shared groups 11.5, 8.6, 8.1 and 5.6,
// openapi-browser 8, cli-start 7, package 6, cli 5, hostile-input 4, import-cycles and
// coalesce-writes 2 or 3): the long ones start first, and short ones fill the cores at the end
// rather than one long one running alone. `shared` stands for the next of the shared processes.
const entries = [
  ['typescript', 'docs-snippets', 'type-errors', 'cli-client'], 'cluster', 'shared', 'shared', 'shared',
  'openapi-browser', 'cli-start', 'package', 'shared', 'cli', 'hostile-input', 'import-cycles', 'coalesce-writes'
]
const alone = entries.filter((entry) => entry !== 'shared')
const groups = entries.length - alone.length
const runDir = join(out, 'run')
rmSync(runDir, { recursive: true, force: true })
mkdirSync(runDir)
const tests = readdirSync(join(out, 'test')).filter((name) => name.endsWith('.test.js')).sort()
const own = new Set(alone.flatMap((entry) => Array.isArray(entry) ? entry.slice(1) : [entry]))
const shared = tests.filter((name) => !own.has(name.slice(0, -'.test.js'.length)))

/** A test file that runs `members` (test file names) one after another in one process. */
function writeGroup (path, members) {
  writeFileSync(path, [
    '// Written by scripts/build-tests.mjs: these test files share one process (see there why).',
    "import t from 'tap'",
    // The node processes that tests start (the CLI, a server, npm) run dist/, the bundle, whose
    // coverage the report leaves out (.taprc: coverage-exclude), or npm: recording their
    // coverage only cost each of them time. @tapjs/processinfo passes this variable on to each
    // child as it is here, and it starts no coverage session where it is 0. This process's own
    // session started before this line.
    "process.env._TAPJS_PROCESSINFO_COVERAGE_ = '0'",
    // tap's per-file time limit, for each file of the group.
    `t.setTimeout(${members.length} * (Number(process.env.TAP_TIMEOUT) || 30) * 1000)`,
    ...members.map((name) => `await import('../test/${name}')`),
    ''
  ].join('\n'))
}

let group = 0
entries.forEach((entry, i) => {
  const prefix = String(i + 1).padStart(2, '0')
  if (entry === 'shared') {
    group++
    writeGroup(join(runDir, `${prefix}-shared-${group}.test.js`), shared.filter((_, i) => i % groups === group - 1))
    return
  }
  const [name, ...members] = Array.isArray(entry) ? entry : [entry, entry]
  const files = members.map((member) => `${member}.test.js`).filter((file) => tests.includes(file))
  if (files.length > 0) writeGroup(join(runDir, `${prefix}-${name}.test.js`), files)
})
console.log(`test-build: ${toEmit.length} file(s) transpiled, ${tests.length} test files in ${entries.length} processes`)
