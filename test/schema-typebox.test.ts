import t from 'tap'
import { Type as Type034 } from '@sinclair/typebox'
import { Type as Type1 } from 'typebox'
import velox from '../lib/index.js'

const libraries = [
  { name: '@sinclair/typebox 0.34', Type: Type034 as any },
  { name: 'typebox 1.x', Type: Type1 as any }
]

for (const { name, Type } of libraries) {
  t.test(`${name}: schemas validate and coerce every request part`, async (t) => {
    const app = velox()
    app.post('/users/:id', {
      schema: {
        params: Type.Object({ id: Type.Integer() }),
        querystring: Type.Object({ verbose: Type.Optional(Type.Boolean()) }),
        headers: Type.Object({ 'X-Tenant': Type.String({ minLength: 2 }) }),
        body: Type.Object({ name: Type.String(), tags: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false })
      }
    }, async (req: any) => ({ id: req.params.id, verbose: req.query.verbose, tenant: req.headers['x-tenant'], body: req.body }))
    const res = await app.inject({ method: 'POST', url: '/users/7?verbose=true', headers: { 'x-tenant': 'acme' }, payload: { name: 'Ada', tags: 'x', extra: 1 } })
    t.same(res.json(), { id: 7, verbose: true, tenant: 'acme', body: { name: 'Ada', tags: ['x'] } })
    const bad = await app.inject({ method: 'POST', url: '/users/7', headers: { 'x-tenant': 'acme' }, payload: { tags: [] } })
    t.equal(bad.body, JSON.stringify({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: "body must have required property 'name'" }))
    const header = await app.inject({ method: 'POST', url: '/users/7', payload: { name: 'a' } })
    t.equal(header.json().message, "headers must have required property 'x-tenant'", 'header names are lower-cased')
  })

  t.test(`${name}: response schemas serialize and drop undeclared properties`, async (t) => {
    const app = velox()
    const User = Type.Object({ id: Type.Integer(), name: Type.String(), email: Type.Optional(Type.String({ format: 'email' })) })
    app.get('/', { schema: { response: { 200: User, '4xx': Type.Object({ message: Type.String() }) } } }, async (req: any, reply: any) => {
      if (req.query.fail !== undefined) return reply.code(404).send({ message: 'gone', statusCode: 404 })
      return { id: '1', name: 'Ada', password: 'secret' }
    })
    t.equal((await app.inject('/')).body, '{"id":1,"name":"Ada"}')
    t.equal((await app.inject('/?fail')).body, '{"message":"gone"}')
  })

  t.test(`${name}: shared schemas with $id are referenced with Type.Ref or $ref`, async (t) => {
    const app = velox()
    const Address = Type.Object({ city: Type.String() }, { $id: 'Address' })
    app.addSchema(Address)
    const Person = Type.Object({ name: Type.String(), address: Type.Ref('Address') })
    app.post('/', { schema: { body: Person, response: { 200: Person } } }, async (req: any) => ({ ...req.body, extra: true }))
    const res = await app.inject({ method: 'POST', url: '/', payload: { name: 'a', address: { city: 'Rome', zip: 1 } } })
    t.equal(res.body, '{"name":"a","address":{"city":"Rome"}}')
    t.equal((await app.inject({ method: 'POST', url: '/', payload: { name: 'a', address: {} } })).json().message, "body/address must have required property 'city'")
  })

  t.test(`${name}: unions and literals work for validation and serialization`, async (t) => {
    const app = velox()
    const Shape = Type.Union([
      Type.Object({ kind: Type.Literal('circle'), radius: Type.Number() }),
      Type.Object({ kind: Type.Literal('square'), side: Type.Number() })
    ])
    app.post('/', { schema: { body: Shape, response: { 200: Shape } } }, async (req: any) => req.body)
    t.equal((await app.inject({ method: 'POST', url: '/', payload: { kind: 'square', side: 2 } })).body, '{"kind":"square","side":2}')
    t.equal((await app.inject({ method: 'POST', url: '/', payload: { kind: 'triangle' } })).statusCode, 400)
  })
}
