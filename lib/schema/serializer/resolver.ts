/**
 * References and merges: follows `$ref`s (within the schema, to shared schemas by `$id`),
 * merges a `$ref`'s sibling keywords, `allOf` members and anyOf/oneOf/if branches into new
 * schemas with @fastify/merge-json-schemas, and registers every merged schema under an id of its
 * own so that error messages and branch validators can name it. The rules are
 * fast-json-stringify's, so references resolve to the same schemas.
 */
import { createRequire } from 'node:module'
import { Location } from './location.js'
import { depthError } from './schema-check.js'

const require = createRequire(import.meta.url)

/** What the serializer uses of json-schema-ref-resolver's RefResolver. */
export interface RefResolverLike {
  addSchema: (schema: unknown, id: string) => void
  getSchema: (id: string, pointer?: string) => any
  hasSchema: (id: string) => boolean
  getSchemaRefs: (id: string) => Array<{ schemaId: string }>
}

/** Keywords that change nothing in the output: a `$ref` with only these beside it is followed as is. */
const IGNORED_REF_SIBLINGS = new Set(['$ref', '$comment', 'title', 'description', 'examples', 'deprecated', 'readOnly', 'writeOnly'])

const SINGLE_SCHEMA_KEYWORDS = ['additionalItems', 'additionalProperties', 'contains', 'else', 'if', 'not', 'propertyNames', 'then']
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf']
const SCHEMA_MAP_KEYWORDS = ['definitions', 'patternProperties', 'properties']

/** The id a schema document is known by: its own `$id` unless that is an anchor. */
export function documentId (schema: any, fallback: string): string {
  return typeof schema.$id === 'string' && schema.$id.charAt(0) !== '#' ? schema.$id : fallback
}

export class SchemaResolver {
  readonly refs: RefResolverLike
  private readonly merge: (schemas: unknown[], options: unknown) => any
  private readonly MergeError: new (...args: any[]) => Error
  private mergedCount = 0
  /** Merged schema ids by the schema whose allOf/branch they came from. */
  readonly mergedBySchema = new Map<object, string>()
  /** Merged schema ids by their content, for `$ref`s with siblings (which are cloned on every merge). */
  private readonly mergedByContent = new Map<string, string>()

  constructor (readonly rootId: string, private readonly maxDepth: number) {
    const { RefResolver } = require('json-schema-ref-resolver')
    const merger = require('@fastify/merge-json-schemas')
    this.refs = new RefResolver()
    this.merge = merger.mergeSchemas
    this.MergeError = merger.MergeError
  }

  /** A fresh id for a merged schema. */
  nextMergedId (): string {
    return `__vlx_merged_${this.mergedCount++}`
  }

  /** The location of a merged schema registered under `id`. */
  mergedLocation (id: string): Location {
    return new Location(this.refs.getSchema(id, '#'), id, '#')
  }

  /**
   * Follows `$ref`s from `location` to a schema without one. Keywords next to a `$ref` (other
   * than annotations) are merged into its target; a merge that cannot be done keeps the target.
   */
  resolve (location: Location): Location {
    const seen = new Set<string>()
    const siblings: Location[] = []
    let depth = 0
    while (location.schema.$ref !== undefined) {
      const refSchema = location.schema
      const ref: string = refSchema.$ref
      if (seen.has(location.ref)) throw new Error(`Cannot resolve circular reference "${ref}"`)
      seen.add(location.ref)
      if (depth++ > this.maxDepth) throw depthError(this.maxDepth)
      let hash = ref.indexOf('#')
      if (hash === -1) hash = ref.length
      const schemaId = ref.slice(0, hash) || location.schemaId
      const pointer = ref.slice(hash) || '#'
      const target = this.refs.getSchema(schemaId, pointer)
      if (target === null) throw new Error(`Cannot find reference "${ref}"`)
      const sibling: Record<string, unknown> = {}
      let hasSibling = false
      for (const key in refSchema) {
        if (!IGNORED_REF_SIBLINGS.has(key)) {
          sibling[key] = refSchema[key]
          hasSibling = true
        }
      }
      if (hasSibling) siblings.unshift(location.withSchema(this.absoluteCopy(sibling, location.schemaId)))
      location = new Location(target, schemaId, pointer)
    }
    if (siblings.length === 0) return location
    const key = location.ref + JSON.stringify(siblings.map((l) => l.schema))
    let id = this.mergedByContent.get(key)
    if (id === undefined) {
      id = this.nextMergedId()
      try {
        this.mergeInto(id, [location, ...siblings])
      } catch (err) {
        if (!(err instanceof this.MergeError)) throw err
        return location
      }
      this.mergedByContent.set(key, id)
    }
    return this.mergedLocation(id)
  }

  /** Merges the schemas at `locations` (following their `$ref`s) into one registered under `id`. */
  mergeInto (id: string, locations: Location[]): Location {
    const schemas = locations.map((location) => {
      if (location.schema.$ref) location = this.resolve(location)
      const schema = this.absoluteCopy(location.schema, location.schemaId)
      delete schema.$id
      return schema
    })
    const merged = this.merge(schemas, { onConflict: 'skip' })
    this.refs.addSchema(merged, id)
    return new Location(merged, id)
  }

  /**
   * A merge result keyed by content, for a `$ref` branch merged with the keywords beside its
   * anyOf/oneOf: the same text must reuse one merged schema or recursion would never end.
   */
  mergedForContent (key: string, build: (id: string) => void): Location {
    let id = this.mergedByContent.get(key)
    if (id === undefined) {
      id = this.nextMergedId()
      build(id)
      this.mergedByContent.set(key, id)
    }
    return this.mergedLocation(id)
  }

  /**
   * A deep copy in which local `$ref`s (`#...`) are made absolute with the id of the document
   * they were written in, so the copy can be merged into a schema with another id.
   */
  absoluteCopy (schema: any, schemaId: string): any {
    const out: any = Array.isArray(schema) ? [] : {}
    if (typeof schema.$id === 'string' && schema.$id.charAt(0) !== '#') schemaId = schema.$id
    const mergedId = this.mergedBySchema.get(schema)
    if (mergedId !== undefined) this.mergedBySchema.set(out, mergedId)
    for (const key in schema) {
      let value = schema[key]
      if (key === '$ref' && typeof value === 'string' && value.charAt(0) === '#') value = schemaId + value
      if (typeof value === 'object' && value !== null) value = this.absoluteCopy(value, schemaId)
      out[key] = value
    }
    return out
  }

  /**
   * The ids of the schema documents `id` references, directly or not, with their schemas:
   * the branch validator needs them too.
   */
  dependencies (id: string): Map<string, unknown> {
    const found = new Map<string, unknown>()
    const done = new Set<string>()
    const pending = [id]
    while (pending.length > 0) {
      const current = pending.pop() as string
      if (done.has(current)) continue
      done.add(current)
      for (const ref of this.refs.getSchemaRefs(current)) {
        if (ref.schemaId === current || found.has(ref.schemaId)) continue
        found.set(ref.schemaId, this.refs.getSchema(ref.schemaId))
        pending.push(ref.schemaId)
      }
    }
    return found
  }

  /** `location`'s ref with the root's id left out, as error messages show it. */
  displayRef (location: Location): string {
    const ref = location.ref || ''
    return ref.startsWith(this.rootId) ? ref.replace(this.rootId, '') || '#' : ref
  }

  /**
   * Walks every subschema, through `$ref`s, before anything is generated: a reference chain
   * deeper than `maxDepth` or circular without an object between is refused up front, even in
   * parts of the schema the output never reaches (definitions, `not`), as fast-json-stringify does.
   */
  checkReferences (root: Location): void {
    const onPath = new Set<string>()
    const visit = (location: Location, depth: number): void => {
      const schema = location.schema
      if (!schema || typeof schema !== 'object') return
      if (depth > this.maxDepth) throw depthError(this.maxDepth)
      const path = location.ref
      if (onPath.has(path)) return
      onPath.add(path)
      if (schema.$ref) {
        let target: Location | null = null
        try {
          target = this.resolve(location)
        } catch (err) {
          // A missing reference is reported where the output needs it.
          if (!(err as Error).message.startsWith('Cannot find reference')) throw err
        }
        if (target !== null) visit(target, depth)
      }
      for (const keyword of SINGLE_SCHEMA_KEYWORDS) {
        if (typeof schema[keyword] === 'object' && schema[keyword] !== null) visit(location.child(keyword), depth + 1)
      }
      for (const keyword of SCHEMA_LIST_KEYWORDS) {
        if (Array.isArray(schema[keyword])) {
          const list = location.child(keyword)
          for (let i = 0; i < schema[keyword].length; i++) visit(list.child(i), depth + 1)
        }
      }
      if (Array.isArray(schema.items)) {
        const items = location.child('items')
        for (let i = 0; i < schema.items.length; i++) visit(items.child(i), depth + 1)
      } else if (typeof schema.items === 'object' && schema.items !== null) {
        visit(location.child('items'), depth + 1)
      }
      for (const keyword of SCHEMA_MAP_KEYWORDS) {
        if (typeof schema[keyword] === 'object' && schema[keyword] !== null) {
          const map = location.child(keyword)
          for (const key in schema[keyword]) visit(map.child(key), depth + 1)
        }
      }
      if (typeof schema.dependencies === 'object' && schema.dependencies !== null) {
        const map = location.child('dependencies')
        for (const key in schema.dependencies) {
          if (!Array.isArray(schema.dependencies[key])) visit(map.child(key), depth + 1)
        }
      }
      onPath.delete(path)
    }
    visit(root, 0)
  }
}
