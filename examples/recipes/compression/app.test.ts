import { test } from 'node:test'
import assert from 'node:assert/strict'
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { buildApp } from './app.js'

test('a large JSON reply is brotli-compressed for a client that accepts it, gzip for one that accepts only gzip', async () => {
  const app = buildApp()
  const br = await app.inject({ url: '/report', headers: { 'accept-encoding': 'gzip, deflate, br' } })
  assert.equal(br.headers['content-encoding'], 'br')
  assert.equal(br.headers.vary, 'accept-encoding')
  const rows = JSON.parse(brotliDecompressSync(br.rawPayload).toString()).rows
  assert.equal(rows.length, 200)

  const gzip = await app.inject({ url: '/report', headers: { 'accept-encoding': 'gzip' } })
  assert.equal(gzip.headers['content-encoding'], 'gzip')
  assert.deepEqual(JSON.parse(gunzipSync(gzip.rawPayload).toString()).rows, rows)
  assert.ok(gzip.rawPayload.length < JSON.stringify({ rows }).length / 4)
  await app.close()
})

test('a small reply and a client without accept-encoding get the body as it is', async () => {
  const app = buildApp()
  const small = await app.inject({ url: '/ping', headers: { 'accept-encoding': 'br' } })
  assert.equal(small.headers['content-encoding'], undefined)
  assert.deepEqual(small.json(), { ok: true })
  const plain = await app.inject({ url: '/report' })
  assert.equal(plain.headers['content-encoding'], undefined)
  assert.equal(plain.json().rows.length, 200)
  await app.close()
})

test('a streamed reply is compressed as it streams', async () => {
  const app = buildApp()
  const res = await app.inject({ url: '/export.csv', headers: { 'accept-encoding': 'gzip' } })
  assert.equal(res.headers['content-encoding'], 'gzip')
  const lines = gunzipSync(res.rawPayload).toString().trim().split('\n')
  assert.equal(lines.length, 1000)
  assert.equal(lines[999], '999,item 999')
  await app.close()
})

test('a gzip request body is inflated before it is parsed', async () => {
  const app = buildApp()
  const res = await app.inject({
    method: 'POST',
    url: '/import',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: gzipSync(JSON.stringify([1, 2, 3]))
  })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { received: 3 })
  await app.close()
})
