import type { IncomingHttpHeaders } from 'node:http'
import { describe, expect, test } from 'tstyche'
import type { RouteHandler, VeloxInstance, VeloxReply, VeloxRequest } from '../../types/index.js'

declare const app: VeloxInstance

describe('request parts from the route schema', () => {
  test('body, query, params and headers are inferred with no as const and no type provider', () => {
    app.post('/users/:id', {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }
        },
        querystring: { type: 'object', properties: { verbose: { type: 'boolean' } } },
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        headers: { type: 'object', required: ['x-token'], properties: { 'x-token': { type: 'string' } } }
      }
    }, async (req) => {
      expect(req.body).type.toBe<{ name: string, age?: number }>()
      expect(req.query).type.toBe<{ verbose?: boolean }>()
      expect(req.params).type.toBe<{ id: number }>()
      expect(req.headers['x-token']).type.toBe<string>()
    })
  })

  test('a property the body schema does not declare is an error', () => {
    app.post('/users', {
      schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } }
    }, async (req) => {
      expect(req.body.nmae).type.toRaiseError("Property 'nmae' does not exist")
      // @ts-expect-error Type 'string' is not assignable to type 'number' -- name is a string
      const n: number = req.body.name
      return n
    })
  })

  test('headers keep the Node.js types for headers the schema does not name', () => {
    app.get('/', {
      schema: { headers: { type: 'object', properties: { 'x-count': { type: 'integer' } } } }
    }, async (req) => {
      expect(req.headers['x-count']).type.toBe<number | undefined>()
      expect(req.headers.accept).type.toBe<IncomingHttpHeaders['accept']>()
    })
  })

  test('query is an alias of querystring', () => {
    app.get('/', { schema: { query: { type: 'object', properties: { q: { type: 'string' } } } } }, async (req) => {
      expect(req.query).type.toBe<{ q?: string }>()
    })
  })

  test('a body schema given per content type is the union of its schemas', () => {
    app.post('/', {
      schema: {
        body: {
          content: {
            'application/json': { schema: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } },
            'text/plain': { schema: { type: 'string' } }
          }
        }
      }
    }, async (req) => {
      expect(req.body).type.toBe<{ a: string } | string>()
    })
  })
})

describe('the example of the design document', () => {
  test('compiles as written, with req.body typed from the schema', async () => {
    app.register(async function users (app) {
      app.post('/users', {
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }
          },
          response: { 201: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } }
        }
      }, async (req, reply) => {
        expect(req.body).type.toBe<{ name: string, age?: number }>()
        reply.code(201)
        return { id: 1, name: req.body.name }
      })
    }, { prefix: '/v1' })
    expect(await app.listen({ port: 3000 })).type.toBe<string>()
  })
})

describe('without a schema', () => {
  test('params are the names in the path, as strings', () => {
    app.get('/users/:id/files/:file.:ext', async (req) => {
      expect(req.params).type.toBe<{ id: string, file: string, ext: string }>()
    })
    app.get('/range/:from-:to/*', async (req) => {
      expect(req.params).type.toBe<{ from: string, to: string, '*': string }>()
    })
    app.get('/optional/:id?', async (req) => {
      expect(req.params).type.toBe<{ id?: string }>()
    })
    app.get('/digits/:id(^\\d+)', { schema: { querystring: { type: 'object', properties: { q: { type: 'string' } } } } }, async (req) => {
      expect(req.params).type.toBe<{ id: string }>()
      expect(req.query.q).type.toBe<string | undefined>()
    })
    app.get('/time/:hour::minute', async (req) => {
      expect(req.params).type.toBe<{ hour: string }>()
    })
    app.route({ method: 'GET', url: '/route/:id', handler: async (req) => { expect(req.params.id).type.toBe<string>() } })
    app.get('/hooked/:id', { preHandler: async (req) => { expect(req.params).type.toBe<{ id: string }>() } }, async () => 'x')
  })

  test('a params schema, route types, or a path held as a string win over the path', () => {
    app.get('/schema/:id', { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } }, async (req) => {
      expect(req.params).type.toBe<{ id: number }>()
    })
    app.get<{ Params: { id: number } }>('/given/:id', async (req) => {
      expect(req.params).type.toBe<{ id: number }>()
    })
    const url: string = '/held/:id'
    app.get(url, async (req) => {
      expect(req.params).type.toBe<unknown>()
    })
  })

  test('inputs are unknown', () => {
    app.get('/', async (req) => {
      expect(req.body).type.toBe<unknown>()
      expect(req.query).type.toBe<unknown>()
      expect(req.params).type.toBe<unknown>()
      expect(req.headers).type.toBe<IncomingHttpHeaders>()
    })
  })

  test('outputs are free', () => {
    app.get('/', async (_req, reply) => {
      reply.send({ anything: true })
      reply.code(404).send('text')
      return 42
    })
  })

  test('the same holds with options but no schema', () => {
    app.get('/', { logLevel: 'warn' }, async (req) => {
      expect(req.body).type.toBe<unknown>()
      return { free: true }
    })
  })
})

describe('route forms', () => {
  const schema = {
    body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } }
  } as const

  test('every shorthand infers', () => {
    app.put('/', { schema }, async (req) => { expect(req.body).type.toBe<{ n: number }>() })
    app.patch('/', { schema }, async (req) => { expect(req.body).type.toBe<{ n: number }>() })
    app.delete('/', { schema }, async (req) => { expect(req.body).type.toBe<{ n: number }>() })
    app.options('/', { schema }, async (req) => { expect(req.body).type.toBe<{ n: number }>() })
    app.head('/', { schema }, async (req) => { expect(req.body).type.toBe<{ n: number }>() })
    app.all('/', { schema }, async (req) => { expect(req.body).type.toBe<{ n: number }>() })
  })

  test('a schema declared apart from its route infers with as const', () => {
    app.post('/', { schema }, async (req) => {
      expect(req.body).type.toBe<{ n: number }>()
    })
  })

  test('options with the handler among them', () => {
    app.post('/', {
      schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } } },
      handler: async (req) => {
        expect(req.body).type.toBe<{ n: number }>()
      }
    })
  })

  test('route() infers from the schema written before the handler', () => {
    app.route({
      method: ['POST', 'PUT'],
      url: '/items/:id',
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
        response: { 200: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } } }
      },
      handler: async (req) => {
        expect(req.params).type.toBe<{ id: string }>()
        expect(req.body).type.toBe<{ n: number }>()
        return { ok: true }
      }
    })
  })

  test('route() infers whatever the order of schema and handler', () => {
    app.route({
      method: 'POST',
      url: '/',
      handler: async (req) => { expect(req.body).type.toBe<{ n: number }>() },
      schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } } }
    })
  })

  test('route() checks the return value against the response schema', () => {
    app.route({
      method: 'GET',
      url: '/',
      schema: { response: { 200: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } } } },
      // @ts-expect-error Type 'string' is not assignable to type 'boolean' -- ok must be a boolean, reported at the returned value
      handler: async () => ({ ok: 'yes' })
    })
  })

  test('hooks in route options see the route types, wherever the schema is written', () => {
    app.post('/', {
      schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } } },
      preValidation: async (req) => { expect(req.body).type.toBe<{ n: number }>() },
      preHandler: [async (req) => { expect(req.body).type.toBe<{ n: number }>() }]
    }, async () => {})
    app.post('/', {
      onRequest: (req, _reply, done) => { expect(req.body).type.toBe<{ n: number }>(); done() },
      schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } } }
    }, async () => {})
  })

  test('config is typed from the route options', () => {
    app.get('/', { config: { rateLimit: 10 } }, async (req) => {
      expect(req.routeOptions.config.rateLimit).type.toBe<number>()
      expect(req.routeOptions.config).type.not.toHaveProperty('other')
    })
  })

  test('this in a handler is the instance', () => {
    app.get('/', async function () {
      expect(this).type.toBe<VeloxInstance>()
    })
  })
})

describe('explicit generics, as in Fastify', () => {
  interface Body { title: string }
  interface Query { page: number }
  interface Params { id: string }
  interface Headers { 'x-api-key': string }
  interface Reply { ok: boolean }

  test('Body, Querystring, Params, Headers and Reply type the route', () => {
    app.post<{ Body: Body, Querystring: Query, Params: Params, Headers: Headers, Reply: Reply }>('/:id', async (req, reply) => {
      expect(req.body).type.toBe<Body>()
      expect(req.query).type.toBe<Query>()
      expect(req.params).type.toBe<Params>()
      expect(req.headers['x-api-key']).type.toBe<string>()
      expect(reply.send).type.toBeCallableWith({ ok: true })
      expect(reply.send).type.not.toBeCallableWith({ ok: 'yes' })
      return { ok: true }
    })
  })

  test('generics win over the schema and the schema is still accepted', () => {
    app.post<{ Body: Body }>('/', {
      schema: { body: { type: 'object', properties: { other: { type: 'number' } } } }
    }, async (req) => {
      expect(req.body).type.toBe<Body>()
      expect(req.query).type.toBe<unknown>()
    })
  })

  test('with the handler among the options, and with route()', () => {
    app.get<{ Querystring: Query, Reply: Reply }>('/', {
      schema: { querystring: { type: 'object', properties: { page: { type: 'integer' } } } },
      handler: async (req) => {
        expect(req.query).type.toBe<Query>()
        return { ok: true }
      }
    })
    app.route<{ Params: Params }>({
      method: 'GET',
      url: '/:id',
      handler: async (req) => { expect(req.params).type.toBe<Params>() }
    })
  })

  test('a Reply map by status code', () => {
    app.get<{ Reply: { 200: { ok: true }, '4xx': { error: string } } }>('/', async (_req, reply) => {
      reply.code(200).send({ ok: true })
      reply.code(404).send({ error: 'missing' })
      expect(reply.code(404).send).type.not.toBeCallableWith({ ok: true })
      return { error: 'x' }
    })
  })

  test('the return type is checked against Reply', () => {
    // @ts-expect-error Type 'number' is not assignable to type 'boolean' -- ok must be a boolean
    app.get<{ Reply: Reply }>('/', async () => ({ ok: 1 }))
  })

  test('handlers typed apart with RouteHandler, VeloxRequest and VeloxReply', () => {
    const handler: RouteHandler<{ Params: Params, Reply: Reply }> = async (req) => {
      expect(req.params.id).type.toBe<string>()
      return { ok: true }
    }
    app.get('/:id', handler)

    app.post('/', { schema: { body: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } } } }, handler)
    app.get('/:id', { handler, schema: { response: { 200: { type: 'object' } } } })

    interface CreateRoute { Body: Body, Reply: Reply }
    async function named (req: VeloxRequest<CreateRoute>, reply: VeloxReply<CreateRoute>): Promise<void> {
      expect(req.body.title).type.toBe<string>()
      reply.send({ ok: true })
    }
    app.post('/', named)
    app.post('/', { schema: { body: { type: 'object', properties: { title: { type: 'string' } } } } }, named)
  })

  test('the types a handler typed apart declares win over the schema, as explicit generics do', () => {
    // The route's types are inferred from the handler, part by part, and those
    // parts are not checked against the schema: as in Fastify, declared types
    // are trusted.
    const handler: RouteHandler<{ Params: { id: number } }> = async (req) => {
      expect(req.params.id).type.toBe<number>()
    }
    app.get('/:id', { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } }, handler)
  })
})
