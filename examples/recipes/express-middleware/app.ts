// Using Express middleware with @fastify/express: an existing Express router and middleware
// (helmet's Express version, a request counter written for Express) keep working unchanged next
// to Velox routes while an app migrates route by route.
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import expressPlugin from '@fastify/express'
import express from 'express'
import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'
import '../../support/plugin-types.js'

/** The legacy part of the API, still written for Express. */
export function legacyRouter () {
  const router = express.Router()
  router.use(express.json())
  router.get('/invoices/:id', (req: Request, res: Response) => { res.json({ id: req.params.id, from: 'express' }) })
  router.post('/invoices', (req: Request, res: Response) => { res.status(201).json({ created: req.body }) })
  return router
}

export function buildApp (options: VeloxServerOptions = {}) {
  const app = velox(options)
  let seen = 0

  app.register(expressPlugin).after(() => {
    // Middleware for every request, Velox routes included.
    app.use(helmet({ contentSecurityPolicy: false }))
    app.use((req: Request, res: Response, next: NextFunction) => { seen++; res.setHeader('x-requests-seen', String(seen)); next() })
    app.use('/legacy', legacyRouter())
  })

  // The migrated part of the API.
  app.get('/orders/:id', async (request) => ({ id: (request.params as { id: string }).id, from: 'velox' }))
  return app
}
