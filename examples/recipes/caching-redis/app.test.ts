import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { buildApp, Catalog } from './app.js'
import { redisUrl, skipWithoutRedis } from '../../support/services.js'

const skip = await skipWithoutRedis()

test('the second read is served from Redis without touching the source, and a write invalidates it', { skip }, async () => {
  const catalog = new Catalog()
  const app = buildApp({ redisUrl, catalog, keyPrefix: `cache-test-${randomUUID()}:` })

  const first = await app.inject('/products/1')
  assert.equal(first.statusCode, 200)
  assert.equal(first.headers['x-cache'], 'miss')
  assert.deepEqual(first.json(), { id: 1, name: 'kettle', price: 30 })

  const second = await app.inject('/products/1')
  assert.equal(second.headers['x-cache'], 'hit')
  assert.deepEqual(second.json(), first.json())
  assert.equal(catalog.reads, 1)

  const put = await app.inject({ method: 'PUT', url: '/products/1', payload: { name: 'kettle', price: 25 } })
  assert.equal(put.statusCode, 204)
  const fresh = await app.inject('/products/1')
  assert.equal(fresh.headers['x-cache'], 'miss')
  assert.equal(fresh.json().price, 25)
  assert.equal(catalog.reads, 2)
  await app.close()
})

test('entries expire after their TTL', { skip }, async () => {
  const keyPrefix = `cache-test-${randomUUID()}:`
  const app = buildApp({ redisUrl, keyPrefix, ttlSeconds: 30 })
  await app.inject('/products/1')
  const ttl = await app.redis.ttl('product:1')
  assert.ok(ttl > 0 && ttl <= 30, `TTL ${ttl}`)
  await app.close()
})

test('an unknown product is 404 and nothing is cached; a bad id is 400', { skip }, async () => {
  const app = buildApp({ redisUrl, keyPrefix: `cache-test-${randomUUID()}:` })
  const missing = await app.inject('/products/9')
  assert.equal(missing.statusCode, 404)
  assert.equal(await app.redis.exists('product:9'), 0)
  assert.equal((await app.inject('/products/abc')).statusCode, 400)
  await app.close()
})
