/**
 * The shared-schema store of one plugin scope (`addSchema`, `getSchema`,
 * `getSchemas`). A child scope starts with its parent's schemas and adds its
 * own without changing the parent's. Stores are copy-on-write: a child that
 * never adds a schema shares its parent's store, so its validators and
 * serializers come from the same compiler instance (one Ajv per distinct set
 * of shared schemas, not one per plugin).
 */
import { FST_ERR_SCH_ALREADY_PRESENT, FST_ERR_SCH_MISSING_ID } from '../errors.js'

export type JsonSchema = Record<string, any>

export class SchemaStore {
  readonly schemas: Map<string, JsonSchema>

  constructor (from?: SchemaStore) {
    this.schemas = from !== undefined ? new Map(from.schemas) : new Map()
  }

  add (schema: JsonSchema): void {
    if (schema === null || typeof schema !== 'object') throw new FST_ERR_SCH_MISSING_ID()
    const id = schema.$id
    if (typeof id !== 'string' || id.length === 0) throw new FST_ERR_SCH_MISSING_ID()
    if (this.schemas.has(id)) throw new FST_ERR_SCH_ALREADY_PRESENT(id)
    this.schemas.set(id, schema)
  }

  get (id: string): JsonSchema | undefined {
    return this.schemas.get(id)
  }

  /** A plain object of every schema by `$id`, as Fastify's `getSchemas()` returns. */
  toObject (): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {}
    for (const [id, schema] of this.schemas) out[id] = schema
    return out
  }
}
