import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from './app.js'

// Express swaps the prototype of the response it handles for its own, which drops what
// app.inject()'s simulated response writes through (real Fastify has the same limit): these
// tests go through a socket.
const app = buildApp()
let base: string
before(async () => { base = await app.listen({ port: 0, host: '127.0.0.1' }) })
after(async () => { await app.close() })

test('an Express router answers its routes, with its own body parser', async () => {
  const get = await fetch(`${base}/legacy/invoices/12`)
  assert.equal(get.status, 200)
  assert.deepEqual(await get.json(), { id: '12', from: 'express' })
  const post = await fetch(`${base}/legacy/invoices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ total: 5 }) })
  assert.equal(post.status, 201)
  assert.deepEqual(await post.json(), { created: { total: 5 } })
})

test('Express middleware runs for Velox routes too: helmet headers and the counter', async () => {
  const first = await fetch(`${base}/orders/1`)
  assert.deepEqual(await first.json(), { id: '1', from: 'velox' })
  assert.equal(first.headers.get('x-content-type-options'), 'nosniff')
  assert.equal(first.headers.get('x-frame-options'), 'SAMEORIGIN')
  const seen = Number(first.headers.get('x-requests-seen'))
  const second = await fetch(`${base}/legacy/invoices/1`)
  await second.arrayBuffer()
  assert.equal(Number(second.headers.get('x-requests-seen')), seen + 1)
  assert.equal(second.headers.get('x-content-type-options'), 'nosniff')
})

test('a URL neither part knows is Velox\'s 404', async () => {
  const res = await fetch(`${base}/nowhere`)
  assert.equal(res.status, 404)
  assert.deepEqual(await res.json(), { statusCode: 404, error: 'Not Found', message: 'Route GET:/nowhere not found' })
})
