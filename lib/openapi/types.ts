/**
 * Types of the OpenAPI builder: its input (a snapshot of the route table and the shared
 * schemas) and its output (an OpenAPI 3.1.0 document).
 *
 * The output types describe what the builder emits, not the whole OpenAPI specification:
 * fields the builder never writes are left out, and every object accepts `x-` extensions.
 */

/** A JSON Schema as users write it: an object or a boolean schema. */
export type JsonSchema = boolean | { [keyword: string]: unknown }

/** Specification extensions, allowed on most OpenAPI objects. */
export interface OpenApiExtensions {
  [extension: `x-${string}`]: unknown
}

export interface OpenApiContact extends OpenApiExtensions {
  name?: string
  url?: string
  email?: string
}

export interface OpenApiLicense extends OpenApiExtensions {
  name: string
  identifier?: string
  url?: string
}

export interface OpenApiInfo extends OpenApiExtensions {
  title: string
  version: string
  summary?: string
  description?: string
  termsOfService?: string
  contact?: OpenApiContact
  license?: OpenApiLicense
}

export interface OpenApiServerVariable extends OpenApiExtensions {
  default: string
  enum?: string[]
  description?: string
}

export interface OpenApiServer extends OpenApiExtensions {
  url: string
  description?: string
  variables?: Record<string, OpenApiServerVariable>
}

export interface OpenApiExternalDocs extends OpenApiExtensions {
  url: string
  description?: string
}

export interface OpenApiTag extends OpenApiExtensions {
  name: string
  description?: string
  externalDocs?: OpenApiExternalDocs
}

/** `{ schemeName: [scopes] }`; an empty array of these (`security: []`) means "no security". */
export type OpenApiSecurityRequirement = Record<string, string[]>

export interface OpenApiMediaType extends OpenApiExtensions {
  schema?: JsonSchema
  example?: unknown
  examples?: Record<string, unknown>
  encoding?: Record<string, unknown>
}

export interface OpenApiParameter extends OpenApiExtensions {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  description?: string
  required?: boolean
  deprecated?: boolean
  schema: JsonSchema
}

export interface OpenApiRequestBody extends OpenApiExtensions {
  description?: string
  required?: boolean
  content: Record<string, OpenApiMediaType>
}

export interface OpenApiHeader extends OpenApiExtensions {
  description?: string
  required?: boolean
  deprecated?: boolean
  schema: JsonSchema
}

export interface OpenApiResponse extends OpenApiExtensions {
  description: string
  headers?: Record<string, OpenApiHeader>
  content?: Record<string, OpenApiMediaType>
}

export interface OpenApiOperation extends OpenApiExtensions {
  tags?: string[]
  summary?: string
  description?: string
  externalDocs?: OpenApiExternalDocs
  operationId?: string
  parameters?: OpenApiParameter[]
  requestBody?: OpenApiRequestBody
  /** Keys: `'200'`, `'2XX'`, `'default'`. */
  responses: Record<string, OpenApiResponse>
  deprecated?: boolean
  security?: OpenApiSecurityRequirement[]
  servers?: OpenApiServer[]
}

/** The HTTP methods an OpenAPI 3.1 Path Item can hold, in the order the builder writes them. */
export const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
export type OpenApiMethod = typeof OPENAPI_METHODS[number]

export type OpenApiPathItem = { [method in OpenApiMethod]?: OpenApiOperation }

export interface OpenApiComponents extends OpenApiExtensions {
  schemas?: Record<string, JsonSchema>
  responses?: Record<string, unknown>
  parameters?: Record<string, unknown>
  examples?: Record<string, unknown>
  requestBodies?: Record<string, unknown>
  headers?: Record<string, unknown>
  securitySchemes?: Record<string, Record<string, unknown>>
  links?: Record<string, unknown>
  callbacks?: Record<string, unknown>
  pathItems?: Record<string, unknown>
}

export interface OpenApiDocument extends OpenApiExtensions {
  openapi: '3.1.0'
  info: OpenApiInfo
  servers?: OpenApiServer[]
  tags?: OpenApiTag[]
  externalDocs?: OpenApiExternalDocs
  security?: OpenApiSecurityRequirement[]
  paths: Record<string, OpenApiPathItem>
  webhooks?: Record<string, unknown>
  components?: OpenApiComponents
}

/**
 * Document-level options: everything in the document that does not come from the routes.
 * `components.schemas` given here are copied as they are (they are OpenAPI already) next to
 * the shared schemas; a name used by both is an error.
 */
export interface OpenApiOptions extends OpenApiExtensions {
  /** Defaults to `{ title: 'Velox API', version: '1.0.0' }`; a missing title or version is filled in. */
  info?: Partial<OpenApiInfo>
  servers?: OpenApiServer[]
  tags?: OpenApiTag[]
  externalDocs?: OpenApiExternalDocs
  /** Security applied to every operation that does not set its own. */
  security?: OpenApiSecurityRequirement[]
  components?: OpenApiComponents
  webhooks?: Record<string, unknown>
}

/**
 * The route keys that shape the document. Each may be set on the route options or, as
 * @fastify/swagger users write them, inside `schema`; the route option wins when both are set.
 */
export interface OpenApiRouteDocOptions {
  summary?: string
  description?: string
  tags?: string[]
  operationId?: string
  deprecated?: boolean
  security?: OpenApiSecurityRequirement[]
  /** Request content types for a plain `body` schema; default `['application/json']`. */
  consumes?: string[]
  /** Response content types for plain response schemas; default `['application/json']`. */
  produces?: string[]
  /** `true` leaves the route out of the document. */
  hide?: boolean
  externalDocs?: OpenApiExternalDocs
  servers?: OpenApiServer[]
}

/** A route's `schema` option, as Fastify defines it, plus the documentation keys. */
export interface RouteSchema extends OpenApiRouteDocOptions {
  body?: unknown
  querystring?: unknown
  /** Alias of `querystring`. */
  query?: unknown
  params?: unknown
  headers?: unknown
  /** Keyed by status code (`200`, `'2xx'`, `'default'`). */
  response?: Record<string | number, unknown>
  [key: string]: unknown
}

/** One entry of the route table, as the runtime registered it. */
export interface OpenApiRoute {
  /** `'GET'`, or several methods for one route. Case does not matter. */
  method: string | readonly string[]
  /**
   * The full URL with prefixes, in find-my-way syntax: `/users/:id`, `/files/*`,
   * `/a/:id(^\\d+)`, `/a/:from-:to`, `/a/:file.:ext`, `/a::b` (a literal colon), `/a/:opt?`.
   */
  url: string
  schema?: RouteSchema
  /** Route options: the keys of {@link OpenApiRouteDocOptions}; other keys are ignored. */
  options: OpenApiRouteDocOptions & Record<string, unknown>
  /** `true` for the HEAD route the runtime adds next to a GET (exposeHeadRoute); it is left out. */
  generatedHead?: boolean
}

export interface OpenApiInput {
  routes: readonly OpenApiRoute[]
  /** Shared schemas (`addSchema`), keyed by `$id`. */
  schemas: Readonly<Record<string, object>>
  options?: OpenApiOptions
}
