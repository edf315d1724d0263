/**
 * The checks a schema passes before any code is generated from it: no object cycles, no
 * nesting deeper than `maxDepth`, and valid against the draft-07 meta-schema. Messages are
 * fast-json-stringify's.
 */
import { createMetaSchemaValidator } from './schema-check.generated.js'

type MetaValidate = ((schema: unknown) => boolean) & { errors: Array<{ instancePath: string, message?: string }> }
let metaValidate: MetaValidate | null = null

const SINGLE_SCHEMA_KEYWORDS = ['additionalItems', 'additionalProperties', 'contains', 'else', 'if', 'not', 'propertyNames', 'then']
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf']
const SCHEMA_MAP_KEYWORDS = ['definitions', 'patternProperties', 'properties']

export function depthError (maxDepth: number, name?: string): Error {
  return new Error(`${name ? `"${name}" ` : ''}schema exceeds maximum depth of ${maxDepth}`)
}

/**
 * Walks the schema as plain data: refuses object cycles (a `$ref` is how a schema recurses)
 * and containers nested deeper than twice `maxDepth` (a map of schemas adds one level per
 * schema). Returns whether a `$ref` appears, so recursion is looked for only then.
 */
export function checkObjectDepth (schema: unknown, maxDepth: number, name?: string): boolean {
  const onPath = new Set<object>()
  let hasRef = false
  const visit = (value: object, depth: number): void => {
    if (depth > maxDepth * 2) throw depthError(maxDepth, name)
    if (onPath.has(value)) throw new Error('schema contains a circular object reference; use $ref instead')
    onPath.add(value)
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key]
      if (key === '$ref' && typeof child === 'string') hasRef = true
      if (typeof child === 'object' && child !== null) visit(child, depth + 1)
    }
    onPath.delete(value)
  }
  if (typeof schema === 'object' && schema !== null) visit(schema, 0)
  return hasRef
}

/** Refuses schemas nested (through subschema keywords) deeper than `maxDepth`. */
export function checkSchemaDepth (schema: unknown, maxDepth: number, name?: string): void {
  const visit = (node: unknown, depth: number): void => {
    if (depth > maxDepth) throw depthError(maxDepth, name)
    if (typeof node !== 'object' || node === null) return
    const s = node as Record<string, any>
    for (const keyword of SINGLE_SCHEMA_KEYWORDS) {
      if (typeof s[keyword] === 'object' && s[keyword] !== null) visit(s[keyword], depth + 1)
    }
    for (const keyword of SCHEMA_LIST_KEYWORDS) {
      if (Array.isArray(s[keyword])) for (const item of s[keyword]) visit(item, depth + 1)
    }
    if (Array.isArray(s.items)) {
      for (const item of s.items) visit(item, depth + 1)
    } else if (typeof s.items === 'object' && s.items !== null) {
      visit(s.items, depth + 1)
    }
    for (const keyword of SCHEMA_MAP_KEYWORDS) {
      const map = s[keyword]
      if (typeof map === 'object' && map !== null) for (const key of Object.keys(map)) visit(map[key], depth + 1)
    }
    const dependencies = s.dependencies
    if (typeof dependencies === 'object' && dependencies !== null) {
      for (const key of Object.keys(dependencies)) {
        if (!Array.isArray(dependencies[key])) visit(dependencies[key], depth + 1)
      }
    }
  }
  visit(schema, 0)
}

/** Refuses a schema the draft-07 meta-schema rejects, naming the first problem. */
export function checkValidSchema (schema: unknown, name?: string): void {
  metaValidate ??= createMetaSchemaValidator() as MetaValidate
  if (metaValidate(schema)) return
  const first = metaValidate.errors[0]
  const error = new Error(`${name ? `"${name}" ` : ''}schema is invalid: data${String(first.instancePath)} ${String(first.message)}`) as Error & { errors?: unknown }
  error.errors = metaValidate.errors
  throw error
}
