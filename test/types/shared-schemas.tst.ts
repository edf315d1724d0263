import { describe, expect, test } from 'tstyche'
import type { VeloxInstance } from '../../types/index.js'

declare const app: VeloxInstance

describe('addSchema', () => {
  const withUser = app
    .addSchema({
      $id: 'User',
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        address: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } }
      }
    })
    .addSchema({ $id: 'http://example.com/id.json', type: 'integer' })

  test('$ref to a schema added on the instance infers, with or without #', () => {
    withUser.post('/users', { schema: { body: { $ref: 'User#' } } }, async (req) => {
      expect(req.body).type.toBe<{ name: string, address?: { city: string } }>()
    })
    withUser.post('/users', { schema: { body: { $ref: 'User' } } }, async (req) => {
      expect(req.body.name).type.toBe<string>()
    })
  })

  test('$ref with a JSON pointer, and to an $id that is a URI', () => {
    withUser.get('/:id', {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { $ref: 'http://example.com/id.json#' } } },
        querystring: { type: 'object', properties: { address: { $ref: 'User#/properties/address' } } }
      }
    }, async (req) => {
      expect(req.params.id).type.toBe<number>()
      expect(req.query.address).type.toBe<{ city: string } | undefined>()
    })
  })

  test('$ref in a response schema checks what is sent', () => {
    withUser.get('/me', { schema: { response: { 200: { $ref: 'User#' } } } }, async (_req, reply) => {
      reply.code(200).send({ name: 'Ada' })
      expect(reply.code(200).send).type.not.toBeCallableWith({ name: 1 })
      return { name: 'Ada', address: { city: 'London' } }
    })
  })

  test('plugins registered from the instance resolve the same references', () => {
    withUser.register(async (child) => {
      child.post('/', { schema: { body: { $ref: 'User#' } } }, async (req) => {
        expect(req.body.name).type.toBe<string>()
      })
    })
  })

  test('an instance that was not given the schema does not know it', () => {
    app.post('/users', { schema: { body: { $ref: 'User#' } } }, async (req) => {
      expect(req.body).type.toBe<unknown>()
    })
  })

  test('getSchema returns the schema for a known $id', () => {
    expect(withUser.getSchema('http://example.com/id.json')).type.toBe<{ readonly $id: 'http://example.com/id.json', readonly type: 'integer' }>()
    expect(withUser.getSchema('Other')).type.toBe<unknown>()
    expect(app.getSchemas()).type.toBe<Record<string, unknown>>()
  })

  test('a schema without a literal $id is accepted and not remembered', () => {
    const id: string = 'Dynamic'
    const same = app.addSchema({ $id: id, type: 'string' })
    expect(same).type.toBe<VeloxInstance>()
  })

  test('an instance with shared schemas is still a VeloxInstance', () => {
    expect(withUser).type.toBeAssignableTo<VeloxInstance>()
  })
})
