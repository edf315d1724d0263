/**
 * Velox's serializer compiler: a response schema in, a function from value to JSON text out,
 * byte for byte what fast-json-stringify 7 returns for every value it accepts (its own test
 * suite is the oracle: `npm run test:fjs-suite`), with the same options and errors.
 *
 * The generated code comes only from the schema and the options, never from data being
 * serialized; every property name and constant is written into it through JSON.stringify.
 * It can also be written out as a standalone CommonJS module (`serializerSource`), which is
 * how the schema cache and ahead-of-time builds keep serializers.
 */
import * as runtime from './runtime.js'
import { Location } from './location.js'
import { checkOptions, type SerializerOptions } from './options.js'
import { checkObjectDepth, checkSchemaDepth, checkValidSchema } from './schema-check.js'
import { SchemaResolver, documentId } from './resolver.js'
import { Generator } from './generate.js'
import { BranchValidator } from './validator.js'

export type { SerializerOptions } from './options.js'
export type Serializer = (value: unknown) => string
/** The runtime helpers generated code calls; a standalone module's factory takes them. */
export type SerializerRuntime = typeof runtime
export { runtime }

/** A compiled schema: its generated code and what runs it. */
interface Compiled {
  generator: Generator
  resolver: SchemaResolver
  code: string
}

/** A copy of the schema's plain objects and arrays: the compiler writes inferred types into its own copy only. */
function copySchema (value: any): any {
  if (Array.isArray(value)) return value.map(copySchema)
  if (value === null || typeof value !== 'object') return value
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  for (const key in value) out[key] = copySchema(value[key])
  return out
}

function generate (schema: unknown, options: SerializerOptions): Compiled {
  // Checked in fast-json-stringify's order, so a schema with several problems reports the same one.
  const maxDepth = checkOptions({ maxDepth: options.maxDepth }).maxDepth
  let hasRef = checkObjectDepth(schema, maxDepth)
  checkSchemaDepth(schema, maxDepth)
  checkValidSchema(schema)
  const root = copySchema(schema)
  const rootId: string = (root as { $id?: string }).$id || '__vlx_root'
  const resolver = new SchemaResolver(rootId, maxDepth)
  if (!resolver.refs.hasSchema(documentId(root, rootId))) resolver.refs.addSchema(root, rootId)
  const externals = options.schema
  if (externals) {
    for (const key in externals) {
      const external = externals[key]
      if (resolver.refs.hasSchema(documentId(external, key))) continue
      if (checkObjectDepth(external, maxDepth, key)) hasRef = true
      checkSchemaDepth(external, maxDepth, key)
      checkValidSchema(external, key)
      resolver.refs.addSchema(copySchema(external), key)
    }
  }
  const checked = checkOptions(options)
  const location = new Location(root, rootId)
  if (hasRef) resolver.checkReferences(location)
  const generator = new Generator(resolver, checked)
  const rootCode = generator.value(location, 'input', 'string')
  return { generator, resolver, code: generator.source(rootCode, checked.rounding) }
}

/** The branch validator of a compiled schema, with every schema document its branches may reach. */
function branchValidator (compiled: Compiled, options: SerializerOptions, standalone: boolean): BranchValidator {
  const validator = new BranchValidator(options.ajv, standalone)
  const refs = compiled.resolver.refs
  for (const id of compiled.generator.validatorDocuments) {
    validator.addSchema(refs.getSchema(id), id, refs)
    for (const [dependency, schema] of compiled.resolver.dependencies(id)) validator.addSchema(schema, dependency, refs)
  }
  return validator
}

/**
 * Compiles a response schema into a serializer.
 *
 * @example
 * const serialize = compileSerializer({ type: 'object', properties: { id: { type: 'integer' } } })
 * serialize({ id: 1.7, secret: 'x' }) // '{"id":1}'
 */
export function compileSerializer (schema: unknown, options: SerializerOptions = {}): Serializer {
  return serializerOf(generate(schema, options), options)
}

/** The standalone module source of a compiled schema (see serializerSource). */
function standaloneSource (compiled: Compiled, options: SerializerOptions): string {
  let validators = 'const V = null\n'
  if (compiled.generator.validatorDocuments.size > 0) {
    const validator = branchValidator(compiled, options, true)
    const code = validator.standaloneCode(compiled.generator.branchChecks.keys())
    validators = 'const checks = (function () {\nconst module = { exports: {} }\nconst exports = module.exports\n' +
      `${code}\nreturn module.exports\n})()\nconst V = (ref) => checks[ref]\n`
  }
  return `'use strict'\nmodule.exports = function veloxSerializer (R) {\n${validators}${compiled.code}\n}\n`
}

/** Builds the serializer function of compiled code, with branch validators compiled on first use. */
function serializerOf (compiled: Compiled, options: SerializerOptions): Serializer {
  // Generated code asks for a branch validator only when it has branches.
  let getCheck: ((ref: string) => unknown) | null = null
  if (compiled.generator.validatorDocuments.size > 0) {
    const validator = branchValidator(compiled, options, false)
    if (options.compileValidators) for (const ref of compiled.generator.branchChecks.keys()) validator.get(ref)
    getCheck = (ref) => validator.get(ref)
  }
  // eslint-disable-next-line no-new-func -- the code is generated from the schema alone (see emit.ts)
  const factory = new Function('R', 'V', compiled.code) as (r: SerializerRuntime, v: typeof getCheck) => Serializer
  return factory(runtime, getCheck)
}

/**
 * The serializer and its standalone source (see serializerSource) from one compilation; the
 * source is null when Ajv cannot write a branch validator as code.
 */
export function compileSerializerWithSource (schema: unknown, options: SerializerOptions = {}): { serializer: Serializer, source: string | null } {
  const compiled = generate(schema, options)
  const serializer = serializerOf(compiled, options)
  let source: string | null = null
  try {
    source = standaloneSource(compiled, options)
  } catch {
    // The serializer works; its validators compile on first use instead of being stored as code.
  }
  return { serializer, source }
}

/**
 * The serializer as the source of a CommonJS module whose export is a function of the
 * runtime helpers (`runtime` from this module) returning the serializer. Branch validators are
 * Ajv's standalone code, inlined; they `require` Ajv's runtime helpers and ajv-formats.
 *
 * @example
 * const source = serializerSource(schema)
 * // later, from the stored source: module.exports(runtime) is the serializer
 */
export function serializerSource (schema: unknown, options: SerializerOptions = {}): string {
  return standaloneSource(generate(schema, options), options)
}
