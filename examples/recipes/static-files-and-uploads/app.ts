// Static files and uploads with @fastify/static and @fastify/multipart: the site's files are
// served from one folder, uploaded images are streamed to disk (never buffered whole in memory)
// with size and count limits, and served back under /uploads/.
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { extname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import fastifyStatic from '@fastify/static'
import multipart from '@fastify/multipart'
import '../../support/plugin-types.js'

export interface FilesOptions extends VeloxServerOptions {
  /** The site's own files, served at /. */
  publicDir: string
  /** Where uploads are written; served at /uploads/. */
  uploadDir: string
  maxFileBytes?: number
}

const imageTypes: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp' }

export function buildApp ({ publicDir, uploadDir, maxFileBytes = 5 * 1024 * 1024, ...options }: FilesOptions) {
  const app = velox(options)

  app.register(fastifyStatic, { root: publicDir, maxAge: '1h' })
  // A second folder: decorateReply false, since reply.sendFile() is already there from the first.
  app.register(fastifyStatic, { root: uploadDir, prefix: '/uploads/', decorateReply: false, immutable: true, maxAge: '365d' })
  app.register(multipart, { limits: { fileSize: maxFileBytes, files: 5, fields: 10 } })

  app.post('/uploads', async (request, reply) => {
    const saved: Array<{ url: string, bytes: number }> = []
    for await (const part of request.files()) {
      const extension = imageTypes[part.mimetype]
      if (extension === undefined) {
        part.file.resume()
        return reply.code(415).send({ error: `${part.filename}: only PNG, JPEG and WebP images are accepted` })
      }
      // A name of our own: the client's file name never reaches the file system.
      const name = randomUUID() + extension
      const path = join(uploadDir, name)
      try {
        await pipeline(part.file, createWriteStream(path))
      } catch (err) {
        // Keep no partial file when the upload fails.
        await rm(path, { force: true })
        throw err
      }
      if (part.file.truncated) {
        await rm(path)
        return reply.code(413).send({ error: `${part.filename} is larger than ${maxFileBytes} bytes` })
      }
      saved.push({ url: `/uploads/${name}`, bytes: part.file.bytesRead })
    }
    return reply.code(201).send({ saved })
  })

  // Single-page app: unknown GET paths that are not files get index.html.
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && extname(request.url) === '') return reply.sendFile('index.html')
    return reply.code(404).send({ error: 'not found' })
  })
  return app
}
