/**
 * Where a compiler looks for code before compiling, and where it hands what it compiled: the
 * build file (`schemaBuild`, read-only), the schema cache (`schemaCache`, read and written),
 * and, while `velox build` runs, the writer of a new build file. One per app.
 */
import { createRequire } from 'node:module'
import { codeCacheFor, SchemaCodeCache } from './code-cache.js'
import { buildFileFor, type SchemaBuildFile, type SchemaBuildWriter } from './build-file.js'

const require = createRequire(import.meta.url)

export class CodeSources {
  private missed = false

  constructor (
    readonly file: SchemaBuildFile | null,
    readonly cache: SchemaCodeCache | null,
    readonly writer: SchemaBuildWriter | null
  ) {}

  /** Compilers keep the source of what they compile (Ajv's `code.source`, serializers' standalone mode) only when someone stores it. */
  get keepsSource (): boolean {
    return this.cache !== null || this.writer !== null
  }

  /** The key of one compiled function, from what its code depends on. */
  key (kind: 'validator' | 'serializer', fingerprint: string, json: string): string {
    return SchemaCodeCache.key(kind, fingerprint, json)
  }

  /** Code compiled earlier for `key`, or undefined. A build compiles everything itself, for the sources. */
  get (key: string): unknown {
    if (this.writer !== null) return undefined
    if (this.file !== null) {
      const fn = this.file.get(key)
      if (fn !== undefined) return fn
      if (!this.missed) {
        this.missed = true
        process.emitWarning(`A schema is missing from the schema build ${this.file.path} (written by Velox ${this.file.veloxVersion}): ` +
          'it is compiled at start-up. Run velox build again after changing schemas or upgrading Velox.', 'VeloxWarning')
      }
    }
    return this.cache?.get(key)
  }

  /** Stores a validator Ajv compiled with `code.source`. */
  storeValidator (key: string, ajv: unknown, fn: (...args: any[]) => unknown): void {
    this.writer?.addValidator(key, ajv, fn as { source?: any })
    if (this.cache === null) return
    let source: string | null = null
    try {
      source = (require('ajv/dist/standalone') as { default: (a: unknown, f: unknown) => string }).default(ajv, fn)
    } catch {
      // Some keywords cannot be written as standalone code: the validator is still used, just not stored.
    }
    if (source !== null) this.cache.set(key, source, fn)
  }

  /** Stores a serializer with its standalone source (a CommonJS module). */
  storeSerializer (key: string, source: string, fn: (...args: any[]) => unknown): void {
    this.writer?.addSerializer(key, source)
    this.cache?.set(key, source, fn)
  }
}

const byOptions = new WeakMap<object, CodeSources | null>()
const writers = new WeakMap<object, SchemaBuildWriter>()

/** Makes the app with these factory options hand everything it compiles to `writer` (velox build). */
export function collectInto (options: object, writer: SchemaBuildWriter): void {
  writers.set(options, writer)
  byOptions.delete(options)
}

/** The code sources of the app with these factory options, or null when it has none. */
export function codeSourcesFor (options: Record<string, unknown>): CodeSources | null {
  let sources = byOptions.get(options)
  if (sources === undefined) {
    const writer = writers.get(options) ?? null
    const file = writer === null ? buildFileFor(options.schemaBuild) : null
    const cache = codeCacheFor(options.schemaCache)
    sources = file === null && cache === null && writer === null ? null : new CodeSources(file, cache, writer)
    byOptions.set(options, sources)
  }
  return sources
}
