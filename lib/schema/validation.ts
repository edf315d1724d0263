/**
 * Running compiled validators on a request, and Fastify's error format.
 *
 * Parts are validated in Fastify's order: params, body, querystring, headers.
 * The first failing part answers 400 `FST_ERR_VALIDATION` with a message such
 * as "body/name must be string", `error.validation` (the raw issues) and
 * `error.validationContext` (the part).
 */
import type { ValidateFunction } from './compile.js'
import type { RouteContext } from '../lifecycle/route-context.js'
import type { Request } from '../lifecycle/request.js'

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

/** The Request field each part lives in, in validation order. */
type RequestField = 'params' | 'body' | 'query' | 'headers'

/** Fastify's default formatter: "<part><instancePath> <message>", joined with ", ". */
export function defaultSchemaErrorFormatter (errors: ValidationIssue[], dataVar: string): Error {
  let text = ''
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]
    if (i > 0) text += ', '
    text += dataVar + (e.instancePath ?? '') + ' ' + String(e.message)
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
    err.statusCode = err.statusCode || 400
    err.code = err.code || 'FST_ERR_VALIDATION'
    err.validationContext = err.validationContext || dataVar
    return err
  }
  const issues = Array.isArray(result) ? result : [result]
  const error = formatter(issues, dataVar) as ValidationError
  // A formatter may choose its own status and code; Fastify keeps them.
  error.statusCode = error.statusCode || 400
  error.code = error.code || 'FST_ERR_VALIDATION'
  error.validation = issues
  error.validationContext = dataVar
  return error
}

/**
 * Runs one validator on `request[field]`. Returns `null` when the data is
 * valid, otherwise the issues (or an Error) as the validator reported them, or
 * a promise of either for asynchronous validators (ajv `$async` schemas).
 *
 * As in Fastify: a missing part is validated as `null`; ajv functions get the
 * request as parent so a coerced root value (a body of `"5"` for `type:
 * 'integer'`) replaces the part; a validator may return a boolean with
 * `errors` (ajv), or `{ value }` / `{ error }` (custom compilers), in which case
 * `{ value }` replaces the part; a validator that throws gives a 500. Unlike
 * Fastify, `false` with no `errors` is a failure, not a pass.
 */
export function runValidator (validate: ValidateFunction, request: Request, field: RequestField): unknown {
  let result
  try {
    const value = request[field]
    const data = value === undefined ? null : value
    result = validate.schemaEnv !== undefined
      ? validate(data, { parentData: request, parentDataProperty: field })
      : validate(data)
  } catch (err) {
    if (err !== null && typeof err === 'object') (err as { statusCode?: number }).statusCode = 500
    return err
  }
  if (result === true) return null
  // Fastify treats `false` without `errors` as valid; Velox does not let a failed check through.
  if (result === false) return validate.errors ?? [{ instancePath: '', message: 'is invalid' }]
  if (result !== null && typeof result === 'object') {
    if (typeof (result as Promise<unknown>).then === 'function') {
      // An async validator passes or fails; what it resolves with is the data,
      // never `{ value, error }`, except for a Standard Schema validator's.
      return Promise.resolve(result).then(
        (resolved) => validate.resolvesResult === true
          ? settleResult(resolved as { value?: unknown, error?: unknown }, request, field)
          : resolved === false ? validate.errors ?? [{ instancePath: '', message: 'is invalid' }] : null,
        (err: unknown) => err
      )
    }
    return settleResult(result as { value?: unknown, error?: unknown }, request, field)
  }
  return null
}

// `{ error }` fails; `{ value }` replaces the part.
function settleResult (r: { value?: unknown, error?: unknown }, request: Request, field: RequestField): unknown {
  if (r.error) return r.error
  if ('value' in r) (request as unknown as Record<RequestField, unknown>)[field] = r.value
  return null
}

function failed (issues: unknown): boolean {
  return issues !== null && issues !== undefined
}

/**
 * Validates the parts of a request that have a validator, in order, stopping
 * at the first failure. Returns the validation error, `null`, or a promise of
 * either when a validator is asynchronous.
 */
export function validateRequest (context: RouteContext, request: Request, from = 0): Error | null | Promise<Error | null> {
  for (let step = from; step < 4; step++) {
    let validate: ValidateFunction | null
    let field: RequestField
    let part: HttpPart
    if (step === 0) {
      validate = context.validateParams
      field = 'params'
      part = 'params'
    } else if (step === 1) {
      validate = context.validateBodyByType !== null ? bodyValidatorByType(context, request) : context.validateBody
      field = 'body'
      part = 'body'
    } else if (step === 2) {
      validate = context.validateQuery
      field = 'query'
      part = 'querystring'
    } else {
      validate = context.validateHeaders
      field = 'headers'
      part = 'headers'
    }
    if (validate === null) continue
    const issues = runValidator(validate, request, field)
    if (!failed(issues)) continue
    if (issues instanceof Promise) {
      const next = step + 1
      return issues.then((asyncIssues) => failed(asyncIssues)
        ? wrapValidationError(asyncIssues, part, context.schemaErrorFormatter)
        : validateRequest(context, request, next))
    }
    return wrapValidationError(issues, part, context.schemaErrorFormatter)
  }
  return null
}

/** The body validator for the request's media type when the body schema has a `content` map. */
function bodyValidatorByType (context: RouteContext, request: Request): ValidateFunction | null {
  const header = request.headers['content-type'] as string | undefined
  if (header === undefined) return null
  const semi = header.indexOf(';')
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase()
  return context.validateBodyByType?.get(type) ?? null
}
