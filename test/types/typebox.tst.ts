import { Type as Tb } from '@sinclair/typebox'
import { describe, expect, test } from 'tstyche'
import { Type } from 'typebox'
import type { FromSchema, VeloxInstance } from '../../types/index.js'

declare const app: VeloxInstance

describe('TypeBox 0.34 (@sinclair/typebox)', () => {
  const Body = Tb.Object({
    name: Tb.String(),
    age: Tb.Optional(Tb.Integer()),
    role: Tb.Union([Tb.Literal('admin'), Tb.Literal('user')]),
    tags: Tb.Array(Tb.String())
  })

  test('a schema\'s static type is used as is', () => {
    expect<FromSchema<typeof Body>>().type.toBe<{ name: string, age?: number, role: 'admin' | 'user', tags: string[] }>()
  })

  test('request and reply types come from TypeBox schemas', () => {
    app.post('/users', {
      schema: {
        body: Body,
        querystring: Tb.Object({ dryRun: Tb.Optional(Tb.Boolean()) }),
        response: { 201: Tb.Object({ id: Tb.Integer() }) }
      }
    }, async (req, reply) => {
      expect(req.body.role).type.toBe<'admin' | 'user'>()
      expect(req.query.dryRun).type.toBe<boolean | undefined>()
      expect(reply.code(201).send).type.not.toBeCallableWith({ id: 'one' })
      return { id: 1 }
    })
  })

  test('TypeBox schemas nest inside plain JSON Schema', () => {
    app.post('/', {
      schema: { body: { type: 'object', required: ['user'], properties: { user: Body } } }
    }, async (req) => {
      expect(req.body.user.name).type.toBe<string>()
    })
  })

  test('Type.Unsafe carries the type it is given', () => {
    expect<FromSchema<ReturnType<typeof Tb.Unsafe<{ custom: true }>>>>().type.toBe<{ custom: true }>()
  })
})

describe('TypeBox 1.x (typebox)', () => {
  const Body = Type.Object({
    name: Type.String(),
    age: Type.Optional(Type.Integer()),
    role: Type.Union([Type.Literal('admin'), Type.Literal('user')]),
    tags: Type.Array(Type.String()),
    pair: Type.Tuple([Type.String(), Type.Number()]),
    scores: Type.Record(Type.String(), Type.Number()),
    note: Type.Union([Type.String(), Type.Null()])
  })

  test('schemas are read as the JSON Schema they are', () => {
    expect<FromSchema<typeof Body>>().type.toBe<{
      name: string
      age?: number
      role: 'admin' | 'user'
      tags: string[]
      pair: [string, number]
      scores: { [key: string]: number }
      note: string | null
    }>()
  })

  test('request and reply types come from TypeBox schemas', () => {
    app.post('/users', {
      schema: { body: Body, response: { 201: Type.Object({ id: Type.Integer() }) } }
    }, async (req, reply) => {
      expect(req.body.pair).type.toBe<[string, number]>()
      expect(reply.code(201).send).type.not.toBeCallableWith({ id: 'one' })
      return { id: 1 }
    })
  })

  test('Type.Unsafe carries the type it is given', () => {
    const _custom = Type.Unsafe<{ custom: true }>(Type.Object({}))
    expect<FromSchema<typeof _custom>>().type.toBe<{ custom: true }>()
  })
})
