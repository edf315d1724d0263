/**
 * OpenAPI types. The builder in `lib/openapi/` owns the document types (they
 * describe what it emits and reads); they are re-exported here so that
 * `types/` stays the one entry point of Velox's public types.
 */

import type { OpenApiOptions } from '../lib/openapi/types.js'

export type { OpenApiDocument, OpenApiOptions, OpenApiRouteDocOptions } from '../lib/openapi/types.js'

/**
 * The `openapi` server option: the document options, and where the document
 * and the docs page are served.
 *
 * The same as `OpenApiServeOptions` of `lib/openapi/routes.ts`, written out
 * because that module is runtime code and importing it would make every
 * program that type-checks these types check the runtime too;
 * `test/types/openapi.tst.ts` fails if the two differ.
 */
export interface OpenApiServerOptions extends OpenApiOptions {
  /** Where the JSON document is served; `false` to not serve it. Default `/openapi.json`. */
  jsonPath?: string | false
  /** Where the YAML document is served; `false` to not serve it. Default `/openapi.yaml`. */
  yamlPath?: string | false
  /**
   * Where the Swagger UI page is served, its assets under `<docsPath>/static/`;
   * `false` to not serve it. Default `/docs`.
   */
  docsPath?: string | false
  /** The page title; default the document's `info.title`. */
  docsTitle?: string
}
