import t from 'tap'
import velox from '../lib/index.js'

const echo = async (req: any) => ({ params: req.params, query: req.query, body: req.body ?? null, headers: req.headers })

t.test('body, querystring, params and headers are validated and coerced before the handler', async (t) => {
  const app = velox()
  app.post('/items/:id', {
    schema: {
      params: { type: 'object', properties: { id: { type: 'integer' } } },
      querystring: { type: 'object', properties: { n: { type: 'integer' }, flag: { type: 'boolean' } } },
      headers: { type: 'object', properties: { 'x-count': { type: 'integer' } } },
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer' } } }
    }
  }, async (req: any) => ({ id: req.params.id, n: req.query.n, flag: req.query.flag, count: req.headers['x-count'], body: req.body }))
  const res = await app.inject({ method: 'POST', url: '/items/12?n=3&flag=true', headers: { 'x-count': '7' }, payload: { name: 'Ada', age: '36' } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { id: 12, n: 3, flag: true, count: 7, body: { name: 'Ada', age: 36 } })
})

t.test('the body is coerced like the other parts (coerceTypes: array)', async (t) => {
  const app = velox()
  app.post('/', { schema: { body: { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } } } }, echo)
  const res = await app.inject({ method: 'POST', url: '/', payload: { name: 42, tags: 'one' } })
  t.same(res.json().body, { name: '42', tags: ['one'] })
})

t.test('a single query value is coerced to an array and defaults are applied', async (t) => {
  const app = velox()
  app.get('/', { schema: { querystring: { type: 'object', properties: { ids: { type: 'array', items: { type: 'integer' }, default: [] }, page: { type: 'integer', default: 1 } } } } }, async (req: any) => req.query)
  t.same((await app.inject('/?ids=4')).json(), { ids: [4], page: 1 })
  t.same((await app.inject('/?ids=4&ids=5&page=2')).json(), { ids: [4, 5], page: 2 })
  t.same((await app.inject('/')).json(), { ids: [], page: 1 })
})

t.test('query is an alias of querystring', async (t) => {
  const app = velox()
  app.get('/', { schema: { query: { type: 'object', properties: { n: { type: 'integer' } } } } }, async (req: any) => req.query)
  t.same((await app.inject('/?n=5')).json(), { n: 5 })
  t.equal((await app.inject('/?n=five')).json().message, 'querystring/n must be integer')
})

t.test('declaring both query and querystring fails ready() with FST_ERR_SCH_DUPLICATE, as in Fastify', async (t) => {
  const app = velox()
  let after = false
  app.get('/', { schema: { query: false, querystring: { type: 'object' } } }, echo)
  app.register(async () => { after = true })
  await t.rejects(app.ready(), {
    code: 'FST_ERR_SCH_DUPLICATE',
    message: "Schema with 'querystring' already present!"
  })
  t.notOk(after, 'the plugins registered after the route are skipped')
})

t.test('properties not declared are removed only where additionalProperties is false', async (t) => {
  const app = velox()
  app.post('/closed', { schema: { body: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } } }, echo)
  app.post('/open', { schema: { body: { type: 'object', properties: { a: { type: 'string' } } } } }, echo)
  t.same((await app.inject({ method: 'POST', url: '/closed', payload: { a: 'x', b: 1 } })).json().body, { a: 'x' })
  t.same((await app.inject({ method: 'POST', url: '/open', payload: { a: 'x', b: 1 } })).json().body, { a: 'x', b: 1 })
})

t.test('defaults fill missing properties of the body', async (t) => {
  const app = velox()
  app.post('/', { schema: { body: { type: 'object', properties: { role: { type: 'string', default: 'user' } } } } }, echo)
  t.same((await app.inject({ method: 'POST', url: '/', payload: {} })).json().body, { role: 'user' })
})

t.test('a root value is replaced when Ajv coerces it', async (t) => {
  const app = velox()
  app.post('/int', { schema: { body: { type: 'integer' } } }, echo)
  app.post('/array', { schema: { body: { type: 'array', items: { type: 'integer' } } } }, echo)
  const json = { 'content-type': 'application/json' }
  t.same((await app.inject({ method: 'POST', url: '/int', payload: '"5"', headers: json })).json().body, 5)
  t.same((await app.inject({ method: 'POST', url: '/array', payload: '5', headers: json })).json().body, [5])
})

t.test('a missing body is validated as null', async (t) => {
  const app = velox()
  app.post('/object', { schema: { body: { type: 'object' } } }, echo)
  app.post('/nullable', { schema: { body: { type: ['object', 'null'] } } }, echo)
  const res = await app.inject({ method: 'POST', url: '/object' })
  t.equal(res.statusCode, 400)
  t.equal(res.json().message, 'body must be object')
  t.equal((await app.inject({ method: 'POST', url: '/nullable' })).statusCode, 200)
})

t.test('header names in a headers schema are matched case-insensitively', async (t) => {
  const app = velox()
  app.get('/', {
    schema: { headers: { type: 'object', required: ['X-Api-Key'], properties: { 'X-Api-Key': { type: 'string', minLength: 3 } } } }
  }, async (req: any) => ({ key: req.headers['x-api-key'] }))
  t.equal((await app.inject('/')).json().message, "headers must have required property 'x-api-key'")
  t.equal((await app.inject({ url: '/', headers: { 'X-API-KEY': 'ab' } })).json().message, 'headers/x-api-key must NOT have fewer than 3 characters')
  t.same((await app.inject({ url: '/', headers: { 'x-api-key': 'abc' } })).json(), { key: 'abc' })
})

t.test('header names are lower-cased in nested subschemas and dependencies too', async (t) => {
  const app = velox()
  app.get('/', {
    schema: { headers: { type: 'object', allOf: [{ required: ['X-A'] }], dependencies: { 'X-B': ['X-C'] } } }
  }, async () => ({ ok: true }))
  t.equal((await app.inject({ url: '/', headers: { 'x-a': '1' } })).statusCode, 200)
  t.equal((await app.inject({ url: '/' })).json().message, "headers must have required property 'x-a'")
  t.equal((await app.inject({ url: '/', headers: { 'x-a': '1', 'x-b': '1' } })).json().message, 'headers must have property x-c when property x-b is present')
})

t.test('the route schema keeps the header names as written', async (t) => {
  const app = velox()
  const headers = { type: 'object', required: ['X-Token'], properties: { 'X-Token': { type: 'string' } } }
  app.get('/', { schema: { headers } }, async (req: any) => req.routeOptions.schema.headers)
  t.same((await app.inject({ url: '/', headers: { 'x-token': 't' } })).json(), headers)
})

t.test('parts are validated in the order params, body, querystring, headers', async (t) => {
  const app = velox()
  app.post('/:id', {
    schema: {
      params: { type: 'object', properties: { id: { type: 'integer' } } },
      body: { type: 'object', required: ['b'] },
      querystring: { type: 'object', required: ['q'] },
      headers: { type: 'object', required: ['h'] }
    }
  }, echo)
  const message = async (url: string, payload: object) => (await app.inject({ method: 'POST', url, payload })).json().message
  t.equal(await message('/x', {}), 'params/id must be integer')
  t.equal(await message('/1', {}), "body must have required property 'b'")
  t.equal(await message('/1', { b: 1 }), "querystring must have required property 'q'")
  t.equal(await message('/1?q=1', { b: 1 }), "headers must have required property 'h'")
})

t.test('a body schema with a content map validates by the request media type', async (t) => {
  const app = velox()
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, body) })
  app.post('/', {
    schema: {
      body: {
        content: {
          'application/json': { schema: { type: 'object', required: ['j'] } },
          'text/plain': { schema: { type: 'string', maxLength: 3 } }
        }
      }
    }
  }, echo)
  t.equal((await app.inject({ method: 'POST', url: '/', payload: {} })).json().message, "body must have required property 'j'")
  const text = await app.inject({ method: 'POST', url: '/', payload: 'too long', headers: { 'content-type': 'text/plain; charset=utf-8' } })
  t.equal(text.json().message, 'body must NOT have more than 3 characters')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: 'ok', headers: { 'content-type': 'text/plain' } })).statusCode, 200)
  const csv = await app.inject({ method: 'POST', url: '/', payload: 'a,b,c,d', headers: { 'content-type': 'text/csv' } })
  t.equal(csv.statusCode, 200, 'a media type without a schema is not validated')
})

t.test('a content entry without a schema fails ready() with FST_ERR_SCH_CONTENT_MISSING_SCHEMA', async (t) => {
  const app = velox()
  app.register(async (child: any) => {
    child.route({ method: 'POST', url: '/', schema: { body: { content: { 'application/json': {} } } }, handler: echo })
  })
  await t.rejects(app.ready(), {
    code: 'FST_ERR_SCH_CONTENT_MISSING_SCHEMA',
    message: "Schema is missing for the content type 'application/json'"
  })
})

t.test('a body schema on a GET route is refused', async (t) => {
  const app = velox()
  t.throws(() => app.get('/', { schema: { body: { type: 'object' } } }, echo), { code: 'FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED' })
})

t.test('boolean schemas are accepted', async (t) => {
  const app = velox()
  app.post('/never', { schema: { body: false } }, echo)
  app.post('/always', { schema: { body: true } }, echo)
  t.equal((await app.inject({ method: 'POST', url: '/never', payload: {} })).json().message, 'body boolean schema is false')
  t.equal((await app.inject({ method: 'POST', url: '/always', payload: { a: 1 } })).statusCode, 200)
})

t.test('local $ref to definitions and to a nested $id resolve', async (t) => {
  const app = velox()
  app.post('/', {
    schema: {
      body: {
        type: 'object',
        definitions: { address: { $id: '#address', type: 'object', properties: { city: { type: 'string' } } } },
        properties: { home: { $ref: '#address' }, work: { $ref: '#/definitions/address' } }
      }
    }
  }, echo)
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { home: { city: [] } } })).json().message, 'body/home/city must be string')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { work: { city: {} } } })).json().message, 'body/work/city must be string')
})

t.test('an $async schema is awaited before the handler runs', async (t) => {
  const app = velox()
  let handled = 0
  app.post('/', {
    schema: {
      querystring: { type: 'object', required: ['q'] },
      body: { $async: true, type: 'object', required: ['a'], properties: { a: { type: 'integer' } } }
    }
  }, async (req: any) => { handled++; return req.body })
  const failed = await app.inject({ method: 'POST', url: '/?q=1', payload: {} })
  t.equal(failed.statusCode, 400)
  t.same(failed.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'validation failed' })
  const later = await app.inject({ method: 'POST', url: '/', payload: { a: 1 } })
  t.equal(later.json().message, "querystring must have required property 'q'", 'the parts after an async one are still validated')
  const ok = await app.inject({ method: 'POST', url: '/?q=1', payload: { a: '2' } })
  t.same(ok.json(), { a: 2 })
  t.equal(handled, 1)
})

t.test('ajv options can be changed with ajv.customOptions', async (t) => {
  const app = velox({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } } })
  app.post('/', { schema: { body: { type: 'object', additionalProperties: false, required: ['a'], properties: { a: { type: 'integer' } } } } }, echo)
  const res = await app.inject({ method: 'POST', url: '/', payload: { a: '1', b: 2 } })
  t.equal(res.json().message, 'body must NOT have additional properties, body/a must be integer')
})

t.test('ajv plugins are applied as a function or as [plugin, options], and onCreate runs', async (t) => {
  const app = velox({
    ajv: {
      plugins: [
        (ajv: any) => { ajv.addKeyword({ keyword: 'isEven', validate: (_s: unknown, d: number) => d % 2 === 0 }) },
        [(ajv: any, opts: { keyword: string }) => { ajv.addKeyword({ keyword: opts.keyword, validate: (_s: unknown, d: number) => d > 10 }) }, { keyword: 'isBig' }]
      ],
      onCreate: (ajv: any) => { ajv.addFormat('yes', /^yes$/) }
    }
  })
  app.post('/', { schema: { body: { type: 'object', properties: { e: { type: 'integer', isEven: true }, b: { type: 'integer', isBig: true }, y: { type: 'string', format: 'yes' } } } } }, echo)
  const message = async (payload: object) => (await app.inject({ method: 'POST', url: '/', payload })).json().message
  t.equal(await message({ e: 3 }), 'body/e must pass "isEven" keyword validation')
  t.equal(await message({ b: 3 }), 'body/b must pass "isBig" keyword validation')
  t.equal(await message({ y: 'no' }), 'body/y must match format "yes"')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { e: 2, b: 12, y: 'yes' } })).statusCode, 200)
})

t.test('ajv-formats given as a plugin with options replaces the built-in one', async (t) => {
  const { default: addFormats } = await import('ajv-formats')
  const app = velox({ ajv: { plugins: [[addFormats, { mode: 'fast', keywords: true }]] } })
  app.post('/', { schema: { body: { type: 'object', properties: { d: { type: 'string', format: 'date', formatMinimum: '2020-01-01' } } } } }, echo)
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { d: '2019-01-01' } })).json().message, 'body/d should be >= 2020-01-01')
})

t.test('ajv options that are not an object or an array are refused', async (t) => {
  t.throws(() => velox({ ajv: { customOptions: 'x' } }), { code: 'FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_OBJ' })
  t.throws(() => velox({ ajv: { plugins: 'x' } }), { code: 'FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_ARR' })
})

t.test('request.getValidationFunction returns the route validator of a part', async (t) => {
  const app = velox()
  const body = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }
  app.post('/', { schema: { body, querystring: { type: 'object' } } }, async (req: any) => {
    const validate = req.getValidationFunction('body')
    return {
      body: validate({ name: 'x' }),
      invalid: validate({}),
      query: typeof req.getValidationFunction('query'),
      querystring: req.getValidationFunction('querystring') === req.getValidationFunction('query'),
      params: req.getValidationFunction('params') === undefined
    }
  })
  t.same((await app.inject({ method: 'POST', url: '/', payload: { name: 'a' } })).json(), { body: true, invalid: false, query: 'function', querystring: true, params: true })
})

t.test('request.compileValidationSchema compiles once and getValidationFunction finds it afterwards', async (t) => {
  const app = velox()
  const schema = { type: 'object', required: ['x'], properties: { x: { type: 'integer' } } }
  app.get('/', async (req: any) => {
    const before = req.getValidationFunction(schema)
    const compiled = req.compileValidationSchema(schema)
    return {
      before: before === undefined,
      same: req.compileValidationSchema(schema) === compiled && req.getValidationFunction(schema) === compiled,
      valid: compiled({ x: '3' }),
      invalid: compiled({})
    }
  })
  t.same((await app.inject('/')).json(), { before: true, same: true, valid: true, invalid: false })
})

t.test('request.validateInput validates with a part validator or a schema', async (t) => {
  const app = velox()
  const body = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }
  const other = { type: 'object', required: ['x'] }
  app.post('/', { schema: { body } }, async (req: any) => {
    const codeOf = (fn: () => unknown) => { try { fn(); return null } catch (err: any) { return `${err.code}: ${err.message}` } }
    return {
      part: req.validateInput({ name: 'ok' }, 'body'),
      partInvalid: req.validateInput({}, 'body'),
      schema: req.validateInput({ x: 1 }, other),
      schemaInvalid: req.validateInput({}, other),
      partWins: req.validateInput({ x: 1 }, other, 'body'),
      missing: codeOf(() => req.validateInput({}, 'headers'))
    }
  })
  t.same((await app.inject({ method: 'POST', url: '/', payload: { name: 'a' } })).json(), {
    part: true,
    partInvalid: false,
    schema: true,
    schemaInvalid: false,
    partWins: false,
    missing: 'FST_ERR_REQ_INVALID_VALIDATION_INVOCATION: Invalid validation invocation. Missing validation function for HTTP part "headers" nor schema provided.'
  })
})

t.test('fluent-json-schema objects are used through their JSON Schema', async (t) => {
  // The shape fluent-json-schema gives its builders: a marker and valueOf() returning the JSON Schema.
  const fluent = (schema: object) => ({ isFluentSchema: true, valueOf: () => schema })
  const app = velox()
  app.addSchema(fluent({ $id: 'name', type: 'string', minLength: 2 }))
  app.post('/', {
    schema: {
      body: fluent({ type: 'object', required: ['name'], properties: { name: { $ref: 'name#' } } }),
      response: { 200: fluent({ type: 'object', properties: { name: { type: 'string' } } }) }
    }
  }, async (req: any) => ({ ...req.body, extra: 1 }))
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { name: 'a' } })).json().message, 'body/name must NOT have fewer than 2 characters')
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { name: 'ab' } })).body, '{"name":"ab"}')
  t.same(app.getSchema('name'), { $id: 'name', type: 'string', minLength: 2 })
})
