import { describe, expect, test } from 'tstyche'
import type { FastifyReply, FastifyRequest, VeloxInstance, VeloxReply } from '../../types/index.js'

declare const app: VeloxInstance

const user = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } } as const
const problem = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } as const

describe('reply.code(n).send() is checked against the response schema for n', () => {
  test('the exact status code', () => {
    app.post('/users', { schema: { response: { 201: user, 404: problem } } }, async (_req, reply) => {
      reply.code(201).send({ id: 1, name: 'Ada' })
      reply.code(404).send({ message: 'no such user' })
      // @ts-expect-error 'message' does not exist in type '{ id: number; name: string; }' -- 201 sends a user
      reply.code(201).send({ message: 'wrong shape' })
      // @ts-expect-error Type 'string' is not assignable to type 'number' -- id is an integer
      reply.code(201).send({ id: 'one', name: 'Ada' })
    })
  })

  test('status() is code()', () => {
    app.get('/', { schema: { response: { 200: user } } }, async (_req, reply) => {
      reply.status(200).send({ id: 1, name: 'Ada' })
      expect(reply.status(200).send).type.not.toBeCallableWith({ id: 1 })
    })
  })

  test('falls back to the status class, then default, as at runtime', () => {
    app.get('/', { schema: { response: { 200: user, '4xx': problem, default: { type: 'string' } } } }, async (_req, reply) => {
      reply.code(200).send({ id: 1, name: 'Ada' })
      reply.code(404).send({ message: 'missing' })
      reply.code(422).send({ message: 'invalid' })
      reply.code(500).send('boom')
      expect(reply.code(404).send).type.not.toBeCallableWith('text')
      expect(reply.code(503).send).type.not.toBeCallableWith({ message: 'x' })
    })
  })

  test('a status the schema does not cover is not checked', () => {
    app.get('/', { schema: { response: { 200: user } } }, async (_req, reply) => {
      reply.code(500).send({ anything: 'goes' })
    })
  })

  test('a status known only at run time accepts any declared payload', () => {
    app.get('/', { schema: { response: { 200: user, 404: problem } } }, async (_req, reply) => {
      const status: number = 404
      reply.code(status).send({ message: 'missing' })
      reply.code(status).send({ id: 1, name: 'Ada' })
      expect(reply.code(status).send).type.not.toBeCallableWith({ other: true })
    })
  })

  test('send() without code() accepts any declared payload', () => {
    app.get('/', { schema: { response: { 200: user, 404: problem } } }, async (_req, reply) => {
      reply.send({ id: 1, name: 'Ada' })
      reply.send({ message: 'missing' })
      expect(reply.send).type.not.toBeCallableWith({ other: true })
    })
  })

  test('the status set survives chained calls', () => {
    app.get('/', { schema: { response: { 201: user } } }, async (_req, reply) => {
      reply.code(201).header('location', '/users/1').type('application/json').send({ id: 1, name: 'Ada' })
      expect(reply.code(201).header('x', 'y').send).type.not.toBeCallableWith({ id: 1 })
    })
  })

  test('a response given per content type accepts any of its schemas', () => {
    app.get('/', {
      schema: {
        response: {
          200: {
            description: 'the user',
            content: { 'application/json': { schema: user }, 'text/plain': { schema: { type: 'string' } } }
          }
        }
      }
    }, async (_req, reply) => {
      reply.code(200).send({ id: 1, name: 'Ada' })
      reply.code(200).send('Ada')
      expect(reply.code(200).send).type.not.toBeCallableWith(42)
    })
  })

  test('a date-time string may be sent as a Date', () => {
    app.get('/', {
      schema: { response: { 200: { type: 'object', required: ['at'], properties: { at: { type: 'string', format: 'date-time' } } } } }
    }, async () => ({ at: new Date() }))
  })
})

describe('the handler return value', () => {
  test('is checked against the response schemas', () => {
    app.post('/users', { schema: { response: { 201: user } } }, async (_req, reply) => {
      reply.code(201)
      return { id: 1, name: 'Ada' }
    })
  })

  test('a wrong return type is an error', () => {
    // @ts-expect-error Type 'string' is not assignable to type 'number' -- id is an integer
    app.post('/users', { schema: { response: { 201: user } } }, async (_req, reply) => {
      reply.code(201)
      return { id: 'one', name: 'Ada' }
    })
    // @ts-expect-error Type 'string' is not assignable to type 'number' -- id is an integer
    app.post('/users', { schema: { response: { 201: user } } }, async () => ({ id: 'one', name: 'Ada' }))
  })

  test('undeclared properties are not reported, the serializer drops them', () => {
    // TypeScript checks excess properties only where a literal meets its
    // target type directly; send() takes its payload through a type parameter
    // (which keeps replies covariant) and a returned literal meets the
    // return type through the inferred one.
    app.get('/', { schema: { response: { 200: user } } }, async (_req, reply) => {
      reply.send({ id: 1, name: 'Ada', password: 'secret' })
    })
    app.get('/', { schema: { response: { 200: user } } }, async () => ({ id: 1, name: 'Ada', password: 'secret' }))
  })

  test('a missing required property is reported', () => {
    app.get('/', { schema: { response: { 200: user } } }, async (_req, reply) => {
      expect(reply.code(200).send).type.not.toBeCallableWith({ id: 1 })
    })
  })

  test('any declared status payload may be returned, since the status is set apart', () => {
    app.get('/', { schema: { response: { 200: user, 404: problem } } }, async (_req, reply) => {
      if (Math.random() > 0.5) {
        reply.code(404)
        return { message: 'missing' }
      }
      return { id: 1, name: 'Ada' }
    })
  })

  test('returning nothing, or the reply, is allowed', () => {
    app.get('/', { schema: { response: { 200: user } } }, async (_req, reply) => {
      reply.send({ id: 1, name: 'Ada' })
    })
    app.get('/', { schema: { response: { 200: user } } }, async (_req, reply) => {
      return reply.code(200).send({ id: 1, name: 'Ada' })
    })
    app.get('/', { schema: { response: { 200: user } } }, (_req, reply) => reply.send({ id: 1, name: 'Ada' }))
  })

  test('synchronous handlers are checked the same way', () => {
    app.get('/', { schema: { response: { 200: user } } }, () => ({ id: 1, name: 'Ada' }))
    // @ts-expect-error Type 'number' is not assignable to type 'string' -- name is a string
    app.get('/', { schema: { response: { 200: user } } }, () => ({ id: 1, name: 2 }))
  })
})

describe('literal types in return values', () => {
  const status = {
    type: 'object',
    required: ['status', 'tags'],
    properties: {
      status: { enum: ['active', 'disabled'] },
      kind: { const: 'user' },
      tags: { type: 'array', items: { type: 'string' } }
    }
  } as const

  test('a returned enum or const value keeps its literal type', () => {
    app.get('/', { schema: { response: { 200: status } } }, async () => ({ status: 'active', kind: 'user', tags: [] }))
    app.get('/', { schema: { response: { 200: status } } }, () => ({ status: 'disabled', tags: ['a'] }))
    app.get('/', { schema: { response: { 200: status } } }, async (req) => {
      if (req.id === '') return { status: 'disabled', tags: [] }
      return { status: 'active', tags: ['a', 'b'] }
    })
    app.get('/', { schema: { response: { 200: status } }, handler: async () => ({ status: 'active', tags: [] }) })
    app.route({ method: 'GET', url: '/', schema: { response: { 200: status } }, handler: async () => ({ status: 'active', tags: [] }) })
  })

  test('a value outside the enum is an error', () => {
    // @ts-expect-error Type '"deleted"' is not assignable to type '"active" | "disabled"' -- not in the enum
    app.get('/', { schema: { response: { 200: status } } }, async () => ({ status: 'deleted', tags: [] }))
  })

  test('returned arrays and tuples fit array schemas', () => {
    app.get('/', { schema: { response: { 200: { type: 'array', items: user } } } }, async () => [{ id: 1, name: 'Ada' }])
    app.get('/', {
      schema: { response: { 200: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], minItems: 2, items: false } } }
    }, async () => ['a', 1])
    const names: string[] = []
    app.get('/', { schema: { response: { 200: { type: 'array', items: { type: 'string' } } } } }, async () => names)
  })
})

describe('replies outside their route', () => {
  test('a reply of a route with a schema is a VeloxReply and a FastifyReply', () => {
    function notFound (reply: VeloxReply): void { reply.code(404).send({ message: 'not found' }) }
    function fastifyStyle (reply: FastifyReply): void { reply.code(500).send() }
    app.get('/', { schema: { response: { 200: user } } }, async (_req, reply) => {
      notFound(reply)
      fastifyStyle(reply)
      return { id: 1, name: 'Ada' }
    })
  })

  test('a handler typed with FastifyRequest and FastifyReply fits a route with a schema', () => {
    async function handler (req: FastifyRequest<{ Body: { name: string } }>, reply: FastifyReply): Promise<void> {
      reply.send(req.body.name)
    }
    app.post('/', { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } }, handler)
    app.post('/', { schema: { response: { 200: { type: 'string' } } } }, handler)
    app.post('/', handler)
  })

  test('a hook typed apart fits routes with schemas', () => {
    async function authenticate (req: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (req.headers.authorization === undefined) reply.code(401).send({ message: 'unauthorized' })
    }
    app.get('/', { schema: { response: { 200: user } }, preHandler: authenticate }, async () => ({ id: 1, name: 'Ada' }))
    app.addHook('onRequest', authenticate)
  })
})

describe('the reply interface', () => {
  test('members as in Fastify', () => {
    app.get('/', async (_req, reply) => {
      expect(reply.statusCode).type.toBe<number>()
      expect(reply.sent).type.toBe<boolean>()
      expect(reply.elapsedTime).type.toBe<number>()
      expect(reply.mediaType).type.toBe<string | undefined>()
      expect(reply.request.mediaType).type.toBe<string | undefined>()
      expect(reply.getHeader('x')).type.toBe<number | string | string[] | undefined>()
      expect(reply.hasHeader('x')).type.toBe<boolean>()
      expect(reply.serialize({ a: 1 })).type.toBe<string>()
      expect(reply.headers({ 'x-a': '1', 'x-b': 2 })).type.toBe<typeof reply>()
      expect(reply.removeHeader('x')).type.toBe<typeof reply>()
      expect(reply.redirect('/elsewhere', 301)).type.toBe<typeof reply>()
      expect(reply.hijack()).type.toBe<typeof reply>()
      expect(reply.trailer('etag', async () => '"v1"')).type.toBe<typeof reply>()
      expect(reply.trailer('x-len', (_reply, _payload, done) => { done(null, '1') })).type.toBe<typeof reply>()
      expect(reply.hasTrailer('etag')).type.toBe<boolean>()
      expect(reply.removeTrailer('etag')).type.toBe<typeof reply>()
      expect(reply.callNotFound()).type.toBe<void>()
      expect(reply.raw.writeHead).type.toBeCallableWith(200)
      expect(reply.request.url).type.toBe<string>()
      expect(reply.server).type.toBe<VeloxInstance>()
      expect(reply.getSerializationFunction(200)).type.toBe<((data: unknown) => string) | undefined>()
      expect(reply.compileSerializationSchema({ type: 'string' })).type.toBe<(data: unknown) => string>()
      expect(reply.log.info).type.toBeCallableWith('message')
    })
  })

  test('awaiting a reply gives undefined', () => {
    app.get('/', async (_req, reply) => {
      expect(await reply).type.toBe<undefined>()
    })
  })

  test('VeloxReply takes route types like FastifyReply', () => {
    expect<VeloxReply<{ Reply: { ok: boolean } }>['send']>().type.toBeCallableWith({ ok: true })
    expect<VeloxReply<{ Reply: { ok: boolean } }>['send']>().type.not.toBeCallableWith({ ok: 1 })
  })
})
