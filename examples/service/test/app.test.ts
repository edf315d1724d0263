// The notes service against a real PostgreSQL and Redis (npm run test:examples starts them).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { request } from 'undici'
import { buildService } from '../src/app.js'
import type { ServiceOptions } from '../src/app.js'
import { databaseUrl, redisUrl, skipWithoutPostgres, skipWithoutRedis } from '../../support/services.js'

const skip = (await skipWithoutPostgres()) || (await skipWithoutRedis())
const jwtSecret = randomBytes(32).toString('hex')
// Each run keys its cache, channel and rate-limit counts apart from other runs sharing the Redis.
const base: ServiceOptions = { databaseUrl, redisUrl, jwtSecret, redisPrefix: `notes-test-${randomUUID()}:` }

let app: ReturnType<typeof buildService>
before(async () => { if (skip === false) { app = buildService(base); await app.ready() } })
after(async () => { await app?.close() })

async function tokenFor (user: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/auth/token', payload: { user, password } })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().token
}

test('a user writes, reads (then from the cache), changes and deletes a note; reads are public', { skip }, async () => {
  const ada = { authorization: `Bearer ${await tokenFor('ada', 'analytical')}` }
  const title = `groceries ${randomUUID()}`

  const created = await app.inject({ method: 'POST', url: '/notes', headers: ada, payload: { title, body: 'tea, milk' } })
  assert.equal(created.statusCode, 201, created.body)
  const note = created.json()
  assert.equal(note.owner, 'ada')
  assert.equal(note.title, title)
  assert.match(note.createdAt, /^\d{4}-\d\d-\d\dT/)
  assert.equal(created.headers.location, `/notes/${note.id}`)

  const first = await app.inject(`/notes/${note.id}`)
  assert.equal(first.headers['x-cache'], 'miss')
  assert.deepEqual(first.json(), note)
  const second = await app.inject(`/notes/${note.id}`)
  assert.equal(second.headers['x-cache'], 'hit')
  assert.deepEqual(second.json(), note)

  const list = await app.inject('/notes?owner=ada&limit=5')
  assert.equal(list.statusCode, 200)
  assert.deepEqual(list.json()[0], note, 'newest first')

  const changed = await app.inject({ method: 'PATCH', url: `/notes/${note.id}`, headers: ada, payload: { body: 'tea, milk, bread' } })
  assert.equal(changed.statusCode, 200)
  assert.equal(changed.json().body, 'tea, milk, bread')
  assert.equal(changed.json().title, title)
  const fresh = await app.inject(`/notes/${note.id}`)
  assert.equal(fresh.headers['x-cache'], 'miss', 'the change dropped the cached copy')
  assert.equal(fresh.json().body, 'tea, milk, bread')

  const deleted = await app.inject({ method: 'DELETE', url: `/notes/${note.id}`, headers: ada })
  assert.equal(deleted.statusCode, 204)
  assert.equal((await app.inject(`/notes/${note.id}`)).statusCode, 404)
})

test('writes need a valid token, and only the owner changes or deletes a note', { skip }, async () => {
  const ada = { authorization: `Bearer ${await tokenFor('ada', 'analytical')}` }
  const alan = { authorization: `Bearer ${await tokenFor('alan', 'enigma')}` }
  assert.equal((await app.inject({ method: 'POST', url: '/auth/token', payload: { user: 'ada', password: 'guess' } })).statusCode, 401)

  const anonymous = await app.inject({ method: 'POST', url: '/notes', payload: { title: 'x', body: 'y' } })
  assert.equal(anonymous.statusCode, 401)
  assert.deepEqual(anonymous.json(), { error: 'a valid Bearer token is required' })
  assert.equal((await app.inject({ method: 'POST', url: '/notes', headers: { authorization: 'Bearer nonsense' }, payload: { title: 'x', body: 'y' } })).statusCode, 401)

  const note = (await app.inject({ method: 'POST', url: '/notes', headers: ada, payload: { title: 'mine', body: '' } })).json()
  const patch = await app.inject({ method: 'PATCH', url: `/notes/${note.id}`, headers: alan, payload: { title: 'yours now' } })
  assert.equal(patch.statusCode, 404)
  assert.equal((await app.inject({ method: 'DELETE', url: `/notes/${note.id}`, headers: alan })).statusCode, 404)
  assert.equal((await app.inject(`/notes/${note.id}`)).json().title, 'mine')
})

test('bad input is refused with 400 before any query runs, and undeclared fields are dropped', { skip }, async () => {
  const ada = { authorization: `Bearer ${await tokenFor('ada', 'analytical')}` }
  const cases = [
    { method: 'POST', url: '/notes', payload: { title: '', body: 'empty title' } },
    { method: 'PATCH', url: '/notes/1', payload: {} },
    { method: 'GET', url: '/notes/abc' },
    { method: 'GET', url: '/notes?limit=1000' }
  ] as const
  for (const c of cases) {
    const res = await app.inject({ ...c, headers: ada })
    assert.equal(res.statusCode, 400, `${c.method} ${c.url} ${JSON.stringify('payload' in c ? c.payload : '')}`)
    assert.equal(res.json().code, 'FST_ERR_VALIDATION')
  }
  // Fields the schema does not declare are dropped (Ajv's removeAdditional, as in Fastify): the
  // owner is always the token's user.
  const smuggled = await app.inject({ method: 'POST', url: '/notes', headers: ada, payload: { title: 't', body: 'b', owner: 'alan' } })
  assert.equal(smuggled.statusCode, 201)
  assert.equal(smuggled.json().owner, 'ada')
})

test('a client of the live feed on one instance hears about a note written through another', { skip }, async () => {
  const other = buildService(base)
  await other.listen({ port: 0, host: '127.0.0.1' })
  try {
    const feed = await request(`${other.listeningOrigin}/notes/events`, { headers: { accept: 'text/event-stream' } })
    assert.equal(feed.statusCode, 200)
    const ada = { authorization: `Bearer ${await tokenFor('ada', 'analytical')}` }
    const title = `live ${randomUUID()}`
    const note = (await app.inject({ method: 'POST', url: '/notes', headers: ada, payload: { title, body: '' } })).json()
    await app.inject({ method: 'DELETE', url: `/notes/${note.id}`, headers: ada })

    let text = ''
    for await (const chunk of feed.body) {
      text += chunk.toString()
      if (text.includes('event: deleted')) break
    }
    feed.body.destroy()
    assert.match(text, new RegExp(`event: created\ndata: \\{"id":${note.id},"owner":"ada","title":"${title}"`))
    assert.match(text, new RegExp(`event: deleted\ndata: \\{"id":${note.id}\\}`))
  } finally {
    await other.close()
  }
})

test('clients are rate limited across instances', { skip }, async () => {
  const options = { ...base, redisPrefix: `notes-test-${randomUUID()}:`, rateLimitMax: 3 }
  const one = buildService(options)
  const two = buildService(options)
  try {
    const codes = []
    for (const instance of [one, two, one, two]) codes.push((await instance.inject('/notes?limit=1')).statusCode)
    assert.deepEqual(codes, [200, 200, 200, 429])
  } finally {
    await Promise.all([one.close(), two.close()])
  }
})

test('the OpenAPI document describes the routes, their schemas and which need a token', { skip }, async () => {
  const res = await app.inject('/openapi.json')
  assert.equal(res.statusCode, 200)
  const doc = res.json()
  assert.equal(doc.info.title, 'Notes')
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/auth/token', '/notes', '/notes/events', '/notes/{id}'])
  assert.deepEqual(doc.paths['/notes'].post.security, [{ bearer: [] }])
  assert.equal(doc.paths['/notes'].get.security, undefined)
  assert.deepEqual(doc.paths['/notes'].post.requestBody.content['application/json'].schema.required, ['title', 'body'])
  assert.equal((await app.inject('/docs')).statusCode, 200)
})
