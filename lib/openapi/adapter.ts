/**
 * Hands the route table and the shared schemas of every scope to the OpenAPI
 * builder (lib/openapi/). Kept apart so the builder stays a pure function of
 * its input and knows nothing about scopes or route contexts.
 */
import type { AppState } from '../app/app-state.js'
import type { Scope } from '../app/scope.js'
import { buildOpenApiDocument } from './build.js'
import type { OpenApiDocument, OpenApiOptions, OpenApiRoute } from './types.js'

function collectSchemas (scope: Scope, out: Record<string, object>): void {
  for (const [id, schema] of Object.entries(scope.schemas.getSchemas())) {
    if (out[id] === undefined) out[id] = schema
  }
  for (const child of scope.children) collectSchemas(child, out)
}

export function buildOpenApiFromApp (app: AppState, options?: OpenApiOptions): OpenApiDocument {
  const routes: OpenApiRoute[] = app.contexts.map((context) => ({
    method: context.method,
    url: context.url,
    schema: context.schema as OpenApiRoute['schema'],
    options: context.options,
    generatedHead: context.options.isAutoHead === true
  }))
  const schemas: Record<string, object> = {}
  collectSchemas(app.root, schemas)
  return buildOpenApiDocument({ routes, schemas, options: options ?? documentOptionsFromFactory(app.options.openapi) as OpenApiOptions | undefined })
}

const servingKeys = ['jsonPath', 'yamlPath', 'docsPath', 'docsTitle']

/** The document part of the `openapi` factory option (its serving paths removed). */
function documentOptionsFromFactory (option: unknown): Record<string, unknown> | undefined {
  if (option === null || typeof option !== 'object') return undefined
  const document: Record<string, unknown> = { ...option }
  for (const key of servingKeys) delete document[key]
  return document
}
