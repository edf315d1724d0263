import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from './app.js'

test('a preflight from the allowed origin is answered 204 with the allowed methods, credentials and max age', async () => {
  const app = buildApp()
  const res = await app.inject({
    method: 'OPTIONS',
    url: '/profile',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PATCH' }
  })
  assert.equal(res.statusCode, 204)
  assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.com')
  assert.equal(res.headers['access-control-allow-credentials'], 'true')
  assert.equal(res.headers['access-control-allow-methods'], 'GET, POST, PATCH, DELETE')
  assert.equal(res.headers['access-control-max-age'], '600')
  await app.close()
})

test('another origin gets no CORS headers, so the browser keeps the response from its script', async () => {
  const app = buildApp()
  const res = await app.inject({ url: '/profile', headers: { origin: 'https://evil.example' } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['access-control-allow-origin'], undefined)
  await app.close()
})

test('every response carries the security headers, errors included', async () => {
  const app = buildApp()
  for (const url of ['/profile', '/missing']) {
    const res = await app.inject({ url, headers: { origin: 'https://app.example.com' } })
    assert.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN')
    assert.equal(res.headers['x-powered-by'], undefined)
  }
  const ok = await app.inject({ url: '/profile', headers: { origin: 'https://app.example.com' } })
  assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com')
  assert.deepEqual(ok.json(), { name: 'Ada' })
  await app.close()
})
