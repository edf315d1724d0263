// Caching with Redis through @fastify/redis: GET /products/:id reads through a Redis cache
// (cache-aside with a TTL), PUT writes to the source and drops the cached copy, so the next read
// is fresh. `x-cache: hit|miss` shows which one answered.
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import redisPlugin from '@fastify/redis'
import '../../support/plugin-types.js'

export interface Product { id: number, name: string, price: number }

/** The slow source of truth (a database, another service); here an in-memory map that counts reads. */
export class Catalog {
  reads = 0
  private readonly products = new Map<number, Product>([[1, { id: 1, name: 'kettle', price: 30 }]])
  async get (id: number): Promise<Product | undefined> { this.reads++; return this.products.get(id) }
  async put (product: Product): Promise<void> { this.products.set(product.id, product) }
}

export interface CachingOptions extends VeloxServerOptions {
  redisUrl: string
  catalog?: Catalog
  /** Prefix of the cache keys, so tests and apps sharing a Redis do not see each other's. */
  keyPrefix?: string
  ttlSeconds?: number
}

const productSchema = {
  type: 'object',
  required: ['id', 'name', 'price'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, price: { type: 'number' } }
} as const

export function buildApp ({ redisUrl, catalog = new Catalog(), keyPrefix = 'cache:', ttlSeconds = 60, ...options }: CachingOptions) {
  const app = velox(options)
  app.register(redisPlugin, { url: redisUrl, keyPrefix, connectTimeout: 1000, maxRetriesPerRequest: 1 })

  const params = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } as const

  app.get('/products/:id', { schema: { params, response: { 200: productSchema } } }, async (request, reply) => {
    const key = `product:${request.params.id}`
    const cached = await app.redis.get(key)
    if (cached !== null) {
      reply.header('x-cache', 'hit')
      return JSON.parse(cached) as Product
    }
    const product = await catalog.get(request.params.id)
    if (product === undefined) return reply.code(404).send({ error: 'no such product' })
    await app.redis.set(key, JSON.stringify(product), 'EX', ttlSeconds)
    reply.header('x-cache', 'miss')
    return product
  })

  app.put('/products/:id', {
    schema: { params, body: { type: 'object', required: ['name', 'price'], properties: { name: { type: 'string' }, price: { type: 'number' } } } }
  }, async (request, reply) => {
    await catalog.put({ id: request.params.id, ...request.body })
    // Invalidate after the write: a reader in between at worst caches the old value for one TTL;
    // dropping it after the write makes the next read fetch the new one.
    await app.redis.del(`product:${request.params.id}`)
    return reply.code(204).send()
  })
  return app
}
