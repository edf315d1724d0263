/**
 * The shapes of errors as handlers and hooks see them. The codes themselves
 * live in the runtime's error table (`lib/errors.ts`).
 */

/** The request parts a schema validates, as named in route schemas. */
export type HTTPRequestPart = 'body' | 'querystring' | 'params' | 'headers'

/** One validation failure, as ajv reports it. */
export interface ValidationIssue {
  keyword: string
  instancePath: string
  schemaPath: string
  params: Record<string, unknown>
  message?: string
}

/**
 * An error raised by Velox: a `code` (`FST_ERR_*` where Fastify has the same
 * error, `VLX_ERR_*` otherwise) and the status it answers with. Validation
 * errors carry the raw issues and the request part that failed.
 */
export interface VeloxError extends Error {
  code: string
  statusCode?: number
  validation?: ValidationIssue[]
  validationContext?: HTTPRequestPart
}
