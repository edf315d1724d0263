import t from 'tap'
import velox from '../lib/index.js'

const ok = async () => ({ ok: true })

function badRequest (message: string): string {
  return JSON.stringify({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message })
}

t.test('validation failures answer 400 with the same bytes as Fastify', async (t) => {
  const app = velox()
  app.post('/users/:id', {
    schema: {
      params: { type: 'object', properties: { id: { type: 'integer' } } },
      querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1 } } },
      headers: { type: 'object', properties: { 'x-version': { type: 'string', enum: ['1', '2'] } } },
      body: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string' },
          email: { type: 'string', format: 'email' },
          color: { type: 'string', enum: ['red', 'blue'] },
          address: { type: 'object', properties: { lines: { type: 'array', items: { type: 'string', maxLength: 5 } } } }
        }
      }
    }
  }, ok)
  const cases: Array<[string, Record<string, any>, string]> = [
    ['required', { payload: {} }, "body must have required property 'name'"],
    ['type', { payload: { name: {} } }, 'body/name must be string'],
    ['enum', { payload: { name: 'a', color: 'green' } }, 'body/color must be equal to one of the allowed values'],
    ['format', { payload: { name: 'a', email: 'nope' } }, 'body/email must match format "email"'],
    ['nested path', { payload: { name: 'a', address: { lines: ['ok', 'far too long'] } } }, 'body/address/lines/1 must NOT have more than 5 characters'],
    ['params prefix', { url: '/users/abc', payload: { name: 'a' } }, 'params/id must be integer'],
    ['querystring prefix', { url: '/users/1?page=0', payload: { name: 'a' } }, 'querystring/page must be >= 1'],
    ['headers prefix', { headers: { 'x-version': '3' }, payload: { name: 'a' } }, 'headers/x-version must be equal to one of the allowed values']
  ]
  for (const [name, opts, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/users/1', ...opts })
    t.equal(res.statusCode, 400, name)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', name)
    t.equal(res.body, badRequest(message), name)
  }
})

t.test('additional properties are reported when removeAdditional is off', async (t) => {
  const app = velox({ ajv: { customOptions: { removeAdditional: false } } })
  app.post('/', { schema: { body: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } } }, ok)
  const res = await app.inject({ method: 'POST', url: '/', payload: { a: 'x', other: 1 } })
  t.equal(res.body, badRequest('body must NOT have additional properties'))
})

t.test('with allErrors every issue is listed, joined by a comma', async (t) => {
  const app = velox({ ajv: { customOptions: { allErrors: true } } })
  app.post('/', { schema: { body: { type: 'object', required: ['a', 'b'], properties: { c: { type: 'integer' } } } } }, ok)
  const res = await app.inject({ method: 'POST', url: '/', payload: { c: 'x' } })
  t.equal(res.body, badRequest("body must have required property 'a', body must have required property 'b', body/c must be integer"))
})

t.test('the error carries validation (the raw issues) and validationContext', async (t) => {
  const app = velox()
  let seen: any
  app.setErrorHandler((err: any, _req: any, reply: any) => {
    seen = err
    reply.code(422).send({ context: err.validationContext })
  })
  app.get('/', { schema: { querystring: { type: 'object', required: ['q'] } } }, ok)
  const res = await app.inject('/')
  t.equal(res.statusCode, 422)
  t.same(res.json(), { context: 'querystring' })
  t.ok(seen instanceof Error)
  t.equal(seen.statusCode, 400)
  t.equal(seen.code, 'FST_ERR_VALIDATION')
  t.equal(seen.message, "querystring must have required property 'q'")
  t.same(seen.validation, [{ instancePath: '', schemaPath: '#/required', keyword: 'required', params: { missingProperty: 'q' }, message: "must have required property 'q'" }])
})

t.test('attachValidation hands the error to the handler instead of answering 400', async (t) => {
  const app = velox()
  app.post('/', { attachValidation: true, schema: { body: { type: 'object', required: ['a'] } } }, async (req: any) => {
    const err = req.validationError
    if (err === undefined) return { valid: true }
    return { message: err.message, code: err.code, statusCode: err.statusCode, context: err.validationContext, keyword: err.validation[0].keyword }
  })
  const invalid = await app.inject({ method: 'POST', url: '/', payload: {} })
  t.equal(invalid.statusCode, 200)
  t.same(invalid.json(), { message: "body must have required property 'a'", code: 'FST_ERR_VALIDATION', statusCode: 400, context: 'body', keyword: 'required' })
  t.same((await app.inject({ method: 'POST', url: '/', payload: { a: 1 } })).json(), { valid: true })
})

t.test('the factory schemaErrorFormatter builds the message, with the app as this', async (t) => {
  let self: unknown
  const app = velox({
    schemaErrorFormatter (this: unknown, errors: any[], dataVar: string) {
      self = this
      return new Error(`${dataVar} has ${errors.length} problem(s): ${errors[0].message}`)
    }
  })
  app.post('/', { schema: { body: { type: 'object', required: ['a'] } } }, ok)
  const res = await app.inject({ method: 'POST', url: '/', payload: {} })
  t.equal(res.body, badRequest("body has 1 problem(s): must have required property 'a'"))
  t.equal(self, app)
})

t.test('a route schemaErrorFormatter wins over the scope and the factory ones', async (t) => {
  const app = velox({ schemaErrorFormatter: () => new Error('from the factory') })
  app.post('/factory', { schema: { body: { type: 'object', required: ['a'] } } }, ok)
  app.post('/route', { schemaErrorFormatter: (_e: any[], part: string) => new Error(`route ${part}`), schema: { body: { type: 'object', required: ['a'] } } }, ok)
  t.equal((await app.inject({ method: 'POST', url: '/factory', payload: {} })).json().message, 'from the factory')
  t.equal((await app.inject({ method: 'POST', url: '/route', payload: {} })).json().message, 'route body')
})

t.test('setSchemaErrorFormatter is encapsulated and runs with its instance as this', async (t) => {
  const app = velox()
  let child: any
  let self: unknown
  app.register(async (instance: any) => {
    child = instance
    instance.setSchemaErrorFormatter(function (this: unknown, _errors: any[], part: string) {
      self = this
      return new Error(`child ${part}`)
    })
    instance.post('/child', { schema: { body: { type: 'object', required: ['a'] } } }, ok)
    instance.register(async (grandchild: any) => {
      grandchild.post('/grandchild', { schema: { body: { type: 'object', required: ['a'] } } }, ok)
    })
  })
  app.post('/parent', { schema: { body: { type: 'object', required: ['a'] } } }, ok)
  await app.ready()
  t.equal((await app.inject({ method: 'POST', url: '/child', payload: {} })).json().message, 'child body')
  t.equal(self, child)
  t.equal((await app.inject({ method: 'POST', url: '/grandchild', payload: {} })).json().message, 'child body')
  t.equal((await app.inject({ method: 'POST', url: '/parent', payload: {} })).json().message, "body must have required property 'a'")
})

t.test('a formatter may choose its own status code and code', async (t) => {
  const app = velox({
    schemaErrorFormatter: () => Object.assign(new Error('unprocessable'), { statusCode: 422, code: 'MY_VALIDATION' })
  })
  app.post('/', { schema: { body: { type: 'object', required: ['a'] } } }, ok)
  const res = await app.inject({ method: 'POST', url: '/', payload: {} })
  t.equal(res.statusCode, 422)
  t.same(res.json(), { statusCode: 422, code: 'MY_VALIDATION', error: 'Unprocessable Entity', message: 'unprocessable' })
})

t.test('a schemaErrorFormatter that is not a sync function is refused', async (t) => {
  const message = (type: string) => `schemaErrorFormatter option should be a non async function. Instead got '${type}'.`
  t.throws(() => velox({ schemaErrorFormatter: 'nope' }), { code: 'FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN', message: message('string') })
  t.throws(() => velox({ schemaErrorFormatter: async () => new Error('x') }), { code: 'FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN', message: message('AsyncFunction') })
  const app = velox()
  t.throws(() => app.setSchemaErrorFormatter(42), { code: 'FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN', message: message('number') })
  t.throws(() => app.setSchemaErrorFormatter(async () => new Error('x')), { code: 'FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN', message: message('AsyncFunction') })
})

t.test('setSchemaErrorFormatter after ready is refused', async (t) => {
  const app = velox()
  await app.ready()
  t.throws(() => app.setSchemaErrorFormatter(() => new Error('late')), { code: 'FST_ERR_INSTANCE_ALREADY_LISTENING' })
})

t.test('a custom validator reports failures with { error }', async (t) => {
  const app = velox()
  app.setValidatorCompiler(({ schema }: any) => (data: any) => {
    if (schema.mode === 'error') return { error: new Error('custom failure') }
    if (schema.mode === 'issues') return { error: [{ instancePath: '/field', message: 'is not acceptable' }] }
    return { value: data }
  })
  app.post('/error', { schema: { body: { mode: 'error' } } }, ok)
  app.post('/issues', { schema: { body: { mode: 'issues' } } }, ok)
  let validation: unknown
  app.setErrorHandler((err: any, _req: any, reply: any) => {
    validation = err.validation
    reply.send(err)
  })
  t.equal((await app.inject({ method: 'POST', url: '/error', payload: {} })).body, badRequest('custom failure'))
  t.equal((await app.inject({ method: 'POST', url: '/issues', payload: {} })).body, badRequest('body/field is not acceptable'))
  t.same(validation, [{ instancePath: '/field', message: 'is not acceptable' }])
})

t.test('a validator that returns false without errors fails the request', async (t) => {
  const app = velox()
  app.post('/', { schema: { body: {} }, validatorCompiler: () => () => false }, ok)
  t.equal((await app.inject({ method: 'POST', url: '/', payload: {} })).body, badRequest('body is invalid'))
})

t.test('a validator that throws answers 500', async (t) => {
  const app = velox()
  app.post('/', { schema: { body: {} }, validatorCompiler: () => () => { throw new Error('validator crashed') } }, ok)
  const res = await app.inject({ method: 'POST', url: '/', payload: {} })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { statusCode: 500, code: 'FST_ERR_VALIDATION', error: 'Internal Server Error', message: 'validator crashed' })
})

t.test('an async validator that rejects answers 400 with its error', async (t) => {
  const app = velox()
  app.post('/', {
    schema: { body: {} },
    validatorCompiler: () => async (data: any) => { if (data.bad === true) throw new Error('rejected'); return true }
  }, async (req: any) => req.body)
  t.equal((await app.inject({ method: 'POST', url: '/', payload: { bad: true } })).body, badRequest('rejected'))
  t.same((await app.inject({ method: 'POST', url: '/', payload: { bad: false } })).json(), { bad: false })
})

t.test('a 400 response schema shapes the validation error payload', async (t) => {
  const app = velox()
  app.post('/', {
    schema: {
      body: { type: 'object', required: ['name'] },
      response: { 400: { type: 'object', properties: { message: { type: 'string' }, hint: { type: 'string', default: 'see the docs' } } } }
    }
  }, ok)
  const res = await app.inject({ method: 'POST', url: '/', payload: {} })
  t.equal(res.statusCode, 400)
  t.equal(res.body, JSON.stringify({ message: "body must have required property 'name'", hint: 'see the docs' }))
})

t.test('a schemaErrorFormatter that throws answers 500 with its error, never hangs', async (t) => {
  const app = velox({ schemaErrorFormatter: () => { throw new Error('formatter failed') } })
  app.post('/', { schema: { body: { type: 'object', required: ['name'] } } }, ok)
  const res = await app.inject({ method: 'POST', url: '/', payload: { other: 1 } })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { statusCode: 500, error: 'Internal Server Error', message: 'formatter failed' })
  const route = velox()
  route.post('/', { schema: { body: { type: 'object', required: ['name'] } }, schemaErrorFormatter: () => { throw new Error('route formatter failed') } }, ok)
  t.equal((await route.inject({ method: 'POST', url: '/', payload: {} })).json().message, 'route formatter failed')
})
