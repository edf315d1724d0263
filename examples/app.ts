// The example app, built by a function so tests, `velox openapi` and main.ts share it. Routes are
// declared as one chain, so the app's type records them and velox/client can be typed from it
// (see client.ts).
import velox, { type VeloxServerOptions } from 'velox'

const User = {
  $id: 'user',
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, age: { type: 'integer' } }
} as const

const NotFound = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } }
} as const

interface StoredUser { id: number, name: string, age?: number }

/** Builds the example app. `options` are passed to velox() (for example `{ logger: false }`). */
export function buildApp (options: VeloxServerOptions = {}) {
  const users = new Map<number, StoredUser>([[1, { id: 1, name: 'Ada', age: 36 }]])
  let nextId = 2

  return velox({
    openapi: { info: { title: 'Velox example', version: '1.0.0' } },
    ...options
  })
    .addSchema(User)
    .get('/', async () => ({ hello: 'world' }))
    .get('/health', async () => ({ status: 'ok', uptime: process.uptime() }))
    .register((api) => api
      .get('/users', {
        summary: 'List users',
        tags: ['users'],
        schema: { response: { 200: { type: 'array', items: { $ref: 'user#' } } } }
      }, async () => [...users.values()])
      .get('/users/:id', {
        summary: 'One user',
        tags: ['users'],
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
          response: { 200: { $ref: 'user#' }, 404: NotFound }
        }
      }, async (request, reply) => {
        const user = users.get(request.params.id)
        if (user === undefined) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No user ${request.params.id}` })
        return user
      })
      .post('/users', {
        summary: 'Create a user',
        tags: ['users'],
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 } }
          },
          response: { 201: { $ref: 'user#' } }
        }
      }, async (request, reply) => {
        const user = { id: nextId++, ...request.body }
        users.set(user.id, user)
        return reply.code(201).send(user)
      }), { prefix: '/v1' })
}

/** The example app's type: what velox/client is typed from. */
export type App = ReturnType<typeof buildApp>

export default buildApp
