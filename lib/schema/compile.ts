/**
 * Compilation of validators (ajv 8) and serializers (fast-json-stringify).
 *
 * One compiler per distinct shared-schema bucket: plugins that add no schema
 * share their parent's Ajv instance and caches. Compiling the same schema
 * object twice returns the same function, so a schema object reused across
 * routes (or by the HEAD route generated for a GET) is compiled once.
 *
 * Fastify's SchemaController is mirrored here: `compilersFactory.buildValidator`
 * and `buildSerializer` receive the bucket's schemas and the factory options
 * and return the compilers every route of that bucket uses.
 */
import { createRequire } from 'node:module'
import fastUri from 'fast-uri'
import type { SchemaBucket, JsonSchema, BucketFactory } from './store.js'
import { SchemaStore } from './store.js'
import { FST_ERR_SCHEMA_CONTROLLER_BUCKET_OPT_NOT_FN } from '../errors.js'

const require = createRequire(import.meta.url)
// ajv, ajv-formats and fast-json-stringify are CommonJS; createRequire keeps their default exports intact.
const Ajv = require('ajv').default as typeof import('ajv').default
const addFormats = require('ajv-formats') as (ajv: unknown, opts?: unknown) => unknown
const fjs = require('fast-json-stringify') as (schema: JsonSchema, options?: Record<string, unknown>) => (data: unknown) => string

export type AjvInstance = InstanceType<typeof Ajv>

export interface ValidateFunction {
  (data: unknown, context?: { parentData: unknown, parentDataProperty: string }): boolean | { value?: unknown, error?: unknown } | Error | Promise<unknown>
  errors?: unknown[] | null
  /** Set on functions compiled by ajv: they accept the parent object so they can replace a coerced root value. */
  schemaEnv?: unknown
}

export type SerializeFunction = (data: unknown) => string

export interface ValidatorCompilerInput { schema: JsonSchema, method: string, url: string, httpPart: string, contentType?: string }
export interface SerializerCompilerInput { schema: JsonSchema, method: string, url: string, httpStatus: string, contentType?: string }
export type ValidatorCompiler = (input: ValidatorCompilerInput) => ValidateFunction
export type SerializerCompiler = (input: SerializerCompilerInput) => SerializeFunction

/** `compilersFactory.buildValidator`: Fastify calls it with the shared schemas and the `ajv` factory option. */
export type BuildValidator = (externalSchemas: Record<string, JsonSchema>, ajvOptions: AjvOptions) => ValidatorCompiler
/** `compilersFactory.buildSerializer`: called with the shared schemas and the `serializerOpts` factory option. */
export type BuildSerializer = (externalSchemas: Record<string, JsonSchema>, serializerOpts: Record<string, unknown>) => SerializerCompiler

export interface AjvOptions {
  customOptions?: Record<string, unknown>
  plugins?: Array<unknown | [unknown, unknown]>
  onCreate?: (ajv: AjvInstance) => void
  [key: string]: unknown
}

/** The normalized `schemaController` option of a scope. */
export interface SchemaControllerOptions {
  bucket: BucketFactory | null
  buildValidator: BuildValidator | null
  buildSerializer: BuildSerializer | null
}

/** Fastify's defaults for request validation. */
export const defaultAjvOptions = {
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: true,
  uriResolver: fastUri,
  addUsedSchema: false,
  allErrors: false
} as const

/**
 * Checks and normalizes the `schemaController` factory option (or the
 * argument of `setSchemaController`, merged over the current one).
 */
export function normalizeSchemaController (input: unknown, base?: SchemaControllerOptions): SchemaControllerOptions {
  const opts = (input ?? {}) as { bucket?: unknown, compilersFactory?: { buildValidator?: unknown, buildSerializer?: unknown } }
  if (opts.bucket !== undefined && opts.bucket !== null && typeof opts.bucket !== 'function') {
    throw new FST_ERR_SCHEMA_CONTROLLER_BUCKET_OPT_NOT_FN(typeof opts.bucket)
  }
  // A builder left out falls back to the parent controller's, as in Fastify.
  const factory = opts.compilersFactory ?? {}
  return {
    bucket: (opts.bucket as BucketFactory | undefined) ?? base?.bucket ?? null,
    buildValidator: typeof factory.buildValidator === 'function' ? factory.buildValidator as BuildValidator : base?.buildValidator ?? null,
    buildSerializer: typeof factory.buildSerializer === 'function' ? factory.buildSerializer as BuildSerializer : base?.buildSerializer ?? null
  }
}

/** A new bucket: the controller's `bucket(parentSchemas)`, or the default store. */
export function createBucket (controller: SchemaControllerOptions, parent?: SchemaBucket): SchemaBucket {
  if (controller.bucket !== null) return controller.bucket(parent?.getSchemas())
  if (parent === undefined) return new SchemaStore()
  return new SchemaStore(parent instanceof SchemaStore ? parent : parent.getSchemas())
}

/** The default validator compiler of one bucket: a private Ajv with the bucket's schemas added. */
export class AjvValidatorCompiler {
  private ajv: AjvInstance | null = null
  private readonly cache = new WeakMap<object, ValidateFunction>()

  constructor (
    private readonly externalSchemas: () => Record<string, JsonSchema>,
    private readonly ajvOptions: AjvOptions
  ) {}

  private getAjv (): AjvInstance {
    if (this.ajv !== null) return this.ajv
    const ajv = new Ajv({ ...defaultAjvOptions, ...this.ajvOptions.customOptions } as any)
    // As @fastify/ajv-compiler: plugins first, then ajv-formats unless a plugin already is ajv-formats.
    let addFormatPlugin = true
    for (const plugin of this.ajvOptions.plugins ?? []) {
      if (Array.isArray(plugin)) {
        const fn = plugin[0] as ((a: unknown, o: unknown) => void) & { name: string }
        addFormatPlugin &&= fn.name !== 'formatsPlugin'
        fn(ajv, plugin[1])
      } else {
        const fn = plugin as ((a: unknown) => void) & { name: string }
        addFormatPlugin &&= fn.name !== 'formatsPlugin'
        fn(ajv)
      }
    }
    if (addFormatPlugin) addFormats(ajv)
    this.ajvOptions.onCreate?.(ajv)
    for (const schema of Object.values(this.externalSchemas())) ajv.addSchema(schema)
    this.ajv = ajv
    return ajv
  }

  readonly compile: ValidatorCompiler = ({ schema }) => {
    const cacheable = schema !== null && typeof schema === 'object'
    if (cacheable) {
      const hit = this.cache.get(schema)
      if (hit !== undefined) return hit
    }
    const ajv = this.getAjv()
    let fn: ValidateFunction | undefined
    // Ajv refuses to compile two schemas with one $id: a route schema that is a shared schema reuses it.
    if (cacheable && typeof schema.$id === 'string') fn = ajv.getSchema(schema.$id) as ValidateFunction | undefined
    fn ??= ajv.compile(schema) as ValidateFunction
    if (cacheable) this.cache.set(schema, fn)
    return fn
  }
}

/** The default serializer compiler of one bucket: fast-json-stringify with the bucket's schemas as externals. */
export class FjsSerializerCompiler {
  private readonly cache = new WeakMap<object, SerializeFunction>()
  private externals: Record<string, JsonSchema> | null = null

  constructor (
    private readonly externalSchemas: () => Record<string, JsonSchema>,
    private readonly serializerOpts: Record<string, unknown>
  ) {}

  readonly compile: SerializerCompiler = ({ schema }) => {
    const cacheable = schema !== null && typeof schema === 'object'
    if (cacheable) {
      const hit = this.cache.get(schema)
      if (hit !== undefined) return hit
    }
    this.externals ??= this.externalSchemas()
    let external: Record<string, JsonSchema> | undefined
    // fast-json-stringify checks every external schema on every build: pass them only when the schema can reach them.
    if (Object.keys(this.externals).length > 0 && hasExternalRef(schema)) {
      external = this.externals
      if (typeof schema.$id === 'string' && external[schema.$id] !== undefined) {
        external = { ...external }
        delete external[schema.$id]
      }
    }
    const fn = fjs(schema, external === undefined ? this.serializerOpts : { ...this.serializerOpts, schema: external })
    if (cacheable) this.cache.set(schema, fn)
    return fn
  }
}

/** True when a `$ref` in the schema may point outside it (anything but a `#` fragment). */
export function hasExternalRef (schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false
  if (Array.isArray(schema)) {
    for (const item of schema) if (hasExternalRef(item)) return true
    return false
  }
  const ref = (schema as JsonSchema).$ref
  if (typeof ref === 'string' && ref[0] !== '#') return true
  for (const key of Object.keys(schema)) {
    const value = (schema as JsonSchema)[key]
    if (value !== null && typeof value === 'object' && hasExternalRef(value)) return true
  }
  return false
}

/** The compilers every route of one bucket uses, built on first use. */
export class BucketCompilers {
  private validator: ValidatorCompiler | null = null
  private serializer: SerializerCompiler | null = null

  constructor (
    readonly bucket: SchemaBucket,
    readonly controller: SchemaControllerOptions,
    private readonly ajvOptions: AjvOptions,
    private readonly serializerOpts: Record<string, unknown>
  ) {}

  /** True when `compilersFactory.buildValidator` replaced Ajv (header names are then passed as written). */
  get customValidator (): boolean {
    return this.controller.buildValidator !== null
  }

  getValidator (): ValidatorCompiler {
    if (this.validator !== null) return this.validator
    const externals = (): Record<string, JsonSchema> => this.bucket.getSchemas()
    this.validator = this.controller.buildValidator !== null
      ? this.controller.buildValidator(externals(), this.ajvOptions)
      : new AjvValidatorCompiler(externals, this.ajvOptions).compile
    return this.validator
  }

  getSerializer (): SerializerCompiler {
    if (this.serializer !== null) return this.serializer
    const externals = (): Record<string, JsonSchema> => this.bucket.getSchemas()
    this.serializer = this.controller.buildSerializer !== null
      ? this.controller.buildSerializer(externals(), this.serializerOpts)
      : new FjsSerializerCompiler(externals, this.serializerOpts).compile
    return this.serializer
  }
}

const compilers = new WeakMap<SchemaBucket, BucketCompilers[]>()

/** The compilers of a bucket under a controller, shared by every scope that has both. */
export function compilersFor (
  bucket: SchemaBucket,
  controller: SchemaControllerOptions,
  ajvOptions: AjvOptions,
  serializerOpts: Record<string, unknown>
): BucketCompilers {
  let list = compilers.get(bucket)
  if (list === undefined) {
    list = []
    compilers.set(bucket, list)
  }
  for (const entry of list) {
    if (entry.controller.buildValidator === controller.buildValidator && entry.controller.buildSerializer === controller.buildSerializer) return entry
  }
  const entry = new BucketCompilers(bucket, controller, normalizeAjvOptions(ajvOptions), serializerOpts)
  list.push(entry)
  return entry
}

/** The `ajv` option as Fastify hands it to `buildValidator`: `customOptions` and `plugins` always present. */
function normalizeAjvOptions (ajvOptions: AjvOptions): AjvOptions {
  return { ...ajvOptions, customOptions: { ...ajvOptions.customOptions }, plugins: ajvOptions.plugins ?? [] }
}
