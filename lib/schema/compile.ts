/**
 * Compilation of validators (ajv 8) and serializers (Velox's compiler, or fast-json-stringify).
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
import type { SchemaBucket, JsonSchema, BucketFactory } from './store.js'
import { SchemaStore } from './store.js'
import { FST_ERR_SCHEMA_CONTROLLER_BUCKET_OPT_NOT_FN } from '../errors.js'
import type { CodeSources } from './code-sources.js'
import { veloxEngine, fjsEngine, type SerializerEngine } from './serializer-engines.js'
import { createValidatorMetaSchema } from './validator-meta.generated.js'
import { requirePackage } from './ajv-loader.js'

const require = createRequire(import.meta.url)
// ajv and ajv-formats are CommonJS; createRequire keeps their default exports intact.
interface SchemaLibraries {
  Ajv: typeof import('ajv').default
  fastUri: unknown
  addFormats: (ajv: unknown, opts?: unknown) => unknown
  codeTag: (strings: TemplateStringsArray, ...args: unknown[]) => unknown
}
let libraries: SchemaLibraries | null = null
/**
 * ajv and ajv-formats (CommonJS; createRequire keeps their default exports intact) are loaded
 * the first time a schema is validated: an app without schemas, or one whose
 * compiled code comes from the schemaCache file, does not pay for importing them. They load
 * through ajv-loader.ts, which skips Node's resolution of their internal requires.
 */
function libs (): SchemaLibraries {
  libraries ??= {
    Ajv: requirePackage(require, 'ajv').default,
    fastUri: require('fast-uri'),
    addFormats: requirePackage(require, 'ajv-formats'),
    codeTag: require('ajv/dist/compile/codegen')._
  }
  return libraries
}

export type AjvInstance = InstanceType<typeof import('ajv').default>

export interface ValidateFunction {
  (data: unknown, context?: { parentData: unknown, parentDataProperty: string }): boolean | { value?: unknown, error?: unknown } | Error | Promise<unknown>
  errors?: unknown[] | null
  /** Set on functions compiled by ajv: they accept the parent object so they can replace a coerced root value. */
  schemaEnv?: unknown
  /** Set on Standard Schema validators (schema/standard-schema.ts): their promise resolves with `{ value }` or `{ error }`, not with the data. */
  resolvesResult?: boolean
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

/** Fastify's defaults for request validation (with fast-uri as Ajv's `uriResolver`, added when Ajv is created). */
export const defaultAjvOptions = {
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: true,
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
  /** Equal schemas written as separate objects (an inline `{ id: integer }` params schema on many routes) compile once. */
  private readonly byJson = new Map<string, ValidateFunction>()
  /** The part of a code key shared by every schema of this compiler; null when the output cannot be stored or looked up. */
  private readonly fingerprint: string | null

  constructor (
    private readonly externalSchemas: () => Record<string, JsonSchema>,
    private readonly ajvOptions: AjvOptions,
    private readonly code: CodeSources | null = null
  ) {
    // Plugins and onCreate are functions: what they add to Ajv cannot be fingerprinted, nor written as standalone code.
    this.fingerprint = code !== null && (ajvOptions.plugins ?? []).length === 0 && ajvOptions.onCreate === undefined
      ? fingerprintOf([ajvOptions.customOptions ?? {}, externalSchemas()])
      : null
  }

  private getAjv (): AjvInstance {
    if (this.ajv !== null) return this.ajv
    const custom = this.ajvOptions.customOptions ?? {}
    // Ajv's optimizer passes cost about a third of each compile and do not change what the code
    // does or how fast it runs (the JIT does the same work); `customOptions.code` can turn them back on.
    const code: Record<string, unknown> = { optimize: false, ...(custom.code as Record<string, unknown> | undefined) }
    if (this.fingerprint !== null && this.code?.keepsSource === true) {
      // Standalone output needs the source, and the formats as code it can require at load time.
      code.source = true
      code.formats ??= libs().codeTag`require("ajv-formats/dist/formats").fullFormats`
    }
    const ajv = new (libs().Ajv)({ ...defaultAjvOptions, uriResolver: libs().fastUri, ...custom, code } as any)
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
    if (addFormatPlugin) libs().addFormats(ajv)
    this.ajvOptions.onCreate?.(ajv)
    if (code.source !== true && usesDefaultMetaSchemaOptions(this.ajvOptions)) lendMetaSchemaValidator(ajv)
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
    let fn: ValidateFunction | undefined
    // Ajv refuses to compile two schemas with one $id: a route schema that is a shared schema reuses it.
    if (cacheable && typeof schema.$id === 'string') fn = this.getAjv().getSchema(schema.$id) as ValidateFunction | undefined
    const key = fn === undefined && cacheable ? jsonKey(schema) : null
    if (key !== null) fn = this.byJson.get(key)
    if (fn === undefined) {
      fn = key !== null && this.fingerprint !== null ? this.compileCached(schema, key, this.fingerprint) : this.getAjv().compile(schema) as ValidateFunction
      if (key !== null) this.byJson.set(key, fn)
    }
    if (cacheable) this.cache.set(schema, fn)
    return fn
  }

  /** Loads the validator from the build file or the schema cache, or compiles it and stores its standalone code. */
  private compileCached (schema: JsonSchema, json: string, fingerprint: string): ValidateFunction {
    const code = this.code as CodeSources
    const key = code.key('validator', fingerprint, json)
    const stored = code.get(key) as ValidateFunction | undefined
    if (stored !== undefined) {
      // Standalone validators take the same (data, { parentData, parentDataProperty }) arguments as compiled ones.
      stored.schemaEnv ??= standaloneMarker
      return stored
    }
    const ajv = this.getAjv()
    const fn = ajv.compile(schema) as ValidateFunction
    if (code.keepsSource) code.storeValidator(key, ajv, fn)
    return fn
  }
}

/**
 * The serializer compiler of one bucket: Velox's own compiler (or fast-json-stringify, see
 * `fastJsonStringifySerializer`) with the bucket's schemas as externals, each schema compiled
 * once, and kept in the schema cache when there is one.
 */
export class SchemaSerializerCompiler {
  private readonly cache = new WeakMap<object, SerializeFunction>()
  private readonly byJson = new Map<string, SerializeFunction>()
  private externals: Record<string, JsonSchema> | null = null
  private fingerprint: string | null | undefined = undefined

  constructor (
    private readonly engine: SerializerEngine,
    private readonly externalSchemas: () => Record<string, JsonSchema>,
    private readonly serializerOpts: Record<string, unknown>,
    private readonly code: CodeSources | null = null
  ) {}

  readonly compile: SerializerCompiler = ({ schema }) => {
    const cacheable = schema !== null && typeof schema === 'object'
    if (cacheable) {
      const hit = this.cache.get(schema)
      if (hit !== undefined) return hit
    }
    const key = cacheable ? jsonKey(schema) : null
    const same = key !== null ? this.byJson.get(key) : undefined
    if (same !== undefined) {
      this.cache.set(schema, same)
      return same
    }
    this.externals ??= this.externalSchemas()
    let external: Record<string, JsonSchema> | undefined
    // Both compilers check every external schema on every build: pass them only when the schema can reach them.
    if (Object.keys(this.externals).length > 0 && hasExternalRef(schema)) {
      external = this.externals
      if (typeof schema.$id === 'string' && external[schema.$id] !== undefined) {
        external = { ...external }
        delete external[schema.$id]
      }
    }
    const options = external === undefined ? this.serializerOpts : { ...this.serializerOpts, schema: external }
    let fn: SerializeFunction
    if (key !== null && this.code !== null) {
      if (this.fingerprint === undefined) this.fingerprint = fingerprintOf([this.serializerOpts, this.externals])
      fn = this.fingerprint === null ? this.engine.build(schema, options) : this.compileCached(schema, options, key, this.fingerprint)
    } else {
      fn = this.engine.build(schema, options)
    }
    if (cacheable) this.cache.set(schema, fn)
    if (key !== null) this.byJson.set(key, fn)
    return fn
  }

  /** Loads the serializer from the build file or the schema cache, or builds it and stores its standalone code. */
  private compileCached (schema: JsonSchema, options: Record<string, unknown>, json: string, fingerprint: string): SerializeFunction {
    const code = this.code as CodeSources
    // The engine's id keeps Velox's and fast-json-stringify's code apart in the same file.
    const key = code.key('serializer', `${this.engine.id}\0${fingerprint}`, json)
    const stored = code.get(key)
    if (stored !== undefined) return this.engine.fromStored(stored)
    if (!code.keepsSource) return this.engine.build(schema, options)
    const { fn, source, exported } = this.engine.buildStored(schema, options)
    if (source !== null) code.storeSerializer(key, source, exported as (...args: any[]) => unknown)
    return fn
  }
}

/** Marks a `buildSerializer` that is one of Velox's engines, so the schema cache still applies to it. */
const engineOf = Symbol('velox.serializerEngine')

/**
 * A `compilersFactory.buildSerializer` that compiles response schemas with fast-json-stringify
 * instead of Velox's own compiler (which writes the same JSON, faster).
 *
 * @example
 * import velox, { fastJsonStringifySerializer } from 'velox'
 * const app = velox({ schemaController: { compilersFactory: { buildSerializer: fastJsonStringifySerializer } } })
 */
export const fastJsonStringifySerializer: BuildSerializer = Object.assign(
  function fastJsonStringifySerializer (externalSchemas: Record<string, JsonSchema>, serializerOpts: Record<string, unknown>): SerializerCompiler {
    return new SchemaSerializerCompiler(fjsEngine, () => externalSchemas, serializerOpts ?? {}).compile
  },
  { [engineOf]: fjsEngine }
)

/** The key of the draft-07 meta-schema among an Ajv's schemas. */
const META_SCHEMA_ID = 'http://json-schema.org/draft-07/schema'
/** `ajv` custom options Ajv leaves out when it compiles a meta-schema (its META_IGNORE_OPTIONS). */
const META_IGNORED_OPTIONS = new Set(['coerceTypes', 'useDefaults', 'removeAdditional'])
let metaSchemaValidator: ((data: unknown) => boolean) | null = null

/**
 * True when an Ajv made with these options would compile the draft-07 meta-schema to exactly the
 * function scripts/generate-schema-check.js wrote: no plugins, no onCreate, and no custom option
 * that Ajv applies to meta-schemas (allErrors, $data, strict, formats... all change it).
 */
function usesDefaultMetaSchemaOptions (ajvOptions: AjvOptions): boolean {
  if ((ajvOptions.plugins ?? []).length > 0 || ajvOptions.onCreate !== undefined) return false
  return Object.keys(ajvOptions.customOptions ?? {}).every((key) => META_IGNORED_OPTIONS.has(key))
}

/**
 * Gives Ajv its draft-07 meta-schema validator ready-made: Ajv validates every schema against
 * it (and compiles it on the first schema, some 40 ms). Ajv uses the function it finds on the
 * meta-schema's entry as if it had compiled it, so every schema error keeps Ajv's message.
 */
function lendMetaSchemaValidator (ajv: AjvInstance): void {
  const entry = (ajv.schemas as Record<string, { validate?: unknown } | undefined>)[META_SCHEMA_ID]
  if (entry === undefined || entry.validate !== undefined) return
  metaSchemaValidator ??= createValidatorMetaSchema() as (data: unknown) => boolean
  entry.validate = metaSchemaValidator
}

/** Marks validators loaded from the code cache as Ajv output (see runValidator). */
const standaloneMarker = Object.freeze({ standalone: true })

/** The JSON text of a value made only of JSON values, or null. */
function fingerprintOf (value: unknown): string | null {
  return isJsonValue(value, 0) ? JSON.stringify(value) : null
}

/**
 * The JSON text of a schema made only of JSON values (symbol keys, as TypeBox
 * adds, are ignored like Ajv ignores them), or null when it holds anything
 * else (functions, RegExps, class instances, undefined): two such schemas
 * with the same text compile to the same code.
 */
export function jsonKey (schema: object): string | null {
  return isJsonValue(schema, 0) ? JSON.stringify(schema) : null
}

function isJsonValue (value: unknown, depth: number): boolean {
  if (value === null) return true
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object': {
      if (depth > 64) return false
      if (Array.isArray(value)) {
        for (const item of value) if (!isJsonValue(item, depth + 1)) return false
        return true
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false
      for (const key of Object.keys(value)) if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false
      return true
    }
    default:
      return false
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
    private readonly serializerOpts: Record<string, unknown>,
    private readonly code: CodeSources | null
  ) {}

  /** True when `compilersFactory.buildValidator` replaced Ajv (header names are then passed as written). */
  get customValidator (): boolean {
    return this.controller.buildValidator !== null
  }

  /** The compilers built so far (none is built here). */
  built (): { validator: ValidatorCompiler | null, serializer: SerializerCompiler | null } {
    return { validator: this.validator, serializer: this.serializer }
  }

  getValidator (): ValidatorCompiler {
    if (this.validator !== null) return this.validator
    const externals = (): Record<string, JsonSchema> => this.bucket.getSchemas()
    this.validator = this.controller.buildValidator !== null
      ? this.controller.buildValidator(externals(), this.ajvOptions)
      : new AjvValidatorCompiler(externals, this.ajvOptions, this.code).compile
    return this.validator
  }

  getSerializer (): SerializerCompiler {
    if (this.serializer !== null) return this.serializer
    const externals = (): Record<string, JsonSchema> => this.bucket.getSchemas()
    const build = this.controller.buildSerializer as (BuildSerializer & { [engineOf]?: SerializerEngine }) | null
    if (build === null || build[engineOf] !== undefined) {
      this.serializer = new SchemaSerializerCompiler(build?.[engineOf] ?? veloxEngine, externals, this.serializerOpts, this.code).compile
    } else {
      this.serializer = build(externals(), this.serializerOpts)
    }
    return this.serializer
  }
}

const compilers = new WeakMap<SchemaBucket, BucketCompilers[]>()

/**
 * The validator and serializer compilers already built for a bucket under a controller, or null:
 * what `app.validatorCompiler` / `app.serializerCompiler` report. Never builds one.
 */
export function builtCompilers (bucket: SchemaBucket, controller: SchemaControllerOptions): { validator: ValidatorCompiler | null, serializer: SerializerCompiler | null } {
  return findCompilers(bucket, controller)?.built() ?? { validator: null, serializer: null }
}

/** The compilers made for a bucket under a controller with the same build functions, if any. */
function findCompilers (bucket: SchemaBucket, controller: SchemaControllerOptions): BucketCompilers | undefined {
  return compilers.get(bucket)?.find((entry) =>
    entry.controller.buildValidator === controller.buildValidator && entry.controller.buildSerializer === controller.buildSerializer)
}

/** The compilers of a bucket under a controller, shared by every scope that has both. */
export function compilersFor (
  bucket: SchemaBucket,
  controller: SchemaControllerOptions,
  ajvOptions: AjvOptions,
  serializerOpts: Record<string, unknown>,
  code: CodeSources | null = null
): BucketCompilers {
  const found = findCompilers(bucket, controller)
  if (found !== undefined) return found
  const entry = new BucketCompilers(bucket, controller, normalizeAjvOptions(ajvOptions), serializerOpts, code)
  const list = compilers.get(bucket)
  if (list === undefined) compilers.set(bucket, [entry])
  else list.push(entry)
  return entry
}

/** The `ajv` option as Fastify hands it to `buildValidator`: `customOptions` and `plugins` always present. */
function normalizeAjvOptions (ajvOptions: AjvOptions): AjvOptions {
  return { ...ajvOptions, customOptions: { ...ajvOptions.customOptions }, plugins: ajvOptions.plugins ?? [] }
}
