/**
 * Velox's public types, the single entry point: the runtime re-exports this
 * module (`export type * from '../types/index.js'`).
 */

export type * from './client.js'
export type * from './content-type-parser.js'
export type * from './errors.js'
export type * from './fastify-compat.js'
export type * from './hooks.js'
export type * from './instance.js'
export type * from './json-schema.js'
export type * from './logger.js'
export type * from './openapi.js'
export type * from './plugin.js'
export type * from './reply.js'
export type * from './request.js'
export type * from './route.js'
export type * from './route-table.js'
export type * from './schema-compilers.js'
export type * from './server-options.js'
export type * from './state.js'
