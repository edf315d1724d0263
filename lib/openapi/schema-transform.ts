/**
 * Turns the JSON Schemas of routes and shared schemas into OpenAPI 3.1 Schema Objects.
 *
 * OpenAPI 3.1 uses JSON Schema 2020-12, while Fastify apps write draft-07 (ajv's default) with
 * a few OpenAPI 3.0 habits, and put schemas in places where their `$id`s and local `#/...`
 * references no longer mean what they meant. Each schema is copied, never mutated, with:
 * - `$ref`s to shared schemas (`user`, `user#`, `user#/properties/address`, relative or absolute
 *   URIs) rewritten to `#/components/schemas/<name>` with the pointer kept;
 * - local references inside a shared schema re-rooted at its component;
 * - local references inside a route schema, and references to `$id`s nested in it, replaced
 *   by the schema they point to, since a route schema has no stable address of its own;
 * - `$id` and `$schema` removed (the document's dialect applies), `definitions`/`$defs` of
 *   route schemas removed once their references are inlined;
 * - `nullable: true` (OpenAPI 3.0) as a `'null'` type; draft-04 boolean `exclusiveMinimum`/
 *   `exclusiveMaximum` as numbers; draft-07 tuple `items`/`additionalItems` as
 *   `prefixItems`/`items`; `dependencies` as `dependentRequired`/`dependentSchemas`.
 * Keywords that are not schema keywords (`enum`, `const`, `default`, `examples`, unknown
 * keywords) are copied as data: a `$ref` inside an example is not a reference.
 */

import { openApiError } from './openapi-error.js'
import { encodePointerToken, resolvePointer } from './json-pointer.js'
import {
  SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS,
  canonicalId, collectNestedIds, isObject, resolveUri
} from './schema-registry.js'
import type { SchemaRegistry, SchemaResource } from './schema-registry.js'
import type { JsonSchema } from './types.js'

/** A resolved `$ref`: the schema it names and, when it has one, its place in the document. */
interface RefTarget {
  readonly raw: unknown
  readonly resource: SchemaResource
  /** `null`: the target has no address in the document and is inlined. */
  readonly pointer: string | null
}

interface TransformState {
  /** Describes the schema for error messages: `GET /users response 200`. */
  readonly where: string
  /** `$id`s nested in the route schema being transformed. */
  readonly localIds: ReadonlyMap<string, SchemaResource>
  /** Targets being inlined right now: meeting one again means a cycle. */
  readonly inlining: Set<unknown>
}

/** One property of an object schema, for parameters. */
export interface ShapeProperty {
  readonly name: string
  readonly schema: JsonSchema
  readonly description?: string
}

/** The properties of an object schema, with `$ref`s and `allOf` followed. */
export interface ObjectShape {
  readonly properties: readonly ShapeProperty[]
  readonly required: ReadonlySet<string>
}

export class SchemaTransformer {
  readonly #registry: SchemaRegistry

  constructor (registry: SchemaRegistry) {
    this.#registry = registry
  }

  /** The `components.schemas` entries, sorted by name. */
  components (): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {}
    for (const { name, id, resource } of this.#registry.components) {
      const state: TransformState = { where: `shared schema "${id}"`, localIds: new Map(), inlining: new Set() }
      out[name] = this.#transform(resource.raw, resource, resource.pointer, state) as JsonSchema
    }
    return out
  }

  /** A route schema part (a body, a response), written inline in the document. */
  routeSchema (schema: unknown, where: string): JsonSchema {
    const { resource, state } = this.#routeResource(schema, where)
    return this.#transform(schema, resource, null, state) as JsonSchema
  }

  /**
   * The properties of a `params`, `querystring` or `headers` schema, each transformed. The
   * object may be a `$ref` (to a shared schema or not) or an `allOf` of object schemas.
   */
  objectShape (schema: unknown, where: string): ObjectShape {
    const { resource, state } = this.#routeResource(schema, where)
    const found = new Map<string, { raw: unknown, resource: SchemaResource, pointer: string | null }>()
    const required = new Set<string>()
    this.#collectShape(schema, resource, resource.pointer, state, found, required, 0)
    const properties: ShapeProperty[] = []
    for (const [name, entry] of found) {
      const transformed = this.#transform(entry.raw, entry.resource, entry.pointer, state) as JsonSchema
      const description = isObject(entry.raw) && typeof entry.raw.description === 'string' ? entry.raw.description : undefined
      if (description !== undefined && isObject(transformed)) {
        // The parameter carries the description; keeping it in the schema too would show it twice.
        delete transformed.description
        properties.push({ name, schema: transformed, description })
      } else {
        properties.push({ name, schema: transformed })
      }
    }
    return { properties, required }
  }

  /** Whether an object schema (after `$ref`s and `allOf`) lists required properties. */
  hasRequired (schema: unknown, where: string): boolean {
    const { resource, state } = this.#routeResource(schema, where)
    const required = new Set<string>()
    this.#collectShape(schema, resource, resource.pointer, state, new Map(), required, 0)
    return required.size > 0
  }

  #routeResource (schema: unknown, where: string): { resource: SchemaResource, state: TransformState } {
    const base = isObject(schema) && typeof schema.$id === 'string' ? canonicalId(schema.$id) : undefined
    const resource: SchemaResource = { raw: schema, base, pointer: null }
    const localIds = new Map<string, SchemaResource>()
    if (base !== undefined) localIds.set(base, resource)
    collectNestedIds(schema, base, null, localIds, true)
    return { resource, state: { where, localIds, inlining: new Set() } }
  }

  #collectShape (
    node: unknown,
    resource: SchemaResource,
    pointer: string | null,
    state: TransformState,
    found: Map<string, { raw: unknown, resource: SchemaResource, pointer: string | null }>,
    required: Set<string>,
    depth: number
  ): void {
    if (!isObject(node)) return
    if (depth > 32) throw openApiError('VLX_ERR_OPENAPI_RECURSIVE_REF', String(node.$ref), state.where)
    if (typeof node.$ref === 'string') {
      const target = this.#resolveRef(node.$ref, resource, state)
      this.#collectShape(target.raw, target.resource, target.pointer, state, found, required, depth + 1)
    }
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((member, i) => {
        this.#collectShape(member, resource, childPointer(pointer, 'allOf', String(i)), state, found, required, depth + 1)
      })
    }
    if (isObject(node.properties)) {
      for (const [name, raw] of Object.entries(node.properties)) {
        if (!found.has(name)) found.set(name, { raw, resource, pointer: childPointer(pointer, 'properties', name) })
      }
    }
    if (Array.isArray(node.required)) {
      for (const name of node.required) if (typeof name === 'string') required.add(name)
    }
  }

  /**
   * Copies one schema. `pointer` is its location in the document when it has one (inside a
   * component), which nested `$id`s need; `null` inside route schemas.
   */
  #transform (node: unknown, resource: SchemaResource, pointer: string | null, state: TransformState): unknown {
    if (!isObject(node)) return cloneJson(node)
    if (node !== resource.raw && typeof node.$id === 'string') {
      resource = { raw: node, base: canonicalId(resolveUri(node.$id, resource.base)), pointer }
    }
    const out: Record<string, unknown> = {}
    let inlined: { value: unknown } | undefined
    const tupleItems = Array.isArray(node.items)
    for (const [key, value] of Object.entries(node)) {
      if (value === undefined) continue
      if (key === '$id' || key === '$schema' || key === 'nullable') continue
      if (key === '$ref' && typeof value === 'string') {
        const target = this.#resolveRef(value, resource, state)
        if (target.pointer !== null) {
          out.$ref = target.pointer
        } else {
          inlined = { value: this.#inline(value, target, state) }
        }
      } else if ((key === 'definitions' || key === '$defs') && resource.pointer === null) {
        // Route schemas: every reference into these was inlined above, nothing points here.
        continue
      } else if (key === 'items' && tupleItems) {
        out.prefixItems = (value as unknown[]).map((item, i) => this.#transform(item, resource, childPointer(pointer, 'prefixItems', String(i)), state))
      } else if (key === 'additionalItems') {
        // draft-07 ignores additionalItems unless items is a tuple; 2020-12 calls it items.
        if (tupleItems) out.items = this.#transform(value, resource, childPointer(pointer, 'items'), state)
      } else if (key === 'dependencies' && isObject(value)) {
        this.#splitDependencies(value, out, resource, pointer, state)
      } else if (key === 'discriminator' && isObject(value)) {
        out.discriminator = this.#discriminator(value, resource, state)
      } else if (key === 'items' || SCHEMA_KEYWORDS.has(key)) {
        out[key] = this.#transform(value, resource, childPointer(pointer, key), state)
      } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
        out[key] = value.map((member, i) => this.#transform(member, resource, childPointer(pointer, key, String(i)), state))
      } else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
        const map: Record<string, unknown> = {}
        for (const [name, child] of Object.entries(value)) {
          map[name] = this.#transform(child, resource, childPointer(pointer, key, name), state)
        }
        out[key] = map
      } else {
        out[key] = cloneJson(value)
      }
    }
    exclusiveBoundsAsNumbers(node, out, 'minimum', 'exclusiveMinimum')
    exclusiveBoundsAsNumbers(node, out, 'maximum', 'exclusiveMaximum')
    let result: unknown = out
    if (inlined !== undefined) {
      // A $ref with sibling keywords applies both (2020-12, section 8.2.3.1): an allOf says the same.
      if (Object.keys(out).length === 0) {
        result = inlined.value
      } else {
        const allOf = Array.isArray(out.allOf) ? [inlined.value, ...out.allOf as unknown[]] : [inlined.value]
        result = { ...out, allOf }
      }
    }
    if (node.nullable === true) result = withNull(result)
    return result
  }

  #inline (ref: string, target: RefTarget, state: TransformState): unknown {
    if (state.inlining.has(target.raw)) throw openApiError('VLX_ERR_OPENAPI_RECURSIVE_REF', ref, state.where)
    state.inlining.add(target.raw)
    try {
      return this.#transform(target.raw, target.resource, null, state)
    } finally {
      state.inlining.delete(target.raw)
    }
  }

  #splitDependencies (
    dependencies: Record<string, unknown>,
    out: Record<string, unknown>,
    resource: SchemaResource,
    pointer: string | null,
    state: TransformState
  ): void {
    for (const [name, dependency] of Object.entries(dependencies)) {
      if (Array.isArray(dependency)) {
        const required = (out.dependentRequired ??= {}) as Record<string, unknown>
        required[name] = cloneJson(dependency)
      } else {
        const schemas = (out.dependentSchemas ??= {}) as Record<string, unknown>
        schemas[name] = this.#transform(dependency, resource, childPointer(pointer, 'dependentSchemas', name), state)
      }
    }
  }

  /** `discriminator.mapping` values are references too; those that name a component are rewritten. */
  #discriminator (discriminator: Record<string, unknown>, resource: SchemaResource, state: TransformState): Record<string, unknown> {
    const out = cloneJson(discriminator) as Record<string, unknown>
    if (!isObject(discriminator.mapping)) return out
    const mapping: Record<string, unknown> = {}
    for (const [value, ref] of Object.entries(discriminator.mapping)) {
      mapping[value] = ref
      if (typeof ref !== 'string') continue
      try {
        const target = this.#resolveRef(ref, resource, state)
        if (target.pointer !== null) mapping[value] = target.pointer
      } catch {
        // Not a reference we know: mapping values may also be bare component names.
      }
    }
    out.mapping = mapping
    return out
  }

  /** Finds what a `$ref` names, from the resource it is written in. */
  #resolveRef (ref: string, resource: SchemaResource, state: TransformState): RefTarget {
    const hash = ref.indexOf('#')
    const uri = hash === -1 ? ref : ref.slice(0, hash)
    const fragment = hash === -1 ? '' : ref.slice(hash + 1)
    let targetResource = resource
    if (uri !== '') {
      const found = this.#lookupId(canonicalId(uri), state) ?? this.#lookupId(canonicalId(resolveUri(uri, resource.base)), state)
      if (found === undefined) {
        throw openApiError('VLX_ERR_OPENAPI_UNRESOLVED_REF', ref, state.where,
          `no shared schema has the $id "${uri}" (add it with app.addSchema())`)
      }
      targetResource = found
    }
    if (fragment !== '' && !fragment.startsWith('/')) {
      throw openApiError('VLX_ERR_OPENAPI_UNRESOLVED_REF', ref, state.where,
        'only JSON Pointer fragments are supported, not $anchor names')
    }
    const raw = resolvePointer(targetResource.raw, fragment)
    if (raw === undefined) {
      throw openApiError('VLX_ERR_OPENAPI_UNRESOLVED_REF', ref, state.where,
        `the pointer "#${fragment}" leads nowhere in ${targetResource.base === undefined ? 'this schema' : `"${targetResource.base}"`}`)
    }
    return {
      raw,
      resource: targetResource,
      pointer: targetResource.pointer === null ? null : targetResource.pointer + fragment
    }
  }

  #lookupId (id: string, state: TransformState): SchemaResource | undefined {
    return state.localIds.get(id) ?? this.#registry.ids.get(id)
  }
}

function childPointer (pointer: string | null, ...tokens: string[]): string | null {
  if (pointer === null) return null
  return pointer + tokens.map(token => '/' + encodePointerToken(token)).join('')
}

/** `nullable: true` of OpenAPI 3.0: 3.1 spells it as a `'null'` type. */
function withNull (schema: unknown): unknown {
  if (!isObject(schema)) return schema
  const { type } = schema
  if (typeof type === 'string') {
    if (type !== 'null') schema.type = [type, 'null']
  } else if (Array.isArray(type)) {
    if (!type.includes('null')) schema.type = [...type as unknown[], 'null']
  } else if ('$ref' in schema || 'allOf' in schema || 'anyOf' in schema || 'oneOf' in schema) {
    // The type lives in the referenced or composed schema: widen from outside.
    return { anyOf: [schema, { type: 'null' }] }
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum as unknown[], null]
  return schema
}

/** draft-04 `{ minimum: 5, exclusiveMinimum: true }` is `{ exclusiveMinimum: 5 }` since draft-06. */
function exclusiveBoundsAsNumbers (
  node: Record<string, unknown>,
  out: Record<string, unknown>,
  bound: 'minimum' | 'maximum',
  exclusive: 'exclusiveMinimum' | 'exclusiveMaximum'
): void {
  if (typeof node[exclusive] !== 'boolean') return
  delete out[exclusive]
  if (node[exclusive] === true && typeof node[bound] === 'number') {
    out[exclusive] = node[bound]
    delete out[bound]
  }
}

/** A deep copy of JSON data; `undefined`, functions and symbol keys are dropped as JSON drops them. */
export function cloneJson (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson)
  if (isObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined && typeof child !== 'function') out[key] = cloneJson(child)
    }
    return out
  }
  return value
}
