// CORS and security headers with @fastify/cors and @fastify/helmet: the browser app at
// https://app.example.com may call the API with cookies; every response carries helmet's headers.
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import '../../support/plugin-types.js'

export const allowedOrigins = ['https://app.example.com']

export function buildApp (options: VeloxServerOptions = {}) {
  const app = velox(options)

  app.register(helmet, {
    // An API serves no HTML: the strictest policy costs nothing.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    hsts: { maxAge: 31_536_000, includeSubDomains: true }
  })
  app.register(cors, {
    origin: allowedOrigins,
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    maxAge: 600
  })

  app.get('/profile', async () => ({ name: 'Ada' }))
  app.patch('/profile', async (request) => request.body)
  return app
}
