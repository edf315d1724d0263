// The notes service: a small, complete API on Velox and Fastify's official plugins.
// - CRUD of notes in PostgreSQL (@fastify/postgres), every input and output under a JSON schema;
// - reads cached in Redis (@fastify/redis), dropped on every change;
// - rate limiting counted in Redis, so it holds across instances (@fastify/rate-limit);
// - JWT auth (@fastify/jwt): anyone reads, a logged-in user writes and deletes their own notes;
// - a Server-Sent Events channel of changes (@fastify/sse), fed through Redis pub/sub so a client
//   connected to one instance hears about changes made on another;
// - OpenAPI 3.1 at /openapi.json and Swagger UI at /docs, from the same schemas (Velox built-in).
import { scryptSync, timingSafeEqual } from 'node:crypto'
import velox from 'velox'
import type { VeloxInstance, VeloxServerOptions } from 'velox'
import postgres from '@fastify/postgres'
import redisPlugin from '@fastify/redis'
import rateLimit from '@fastify/rate-limit'
import jwt from '@fastify/jwt'
import { fastifySSE as sse } from '@fastify/sse'
import '../../support/plugin-types.js'
import { credentialsSchema, errorSchema, idParams, listQuery, newNoteSchema, noteSchema, notePatchSchema, tokenSchema } from './schemas.js'
import type { Note } from './schemas.js'

export interface ServiceOptions extends VeloxServerOptions {
  databaseUrl: string
  redisUrl: string
  jwtSecret: string
  /** Requests per minute and client, across all instances. */
  rateLimitMax?: number
  /** Prefix of every Redis key and channel, so several deployments (or test runs) share a Redis. */
  redisPrefix?: string
  cacheSeconds?: number
}

/** Demo accounts: name -> scrypt hash of the password (a real service reads a users table). */
const salt = 'notes-demo-salt'
const hash = (password: string) => scryptSync(password, salt, 32)
const accounts = new Map<string, Buffer>([['ada', hash('analytical')], ['alan', hash('enigma')]])

interface Change { type: 'created' | 'updated' | 'deleted', id: number, note?: Note }

/** One row of the notes table as the API shows it. */
function toNote (row: { id: number, owner: string, title: string, body: string, created_at: Date, updated_at: Date }): Note {
  return { id: row.id, owner: row.owner, title: row.title, body: row.body, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() }
}

export function buildService ({ databaseUrl, redisUrl, jwtSecret, rateLimitMax = 300, redisPrefix = 'notes:', cacheSeconds = 300, ...options }: ServiceOptions): VeloxInstance {
  const app = velox({
    ...options,
    openapi: {
      info: { title: 'Notes', version: '1.0.0', description: 'Notes with a live feed of changes.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } }
    }
  })

  app.register(postgres, { connectionString: databaseUrl, max: 10 })
  app.register(redisPlugin, { url: redisUrl, keyPrefix: redisPrefix, maxRetriesPerRequest: 2 })
  app.register(jwt, { secret: jwtSecret, sign: { expiresIn: '1h' } })
  app.register(sse, { heartbeatInterval: 20_000 })

  // Startup: the table (a real service runs migrations), then the pub/sub subscriber. Both in one
  // plugin after the clients, so they are ready; ready() fails if PostgreSQL or Redis is not.
  const streams = new Set<(change: Change) => void>()
  const closers = new Set<() => void>()
  const channel = `${redisPrefix}changes`
  app.register(async function storage (app) {
    await app.pg.query(`CREATE TABLE IF NOT EXISTS notes (
      id serial PRIMARY KEY,
      owner text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`)
    // A subscribed connection can do nothing else: a second one, without the key prefix (it
    // applies to keys, and would be added to channel names twice).
    const subscriber = app.redis.duplicate({ keyPrefix: '' })
    await subscriber.subscribe(channel)
    subscriber.on('message', (_channel: string, message: string) => {
      const change = JSON.parse(message) as Change
      for (const send of streams) send(change)
    })
    app.addHook('preClose', async () => { for (const close of closers) close() })
    app.addHook('onClose', async () => { await subscriber.quit() })
  })

  async function publish (change: Change): Promise<void> {
    await app.redis.del(`note:${change.id}`)
    await app.redis.publish(channel, JSON.stringify(change))
  }

  // Options as a function: called when the plugin loads, once @fastify/redis has decorated the app.
  app.register(rateLimit, (parent) => ({
    redis: parent.redis,
    max: rateLimitMax,
    timeWindow: '1 minute',
    nameSpace: 'rate-limit:',
    skipOnError: true,
    // Logged-in clients by their token, others by address (set trustProxy behind a load balancer).
    keyGenerator: (request) => request.headers.authorization ?? request.ip
  }))

  app.register(async function api (app) {
    /** onRequest hook of the routes that need a logged-in user. */
    const authenticate = async (request: any, reply: any) => {
      try {
        await request.jwtVerify()
      } catch {
        return reply.code(401).send({ error: 'a valid Bearer token is required' })
      }
    }
    const secured = { security: [{ bearer: [] }], onRequest: authenticate }

    app.post('/auth/token', {
      summary: 'Trade a user name and password for a token',
      tags: ['auth'],
      // Stricter: passwords are worth guessing.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { body: credentialsSchema, response: { 200: tokenSchema, 401: errorSchema } }
    }, async (request, reply) => {
      const expected = accounts.get(request.body.user)
      const given = hash(request.body.password)
      if (expected === undefined || !timingSafeEqual(expected, given)) return reply.code(401).send({ error: 'wrong user or password' })
      return { token: app.jwt.sign({ sub: request.body.user }), expiresIn: 3600 }
    })

    app.get('/notes', {
      summary: 'List notes, newest first',
      tags: ['notes'],
      schema: { querystring: listQuery, response: { 200: { type: 'array', items: noteSchema } } }
    }, async (request) => {
      const { owner, limit = 20, offset = 0 } = request.query
      const { rows } = owner === undefined
        ? await app.pg.query('SELECT * FROM notes ORDER BY id DESC LIMIT $1 OFFSET $2', [limit, offset])
        : await app.pg.query('SELECT * FROM notes WHERE owner = $1 ORDER BY id DESC LIMIT $2 OFFSET $3', [owner, limit, offset])
      return rows.map(toNote)
    })

    app.get('/notes/:id', {
      summary: 'One note (cached)',
      tags: ['notes'],
      schema: { params: idParams, response: { 200: noteSchema, 404: errorSchema } }
    }, async (request, reply) => {
      const key = `note:${request.params.id}`
      const cached = await app.redis.get(key)
      if (cached !== null) {
        reply.header('x-cache', 'hit')
        return JSON.parse(cached) as Note
      }
      const { rows } = await app.pg.query('SELECT * FROM notes WHERE id = $1', [request.params.id])
      if (rows.length === 0) return reply.code(404).send({ error: 'no such note' })
      const note = toNote(rows[0])
      await app.redis.set(key, JSON.stringify(note), 'EX', cacheSeconds)
      reply.header('x-cache', 'miss')
      return note
    })

    app.post('/notes', {
      summary: 'Write a note',
      tags: ['notes'],
      ...secured,
      schema: { body: newNoteSchema, response: { 201: noteSchema, 401: errorSchema } }
    }, async (request, reply) => {
      const owner = (request.user as { sub: string }).sub
      const { rows } = await app.pg.query('INSERT INTO notes (owner, title, body) VALUES ($1, $2, $3) RETURNING *', [owner, request.body.title, request.body.body])
      const note = toNote(rows[0])
      await publish({ type: 'created', id: note.id, note })
      reply.header('location', `/notes/${note.id}`)
      return reply.code(201).send(note)
    })

    app.patch('/notes/:id', {
      summary: 'Change a note of yours',
      tags: ['notes'],
      ...secured,
      schema: { params: idParams, body: notePatchSchema, response: { 200: noteSchema, 401: errorSchema, 404: errorSchema } }
    }, async (request, reply) => {
      const owner = (request.user as { sub: string }).sub
      const { title, body } = request.body
      const { rows } = await app.pg.query(
        'UPDATE notes SET title = coalesce($3, title), body = coalesce($4, body), updated_at = now() WHERE id = $1 AND owner = $2 RETURNING *',
        [request.params.id, owner, title ?? null, body ?? null])
      // Someone else's note is "not found" for you: its existence is not your business.
      if (rows.length === 0) return reply.code(404).send({ error: 'no such note of yours' })
      const note = toNote(rows[0])
      await publish({ type: 'updated', id: note.id, note })
      return note
    })

    app.delete('/notes/:id', {
      summary: 'Delete a note of yours',
      tags: ['notes'],
      ...secured,
      schema: { params: idParams, response: { 204: { type: 'null' }, 401: errorSchema, 404: errorSchema } }
    }, async (request, reply) => {
      const owner = (request.user as { sub: string }).sub
      const { rowCount } = await app.pg.query('DELETE FROM notes WHERE id = $1 AND owner = $2', [request.params.id, owner])
      if (rowCount === 0) return reply.code(404).send({ error: 'no such note of yours' })
      await publish({ type: 'deleted', id: request.params.id })
      return reply.code(204).send()
    })

    app.get('/notes/events', {
      summary: 'Live feed of changes (Server-Sent Events)',
      tags: ['notes'],
      sse: 'only',
      schema: { response: { 200: { description: 'text/event-stream: `created`, `updated` and `deleted` events', type: 'string' } } }
    }, async (request, reply) => {
      reply.sse.sendHeaders()
      reply.raw.flushHeaders()
      reply.sse.keepAlive()
      const send = (change: Change) => {
        reply.sse.send({ event: change.type, data: change.note ?? { id: change.id } })
          .catch((err: unknown) => { request.log.warn({ err }, 'event not sent') })
      }
      const close = () => { reply.sse.close() }
      streams.add(send)
      closers.add(close)
      reply.sse.onClose(() => { streams.delete(send); closers.delete(close) })
    })

    app.get('/health', { hide: true }, async () => {
      await app.pg.query('SELECT 1')
      await app.redis.ping()
      return { ok: true }
    })
  })

  return app
}
