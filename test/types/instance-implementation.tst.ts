import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import { describe, expect, test } from 'tstyche'
import type { AppInstance } from '../../lib/app/instance.js'
import type { DriftingMembers, ImplementedInstance, PublicApi, UncheckedMembers } from '../../lib/app/instance-check.js'
import type { VeloxInstance } from '../../types/index.js'
import type { instanceState } from '../../types/state.js'

// The runtime class (lib/app/instance.ts) against the public interface (types/instance.ts).
// lib/index.ts assigns the app to ImplementedInstance without a cast; these tests keep the list
// of members it leaves out exact, and check what those members accept.

declare const app: AppInstance

describe('the runtime instance implements the public interface', () => {
  test('every public member exists on the runtime class', () => {
    expect<Exclude<keyof PublicApi, keyof AppInstance>>().type.toBe<never>()
  })

  test('the runtime has only these public-looking members beyond the interface', () => {
    // onClose is avvio's, which Fastify's types do not declare either; `then` makes an instance
    // awaitable while plugins load (it is no API of its own).
    expect<Exclude<Extract<keyof AppInstance, string>, keyof PublicApi>>().type.toBe<'onClose' | 'then'>()
  })

  test('routing(req, res) is public, as in Fastify', () => {
    expect<PublicApi['routing']>().type.toBe<(req: IncomingMessage, res: ServerResponse) => void>()
  })

  test('the members whose types differ are exactly the unchecked ones', () => {
    // A member added here is a drift to fix in lib/ or types/, or to list (with its reason below).
    expect<DriftingMembers<AppInstance, PublicApi>>().type.toBe<UncheckedMembers>()
  })

  test('the app is assignable to the interface it implements; velox() adds only the type-level state', () => {
    expect<AppInstance>().type.toBeAssignableTo<ImplementedInstance>()
    expect<Exclude<keyof VeloxInstance, keyof ImplementedInstance | UncheckedMembers>>().type.toBe<typeof instanceState>()
  })
})

describe('the unchecked members, each with the reason it differs', () => {
  test('getDecorator: the result type is the caller\'s (a type argument, as in Fastify); the runtime returns unknown', () => {
    expect(app.getDecorator('db')).type.toBe<unknown>()
    expect(app.getDecorator).type.toBeCallableWith(Symbol('db'))
  })

  test('addSchema: the public result is typed from the schema; the runtime takes any value and the store checks it', () => {
    expect(app.addSchema).type.toBeCallableWith({ $id: 'User', type: 'object' } as const)
    expect(app.addSchema).type.toBeCallableWith(true)
    expect(app.addSchema({ $id: 'User' })).type.toBe<AppInstance>()
  })

  test('addConstraintStrategy: find-my-way needs a storage with get and set, the public type takes any storage()', () => {
    const storage = (): { get: (value: string) => null, set: () => void } => ({ get: () => null, set: () => {} })
    expect(app.addConstraintStrategy).type.toBeCallableWith({ name: 'tenant', storage, deriveConstraint: () => 'acme' })
    expect(app.addConstraintStrategy).type.not.toBeCallableWith({ name: 'tenant', storage: () => ({}), deriveConstraint: () => 'acme' })
  })

  test('the schema compilers: lib/schema types them for object schemas, the public types for any schema type', () => {
    expect<AppInstance['validatorCompiler']>().type.toBe<Parameters<AppInstance['setValidatorCompiler']>[0] | undefined>()
    expect<AppInstance['serializerCompiler']>().type.toBe<Parameters<AppInstance['setSerializerCompiler']>[0] | undefined>()
  })

  test('genReqId: it gets the whole request (a user function may read the socket), where the public type also allows a bare `{ headers }`', () => {
    expect(app.genReqId).type.toBeCallableWith({} as IncomingMessage)
    expect(app.genReqId).type.not.toBeCallableWith({ headers: {} })
    expect(app.setGenReqId).type.toBeCallableWith((req: IncomingMessage) => String(req.headers['x-id']))
  })

  test('childLoggerFactory: the runtime types loggers as pino\'s Logger, the public type as VeloxBaseLogger', () => {
    const factory = (logger: Logger, bindings: Record<string, unknown>, opts: Record<string, unknown>, req: IncomingMessage): Logger =>
      logger.child({ ...bindings, url: req.url }, opts)
    expect(app.setChildLoggerFactory).type.toBeCallableWith(factory)
    expect(app.childLoggerFactory).type.toBeAssignableTo<typeof factory>()
  })
})
