/**
 * Route schema normalization, as Fastify does it before compiling:
 * `query` is an alias of `querystring`, fluent-json-schema objects become
 * plain JSON Schema (and so do Standard Schema objects: Zod, Valibot,
 * ArkType; see standard-schema.ts), `content` maps must name a schema per media type, and
 * header names in a `headers` schema are lower-cased (Node.js lower-cases the
 * names of received headers, RFC 9110 5.1 makes them case-insensitive).
 */
import { FST_ERR_SCH_CONTENT_MISSING_SCHEMA, FST_ERR_SCH_DUPLICATE } from '../errors.js'
import { isStandardSchema, requestPartSchema, responseSchema } from './standard-schema.js'
import type { JsonSchema } from './store.js'

const kFluentSchema = Symbol.for('fluent-schema-object')
const requestParts = ['params', 'body', 'querystring', 'headers'] as const

function isFluent (schema: unknown): schema is { valueOf: () => JsonSchema } {
  if (schema === null || typeof schema !== 'object') return false
  const s = schema as Record<string | symbol, unknown>
  return s.isFluentSchema === true || s.isFluentJSONSchema === true || s[kFluentSchema] !== undefined
}

/** True for a schema with Fastify's per-media-type `content` map. */
export function isContentMap (schema: unknown): schema is { content: Record<string, { schema: JsonSchema }> } {
  return schema !== null && typeof schema === 'object' &&
    typeof (schema as JsonSchema).content === 'object' && (schema as JsonSchema).content !== null
}

/**
 * A shallow copy of a route's `schema` option with `query` moved to
 * `querystring` and fluent schemas turned into JSON. Throws
 * FST_ERR_SCH_DUPLICATE when both `query` and `querystring` are given and
 * FST_ERR_SCH_CONTENT_MISSING_SCHEMA for a `content` entry without `schema`.
 */
export function normalizeRouteSchema (schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema }
  if (out.query !== undefined) {
    if (out.querystring !== undefined) throw new FST_ERR_SCH_DUPLICATE('querystring')
    out.querystring = out.query
  }
  for (const part of requestParts) {
    if (isFluent(out[part])) out[part] = out[part].valueOf()
    else if (isStandardSchema(out[part])) out[part] = requestPartSchema(out[part], part)
  }
  if (isContentMap(out.body)) checkContentMap(out.body.content)
  if (out.response !== null && typeof out.response === 'object') {
    let response: JsonSchema | null = null
    for (const code of Object.keys(out.response)) {
      const entry = out.response[code]
      if (isFluent(entry)) {
        response ??= { ...out.response } as JsonSchema
        response[code] = entry.valueOf()
      } else if (isStandardSchema(entry)) {
        response ??= { ...out.response } as JsonSchema
        const json = responseSchema(entry)
        if (json === null) delete response[code]
        else response[code] = json
      } else if (isContentMap(entry)) {
        checkContentMap(entry.content)
      }
    }
    if (response !== null) out.response = response
  }
  return out
}

function checkContentMap (content: Record<string, { schema?: JsonSchema } | undefined>): void {
  for (const type of Object.keys(content)) {
    const entry = content[type]
    if (entry === null || typeof entry !== 'object' || entry.schema === undefined || entry.schema === null) {
      throw new FST_ERR_SCH_CONTENT_MISSING_SCHEMA(type)
    }
  }
}

const lowerCased = new WeakMap<object, JsonSchema>()

/**
 * The `headers` schema with every header name lower-cased: keys of
 * `properties`, `dependencies`, `dependentSchemas` and `dependentRequired`,
 * names in `required` and dependency lists, and `enum`/`const` values under
 * `propertyNames`, through every subschema. Regular expressions
 * (`patternProperties`, `pattern`) are left alone: they cannot be rewritten
 * safely and must be written for lower-case names. The input is not changed;
 * the copy is cached per input object so a schema shared by many routes is
 * compiled once.
 */
export function lowerCaseHeaderNames (schema: JsonSchema): JsonSchema {
  const hit = lowerCased.get(schema)
  if (hit !== undefined) return hit
  const out = lowerCaseNode(schema, false) as JsonSchema
  lowerCased.set(schema, out)
  return out
}

const subschemaKeys = new Set([
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'items', 'additionalItems', 'additionalProperties',
  'unevaluatedItems', 'unevaluatedProperties', 'contains', 'contentSchema'
])
/** Maps whose keys are not header names (definition names, patterns): only their values are visited. */
const schemaMapKeys = new Set(['definitions', '$defs', 'patternProperties'])

function lowerCaseNode (node: unknown, inPropertyNames: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => lowerCaseNode(item, inPropertyNames))
  if (node === null || typeof node !== 'object') return node
  const out: JsonSchema = {}
  for (const key of Object.keys(node)) {
    const value = (node as JsonSchema)[key]
    if (key === 'properties' || key === 'dependentSchemas' || key === 'dependencies' || key === 'dependentRequired') {
      out[key] = isPlainMap(value) ? lowerCaseKeys(key, value, inPropertyNames) : value
    } else if (key === 'required') {
      out[key] = Array.isArray(value) ? value.map(lowerName) : value
    } else if (key === 'propertyNames') {
      out[key] = lowerCaseNode(value, true)
    } else if (subschemaKeys.has(key)) {
      out[key] = lowerCaseNode(value, inPropertyNames)
    } else if (schemaMapKeys.has(key) && isPlainMap(value)) {
      const map: JsonSchema = {}
      for (const name of Object.keys(value)) map[name] = lowerCaseNode(value[name], inPropertyNames)
      out[key] = map
    } else if (inPropertyNames && key === 'enum' && Array.isArray(value)) {
      out[key] = value.map(lowerName)
    } else if (inPropertyNames && key === 'const' && typeof value === 'string') {
      out[key] = value.toLowerCase()
    } else {
      out[key] = value
    }
  }
  return out
}

function lowerCaseKeys (keyword: string, map: JsonSchema, inPropertyNames: boolean): JsonSchema {
  const out: JsonSchema = {}
  for (const name of Object.keys(map)) {
    const value = map[name]
    // dependencies / dependentRequired hold lists of header names; the others hold subschemas.
    out[name.toLowerCase()] = Array.isArray(value) && keyword !== 'properties'
      ? value.map(lowerName)
      : lowerCaseNode(value, inPropertyNames)
  }
  return out
}

function lowerName (value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value
}

function isPlainMap (value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** True when a schema is a plain object (not a class instance such as a Joi or Zod schema). */
export function isPlainSchema (schema: unknown): schema is JsonSchema {
  return schema !== null && typeof schema === 'object' && Object.getPrototypeOf(schema) === Object.prototype
}
