/**
 * Velox: a schema-first HTTP framework with Fastify's API.
 *
 * @example
 * import velox from 'velox'
 * const app = velox({ logger: true })
 * app.get('/', async () => ({ hello: 'world' }))
 * await app.listen({ port: 3000 })
 */
import { createInstance, FASTIFY_API_VERSION, VELOX_VERSION } from './instance.js'
import { errorCodes, createError } from './errors.js'

/** Creates a Velox application (Fastify's `fastify(options)`). */
function velox (options: Record<string, any> = {}): any {
  return createInstance(options)
}

export default velox
export { velox, errorCodes, createError, FASTIFY_API_VERSION, VELOX_VERSION }
export { getDefaultJsonParser, defaultTextParser } from './body.js'
