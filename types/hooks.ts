/**
 * Hook types, request lifecycle and application. Each hook type covers both
 * styles Fastify accepts: a callback that calls `done`, or an async function
 * (which must not take `done`; the runtime rejects one that does).
 *
 * Request lifecycle, in order: onRequest, preParsing, preValidation,
 * preHandler, (handler), preSerialization, onSend, onResponse; onError,
 * onTimeout and onRequestAbort when those happen.
 */

import type { Readable } from 'node:stream'
import type { VeloxError } from './errors.js'
import type { VeloxInstance } from './instance.js'
import type { RouteTableReceiver } from './route-table.js'
import type { VeloxPluginOptions, VeloxRegisterOptions } from './plugin.js'
import type { VeloxReply } from './reply.js'
import type { VeloxRequest } from './request.js'
import type { AnyReplyPayload, ReplyType, RouteDefinition, RouteGenericInterface } from './route.js'
import type { DefaultState, InstanceState } from './state.js'

/** Ends a callback-style hook; pass an error to fail the request. */
export type HookDone = (error?: Error | null) => void

/** Ends a hook that may replace the payload it was given. */
export type HookDoneWithPayload<P = unknown> = (error?: Error | null, payload?: P) => void

/** The request body stream `preParsing` hooks see and may replace. */
export type RequestPayload = Readable & { receivedEncodedLength?: number }

/** onRequest, preValidation, preHandler, onResponse and onTimeout hooks. */
export type LifecycleHook<G = RouteGenericInterface, S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>,
  done: HookDone
) => void | Promise<unknown>

/** preParsing: may replace the body stream, by `done(null, stream)` or by returning it. */
export type PreParsingHook<G = RouteGenericInterface, S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>,
  payload: RequestPayload,
  done: HookDoneWithPayload<RequestPayload>
) => void | Promise<RequestPayload | void | undefined>

/** preSerialization: sees the handler's payload before serialization and may replace it. */
export type PreSerializationHook<G = RouteGenericInterface, S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>,
  payload: unknown extends ReplyType<G> ? unknown : AnyReplyPayload<ReplyType<G>>,
  done: HookDoneWithPayload
) => void | Promise<unknown>

/** onSend: sees the serialized payload (string, Buffer, stream or null) and may replace it. */
export type OnSendHook<G = RouteGenericInterface, S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>,
  payload: unknown,
  done: HookDoneWithPayload
) => void | Promise<unknown>

/** onError: observes an error before the error handler answers; it cannot answer itself. */
export type OnErrorHook<G = RouteGenericInterface, S extends InstanceState = DefaultState, E extends Error = VeloxError> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  reply: VeloxReply<G, S>,
  error: E,
  done: () => void
) => void | Promise<unknown>

/** onRequestAbort: the client closed the connection before the response was sent. */
export type OnRequestAbortHook<G = RouteGenericInterface, S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  request: VeloxRequest<G, S>,
  done: HookDone
) => void | Promise<unknown>

/** onRoute: runs for every route declared after it, in its scope; may edit the options. */
export type OnRouteHook<S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  route: RouteDefinition<S>
) => void

/** onRegister: runs when a plugin creates a child scope. */
export type OnRegisterHook<S extends InstanceState = DefaultState> = (
  instance: VeloxInstance<S>,
  options: VeloxRegisterOptions & VeloxPluginOptions
) => void

/** onReady, onListen and preClose. */
export type ApplicationHook<S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  done: HookDone
) => void | Promise<unknown>

/** onClose: runs when the instance closes, children before parents. */
export type OnCloseHook<S extends InstanceState = DefaultState> = (
  this: VeloxInstance<S>,
  instance: VeloxInstance<S>,
  done: HookDone
) => void | Promise<unknown>

/** Hook names whose hooks have the {@link LifecycleHook} shape. */
export type LifecycleHookName = 'onRequest' | 'preValidation' | 'preHandler' | 'onResponse' | 'onTimeout'

/** Hooks on the application rather than on requests, by name. */
export interface ApplicationHooks<S extends InstanceState = DefaultState> {
  onRoute: OnRouteHook<S>
  onRegister: OnRegisterHook<S>
  onReady: ApplicationHook<S>
  onListen: ApplicationHook<S>
  preClose: ApplicationHook<S>
  onClose: OnCloseHook<S>
}

/** Every hook name. */
export type HookName =
  | LifecycleHookName
  | 'preParsing'
  | 'preSerialization'
  | 'onSend'
  | 'onError'
  | 'onRequestAbort'
  | keyof ApplicationHooks

/**
 * `app.addHook(name, hook)`. Request hooks take the route types as their
 * first type argument, as in Fastify: `app.addHook<{ Body: B }>('preHandler', ...)`.
 */
export interface AddHookMethod<S extends InstanceState = DefaultState> {
  <G extends RouteGenericInterface = RouteGenericInterface, Routes = never>(this: RouteTableReceiver<Routes>, name: LifecycleHookName, hook: LifecycleHook<G, S>): VeloxInstance<S, Routes>
  <G extends RouteGenericInterface = RouteGenericInterface, Routes = never>(this: RouteTableReceiver<Routes>, name: 'preParsing', hook: PreParsingHook<G, S>): VeloxInstance<S, Routes>
  <G extends RouteGenericInterface = RouteGenericInterface, Routes = never>(this: RouteTableReceiver<Routes>, name: 'preSerialization', hook: PreSerializationHook<G, S>): VeloxInstance<S, Routes>
  <G extends RouteGenericInterface = RouteGenericInterface, Routes = never>(this: RouteTableReceiver<Routes>, name: 'onSend', hook: OnSendHook<G, S>): VeloxInstance<S, Routes>
  <G extends RouteGenericInterface = RouteGenericInterface, E extends Error = VeloxError, Routes = never>(this: RouteTableReceiver<Routes>, name: 'onError', hook: OnErrorHook<G, S, E>): VeloxInstance<S, Routes>
  <G extends RouteGenericInterface = RouteGenericInterface, Routes = never>(this: RouteTableReceiver<Routes>, name: 'onRequestAbort', hook: OnRequestAbortHook<G, S>): VeloxInstance<S, Routes>
  <K extends keyof ApplicationHooks, Routes = never>(this: RouteTableReceiver<Routes>, name: K, hook: ApplicationHooks<S>[K]): VeloxInstance<S, Routes>
}
