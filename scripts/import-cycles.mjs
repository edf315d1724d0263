// Import cycles among lib/'s modules.
//
// A module in a cycle cannot be read, tested or loaded without all the others in it, and at run
// time a cycle means one of its modules runs before the bindings it imports are initialised.
// `npm test` fails on any cycle of runtime imports (test/import-cycles.test.ts); imports of
// types only are erased when TypeScript emits JavaScript, so they are listed, not failed.
//
//   node scripts/import-cycles.mjs           runtime cycles (exit code 1 if there are any)
//   node scripts/import-cycles.mjs --types   cycles when imports of types count too
//
// The runtime graph is read from what TypeScript emits for each file (transpileModule, as the
// build does): an import whose names are used only as types is gone from that output, exactly as
// it is gone from the JavaScript Node runs. In the test build (test-build/lib, where `npm test`
// runs this) that output is already there, next to each source: it is read instead of emitted
// again (most of this check's time).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

function sourceFiles (dir, files = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) sourceFiles(path, files)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path)
  }
  return files
}

/** The lib/ files a source text imports (`./x.js` names the `./x.ts` source). */
function importsOf (file, text, known) {
  const found = new Set()
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!fileName.startsWith('.')) continue
    const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts')
    if (known.has(target)) found.add(target)
  }
  return found
}

/**
 * The import graph of every .ts file under `<root>/lib`: file → files it imports, either at run
 * time only (`types: false`) or counting imports of types (`types: true`).
 */
export function importGraph ({ root = defaultRoot, types = false } = {}) {
  const files = sourceFiles(join(root, 'lib'))
  const known = new Set(files)
  const graph = new Map()
  for (const file of files) {
    let text = readFileSync(file, 'utf8')
    const emitted = file.replace(/\.ts$/, '.js')
    if (!types && existsSync(emitted) && statSync(emitted).mtimeMs >= statSync(file).mtimeMs) {
      text = readFileSync(emitted, 'utf8')
    } else if (!types) {
      text = ts.transpileModule(text, {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false }
      }).outputText
    }
    graph.set(file, importsOf(file, text, known))
  }
  return graph
}

/**
 * The cycles of a graph: its strongly connected components with more than one file (or one file
 * importing itself), each sorted, largest first. Tarjan's algorithm.
 */
export function cyclesOf (graph) {
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const cycles = []
  let next = 0
  const visit = (file) => {
    index.set(file, next)
    low.set(file, next)
    next++
    stack.push(file)
    onStack.add(file)
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(file, Math.min(low.get(file), low.get(target)))
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)))
      }
    }
    if (low.get(file) !== index.get(file)) return
    const component = []
    let member
    do {
      member = stack.pop()
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    if (component.length > 1 || graph.get(file)?.has(file)) cycles.push(component.sort())
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return cycles.sort((a, b) => b.length - a.length)
}

/** One path around a cycle, for the message: a → b → … → a. */
export function loopThrough (graph, cycle) {
  const members = new Set(cycle)
  const start = cycle[0]
  const previous = new Map([[start, null]])
  const queue = [start]
  while (queue.length > 0) {
    const file = queue.shift()
    for (const target of graph.get(file) ?? []) {
      if (!members.has(target)) continue
      if (target === start) {
        const path = []
        for (let at = file; at !== null; at = previous.get(at)) path.unshift(at)
        return path
      }
      if (!previous.has(target)) {
        previous.set(target, file)
        queue.push(target)
      }
    }
  }
  return cycle
}

/* c8 ignore start: the command line; test/import-cycles.test.ts calls the functions above */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const types = process.argv.includes('--types')
  const graph = importGraph({ types })
  const cycles = cyclesOf(graph)
  const name = (file) => relative(defaultRoot, file)
  for (const cycle of cycles) {
    console.log(`${cycle.length} modules: ${cycle.map(name).join(', ')}`)
    console.log(`  for example ${[...loopThrough(graph, cycle), cycle[0]].map(name).join(' → ')}`)
  }
  console.log(`${cycles.length} ${types ? 'cycles counting imports of types' : 'runtime import cycles'} in lib/`)
  if (!types && cycles.length > 0) process.exitCode = 1
}
/* c8 ignore stop */
