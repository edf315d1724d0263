/**
 * The options of the serializer compiler: fast-json-stringify's `build(schema, options)`
 * options, checked with the same messages, so `serializerOpts` means the same in Velox.
 */
import type { JsonSchema } from '../store.js'

export interface SerializerOptions {
  /** Shared schemas by id, for `$ref`s outside the schema. */
  schema?: Record<string, JsonSchema>
  /** How non-integer numbers become integers: `trunc` (default), `floor`, `ceil` or `round`. */
  rounding?: 'trunc' | 'floor' | 'ceil' | 'round'
  /** `json-stringify` serializes arrays of at least `largeArraySize` items with `JSON.stringify`. */
  largeArrayMechanism?: 'default' | 'json-stringify'
  largeArraySize?: number | string | bigint
  /** Accepted for compatibility with fast-json-stringify; the output does not depend on it. */
  objectMechanism?: 'default' | 'native'
  /** Deepest schema nesting accepted, 0 to 100 (default 100). */
  maxDepth?: number
  /** Options of the Ajv instance that picks anyOf/oneOf/if-then-else branches. */
  ajv?: Record<string, unknown>
  /** Compile the anyOf/oneOf/if validators when the serializer is built instead of on first use. */
  compileValidators?: boolean
  /**
   * Velox's own: arrays of at least this many items are written in byte mode (runtime.ts).
   * For tests that cover byte mode with short arrays, and for tuning; the default is measured.
   */
  bulkArrayLength?: number
  /**
   * Velox's own: objects with at least this many strings, numbers and booleans declared in them
   * and their nested objects are written in byte mode. For tests and tuning, as bulkArrayLength.
   */
  bulkObjectFields?: number
  [key: string]: unknown
}

export interface CheckedOptions {
  rounding: 'trunc' | 'floor' | 'ceil' | 'round'
  maxDepth: number
  /** null when arrays are never handed to JSON.stringify whole. */
  largeArraySize: number | null
  bulkArrayLength: number
  bulkObjectFields: number
}

/** From this length, arrays are written in byte mode (measured with benchmarks/serialize.js). */
export const BULK_ARRAY_LENGTH = 16
/** From this many declared fields (nested objects' included), objects are written in byte mode (idem). */
export const BULK_OBJECT_FIELDS = 16

const DEFAULT_MAX_DEPTH = 100
const roundings = new Set(['floor', 'ceil', 'round', 'trunc'])
const largeArrayMechanisms = new Set(['default', 'json-stringify'])
const objectMechanisms = new Set(['default', 'native'])

/** Checks the options; throws fast-json-stringify's error for a value it refuses. */
export function checkOptions (options: SerializerOptions): CheckedOptions {
  const maxDepth = options.maxDepth === undefined ? DEFAULT_MAX_DEPTH : options.maxDepth
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > DEFAULT_MAX_DEPTH) {
    throw new Error(`Unsupported max schema depth ${String(maxDepth)}. Expected an integer between 0 and ${DEFAULT_MAX_DEPTH}.`)
  }
  // Falsy values mean "not set", as fast-json-stringify reads them.
  if (options.rounding && !roundings.has(options.rounding)) {
    throw new Error(`Unsupported integer rounding method ${String(options.rounding)}`)
  }
  if (options.largeArrayMechanism && !largeArrayMechanisms.has(options.largeArrayMechanism)) {
    throw new Error(`Unsupported large array mechanism ${String(options.largeArrayMechanism)}`)
  }
  if (options.objectMechanism && !objectMechanisms.has(options.objectMechanism)) {
    throw new Error(`Unsupported object mechanism ${String(options.objectMechanism)}`)
  }
  let largeArraySize = 2e4
  const size = options.largeArraySize
  if (size) {
    let parsed: number
    if (typeof size === 'string' && Number.isFinite(parsed = Number.parseInt(size, 10))) largeArraySize = parsed
    else if (typeof size === 'number' && Number.isInteger(size)) largeArraySize = size
    else if (typeof size === 'bigint') largeArraySize = Number(size)
    else throw new Error(`Unsupported large array size. Expected integer-like, got ${typeof size} with value ${String(size)}`)
  }
  return {
    rounding: options.rounding || 'trunc',
    maxDepth: maxDepth as number,
    largeArraySize: options.largeArrayMechanism === 'json-stringify' ? largeArraySize : null,
    bulkArrayLength: typeof options.bulkArrayLength === 'number' ? options.bulkArrayLength : BULK_ARRAY_LENGTH,
    bulkObjectFields: typeof options.bulkObjectFields === 'number' ? options.bulkObjectFields : BULK_OBJECT_FIELDS
  }
}
