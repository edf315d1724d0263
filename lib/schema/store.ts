/**
 * The shared-schema store of one plugin scope (`addSchema`, `getSchema`,
 * `getSchemas`). A child scope starts with its parent's schemas and adds its
 * own without changing the parent's. Stores are copy-on-write: a child that
 * never adds a schema shares its parent's store, so its validators and
 * serializers come from the same compiler instance (one Ajv per distinct set
 * of shared schemas, not one per plugin).
 *
 * The store is Fastify's schema "bucket": `schemaController.bucket` may replace
 * it with any object that has `add`, `getSchema` and `getSchemas`.
 */
import { FST_ERR_SCH_ALREADY_PRESENT, FST_ERR_SCH_MISSING_ID } from '../errors.js'

export type JsonSchema = Record<string, any>

/** Fastify's SchemaController bucket interface. */
export interface SchemaBucket {
  add: (schema: JsonSchema) => unknown
  getSchema: (id: string) => JsonSchema | undefined
  getSchemas: () => Record<string, JsonSchema>
}

/** `schemaController.bucket`: builds a bucket seeded with the parent scope's schemas. */
export type BucketFactory = (parentSchemas?: Record<string, JsonSchema>) => SchemaBucket

export class SchemaStore implements SchemaBucket {
  readonly schemas: Map<string, JsonSchema>

  constructor (from?: SchemaStore | Record<string, JsonSchema>) {
    if (from instanceof SchemaStore) this.schemas = new Map(from.schemas)
    else this.schemas = from !== undefined ? new Map(Object.entries(from)) : new Map<string, JsonSchema>()
  }

  /**
   * Stores a copy of the schema, as Fastify does: changing the object after
   * `addSchema` changes neither validation nor serialization.
   */
  add (input: JsonSchema): void {
    if (input === null || typeof input !== 'object') throw new FST_ERR_SCH_MISSING_ID()
    // fluent-json-schema objects hold the JSON Schema behind valueOf().
    const schema = input.isFluentSchema === true || input.isFluentJSONSchema === true || (input as Record<symbol, unknown>)[Symbol.for('fluent-schema-object')] !== undefined
      ? input.valueOf() as JsonSchema
      : input
    const id: unknown = schema.$id
    if (typeof id !== 'string' || id.length === 0) throw new FST_ERR_SCH_MISSING_ID()
    if (this.schemas.has(id)) throw new FST_ERR_SCH_ALREADY_PRESENT(id)
    this.schemas.set(id, cloneSchema(schema) as JsonSchema)
  }

  get (id: string): JsonSchema | undefined {
    return this.schemas.get(id)
  }

  getSchema (id: string): JsonSchema | undefined {
    return this.schemas.get(id)
  }

  getSchemas (): Record<string, JsonSchema> {
    return this.toObject()
  }

  /** A plain object of every schema by `$id`, as Fastify's `getSchemas()` returns. */
  toObject (): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {}
    for (const [id, schema] of this.schemas) out[id] = schema
    return out
  }
}

/** A deep copy of plain objects and arrays; other values (RegExp, functions, class instances) are kept as they are. */
export function cloneSchema (value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(cloneSchema)
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string | symbol, unknown> = {}
  for (const key of Object.keys(value)) out[key] = cloneSchema((value as Record<string, unknown>)[key])
  // TypeBox marks its schemas with symbol keys; keep them so the copy is still recognized.
  for (const key of Object.getOwnPropertySymbols(value)) out[key] = (value as Record<symbol, unknown>)[key]
  return out
}
