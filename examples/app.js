// The example app, built by a function so tests, `velox openapi` and main.js share it.
import velox from '../dist/velox.js'

/** Builds the example app. `options` are passed to velox() (for example `{ logger: false }`). */
export function buildApp (options = {}) {
  const app = velox({
    openapi: { info: { title: 'Velox example', version: '1.0.0' } },
    ...options
  })

  const users = new Map([[1, { id: 1, name: 'Ada', age: 36 }]])
  let nextId = 2

  app.addSchema({
    $id: 'user',
    type: 'object',
    properties: { id: { type: 'integer' }, name: { type: 'string' }, age: { type: 'integer' } }
  })

  app.get('/', async () => ({ hello: 'world' }))

  app.get('/health', async () => ({ status: 'ok', uptime: process.uptime() }))

  app.register(async function usersApi (api) {
    api.get('/users', {
      summary: 'List users',
      tags: ['users'],
      schema: { response: { 200: { type: 'array', items: { $ref: 'user#' } } } }
    }, async () => [...users.values()])

    api.get('/users/:id', {
      summary: 'One user',
      tags: ['users'],
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        response: { 200: { $ref: 'user#' } }
      }
    }, async (request, reply) => {
      const user = users.get(request.params.id)
      if (user === undefined) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No user ${request.params.id}` })
      return user
    })

    api.post('/users', {
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
      reply.code(201)
      return user
    })
  }, { prefix: '/v1' })

  return app
}

export default buildApp
