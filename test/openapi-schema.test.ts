import t from 'tap'
import { Type } from '@sinclair/typebox'
import { buildOpenApiDocument } from '../lib/openapi/build.js'
import { componentName } from '../lib/openapi/schema-registry.js'
import type { JsonSchema, OpenApiDocument, OpenApiInput, OpenApiRoute } from '../lib/openapi/types.js'
import { assertValidOpenApi, route } from './openapi-helpers.js'

function build (input: Partial<OpenApiInput>): OpenApiDocument {
  return buildOpenApiDocument({ routes: [], schemas: {}, ...input })
}

/** The document of one GET /x route answering `schema`, and that schema as written in it. */
function responseOf (schema: unknown, schemas: Record<string, object> = {}): { document: OpenApiDocument, schema: JsonSchema | undefined } {
  const document = build({ schemas, routes: [route('GET', '/x', { response: { 200: schema } })] })
  return { document, schema: document.paths['/x'].get?.responses['200'].content?.['application/json'].schema }
}

const user = {
  $id: 'user',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    address: { type: 'object', properties: { city: { type: 'string' } } }
  }
}

t.test('$refs to shared schemas point to components, pointer kept, in every spelling', async t => {
  const routes: OpenApiRoute[] = [
    route('GET', '/hash', { response: { 200: { $ref: 'user#' } } }),
    route('GET', '/bare', { response: { 200: { $ref: 'user' } } }),
    route('GET', '/pointer', { response: { 200: { $ref: 'user#/properties/address' } } }),
    route('POST', '/nested', { body: { type: 'object', properties: { owner: { $ref: 'user#' }, list: { type: 'array', items: { $ref: 'user' } } } } })
  ]
  const document = build({ schemas: { user }, routes })
  const schemaOf = (path: string): unknown => document.paths[path].get?.responses['200'].content?.['application/json'].schema
  t.same(schemaOf('/hash'), { $ref: '#/components/schemas/user' })
  t.same(schemaOf('/bare'), { $ref: '#/components/schemas/user' })
  t.same(schemaOf('/pointer'), { $ref: '#/components/schemas/user/properties/address' })
  t.same(document.paths['/nested'].post?.requestBody?.content['application/json'].schema, {
    type: 'object',
    properties: { owner: { $ref: '#/components/schemas/user' }, list: { type: 'array', items: { $ref: '#/components/schemas/user' } } }
  })
  t.same(document.components?.schemas?.user, {
    type: 'object',
    properties: { id: { type: 'integer' }, address: { type: 'object', properties: { city: { type: 'string' } } } }
  }, 'the component has no $id')
  await assertValidOpenApi(t, document)
})

t.test('$refs between shared schemas, local refs inside them, and nested $ids', async t => {
  const schemas = {
    user,
    team: {
      $id: 'team',
      type: 'object',
      definitions: { member: { $ref: 'user#' }, role: { enum: ['lead', 'member'] } },
      properties: {
        lead: { $ref: '#/definitions/member' },
        role: { $ref: '#/definitions/role' },
        city: { $ref: 'user#/properties/address/properties/city' },
        badge: { $id: 'badge', type: 'object', definitions: { colour: { type: 'string' } }, properties: { colour: { $ref: '#/definitions/colour' } } }
      }
    }
  }
  const document = build({ schemas, routes: [route('GET', '/badge', { response: { 200: { $ref: 'badge#' } } })] })
  t.same(document.components?.schemas?.team, {
    type: 'object',
    definitions: { member: { $ref: '#/components/schemas/user' }, role: { enum: ['lead', 'member'] } },
    properties: {
      lead: { $ref: '#/components/schemas/team/definitions/member' },
      role: { $ref: '#/components/schemas/team/definitions/role' },
      city: { $ref: '#/components/schemas/user/properties/address/properties/city' },
      badge: {
        type: 'object',
        definitions: { colour: { type: 'string' } },
        // A local ref inside a nested $id resolves against that subschema, as ajv reads it.
        properties: { colour: { $ref: '#/components/schemas/team/properties/badge/definitions/colour' } }
      }
    }
  })
  t.same(document.paths['/badge'].get?.responses['200'].content?.['application/json'].schema,
    { $ref: '#/components/schemas/team/properties/badge' }, 'a $ref to a nested $id points into its component')
  await assertValidOpenApi(t, document)
})

t.test('URI $ids: relative refs resolve against the base, names are made valid component names', async t => {
  const schemas = {
    'http://example.com/schemas/address.json': { $id: 'http://example.com/schemas/address.json', type: 'object', properties: { city: { type: 'string' } } },
    'http://example.com/schemas/person.json': {
      $id: 'http://example.com/schemas/person.json',
      type: 'object',
      properties: { home: { $ref: 'address.json#' }, work: { $ref: 'http://example.com/schemas/address.json#/properties/city' } }
    }
  }
  const document = build({ schemas, routes: [route('GET', '/p', { response: { 200: { $ref: 'http://example.com/schemas/person.json' } } })] })
  t.same(document.components?.schemas?.['http_example.com_schemas_person.json'], {
    type: 'object',
    properties: {
      home: { $ref: '#/components/schemas/http_example.com_schemas_address.json' },
      work: { $ref: '#/components/schemas/http_example.com_schemas_address.json/properties/city' }
    }
  })
  await assertValidOpenApi(t, document)
})

t.test('component names: invalid characters replaced, collisions numbered the same way every run', async t => {
  t.equal(componentName('user#'), 'user')
  t.equal(componentName('urn:velox:user'), 'urn_velox_user')
  t.equal(componentName('my schema!'), 'my_schema')
  t.equal(componentName('###'), 'schema')
  const schemas = { 'a:b': { type: 'string' }, 'a/b': { type: 'integer' }, a_b: { type: 'boolean' } }
  const document = build({ schemas, routes: [route('GET', '/x', { response: { 200: { $ref: 'a:b' }, 201: { $ref: 'a/b' } } })] })
  t.same(document.components?.schemas, { a_b: { type: 'integer' }, a_b_2: { type: 'string' }, a_b_3: { type: 'boolean' } },
    'ids are named in sorted order: "a/b" < "a:b" < "a_b"')
  t.same(document.paths['/x'].get?.responses['200'].content?.['application/json'].schema, { $ref: '#/components/schemas/a_b_2' })
  const reversed = build({ schemas: Object.fromEntries(Object.entries(schemas).reverse()), routes: [] })
  t.same(reversed.components, document.components, 'registration order does not change the names')
  await assertValidOpenApi(t, document)
})

t.test('local refs and nested $ids of route schemas are inlined; their definitions removed', async t => {
  const body = {
    $id: 'createOrder',
    type: 'object',
    definitions: { money: { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string' } } } },
    properties: {
      total: { $ref: '#/definitions/money' },
      tax: { $ref: '#/definitions/money', description: 'Tax part' },
      again: { $ref: 'createOrder#/definitions/money' },
      line: { $id: 'line', type: 'object', properties: { sku: { type: 'string' } } },
      lines: { type: 'array', items: { $ref: 'line' } }
    }
  }
  const money = { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string' } } }
  const document = build({ routes: [route('POST', '/orders', { body })] })
  t.same(document.paths['/orders'].post?.requestBody?.content['application/json'].schema, {
    type: 'object',
    properties: {
      total: money,
      tax: { description: 'Tax part', allOf: [money] },
      again: money,
      line: { type: 'object', properties: { sku: { type: 'string' } } },
      lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } }
    }
  })
  await assertValidOpenApi(t, document)

  const params = build({
    routes: [route('GET', '/q', {
      querystring: { type: 'object', definitions: { size: { type: 'integer', minimum: 1 } }, properties: { size: { $ref: '#/definitions/size', description: 'Page size' } } }
    })]
  })
  t.same(params.paths['/q'].get?.parameters, [{ name: 'size', in: 'query', description: 'Page size', schema: { allOf: [{ type: 'integer', minimum: 1 }] } }],
    'parameters inline the definitions of their object schema too')
})

t.test('a recursive local ref in a route schema cannot be inlined and says what to do', async t => {
  const tree = { type: 'object', definitions: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } } } }, $ref: '#/definitions/node' }
  t.throws(() => build({ routes: [route('POST', '/tree', { body: tree })] }), {
    code: 'VLX_ERR_OPENAPI_RECURSIVE_REF',
    message: /^The \$ref "#\/definitions\/node" in POST \/tree body refers to itself .* app\.addSchema\(\)/
  })
  // The same shape as a shared schema is fine: a component can refer to itself.
  const shared = { $id: 'node', type: 'object', properties: { children: { type: 'array', items: { $ref: 'node#' } } } }
  const document = build({ schemas: { node: shared }, routes: [route('POST', '/tree', { body: { $ref: 'node#' } })] })
  t.same(document.components?.schemas?.node, { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/node' } } } })
  await assertValidOpenApi(t, document)
})

t.test('unresolvable $refs throw with the ref, the place and the reason', async t => {
  t.throws(() => build({ routes: [route('GET', '/x', { response: { 200: { $ref: 'missing#' } } })] }), {
    code: 'VLX_ERR_OPENAPI_UNRESOLVED_REF',
    message: 'Cannot resolve $ref "missing#" in GET /x response 200: no shared schema has the $id "missing" (add it with app.addSchema())'
  })
  t.throws(() => build({ schemas: { user }, routes: [route('POST', '/x', { body: { $ref: 'user#/properties/nope' } })] }), {
    code: 'VLX_ERR_OPENAPI_UNRESOLVED_REF',
    message: 'Cannot resolve $ref "user#/properties/nope" in POST /x body: the pointer "#/properties/nope" leads nowhere in "user"'
  })
  t.throws(() => build({ routes: [route('GET', '/x', { querystring: { type: 'object', properties: { a: { $ref: '#/definitions/a' } } } })] }), {
    message: 'Cannot resolve $ref "#/definitions/a" in GET /x querystring: the pointer "#/definitions/a" leads nowhere in this schema'
  })
  t.throws(() => build({ schemas: { user }, routes: [route('GET', '/x', { response: { 200: { $ref: 'user#anchor' } } })] }), {
    message: /only JSON Pointer fragments are supported/
  })
  t.throws(() => build({ schemas: { a: { $id: 'a', properties: { b: { $ref: 'b#' } } } } }), {
    message: /in shared schema "a": no shared schema has the \$id "b"/
  })
})

t.test('nullable: true (OpenAPI 3.0) becomes a null type', async t => {
  const cases: Array<[unknown, unknown]> = [
    [{ type: 'string', nullable: true }, { type: ['string', 'null'] }],
    [{ type: ['string', 'integer'], nullable: true }, { type: ['string', 'integer', 'null'] }],
    [{ type: ['null'], nullable: true }, { type: ['null'] }],
    [{ type: 'string', enum: ['a', 'b'], nullable: true }, { type: ['string', 'null'], enum: ['a', 'b', null] }],
    [{ $ref: 'user#', nullable: true }, { anyOf: [{ $ref: '#/components/schemas/user' }, { type: 'null' }] }],
    [{ oneOf: [{ type: 'string' }, { type: 'integer' }], nullable: true }, { anyOf: [{ oneOf: [{ type: 'string' }, { type: 'integer' }] }, { type: 'null' }] }],
    [{ type: 'string', nullable: false }, { type: 'string' }],
    [{ description: 'anything', nullable: true }, { description: 'anything' }]
  ]
  for (const [input, expected] of cases) {
    const { document, schema } = responseOf(input, { user })
    t.same(schema, expected, JSON.stringify(input))
    await assertValidOpenApi(t, document)
  }
})

t.test('draft-04/07 keywords are rewritten to their 2020-12 spelling', async t => {
  const { document, schema } = responseOf({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    dependencies: { card: ['billing'], coupon: { required: ['code'] } },
    properties: {
      pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
      list: { type: 'array', items: { type: 'string' }, additionalItems: false },
      price: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false },
      modern: { type: 'number', exclusiveMinimum: 0 }
    }
  })
  t.same(schema, {
    type: 'object',
    dependentRequired: { card: ['billing'] },
    dependentSchemas: { coupon: { required: ['code'] } },
    properties: {
      pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
      list: { type: 'array', items: { type: 'string' } },
      price: { type: 'number', maximum: 10, exclusiveMinimum: 0 },
      modern: { type: 'number', exclusiveMinimum: 0 }
    }
  }, '$schema removed, tuples as prefixItems, dependencies split, boolean exclusive bounds as numbers')
  await assertValidOpenApi(t, document)
})

t.test('data is copied as data: property names, enums, defaults and examples are not read as keywords', async t => {
  const { document, schema } = responseOf({
    type: 'object',
    properties: {
      nullable: { type: 'boolean' },
      $ref: { type: 'string' },
      $id: { type: 'string' },
      definitions: { type: 'string' },
      link: { type: 'object', default: { $ref: 'not-a-schema' }, examples: [{ $ref: 'user#', nullable: true }] },
      kind: { const: { $id: 'data' } },
      colour: { enum: [{ $ref: 'x' }, 'red'] }
    }
  })
  t.same(schema, {
    type: 'object',
    properties: {
      nullable: { type: 'boolean' },
      $ref: { type: 'string' },
      $id: { type: 'string' },
      definitions: { type: 'string' },
      link: { type: 'object', default: { $ref: 'not-a-schema' }, examples: [{ $ref: 'user#', nullable: true }] },
      kind: { const: { $id: 'data' } },
      colour: { enum: [{ $ref: 'x' }, 'red'] }
    }
  })
  // Not run through the validator: its dereferencer follows `$ref` keys anywhere, in data too.
  t.ok(document.paths['/x'].get)
})

t.test('every subschema position is transformed', async t => {
  const s = { $ref: 'user#' }
  const r = { $ref: '#/components/schemas/user' }
  const { document, schema } = responseOf({
    allOf: [s],
    anyOf: [s],
    oneOf: [s],
    not: s,
    if: s,
    then: s,
    else: s,
    properties: { p: s },
    patternProperties: { '^x-': s },
    additionalProperties: s,
    propertyNames: { type: 'string', nullable: true },
    contains: s,
    unevaluatedItems: s,
    unevaluatedProperties: s,
    contentSchema: s,
    prefixItems: [s],
    items: s,
    dependentSchemas: { p: s }
  }, { user })
  t.same(schema, {
    allOf: [r],
    anyOf: [r],
    oneOf: [r],
    not: r,
    if: r,
    then: r,
    else: r,
    properties: { p: r },
    patternProperties: { '^x-': r },
    additionalProperties: r,
    propertyNames: { type: ['string', 'null'] },
    contains: r,
    unevaluatedItems: r,
    unevaluatedProperties: r,
    contentSchema: r,
    prefixItems: [r],
    items: r,
    dependentSchemas: { p: r }
  })
  await assertValidOpenApi(t, document)
})

t.test('discriminator mappings that name shared schemas are rewritten', async t => {
  const schemas = {
    cat: { $id: 'cat', type: 'object', properties: { kind: { const: 'cat' } } },
    dog: { $id: 'dog', type: 'object', properties: { kind: { const: 'dog' } } }
  }
  const { document, schema } = responseOf({
    oneOf: [{ $ref: 'cat#' }, { $ref: 'dog#' }],
    discriminator: { propertyName: 'kind', mapping: { cat: 'cat#', dog: 'dog', fish: 'Fish' } }
  }, schemas)
  t.same(schema, {
    oneOf: [{ $ref: '#/components/schemas/cat' }, { $ref: '#/components/schemas/dog' }],
    discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/cat', dog: '#/components/schemas/dog', fish: 'Fish' } }
  }, 'a value that is no known reference is kept as it is')
  await assertValidOpenApi(t, document)
})

t.test('components.schemas from the options are copied next to the shared ones, and may not clash', async t => {
  const document = build({
    schemas: { user },
    options: { components: { schemas: { Error: { type: 'object', properties: { message: { type: 'string' } } } } } },
    routes: [route('GET', '/x', { response: { 200: { $ref: 'user#' } } })]
  })
  t.same(Object.keys(document.components?.schemas ?? {}), ['Error', 'user'])
  await assertValidOpenApi(t, document)
  t.throws(() => build({ schemas: { 'user#': user }, options: { components: { schemas: { user: { type: 'string' } } } } }), {
    code: 'VLX_ERR_OPENAPI_COMPONENT_CONFLICT',
    message: 'The component schema name "user" is given in options.components.schemas and is also the name of the shared schema "user#"'
  })
})

t.test('TypeBox schemas are read as the JSON Schema they are; symbol keys are dropped', async t => {
  const User = Type.Object({ id: Type.Integer(), name: Type.String({ minLength: 1 }), nick: Type.Optional(Type.String()) }, { $id: 'tbUser' })
  const document = build({
    schemas: { tbUser: User },
    routes: [route('POST', '/users', { body: Type.Omit(User, ['id']), response: { 201: Type.Ref(User) } })]
  })
  t.same(document.components?.schemas?.tbUser, {
    type: 'object',
    properties: { id: { type: 'integer' }, name: { type: 'string', minLength: 1 }, nick: { type: 'string' } },
    required: ['id', 'name']
  })
  t.same(document.paths['/users'].post?.responses['201'].content?.['application/json'].schema, { $ref: '#/components/schemas/tbUser' })
  t.equal(JSON.stringify(document).includes('TypeBox'), false)
  await assertValidOpenApi(t, document)
})
