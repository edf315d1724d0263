import t from 'tap'
import velox from '../lib/index.js'

const user = {
  $id: 'user',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, age: { type: 'integer' } }
}

t.test("$ref: 'id#' uses a shared schema for validation and serialization", async (t) => {
  const app = velox()
  app.addSchema(user)
  app.post('/', { schema: { body: { $ref: 'user#' }, response: { 200: { $ref: 'user#' } } } }, async (req: any) => ({ ...req.body, password: 'secret' }))
  const res = await app.inject({ method: 'POST', url: '/', payload: { name: 'Ada', age: '36' } })
  t.equal(res.body, '{"name":"Ada","age":36}')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { age: 1 } })).json().message, "body must have required property 'name'")
})

t.test("$ref: 'id#/properties/x' points into a shared schema", async (t) => {
  const app = velox()
  app.addSchema(user)
  app.post('/', {
    schema: {
      body: { type: 'object', properties: { n: { $ref: 'user#/properties/name' } } },
      response: { 200: { type: 'object', properties: { n: { $ref: 'user#/properties/age' } } } }
    }
  }, async (req: any) => ({ n: req.body.n }))
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { n: {} } })).json().message, 'body/n must be string')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { n: '12' } })).body, '{"n":12}')
})

t.test('URL ids, fragment ids and /definitions of shared schemas resolve', async (t) => {
  const app = velox()
  app.addSchema({
    $id: 'http://example.com/common.json',
    type: 'object',
    definitions: { address: { $id: '#address', type: 'object', properties: { city: { type: 'string' } } } }
  })
  app.addSchema({
    $id: 'http://example.com/shared.json',
    type: 'object',
    definitions: { place: { type: 'object', properties: { city: { type: 'string' } } } }
  })
  const place = { type: 'object', properties: { home: { $ref: 'http://example.com/common.json#address' }, work: { $ref: 'http://example.com/shared.json#/definitions/place' } } }
  app.post('/', { schema: { body: place, response: { 200: place } } }, async (req: any) => req.body)
  const res = await app.inject({ method: 'POST', url: '/', payload: { home: { city: 'Rome', zip: 1 }, work: { city: 'Turin', floor: 2 } } })
  t.equal(res.body, '{"home":{"city":"Rome"},"work":{"city":"Turin"}}')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { work: { city: [] } } })).json().message, 'body/work/city must be string')
})

t.test('shared schemas can reference each other', async (t) => {
  const app = velox()
  app.addSchema({ $id: 'address', type: 'object', properties: { city: { type: 'string' } } })
  app.addSchema({ $id: 'person', type: 'object', properties: { name: { type: 'string' }, address: { $ref: 'address#' } } })
  app.post('/', { schema: { body: { $ref: 'person#' }, response: { 200: { $ref: 'person#' } } } }, async (req: any) => req.body)
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { name: 'a', address: { city: 'b', x: 1 } } })).body, '{"name":"a","address":{"city":"b"}}')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { address: { city: 1 } } })).statusCode, 200, 'coerced to a string')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { address: { city: {} } } })).json().message, 'body/address/city must be string')
})

t.test('a shared schema can be used for querystring, params and headers', async (t) => {
  const app = velox()
  app.addSchema({ $id: 'paging', type: 'object', properties: { page: { type: 'integer' } } })
  app.addSchema({ $id: 'id', type: 'object', properties: { id: { type: 'integer' } } })
  app.addSchema({ $id: 'auth', type: 'object', properties: { 'x-user': { type: 'integer' } } })
  app.get('/:id', { schema: { querystring: { $ref: 'paging#' }, params: { $ref: 'id#' }, headers: { $ref: 'auth#' } } }, async (req: any) => ({
    page: req.query.page, id: req.params.id, user: req.headers['x-user']
  }))
  t.same((await app.inject({ url: '/3?page=2', headers: { 'x-user': '9' } })).json(), { page: 2, id: 3, user: 9 })
  t.equal((await app.inject({ url: '/3?page=two' })).json().message, 'querystring/page must be integer')
  t.equal((await app.inject({ url: '/three' })).json().message, 'params/id must be integer')
  t.equal((await app.inject({ url: '/3', headers: { 'x-user': 'me' } })).json().message, 'headers/x-user must be integer')
})

t.test('a route schema that is itself a shared schema compiles', async (t) => {
  const app = velox()
  app.addSchema(user)
  app.post('/', { schema: { body: app.getSchema('user'), response: { 200: app.getSchema('user') } } }, async (req: any) => ({ ...req.body, x: 1 }))
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { name: 'a' } })).body, '{"name":"a"}')
})

t.test('getSchemas and getSchema are encapsulated per plugin', async (t) => {
  const app = velox()
  app.addSchema({ $id: 'one', my: 'hello' })
  const seen: Record<string, unknown> = {}
  app.register(async (child: any) => {
    child.addSchema({ $id: 'two', my: 'ciao' })
    seen.child = Object.keys(child.getSchemas())
    child.register(async (grandchild: any) => {
      grandchild.addSchema({ $id: 'three', my: 'hola' })
      seen.grandchild = Object.keys(grandchild.getSchemas())
      seen.inherited = grandchild.getSchema('one')
    })
  })
  app.register(async (sibling: any) => {
    seen.sibling = Object.keys(sibling.getSchemas())
    seen.missing = sibling.getSchema('two')
  })
  await app.ready()
  t.same(Object.keys(app.getSchemas()), ['one'])
  t.same(seen.child, ['one', 'two'])
  t.same(seen.grandchild, ['one', 'two', 'three'])
  t.same(seen.inherited, { $id: 'one', my: 'hello' })
  t.same(seen.sibling, ['one'])
  t.equal(seen.missing, undefined)
})

t.test("a child's schema is invisible to the parent's routes and fails ready naming the route", async (t) => {
  const app = velox()
  app.register(async (child: any) => { child.addSchema({ $id: 'hidden', type: 'string' }) })
  app.post('/parent', { schema: { body: { $ref: 'hidden#' } } }, async () => 'x')
  await t.rejects(app.ready(), {
    code: 'FST_ERR_SCH_VALIDATION_BUILD',
    message: "Failed building the validation schema for POST: /parent, due to error can't resolve reference hidden# from id #"
  })
})

t.test('a missing $ref in a response schema fails ready with FST_ERR_SCH_SERIALIZATION_BUILD', async (t) => {
  const app = velox()
  app.get('/missing', { schema: { response: { 200: { $ref: 'nope#' } } } }, async () => ({}))
  await t.rejects(app.ready(), {
    code: 'FST_ERR_SCH_SERIALIZATION_BUILD',
    message: 'Failed building the serialization schema for GET: /missing, due to error Cannot resolve ref "nope#". Schema with id "nope" is not found.'
  })
})

t.test('a schema added to a parent after a child was registered reaches the child', async (t) => {
  const app = velox()
  let child: any
  await app.register(async (instance: any) => {
    child = instance
    instance.addSchema({ $id: 'own', type: 'string' })
    instance.post('/child', { schema: { body: { type: 'object', properties: { a: { $ref: 'late#' } } } } }, async (req: any) => req.body)
  })
  app.addSchema({ $id: 'late', type: 'integer' })
  t.same(Object.keys(child.getSchemas()).sort(), ['late', 'own'])
  t.same(Object.keys(app.getSchemas()), ['late'])
  t.equal((await app.inject({ method: 'POST', url: '/child', payload: { a: 'x' } })).json().message, 'body/a must be integer')
})

t.test('addSchema needs an $id and refuses a duplicate', async (t) => {
  const app = velox()
  t.throws(() => app.addSchema({ type: 'string' }), { code: 'FST_ERR_SCH_MISSING_ID', message: 'Missing schema $id property' })
  app.addSchema({ $id: 'x' })
  t.throws(() => app.addSchema({ $id: 'x' }), { code: 'FST_ERR_SCH_ALREADY_PRESENT', message: "Schema with id 'x' already declared!" })
})

t.test('addSchema after ready is refused', async (t) => {
  const app = velox()
  await app.ready()
  t.throws(() => app.addSchema({ $id: 'late' }), {
    code: 'FST_ERR_INSTANCE_ALREADY_LISTENING',
    message: 'Fastify instance is already listening. Cannot call "addSchema"!'
  })
})

t.test('changing a schema object after addSchema changes nothing', async (t) => {
  const app = velox()
  const schema: any = { $id: 'm', type: 'object', properties: { a: { type: 'string' } } }
  app.addSchema(schema)
  schema.properties.b = { type: 'string' }
  app.get('/', { schema: { response: { 200: { $ref: 'm#' } } } }, async () => ({ a: 'x', b: 'y' }))
  t.equal((await app.inject('/')).body, '{"a":"x"}')
  t.same(app.getSchema('m'), { $id: 'm', type: 'object', properties: { a: { type: 'string' } } })
})
