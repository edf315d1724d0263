import { describe, expect, test } from 'tstyche'
import { z } from 'zod'
import * as v from 'valibot'
import { toStandardJsonSchema } from '@valibot/to-json-schema'
import { type } from 'arktype'
import type { FromSchema, StandardSchemaV1, VeloxInstance } from '../../types/index.js'

declare const app: VeloxInstance

describe('Zod 4', () => {
  test('request parts have Zod\'s output types', () => {
    app.post('/users/:id', {
      schema: {
        params: z.object({ id: z.coerce.number() }),
        querystring: z.object({ verbose: z.enum(['yes', 'no']).default('no') }),
        body: z.object({ name: z.string(), age: z.number().int().optional(), at: z.string().transform((s) => new Date(s)) })
      }
    }, async (req) => {
      expect(req.params).type.toBe<{ id: number }>()
      expect(req.query).type.toBe<{ verbose: 'yes' | 'no' }>()
      expect(req.body).type.toBe<{ name: string, age?: number | undefined, at: Date }>()
    })
  })

  test('replies and return values are checked against the response schemas', () => {
    const user = z.object({ id: z.number(), name: z.string() })
    app.get('/users', { schema: { response: { 200: user, 404: z.object({ message: z.string() }) } } }, async (_req, reply) => {
      expect(reply.code(404).send).type.toBeCallableWith({ message: 'missing' })
      expect(reply.code(200).send).type.not.toBeCallableWith({ id: 'one', name: 'Ada' })
      return { id: 1, name: 'Ada' }
    })
    // @ts-expect-error Type 'string' is not assignable to type 'number' -- id is a number
    app.get('/users', { schema: { response: { 200: user } } }, () => ({ id: 'one', name: 'Ada' }))
  })

  test('FromSchema reads a Zod schema', () => {
    const user = z.object({ id: z.number() })
    expect<FromSchema<typeof user>>().type.toBe<{ id: number }>()
    expect(user).type.toBeAssignableTo<StandardSchemaV1>()
  })
})

describe('Valibot', () => {
  test('with or without its JSON Schema converter, the output type', () => {
    app.post('/items', {
      schema: {
        body: toStandardJsonSchema(v.object({ name: v.string(), count: v.optional(v.number(), 1) })),
        querystring: v.object({ q: v.optional(v.string()) })
      }
    }, async (req) => {
      expect(req.body).type.toBe<{ name: string, count: number }>()
      expect(req.query).type.toBe<{ q?: string | undefined }>()
    })
  })
})

describe('ArkType', () => {
  test('request parts and replies', () => {
    app.post('/users', {
      schema: {
        body: type({ name: 'string', 'age?': 'number.integer' }),
        response: { 201: type({ id: 'number' }) }
      }
    }, async (req, reply) => {
      expect(req.body).type.toBe<{ name: string, age?: number }>()
      return reply.code(201).send({ id: 1 })
    })
  })
})

describe('mixed with JSON Schema', () => {
  test('a Standard Schema part next to JSON Schema parts', () => {
    app.get('/:id', {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        querystring: z.object({ page: z.coerce.number().default(1) })
      }
    }, async (req) => {
      expect(req.params).type.toBe<{ id: number }>()
      expect(req.query).type.toBe<{ page: number }>()
    })
  })
})
