/**
 * Pluggable validation and serialization: what `setValidatorCompiler`,
 * `setSerializerCompiler`, `setSchemaErrorFormatter` and `setSchemaController`
 * accept.
 */

import type { HTTPRequestPart, ValidationIssue } from './errors.js'
import type { JSONSchema } from './json-schema.js'

/** A compiled validator: `true` when `data` is valid, issues on `errors`. */
export interface ValidationFunction {
  (data: unknown): boolean | Promise<unknown>
  errors?: ValidationIssue[] | null
}

/** A compiled serializer for one status code and content type. */
export type SerializerFunction = (data: unknown) => string

/** What a validator compiler is given for one request part of one route. */
export interface ValidatorCompilerInput<T = JSONSchema> {
  schema: T
  method: string
  url: string
  httpPart?: HTTPRequestPart
}

/** What a serializer compiler is given for one response schema of one route. */
export interface SerializerCompilerInput<T = JSONSchema> {
  schema: T
  method: string
  url: string
  httpStatus: string
  contentType?: string
}

/** Builds validators; the default compiles with ajv at `ready()`. */
export type ValidatorCompiler<T = JSONSchema> = (input: ValidatorCompilerInput<T>) => ValidationFunction

/** Builds serializers; the default compiles with fast-json-stringify at `ready()`. */
export type SerializerCompiler<T = JSONSchema> = (input: SerializerCompilerInput<T>) => SerializerFunction

/** Turns validation issues into the error the request fails with. */
export type SchemaErrorFormatter = (issues: ValidationIssue[], dataVar: string) => Error

/** Serializes a payload that no response schema covers. */
export type ReplySerializer = (payload: unknown, statusCode: number) => string

/** Options of `setSchemaController`: where shared schemas live and who compiles. */
export interface SchemaControllerOptions {
  /** Replaces the store behind `addSchema`/`getSchema`/`getSchemas`. */
  bucket?: (parentSchemas?: Record<string, unknown>) => {
    add (schema: unknown): unknown
    getSchema (id: string): unknown
    getSchemas (): Record<string, unknown>
  }
  compilersFactory?: {
    // Methods, so a factory typed with the shared schemas it expects (Velox's own
    // `fastJsonStringifySerializer`) fits.
    buildValidator? (externalSchemas: Record<string, unknown>, options?: unknown): ValidatorCompiler<any>
    buildSerializer? (externalSchemas: Record<string, unknown>, options?: unknown): SerializerCompiler<any>
  }
}
