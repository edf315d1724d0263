/**
 * The file `velox build` writes: every route's validator and serializer as standalone code,
 * for an app to load at start instead of compiling (the `schemaBuild` option).
 *
 * Ajv's standalone output repeats itself: each small schema becomes a couple of kilobytes of
 * code that differs from its neighbours by a few names. The file keeps that code in blocks of
 * about a hundred entries, each block compressed with Brotli, behind an index of the entries'
 * keys: 10,000 routes with their own small body and response schemas take a file about the
 * size of the schemas' own JSON, instead of ~70 MB of code. Starting reads the file and parses
 * the index only; a block is decompressed, and an entry's code compiled, when a route first
 * needs it, so the start does not grow with the code the app has.
 *
 * Entries are keyed as in the schema cache (code-cache.ts): a hash of the schema, the shared
 * schemas and compiler options, and the compiler's version. An entry that is missing (the
 * schema changed since the build) is compiled as usual.
 *
 * Code shared between validators is written once: Ajv names every compiled schema and helper
 * in one scope per Ajv instance, and a shared schema that a route's validator references (one
 * too large or recursive for Ajv to inline) is compiled once. Each entry's code is a chunk that
 * defines some of those names and imports the ones earlier chunks defined, so loading one
 * route loads exactly the chunks it needs.
 *
 * Layout: the line `velox-schemas 1`, a line with the byte length of the index, the index
 * (JSON), then the blocks (Brotli-compressed JSON arrays of chunk sources).
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

const magic = 'velox-schemas 1\n'
/** Raw bytes of chunk source per block before it is closed: small enough to decompress in about a millisecond. */
const blockBytes = 256 * 1024

/** One chunk in the index: [block, position in block, kind, names it defines, names it imports as [chunk, index of the name]]. */
type ChunkRecord = [number, number, 'v' | 's', string[], Array<[number, number]>]

interface Index {
  velox: string
  /** Entry key -> [chunk, index of the value in what the chunk returns]. */
  entries: Record<string, [number, number]>
  chunks: ChunkRecord[]
  /** [offset after the index, byte length] of each block. */
  blocks: Array<[number, number]>
}

/** Keys in the file are the cache key's first 22 characters (132 bits): shorter index, same chance of a clash as never. */
function shortKey (key: string): string {
  return key.slice(0, 22)
}

// ajv's codegen names and the "used values" bookkeeping of its standalone module writer.
interface AjvName { str: string, prefix: string }
interface AjvSourceCode { validateName: AjvName, validateCode: string, scopeValues: unknown, evaluated?: unknown }
interface AjvScope { scopeCode: (values: unknown, used: unknown, getCode: (n: any) => unknown) => unknown }
type UsedValues = Record<string, Map<AjvName, number>>

/** Per Ajv instance: the names already written, and which chunk wrote each. */
interface AjvWriteState {
  used: UsedValues
  /** Names defined since the last chunk, in order. */
  fresh: AjvName[]
  chunkOf: Map<string, [number, number]>
}

/**
 * Collects the standalone code of an app's validators and serializers while `velox build`
 * compiles them, and writes the file.
 */
export class SchemaBuildWriter {
  private readonly entries: Record<string, [number, number]> = Object.create(null)
  private readonly chunks: ChunkRecord[] = []
  private readonly blocks: string[][] = [[]]
  private openBlockBytes = 0
  private readonly ajvStates = new WeakMap<object, AjvWriteState>()
  validators = 0
  serializers = 0

  constructor (private readonly veloxVersion: string) {}

  has (key: string): boolean {
    return this.entries[shortKey(key)] !== undefined
  }

  /** Adds the validator `fn` that `ajv` compiled (with `code.source`), and whatever of its scope no earlier chunk wrote. */
  addValidator (key: string, ajv: unknown, fn: { source?: AjvSourceCode }): void {
    if (this.has(key) || fn.source === undefined) return
    const state = this.ajvState(ajv)
    const code = validatorCode(ajv as { scope: AjvScope }, state, fn.source)
    const defines = state.fresh.map((name) => name.str)
    state.fresh.length = 0
    const chunk = this.chunks.length
    // What this chunk uses that earlier chunks defined: Ajv's names are plain identifiers, so a
    // scan of the code finds them (a name that only appears inside a string costs an extra import, nothing more).
    const imports: Array<[number, number]> = []
    const seen = new Set<string>()
    for (const match of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const word = match[0]
      if (seen.has(word)) continue
      seen.add(word)
      const from = state.chunkOf.get(word)
      if (from !== undefined) imports.push(from)
    }
    defines.forEach((name, index) => state.chunkOf.set(name, [chunk, index]))
    this.addChunk(code, 'v', defines, imports)
    this.entries[shortKey(key)] = [chunk, defines.indexOf(fn.source.validateName.str)]
    this.validators++
  }

  /** Adds a serializer given as a CommonJS module's source (fast-json-stringify's standalone mode). */
  addSerializer (key: string, source: string): void {
    if (this.has(key)) return
    const chunk = this.chunks.length
    this.addChunk(source, 's', [], [])
    this.entries[shortKey(key)] = [chunk, 0]
    this.serializers++
  }

  private addChunk (code: string, kind: 'v' | 's', defines: string[], imports: Array<[number, number]>): void {
    if (this.openBlockBytes > blockBytes) {
      this.blocks.push([])
      this.openBlockBytes = 0
    }
    const block = this.blocks.length - 1
    this.chunks.push([block, this.blocks[block].length, kind, defines, imports])
    this.blocks[block].push(code)
    this.openBlockBytes += code.length
  }

  private ajvState (ajv: unknown): AjvWriteState {
    let state = this.ajvStates.get(ajv as object)
    if (state === undefined) {
      const fresh: AjvName[] = []
      state = { used: recordingUsedValues(fresh), fresh, chunkOf: new Map() }
      this.ajvStates.set(ajv as object, state)
    }
    return state
  }

  /** The file's bytes. */
  toBuffer (): Buffer {
    const compressed = this.blocks.filter((block) => block.length > 0).map((block) => brotliCompressSync(JSON.stringify(block), {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_LGWIN]: 22 }
    }))
    const blocks: Array<[number, number]> = []
    let offset = 0
    for (const block of compressed) {
      blocks.push([offset, block.length])
      offset += block.length
    }
    const index: Index = { velox: this.veloxVersion, entries: this.entries, chunks: this.chunks, blocks }
    const head = Buffer.from(JSON.stringify(index))
    return Buffer.concat([Buffer.from(`${magic}${head.length}\n`), head, ...compressed])
  }
}

/**
 * Ajv's used-values record (prefix -> Map of names), with every name added noted in `fresh`:
 * the names a chunk defines are those Ajv marked while writing it.
 */
function recordingUsedValues (fresh: AjvName[]): UsedValues {
  class RecordingMap extends Map<AjvName, number> {
    override set (name: AjvName, state: number): this {
      if (!this.has(name)) fresh.push(name)
      return super.set(name, state)
    }
  }
  const maps: UsedValues = {}
  return new Proxy(maps, {
    get (target, prefix: string) {
      target[prefix] ??= new RecordingMap()
      return target[prefix]
    }
  })
}

/**
 * The code of one validator and of whatever of its scope (schemas, helpers, referenced
 * validators) is not written yet, as Ajv's own standalone writer (ajv/dist/standalone)
 * produces it for a module of several exports: the same bookkeeping, kept across calls.
 */
function validatorCode (ajv: { scope: AjvScope }, state: AjvWriteState, source: AjvSourceCode): string {
  const { _, _Code, nil } = require('ajv/dist/compile/codegen/code') as { _: (s: TemplateStringsArray, ...a: unknown[]) => any, _Code: new (s: string) => any, nil: any }
  const { UsedValueState } = require('ajv/dist/compile/codegen/scope') as { UsedValueState: { Started: number, Completed: number } }
  const used = state.used
  function write (s: AjvSourceCode): unknown {
    if (used[s.validateName.prefix].get(s.validateName) === UsedValueState.Completed) return nil
    used[s.validateName.prefix].set(s.validateName, UsedValueState.Started)
    const scopeCode = ajv.scope.scopeCode(s.scopeValues, used, refCode)
    const code = new _Code(`${String(scopeCode)}${s.validateCode}`)
    used[s.validateName.prefix].set(s.validateName, UsedValueState.Completed)
    return s.evaluated !== undefined ? _`${code}${s.validateName}.evaluated = ${s.evaluated};` : code
  }
  function refCode (n: AjvName & { value?: { ref?: any } }): unknown {
    const ref = n.value?.ref
    if (n.prefix === 'validate' && typeof ref === 'function') return write(ref.source)
    if ((n.prefix === 'root' || n.prefix === 'wrapper') && typeof ref === 'object') {
      const { validate, validateName } = ref
      const wrapper = _`const ${n} = {validate: ${validateName}};`
      if (used[validateName.prefix].get(validateName) === UsedValueState.Started) return wrapper
      return _`${wrapper}${write(validate.source)}`
    }
    return undefined
  }
  return String(write(source))
}

/** A file written by `velox build`, loaded for an app (the `schemaBuild` option). */
export class SchemaBuildFile {
  private readonly index: Index
  private readonly file: Buffer
  private readonly start: number
  private readonly decoded: Array<string[] | null>
  /** Chunks of each block not evaluated yet: a block's sources are dropped once all have run. */
  private readonly pending: number[]
  private readonly values: Array<unknown[] | undefined>

  constructor (readonly path: string) {
    this.file = readFileSync(path)
    const firstLine = this.file.indexOf(10)
    const secondLine = this.file.indexOf(10, firstLine + 1)
    if (this.file.subarray(0, firstLine + 1).toString() !== magic || secondLine === -1) {
      throw new Error(`${path} is not a file written by velox build`)
    }
    const length = Number(this.file.subarray(firstLine + 1, secondLine).toString())
    this.start = secondLine + 1 + length
    this.index = JSON.parse(this.file.subarray(secondLine + 1, this.start).toString()) as Index
    this.decoded = this.index.blocks.map(() => null)
    this.pending = this.index.blocks.map(() => 0)
    for (const chunk of this.index.chunks) this.pending[chunk[0]]++
    this.values = new Array(this.index.chunks.length)
  }

  /** The version of Velox that wrote the file. */
  get veloxVersion (): string {
    return this.index.velox
  }

  get size (): number {
    return Object.keys(this.index.entries).length
  }

  /** The function stored under `key`, or undefined. */
  get (key: string): unknown {
    const entry = this.index.entries[shortKey(key)]
    if (entry === undefined) return undefined
    return this.evaluate(entry[0])[entry[1]]
  }

  private evaluate (chunk: number): unknown[] {
    const known = this.values[chunk]
    if (known !== undefined) return known
    const [block, position, kind, defines, imports] = this.index.chunks[chunk]
    const code = this.blockSources(block)[position]
    let values: unknown[]
    if (kind === 's') {
      const module = { exports: {} as unknown }
      // eslint-disable-next-line no-new-func -- the code is the serializer compiler's output, written by velox build
      new Function('module', 'exports', 'require', code)(module, module.exports, require)
      values = [module.exports]
    } else {
      const names = imports.map(([from, at]) => this.index.chunks[from][3][at])
      const args = imports.map(([from, at]) => this.evaluate(from)[at])
      // eslint-disable-next-line no-new-func -- the code is Ajv's standalone output, written by velox build
      values = new Function('require', ...names, `"use strict";${code}\nreturn [${defines.join(', ')}]`)(require, ...args) as unknown[]
    }
    this.values[chunk] = values
    if (--this.pending[block] === 0) this.decoded[block] = null
    return values
  }

  private blockSources (block: number): string[] {
    let sources = this.decoded[block]
    if (sources === null) {
      const [offset, length] = this.index.blocks[block]
      const bytes = this.file.subarray(this.start + offset, this.start + offset + length)
      sources = JSON.parse(brotliDecompressSync(bytes).toString()) as string[]
      this.decoded[block] = sources
    }
    return sources
  }
}

const files = new Map<string, SchemaBuildFile | null>()

/**
 * The build file of the `schemaBuild` option (a path, or a file: URL), loaded once per process;
 * null when the option is off. A file that cannot be read gives a process warning and the app
 * compiles as if there were none: a slower start, not a broken one.
 */
export function buildFileFor (option: unknown): SchemaBuildFile | null {
  if (option === undefined || option === null || option === false) return null
  const path = option instanceof URL ? fileURLToPath(option) : String(option)
  let file = files.get(path)
  if (file === undefined) {
    try {
      file = new SchemaBuildFile(path)
    } catch (err) {
      process.emitWarning(`Velox could not load the schema build ${path}, schemas will be compiled: ${(err as Error).message}`, 'VeloxWarning')
      file = null
    }
    files.set(path, file)
  }
  return file
}
