import { describe, expect, test } from 'tstyche'
import type { VeloxInstance } from '../../../types/index.js'

// Kept in its own directory and TSConfig project: declaration merging is
// global to a program, and would leak into the other type tests.
//
// What users write as `declare module 'velox' { ... }`; the tests reach the
// same interfaces through the module that declares them.
declare module '../../../types/index.js' {
  interface VeloxDecorators {
    config: { port: number }
  }
  interface VeloxRequestDecorators {
    user: { id: string } | null
  }
  interface VeloxReplyDecorators {
    render (template: string): string
  }
  interface VeloxSchemas {
    Tag: { type: 'string', enum: ['a', 'b'] }
  }
  interface VeloxContextConfig {
    rateLimit?: number
  }
}

declare const app: VeloxInstance

describe('declaration merging', () => {
  test('decorators declared on VeloxDecorators are on every instance', () => {
    expect(app.config.port).type.toBe<number>()
    app.register(async (child) => {
      expect(child.config).type.toBe<{ port: number }>()
    })
  })

  test('a value for a declared decorator must have its type', () => {
    app.decorate('config', { port: 3000 })
    expect(app.decorate).type.not.toBeCallableWith('config', { port: '3000' })
  })

  test('request and reply decorators declared on the interfaces are everywhere', () => {
    app.get('/', async (req, reply) => {
      expect(req.user).type.toBe<{ id: string } | null>()
      expect(reply.render('x')).type.toBe<string>()
    })
    app.addHook('onRequest', async (req) => {
      expect(req.user).type.toBe<{ id: string } | null>()
    })
  })

  test('schemas declared on VeloxSchemas resolve in every route', () => {
    app.get('/', { schema: { querystring: { type: 'object', properties: { tag: { $ref: 'Tag#' } } } } }, async (req) => {
      expect(req.query.tag).type.toBe<'a' | 'b' | undefined>()
    })
  })

  test('route config declared on VeloxContextConfig', () => {
    app.get('/', async (req) => {
      expect(req.routeOptions.config.rateLimit).type.toBe<number | undefined>()
    })
  })
})
