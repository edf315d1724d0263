/**
 * Running compiled validators on a request, and Fastify's error format.
 *
 * Parts are validated in Fastify's order: params, body, querystring, headers.
 * The first failing part answers 400 `FST_ERR_VALIDATION` with a message such
 * as "body/name must be string", `error.validation` (the raw issues) and
 * `error.validationContext` (the part).
 */
import type { ValidateFunction } from './compile.js'

export type HttpPart = 'body' | 'querystring' | 'params' | 'headers'

export type SchemaErrorFormatter = (errors: any[], dataVar: string) => Error

export interface ValidationIssue {
  instancePath?: string
  message?: string
  [key: string]: unknown
}

export interface ValidationError extends Error {
  statusCode: number
  code: string
  validation: unknown
  validationContext: string
}

/** Fastify's default formatter: "<part><instancePath> <message>", joined with ", ". */
export function defaultSchemaErrorFormatter (errors: ValidationIssue[], dataVar: string): Error {
  let text = ''
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]
    if (i > 0) text += ', '
    text += dataVar + (e.instancePath ?? '') + ' ' + (e.message ?? 'is invalid')
  }
  return new Error(text)
}

export function wrapValidationError (
  result: unknown,
  dataVar: HttpPart,
  formatter: SchemaErrorFormatter
): ValidationError {
  if (result instanceof Error) {
    const err = result as ValidationError
    err.statusCode = err.statusCode ?? 400
    err.code = err.code ?? 'FST_ERR_VALIDATION'
    err.validationContext = err.validationContext ?? dataVar
    return err
  }
  const issues = Array.isArray(result) ? result : [result]
  const error = formatter(issues, dataVar) as ValidationError
  error.statusCode = 400
  error.code = 'FST_ERR_VALIDATION'
  error.validation = issues
  error.validationContext = dataVar
  return error
}

/**
 * Runs one validator. Returns `null` when the data is valid, otherwise the
 * issues (or an Error) as the validator reported them. A validator may return
 * a boolean with `errors` (ajv), or `{ value }` / `{ error }` (custom compilers,
 * Standard Schema style), in which case `{ value }` replaces the data.
 */
export function runValidator (
  validate: ValidateFunction,
  data: unknown,
  replace: (value: unknown) => void
): unknown {
  const result = validate(data)
  if (result === true) return null
  if (result === false) return validate.errors ?? [{ message: 'is invalid' }]
  if (result !== null && typeof result === 'object') {
    const r = result as { value?: unknown, error?: unknown }
    if (r.error !== undefined) return r.error
    if ('value' in r) replace(r.value)
  }
  return null
}
