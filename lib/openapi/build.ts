/**
 * The OpenAPI 3.1 document of an app, built from a snapshot of its route table and shared
 * schemas. A pure function: the same input gives the same document, byte for byte once
 * serialized, and the input is never modified.
 */

import { openApiError } from './openapi-error.js'
import { buildOperation } from './operation.js'
import { translatePath } from './path.js'
import { compareCodeUnits, createSchemaRegistry, isObject } from './schema-registry.js'
import type { SchemaRegistry } from './schema-registry.js'
import { SchemaTransformer, cloneJson } from './schema-transform.js'
import { OPENAPI_METHODS } from './types.js'
import type {
  JsonSchema, OpenApiComponents, OpenApiDocument, OpenApiInfo, OpenApiInput, OpenApiMethod,
  OpenApiOperation, OpenApiOptions, OpenApiPathItem, OpenApiRoute
} from './types.js'

export const DEFAULT_INFO: Readonly<OpenApiInfo> = { title: 'Velox API', version: '1.0.0' }

// The order of the sections of the Components Object in the specification.
const COMPONENT_SECTIONS = [
  'schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers',
  'securitySchemes', 'links', 'callbacks', 'pathItems'
] as const

/**
 * Builds the document.
 *
 * - Paths appear in the order their first route was registered; methods in a path follow the
 *   specification's order (get, put, post, delete, options, head, patch, trace).
 * - When two routes give the same path and method (routes that differ only by constraints, or
 *   by a regex), the first one registered is documented.
 * - Methods OpenAPI 3.1 cannot describe (PROPFIND, SEARCH, ...) are left out, and so are hidden
 *   routes and the HEAD routes generated for GET routes.
 * - Shared schemas become `components.schemas`, sorted by name.
 *
 * @throws {VeloxError} (codes VLX_ERR_OPENAPI_*) on an unresolvable `$ref`, an invalid response status, a duplicate
 * `operationId`, or a route documentation option of the wrong type.
 *
 * @example
 * const document = buildOpenApiDocument({
 *   routes: [{ method: 'GET', url: '/users/:id', options: { summary: 'One user' },
 *              schema: { response: { 200: { $ref: 'user#' } } } }],
 *   schemas: { user: { $id: 'user', type: 'object', properties: { id: { type: 'integer' } } } },
 *   options: { info: { title: 'Users', version: '2.0.0' } }
 * })
 * document.paths['/users/{id}'].get.responses['200'].content['application/json'].schema
 * // { $ref: '#/components/schemas/user' }
 */
export function buildOpenApiDocument (input: OpenApiInput): OpenApiDocument {
  const options: OpenApiOptions = input.options ?? {}
  const registry = createSchemaRegistry(input.schemas)
  const transformer = new SchemaTransformer(registry)

  const { title, version, ...info } = cloneJson(options.info ?? {}) as Partial<OpenApiInfo>
  // Fields are set in the order readers expect to find them.
  const document: Partial<OpenApiDocument> = {
    openapi: '3.1.0',
    info: { title: title ?? DEFAULT_INFO.title, version: version ?? DEFAULT_INFO.version, ...info }
  }
  if (options.servers !== undefined) document.servers = cloneJson(options.servers) as OpenApiDocument['servers']
  if (options.tags !== undefined) document.tags = cloneJson(options.tags) as OpenApiDocument['tags']
  if (options.externalDocs !== undefined) document.externalDocs = cloneJson(options.externalDocs) as OpenApiDocument['externalDocs']
  if (options.security !== undefined) document.security = cloneJson(options.security) as OpenApiDocument['security']
  document.paths = buildPaths(input.routes, transformer)
  if (options.webhooks !== undefined) document.webhooks = cloneJson(options.webhooks) as OpenApiDocument['webhooks']
  const components = buildComponents(options.components, transformer, registry)
  if (components !== undefined) document.components = components
  for (const [key, value] of Object.entries(options)) {
    if (key.startsWith('x-') && value !== undefined) (document as Record<string, unknown>)[key] = cloneJson(value)
  }
  return document as OpenApiDocument
}

function buildPaths (routes: readonly OpenApiRoute[], transformer: SchemaTransformer): Record<string, OpenApiPathItem> {
  const paths = new Map<string, Map<OpenApiMethod, OpenApiOperation>>()
  const operationIds = new Map<string, string>()
  for (const route of routes) {
    if (route.generatedHead === true || isHidden(route)) continue
    const methods = (typeof route.method === 'string' ? [route.method] : route.method).map(method => method.toLowerCase())
    for (const translated of translatePath(route.url)) {
      for (const method of methods) {
        if (!isOpenApiMethod(method)) continue
        let pathItem = paths.get(translated.path)
        if (pathItem === undefined) paths.set(translated.path, pathItem = new Map<OpenApiMethod, OpenApiOperation>())
        if (pathItem.has(method)) continue
        const label = `${method.toUpperCase()} ${route.url}`
        const operation = buildOperation(route, translated, transformer, label)
        // The variant without an optional parameter is a second operation of the same route:
        // it cannot share the operationId, which must be unique.
        if (translated.withoutOptional) delete operation.operationId
        if (operation.operationId !== undefined) {
          const first = operationIds.get(operation.operationId)
          if (first !== undefined) throw openApiError('VLX_ERR_OPENAPI_DUPLICATE_OPERATION_ID', operation.operationId, first, label)
          operationIds.set(operation.operationId, label)
        }
        pathItem.set(method, operation)
      }
    }
  }
  const out: Record<string, OpenApiPathItem> = {}
  for (const [path, operations] of paths) {
    if (operations.size === 0) continue
    const item: OpenApiPathItem = {}
    for (const method of OPENAPI_METHODS) {
      const operation = operations.get(method)
      if (operation !== undefined) item[method] = operation
    }
    out[path] = item
  }
  return out
}

function isHidden (route: OpenApiRoute): boolean {
  return route.options.hide === true || route.schema?.hide === true
}

function isOpenApiMethod (method: string): method is OpenApiMethod {
  return (OPENAPI_METHODS as readonly string[]).includes(method)
}

/**
 * The shared schemas next to the components given in the options, every section sorted by
 * name. Components from the options are OpenAPI already and are copied as they are.
 */
function buildComponents (
  given: OpenApiComponents | undefined,
  transformer: SchemaTransformer,
  registry: SchemaRegistry
): OpenApiComponents | undefined {
  const shared = transformer.components()
  const out: Record<string, unknown> = {}
  const schemas: Record<string, JsonSchema> = { ...shared }
  if (given?.schemas !== undefined) {
    for (const [name, schema] of Object.entries(given.schemas)) {
      const clash = registry.components.find(component => component.name === name)
      if (clash !== undefined) throw openApiError('VLX_ERR_OPENAPI_COMPONENT_CONFLICT', name, clash.id)
      schemas[name] = cloneJson(schema) as JsonSchema
    }
  }
  if (Object.keys(schemas).length > 0) out.schemas = sortedByKey(schemas)
  for (const section of COMPONENT_SECTIONS) {
    if (section === 'schemas') continue
    const value = given?.[section]
    if (isObject(value)) out[section] = sortedByKey(cloneJson(value) as Record<string, unknown>)
  }
  for (const [key, value] of Object.entries(given ?? {})) {
    if (key.startsWith('x-') && value !== undefined) out[key] = cloneJson(value)
  }
  return Object.keys(out).length === 0 ? undefined : out as OpenApiComponents
}

function sortedByKey<T> (record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {}
  for (const key of Object.keys(record).sort(compareCodeUnits)) out[key] = record[key]
  return out
}
