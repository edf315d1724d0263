/**
 * Standard Schema (https://standardschema.dev) route schemas: Zod 4, Valibot,
 * ArkType and any other library whose schemas carry `~standard`.
 *
 * At route registration (never per request) each such schema becomes JSON
 * Schema through the Standard JSON Schema interface the schema carries
 * (`~standard.jsonSchema`: Zod 4 and ArkType have it built in, Valibot
 * through `toStandardJsonSchema` of `@valibot/to-json-schema`): the input
 * side for request parts, the output side for responses. OpenAPI and the
 * response serializers read that JSON Schema.
 *
 * Request parts are validated by compiled ajv code only when the conversion
 * is faithful, that is when the library's converter refuses what JSON Schema
 * cannot say. Valibot's does (a `check` or `transform` throws). Zod's and
 * ArkType's leave out refinements (`.refine()`, `.narrow()`) and transforms
 * without a word, so their schemas, and any schema without a conversion or
 * whose conversion fails, are validated by the library's own
 * `~standard.validate`, and the handler gets the library's output value
 * (transforms and defaults applied), which is the type the route infers.
 */
import type { JsonSchema } from './store.js'
import type { ValidateFunction } from './compile.js'

/** The part of the Standard Schema v1 interface Velox reads. */
interface StandardSchema {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => StandardResult | Promise<StandardResult>
    readonly jsonSchema?: {
      readonly input: (options: { target: string }) => Record<string, unknown>
      readonly output: (options: { target: string }) => Record<string, unknown>
    }
  }
}

type StandardResult =
  | { readonly value: unknown, readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string, readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> }> }

/** The ajv issue shape Velox's error formatter and `error.validation` use. */
interface Issue { instancePath: string, message: string, keyword: string, params: Record<string, unknown> }

// Vendors whose JSON Schema converter throws on what JSON Schema cannot say,
// so that a conversion that succeeds validates the same values.
const faithfulVendors = new Set(['valibot'])

// Velox's ajv speaks draft-07, as Fastify's does.
const target = 'draft-07'

/** The library validator a converted request-part schema carries, when it has one. */
const kStandardValidator = Symbol('velox.standardValidator')
/** The library schema a converted request-part schema was made from. */
const kStandardSource = Symbol('velox.standardSource')

/** True for an object implementing Standard Schema v1. */
export function isStandardSchema (value: unknown): value is StandardSchema {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false
  const standard = (value as { '~standard'?: { version?: unknown, validate?: unknown } })['~standard']
  return standard !== null && typeof standard === 'object' && standard.version === 1 && typeof standard.validate === 'function'
}

function convert (schema: StandardSchema, side: 'input' | 'output'): JsonSchema | null {
  const converter = schema['~standard'].jsonSchema
  if (converter === undefined || typeof converter[side] !== 'function') return null
  try {
    const json = converter[side]({ target })
    // A `$schema` names a dialect for a document root; a route's part is not one.
    const { $schema: _dialect, ...rest } = json
    return rest as JsonSchema
  } catch {
    return null
  }
}

/**
 * A request part's schema as Velox compiles it: JSON Schema for ajv, or, when
 * the part must be validated by its library, JSON Schema for OpenAPI (`{}`
 * without a conversion) carrying the library's validator.
 */
export function requestPartSchema (schema: StandardSchema, part: string): JsonSchema {
  const input = convert(schema, 'input')
  const faithful = input !== null && faithfulVendors.has(schema['~standard'].vendor) && convert(schema, 'output') !== null
  const json: JsonSchema = input ?? {}
  if (!faithful) Object.defineProperty(json, kStandardValidator, { value: standardValidator(schema, part === 'headers') })
  // A custom validatorCompiler gets the schema as written (a Joi or Yup object), as in Fastify.
  Object.defineProperty(json, kStandardSource, { value: schema })
  return json
}

/** The library schema a converted request-part schema was made from, if any. */
export function standardSourceOf (schema: unknown): StandardSchema | null {
  if (schema === null || typeof schema !== 'object') return null
  return (schema as { [kStandardSource]?: StandardSchema })[kStandardSource] ?? null
}

/**
 * A response schema as Velox serializes it: the library's output side as
 * JSON Schema, or `null` when the schema has no conversion (the payload is
 * then sent with the default serializer, as for a status without a schema).
 */
export function responseSchema (schema: StandardSchema): JsonSchema | null {
  return convert(schema, 'output')
}

/** The library validator a request-part schema carries, if any (see requestPartSchema). */
export function standardValidatorOf (schema: unknown): ValidateFunction | null {
  if (schema === null || typeof schema !== 'object') return null
  return (schema as { [kStandardValidator]?: ValidateFunction })[kStandardValidator] ?? null
}

function issuesOf (result: Extract<StandardResult, { issues: unknown }>, vendor: string): Issue[] {
  return result.issues.map((issue) => {
    let instancePath = ''
    for (const segment of issue.path ?? []) {
      const key = typeof segment === 'object' && segment !== null ? segment.key : segment
      instancePath += '/' + String(key)
    }
    return { instancePath, message: issue.message, keyword: 'standardSchema', params: { vendor } }
  })
}

/**
 * A validator in the shape runValidator (schema/validation.ts) takes: `{ value }`
 * (the library's output replaces the part) or `{ error }` (the issues, ajv-shaped),
 * or a promise that resolves with one of those for asynchronous schemas.
 */
function standardValidator (schema: StandardSchema, merge: boolean): ValidateFunction {
  const standard = schema['~standard']
  const validate = function standardSchemaValidate (data: unknown): unknown {
    const settle = (result: StandardResult): { value: unknown } | { error: Issue[] } => {
      if (result.issues !== undefined) return { error: issuesOf(result, standard.vendor) }
      // Headers keep the ones the schema does not name (Zod and Valibot
      // objects drop unknown keys): the pipeline and hooks read them.
      return { value: merge ? { ...(data as object), ...(result.value as object) } : result.value }
    }
    const result = standard.validate(data)
    return typeof (result as Promise<StandardResult>).then === 'function'
      ? (result as Promise<StandardResult>).then(settle)
      : settle(result as StandardResult)
  }
  return Object.assign(validate, { resolvesResult: true }) as unknown as ValidateFunction
}
