/**
 * The OpenAPI module: the document builder, its text renderings, and the routes serving the
 * document and the Swagger UI page.
 */

export { buildOpenApiDocument, DEFAULT_INFO } from './build.js'
export { renderOpenApiJson, renderOpenApiYaml } from './render.js'
export { registerOpenApiRoutes, openApiPlugin } from './routes.js'
export type {
  OpenApiHost, OpenApiServeHandler, OpenApiServeOptions, OpenApiServeReply, OpenApiServeRequest,
  OpenApiServeRouteOptions
} from './routes.js'
export { renderDocsPage, swaggerUiDistDirectory, DOCS_ASSETS } from './docs-page.js'
export type { OpenApiErrorCode } from './openapi-error.js'
export type * from './types.js'
