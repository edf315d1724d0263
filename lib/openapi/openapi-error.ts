/**
 * Errors raised while building or serving the OpenAPI document. They are configuration
 * mistakes in the routes or the shared schemas, so each message names the route and the
 * schema part, and serving the document answers 500. The codes and messages live in the
 * project's error table (lib/errors.ts), with every other code.
 */

import { errorCodes } from '../errors.js'
import type { VeloxError } from '../errors.js'

export type OpenApiErrorCode = Extract<keyof typeof errorCodes, `VLX_ERR_OPENAPI_${string}`>

/** The error of `code`, its message template filled with `args`. */
export function openApiError (code: OpenApiErrorCode, ...args: string[]): VeloxError {
  return new errorCodes[code](...args)
}
