/**
 * Velox: a schema-first HTTP framework with Fastify's API.
 *
 * @example
 * import velox from 'velox'
 * const app = velox({ logger: true })
 * app.get('/', async () => ({ hello: 'world' }))
 * await app.listen({ port: 3000 })
 */
import { createInstance, FASTIFY_API_VERSION, VELOX_VERSION } from './app/instance.js'
import type { ImplementedInstance } from './app/instance-check.js'
import { errorCodes, createError } from './errors.js'
import type { VeloxInstance, VeloxServerOptions } from '../types/index.js'

/**
 * Creates a Velox application (Fastify's `fastify(options)`). Route handlers are typed from
 * their schemas; see docs/reference/types.md.
 *
 * @example
 * const app = velox({ logger: true })
 * app.post('/users', {
 *   schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } }
 * }, async (request) => ({ hello: request.body.name }))
 */
function velox (options?: VeloxServerOptions): VeloxInstance {
  // Checked: the runtime class has every public member with its declared type (but the few
  // UncheckedMembers, see lib/app/instance-check.ts).
  const app: ImplementedInstance = createInstance(options)
  // The instance state and the routes in VeloxInstance's type are the user's declarations, which
  // only exist at the type level: this one conversion adds them.
  return app as VeloxInstance
}

export default velox
export { velox, errorCodes, createError, FASTIFY_API_VERSION, VELOX_VERSION }
/**
 * The factory under Fastify's own named export, so `import { fastify } from 'fastify'` keeps
 * working when the import names Velox instead.
 *
 * @example
 * import { fastify } from 'velox'
 * const app = fastify({ logger: true })
 */
export { velox as fastify }
export { LogController } from './server/log-controller.js'
export { getDefaultJsonParser, defaultTextParser } from './lifecycle/body.js'
export { registerOpenApiRoutes, openApiPlugin, buildOpenApiDocument } from './openapi/index.js'
export { fastJsonStringifySerializer } from './schema/compile.js'
export { compileSerializer, serializerSource, runtime as serializerRuntime } from './schema/serializer/index.js'
export type { SerializerOptions, Serializer, SerializerRuntime } from './schema/serializer/index.js'
export type * from '../types/index.js'
