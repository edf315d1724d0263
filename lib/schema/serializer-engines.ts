/**
 * The two serializer compilers a bucket can use: Velox's own (the default, lib/schema/serializer)
 * and fast-json-stringify (chosen with `fastJsonStringifySerializer`). Both take
 * fast-json-stringify's options (`serializerOpts`) and write the same JSON; each says how it
 * builds a function and what the schema cache stores for it.
 */
import { createRequire } from 'node:module'
import type { JsonSchema } from './store.js'
import { compileSerializer, compileSerializerWithSource, runtime, type Serializer, type SerializerRuntime } from './serializer/index.js'
import { VELOX_SERIALIZER_VERSION } from './serializer/version.js'

const require = createRequire(import.meta.url)

export interface SerializerEngine {
  /** Part of the schema-cache key: what wrote the stored code. */
  readonly id: string
  build: (schema: JsonSchema, options: Record<string, unknown>) => Serializer
  /** The function and what the schema cache stores for it: a module source and the value that module exports. */
  buildStored: (schema: JsonSchema, options: Record<string, unknown>) => { fn: Serializer, source: string | null, exported: unknown }
  /** The function from what a stored module exports. */
  fromStored: (exported: unknown) => Serializer
}

/** Velox's compiler: a stored module exports a function of the runtime helpers. */
export const veloxEngine: SerializerEngine = {
  id: `velox-serializer@${VELOX_SERIALIZER_VERSION}`,
  build: compileSerializer,
  buildStored: function buildVeloxStored (schema, options) {
    const { serializer, source } = compileSerializerWithSource(schema, options)
    return { fn: serializer, source, exported: () => serializer }
  },
  fromStored: function veloxFromStored (exported) {
    return (exported as (r: SerializerRuntime) => Serializer)(runtime)
  }
}

/** fast-json-stringify's build(): a serializer, or its source text in `standalone` mode. */
type Fjs = (schema: JsonSchema, options?: Record<string, unknown>) => unknown
let fjs: Fjs | null = null
let fjsVersion: string | null = null
/** fast-json-stringify, loaded when first used. */
function loadFjs (): Fjs {
  fjs ??= require('fast-json-stringify') as Fjs
  return fjs
}

/** fast-json-stringify: a stored module exports the serializer itself. */
export const fjsEngine: SerializerEngine = {
  get id () {
    fjsVersion ??= (require('fast-json-stringify/package.json') as { version: string }).version
    return `fast-json-stringify@${fjsVersion}`
  },
  build: function buildFjs (schema, options) {
    return loadFjs()(schema, options) as Serializer
  },
  buildStored: function buildFjsStored (schema, options) {
    const fn = loadFjs()(schema, options) as Serializer
    return { fn, source: loadFjs()(schema, { ...options, mode: 'standalone' }) as string, exported: fn }
  },
  fromStored: function fjsFromStored (exported) {
    return exported as Serializer
  }
}
