/**
 * `velox client`'s generator: from an OpenAPI 3.x document to one
 * self-contained TypeScript module, for consumers that cannot import the
 * app's type (another repository, another language's server). The module
 * holds the document's schemas as named types, its operations as a route
 * table (the shape `velox/client` types its calls with), and velox/client's
 * runtime (lib/client/client.ts) copied as it is, so the generated client
 * calls and narrows exactly as `createClient<typeof app>()` does.
 *
 * JSON Schema to TypeScript, as the generated types read it:
 * - `type` (one name or several), `enum`, `const`; `nullable: true` (3.0) and
 *   `type: [..., 'null']` (3.1) add `| null`; formats (`date-time`...) are strings;
 * - objects: `required` properties are required, others optional; without
 *   `additionalProperties` (or with `false`) the type is closed, with `true` or
 *   a schema (or `patternProperties`) it gets an index signature; an object
 *   without `properties` is a record;
 * - arrays from `items`, tuples from `prefixItems` (3.1) or an `items` array;
 * - `anyOf`/`oneOf` as unions, `allOf` as an intersection, next to the base type;
 * - `$ref` to `#/components/schemas/X` as the named type `X` (so recursive
 *   schemas stay finite); any other local pointer is read in place.
 * Keywords that do not shape a value (`minimum`, `pattern`, `not`, `if`...)
 * are left out: the server validates them.
 */

import { errorCodes, type VeloxError } from '../errors.js'
import { WILDCARD_DESCRIPTION } from '../openapi/operation.js'

type Json = Record<string, unknown>

/** What the generated module says about where it came from. */
export interface GenerateClientOptions {
  /** The document's source, as given to the command (a file, a URL, an app module). */
  source: string
  /** The client runtime to embed: lib/client/client.ts, as it is. */
  runtime: string
  /** The Velox version that wrote the module. */
  version: string
}

/** The generated module, and counts for the command's summary. */
export interface GeneratedClient {
  code: string
  routes: number
  schemas: number
}

// The methods a path item may hold (3.2 adds `query`), in the specification's order.
const PATH_ITEM_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query']

// OpenAPI 3.x, Parameter Object: header parameters with these names "SHALL be ignored".
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization'])

// A path parameter name the client's path syntax (`:name`, as find-my-way's) can hold: it
// ends at `:`, `(`, `-`, `.` and `/`.
const PLAIN_PARAM_NAME = /^[^:(\-./*{}]+$/

// Type names the generated module uses besides the document's: the runtime's own declarations
// and the globals its types name are read from its source; these are the ones the generator adds.
const GENERATED_NAMES = ['Routes', 'Api', 'Array', 'Record', 'Exclude', 'NonNullable', 'RequestInit', 'FormData', 'URLSearchParams', 'ArrayBuffer']

/**
 * The typed client module of an OpenAPI 3.x document.
 *
 * @throws {VeloxError} VLX_ERR_CLIENT_OPENAPI_VERSION for a document that is not OpenAPI 3.x
 * (Swagger 2.0, say), VLX_ERR_CLIENT_DOCUMENT_INVALID for one that is not an OpenAPI document
 * or holds a `$ref` that does not resolve.
 *
 * @example
 * const { code } = generateClient(document, { source: 'openapi.json', runtime, version: '0.1.0' })
 * await writeFile('client.ts', code)
 */
export function generateClient (document: unknown, options: GenerateClientOptions): GeneratedClient {
  const doc = checkDocument(document, options.source)
  const generator = new Generator(doc, options)
  return generator.module()
}

function invalid (source: string, reason: string): VeloxError {
  return new errorCodes.VLX_ERR_CLIENT_DOCUMENT_INVALID(source, reason)
}

function checkDocument (document: unknown, source: string): Json {
  if (!isObject(document)) throw invalid(source, `it is ${describe(document)}, not an object`)
  if (typeof document.swagger === 'string') throw new errorCodes.VLX_ERR_CLIENT_OPENAPI_VERSION(source, `Swagger ${document.swagger}`)
  if (typeof document.openapi !== 'string') throw invalid(source, 'it has no "openapi" field naming its OpenAPI version')
  if (!/^3\.\d+\.\d+/.test(document.openapi)) throw new errorCodes.VLX_ERR_CLIENT_OPENAPI_VERSION(source, `OpenAPI ${document.openapi}`)
  if (document.paths !== undefined && !isObject(document.paths)) throw invalid(source, '"paths" is not an object')
  const components = document.components
  if (components !== undefined && (!isObject(components) || (components.schemas !== undefined && !isObject(components.schemas)))) {
    throw invalid(source, '"components" or "components.schemas" is not an object')
  }
  return document
}

function describe (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isObject (value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

interface Endpoint {
  doc: string[]
  params: string
  query: string
  headers: string
  body: string
  responses: string
}

class Generator {
  readonly #doc: Json
  readonly #options: GenerateClientOptions
  // `#/components/schemas/<name>` -> the TypeScript name of its type.
  readonly #names = new Map<string, string>()
  // Local pointers being read in place, to stop at a cycle that does not pass a named type.
  readonly #inlining = new Set<string>()

  constructor (doc: Json, options: GenerateClientOptions) {
    this.#doc = doc
    this.#options = options
    const taken = new Set([...GENERATED_NAMES, ...(options.runtime.match(/\b[A-Z][A-Za-z0-9_]*\b/g) ?? [])])
    for (const name of Object.keys(this.#componentSchemas())) {
      this.#names.set(`#/components/schemas/${escapePointer(name)}`, uniqueName(typeName(name), taken))
    }
  }

  module (): GeneratedClient {
    const info = isObject(this.#doc.info) ? this.#doc.info : {}
    const title = typeof info.title === 'string' ? info.title : 'the API'
    const version = typeof info.version === 'string' ? ` ${oneLine(info.version)}` : ''
    const schemas = this.#schemaDeclarations()
    const routes = this.#routeTable()
    const servers = Array.isArray(this.#doc.servers)
      ? this.#doc.servers.flatMap((server) => isObject(server) && typeof server.url === 'string' ? [server.url] : [])
      : []
    const head = [
      '/* eslint-disable */',
      `// A typed client for ${oneLine(title)}${version} (OpenAPI ${oneLine(String(this.#doc.openapi))}), written by`,
      `// \`velox client\` (Velox ${this.#options.version}) from ${oneLine(this.#options.source)}.`,
      '// Generated: write it again with the same command when the API changes, rather than editing it.',
      '//',
      '// It needs nothing but fetch (Node.js 18+, Deno, Bun, browsers) and TypeScript 5:',
      '//',
      '//   const api = createClient(\'http://127.0.0.1:3000\')',
      '//   const res = await api.users[\':id\'].$get({ params: { id: 1 } })',
      '//   if (res.status === 200) console.log(res.data)',
      ...(servers.length > 0 ? ['//', `// Servers the document names: ${servers.map(oneLine).join(', ')}`] : [])
    ]
    const code = [
      head.join('\n'),
      section('Schemas: components.schemas of the document, one type each'),
      schemas.join('\n\n'),
      section('Routes: per path (in the client\'s :param form) and method, what a call sends and receives'),
      routes.code,
      section('The client'),
      CREATE_CLIENT,
      section('The client runtime: velox/client\'s own, copied as it is'),
      stripHeaderComment(this.#options.runtime).trim(),
      ''
    ].filter((part) => part !== '').join('\n\n') + '\n'
    return { code, routes: routes.count, schemas: schemas.length }
  }

  #componentSchemas (): Json {
    const components = this.#doc.components
    return isObject(components) && isObject(components.schemas) ? components.schemas : {}
  }

  #schemaDeclarations (): string[] {
    const out: string[] = []
    for (const [name, schema] of Object.entries(this.#componentSchemas())) {
      const pointer = `#/components/schemas/${escapePointer(name)}`
      const docs = docComment(isObject(schema) ? schemaDocLines(schema) : [], '')
      out.push(`${docs}export type ${this.#names.get(pointer)!} = ${this.#type(schema, '', pointer)}`)
    }
    return out
  }

  #routeTable (): { code: string, count: number } {
    const routes = new Map<string, Map<string, Endpoint>>()
    let count = 0
    const paths = isObject(this.#doc.paths) ? this.#doc.paths : {}
    for (const [template, rawItem] of Object.entries(paths)) {
      const where = `paths["${template}"]`
      const item = this.#resolve(rawItem, where)
      if (!isObject(item)) throw invalid(this.#options.source, `${where} is not a Path Item object`)
      const operations: Array<[string, unknown]> = PATH_ITEM_METHODS.filter((method) => item[method] !== undefined).map((method) => [method, item[method]])
      // 3.2: methods without a field of their own.
      if (isObject(item.additionalOperations)) operations.push(...Object.entries(item.additionalOperations))
      for (const [method, operation] of operations) {
        if (!isObject(operation)) throw invalid(this.#options.source, `${where}.${method} is not an Operation object`)
        const parameters = this.#parameters(item.parameters, operation.parameters, `${where}.${method}`)
        const { key, params } = this.#clientPath(template, parameters.path, `${where}.${method}`)
        let methods = routes.get(key)
        if (methods === undefined) routes.set(key, methods = new Map<string, Endpoint>())
        const METHOD = method.toUpperCase()
        // Two templates that read as one client path: the first one wins, as in the router.
        if (methods.has(METHOD)) continue
        methods.set(METHOD, {
          doc: operationDocLines(operation),
          params,
          query: this.#objectOf(parameters.query, '      '),
          headers: this.#objectOf(parameters.header, '      '),
          body: this.#requestBody(operation.requestBody, `${where}.${method}.requestBody`),
          responses: this.#responses(operation.responses, METHOD === 'HEAD', `${where}.${method}.responses`)
        })
        count++
      }
    }
    const lines = ['export interface Routes {']
    for (const [path, methods] of routes) {
      lines.push(`  ${quote(path)}: {`)
      for (const [method, endpoint] of methods) {
        const docs = docComment(endpoint.doc, '    ')
        lines.push(
          `${docs}    ${method}: {`,
          `      params: ${endpoint.params}`,
          `      query: ${endpoint.query}`,
          `      headers: ${endpoint.headers}`,
          `      body: ${endpoint.body}`,
          `      responses: ${endpoint.responses}`,
          '    }'
        )
      }
      lines.push('  }')
    }
    lines.push('}', '', '/** The client of this API: `api.users[\':id\'].$get(...)`. */', 'export type Api = Client<Routes>')
    return { code: lines.join('\n'), count }
  }

  /** An operation's parameters by location, path item ones first and overridden by the operation's. */
  #parameters (shared: unknown, own: unknown, where: string): Record<'path' | 'query' | 'header', Json[]> {
    const byKey = new Map<string, Json>()
    for (const [list, label] of [[shared, 'parameters of the path'], [own, 'parameters']] as const) {
      if (list === undefined) continue
      if (!Array.isArray(list)) throw invalid(this.#options.source, `the ${label} of ${where} are not an array`)
      list.forEach((raw, i) => {
        const parameter = this.#resolve(raw, `${where} ${label}[${i}]`)
        if (!isObject(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') {
          throw invalid(this.#options.source, `${where} ${label}[${i}] is not a Parameter object (it needs "name" and "in")`)
        }
        byKey.set(`${parameter.in}:${parameter.name}`, parameter)
      })
    }
    const out: Record<'path' | 'query' | 'header', Json[]> = { path: [], query: [], header: [] }
    for (const parameter of byKey.values()) {
      const location = parameter.in as string
      if (location === 'header' && IGNORED_HEADERS.has((parameter.name as string).toLowerCase())) continue
      // Cookies are the browser's (or the fetch's) to send.
      if (location === 'path' || location === 'query' || location === 'header') out[location].push(parameter)
    }
    return out
  }

  /**
   * The client's path for an OpenAPI template, and its params type: `{id}` becomes `:id`, a
   * literal `:` becomes `::`, and Velox's wildcard parameter (last, named `wildcard`,
   * described as such) becomes `*`, whose value keeps its slashes. A name the `:` syntax
   * cannot hold (`user-id`) is renamed (`user_id`).
   */
  #clientPath (template: string, declared: Json[], where: string): { key: string, params: string } {
    const byName = new Map(declared.map((parameter) => [parameter.name as string, parameter]))
    const names = new Set<string>()
    const members: string[] = []
    let key = ''
    let last = 0
    const variable = /\{([^{}]+)\}/g
    for (let match = variable.exec(template); match !== null; match = variable.exec(template)) {
      key += literalPathText(template.slice(last, match.index))
      last = match.index + match[0].length
      const name = match[1]!
      const parameter = byName.get(name)
      const type = parameter === undefined ? 'string | number' : this.#parameterType(parameter, '        ', `${where} path parameter "${name}"`)
      const isWildcard = name === 'wildcard' && last === template.length && template[match.index - 1] === '/' &&
        parameter !== undefined && parameter.description === WILDCARD_DESCRIPTION
      let clientName = isWildcard ? '*' : PLAIN_PARAM_NAME.test(name) ? name : name.replace(/[:(\-./*{}]/g, '_')
      if (!isWildcard) while (names.has(clientName)) clientName += '_'
      names.add(clientName)
      key += isWildcard ? '*' : `:${clientName}`
      members.push(`${docComment(parameter === undefined ? [] : parameterDocLines(parameter, clientName === name ? undefined : name), '        ')}        ${propertyKey(clientName)}: ${type}`)
    }
    key += literalPathText(template.slice(last))
    return { key, params: members.length === 0 ? 'undefined' : `{\n${members.join('\n')}\n      }` }
  }

  /** Query or header parameters as an object type; `unknown` (anything) when there are none. */
  #objectOf (parameters: Json[], indent: string): string {
    if (parameters.length === 0) return 'unknown'
    const members = parameters.map((parameter) => {
      const name = parameter.name as string
      const optional = parameter.required === true ? '' : '?'
      const type = this.#parameterType(parameter, indent + '  ', `parameter "${name}"`)
      return `${docComment(parameterDocLines(parameter), indent + '  ')}${indent}  ${propertyKey(name)}${optional}: ${type}`
    })
    return `{\n${members.join('\n')}\n${indent}}`
  }

  #parameterType (parameter: Json, indent: string, where: string): string {
    if (parameter.schema !== undefined) return this.#type(parameter.schema, indent, where)
    // `content` instead of `schema`: one media type, whose schema types the value.
    if (isObject(parameter.content)) {
      const media = Object.values(parameter.content)[0]
      if (isObject(media) && media.schema !== undefined) return this.#type(media.schema, indent, where)
    }
    return 'unknown'
  }

  #requestBody (raw: unknown, where: string): string {
    if (raw === undefined) return 'unknown'
    const body = this.#resolve(raw, where)
    if (!isObject(body)) throw invalid(this.#options.source, `${where} is not a Request Body object`)
    const types = this.#contentTypes(body.content, 'request', '      ', where)
    const type = types.length === 0 ? 'unknown' : types.join(' | ')
    // OpenAPI's default: a request body is optional.
    return body.required === true || type === 'unknown' ? type : `${type} | undefined`
  }

  #responses (raw: unknown, head: boolean, where: string): string {
    const responses = raw === undefined ? {} : this.#resolve(raw, where)
    if (!isObject(responses)) throw invalid(this.#options.source, `${where} is not a Responses object`)
    const members: string[] = []
    for (const [status, rawResponse] of Object.entries(responses)) {
      if (status.startsWith('x-')) continue
      if (!/^([1-5](\d\d|XX|xx)|default)$/.test(status)) throw invalid(this.#options.source, `${where} has the key "${status}", which is not a status code, a range such as 2XX, or default`)
      const response = this.#resolve(rawResponse, `${where}["${status}"]`)
      if (!isObject(response)) throw invalid(this.#options.source, `${where}["${status}"] is not a Response object`)
      let type: string
      if (head || status === '204' || status === '205' || status === '304') {
        type = 'undefined'
      } else {
        const types = this.#contentTypes(response.content, 'response', '        ', `${where}["${status}"]`)
        // No content: Velox documents a route without response schemas so, and answers anything.
        type = types.length === 0 ? 'unknown' : types.join(' | ')
      }
      const docs = typeof response.description === 'string' && response.description !== '' ? docComment([response.description], '        ') : ''
      members.push(`${docs}        ${/^\d+$/.test(status) ? status : propertyKey(status)}: ${type}`)
    }
    // Nothing declared: any status, any data.
    if (members.length === 0) return '{ default: unknown }'
    return `{\n${members.join('\n')}\n      }`
  }

  /**
   * The types of a content map: a JSON media type by its schema; in a request, a form as
   * FormData or URLSearchParams and anything else as a raw body fetch sends as it is; in a
   * response, text as a string and anything else as the ArrayBuffer the runtime reads.
   */
  #contentTypes (content: unknown, direction: 'request' | 'response', indent: string, where: string): string[] {
    if (content === undefined) return []
    if (!isObject(content)) throw invalid(this.#options.source, `the content of ${where} is not an object`)
    const types = new Set<string>()
    for (const [mediaType, media] of Object.entries(content)) {
      const essence = mediaType.split(';')[0]!.trim().toLowerCase()
      if (/^application\/(.+\+)?json$|^\*\/\*$/.test(essence)) {
        types.add(isObject(media) && media.schema !== undefined ? this.#type(media.schema, indent, `${where} ${mediaType}`) : 'unknown')
      } else if (direction === 'response') {
        types.add(essence.startsWith('text/') ? 'string' : 'ArrayBuffer')
      } else if (essence === 'multipart/form-data') {
        types.add('FormData')
      } else if (essence === 'application/x-www-form-urlencoded') {
        types.add('URLSearchParams')
      } else {
        // A string would be sent as JSON: raw text goes as a Blob.
        types.add('Exclude<NonNullable<RequestInit[\'body\']>, string>')
      }
    }
    return types.has('unknown') ? ['unknown'] : [...types]
  }

  /** A Reference Object (parameters, bodies, responses, path items) resolved; anything else as it is. */
  #resolve (value: unknown, where: string, seen = new Set<string>()): unknown {
    if (!isObject(value) || typeof value.$ref !== 'string') return value
    if (seen.has(value.$ref)) throw invalid(this.#options.source, `the $ref "${value.$ref}" in ${where} refers to itself`)
    seen.add(value.$ref)
    return this.#resolve(this.#pointer(value.$ref, where), where, seen)
  }

  #pointer (ref: string, where: string): unknown {
    if (!ref.startsWith('#')) throw invalid(this.#options.source, `the $ref "${ref}" in ${where} points into another document; bundle it into one first (redocly bundle, swagger-cli bundle)`)
    let node: unknown = this.#doc
    const path = ref.slice(1)
    if (path !== '' && !path.startsWith('/')) throw invalid(this.#options.source, `the $ref "${ref}" in ${where} is not a JSON pointer`)
    for (const token of path === '' ? [] : path.slice(1).split('/')) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~')
      node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined
      if (node === undefined) throw invalid(this.#options.source, `the $ref "${ref}" in ${where} points to nothing`)
    }
    return node
  }

  // ------------------------------------------------------------- JSON Schema -> TypeScript

  #type (schema: unknown, indent: string, where: string): string {
    if (schema === true || schema === undefined) return 'unknown'
    if (schema === false) return 'never'
    if (!isObject(schema)) throw invalid(this.#options.source, `the schema at ${where} is ${describe(schema)}, not an object or a boolean`)
    const parts: string[] = []
    if (typeof schema.$ref === 'string') parts.push(this.#refType(schema.$ref, indent, where))
    const base = this.#baseType(schema, indent, where)
    if (base !== 'unknown') parts.push(base)
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const list = schema[keyword]
      if (Array.isArray(list) && list.length > 0) {
        parts.push(union(list.map((item, i) => this.#type(item, indent, `${where}.${keyword}[${i}]`))))
      }
    }
    if (Array.isArray(schema.allOf)) {
      for (const [i, item] of schema.allOf.entries()) {
        const type = this.#type(item, indent, `${where}.allOf[${i}]`)
        if (type !== 'unknown') parts.push(type)
      }
    }
    let type = parts.length === 0 ? 'unknown' : parts.length === 1 ? parts[0]! : parts.map(parenthesize).join(' & ')
    if (schema.nullable === true && type !== 'unknown' && !/(^|\| )null( \||$)/.test(type)) type = `${isTopLevel(type, '&') ? `(${type})` : type} | null`
    return type
  }

  #refType (ref: string, indent: string, where: string): string {
    const named = this.#names.get(ref)
    if (named !== undefined) return named
    // Any other local pointer: read in place, once per chain.
    if (this.#inlining.has(ref)) return 'unknown'
    const target = this.#pointer(ref, where)
    this.#inlining.add(ref)
    try {
      return this.#type(target, indent, ref)
    } finally {
      this.#inlining.delete(ref)
    }
  }

  // One value-shaping keyword wins, as in Velox's own inference: const, enum, type, then the
  // object or array keywords when `type` is left out.
  #baseType (schema: Json, indent: string, where: string): string {
    if (schema.const !== undefined) return literalType(schema.const)
    if (Array.isArray(schema.enum)) return schema.enum.length === 0 ? 'never' : union(schema.enum.map((value) => literalType(value)))
    const type = schema.type
    if (typeof type === 'string') return this.#typeName(type, schema, indent, where)
    if (Array.isArray(type)) return union(type.map((name) => typeof name === 'string' ? this.#typeName(name, schema, indent, where) : 'unknown'))
    if (isObject(schema.properties) || Array.isArray(schema.required) || schema.additionalProperties !== undefined || isObject(schema.patternProperties)) {
      return this.#objectType(schema, indent, where)
    }
    if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return this.#arrayType(schema, indent, where)
    return 'unknown'
  }

  #typeName (name: string, schema: Json, indent: string, where: string): string {
    switch (name) {
      case 'string': return 'string'
      case 'number': case 'integer': return 'number'
      case 'boolean': return 'boolean'
      case 'null': return 'null'
      case 'object': return this.#objectType(schema, indent, where)
      case 'array': return this.#arrayType(schema, indent, where)
      default: return 'unknown'
    }
  }

  #objectType (schema: Json, indent: string, where: string): string {
    const properties = isObject(schema.properties) ? schema.properties : {}
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string') : [])
    const inner = indent + '  '
    const undeclared = [...required].filter((name) => !Object.hasOwn(properties, name))
    const rest = this.#restType(schema, Object.keys(properties).length === 0 && undeclared.length === 0, inner, where)
    const members: string[] = []
    const valueTypes: string[] = []
    for (const [name, property] of Object.entries(properties)) {
      const type = this.#type(property, inner, `${where}.properties.${name}`)
      const optional = !required.has(name)
      // An optional property is `undefined` when absent, which an index signature must allow
      // under every setting of exactOptionalPropertyTypes.
      valueTypes.push(type, ...(optional ? ['undefined'] : []))
      const docs = docComment(isObject(property) ? schemaDocLines(property) : [], inner)
      members.push(`${docs}${inner}${propertyKey(name)}${optional ? '?' : ''}: ${type}`)
    }
    // `required` without the property in `properties`: the key is there, its value is one
    // the other keys may hold.
    for (const name of undeclared) members.push(`${inner}${propertyKey(name)}: ${rest ?? 'unknown'}`)
    // An index signature covers the declared properties too: their types join its own.
    if (rest !== undefined) members.push(`${inner}[key: string]: ${union([rest, ...valueTypes])}`)
    if (members.length === 0) return '{}'
    return `{\n${members.join('\n')}\n${indent}}`
  }

  // The type of the keys beyond `properties`, or undefined for a closed object.
  #restType (schema: Json, empty: boolean, indent: string, where: string): string | undefined {
    const rest: string[] = []
    if (isObject(schema.patternProperties)) {
      for (const [pattern, value] of Object.entries(schema.patternProperties)) rest.push(this.#type(value, indent, `${where}.patternProperties["${pattern}"]`))
    }
    const additional = schema.additionalProperties
    if (additional === false) return rest.length === 0 ? undefined : union(rest)
    if (additional !== undefined) return union([...rest, this.#type(additional, indent, `${where}.additionalProperties`)])
    if (rest.length > 0) return union(rest)
    // No properties, no `additionalProperties`: a record of anything.
    return empty ? 'unknown' : undefined
  }

  #arrayType (schema: Json, indent: string, where: string): string {
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined
    if (tuple !== undefined) {
      const rest = Array.isArray(schema.prefixItems) ? schema.items : schema.additionalItems
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0
      const elements = tuple.map((item, i) => {
        const type = this.#type(item, indent, `${where}[${i}]`)
        return i < minItems ? type : `${parenthesize(type)}?`
      })
      if (rest !== false) elements.push(`...${arrayOf(this.#type(rest, indent, `${where}.items`))}`)
      return `[${elements.join(', ')}]`
    }
    return arrayOf(this.#type(schema.items, indent, `${where}.items`))
  }
}

const CREATE_CLIENT = `/**
 * A client of this API at \`baseUrl\`. Paths are properties (\`api.users[':id']\`),
 * methods are \`$get\`, \`$post\`..., and each call resolves to \`{ status, ok,
 * data, headers, response }\`, with \`data\` typed by the status checked.
 *
 * @example
 * const api = createClient('http://127.0.0.1:3000', { headers: { authorization: 'Bearer x' } })
 */
export function createClient (baseUrl: string | URL, options?: ClientOptions): Api {
  return createRouteClient<Routes>(baseUrl, options)
}`

function section (title: string): string {
  return `// ${'-'.repeat(Math.max(4, 96 - title.length))} ${title}`
}

// The runtime's own header describes the file in the repository; the generated module has its own.
function stripHeaderComment (runtime: string): string {
  return runtime.replace(/^\s*\/\*\*[\s\S]*?\*\/\s*/, '')
}

/** A component name as a type name: `user` -> `User`, `user.v1` -> `UserV1`. */
function typeName (name: string): string {
  const words = name.split(/[^A-Za-z0-9_$]+/).filter((word) => word !== '')
  const joined = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')
  if (joined === '') return 'Schema'
  return /^[0-9]/.test(joined) ? `_${joined}` : joined
}

function uniqueName (name: string, taken: Set<string>): string {
  let candidate = taken.has(name) ? `${name}Schema` : name
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}Schema${n}`
  taken.add(candidate)
  return candidate
}

function escapePointer (name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1')
}

// Text between path parameters: a colon is `::` to the client, and a literal `*` (which would
// read as the wildcard) is sent percent-encoded.
function literalPathText (text: string): string {
  return text.replace(/:/g, '::').replace(/\*/g, '%2A')
}

function propertyKey (name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name)
}

/** A string literal in single quotes, as the rest of the module writes them. */
function quote (text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`
}

function literalType (value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return typeof value === 'string' ? quote(value) : String(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'number'
  if (Array.isArray(value)) return `[${value.map((item) => literalType(item)).join(', ')}]`
  // What else JSON holds: an object.
  const entries = Object.entries(value as Json)
  if (entries.length === 0) return '{}'
  return `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${literalType(item)}`).join(', ')} }`
}

function union (types: string[]): string {
  const unique = [...new Set(types)]
  if (unique.includes('unknown')) return 'unknown'
  const members = unique.filter((type) => type !== 'never')
  if (members.length === 0) return 'never'
  return members.length === 1 ? members[0]! : members.join(' | ')
}

function arrayOf (type: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(type) ? `${type}[]` : `Array<${type}>`
}

// Parenthesized where an intersection (or a tuple's `?`) would bind tighter than the type's own unions.
function parenthesize (type: string): string {
  return isTopLevel(type, '|') || isTopLevel(type, '&') ? `(${type})` : type
}

// Whether `op` occurs outside brackets, quotes and braces.
function isTopLevel (type: string, op: string): boolean {
  let depth = 0
  let quote: string | null = null
  for (let i = 0; i < type.length; i++) {
    const char = type[i]!
    if (quote !== null) {
      if (char === '\\') i++
      else if (char === quote) quote = null
    } else if (char === '"' || char === '\'') {
      quote = char
    } else if ('{[(<'.includes(char)) {
      depth++
    } else if ('}])>'.includes(char)) {
      depth--
    } else if (depth === 0 && char === op) {
      return true
    }
  }
  return false
}

function oneLine (text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function docComment (lines: string[], indent: string): string {
  const text = lines.flatMap((line) => line.split('\n')).map((line) => line.trimEnd().replace(/\*\//g, '*\\/'))
  while (text.length > 0 && text.at(-1) === '') text.pop()
  if (text.length === 0) return ''
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`
  return `${indent}/**\n${text.map((line) => `${indent} *${line === '' ? '' : ' ' + line}`).join('\n')}\n${indent} */\n`
}

function schemaDocLines (schema: Json): string[] {
  const lines: string[] = []
  if (typeof schema.title === 'string') lines.push(schema.title)
  if (typeof schema.description === 'string') lines.push(schema.description)
  if (typeof schema.format === 'string') lines.push(`Format: ${schema.format}.`)
  if (schema.deprecated === true) lines.push('@deprecated')
  return lines
}

function parameterDocLines (parameter: Json, documentedName?: string): string[] {
  const lines: string[] = []
  if (documentedName !== undefined) lines.push(`The parameter "${documentedName}" of the document.`)
  if (typeof parameter.description === 'string') lines.push(parameter.description)
  if (isObject(parameter.schema) && typeof parameter.schema.format === 'string') lines.push(`Format: ${parameter.schema.format}.`)
  if (parameter.deprecated === true) lines.push('@deprecated')
  return lines
}

function operationDocLines (operation: Json): string[] {
  const lines: string[] = []
  if (typeof operation.summary === 'string') lines.push(operation.summary)
  if (typeof operation.description === 'string') lines.push(operation.description)
  if (typeof operation.operationId === 'string') lines.push(`operationId: ${operation.operationId}`)
  if (operation.deprecated === true) lines.push('@deprecated')
  return lines
}
