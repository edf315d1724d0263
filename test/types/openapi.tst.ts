import { describe, expect, test } from 'tstyche'
import type { OpenApiServeOptions } from '../../lib/openapi/routes.js'
import type { OpenApiDocument, OpenApiServerOptions, VeloxInstance, VeloxServerOptions } from '../../types/index.js'

declare const app: VeloxInstance

describe('OpenAPI types', () => {
  test('the openapi server option is the serving options of lib/openapi', () => {
    expect<OpenApiServerOptions>().type.toBe<OpenApiServeOptions>()
    expect<VeloxServerOptions['openapi']>().type.toBe<boolean | OpenApiServerOptions | undefined>()
  })

  test('route options carry the operation fields', () => {
    app.get('/', {
      summary: 'Lists users',
      description: 'All of them',
      tags: ['users'],
      operationId: 'listUsers',
      deprecated: false,
      security: [{ bearer: [] }],
      hide: false
    }, async () => [])
    app.get('/', { schema: { summary: 'Lists users', tags: ['users'], hide: true } }, async () => [])
  })

  test('openapi() returns the document', () => {
    expect(app.openapi()).type.toBe<OpenApiDocument>()
    expect(app.openapi().openapi).type.toBe<'3.1.0'>()
  })
})
