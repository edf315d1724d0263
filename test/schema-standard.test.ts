import t from 'tap'
import { z } from 'zod'
import * as v from 'valibot'
import { toStandardJsonSchema } from '@valibot/to-json-schema'
import { type } from 'arktype'
import velox from '../lib/index.js'

// Zod 4 and ArkType: converted to JSON Schema for OpenAPI and the serializers,
// validated by the library (their converters drop refinements silently).
t.test('Zod 4: request parts are validated by Zod, and the handler gets its output', async (t) => {
  const app = velox()
  app.post('/users/:id', {
    schema: {
      params: z.object({ id: z.coerce.number().int() }),
      querystring: z.object({ verbose: z.enum(['yes', 'no']).default('no') }),
      headers: z.object({ 'x-tenant': z.string().min(2) }),
      body: z.object({ name: z.string().refine((s) => s !== 'root', 'reserved name'), tags: z.array(z.string()).optional() })
    },
    handler: async (req) => ({ id: req.params.id, verbose: req.query.verbose, tenant: req.headers['x-tenant'], type: req.headers['content-type'], body: req.body })
  })
  const ok = await app.inject({ method: 'POST', url: '/users/7', headers: { 'x-tenant': 'acme' }, payload: { name: 'Ada', extra: 1 } })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { id: 7, verbose: 'no', tenant: 'acme', type: 'application/json', body: { name: 'Ada' } },
    'coerced, defaulted, unknown body keys stripped by Zod, headers the schema does not name kept')

  const refined = await app.inject({ method: 'POST', url: '/users/7', headers: { 'x-tenant': 'acme' }, payload: { name: 'root' } })
  t.equal(refined.statusCode, 400, 'a refinement JSON Schema cannot say is still enforced')
  t.same(refined.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'body/name reserved name' })

  const wrong = await app.inject({ method: 'POST', url: '/users/7', headers: { 'x-tenant': 'acme' }, payload: { name: 5 } })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.json().message, /^body\/name Invalid input/)

  const params = await app.inject({ method: 'POST', url: '/users/x', headers: { 'x-tenant': 'acme' }, payload: { name: 'Ada' } })
  t.match(params.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', message: /^params\/id / }, 'params are validated first, as in Fastify')
})

t.test('Zod 4: transforms and async refinements run', async (t) => {
  const app = velox()
  app.post('/sum', {
    schema: {
      body: z.object({ a: z.string().transform(Number), b: z.string().refine(async (s) => s.length > 0, 'empty') })
    }
  }, async (req) => ({ a: req.body.a + 1, b: req.body.b }))
  const ok = await app.inject({ method: 'POST', url: '/sum', payload: { a: '41', b: 'x' } })
  t.same(ok.json(), { a: 42, b: 'x' })
  const bad = await app.inject({ method: 'POST', url: '/sum', payload: { a: '1', b: '' } })
  t.same(bad.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'body/b empty' })
})

t.test('Zod 4: response schemas serialize from Zod\'s output side and show in OpenAPI', async (t) => {
  const app = velox()
  const user = z.object({ id: z.number().int(), name: z.string() })
  app.get('/users/:id', {
    schema: { params: z.object({ id: z.coerce.number() }), response: { 200: user } }
  }, async (req) => ({ id: req.params.id, name: 'Ada', password: 'secret' } as { id: number, name: string }))
  const res = await app.inject({ method: 'GET', url: '/users/1' })
  t.same(res.json(), { id: 1, name: 'Ada' }, 'an undeclared property is dropped by the serializer')
  const doc = app.openapi() as any
  const op = doc.paths['/users/{id}'].get
  t.match(op.responses['200'].content['application/json'].schema, {
    type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } }
  })
  t.same(op.parameters.map((p: any) => p.name), ['id'])
  t.notOk(JSON.stringify(doc).includes('$schema'), 'no dialect markers inside the document')
})

t.test('Valibot with its JSON Schema converter: validated by compiled ajv code', async (t) => {
  const app = velox()
  app.post('/items', {
    schema: {
      body: toStandardJsonSchema(v.object({ name: v.pipe(v.string(), v.minLength(2)), count: v.optional(v.number(), 1) })),
      response: { 200: toStandardJsonSchema(v.object({ name: v.string(), count: v.number() })) }
    }
  }, async (req) => req.body)
  const ok = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen' } })
  t.same(ok.json(), { name: 'pen', count: 1 }, 'the default is filled in by ajv')
  const bad = await app.inject({ method: 'POST', url: '/items', payload: { name: 'p' } })
  t.same(bad.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'body/name must NOT have fewer than 2 characters' }, "ajv's message")
  t.match((app.openapi() as any).paths['/items'].post.requestBody.content['application/json'].schema, { required: ['name'] })
})

t.test('Valibot with a check its converter refuses, or without the converter: validated by Valibot', async (t) => {
  const app = velox()
  app.post('/checked', {
    schema: { body: toStandardJsonSchema(v.object({ name: v.pipe(v.string(), v.check((s) => s !== 'root', 'reserved')) })) }
  }, async (req) => req.body)
  app.post('/plain', { schema: { body: v.object({ name: v.string() }) } }, async (req) => req.body)
  const checked = await app.inject({ method: 'POST', url: '/checked', payload: { name: 'root' } })
  t.same(checked.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'body/name reserved' })
  const plain = await app.inject({ method: 'POST', url: '/plain', payload: { name: 1 } })
  t.equal(plain.statusCode, 400)
  t.match(plain.json().message, /^body\/name Invalid type/)
  t.same((await app.inject({ method: 'POST', url: '/plain', payload: { name: 'a' } })).json(), { name: 'a' })
})

t.test('ArkType: validated by ArkType, converted for OpenAPI and serialization', async (t) => {
  const app = velox()
  app.post('/users', {
    schema: {
      body: type({ name: 'string > 1', 'age?': 'number.integer' }).narrow((u) => u.name !== 'root'),
      response: { 201: type({ id: 'number', name: 'string' }) }
    }
  }, async (req, reply) => {
    reply.code(201)
    return { id: 1, name: req.body.name, age: req.body.age } as { id: number, name: string }
  })
  const ok = await app.inject({ method: 'POST', url: '/users', payload: { name: 'Ada', age: 36 } })
  t.equal(ok.statusCode, 201)
  t.same(ok.json(), { id: 1, name: 'Ada' })
  const narrowed = await app.inject({ method: 'POST', url: '/users', payload: { name: 'root' } })
  t.equal(narrowed.statusCode, 400, 'a narrow() predicate is enforced')
  const bad = await app.inject({ method: 'POST', url: '/users', payload: { name: 'Ada', age: 1.5 } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().message, /^body\/age /)
  t.match((app.openapi() as any).paths['/users'].post.responses['201'].content['application/json'].schema, {
    type: 'object', properties: { id: { type: 'number' }, name: { type: 'string' } }
  })
})

t.test('a response schema without a conversion is sent with the default serializer', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: v.object({ a: v.string() }) } } }, async () => ({ a: 'x', b: 1 } as { a: string }))
  t.same((await app.inject('/')).json(), { a: 'x', b: 1 })
})

t.test('a custom validatorCompiler receives a Standard Schema library object as written, as in Fastify (Joi and Yup recipes)', async (t) => {
  const app = velox()
  const schema = z.object({ name: z.string() })
  const seen: unknown[] = []
  app.post('/', {
    schema: { body: schema },
    validatorCompiler: ({ schema: given }: { schema: any }) => {
      seen.push(given)
      return (data: unknown) => {
        const result = given.safeParse(data)
        return result.success ? { value: result.data } : { error: new Error('custom: ' + result.error.issues[0].path.join('.')) }
      }
    }
  }, async (req: any) => req.body)
  const bad = await app.inject({ method: 'POST', url: '/', payload: { name: 1 } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().message, 'custom: name')
  t.equal(seen[0], schema, 'the zod object itself')
  t.same((await app.inject({ method: 'POST', url: '/', payload: { name: 'a' } })).json(), { name: 'a' })
})
