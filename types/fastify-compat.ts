/**
 * Fastify's type names, for code written against Fastify's types: a plugin
 * typed `FastifyPluginAsync<Options>` imports these from 'velox' instead of
 * 'fastify' and keeps its source. Type parameters Fastify has and Velox does
 * not need (raw server, request and reply types, type provider, logger) are
 * accepted and ignored.
 */

import type { VeloxError } from './errors.js'
import type { LifecycleHook, HookDone } from './hooks.js'
import type { VeloxInstance } from './instance.js'
import type { VeloxBaseLogger } from './logger.js'
import type { VeloxPluginAsync, VeloxPluginCallback, VeloxPluginOptions, VeloxRegisterOptions } from './plugin.js'
import type { VeloxReply } from './reply.js'
import type { VeloxRequest } from './request.js'
import type { RouteGenericInterface as VeloxRouteGeneric, RouteHandler, RouteSchema } from './route.js'
import type { VeloxServerOptions } from './server-options.js'

/** Fastify's `FastifyInstance`. */
export type FastifyInstance<_RawServer = unknown, _RawRequest = unknown, _RawReply = unknown, _Logger = unknown, _TypeProvider = unknown> =
  VeloxInstance

/** Fastify's `FastifyRequest`. */
export type FastifyRequest<G extends VeloxRouteGeneric = VeloxRouteGeneric, _RawServer = unknown, _RawRequest = unknown, _Schema = unknown, _TypeProvider = unknown, _ContextConfig = unknown, _Logger = unknown> =
  VeloxRequest<G>

/** Fastify's `FastifyReply`. */
export type FastifyReply<G extends VeloxRouteGeneric = VeloxRouteGeneric, _RawServer = unknown, _RawRequest = unknown, _RawReply = unknown, _ContextConfig = unknown, _Schema = unknown, _TypeProvider = unknown> =
  VeloxReply<G>

/** Fastify's `FastifyPluginOptions`. */
export type FastifyPluginOptions = VeloxPluginOptions

/** Fastify's `FastifyPluginAsync`. */
export type FastifyPluginAsync<O extends FastifyPluginOptions = Record<never, never>, _RawServer = unknown, _TypeProvider = unknown, _Logger = unknown> =
  VeloxPluginAsync<O>

/** Fastify's `FastifyPluginCallback`. */
export type FastifyPluginCallback<O extends FastifyPluginOptions = Record<never, never>, _RawServer = unknown, _TypeProvider = unknown, _Logger = unknown> =
  VeloxPluginCallback<O>

/** Fastify's `FastifyPlugin`: either kind. */
export type FastifyPlugin<O extends FastifyPluginOptions = Record<never, never>> =
  | FastifyPluginCallback<O>
  | FastifyPluginAsync<O>

/** Fastify's `RouteHandlerMethod`. */
export type RouteHandlerMethod<_RawServer = unknown, _RawRequest = unknown, _RawReply = unknown, G extends VeloxRouteGeneric = VeloxRouteGeneric> =
  RouteHandler<G>

/** Fastify's `FastifySchema`. */
export type FastifySchema = RouteSchema

/** Fastify's `FastifyError`. */
export type FastifyError = VeloxError

/** Fastify's `FastifyBaseLogger`. */
export type FastifyBaseLogger = VeloxBaseLogger

/** Fastify's `FastifyServerOptions`. */
export type FastifyServerOptions<_RawServer = unknown, _Logger = unknown> = VeloxServerOptions

/** Fastify's `RegisterOptions`. */
export type RegisterOptions = VeloxRegisterOptions

/** Fastify's `HookHandlerDoneFunction`. */
export type HookHandlerDoneFunction = HookDone

/** Fastify's `onRequestHookHandler` (and the other request hooks of that shape). */
export type onRequestHookHandler<_RawServer = unknown, _RawRequest = unknown, _RawReply = unknown, G extends VeloxRouteGeneric = VeloxRouteGeneric> =
  LifecycleHook<G>

/** Fastify's `preHandlerHookHandler`. */
export type preHandlerHookHandler<_RawServer = unknown, _RawRequest = unknown, _RawReply = unknown, G extends VeloxRouteGeneric = VeloxRouteGeneric> =
  LifecycleHook<G>
