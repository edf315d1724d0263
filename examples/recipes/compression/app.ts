// Compression with @fastify/compress: JSON and streamed responses are compressed with the best
// encoding the client accepts (brotli, then gzip), small bodies are left alone, and compressed
// request bodies are inflated before parsing.
import { Readable } from 'node:stream'
import { constants } from 'node:zlib'
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import compress from '@fastify/compress'
import '../../support/plugin-types.js'

export function buildApp (options: VeloxServerOptions = {}) {
  const app = velox(options)
  app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    // Brotli's default quality (11) is for static files built once; for responses made per
    // request a middle quality compresses nearly as well at a fraction of the CPU.
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }
  })

  // Routes go in a plugin registered after compress: it sets up each route as the route is added.
  app.register(async function routes (app) {
    app.get('/report', async () => ({
      rows: Array.from({ length: 200 }, (_, i) => ({ id: i, status: i % 3 === 0 ? 'late' : 'on time' }))
    }))
    app.get('/ping', async () => ({ ok: true }))
    app.get('/export.csv', async (request, reply) => {
      reply.type('text/csv')
      return Readable.from((function * () { for (let i = 0; i < 1000; i++) yield `${i},item ${i}\n` })())
    })
    app.post('/import', async (request) => ({ received: (request.body as unknown[]).length }))
  })
  return app
}
