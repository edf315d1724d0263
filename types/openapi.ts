/**
 * OpenAPI types. The builder in `lib/openapi/` owns them (they describe what
 * it emits and reads); they are re-exported here so that `types/` stays the
 * one entry point of Velox's public types.
 */

export type { OpenApiDocument, OpenApiOptions, OpenApiRouteDocOptions } from '../lib/openapi/types.js'
export type { OpenApiServeOptions } from '../lib/openapi/routes.js'
