import { describe, expect, test } from 'tstyche'
import type { VeloxInstance, VeloxReply, VeloxRequest, VeloxState } from '../../types/index.js'

declare const app: VeloxInstance

interface Database { query (sql: string): Promise<unknown[]> }
declare const db: Database
interface User { id: string, name: string }

describe('decorate', () => {
  test('the returned instance type has the decorator', () => {
    const decorated = app.decorate('db', db)
    expect(decorated.db).type.toBe<Database>()
    expect(decorated.db.query('select 1')).type.toBe<Promise<unknown[]>>()
  })

  test('decorators accumulate across calls', () => {
    const decorated = app.decorate('db', db).decorate('version2', 2).decorate('flag', true)
    expect(decorated.db).type.toBe<Database>()
    expect(decorated.version2).type.toBe<number>()
    expect(decorated.flag).type.toBe<boolean>()
  })

  test('a decorator that was never declared is an error', () => {
    expect(app.db).type.toRaiseError("Property 'db' does not exist")
    const decorated = app.decorate('db', db)
    expect(decorated.cache).type.toRaiseError("Property 'cache' does not exist")
  })

  test('a function decorator has the instance as this', () => {
    const decorated = app.decorate('db', db).decorate('count', function (table: string) {
      expect(this.db).type.toBe<Database>()
      return table.length
    })
    expect(decorated.count).type.toBe<(table: string) => number>()
  })

  test('a getter decorator has the getter\'s type', () => {
    const decorated = app.decorate('startedAt', { getter () { return new Date() } })
    expect(decorated.startedAt).type.toBe<Date>()
  })

  test('a symbol name works like a string name', () => {
    const key = Symbol('key')
    expect(app.decorate(key, 'value')[key]).type.toBe<string>()
  })

  test('a second value for a decorator must have its type', () => {
    const decorated = app.decorate('db', db)
    expect(decorated.decorate).type.not.toBeCallableWith('db', 'not a database')
  })

  test('decorate<T>(name, value) as written for Fastify still compiles, untyped', () => {
    const decorated = app.decorate<string>('legacy', 'value')
    expect(decorated).type.not.toHaveProperty('legacy')
  })

  test('getDecorator reads the type from the instance or from the type argument', () => {
    const decorated = app.decorate('db', db)
    expect(decorated.getDecorator('db')).type.toBe<Database>()
    expect(decorated.getDecorator<string>('other')).type.toBe<string>()
    expect(decorated.getDecorator('other')).type.toBe<unknown>()
  })

  test('has*Decorator answer booleans', () => {
    expect(app.hasDecorator('db')).type.toBe<boolean>()
    expect(app.hasRequestDecorator('user')).type.toBe<boolean>()
    expect(app.hasReplyDecorator('view')).type.toBe<boolean>()
  })
})

describe('decorateRequest and decorateReply', () => {
  test('requests and replies of routes on the returned instance have them', () => {
    const decorated = app
      .decorateRequest('user', null as User | null)
      .decorateReply('view', function (template: string) { return template })
    decorated.get('/', async (req, reply) => {
      expect(req.user).type.toBe<User | null>()
      expect(reply.view).type.toBe<(template: string) => string>()
      expect(reply.code(200).view).type.toBe<(template: string) => string>()
    })
  })

  test('hooks of the returned instance see them too', () => {
    const decorated = app.decorateRequest('user', null as User | null)
    decorated.addHook('preHandler', async (req) => {
      expect(req.user).type.toBe<User | null>()
    })
  })

  test('a request decorator getter', () => {
    const decorated = app.decorateRequest('startedAt', { getter () { return Date.now() } })
    decorated.get('/', async (req) => {
      expect(req.startedAt).type.toBe<number>()
    })
  })

  test('a function request decorator has the request as this', () => {
    // The return type is annotated: inferring it from a body that reads
    // `this` would be circular, since `this` is typed from the value.
    const decorated = app.decorateRequest('isAdmin', function (): boolean {
      expect(this.headers).type.toBe<VeloxRequest['headers']>()
      return this.headers['x-role'] === 'admin'
    })
    decorated.get('/', async (req) => {
      expect(req.isAdmin()).type.toBe<boolean>()
    })
  })

  test('getDecorator on requests and replies', () => {
    const decorated = app.decorateRequest('user', null as User | null).decorateReply('view', 1)
    decorated.get('/', async (req, reply) => {
      expect(req.getDecorator('user')).type.toBe<User | null>()
      expect(req.getDecorator<string>('other')).type.toBe<string>()
      expect(reply.getDecorator('view')).type.toBe<number>()
      req.setDecorator('user', { id: '1', name: 'Ada' })
    })
  })

  test('a missing request decorator is an error', () => {
    app.get('/', async (req, reply) => {
      expect(req.user).type.toRaiseError("Property 'user' does not exist")
      expect(reply.view).type.toRaiseError("Property 'view' does not exist")
    })
  })
})

describe('decorators in plugins', () => {
  test('a plugin registered from the decorated instance sees its decorators', () => {
    const decorated = app.decorate('db', db).decorateRequest('user', null as User | null)
    decorated.register(async (child) => {
      expect(child.db).type.toBe<Database>()
      child.get('/', async (req) => {
        expect(req.user).type.toBe<User | null>()
      })
      child.register(async (grandchild) => {
        expect(grandchild.db).type.toBe<Database>()
      })
    })
  })

  test('a decorated instance is still a VeloxInstance', () => {
    const decorated = app.decorate('db', db).decorateRequest('user', null as User | null).decorateReply('view', 1)
    expect(decorated).type.toBeAssignableTo<VeloxInstance>()
    function routes (_instance: VeloxInstance): void {}
    routes(decorated)
  })

  test('a request or reply of a decorated instance is still a VeloxRequest / VeloxReply', () => {
    expect<VeloxRequest<{}, VeloxState<{ request: { user: User } }>>>().type.toBeAssignableTo<VeloxRequest>()
    expect<VeloxReply<{}, VeloxState<{ reply: { view: string } }>>>().type.toBeAssignableTo<VeloxReply>()
  })

  test('an instance type that lacks a decorator is not the decorated one', () => {
    expect<VeloxInstance>().type.not.toBeAssignableTo<VeloxInstance<VeloxState<{ decorators: { db: Database } }>>>()
  })

  test('the type of a decorated instance can be named', () => {
    type App = VeloxInstance<VeloxState<{ decorators: { db: Database }, request: { user: User | null } }>>
    const decorated = app.decorate('db', db).decorateRequest('user', null as User | null)
    expect(decorated).type.toBeAssignableTo<App>()
    function useDb (instance: App): Database { return instance.db }
    expect(useDb(decorated)).type.toBe<Database>()
  })
})
