import { expect, test } from 'tstyche'
import velox, { errorCodes } from '../../lib/index.js'
import type { FastifyInstance, VeloxInstance } from '../../lib/index.js'

test('the package entry returns a typed instance and re-exports the public types', () => {
  const app = velox({ logger: false, bodyLimit: 1024 })
  expect(app).type.toBeAssignableTo<VeloxInstance>()
  expect(app).type.toBeAssignableTo<FastifyInstance>()
  app.post('/users', {
    schema: {
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      response: { 201: { type: 'object', properties: { id: { type: 'integer' } } } }
    }
  }, async (request, reply) => {
    expect(request.body).type.toBe<{ name: string }>()
    return reply.code(201).send({ id: 1 })
  })
})

test('factory options are checked', () => {
  // @ts-expect-error is not assignable to type 'number' -- a string is not a byte count
  velox({ bodyLimit: '1mb' })
})

test('errorCodes holds constructors of coded errors', () => {
  const err = new errorCodes.FST_ERR_NOT_FOUND()
  expect(err.code).type.toBe<string>()
  expect(err.statusCode).type.toBe<number>()
})
