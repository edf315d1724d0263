/**
 * The shared schemas (`addSchema`) as OpenAPI components: a valid, stable component name for
 * each `$id`, and an index of every `$id` (nested ones too) so that `$ref`s can be rewritten.
 */

import { encodePointerToken } from './json-pointer.js'

/**
 * A schema resource: a schema with its own base URI, which local references (`#/...`) start
 * from. Either a shared schema (placed in `components.schemas`), a subschema of one that has
 * its own `$id`, or the root of a route schema.
 */
export interface SchemaResource {
  /** The schema as the user wrote it. */
  readonly raw: unknown
  /** Its `$id`, resolved against the enclosing base, without a trailing `#`. */
  readonly base: string | undefined
  /**
   * Where it sits in the document, as a `$ref` value (`#/components/schemas/user`); `null` for
   * route schemas, which are written inline, so that references into them are inlined too.
   */
  readonly pointer: string | null
}

export interface ComponentEntry {
  /** The component name, `[A-Za-z0-9._-]+`. */
  readonly name: string
  /** The `$id` it was registered under. */
  readonly id: string
  readonly resource: SchemaResource
}

export interface SchemaRegistry {
  /** Sorted by name, so the document is the same whatever the registration order. */
  readonly components: readonly ComponentEntry[]
  /** Canonical `$id` (see {@link canonicalId}) to resource, for top-level and nested `$id`s. */
  readonly ids: ReadonlyMap<string, SchemaResource>
}

export const COMPONENTS_POINTER = '#/components/schemas/'

/**
 * Builds the registry. Ids are taken in sorted order, so when two ids reduce to the same
 * component name (`a/b` and `a:b` both give `a_b`) the suffixes `_2`, `_3` go to the same id
 * on every run.
 */
export function createSchemaRegistry (schemas: Readonly<Record<string, object>>): SchemaRegistry {
  const components: ComponentEntry[] = []
  const ids = new Map<string, SchemaResource>()
  const taken = new Set<string>()
  for (const id of Object.keys(schemas).sort(compareCodeUnits)) {
    const name = uniqueName(componentName(id), taken)
    const base = canonicalId(id)
    const resource: SchemaResource = { raw: schemas[id], base, pointer: COMPONENTS_POINTER + name }
    components.push({ name, id, resource })
    ids.set(base, resource)
    collectNestedIds(resource.raw, base, resource.pointer, ids, true)
  }
  components.sort(function byName (a, b) { return compareCodeUnits(a.name, b.name) })
  return { components, ids }
}

/**
 * A component name for an `$id`: OpenAPI allows `^[a-zA-Z0-9.\-_]+$`, so a trailing `#` is
 * dropped and every run of other characters becomes `_`
 * (`http://example.com/user.json` gives `http_example.com_user.json`).
 */
export function componentName (id: string): string {
  const name = id
    .replace(/#$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return name === '' ? 'schema' : name
}

function uniqueName (name: string, taken: Set<string>): string {
  let candidate = name
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`
  taken.add(candidate)
  return candidate
}

/**
 * The form ids are compared in: an absolute URI is normalized the way the WHATWG URL parser
 * does it; a plain name (`user`) is kept; an empty fragment (`user#`) is dropped either way.
 */
export function canonicalId (id: string): string {
  let canonical = id
  if (URL.canParse(id)) canonical = new URL(id).href
  return canonical.endsWith('#') ? canonical.slice(0, -1) : canonical
}

/** Resolves a reference against a base URI when the base is absolute; returns it as is otherwise. */
export function resolveUri (reference: string, base: string | undefined): string {
  if (base !== undefined && URL.canParse(reference, base)) return new URL(reference, base).href
  return reference
}

/**
 * Records every nested `$id` below `node` in `into`. `pointer` is the document location of
 * `node` (null for route schemas); child locations follow the output layout of
 * schema-transform.ts (draft-07 tuple `items` become `prefixItems`, and so on).
 */
export function collectNestedIds (
  node: unknown,
  base: string | undefined,
  pointer: string | null,
  into: Map<string, SchemaResource>,
  isResourceRoot: boolean
): void {
  if (!isObject(node)) return
  if (!isResourceRoot && typeof node.$id === 'string') {
    base = canonicalId(resolveUri(node.$id, base))
    if (!into.has(base)) into.set(base, { raw: node, base, pointer })
  }
  for (const [child, tokens] of subschemas(node)) {
    collectNestedIds(child, base, pointer === null ? null : pointer + tokens.map(t => '/' + encodePointerToken(t)).join(''), into, false)
  }
}

/** Keywords whose value is one schema. */
export const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  'additionalProperties', 'propertyNames', 'contains', 'not', 'if', 'then', 'else',
  'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'
])

/** Keywords whose value is an array of schemas. */
export const SCHEMA_ARRAY_KEYWORDS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])

/** Keywords whose value maps names to schemas. */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set([
  'properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'
])

/** The subschemas of a schema, each with its path in the transformed output. */
function subschemas (node: Record<string, unknown>): Array<[unknown, string[]]> {
  const found: Array<[unknown, string[]]> = []
  for (const [key, value] of Object.entries(node)) {
    if (key === 'items') {
      if (Array.isArray(value)) value.forEach(function tuple (item, i) { found.push([item, ['prefixItems', String(i)]]) })
      else found.push([value, ['items']])
    } else if (key === 'additionalItems') {
      if (Array.isArray(node.items)) found.push([value, ['items']])
    } else if (key === 'dependencies' && isObject(value)) {
      for (const [name, dependency] of Object.entries(value)) {
        if (!Array.isArray(dependency)) found.push([dependency, ['dependentSchemas', name]])
      }
    } else if (SCHEMA_KEYWORDS.has(key)) {
      found.push([value, [key]])
    } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
      value.forEach(function member (item, i) { found.push([item, [key, String(i)]]) })
    } else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      for (const [name, child] of Object.entries(value)) found.push([child, [key, name]])
    }
  }
  return found
}

export function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Locale-independent ordering, so sorted output is the same on every machine. */
export function compareCodeUnits (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
