import { describe, expect, test } from 'tstyche'
import type { FromSchema, JSONSchema } from '../../types/index.js'

// Captures a schema literal the way route options do, with a const type parameter.
declare function infer<const S> (schema: S): FromSchema<S>
declare function inferOutput<const S> (schema: S): FromSchema<S, {}, 'output'>
declare function inferWith<Refs> (): <const S>(schema: S) => FromSchema<S, Refs>

describe('type', () => {
  test('primitive type names map to TypeScript primitives', () => {
    expect(infer({ type: 'string' })).type.toBe<string>()
    expect(infer({ type: 'number' })).type.toBe<number>()
    expect(infer({ type: 'boolean' })).type.toBe<boolean>()
    expect(infer({ type: 'null' })).type.toBe<null>()
  })

  test('integer is a number', () => {
    expect(infer({ type: 'integer', minimum: 0 })).type.toBe<number>()
  })

  test('format leaves a string a string on input', () => {
    expect(infer({ type: 'string', format: 'email' })).type.toBe<string>()
    expect(infer({ type: 'string', format: 'date-time' })).type.toBe<string>()
  })

  test('a date format also accepts a Date on output, which the serializer formats', () => {
    expect(inferOutput({ type: 'string', format: 'date-time' })).type.toBe<string | Date>()
    expect(inferOutput({ type: 'string', format: 'uuid' })).type.toBe<string>()
  })

  test('an array of type names is a union', () => {
    expect(infer({ type: ['string', 'null'] })).type.toBe<string | null>()
    expect(infer({ type: ['integer', 'boolean'] })).type.toBe<number | boolean>()
  })

  test('nullable adds null', () => {
    expect(infer({ type: 'string', nullable: true })).type.toBe<string | null>()
    expect(infer({ type: 'string', nullable: false })).type.toBe<string>()
  })

  test('boolean schemas accept anything or nothing', () => {
    expect(infer(true)).type.toBe<unknown>()
    expect(infer(false)).type.toBe<never>()
  })
})

describe('objects', () => {
  test('properties listed in required are required, the others optional', () => {
    expect(infer({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, age: { type: 'integer' } }
    })).type.toBe<{ name: string, age?: number }>()
  })

  test('a property with a default is present after validation', () => {
    expect(infer({
      type: 'object',
      properties: { limit: { type: 'integer', default: 10 }, cursor: { type: 'string' } }
    })).type.toBe<{ limit: number, cursor?: string }>()
  })

  test('a property with a default may be left out of a reply', () => {
    expect(inferOutput({
      type: 'object',
      properties: { limit: { type: 'integer', default: 10 } }
    })).type.toBe<{ limit?: number }>()
  })

  test('nested objects infer recursively', () => {
    expect(infer({
      type: 'object',
      required: ['address'],
      properties: {
        address: { type: 'object', required: ['city'], properties: { city: { type: 'string' }, zip: { type: 'string' } } }
      }
    })).type.toBe<{ address: { city: string, zip?: string } }>()
  })

  test('properties without type are read as an object', () => {
    expect(infer({ required: ['a'], properties: { a: { type: 'number' } } })).type.toBe<{ a: number }>()
  })

  test('a required key missing from properties is present with an unknown type', () => {
    expect(infer({ type: 'object', required: ['a', 'b'], properties: { a: { type: 'number' } } }))
      .type.toBe<{ a: number, b: unknown }>()
  })

  test('additionalProperties false closes the object', () => {
    const value = infer({ type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } })
    expect(value).type.toBe<{ a?: string }>()
    expect(value).type.not.toHaveProperty('b')
  })

  test('additionalProperties left out also gives a closed type, so typos are caught', () => {
    const value = infer({ type: 'object', properties: { name: { type: 'string' } } })
    expect(value).type.not.toHaveProperty('nmae')
  })

  test('additionalProperties as a schema types the extra keys', () => {
    expect(infer({ type: 'object', additionalProperties: { type: 'number' } }))
      .type.toBe<{ [key: string]: number }>()
  })

  test('additionalProperties true allows unknown extra keys', () => {
    const value = infer({ type: 'object', required: ['a'], additionalProperties: true, properties: { a: { type: 'string' } } })
    expect(value.a).type.toBe<string>()
    expect(value.other).type.toBe<unknown>()
  })

  test('patternProperties types every key', () => {
    expect(infer({ type: 'object', patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }))
      .type.toBe<{ [key: string]: string }>()
  })

  test('an object with no properties is a string-keyed record', () => {
    expect(infer({ type: 'object' })).type.toBe<{ [key: string]: unknown }>()
  })

  test('property types are mutable even though the schema literal is readonly', () => {
    const value = infer({ type: 'object', required: ['tags'], properties: { tags: { type: 'array', items: { type: 'string' } } } })
    expect(value).type.toBe<{ tags: string[] }>()
  })
})

describe('arrays', () => {
  test('items types the elements', () => {
    expect(infer({ type: 'array', items: { type: 'string' } })).type.toBe<string[]>()
  })

  test('arrays a reply sends are readonly, so readonly literals fit', () => {
    expect(inferOutput({ type: 'array', items: { type: 'string' } })).type.toBe<readonly string[]>()
    expect(inferOutput({ type: 'array', prefixItems: [{ type: 'string' }], minItems: 1, items: false })).type.toBe<readonly [string]>()
  })

  test('an array without items holds unknown values', () => {
    expect(infer({ type: 'array' })).type.toBe<unknown[]>()
  })

  test('prefixItems with minItems and items false is a closed tuple', () => {
    expect(infer({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], minItems: 2, items: false }))
      .type.toBe<[string, number]>()
  })

  test('prefixItems elements past minItems are optional, and items types the rest', () => {
    expect(infer({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], minItems: 1, items: { type: 'boolean' } }))
      .type.toBe<[string, number?, ...boolean[]]>()
  })

  test('draft-07 tuples: items as an array and additionalItems', () => {
    expect(infer({ type: 'array', items: [{ type: 'string' }, { type: 'integer' }], minItems: 2, additionalItems: false }))
      .type.toBe<[string, number]>()
  })
})

describe('enum and const', () => {
  test('enum is the union of its values', () => {
    expect(infer({ enum: ['a', 'b', 1] })).type.toBe<'a' | 'b' | 1>()
    expect(infer({ type: 'string', enum: ['on', 'off'] })).type.toBe<'on' | 'off'>()
  })

  test('const is its value', () => {
    expect(infer({ const: 'fixed' })).type.toBe<'fixed'>()
    expect(infer({ type: 'number', const: 3 })).type.toBe<3>()
  })

  test('nullable applies to enum too', () => {
    expect(infer({ type: 'string', enum: ['a'], nullable: true })).type.toBe<'a' | null>()
  })
})

describe('combinators', () => {
  test('anyOf and oneOf are unions', () => {
    expect(infer({ anyOf: [{ type: 'string' }, { type: 'integer' }] })).type.toBe<string | number>()
    expect(infer({ oneOf: [{ const: 'a' }, { type: 'object', required: ['b'], properties: { b: { type: 'boolean' } } }] }))
      .type.toBe<'a' | { b: boolean }>()
  })

  test('allOf is an intersection', () => {
    const value = infer({
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
        { type: 'object', required: ['b'], properties: { b: { type: 'number' } } }
      ]
    })
    expect(value).type.toBeAssignableTo<{ a: string, b: number }>()
    expect<{ a: string, b: number }>().type.toBeAssignableTo(value)
  })

  test('anyOf members refine the sibling object keywords', () => {
    const value = infer({
      type: 'object',
      properties: { email: { type: 'string' }, phone: { type: 'string' } },
      anyOf: [{ required: ['email'] }, { required: ['phone'] }]
    })
    expect<{ email: string, phone?: string }>().type.toBeAssignableTo(value)
    expect<{ phone: string }>().type.toBeAssignableTo(value)
    expect<{}>().type.not.toBeAssignableTo(value)
  })
})

describe('degrading', () => {
  test('unknown keywords are ignored', () => {
    expect(infer({ type: 'string', 'x-internal': true, minLength: 1, pattern: '^a' })).type.toBe<string>()
  })

  test('a schema with nothing to read is unknown, never an error', () => {
    expect(infer({})).type.toBe<unknown>()
    expect(infer({ not: { type: 'string' } })).type.toBe<unknown>()
    expect(infer({ type: 'custom' })).type.toBe<unknown>()
  })

  test('a schema whose literal types were widened is unknown', () => {
    const _widened: { type: string } = { type: 'string' }
    expect<FromSchema<typeof _widened>>().type.toBe<unknown>()
  })

  test('a schema typed as JSONSchema or any is unknown', () => {
    expect<FromSchema<JSONSchema>>().type.toBe<unknown>()
    expect<FromSchema<any>>().type.toBe<unknown>()
  })

  test('a $ref nobody declared is unknown', () => {
    expect(infer({ $ref: 'Nobody#' })).type.toBe<unknown>()
  })
})

describe('$ref', () => {
  interface Refs {
    Address: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } }
    'http://example.com/tag.json': { type: 'string', enum: ['a', 'b'] }
  }
  const withRefs = inferWith<Refs>()

  test('$ref to a shared schema by $id, with or without #', () => {
    expect(withRefs({ $ref: 'Address#' })).type.toBe<{ city: string }>()
    expect(withRefs({ $ref: 'Address' })).type.toBe<{ city: string }>()
    expect(withRefs({ $ref: 'http://example.com/tag.json#' })).type.toBe<'a' | 'b'>()
  })

  test('$ref with a JSON pointer into a shared schema', () => {
    expect(withRefs({ $ref: 'Address#/properties/city' })).type.toBe<string>()
  })

  test('$ref inside properties and items', () => {
    expect(withRefs({
      type: 'object',
      required: ['home'],
      properties: { home: { $ref: 'Address#' }, others: { type: 'array', items: { $ref: 'Address#' } } }
    })).type.toBe<{ home: { city: string }, others?: Array<{ city: string }> }>()
  })

  test('local $ref into $defs', () => {
    expect(infer({
      type: 'object',
      required: ['id'],
      properties: { id: { $ref: '#/$defs/id' } },
      $defs: { id: { type: 'integer' } }
    })).type.toBe<{ id: number }>()
  })

  test('a schema that refers to itself is cut off, not an error', () => {
    interface TreeRefs {
      Node: { type: 'object', required: ['children'], properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: 'Node#' } } } }
    }
    const tree = inferWith<TreeRefs>()({ $ref: 'Node#' })
    expect(tree.children[0]!.children[0]!.value).type.toBe<string | undefined>()
  })
})

describe('JSONSchema', () => {
  test('accepts JSON Schema with any extra keyword', () => {
    expect({ type: 'object', properties: { a: { type: 'string' } }, 'x-extension': 1 } as const).type.toBeAssignableTo<JSONSchema>()
  })

  test('rejects a keyword of the wrong type', () => {
    expect({ type: 'object', required: 'name' } as const).type.not.toBeAssignableTo<JSONSchema>()
  })
})
