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
// Files whose output is newer than their source are skipped, outputs whose source is gone are
// deleted (a removed test must not keep running), and every other top-level entry of the repo
// (docs/, dist/, package.json...) is linked into test-build/, so paths a test builds relative
// to its own file (`new URL('../docs/x.md', import.meta.url)`) resolve as they do in test/.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'test-build')
const compiled = ['lib', 'types', 'test', 'examples']
// test/types/ holds tstyche's type tests: they are checked, never run.
const skipped = new Set([join(root, 'test', 'types')])
const notLinked = new Set([...compiled, 'test-build', 'node_modules', '.git'])

function walk (dir, files = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (!entry.isDirectory()) files.push(path)
    else if (!skipped.has(path) && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path, files)
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

// Any change to how files are emitted (this script, the compiler options) rebuilds everything.
const configTime = Math.max(mtime(fileURLToPath(import.meta.url)), mtime(join(root, 'tsconfig.json')))
const wanted = new Set()
const toEmit = []
for (const top of compiled) {
  if (!existsSync(join(root, top))) continue
  for (const src of walk(join(root, top))) {
    const rel = relative(root, src)
    if (/\.[cm]?ts$/.test(src) && !src.endsWith('.d.ts')) {
      const js = join(out, rel.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs'))
      wanted.add(js)
      wanted.add(js + '.map')
      if (mtime(js) < Math.max(mtime(src), configTime)) toEmit.push({ src, js })
    } else {
      // JavaScript and data files next to the tests (examples/app.js, fixtures) are linked, so
      // that their own relative imports resolve from where they really are.
      const link = join(out, rel)
      wanted.add(link)
      if (!lstatExists(link)) {
        mkdirSync(dirname(link), { recursive: true })
        symlinkSync(relative(dirname(link), src), link)
      }
    }
  }
}

for (const entry of readdirSync(root)) {
  if (notLinked.has(entry) || entry.startsWith('.')) continue
  const link = join(out, entry)
  mkdirSync(out, { recursive: true })
  if (!lstatExists(link)) symlinkSync(join('..', entry), link)
}

// Outputs whose source was deleted or renamed.
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
    const map = JSON.parse(result.sourceMapText)
    map.file = js.slice(dirname(js).length + 1)
    map.sourceRoot = ''
    map.sources = [relative(dirname(js), src)]
    mkdirSync(dirname(js), { recursive: true })
    const name = js.slice(dirname(js).length + 1)
    const code = result.outputText.replace(/\/\/# sourceMappingURL=\S+\s*$/, '') + `//# sourceMappingURL=${name}.map\n`
    writeFileSync(js + '.map', JSON.stringify(map))
    writeFileSync(js, code)
  }
}
console.log(`test-build: ${toEmit.length} file(s) transpiled`)
