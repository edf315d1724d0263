/**
 * One route and method as an OpenAPI Operation: parameters from the `params`, `querystring`
 * and `headers` schemas, the request body per content type, the responses per status code
 * and content type, and the documentation options of the route.
 */

import { openApiError } from './openapi-error.js'
import type { VeloxError } from '../errors.js'
import { cloneJson } from './schema-transform.js'
import type { SchemaTransformer } from './schema-transform.js'
import { isObject } from './schema-registry.js'
import { DEFAULT_RESPONSE_DESCRIPTION, statusDescription } from './status-text.js'
import type { TranslatedPath } from './path.js'
import type {
  JsonSchema, OpenApiHeader, OpenApiMediaType, OpenApiOperation, OpenApiParameter,
  OpenApiRequestBody, OpenApiResponse, OpenApiRoute
} from './types.js'

const JSON_MEDIA_TYPES = ['application/json']

// OpenAPI 3.1, section 4.8.12.1: header parameters with these names "SHALL be ignored"; they
// are described by the media types and by securitySchemes instead.
const IGNORED_HEADER_PARAMETERS = new Set(['accept', 'content-type', 'authorization'])

// Exported: `velox client` reads a parameter so described as the wildcard again.
export const WILDCARD_DESCRIPTION = 'The rest of the URL path, slashes included (the route ends with the wildcard `*`).'

/**
 * The status under which a route without response schemas gets its one response: `default`,
 * since the route may answer 200, 201 or 204 and the document should not claim one of them.
 */
export const NO_RESPONSE_SCHEMA_STATUS = 'default'

/**
 * Builds the operation of `route` for one method and one of its paths.
 * `label` names the route in error messages: `GET /users/:id`.
 */
export function buildOperation (
  route: OpenApiRoute,
  translated: TranslatedPath,
  transformer: SchemaTransformer,
  label: string
): OpenApiOperation {
  const options = new RouteDocOptions(route, label)
  const schema = route.schema
  const operation: Partial<OpenApiOperation> = {}

  const tags = options.stringArray('tags')
  if (tags !== undefined) operation.tags = tags
  const summary = options.string('summary')
  if (summary !== undefined) operation.summary = summary
  const description = options.string('description')
  if (description !== undefined) operation.description = description
  const externalDocs = options.object('externalDocs')
  if (externalDocs !== undefined) operation.externalDocs = externalDocs as unknown as OpenApiOperation['externalDocs']
  const operationId = options.string('operationId')
  if (operationId !== undefined) operation.operationId = operationId

  const parameters = [
    ...pathParameters(schema?.params, translated, transformer, label),
    ...objectParameters('query', schema?.querystring ?? schema?.query, transformer, `${label} querystring`),
    ...objectParameters('header', schema?.headers, transformer, `${label} headers`)
      .filter(parameter => !IGNORED_HEADER_PARAMETERS.has(parameter.name.toLowerCase()))
  ]
  if (parameters.length > 0) operation.parameters = parameters

  if (schema?.body !== undefined) {
    operation.requestBody = requestBody(schema.body, options.stringArray('consumes'), transformer, `${label} body`)
  }
  operation.responses = responses(schema?.response, options.stringArray('produces'), transformer, label)

  const deprecated = options.boolean('deprecated')
  if (deprecated !== undefined) operation.deprecated = deprecated
  const security = options.array('security')
  if (security !== undefined) operation.security = security as OpenApiOperation['security']
  const servers = options.array('servers')
  if (servers !== undefined) operation.servers = servers as OpenApiOperation['servers']
  for (const [key, value] of options.extensions()) (operation as Record<string, unknown>)[key] = value

  return operation as OpenApiOperation
}

/**
 * Reads a documentation key from the route options, else from `schema` (where
 * @fastify/swagger users write it), and checks its type.
 */
class RouteDocOptions {
  readonly #route: OpenApiRoute
  readonly #label: string

  constructor (route: OpenApiRoute, label: string) {
    this.#route = route
    this.#label = label
  }

  #get (key: string): unknown {
    const value = this.#route.options[key]
    return value !== undefined ? value : this.#route.schema?.[key]
  }

  #invalid (key: string, expected: string): VeloxError {
    return openApiError('VLX_ERR_OPENAPI_INVALID_OPTION', key, this.#label, expected)
  }

  string (key: string): string | undefined {
    const value = this.#get(key)
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw this.#invalid(key, 'a string')
    return value
  }

  boolean (key: string): boolean | undefined {
    const value = this.#get(key)
    if (value === undefined) return undefined
    if (typeof value !== 'boolean') throw this.#invalid(key, 'a boolean')
    return value
  }

  stringArray (key: string): string[] | undefined {
    const value = this.#get(key)
    if (value === undefined) return undefined
    if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) throw this.#invalid(key, 'an array of strings')
    return [...value]
  }

  array (key: string): unknown[] | undefined {
    const value = this.#get(key)
    if (value === undefined) return undefined
    if (!Array.isArray(value)) throw this.#invalid(key, 'an array')
    return cloneJson(value) as unknown[]
  }

  object (key: string): Record<string, unknown> | undefined {
    const value = this.#get(key)
    if (value === undefined) return undefined
    if (!isObject(value)) throw this.#invalid(key, 'an object')
    return cloneJson(value) as Record<string, unknown>
  }

  /** `x-` keys of the schema, then of the options (which win). */
  extensions (): Map<string, unknown> {
    const found = new Map<string, unknown>()
    for (const source of [this.#route.schema ?? {}, this.#route.options]) {
      for (const [key, value] of Object.entries(source)) {
        if (key.startsWith('x-') && value !== undefined) found.set(key, cloneJson(value))
      }
    }
    return found
  }
}

/**
 * Path parameters in URL order. A parameter the `params` schema does not describe is still
 * listed, as a string, since OpenAPI requires every templated name to be defined; properties
 * of the schema that are not in the URL are left out, since OpenAPI forbids them.
 */
function pathParameters (
  paramsSchema: unknown,
  translated: TranslatedPath,
  transformer: SchemaTransformer,
  label: string
): OpenApiParameter[] {
  const properties = paramsSchema === undefined ? [] : transformer.objectShape(paramsSchema, `${label} params`).properties
  return translated.parameters.map(function pathParameter (parameter) {
    const property = properties.find(candidate => candidate.name === parameter.routerName)
    let schema: JsonSchema = property?.schema ?? { type: 'string' }
    if (parameter.pattern !== undefined) schema = withPattern(schema, parameter.pattern)
    const description = property?.description ?? (parameter.wildcard ? WILDCARD_DESCRIPTION : undefined)
    const out: Partial<OpenApiParameter> = { name: parameter.name, in: 'path' }
    if (description !== undefined) out.description = description
    out.required = true
    out.schema = schema
    return out as OpenApiParameter
  })
}

/** The URL's regex applies whatever the schema says: add it unless the schema has a pattern. */
function withPattern (schema: JsonSchema, pattern: string): JsonSchema {
  if (schema === true) return { type: 'string', pattern }
  if (schema === false || 'pattern' in schema) return schema
  return { ...schema, pattern }
}

function objectParameters (
  location: 'query' | 'header',
  objectSchema: unknown,
  transformer: SchemaTransformer,
  where: string
): OpenApiParameter[] {
  if (objectSchema === undefined) return []
  const { properties, required } = transformer.objectShape(objectSchema, where)
  return properties.map(function parameter (property) {
    const out: Partial<OpenApiParameter> = { name: property.name, in: location }
    if (property.description !== undefined) out.description = property.description
    if (required.has(property.name)) out.required = true
    out.schema = property.schema
    return out as OpenApiParameter
  })
}

/** `{ content: { 'type': { schema } } }`, the explicit per-media-type form of body and responses. */
function isContentMap (value: unknown): value is { content: Record<string, Record<string, unknown>>, [key: string]: unknown } {
  if (!isObject(value) || !isObject(value.content)) return false
  const media = Object.values(value.content)
  return media.length > 0 && media.every(entry => isObject(entry) && 'schema' in entry)
}

function mediaTypes (
  content: Record<string, Record<string, unknown>>,
  transformer: SchemaTransformer,
  where: string
): Record<string, OpenApiMediaType> {
  const out: Record<string, OpenApiMediaType> = {}
  for (const [type, media] of Object.entries(content)) {
    const entry: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(media)) {
      if (value === undefined) continue
      entry[key] = key === 'schema' ? transformer.routeSchema(value, `${where} ${type}`) : cloneJson(value)
    }
    out[type] = entry as OpenApiMediaType
  }
  return out
}

function listOrDefault (types: string[] | undefined): string[] {
  return types === undefined || types.length === 0 ? JSON_MEDIA_TYPES : types
}

function requestBody (
  body: unknown,
  consumes: string[] | undefined,
  transformer: SchemaTransformer,
  where: string
): OpenApiRequestBody {
  const out: Partial<OpenApiRequestBody> = {}
  if (isContentMap(body)) {
    if (typeof body.description === 'string') out.description = body.description
    if (body.required === true) out.required = true
    out.content = mediaTypes(body.content, transformer, where)
    return out as OpenApiRequestBody
  }
  if (isObject(body) && typeof body.description === 'string') out.description = body.description
  // A body schema that requires properties cannot accept a request without a body.
  if (transformer.hasRequired(body, where)) out.required = true
  const content: Record<string, OpenApiMediaType> = {}
  for (const type of listOrDefault(consumes)) content[type] = { schema: transformer.routeSchema(body, where) }
  out.content = content
  return out as OpenApiRequestBody
}

/** `200`, `'2xx'` and `'default'` as OpenAPI writes them: `'200'`, `'2XX'`, `'default'`. */
function statusKey (key: string, label: string): string {
  if (/^[1-5][0-9][0-9]$/.test(key)) return key
  if (/^[1-5]xx$/i.test(key)) return key.toUpperCase()
  if (key === 'default') return key
  throw openApiError('VLX_ERR_OPENAPI_INVALID_STATUS', key, `${label} response`)
}

/** Exact codes first, then ranges, then `default`: the order readers look for them in. */
function statusOrder (status: string): string {
  if (status === 'default') return '2'
  return (/X/.test(status) ? '1' : '0') + status
}

function responses (
  response: unknown,
  produces: string[] | undefined,
  transformer: SchemaTransformer,
  label: string
): Record<string, OpenApiResponse> {
  if (!isObject(response) || Object.keys(response).length === 0) {
    return { [NO_RESPONSE_SCHEMA_STATUS]: { description: DEFAULT_RESPONSE_DESCRIPTION } }
  }
  const built: Array<[string, OpenApiResponse]> = []
  for (const [key, value] of Object.entries(response)) {
    const status = statusKey(key, label)
    built.push([status, oneResponse(status, value, produces, transformer, `${label} response ${status}`)])
  }
  built.sort(function byStatus ([a], [b]) {
    const x = statusOrder(a)
    const y = statusOrder(b)
    return x < y ? -1 : x > y ? 1 : 0
  })
  return Object.fromEntries(built)
}

function oneResponse (
  status: string,
  value: unknown,
  produces: string[] | undefined,
  transformer: SchemaTransformer,
  where: string
): OpenApiResponse {
  if (isContentMap(value)) {
    const out: OpenApiResponse = { description: typeof value.description === 'string' ? value.description : statusDescription(status) }
    if (isObject(value.headers)) out.headers = responseHeaders(value.headers, transformer, where)
    out.content = mediaTypes(value.content, transformer, where)
    return out
  }
  let schema = value
  let description = statusDescription(status)
  let headers: Record<string, OpenApiHeader> | undefined
  if (isObject(value)) {
    // `headers` and `x-response-description` are @fastify/swagger's: not schema keywords, so
    // they come off the schema.
    const { headers: rawHeaders, 'x-response-description': responseDescription, ...rest } = value
    schema = rest
    if (typeof responseDescription === 'string') description = responseDescription
    else if (typeof value.description === 'string') description = value.description
    if (isObject(rawHeaders)) headers = responseHeaders(rawHeaders, transformer, where)
  }
  const out: OpenApiResponse = { description }
  if (headers !== undefined) out.headers = headers
  // RFC 9110, sections 15.3.5 and 15.4.5: 204 and 304 have no content; a `type: 'null'` schema
  // says the same (as @fastify/swagger reads it).
  const bodyless = status === '204' || status === '304' || (isObject(value) && value.type === 'null')
  if (!bodyless) {
    const content: Record<string, OpenApiMediaType> = {}
    for (const type of listOrDefault(produces)) content[type] = { schema: transformer.routeSchema(schema, where) }
    out.content = content
  }
  return out
}

function responseHeaders (
  headers: Record<string, unknown>,
  transformer: SchemaTransformer,
  where: string
): Record<string, OpenApiHeader> {
  const out: Record<string, OpenApiHeader> = {}
  for (const [name, header] of Object.entries(headers)) {
    // OpenAPI 3.1, section 4.8.17.1: a response header named Content-Type "SHALL be ignored".
    if (name.toLowerCase() === 'content-type' || header === undefined) continue
    const headerWhere = `${where} header ${name}`
    if (isObject(header) && 'schema' in header) {
      // Already an OpenAPI Header Object.
      const entry = cloneJson(header) as OpenApiHeader
      entry.schema = transformer.routeSchema(header.schema, headerWhere)
      out[name] = entry
      continue
    }
    // A plain schema: its description belongs to the header.
    const schema = transformer.routeSchema(header, headerWhere)
    if (isObject(header) && typeof header.description === 'string' && isObject(schema)) {
      delete schema.description
      out[name] = { description: header.description, schema }
    } else {
      out[name] = { schema }
    }
  }
  return out
}
