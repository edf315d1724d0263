import { compileErrors, validate } from '@readme/openapi-parser'
import type { OpenApiDocument, OpenApiRoute, RouteSchema } from '../lib/openapi/types.js'

interface Asserts {
  pass (message: string): void
  fail (message: string): void
}

/**
 * Checks a document with @readme/openapi-parser, an independent OpenAPI 3.1 validator
 * (specification schema plus its own rules: path parameters, unique operationIds, ...).
 * It dereferences in place, hence the copy.
 */
export async function assertValidOpenApi (t: Asserts, document: OpenApiDocument): Promise<void> {
  const result = await validate(structuredClone(document) as Parameters<typeof validate>[0])
  if (result.valid) t.pass('the document is valid OpenAPI 3.1')
  else t.fail(compileErrors(result))
}

/** A route table entry, as the runtime snapshots it. */
export function route (
  method: string | string[],
  url: string,
  schema?: RouteSchema,
  options: OpenApiRoute['options'] = {}
): OpenApiRoute {
  return schema === undefined ? { method, url, options } : { method, url, schema, options }
}
