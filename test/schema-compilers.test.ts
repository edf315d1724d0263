import t from 'tap'
import Ajv from 'ajv'
import velox from '../lib/index.js'

const echo = async (req: any) => ({ body: req.body ?? null })
const user = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }

t.test('schemas are compiled at ready, once per route and part, and not per request', async (t) => {
  const app = velox()
  const calls: string[] = []
  app.setValidatorCompiler(({ httpPart, method, url }: any) => {
    calls.push(`${method} ${url} ${httpPart}`)
    return () => true
  })
  app.setSerializerCompiler(({ httpStatus, method, url }: any) => {
    calls.push(`${method} ${url} ${httpStatus}`)
    return (data: unknown) => JSON.stringify(data)
  })
  app.post('/:id', {
    schema: { params: { type: 'object' }, querystring: { type: 'object' }, headers: { type: 'object' }, body: { type: 'object' }, response: { 200: { type: 'object' }, '4xx': { type: 'object' } } }
  }, echo)
  t.same(calls, [], 'nothing is compiled when the route is declared')
  await app.ready()
  t.same(calls, ['POST /:id headers', 'POST /:id body', 'POST /:id querystring', 'POST /:id params', 'POST /:id 200', 'POST /:id 4xx'])
  await app.inject({ method: 'POST', url: '/1', payload: {} })
  await app.inject({ method: 'POST', url: '/2', payload: {} })
  t.equal(calls.length, 6, 'requests compile nothing')
})

t.test('a schema object shared by routes is compiled once by the default compilers', async (t) => {
  const app = velox()
  const body = { type: 'object', properties: { n: { type: 'integer' } } }
  const response = { type: 'object', properties: { n: { type: 'integer' } } }
  const seen: any = {}
  app.post('/a', { schema: { body, response: { 200: response } } }, async (req: any, reply: any) => {
    seen.a = [req.getValidationFunction('body'), reply.getSerializationFunction(200)]
    return req.body
  })
  app.post('/b', { schema: { body, response: { 200: response } } }, async (req: any, reply: any) => {
    seen.b = [req.getValidationFunction('body'), reply.getSerializationFunction(200)]
    return req.body
  })
  await app.inject({ method: 'POST', url: '/a', payload: { n: 1 } })
  await app.inject({ method: 'POST', url: '/b', payload: { n: 2 } })
  t.equal(seen.a[0], seen.b[0], 'one validator')
  t.equal(seen.a[1], seen.b[1], 'one serializer')
})

t.test('ajv compiles a schema once, whether routes share the object or repeat it', async (t) => {
  const compiled: unknown[] = []
  const app = velox({
    ajv: {
      onCreate (ajv: any) {
        const compile = ajv.compile.bind(ajv)
        ajv.compile = (schema: unknown) => { compiled.push(schema); return compile(schema) }
      }
    }
  })
  const shared = { type: 'object', properties: { n: { type: 'integer' } } }
  for (let i = 0; i < 5; i++) {
    app.post(`/r${i}`, { schema: { body: shared, querystring: { type: 'object', properties: { q: { type: 'string' } } } } }, echo)
  }
  app.get('/get', { schema: { querystring: shared, params: { type: 'object', properties: { other: { type: 'string' } } } } }, echo)
  await app.ready()
  t.equal(compiled.length, 3, 'the shared object, the repeated inline querystring, the params schema; nothing more for the HEAD route')
  t.same(compiled, [shared, { type: 'object', properties: { q: { type: 'string' } } }, { type: 'object', properties: { other: { type: 'string' } } }], 'in Fastify order: body, querystring, params')
})

t.test('equal schemas that are not plain JSON are compiled separately', async (t) => {
  let compiles = 0
  const app = velox({
    ajv: {
      plugins: [(ajv: any) => { ajv.addKeyword({ keyword: 'check', validate: (fn: (d: unknown) => boolean, data: unknown) => fn(data) }) }],
      onCreate (ajv: any) {
        const compile = ajv.compile.bind(ajv)
        ajv.compile = (schema: unknown) => { compiles++; return compile(schema) }
      }
    }
  })
  app.post('/even', { schema: { body: { type: 'integer', check: (d: number) => d % 2 === 0 } } }, echo)
  app.post('/big', { schema: { body: { type: 'integer', check: (d: number) => d > 10 } } }, echo)
  t.equal((await app.inject({ method: 'POST', url: '/even', payload: '3', headers: { 'content-type': 'application/json' } })).statusCode, 400)
  t.equal((await app.inject({ method: 'POST', url: '/big', payload: '4', headers: { 'content-type': 'application/json' } })).statusCode, 400)
  t.equal((await app.inject({ method: 'POST', url: '/big', payload: '12', headers: { 'content-type': 'application/json' } })).statusCode, 200)
  t.equal(compiles, 2)
})

t.test('an invalid schema fails ready, naming method and URL', async (t) => {
  const body = velox()
  body.post('/invalid', { schema: { body: { type: 'nonsense' } } }, echo)
  await t.rejects(body.ready(), {
    code: 'FST_ERR_SCH_VALIDATION_BUILD',
    message: 'Failed building the validation schema for POST: /invalid, due to error schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf'
  })
  const response = velox()
  response.get('/invalid', { schema: { response: { 200: { type: 'nonsense' } } } }, echo)
  await t.rejects(response.ready(), {
    code: 'FST_ERR_SCH_SERIALIZATION_BUILD',
    message: 'Failed building the serialization schema for GET: /invalid, due to error schema is invalid: data/type must be equal to one of the allowed values'
  })
})

t.test('an error thrown by a custom compiler fails ready with the coded error', async (t) => {
  const app = velox()
  app.register(async (child: any) => {
    child.post('/v', { schema: { body: {} }, validatorCompiler: () => { throw new Error('cannot compile') } }, echo)
  }, { prefix: '/p' })
  await t.rejects(app.ready(), { code: 'FST_ERR_SCH_VALIDATION_BUILD', message: 'Failed building the validation schema for POST: /p/v, due to error cannot compile' })
  const other = velox()
  other.get('/s', { schema: { response: { 200: {} } }, serializerCompiler: () => { throw new Error('cannot build') } }, echo)
  await t.rejects(other.ready(), { code: 'FST_ERR_SCH_SERIALIZATION_BUILD', message: 'Failed building the serialization schema for GET: /s, due to error cannot build' })
})

t.test('setValidatorCompiler is encapsulated and a route validatorCompiler wins', async (t) => {
  const app = velox()
  app.register(async (child: any) => {
    child.setValidatorCompiler(() => () => ({ error: new Error('child compiler') }))
    child.post('/child', { schema: { body: user } }, echo)
    child.post('/route', { schema: { body: user }, validatorCompiler: () => () => ({ error: new Error('route compiler') }) }, echo)
    child.register(async (grandchild: any) => { grandchild.post('/grandchild', { schema: { body: user } }, echo) })
  })
  app.post('/parent', { schema: { body: user } }, echo)
  const message = async (url: string) => (await app.inject({ method: 'POST', url, payload: { name: 'a' } })).json().message
  t.equal(await message('/child'), 'child compiler')
  t.equal(await message('/route'), 'route compiler')
  t.equal(await message('/grandchild'), 'child compiler')
  t.equal((await app.inject({ method: 'POST', url: '/parent', payload: { name: 'a' } })).statusCode, 200)
})

t.test('a custom validator compiler keeps working in a child that adds a shared schema', async (t) => {
  const app = velox()
  app.setValidatorCompiler(() => () => ({ error: new Error('custom') }))
  app.register(async (child: any) => {
    child.addSchema({ $id: 'x', type: 'string' })
    child.post('/', { schema: { body: { type: 'object' } } }, echo)
  })
  t.equal((await app.inject({ method: 'POST', url: '/', payload: {} })).json().message, 'custom')
})

t.test('a custom validator receives schema, method, url and httpPart and may replace the value', async (t) => {
  const app = velox()
  const inputs: any[] = []
  app.setValidatorCompiler((input: any) => {
    inputs.push(input)
    return (data: any) => ({ value: { ...data, checkedBy: input.httpPart } })
  })
  const body = { kind: 'anything a library understands' }
  app.post('/items', { schema: { body } }, echo)
  t.same((await app.inject({ method: 'POST', url: '/items', payload: { a: 1 } })).json(), { body: { a: 1, checkedBy: 'body' } })
  t.equal(inputs.length, 1)
  t.equal(inputs[0].schema, body)
  t.equal(inputs[0].method, 'POST')
  t.equal(inputs[0].url, '/items')
  t.equal(inputs[0].httpPart, 'body')
})

t.test('a custom validator compiler gets the headers schema as written', async (t) => {
  const app = velox()
  let received: unknown
  const headers = { type: 'object', required: ['X-Foo'], properties: { 'X-Foo': { type: 'string' } } }
  app.get('/', { schema: { headers }, validatorCompiler: ({ schema }: any) => { received = schema; return () => true } }, echo)
  await app.ready()
  t.equal(received, headers)
})

t.test('a custom Ajv instance can be used per part, as in the Fastify documentation', async (t) => {
  const app = velox()
  const strict = new Ajv({ coerceTypes: false, allErrors: true })
  const coercing = new Ajv({ coerceTypes: true })
  app.setValidatorCompiler(({ schema, httpPart }: any) => (httpPart === 'body' ? strict : coercing).compile(schema))
  app.post('/', { schema: { body: { type: 'object', properties: { n: { type: 'integer' } } }, querystring: { type: 'object', properties: { n: { type: 'integer' } } } } }, async (req: any) => ({ q: req.query.n }))
  t.equal((await app.inject({ method: 'POST', url: '/?n=2', payload: { n: '1' } })).json().message, 'body/n must be integer')
  t.same((await app.inject({ method: 'POST', url: '/?n=2', payload: { n: 1 } })).json(), { q: 2 })
})

t.test('setSerializerCompiler is encapsulated and a route serializerCompiler wins', async (t) => {
  const app = velox()
  app.register(async (child: any) => {
    child.setSerializerCompiler(({ httpStatus }: any) => (data: unknown) => `child ${httpStatus} ${JSON.stringify(data)}`)
    child.get('/child', { schema: { response: { '2xx': user } } }, async () => ({ name: 'a', x: 1 }))
    child.get('/route', {
      schema: { response: { 200: user } },
      serializerCompiler: ({ httpStatus, method, url }: any) => () => `route ${httpStatus} ${method} ${url}`
    }, async () => ({ name: 'a' }))
  })
  app.get('/parent', { schema: { response: { 200: user } } }, async () => ({ name: 'a', x: 1 }))
  t.equal((await app.inject('/child')).body, 'child 2xx {"name":"a","x":1}')
  t.equal((await app.inject('/route')).body, 'route 200 GET /route')
  t.equal((await app.inject('/parent')).body, '{"name":"a"}')
})

t.test('a serializer compiler receives the content type of content-map entries', async (t) => {
  const app = velox()
  const inputs: string[] = []
  app.setSerializerCompiler(({ httpStatus, contentType }: any) => {
    inputs.push(`${httpStatus} ${contentType}`)
    return () => contentType
  })
  app.get('/', { exposeHeadRoute: false, schema: { response: { 200: { content: { 'application/json': { schema: {} }, 'application/vnd.api+json': { schema: {} } } } } } }, async (_req: any, reply: any) => {
    reply.type('application/vnd.api+json')
    return {}
  })
  t.equal((await app.inject('/')).body, 'application/vnd.api+json')
  t.same(inputs, ['200 application/json', '200 application/vnd.api+json'])
})

t.test('app.validatorCompiler and app.serializerCompiler report the compilers in use, as Fastify', async (t) => {
  const custom = (): any => () => true
  const set = velox()
  set.setValidatorCompiler(custom)
  t.equal(set.validatorCompiler, custom, 'the one set, at once')

  const app = velox()
  const seen: Record<string, unknown> = {}
  app.get('/', { schema: { headers: { type: 'object' }, response: { 200: { type: 'object' } } } }, async () => ({}))
  app.register(async (plain: any) => {
    plain.addHook('onReady', async function (this: any) { seen.plain = this.validatorCompiler })
  })
  app.register(async (own: any) => {
    own.addSchema({ $id: 'own', type: 'string' })
    own.get('/own', { schema: { querystring: { type: 'object' } } }, async () => ({}))
    own.addHook('onReady', async function (this: any) { seen.own = this.validatorCompiler })
  })
  app.addHook('onReady', async function (this: any) { seen.root = [this.validatorCompiler, this.serializerCompiler] })
  t.equal(app.validatorCompiler, undefined, 'none before ready')
  t.equal(app.serializerCompiler, undefined)
  await app.ready()
  const [validator, serializer] = seen.root as unknown[]
  t.type(validator, 'function', 'built for the routes by onReady')
  t.type(serializer, 'function')
  t.equal(seen.plain, validator, 'shared by a plugin with the same shared schemas')
  t.type(seen.own, 'function')
  t.not(seen.own, validator, 'a plugin that adds a schema has its own')

  const routeLevel = velox()
  routeLevel.post('/', { schema: { body: { type: 'object' } }, validatorCompiler: custom }, async () => 'ok')
  await routeLevel.ready()
  t.equal(routeLevel.validatorCompiler, undefined, 'a route compiler builds no default one')
})

t.test('the validator compiler, serializer compiler and schema controller cannot change after ready', async (t) => {
  const app = velox()
  await app.ready()
  t.throws(() => app.setValidatorCompiler(() => () => true), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
  t.throws(() => app.setSerializerCompiler(() => () => ''), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
  t.throws(() => app.setSchemaController({}), {
    code: 'FST_ERR_INSTANCE_ALREADY_LISTENING',
    message: 'Fastify instance is already listening. Cannot call "setSchemaController"!'
  })
})

t.test('schemaController.bucket replaces the shared-schema store', async (t) => {
  const buckets: unknown[] = []
  const app = velox({
    schemaController: {
      bucket (parentSchemas: Record<string, any> = {}) {
        buckets.push(parentSchemas)
        const store: Record<string, any> = { ...parentSchemas }
        return {
          add (schema: any) { store[schema.$id] = { ...schema, description: 'stored by the bucket' } },
          getSchema (id: string) { return store[id] },
          getSchemas () { return { ...store } }
        }
      }
    }
  })
  app.addSchema({ $id: 'name', type: 'string' })
  app.register(async (child: any) => {
    child.addSchema({ $id: 'age', type: 'integer' })
    child.post('/', { schema: { body: { type: 'object', properties: { age: { $ref: 'age#' }, name: { $ref: 'name#' } } } } }, echo)
    t.same(Object.keys(child.getSchemas()), ['name', 'age'])
  })
  await app.ready()
  t.same(app.getSchema('name'), { $id: 'name', type: 'string', description: 'stored by the bucket' })
  t.same(Object.keys(app.getSchemas()), ['name'])
  t.equal(buckets.length, 2, 'one bucket for the root, one for the child that added a schema')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { age: 'x' } })).json().message, 'body/age must be integer')
})

t.test('a schemaController.bucket that is not a function is refused', async (t) => {
  t.throws(() => velox({ schemaController: { bucket: 'nope' } }), {
    code: 'FST_ERR_SCHEMA_CONTROLLER_BUCKET_OPT_NOT_FN',
    message: "schemaController.bucket option should be a function, instead got 'string'"
  })
})

t.test('compilersFactory builds the compilers of each bucket from its shared schemas', async (t) => {
  const built: string[] = []
  const app = velox({
    serializerOpts: { rounding: 'floor' },
    schemaController: {
      compilersFactory: {
        buildValidator (externals: Record<string, unknown>, ajvOptions: any) {
          built.push(`validator ${Object.keys(externals).join(',')} ${JSON.stringify(ajvOptions)}`)
          return ({ httpPart }: any) => () => ({ error: new Error(`validated ${httpPart} with ${Object.keys(externals).join(',')}`) })
        },
        buildSerializer (externals: Record<string, unknown>, serializerOpts: any) {
          built.push(`serializer ${Object.keys(externals).join(',')} ${JSON.stringify(serializerOpts)}`)
          return ({ httpStatus }: any) => () => `serialized ${httpStatus} with ${Object.keys(externals).join(',')}`
        }
      }
    }
  })
  app.addSchema({ $id: 'a', type: 'string' })
  app.post('/', { schema: { body: {} } }, echo)
  app.get('/one', { schema: { response: { 200: {} } } }, echo)
  app.get('/two', { schema: { response: { 200: {} } } }, echo)
  app.register(async (child: any) => {
    child.addSchema({ $id: 'b', type: 'string' })
    child.get('/child', { schema: { response: { 200: {} } } }, echo)
  })
  t.equal((await app.inject({ method: 'POST', url: '/', payload: {} })).json().message, 'validated body with a')
  t.equal((await app.inject('/one')).body, 'serialized 200 with a')
  t.equal((await app.inject('/child')).body, 'serialized 200 with a,b')
  t.same(built.sort(), [
    'serializer a {"rounding":"floor"}',
    'serializer a,b {"rounding":"floor"}',
    'validator a {"customOptions":{},"plugins":[]}'
  ], 'built once per bucket, only for what routes use')
})

t.test('compilersFactory.buildValidator replaces Ajv, so header names are passed as written', async (t) => {
  let received: any
  const app = velox({
    schemaController: {
      compilersFactory: { buildValidator: () => ({ schema }: any) => { received = schema; return () => true } }
    }
  })
  app.get('/', { schema: { headers: { type: 'object', required: ['X-Foo'] } } }, echo)
  await app.ready()
  t.same(received.required, ['X-Foo'])
})

t.test('setSchemaController gives a plugin its own bucket and compilers', async (t) => {
  const app = velox()
  app.addSchema({ $id: 'root', type: 'string' })
  const seen: Record<string, unknown> = {}
  app.register(async (child: any) => {
    child.setSchemaController({
      bucket (parent: Record<string, any> = {}) {
        const store: Record<string, any> = { ...parent, extra: { $id: 'extra', type: 'integer' } }
        return { add (s: any) { store[s.$id] = s }, getSchema: (id: string) => store[id], getSchemas: () => ({ ...store }) }
      },
      compilersFactory: {
        buildSerializer: (externals: Record<string, unknown>) => () => () => `custom with ${Object.keys(externals).join(',')}`
      }
    })
    child.addSchema({ $id: 'mine', type: 'string' })
    seen.child = Object.keys(child.getSchemas())
    child.post('/child', { schema: { body: { type: 'object', properties: { n: { $ref: 'extra#' } } }, response: { 200: {} } } }, echo)
    child.register(async (grandchild: any) => { seen.grandchild = Object.keys(grandchild.getSchemas()) })
  })
  await app.ready()
  t.same(Object.keys(app.getSchemas()), ['root'])
  t.same(seen.child, ['root', 'extra', 'mine'])
  t.same(seen.grandchild, ['root', 'extra', 'mine'])
  t.equal((await app.inject({ method: 'POST', url: '/child', payload: { n: 'x' } })).json().message, 'body/n must be integer', 'Ajv is still the validator')
  t.equal((await app.inject({ method: 'POST', url: '/child', payload: { n: 1 } })).body, 'custom with root,extra,mine')
})

t.test('with schemaCache, compiled code is stored at ready and loaded by the next start', async (t) => {
  const { readFileSync, copyFileSync, statSync } = await import('node:fs')
  const { join } = await import('node:path')
  const dir = t.testdir({})
  const first = join(dir, 'first.cjs')
  const build = (schemaCache: string) => {
    const app = velox({ schemaCache })
    app.addSchema({ $id: 'address', type: 'object', properties: { city: { type: 'string' } } })
    app.post('/:id', {
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer' } } },
        body: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' }, address: { $ref: 'address#' } } },
        response: { 200: { type: 'object', properties: { id: { type: 'integer' }, address: { $ref: 'address#' } } } }
      }
    }, async (req: any) => ({ id: req.params.id, address: req.body.address }))
    app.post('/int', { schema: { body: { type: 'integer' } } }, async (req: any) => ({ body: req.body }))
    return app
  }
  const check = async (app: any, t: any) => {
    const ok = await app.inject({ method: 'POST', url: '/7', payload: { email: 'a@b.co', address: { city: 'Rome', zip: 1 } } })
    t.equal(ok.body, '{"id":7,"address":{"city":"Rome"}}')
    t.equal((await app.inject({ method: 'POST', url: '/7', payload: { email: 'nope' } })).json().message, 'body/email must match format "email"')
    t.equal((await app.inject({ method: 'POST', url: '/x', payload: { email: 'a@b.co' } })).json().message, 'params/id must be integer')
    const int = await app.inject({ method: 'POST', url: '/int', payload: '"5"', headers: { 'content-type': 'application/json' } })
    t.same(int.json(), { body: 5 }, 'a coerced root value still replaces the body')
  }

  const app1 = build(first)
  await check(app1, t)
  const source = readFileSync(first, 'utf8')
  t.match(source, /^\/\/ Autogenerated by Velox/, 'the file says it is generated')

  // A copy at another path is a separate cache: the next start reads it from disk.
  const second = join(dir, 'second.cjs')
  copyFileSync(first, second)
  const written = statSync(second).mtimeMs
  const app2 = build(second)
  await check(app2, t)
  t.equal(readFileSync(second, 'utf8'), source, 'nothing new was compiled, the file is unchanged')
  t.equal(statSync(second).mtimeMs, written, 'and not rewritten')
})

t.test('with schemaCache, validators come from the file on the next start', async (t) => {
  const { copyFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const dir = t.testdir({})
  const make = (schemaCache: string) => {
    const app = velox({ schemaCache })
    app.post('/', { schema: { body: { type: 'object', properties: { n: { type: 'integer' } } } } }, async (req: any) => ({
      fromFile: req.getValidationFunction('body').schemaEnv.standalone === true
    }))
    return app
  }
  const first = make(join(dir, 'a.cjs'))
  t.same((await first.inject({ method: 'POST', url: '/', payload: {} })).json(), { fromFile: false }, 'compiled by Ajv on the first start')
  copyFileSync(join(dir, 'a.cjs'), join(dir, 'b.cjs'))
  const second = make(join(dir, 'b.cjs'))
  t.same((await second.inject({ method: 'POST', url: '/', payload: {} })).json(), { fromFile: true }, 'loaded from the file on the next')
})

t.test('with schemaCache, Ajv plugins turn the cache off for validators', async (t) => {
  const { join } = await import('node:path')
  const { readFileSync } = await import('node:fs')
  const dir = t.testdir({})
  const path = join(dir, 'plugins.cjs')
  const app = velox({ schemaCache: path, ajv: { plugins: [(ajv: any) => { ajv.addKeyword({ keyword: 'even', validate: (_s: unknown, d: number) => d % 2 === 0 }) }] } })
  app.post('/', { schema: { body: { type: 'integer', even: true }, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => ({ ok: true }))
  t.equal((await app.inject({ method: 'POST', url: '/', payload: '3', headers: { 'content-type': 'application/json' } })).statusCode, 400)
  const source = readFileSync(path, 'utf8')
  t.equal(source.match(/entries\[/g)?.length, 1, 'only the serializer is stored')
})

t.test('with schemaCache, a file that cannot be written only warns', async (t) => {
  const { join } = await import('node:path')
  const dir = t.testdir({ 'not-a-directory': 'a file' })
  const warnings: string[] = []
  const onWarning = (warning: Error) => { warnings.push(warning.message) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  const app = velox({ schemaCache: join(dir, 'not-a-directory', 'schemas.cjs') })
  app.post('/', { schema: { body: { type: 'object', required: ['a'] } } }, async () => ({ ok: true }))
  t.equal((await app.inject({ method: 'POST', url: '/', payload: {} })).statusCode, 400, 'the app works')
  await new Promise((resolve) => setImmediate(resolve))
  t.match(warnings.join('\n'), /Velox could not write the schema cache/)
})

t.test('with schemaCache, V8 code cache for the file is written once and reused, and a bad one is replaced', async (t) => {
  const { readFileSync, writeFileSync, statSync, existsSync } = await import('node:fs')
  const { join } = await import('node:path')
  const dir = t.testdir({})
  const file = join(dir, 'schemas.cjs')
  const start = async () => {
    const app = velox({ schemaCache: file })
    app.post('/', { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } }, async (req: any) => ({ n: req.body.n }))
    const ok = await app.inject({ method: 'POST', url: '/', payload: { n: '4' } })
    t.same(ok.json(), { n: 4 }, 'the app validates and coerces')
    const bad = await app.inject({ method: 'POST', url: '/', payload: {} })
    t.equal(bad.json().message, "body must have required property 'n'")
    await app.close()
  }
  await start()
  t.ok(existsSync(file), 'the first start writes the compiled code')
  t.equal(statSync(file + '.v8').size, 0, 'and marks its V8 cache as missing')

  // Caches are kept per path in a process: a copy at another path is read from disk, as a new
  // process would read the original.
  const copy = join(dir, 'copy.cjs')
  writeFileSync(copy, readFileSync(file))
  writeFileSync(copy + '.v8', Buffer.from('not a V8 code cache'))
  const again = async () => {
    const app = velox({ schemaCache: copy })
    app.post('/', { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } }, async (req: any) => ({ n: req.body.n }))
    t.same((await app.inject({ method: 'POST', url: '/', payload: { n: 2 } })).json(), { n: 2 }, 'a garbage V8 cache is ignored')
    await app.close()
  }
  await again()
  const written = readFileSync(copy + '.v8')
  t.ok(written.length > 100, 'V8 rejected the garbage and a real code cache replaced it')
  t.not(written.toString('utf8', 0, 19), 'not a V8 code cache')
})
