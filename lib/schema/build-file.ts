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
 * needs it, so the start does not grow with the code the app has. The index is kept cheap to
 * parse (10,000 routes: ~2 ms, where an object keyed by entry took ~30-50 ms): the keys are one
 * sorted string searched by bisection, and what each chunk defines and imports is in its block.
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
 * Layout: the line `velox-schemas 2`, a line with the byte length of the index, the index
 * (JSON), then the blocks (Brotli-compressed JSON, each `[records, sources]` of its chunks).
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

const magic = 'velox-schemas 2\n'
/** Raw bytes of chunk source per block before it is closed: small enough to decompress in about a millisecond. */
const blockBytes = 256 * 1024

/** One chunk, in its block: [kind, names it defines, names it imports as [chunk, index of the name]]. */
type ChunkRecord = ['v' | 's', string[], Array<[number, number]>]

interface Index {
  velox: string
  /** The entries' short keys (`keyLength` characters each), sorted, as one string. */
  keys: string
  /** For the key at position i: [2i] the chunk, [2i + 1] the index of the value in what the chunk returns. */
  at: number[]
  /** [offset after the index, byte length, number of its first chunk] of each block; chunks are numbered in block order. */
  blocks: Array<[number, number, number]>
  /** The number of chunks. */
  chunks: number
}

const keyLength = 22
/** Keys in the file are the cache key's first 22 characters (132 bits): shorter index, same chance of a clash as never. */
function shortKey (key: string): string {
  return key.slice(0, keyLength)
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
  private readonly entries = new Map<string, [number, number]>()
  /** Per block: its chunks' records and sources. */
  private readonly blocks: Array<{ records: ChunkRecord[], sources: string[] }> = [{ records: [], sources: [] }]
  private chunkCount = 0
  private openBlockBytes = 0
  private readonly ajvStates = new WeakMap<object, AjvWriteState>()
  validators = 0
  serializers = 0

  constructor (private readonly veloxVersion: string) {}

  has (key: string): boolean {
    return this.entries.has(shortKey(key))
  }

  /** Adds the validator `fn` that `ajv` compiled (with `code.source`), and whatever of its scope no earlier chunk wrote. */
  addValidator (key: string, ajv: unknown, fn: { source?: AjvSourceCode }): void {
    if (this.has(key) || fn.source === undefined) return
    const state = this.ajvState(ajv)
    const code = validatorCode(ajv as { scope: AjvScope }, state, fn.source)
    const defines = state.fresh.map((name) => name.str)
    state.fresh.length = 0
    const chunk = this.chunkCount
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
    this.entries.set(shortKey(key), [chunk, defines.indexOf(fn.source.validateName.str)])
    this.validators++
  }

  /** Adds a serializer given as a CommonJS module's source (fast-json-stringify's standalone mode). */
  addSerializer (key: string, source: string): void {
    if (this.has(key)) return
    const chunk = this.chunkCount
    this.addChunk(source, 's', [], [])
    this.entries.set(shortKey(key), [chunk, 0])
    this.serializers++
  }

  private addChunk (code: string, kind: 'v' | 's', defines: string[], imports: Array<[number, number]>): void {
    if (this.openBlockBytes > blockBytes) {
      this.blocks.push({ records: [], sources: [] })
      this.openBlockBytes = 0
    }
    const block = this.blocks[this.blocks.length - 1]
    block.records.push([kind, defines, imports])
    block.sources.push(code)
    this.chunkCount++
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
    const filled = this.blocks.filter((block) => block.sources.length > 0)
    const compressed = filled.map((block) => brotliCompressSync(JSON.stringify([block.records, block.sources]), {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_LGWIN]: 22 }
    }))
    const blocks: Array<[number, number, number]> = []
    let offset = 0
    let firstChunk = 0
    compressed.forEach((block, i) => {
      blocks.push([offset, block.length, firstChunk])
      offset += block.length
      firstChunk += filled[i].sources.length
    })
    const keys = [...this.entries.keys()].sort()
    const at = keys.flatMap((key) => this.entries.get(key) as [number, number])
    const index: Index = { velox: this.veloxVersion, keys: keys.join(''), at, blocks, chunks: this.chunkCount }
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
  /** Each block's chunk records once decompressed: kept, as later chunks import the names they define. */
  private readonly records: Array<ChunkRecord[] | null>
  /** Chunks of each block not evaluated yet: a block's sources are dropped once all have run. */
  private readonly pending: number[]
  private readonly values: Array<unknown[] | undefined>

  constructor (readonly path: string) {
    this.file = readFileSync(path)
    const firstLine = this.file.indexOf(10)
    const secondLine = this.file.indexOf(10, firstLine + 1)
    const head = this.file.subarray(0, firstLine + 1).toString()
    if (head !== magic || secondLine === -1) {
      throw new Error(head.startsWith('velox-schemas ')
        ? `${path} was written by another version of velox build: run velox build again`
        : `${path} is not a file written by velox build`)
    }
    const length = Number(this.file.subarray(firstLine + 1, secondLine).toString())
    this.start = secondLine + 1 + length
    this.index = JSON.parse(this.file.subarray(secondLine + 1, this.start).toString()) as Index
    const blocks = this.index.blocks
    this.decoded = blocks.map(() => null)
    this.records = blocks.map(() => null)
    // A block's chunks: up to the next block's first chunk, or to the last chunk.
    this.pending = blocks.map((block, i) => (i + 1 < blocks.length ? blocks[i + 1][2] : this.index.chunks) - block[2])
    this.values = new Array(this.index.chunks)
  }

  /** The version of Velox that wrote the file. */
  get veloxVersion (): string {
    return this.index.velox
  }

  get size (): number {
    return this.index.keys.length / keyLength
  }

  /** The function stored under `key`, or undefined. */
  get (key: string): unknown {
    const wanted = shortKey(key)
    const keys = this.index.keys
    let low = 0
    let high = keys.length / keyLength - 1
    while (low <= high) {
      const middle = (low + high) >>> 1
      const found = keys.slice(middle * keyLength, (middle + 1) * keyLength)
      if (found === wanted) return this.evaluate(this.index.at[2 * middle])[this.index.at[2 * middle + 1]]
      if (found < wanted) low = middle + 1
      else high = middle - 1
    }
    return undefined
  }

  /** The record of a chunk, and where it is: its block and its position there. */
  private locate (chunk: number): { block: number, position: number, record: ChunkRecord } {
    const blocks = this.index.blocks
    let low = 0
    let high = blocks.length - 1
    // The last block whose first chunk is at most `chunk`.
    while (low < high) {
      const middle = (low + high + 1) >>> 1
      if (blocks[middle][2] <= chunk) low = middle
      else high = middle - 1
    }
    const position = chunk - blocks[low][2]
    if (this.records[low] === null) this.blockSources(low)
    return { block: low, position, record: (this.records[low] as ChunkRecord[])[position] }
  }

  private evaluate (chunk: number): unknown[] {
    const known = this.values[chunk]
    if (known !== undefined) return known
    const { block, position, record: [kind, defines, imports] } = this.locate(chunk)
    const code = this.blockSources(block)[position]
    let values: unknown[]
    if (kind === 's') {
      const module = { exports: {} as unknown }
      // eslint-disable-next-line no-new-func -- the code is the serializer compiler's output, written by velox build
      new Function('module', 'exports', 'require', code)(module, module.exports, require)
      values = [module.exports]
    } else {
      const names = imports.map(([from, at]) => this.locate(from).record[1][at])
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
      const [records, decoded] = JSON.parse(brotliDecompressSync(bytes).toString()) as [ChunkRecord[], string[]]
      sources = decoded
      this.records[block] = records
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
