/**
 * Plugin types: the function `register()` takes, its options, and the
 * `register` method itself.
 */

import type { VeloxInstance } from './instance.js'
import type { LogLevel } from './logger.js'
import type { PluginRoutes, RouteTableReceiver } from './route-table.js'
import type { DefaultState, InstanceState, instanceState } from './state.js'

/** Plugin options: any object. */
export type VeloxPluginOptions = Record<string, any>

/** Ends a callback-style plugin. */
export type PluginDone = (error?: Error) => void

/**
 * A plugin that calls `done` when it has finished. `S` is the state the
 * plugin needs of the instance it is registered on (its decorators), so
 * registering it where they are missing is a type error.
 */
export type VeloxPluginCallback<O extends VeloxPluginOptions = Record<never, never>, S extends InstanceState = DefaultState> = (
  instance: VeloxInstance<S>,
  options: O,
  done: PluginDone
) => void

/** A plugin that has finished when its promise settles; see {@link VeloxPluginCallback}. */
export type VeloxPluginAsync<O extends VeloxPluginOptions = Record<never, never>, S extends InstanceState = DefaultState> = (
  instance: VeloxInstance<S>,
  options: O
) => Promise<void>

/** Either kind of plugin. */
export type VeloxPlugin<O extends VeloxPluginOptions = Record<never, never>, S extends InstanceState = DefaultState> =
  | VeloxPluginCallback<O, S>
  | VeloxPluginAsync<O, S>

/** Options `register()` reads itself, next to the plugin's own. */
export interface VeloxRegisterOptions<Prefix extends string = string> {
  /** Prefix of every route the plugin declares. */
  prefix?: Prefix
  logLevel?: LogLevel
  logSerializers?: Record<string, (value: unknown) => unknown>
}

/** The options argument of `register()`: the options, or a function of the parent instance giving them. */
export type RegisterOptionsArgument<O, S extends InstanceState = DefaultState, Prefix extends string = string> =
  | (VeloxRegisterOptions<Prefix> & O)
  | ((instance: VeloxInstance<S>) => VeloxRegisterOptions<Prefix> & O)

// A plugin written against another type system (one typed with Fastify's own
// types takes a `FastifyInstance`) cannot be checked against Velox's instance
// type; it is accepted for what it is, a function of an instance and options.
// Plugins typed with Velox's types are kept out of this fallback, so a Velox
// plugin whose state the instance lacks stays an error.
type ForeignPlugin = (instance: never, options: never, done: never) => unknown

type NotVeloxPlugin<P> =
  P extends (instance: infer I, ...rest: never[]) => unknown
    ? (typeof instanceState extends keyof I ? never : unknown)
    : unknown

type ForeignPluginOptions<P> =
  P extends (instance: never, options: infer O, ...rest: never[]) => unknown
    ? (unknown extends O ? VeloxPluginOptions : O)
    : VeloxPluginOptions

// The options argument is required when the plugin's options have required
// keys, optional otherwise.
type OptionsArgument<O, S extends InstanceState, Prefix extends string = string> =
  {} extends O
    ? [options?: RegisterOptionsArgument<O, S, Prefix>]
    : [options: RegisterOptionsArgument<O, S, Prefix>]

/**
 * `app.register(plugin, options)`; returns the instance, also awaitable.
 *
 * A plugin typed with Velox's types is checked against the instance: its
 * options, and the state it declares it needs (`VeloxState<{ decorators }>`)
 * against the state of the instance it is registered on. A plugin typed with
 * Fastify's own types is checked for its options only.
 *
 * A plugin that returns its instance with routes chained on it
 * (`(app) => app.get(...).post(...)`) adds them to the returned instance
 * type, under the `prefix` option: that is how `velox/client` sees them.
 */
export interface RegisterMethod<S extends InstanceState = DefaultState> {
  <O extends VeloxPluginOptions = Record<never, never>, Returned = unknown, Prefix extends string = '', Routes = never>(
    this: RouteTableReceiver<Routes>,
    plugin: (instance: VeloxInstance<S>, options: O, done: PluginDone) => Returned,
    ...options: OptionsArgument<O, S, Prefix>
  ): VeloxInstance<S, Routes | PluginRoutes<Returned, Prefix>> & PromiseLike<undefined>
  <P extends ForeignPlugin, Routes = never>(
    this: RouteTableReceiver<Routes>,
    plugin: P & NotVeloxPlugin<P>,
    ...options: OptionsArgument<ForeignPluginOptions<P>, S>
  ): VeloxInstance<S, Routes> & PromiseLike<undefined>
  <O extends VeloxPluginOptions = Record<never, never>, Returned = unknown, Prefix extends string = '', Routes = never>(
    this: RouteTableReceiver<Routes>,
    plugin: PromiseLike<{ default: (instance: VeloxInstance<S>, options: O, done: PluginDone) => Returned }>,
    ...options: OptionsArgument<O, S, Prefix>
  ): VeloxInstance<S, Routes | PluginRoutes<Returned, Prefix>> & PromiseLike<undefined>
}
