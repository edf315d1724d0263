// Rate limiting across instances with @fastify/rate-limit and its Redis store: every instance of
// the API counts in the same Redis, so a client gets `max` requests per window in total, whichever
// instance answers. Logged-in clients are counted by their API key, others by address.
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import rateLimit from '@fastify/rate-limit'
import { Redis } from 'ioredis'
import '../../support/plugin-types.js'

export interface RateLimitOptions extends VeloxServerOptions {
  redisUrl: string
  /** Keys in Redis start with this, so several APIs (or test runs) can share one Redis. */
  namespace?: string
  max?: number
}

export function buildApp ({ redisUrl, namespace = 'api-rate-limit-', max = 100, ...options }: RateLimitOptions) {
  const app = velox(options)
  // connectTimeout and maxRetriesPerRequest make a Redis outage fail fast instead of hanging
  // requests; with skipOnError the API then serves unlimited rather than not at all.
  const redis = new Redis(redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 })
  app.addHook('onClose', async () => { await redis.quit() })

  app.register(rateLimit, {
    redis,
    nameSpace: namespace,
    max,
    timeWindow: '1 minute',
    skipOnError: true,
    keyGenerator: (request) => {
      const key = request.headers['x-api-key']
      return typeof key === 'string' ? `key:${key}` : `ip:${request.ip}`
    }
  })

  // Routes go in a plugin registered after rate-limit, which sets up each route as it is added.
  app.register(async function routes (app) {
    app.get('/quotes', async () => ({ quote: 'Simplicity is prerequisite for reliability.' }))
    // A route may set its own, stricter limit.
    app.post('/login', { config: { rateLimit: { max: 3, timeWindow: '10 minutes' } } }, async () => ({ ok: true }))
  })
  return app
}
