import cors from '@fastify/cors'
import type { FastifyInstance as RealFastifyInstance, FastifyPluginAsync as RealFastifyPluginAsync, FastifyPluginCallback as RealFastifyPluginCallback } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import { describe, expect, test } from 'tstyche'
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  VeloxInstance,
  VeloxPluginAsync,
  VeloxPluginCallback,
  VeloxState
} from '../../types/index.js'

declare const app: VeloxInstance

describe('Velox plugins', () => {
  test('an inline async plugin gets a child instance', () => {
    app.register(async (child, options) => {
      expect(child).type.toBe<VeloxInstance>()
      expect(options).type.toBe<{}>()
    })
  })

  test('an inline callback plugin gets done', () => {
    app.register((child, _options, done) => {
      child.get('/', async () => 'ok')
      done()
    })
  })

  test('options of an inline plugin are typed from the options passed', () => {
    app.register(async (_child, options) => {
      expect(options.greeting).type.toBe<string>()
    }, { greeting: 'hi', prefix: '/v1' })
  })

  test('options may be computed from the parent instance', () => {
    app.register(async () => {}, (parent) => ({ prefix: `${parent.prefix}/v1` }))
  })

  test('typed plugins check their options', () => {
    const plugin: VeloxPluginAsync<{ greeting: string }> = async (_child, options) => {
      expect(options.greeting).type.toBe<string>()
    }
    app.register(plugin, { greeting: 'hi' })
    app.register(plugin, { greeting: 'hi', prefix: '/v1', logLevel: 'warn' })
    expect(app.register).type.not.toBeCallableWith(plugin, { greeting: 1 })
    expect(app.register).type.not.toBeCallableWith(plugin)
  })

  test('options may be left out when none are required', () => {
    const plugin: VeloxPluginCallback<{ greeting?: string }> = (_child, _options, done) => { done() }
    app.register(plugin)
  })

  test('register is awaitable and chainable', async () => {
    expect(await app.register(async () => {})).type.toBe<undefined>()
    expect(app.register(async () => {}).register(async () => {})).type.toBeAssignableTo<VeloxInstance>()
  })

  test('a module import is a plugin', () => {
    const module = Promise.resolve({ default: (async () => {}) as FastifyPluginAsync<{ level: number }> })
    app.register(module, { level: 1 })
  })

  test('a plugin that needs a decorator registers only where it is declared', () => {
    interface Database { query (sql: string): Promise<unknown[]> }
    const needsDb: VeloxPluginAsync<{}, VeloxState<{ decorators: { db: Database } }>> = async (child) => {
      expect(child.db).type.toBe<Database>()
    }
    // @ts-expect-error Property 'db' is missing -- the instance has no db decorator
    app.register(needsDb)
    app.decorate('db', { query: async () => [] } as Database).register(needsDb)
  })

  test('after and ready are awaitable or take a callback', async () => {
    expect(await app.after()).type.toBe<undefined>()
    expect(app.after((error) => { expect(error).type.toBe<Error | null>() })).type.toBe<VeloxInstance>()
    expect(await app.ready()).type.toBe<undefined>()
    expect(app.ready(() => {})).type.toBe<VeloxInstance>()
  })

  test('plugin metadata', () => {
    expect(app.hasPlugin('name')).type.toBe<boolean>()
    expect(app.printPlugins()).type.toBe<string>()
    expect(app.pluginName).type.toBe<string>()
  })
})

describe('plugins written with Fastify\'s names imported from velox', () => {
  test('FastifyPluginAsync and FastifyPluginCallback are Velox plugins', () => {
    const asyncPlugin: FastifyPluginAsync<{ size: number }> = async (instance, options) => {
      expect(instance).type.toBe<VeloxInstance>()
      expect(options.size).type.toBe<number>()
      instance.get('/', async (req: FastifyRequest, reply: FastifyReply) => {
        expect(req.body).type.toBe<unknown>()
        return reply.send('ok')
      })
    }
    const callbackPlugin: FastifyPluginCallback = (_instance, _options, done) => { done() }
    app.register(asyncPlugin, { size: 1 })
    app.register(callbackPlugin)
  })

  test('Fastify\'s extra type parameters are accepted', () => {
    expect<FastifyInstance<unknown, unknown, unknown, unknown, unknown>>().type.toBe<VeloxInstance>()
    expect<FastifyPluginAsync<{ a: 1 }, unknown, unknown, unknown>>().type.toBe<VeloxPluginAsync<{ a: 1 }>>()
    expect<FastifyRequest<{ Body: { a: 1 } }>['body']>().type.toBe<{ a: 1 }>()
    expect<FastifyReply<{ Reply: string }>['send']>().type.toBeCallableWith('text')
  })
})

describe('plugins typed with Fastify\'s own types', () => {
  test('a FastifyPluginAsync from fastify registers, with its options checked', () => {
    const plugin: RealFastifyPluginAsync<{ size: number }> = async () => {}
    app.register(plugin, { size: 1 })
    expect(app.register).type.not.toBeCallableWith(plugin, { size: 'big' })
    expect(app.register).type.not.toBeCallableWith(plugin)
  })

  test('a FastifyPluginCallback from fastify registers', () => {
    const plugin: RealFastifyPluginCallback = (_instance, _options, done) => { done() }
    app.register(plugin)
    app.register(plugin, { prefix: '/x' })
  })

  test('a plugin wrapped with fastify-plugin registers', () => {
    const wrapped = fastifyPlugin(async (_instance: RealFastifyInstance, _options: { name: string }) => {})
    app.register(wrapped, { name: 'x' })
    expect(app.register).type.not.toBeCallableWith(wrapped, { name: 1 })
  })

  test('@fastify/cors registers with its options', () => {
    app.register(cors, { origin: true, methods: ['GET'] })
    expect(app.register).type.not.toBeCallableWith(cors, { origin: 1 })
  })
})
