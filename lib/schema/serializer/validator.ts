/**
 * The Ajv instance that picks the branch of an anyOf, oneOf or if/then/else while serializing,
 * set up as fast-json-stringify sets up its own so the same values pick the same branches:
 * strict schema checks off, union types allowed, ajv-formats, and `type: 'string'` widened to
 * also accept objects with a `toJSON` method (a Date under a date-time string, say).
 */
import { createRequire } from 'node:module'
import type { RefResolverLike } from './resolver.js'

const require = createRequire(import.meta.url)

type AjvInstance = InstanceType<typeof import('ajv').default>
export type BranchCheck = (value: unknown) => boolean

/** The custom keyword added next to widened string types. */
const STRING_LIKE = 'vlx_string_like'

/** Keywords whose value maps names to schemas; the names are data, not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies'])

/**
 * Ajv reads a `$ref` fragment as URI-encoded; a literal `%` in a definition name would be decoded
 * away, so it is encoded once more.
 */
export function escapeRefForAjv (ref: string): string {
  const hash = ref.indexOf('#')
  if (hash === -1) return ref
  return ref.slice(0, hash) + ref.slice(hash).replace(/%/g, '%25')
}

/** A deep copy of a schema's plain objects and arrays. */
function copy (value: any): any {
  if (Array.isArray(value)) return value.map(copy)
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value
  const out: Record<string, unknown> = {}
  for (const key in value) out[key] = copy(value[key])
  return out
}

export class BranchValidator {
  readonly ajv: AjvInstance
  /** Schemas added, by the key Ajv knows them by. */
  private readonly added = new Set<string>()

  constructor (ajvOptions: Record<string, unknown> | undefined, standalone: boolean) {
    const Ajv = require('ajv').default as typeof import('ajv').default
    const options: Record<string, unknown> = {
      ...ajvOptions,
      strictSchema: ajvOptions?.strictSchema ?? false,
      validateSchema: false,
      allowUnionTypes: true,
      uriResolver: require('fast-uri')
    }
    if (standalone) {
      options.code = { ...(ajvOptions?.code as object | undefined), source: true, esm: false, formats: require('ajv/dist/compile/codegen')._`require("ajv-formats/dist/formats").fullFormats` }
    }
    this.ajv = new Ajv(options as any)
    require('ajv-formats')(this.ajv)
    const { _ } = require('ajv/dist/compile/codegen')
    this.ajv.addKeyword({
      keyword: STRING_LIKE,
      type: 'object',
      errors: false,
      code (context: any) {
        context.fail(_`!${context.data} || typeof ${context.data}.toJSON !== "function"`)
      }
    })
  }

  /** Adds a schema under `name` (its `$id` when it has one), once. */
  addSchema (schema: any, name: string, refs: RefResolverLike): void {
    let key: string = schema.$id || name
    if (schema.$id !== undefined && schema.$id[0] === '#') key = name + String(schema.$id)
    if (this.added.has(key) || this.ajv.refs[key] !== undefined || this.ajv.schemas[key] !== undefined) return
    this.added.add(key)
    const converted = copy(schema)
    widenStrings(converted, (ref) => hasLiteralTarget(ref, name, refs))
    this.ajv.addSchema(converted, key)
  }

  /** The validation function for a schema ref (compiled on first use). */
  get (ref: string): BranchCheck {
    const fn = this.ajv.getSchema(ref)
    if (fn === undefined) throw new Error(`no schema with key or ref "${ref}"`)
    return fn as BranchCheck
  }

  /** Ajv's standalone code exporting the validator of each ref, keyed by the ref. */
  standaloneCode (refs: Iterable<string>): string {
    const standaloneCode = require('ajv/dist/standalone').default
    const map: Record<string, string> = {}
    for (const ref of refs) map[ref] = ref
    return standaloneCode(this.ajv, map)
  }
}

/**
 * A `$ref` is escaped for Ajv only when it names an existing literal key: then the serializer
 * and Ajv agree on its target.
 */
function hasLiteralTarget (ref: string, schemaId: string, refs: RefResolverLike): boolean {
  const hash = ref.indexOf('#')
  if (hash === -1) return false
  return refs.getSchema(ref.slice(0, hash) || schemaId, ref.slice(hash)) !== null
}

/** Rewrites a copied schema for Ajv: string types also accept objects that have `toJSON`. */
function widenStrings (schema: any, shouldEscape: (ref: string) => boolean): void {
  if (schema === null) return
  if (typeof schema.$ref === 'string' && shouldEscape(schema.$ref)) schema.$ref = escapeRefForAjv(schema.$ref)
  if (schema.type === 'string') {
    schema[STRING_LIKE] = 'string'
    schema.type = ['string', 'object']
  } else if (Array.isArray(schema.type) && schema.type.includes('string') && !schema.type.includes('object')) {
    schema[STRING_LIKE] = 'string'
    schema.type.push('object')
  }
  for (const key in schema) {
    const value = schema[key]
    // propertyNames checks keys, which are always strings.
    if (typeof value !== 'object' || key === 'propertyNames') continue
    if (SCHEMA_MAPS.has(key)) {
      for (const name in value) widenStrings(value[name], shouldEscape)
    } else {
      widenStrings(value, shouldEscape)
    }
  }
}
