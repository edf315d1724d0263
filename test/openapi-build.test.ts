import t from 'tap'
import { buildOpenApiDocument } from '../lib/openapi/build.js'
import { translatePath } from '../lib/openapi/path.js'
import type { OpenApiDocument, OpenApiInput, OpenApiOperation } from '../lib/openapi/types.js'
import { assertValidOpenApi, route } from './openapi-helpers.js'

function build (input: Partial<OpenApiInput>): OpenApiDocument {
  return buildOpenApiDocument({ routes: [], schemas: {}, ...input })
}

function operation (document: OpenApiDocument, path: string, method: 'get' | 'post' | 'put' | 'delete' | 'head' | 'patch' | 'options'): OpenApiOperation {
  const found = document.paths[path]?.[method]
  if (found === undefined) throw new Error(`no ${method} ${path} in ${Object.keys(document.paths).join(', ')}`)
  return found
}

const DEFAULT_RESPONSES = { default: { description: 'Default Response' } }

t.test('an app without routes gives a minimal document with the default info', async t => {
  const document = build({})
  t.same(document, { openapi: '3.1.0', info: { title: 'Velox API', version: '1.0.0' }, paths: {} })
  // OpenAPI 3.1 allows empty paths (section 4.8.8: "The Paths Object MAY be empty"), but
  // @readme/openapi-parser insists on one entry, so the validator checks the one-route app.
  await assertValidOpenApi(t, build({ routes: [route('GET', '/')] }))
})

t.test('document options are copied: info, servers, tags, externalDocs, security, components, extensions', async t => {
  const options = {
    info: { title: 'Shop', description: 'The shop API', license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'local' }],
    tags: [{ name: 'users', description: 'People' }],
    externalDocs: { url: 'http://127.0.0.1/docs' },
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } }
    },
    'x-audience': 'internal'
  }
  const document = build({ options, routes: [route('GET', '/ping')] })
  t.same(document.info, { title: 'Shop', version: '1.0.0', description: 'The shop API', license: { name: 'MIT', identifier: 'MIT' } },
    'a missing version is filled in, title and version come first')
  t.same(document.servers, options.servers)
  t.same(document.tags, options.tags)
  t.same(document.externalDocs, options.externalDocs)
  t.same(document.security, options.security)
  t.same(Object.keys(document.components?.securitySchemes ?? {}), ['apiKey', 'bearer'], 'component sections are sorted by name')
  t.equal(document['x-audience'], 'internal')
  t.same(Object.keys(document), ['openapi', 'info', 'servers', 'tags', 'externalDocs', 'security', 'paths', 'components', 'x-audience'])
  t.not(document.servers, options.servers, 'options are copied, not shared')
  await assertValidOpenApi(t, document)
})

t.test('route documentation options shape the operation', async t => {
  const docs = {
    summary: 'List users',
    description: 'All of them',
    tags: ['users'],
    operationId: 'listUsers',
    deprecated: true,
    security: [{ bearer: ['read'] }],
    externalDocs: { url: 'http://127.0.0.1/users' },
    'x-internal': false
  }
  const options = { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } }
  const fromOptions = build({ options, routes: [route('GET', '/users', undefined, docs)] })
  t.same(operation(fromOptions, '/users', 'get'), {
    tags: ['users'],
    summary: 'List users',
    description: 'All of them',
    externalDocs: { url: 'http://127.0.0.1/users' },
    operationId: 'listUsers',
    responses: DEFAULT_RESPONSES,
    deprecated: true,
    security: [{ bearer: ['read'] }],
    'x-internal': false
  })
  await assertValidOpenApi(t, fromOptions)

  const fromSchema = build({ options, routes: [route('GET', '/users', { ...docs })] })
  t.same(fromSchema, fromOptions, 'the same keys inside schema, as @fastify/swagger users write them, give the same operation')

  const both = build({ routes: [route('GET', '/users', { summary: 'from schema', tags: ['a'] }, { summary: 'from options' })] })
  t.same(operation(both, '/users', 'get'), { tags: ['a'], summary: 'from options', responses: DEFAULT_RESPONSES },
    'a route option wins over the same key in schema')

  const noSecurity = build({ options: { ...options, security: [{ bearer: [] }] }, routes: [route('GET', '/health', undefined, { security: [] })] })
  t.same(operation(noSecurity, '/health', 'get').security, [], 'an empty security list is kept: it lifts the global requirement')
})

t.test('documentation options of the wrong type throw, naming the route', async t => {
  t.throws(() => build({ routes: [route('GET', '/x', undefined, { tags: 'users' as unknown as string[] })] }), {
    code: 'VLX_ERR_OPENAPI_INVALID_OPTION',
    message: 'The "tags" option of GET /x must be an array of strings'
  })
  t.throws(() => build({ routes: [route('GET', '/x', { summary: 1 as unknown as string })] }), { code: 'VLX_ERR_OPENAPI_INVALID_OPTION' })
  t.throws(() => build({ routes: [route('GET', '/x', { deprecated: 'yes' as unknown as boolean })] }), { message: /must be a boolean/ })
  t.throws(() => build({ routes: [route('GET', '/x', { security: {} as unknown as [] })] }), { message: /must be an array$/ })
  t.throws(() => build({ routes: [route('GET', '/x', { externalDocs: 'x' as unknown as { url: string } })] }), { message: /must be an object$/ })
  t.throws(() => build({ routes: [route('GET', '/x', { tags: [1] as unknown as string[] })] }), { statusCode: 500 },
    'a configuration mistake: serving the document answers 500')
})

t.test('hidden routes, generated HEAD routes and methods OpenAPI cannot describe are left out', async t => {
  const document = build({
    routes: [
      route('GET', '/visible'),
      { ...route('HEAD', '/visible'), generatedHead: true },
      route('GET', '/hidden-by-option', undefined, { hide: true }),
      route('GET', '/hidden-by-schema', { hide: true }),
      route('PROPFIND', '/dav'),
      route('HEAD', '/explicit-head')
    ]
  })
  t.same(document.paths, {
    '/visible': { get: { responses: DEFAULT_RESPONSES } },
    '/explicit-head': { head: { responses: DEFAULT_RESPONSES } }
  })
  await assertValidOpenApi(t, document)
})

t.test('one operation per method; paths keep registration order, methods the specification order', async t => {
  const document = build({
    routes: [
      route('post', '/b'),
      route(['DELETE', 'GET', 'PATCH'], '/a/:id'),
      route('PUT', '/b'),
      route('GET', '/b')
    ]
  })
  t.same(Object.keys(document.paths), ['/b', '/a/{id}'])
  t.same(Object.keys(document.paths['/b']), ['get', 'put', 'post'])
  t.same(Object.keys(document.paths['/a/{id}']), ['get', 'delete', 'patch'])
  await assertValidOpenApi(t, document)
})

t.test('the first route registered for a path and method is documented', async t => {
  const document = build({
    routes: [
      route('GET', '/items', undefined, { summary: 'version 2', constraints: { version: '2.0.0' } }),
      route('GET', '/items', undefined, { summary: 'version 1', constraints: { version: '1.0.0' } })
    ]
  })
  t.equal(operation(document, '/items', 'get').summary, 'version 2')
})

t.test('find-my-way URLs become OpenAPI path templates', async t => {
  const cases: Array<[string, string[], string[][]]> = [
    // url, OpenAPI paths, parameter names per path
    ['/', ['/'], [[]]],
    ['/users/:id', ['/users/{id}'], [['id']]],
    ['/users/:userId/posts/:postId', ['/users/{userId}/posts/{postId}'], [['userId', 'postId']]],
    ['/files/*', ['/files/{wildcard}'], [['wildcard']]],
    ['*', ['/{wildcard}'], [['wildcard']]],
    ['/a/:id(^\\d+)', ['/a/{id}'], [['id']]],
    ['/range/:from-:to', ['/range/{from}-{to}'], [['from', 'to']]],
    ['/files/:name.:ext', ['/files/{name}.{ext}'], [['name', 'ext']]],
    ['/at/:lat(^\\d+)-:lng(^\\d+)/x', ['/at/{lat}-{lng}/x'], [['lat', 'lng']]],
    ['/time::now', ['/time:now'], [[]]],
    ['/opt/:id?', ['/opt/{id}', '/opt'], [['id'], []]],
    ['/:lang?', ['/{lang}', '/'], [['lang'], []]],
    ['/opt/:id?/', ['/opt/{id}/', '/opt/'], [['id'], []]]
  ]
  for (const [url, paths, names] of cases) {
    const translated = translatePath(url)
    t.same(translated.map(entry => entry.path), paths, url)
    t.same(translated.map(entry => entry.parameters.map(parameter => parameter.name)), names, `${url} parameters`)
  }
  const [regex] = translatePath('/a/:id(^\\d+)')
  t.same(regex.parameters, [{ name: 'id', routerName: 'id', pattern: '^\\d+$', wildcard: false }], 'the regex is anchored the way find-my-way applies it')
  t.equal(translatePath('/a/:v(a|b)')[0].parameters[0].pattern, '^(?:a|b)$', 'alternations are grouped before anchoring')
  t.equal(translatePath('/a/:v(^(\\d+)-\\)$)')[0].parameters[0].pattern, '^(\\d+)-\\)$', 'nested and escaped parentheses end at the right one')
  t.equal(translatePath('/a/:v(^x\\$)')[0].parameters[0].pattern, '^x\\$$', 'an escaped dollar is not an anchor')
  t.same(translatePath('/files/*')[0].parameters[0], { name: 'wildcard', routerName: '*', wildcard: true })
})

t.test('path parameters: from the params schema, required, in URL order, regex as pattern', async t => {
  const document = build({
    routes: [
      route('GET', '/orgs/:org/users/:id(^\\d+)/*', {
        params: {
          type: 'object',
          properties: {
            id: { type: 'integer', description: 'The user id' },
            org: { type: 'string', minLength: 2 },
            '*': { type: 'string', description: 'A file inside the user folder' },
            notInUrl: { type: 'string' }
          }
        }
      }),
      route('GET', '/plain/:a-:b'),
      route('GET', '/own-pattern/:code(^[a-z]+)', { params: { type: 'object', properties: { code: { type: 'string', pattern: '^[a-z]{3}$' } } } })
    ]
  })
  t.same(operation(document, '/orgs/{org}/users/{id}/{wildcard}', 'get').parameters, [
    { name: 'org', in: 'path', required: true, schema: { type: 'string', minLength: 2 } },
    { name: 'id', in: 'path', description: 'The user id', required: true, schema: { type: 'integer', pattern: '^\\d+$' } },
    { name: 'wildcard', in: 'path', description: 'A file inside the user folder', required: true, schema: { type: 'string' } }
  ], 'the schema of `*` describes the wildcard; properties absent from the URL are left out')
  t.same(operation(document, '/plain/{a}-{b}', 'get').parameters, [
    { name: 'a', in: 'path', required: true, schema: { type: 'string' } },
    { name: 'b', in: 'path', required: true, schema: { type: 'string' } }
  ], 'parameters without a schema are still listed, as strings')
  t.same(operation(document, '/own-pattern/{code}', 'get').parameters?.[0].schema, { type: 'string', pattern: '^[a-z]{3}$' },
    'a pattern in the schema is kept')
  await assertValidOpenApi(t, document)
})

t.test('a route with an optional last parameter gives two paths; the shorter one has no operationId', async t => {
  const document = build({ routes: [route('GET', '/docs/:page?', { params: { type: 'object', properties: { page: { type: 'string' } } } }, { operationId: 'docsPage' })] })
  t.same(document.paths, {
    '/docs/{page}': { get: { operationId: 'docsPage', parameters: [{ name: 'page', in: 'path', required: true, schema: { type: 'string' } }], responses: DEFAULT_RESPONSES } },
    '/docs': { get: { responses: DEFAULT_RESPONSES } }
  })
  await assertValidOpenApi(t, document)
})

t.test('query and header parameters: one per property, required from `required`, description moved up', async t => {
  const document = build({
    schemas: { paging: { $id: 'paging', type: 'object', properties: { limit: { type: 'integer', maximum: 100 }, offset: { type: 'integer' } } } },
    routes: [
      route('GET', '/search', {
        querystring: {
          type: 'object',
          required: ['q'],
          properties: { q: { type: 'string', description: 'Search terms' }, tags: { type: 'array', items: { type: 'string' } } }
        },
        headers: {
          type: 'object',
          required: ['x-request-id'],
          properties: {
            'x-request-id': { type: 'string', format: 'uuid' },
            authorization: { type: 'string' },
            'Content-Type': { type: 'string' },
            accept: { type: 'string' }
          }
        }
      }),
      route('GET', '/alias', { query: { type: 'object', properties: { q: { type: 'string' } } } }),
      route('GET', '/shared', { querystring: { $ref: 'paging#' } }),
      route('GET', '/composed', {
        querystring: { allOf: [{ $ref: 'paging' }, { type: 'object', required: ['sort'], properties: { sort: { enum: ['asc', 'desc'] } } }] }
      })
    ]
  })
  t.same(operation(document, '/search', 'get').parameters, [
    { name: 'q', in: 'query', description: 'Search terms', required: true, schema: { type: 'string' } },
    { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
    { name: 'x-request-id', in: 'header', required: true, schema: { type: 'string', format: 'uuid' } }
  ], 'Authorization, Content-Type and Accept headers are left out: OpenAPI ignores them')
  t.same(operation(document, '/alias', 'get').parameters, [{ name: 'q', in: 'query', schema: { type: 'string' } }], '`query` is an alias of `querystring`')
  const paging = [
    { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
    { name: 'offset', in: 'query', schema: { type: 'integer' } }
  ]
  t.same(operation(document, '/shared', 'get').parameters, paging, 'a querystring that is a shared schema is spread into parameters')
  t.same(operation(document, '/composed', 'get').parameters, [
    ...paging,
    { name: 'sort', in: 'query', required: true, schema: { enum: ['asc', 'desc'] } }
  ], 'allOf members are merged')
  await assertValidOpenApi(t, document)
})

t.test('request bodies: a plain schema per consumed type, or the explicit content form', async t => {
  const user = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }
  const document = build({
    routes: [
      route('POST', '/json', { body: { ...user, description: 'The new user' } }),
      route('POST', '/forms', { body: { type: 'object', properties: { name: { type: 'string' } } }, consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'] }),
      route('PUT', '/content', {
        body: {
          description: 'One user, two ways',
          required: true,
          content: {
            'application/json': { schema: user, example: { name: 'Ada' } },
            'text/csv': { schema: { type: 'string' }, examples: { one: { value: 'name\nAda' } } }
          }
        }
      }),
      route('POST', '/options', { body: user }, { consumes: ['application/vnd.velox+json'] })
    ]
  })
  t.same(operation(document, '/json', 'post').requestBody, {
    description: 'The new user',
    required: true,
    content: { 'application/json': { schema: { ...user, description: 'The new user' } } }
  }, 'JSON by default; required because the schema requires properties')
  t.same(operation(document, '/forms', 'post').requestBody, {
    content: {
      'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { name: { type: 'string' } } } },
      'multipart/form-data': { schema: { type: 'object', properties: { name: { type: 'string' } } } }
    }
  }, 'one entry per consumed type; not required when nothing is')
  t.same(operation(document, '/content', 'put').requestBody, {
    description: 'One user, two ways',
    required: true,
    content: {
      'application/json': { schema: user, example: { name: 'Ada' } },
      'text/csv': { schema: { type: 'string' }, examples: { one: { value: 'name\nAda' } } }
    }
  })
  t.same(Object.keys(operation(document, '/options', 'post').requestBody?.content ?? {}), ['application/vnd.velox+json'])
  await assertValidOpenApi(t, document)
})

t.test('responses: per status code, ranges in capitals, default; descriptions from the schema or the status', async t => {
  const document = build({
    routes: [
      route('GET', '/things', {
        response: {
          default: { type: 'object', properties: { message: { type: 'string' } } },
          '5xx': { type: 'object', description: 'It broke' },
          404: { type: 'object', 'x-response-description': 'No such thing', description: 'kept in the schema' },
          200: { type: 'array', items: { type: 'string' } },
          '2xx': { type: 'string' },
          299: { type: 'string' }
        }
      })
    ]
  })
  const responses = operation(document, '/things', 'get').responses
  t.same(Object.keys(responses), ['200', '299', '404', '2XX', '5XX', 'default'], 'codes, then ranges, then default')
  t.same(responses['200'], { description: 'OK', content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } } })
  t.equal(responses['299'].description, 'Default Response', 'an unknown code gets the default description')
  t.equal(responses['2XX'].description, 'Successful')
  t.equal(responses['5XX'].description, 'It broke')
  t.same(responses['404'], {
    description: 'No such thing',
    content: { 'application/json': { schema: { type: 'object', description: 'kept in the schema' } } }
  }, 'x-response-description wins and comes off the schema')
  t.equal(responses.default.description, 'Default Response')
  await assertValidOpenApi(t, document)
})

t.test('responses: content types, bodyless statuses and headers', async t => {
  const document = build({
    routes: [
      route('GET', '/report', {
        produces: ['application/json', 'text/csv'],
        response: {
          200: { type: 'string' },
          201: {
            description: 'Explicit content',
            headers: { location: { type: 'string', format: 'uri', description: 'Where it is' } },
            content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } }
          },
          204: { type: 'object', description: 'Nothing' },
          202: {
            type: 'null',
            headers: {
              'x-queue': { description: 'Queue position', schema: { type: 'integer' } },
              'retry-after': { type: 'integer' },
              'Content-Type': { type: 'string' }
            }
          }
        }
      })
    ]
  })
  const responses = operation(document, '/report', 'get').responses
  t.same(responses['200'], {
    description: 'OK',
    content: { 'application/json': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } }
  }, 'a plain schema is given every produced type')
  t.same(responses['201'], {
    description: 'Explicit content',
    headers: { location: { description: 'Where it is', schema: { type: 'string', format: 'uri' } } },
    content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } }
  })
  t.same(responses['202'], {
    description: 'Accepted',
    headers: {
      'x-queue': { description: 'Queue position', schema: { type: 'integer' } },
      'retry-after': { schema: { type: 'integer' } }
    }
  }, 'a `type: null` schema has no content; a Content-Type response header is left out')
  t.same(responses['204'], { description: 'Nothing' }, '204 has no content')
  await assertValidOpenApi(t, document)
})

t.test('a route without response schemas answers `default` with "Default Response"', async t => {
  const document = build({ routes: [route('POST', '/anything', { body: { type: 'object' } })] })
  t.same(operation(document, '/anything', 'post').responses, DEFAULT_RESPONSES)
  const empty = build({ routes: [route('POST', '/anything', { response: {} })] })
  t.same(operation(empty, '/anything', 'post').responses, DEFAULT_RESPONSES, 'an empty response map counts as none')
})

t.test('an invalid response status throws, naming the route', async t => {
  t.throws(() => build({ routes: [route('GET', '/x', { response: { 600: { type: 'string' } } })] }), {
    code: 'VLX_ERR_OPENAPI_INVALID_STATUS',
    message: 'Response key "600" in GET /x response is not a status code: use 100-599, a range such as "2xx", or "default"'
  })
  t.throws(() => build({ routes: [route('GET', '/x', { response: { '2XXX': {} } })] }), { code: 'VLX_ERR_OPENAPI_INVALID_STATUS' })
  t.throws(() => build({ routes: [route('GET', '/x', { response: { Default: {} } })] }), { code: 'VLX_ERR_OPENAPI_INVALID_STATUS' })
})

t.test('a duplicate operationId throws, naming both routes', async t => {
  t.throws(() => build({
    routes: [route('GET', '/a', undefined, { operationId: 'same' }), route('POST', '/b', { operationId: 'same' })]
  }), {
    code: 'VLX_ERR_OPENAPI_DUPLICATE_OPERATION_ID',
    message: 'operationId "same" is used by both GET /a and POST /b; operation ids must be unique'
  })
})

t.test('the same input gives the same document, byte for byte, and the input is not modified', async t => {
  const schemas = {
    user: { $id: 'user', type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array', items: [{ type: 'string' }] } } },
    error: { $id: 'error', type: 'object', properties: { message: { type: 'string', nullable: true } } },
    'http://example.com/address.json': { $id: 'http://example.com/address.json', type: 'object' }
  }
  const routes = [
    route('GET', '/users/:id', { params: { type: 'object', properties: { id: { type: 'integer' } } }, response: { 200: { $ref: 'user#' }, '4xx': { $ref: 'error#' } } }),
    route('POST', '/users', { body: { $ref: 'user' }, response: { 201: { $ref: 'user#' } } }, { tags: ['users'] })
  ]
  const input: OpenApiInput = { routes, schemas, options: { info: { title: 'Stable' } } }
  const before = structuredClone(input)
  const first = JSON.stringify(buildOpenApiDocument(input))
  t.equal(JSON.stringify(buildOpenApiDocument(input)), first, 'built twice, the same bytes')
  t.same(input, before, 'the input is unchanged')

  const reordered = Object.fromEntries(Object.entries(schemas).reverse())
  t.equal(JSON.stringify(buildOpenApiDocument({ ...input, schemas: reordered })), first,
    'shared schemas registered in another order give the same bytes')
  const document = buildOpenApiDocument(input)
  t.same(Object.keys(document.components?.schemas ?? {}), ['error', 'http_example.com_address.json', 'user'])
  await assertValidOpenApi(t, document)
})

t.test('the validator used by these tests rejects broken documents', async t => {
  // Without this, a validator that accepts anything would make every check above pass.
  const failures: string[] = []
  const recorder = { pass () {}, fail (message: string) { failures.push(message) } }
  const base = build({ routes: [route('GET', '/users/:id')] })
  await assertValidOpenApi(recorder, base)
  t.same(failures, [], 'a good document passes')

  const missingParameter = structuredClone(base)
  delete operation(missingParameter, '/users/{id}', 'get').parameters
  await assertValidOpenApi(recorder, missingParameter)
  const danglingRef = build({ routes: [route('GET', '/x', { response: { 200: { type: 'object' } } })] })
  operation(danglingRef, '/x', 'get').responses['200'].content = { 'application/json': { schema: { $ref: '#/components/schemas/nope' } } }
  await assertValidOpenApi(recorder, danglingRef)
  const badComponentName = build({})
  badComponentName.components = { schemas: { 'a b': { type: 'string' } } }
  await assertValidOpenApi(recorder, badComponentName)
  t.equal(failures.length, 3, 'a missing path parameter, a dangling $ref and an invalid component name all fail')
})
