import { describe, expect, test } from 'tstyche'
import { z } from 'zod'
import { createClient, type ErrorResponseBody, type RouteTableOf } from '../../lib/client/index.js'
import type { VeloxInstance } from '../../types/index.js'

declare const base: VeloxInstance

const User = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string', default: 'member' } }
} as const

const app = base
  .addSchema({ $id: 'Problem', type: 'object', required: ['message'], properties: { message: { type: 'string' } } })
  .get('/users/:id', {
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
      querystring: { type: 'object', properties: { since: { type: 'string', format: 'date-time' }, tags: { type: 'array', items: { type: 'string' } } } },
      response: { 200: User, 404: { $ref: 'Problem#' } }
    }
  }, async (request, reply) => {
    if (request.params.id === 0) return reply.code(404).send({ message: 'none' })
    return { id: request.params.id, name: 'Ada' }
  })
  .post('/users', {
    schema: {
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer' } } },
      headers: { type: 'object', required: ['x-request-id'], properties: { 'x-request-id': { type: 'string' } } },
      response: { 201: User, '4xx': { $ref: 'Problem#' } }
    }
  }, async (request, reply) => reply.code(201).send({ id: 1, name: request.body.name }))
  .get('/files/*', async () => 'text')
  .route({
    method: ['put', 'PATCH'],
    url: '/items/:itemId',
    schema: { body: z.object({ at: z.string().transform((s) => new Date(s)) }) },
    handler: async (request) => {
      expect(request.body.at).type.toBe<Date>()
      return null
    }
  })
  .register((api) => api.get('/status', async () => ({ up: true })), { prefix: '/v1' })

const api = createClient<typeof app>('http://127.0.0.1:3000')

describe('createClient<typeof app>', () => {
  test('every route the chain declared is in the route table, by path and method', () => {
    type Table = RouteTableOf<typeof app>
    expect<keyof Table>().type.toBe<'/users/:id' | '/users' | '/files/*' | '/items/:itemId' | '/v1/status'>()
    expect<keyof Table['/items/:itemId']>().type.toBe<'PUT' | 'PATCH'>()
  })

  test('paths are properties and methods are $-prefixed calls', () => {
    expect(api.users[':id']).type.toHaveProperty('$get')
    expect(api.users[':id']).type.not.toHaveProperty('$post')
    expect(api.users).type.toHaveProperty('$post')
    expect(api.items[':itemId']).type.toHaveProperty('$patch')
    expect(api.v1.status).type.toHaveProperty('$get')
    expect(api).type.not.toHaveProperty('status')
  })

  test('params are typed by the params schema and required', () => {
    expect(api.users[':id'].$get).type.toBeCallableWith({ params: { id: 1 } })
    expect(api.users[':id'].$get).type.not.toBeCallableWith({ params: { id: '1' } })
    expect(api.users[':id'].$get).type.not.toBeCallableWith({})
    expect(api.users[':id'].$get).type.not.toBeCallableWith()
  })

  test('a path without a params schema takes its parameters by name', () => {
    expect(api.files['*'].$get).type.toBeCallableWith({ params: { '*': 'a/b' } })
    expect(api.files['*'].$get).type.not.toBeCallableWith({ params: { file: 'a/b' } })
  })

  test('the query string is typed by its schema; a date may be sent as a Date', () => {
    expect(api.users[':id'].$get).type.toBeCallableWith({ params: { id: 1 }, query: { since: new Date(), tags: ['a'] } })
    expect(api.users[':id'].$get).type.not.toBeCallableWith({ params: { id: 1 }, query: { tags: 'a' } })
  })

  test('the body and the declared headers are required and checked', () => {
    expect(api.users.$post).type.toBeCallableWith({ body: { name: 'Ada' }, headers: { 'x-request-id': 'r' } })
    expect(api.users.$post).type.toBeCallableWith({ body: { name: 'Ada' }, headers: { 'x-request-id': 'r', authorization: 'Bearer t' } })
    expect(api.users.$post).type.not.toBeCallableWith({ body: { name: 1 }, headers: { 'x-request-id': 'r' } })
    expect(api.users.$post).type.not.toBeCallableWith({ body: { name: 'Ada' } })
  })

  test('a Standard Schema body is sent as the library takes it in', () => {
    expect(api.items[':itemId'].$put).type.toBeCallableWith({ params: { itemId: 'x' }, body: { at: '2026-01-01' } })
    expect(api.items[':itemId'].$put).type.not.toBeCallableWith({ params: { itemId: 'x' }, body: { at: new Date() } })
  })

  test('checking the status narrows the data to that status\'s schema', async () => {
    const res = await api.users[':id'].$get({ params: { id: 1 } })
    if (res.status === 200) {
      expect(res.data).type.toBe<{ id: number, name: string, role: string }>()
      expect(res.ok).type.toBe<true>()
    } else if (res.status === 404) {
      expect(res.data).type.toBe<{ message: string }>()
    } else {
      expect(res.data).type.toBe<ErrorResponseBody>()
      expect(res.ok).type.toBe<false>()
    }
    if (res.ok) expect(res.data).type.toBe<{ id: number, name: string, role: string }>()
  })

  test('a status class schema (4xx) covers its statuses', async () => {
    const res = await api.users.$post({ body: { name: 'Ada' }, headers: { 'x-request-id': 'r' } })
    if (res.status === 422) expect(res.data).type.toBe<{ message: string }>()
    if (res.status === 503) expect(res.data).type.toBe<ErrorResponseBody>()
  })

  test('a default response stands for the statuses the others do not name, so checking one narrows past it', async () => {
    const defaultApp = base.get('/thing', {
      schema: { response: { 200: User, default: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } } }
    }, async () => ({ id: 1, name: 'Ada' }))
    const res = await createClient<typeof defaultApp>('http://127.0.0.1:3000').thing.$get()
    if (res.status === 200) expect(res.data).type.toBe<{ id: number, name: string, role: string }>()
    else expect(res.data).type.toBe<{ message: string }>()
    if (res.ok && res.status !== 200) expect(res.status).type.toBe<201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226>()
  })

  test('a route given explicit type arguments is not recorded, nor are those before it in the chain', () => {
    // TypeScript infers none of a call's type parameters once some are given,
    // so neither the path nor the routes so far reach the returned type
    // (docs/client.md says to type such routes through their schemas).
    const typedApp = base
      .get('/before', async () => 'x')
      .get<{ Reply: { 200: { ok: true } } }>('/typed', async () => ({ ok: true }))
    expect<keyof RouteTableOf<typeof typedApp>>().type.toBe<never>()
  })

  test('routes a plugin returns are under its prefix', async () => {
    const res = await api.v1.status.$get()
    expect(res.data).type.toBe<unknown>()
  })

  test('an app that recorded routes is still a VeloxInstance', () => {
    function plugin (instance: VeloxInstance) { return instance }
    expect(plugin).type.toBeCallableWith(app)
  })
})
