/**
 * Compilation of validators (ajv 8) and serializers (fast-json-stringify).
 *
 * One compiler per distinct shared-schema store: plugins that add no schema
 * share their parent's Ajv instance and caches. Compiling the same schema
 * object twice returns the same function, so a schema object reused across
 * routes is compiled once.
 */
import { createRequire } from 'node:module'
import fastUri from 'fast-uri'
import type { SchemaStore, JsonSchema } from './store.js'

const require = createRequire(import.meta.url)
// ajv, ajv-formats and fast-json-stringify are CommonJS; createRequire keeps their default exports intact.
const Ajv = require('ajv').default as typeof import('ajv').default
const addFormats = require('ajv-formats') as (ajv: unknown, opts?: unknown) => unknown
const fjs = require('fast-json-stringify') as (schema: JsonSchema, options?: Record<string, unknown>) => (data: unknown) => string

export type AjvInstance = InstanceType<typeof Ajv>

export interface ValidateFunction {
  (data: unknown): boolean | { value?: unknown, error?: unknown } | Promise<unknown>
  errors?: unknown[] | null
}

export type SerializeFunction = (data: unknown) => string

export interface ValidatorCompilerInput { schema: JsonSchema, method: string, url: string, httpPart: string }
export interface SerializerCompilerInput { schema: JsonSchema, method: string, url: string, httpStatus: string, contentType?: string }
export type ValidatorCompiler = (input: ValidatorCompilerInput) => ValidateFunction
export type SerializerCompiler = (input: SerializerCompilerInput) => SerializeFunction

export interface AjvOptions {
  customOptions?: Record<string, unknown>
  plugins?: Array<unknown | [unknown, unknown]>
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

export class SchemaCompiler {
  private ajv: AjvInstance | null = null
  private readonly validators = new WeakMap<object, ValidateFunction>()
  private readonly serializers = new WeakMap<object, SerializeFunction>()
  private externalForFjs: Record<string, JsonSchema> | null = null

  constructor (
    private readonly store: SchemaStore,
    private readonly ajvOptions: AjvOptions,
    private readonly serializerOpts: Record<string, unknown>
  ) {}

  private getAjv (): AjvInstance {
    if (this.ajv !== null) return this.ajv
    const ajv = new Ajv({ ...defaultAjvOptions, ...this.ajvOptions.customOptions } as any)
    addFormats(ajv)
    for (const plugin of this.ajvOptions.plugins ?? []) {
      if (Array.isArray(plugin)) (plugin[0] as (a: unknown, o: unknown) => void)(ajv, plugin[1])
      else (plugin as (a: unknown) => void)(ajv)
    }
    for (const [id, schema] of this.store.schemas) ajv.addSchema(schema, id)
    this.ajv = ajv
    return ajv
  }

  /** The default validator compiler (Fastify's `validatorCompiler` signature). */
  readonly compileValidator: ValidatorCompiler = ({ schema }) => {
    let fn = this.validators.get(schema)
    if (fn === undefined) {
      fn = this.getAjv().compile(schema) as ValidateFunction
      this.validators.set(schema, fn)
    }
    return fn
  }

  /** The default serializer compiler: fast-json-stringify with the scope's shared schemas. */
  readonly compileSerializer: SerializerCompiler = ({ schema }) => {
    let fn = this.serializers.get(schema)
    if (fn === undefined) {
      if (this.externalForFjs === null) this.externalForFjs = this.store.toObject()
      fn = fjs(schema, { ...this.serializerOpts, schema: this.externalForFjs })
      this.serializers.set(schema, fn)
    }
    return fn
  }
}

const compilers = new WeakMap<SchemaStore, SchemaCompiler>()

export function compilerFor (store: SchemaStore, ajvOptions: AjvOptions, serializerOpts: Record<string, unknown>): SchemaCompiler {
  let compiler = compilers.get(store)
  if (compiler === undefined) {
    compiler = new SchemaCompiler(store, ajvOptions, serializerOpts)
    compilers.set(store, compiler)
  }
  return compiler
}
