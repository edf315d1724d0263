/**
 * Where a schema sits: the schema, the id of the document it belongs to and its JSON pointer in
 * that document. Error messages and the validators of anyOf/oneOf/if name schemas this way.
 */
import type { JsonSchema } from '../store.js'

/** Any schema node: an object, or `true`/`false`. */
export type SchemaNode = JsonSchema | boolean

export class Location {
  constructor (
    readonly schema: any,
    readonly schemaId: string,
    readonly jsonPointer: string = '#'
  ) {}

  /** The location of `schema[name]`; `/` and `~` in the name are escaped as RFC 6901 asks. */
  child (name: string | number): Location {
    const segment = String(name).replace(/~/g, '~0').replace(/\//g, '~1')
    return new Location(this.schema[name], this.schemaId, this.jsonPointer + '/' + segment)
  }

  /** The same place holding another schema (a copy with some keywords left out). */
  withSchema (schema: unknown): Location {
    return new Location(schema, this.schemaId, this.jsonPointer)
  }

  /** `<schemaId><jsonPointer>`, the ref that names this place. */
  get ref (): string {
    return this.schemaId + this.jsonPointer
  }
}
