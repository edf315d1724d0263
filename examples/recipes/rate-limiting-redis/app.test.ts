import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { buildApp } from './app.js'
import { redisUrl, skipWithoutRedis } from '../../support/services.js'

const skip = await skipWithoutRedis()

test('two instances share one count in Redis: the fourth request is refused whichever instance gets it', { skip }, async () => {
  const namespace = `rate-limit-test-${randomUUID()}-`
  const first = buildApp({ redisUrl, namespace, max: 3 })
  const second = buildApp({ redisUrl, namespace, max: 3 })
  const headers = { 'x-api-key': 'client-1' }

  const answers = []
  for (const app of [first, second, first]) answers.push(await app.inject({ url: '/quotes', headers }))
  assert.deepEqual(answers.map((r) => r.statusCode), [200, 200, 200])
  assert.deepEqual(answers.map((r) => r.headers['x-ratelimit-remaining']), ['2', '1', '0'])

  const refused = await second.inject({ url: '/quotes', headers })
  assert.equal(refused.statusCode, 429)
  assert.match(refused.json().message, /^Rate limit exceeded, retry in /)
  assert.ok(Number(refused.headers['retry-after']) > 0)

  // Another client has its own count.
  const other = await second.inject({ url: '/quotes', headers: { 'x-api-key': 'client-2' } })
  assert.equal(other.statusCode, 200)
  await Promise.all([first.close(), second.close()])
})

test('a route with its own limit refuses sooner than the global one', { skip }, async () => {
  const app = buildApp({ redisUrl, namespace: `rate-limit-test-${randomUUID()}-` })
  const codes = []
  for (let i = 0; i < 4; i++) codes.push((await app.inject({ method: 'POST', url: '/login' })).statusCode)
  assert.deepEqual(codes, [200, 200, 200, 429])
  await app.close()
})

test('when Redis is down the API keeps answering, unlimited', async () => {
  // Nothing listens on port 1.
  const app = buildApp({ redisUrl: 'redis://127.0.0.1:1', max: 1 })
  app.log.level = 'silent'
  const codes = []
  for (let i = 0; i < 3; i++) codes.push((await app.inject('/quotes')).statusCode)
  assert.deepEqual(codes, [200, 200, 200])
  await app.close()
})
