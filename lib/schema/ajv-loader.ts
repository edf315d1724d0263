/**
 * Loads Ajv and ajv-formats from node_modules as `require()` does, minus the resolution.
 *
 * Loading Ajv reads 66 files, and Node resolves each relative `require()` in them on the way:
 * a stat per extension tried, a package.json lookup per directory. On a cold start that is
 * about half of Ajv's ~50 ms. Which file each of those requests loads is fixed by the package
 * version, so scripts/generate-ajv-files.js records it (ajv-files.generated.ts) and this loader
 * reads and compiles the same files without asking.
 *
 * Nothing is bundled or copied: every file is the installed one, compiled by Node's own
 * `Module.prototype._compile` and registered in `require.cache` under the file name Node would
 * give it, so a later `require('ajv')` or `require('ajv/dist/compile/codegen')` (ajv-formats,
 * an Ajv plugin of the app's) gets the same module objects, and Ajv's `instanceof` checks on
 * its code-generation classes hold. Requests the table does not know (other packages, such as
 * fast-uri) go through the module's ordinary `require`. Whenever the installed version is not
 * the recorded one, or anything is unexpected, it falls back to plain `require()`.
 */
import Module from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, sep } from 'node:path'
import { ajvFiles } from './ajv-files.generated.js'

/** The parts of Node's Module class this relies on (public in all but name since Node 0.x; checked before use). */
interface NodeModule {
  filename: string
  paths: string[]
  loaded: boolean
  exports: unknown
  require: (request: string) => unknown
  _compile: (source: string, filename: string) => void
}
interface ModuleClass {
  new (id: string, parent?: unknown): NodeModule
  prototype: NodeModule
  _nodeModulePaths: (dir: string) => string[]
}

/**
 * `require(name)` for 'ajv' or 'ajv-formats' through the recorded requests, else plain `require`.
 *
 * @example
 * const Ajv = requirePackage(createRequire(import.meta.url), 'ajv').default
 */
export function requirePackage (require: NodeJS.Require, name: string): any {
  const entry = ajvFiles[name]
  const NodeModuleClass = Module as unknown as ModuleClass
  if (entry === undefined || typeof NodeModuleClass.prototype._compile !== 'function' || typeof NodeModuleClass._nodeModulePaths !== 'function') {
    return require(name)
  }
  const local = (file: string): string => sep === '/' ? file : file.split('/').join(sep)
  let main: string
  try {
    main = require.resolve(name)
  } catch {
    return require(name)
  }
  const mainFile = local(entry.main)
  const cached = require.cache[main]
  if (cached !== undefined || !main.endsWith(sep + mainFile)) return cached?.exports ?? require(name)
  const root = main.slice(0, main.length - mainFile.length)
  try {
    if ((JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { version?: unknown }).version !== entry.version) return require(name)
  } catch {
    return require(name)
  }

  const added: string[] = []
  const load = (file: string, parent: unknown): unknown => {
    const filename = root + local(file)
    const known = require.cache[filename]
    if (known !== undefined) return known.exports
    const mod = new NodeModuleClass(filename, parent)
    mod.filename = filename
    mod.paths = NodeModuleClass._nodeModulePaths(dirname(filename))
    // In the cache before it runs, as Node does: Ajv's modules require each other in cycles.
    require.cache[filename] = mod as unknown as NodeJS.Module
    added.push(filename)
    const requests = entry.files[file]
    if (requests !== undefined) {
      // The function Node gives the module's code as `require` calls `mod.require`.
      mod.require = (request: string) => {
        const target = requests[request]
        return target !== undefined ? load(target, mod) : NodeModuleClass.prototype.require.call(mod, request)
      }
    }
    const source = readFileSync(filename, 'utf8')
    if (filename.endsWith('.json')) mod.exports = JSON.parse(source)
    else mod._compile(source, filename)
    mod.loaded = true
    return mod.exports
  }
  try {
    return load(entry.main, null)
  } catch {
    // Leave nothing half-loaded behind; plain require() then loads it, or throws its own error.
    for (const filename of added) delete require.cache[filename]
    return require(name)
  }
}
