/**
 * The one structured generic an instance carries: what has been declared on
 * it so far. `app.decorate()`, `decorateRequest()`, `decorateReply()` and
 * `addSchema()` return the instance type with their addition recorded here,
 * and everything typed from the instance (plugins registered from it, route
 * handlers, hooks) reads it back.
 */

import type { VeloxSchemas } from './json-schema.js'

/** What an instance type has accumulated. */
export interface InstanceState {
  /** Decorators on the instance: `app.decorate(name, value)`. */
  decorators: object
  /** Decorators on requests: `app.decorateRequest(name, value)`. */
  request: object
  /** Decorators on replies: `app.decorateReply(name, value)`. */
  reply: object
  /** Shared schemas by `$id`: `app.addSchema(schema)`. */
  schemas: object
}

/**
 * Key of the phantom property through which an instance type carries its
 * state. Type-level only: no runtime value has it.
 */
export declare const instanceState: unique symbol

/** The state of a fresh instance: nothing declared yet. */
export interface DefaultState {
  decorators: {}
  request: {}
  reply: {}
  schemas: {}
}

/**
 * A full state from the parts given, the rest empty: what a plugin that needs
 * a decorator writes for its instance type.
 *
 * @example
 * const plugin: VeloxPluginAsync<{}, VeloxState<{ decorators: { db: Db } }>> =
 *   async (app) => { app.db.query('...') }
 */
export type VeloxState<P extends Partial<InstanceState>> = {
  decorators: P extends { decorators: infer D extends object } ? D : {}
  request: P extends { request: infer R extends object } ? R : {}
  reply: P extends { reply: infer R extends object } ? R : {}
  schemas: P extends { schemas: infer X extends object } ? X : {}
}

/**
 * Decorators every instance has, declared with declaration merging, for
 * decorators added where the type system cannot follow (a plugin wrapped with
 * `fastify-plugin`, an untyped module), as Fastify users do with
 * `interface FastifyInstance`.
 *
 * @example
 * declare module 'velox' {
 *   interface VeloxDecorators { db: Database }
 * }
 */
export interface VeloxDecorators {}

/** Request decorators every request has; see {@link VeloxDecorators}. */
export interface VeloxRequestDecorators {}

/** Reply decorators every reply has; see {@link VeloxDecorators}. */
export interface VeloxReplyDecorators {}

/** The shared schemas a `$ref` in a route schema of this instance can reach. */
export type SchemaRefs<S extends InstanceState> = S['schemas'] & VeloxSchemas

// A decorator named by a wide `string` (or declared with an explicit value
// type only, `decorate<T>(name, value)` as in Fastify) is not recorded: it
// would give every name that type.
type Named<K extends PropertyKey, V> = string extends K ? {} : symbol extends K ? {} : { [P in K]: V }

/**
 * The type of decorator `K` among `Decorators`, or `unknown`. An indexed
 * access rather than a conditional type, which keeps the types that use it
 * covariant in their state.
 */
export type DecoratorType<Decorators, K extends PropertyKey> = (Decorators & { readonly [P in K]: unknown })[K]

/** `S` with an instance decorator added. */
export type WithDecorator<S extends InstanceState, K extends PropertyKey, V> = {
  decorators: S['decorators'] & Named<K, V>
  request: S['request']
  reply: S['reply']
  schemas: S['schemas']
}

/** `S` with a request decorator added. */
export type WithRequestDecorator<S extends InstanceState, K extends PropertyKey, V> = {
  decorators: S['decorators']
  request: S['request'] & Named<K, V>
  reply: S['reply']
  schemas: S['schemas']
}

/** `S` with a reply decorator added. */
export type WithReplyDecorator<S extends InstanceState, K extends PropertyKey, V> = {
  decorators: S['decorators']
  request: S['request']
  reply: S['reply'] & Named<K, V>
  schemas: S['schemas']
}

/** `S` with a shared schema added, when its `$id` is a literal. */
export type WithSchema<S extends InstanceState, T> =
  T extends { readonly $id: infer Id extends string }
    ? string extends Id
      ? S
      : {
          decorators: S['decorators']
          request: S['request']
          reply: S['reply']
          schemas: S['schemas'] & { [P in Id]: T }
      }
    : S

/**
 * The value a decorator may be given for a decorator of type `T`: the value
 * itself (functions get `this` bound to what they decorate), or a
 * getter/setter pair.
 */
export type DecoratorValue<T, This> =
  | (T extends (...args: infer A) => infer R ? (this: This, ...args: A) => R : T)
  | { getter: (this: This) => T, setter?: (this: This, value: T) => void }
