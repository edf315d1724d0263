import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { buildGateway, buildOrdersService, buildUsersService } from './app.js'

const usersStats = { requests: 0 }
const users = buildUsersService(usersStats)
const orders = buildOrdersService()
let upstreams: { users: string, orders: string }
before(async () => {
  upstreams = {
    users: await users.listen({ port: 0, host: '127.0.0.1' }),
    orders: await orders.listen({ port: 0, host: '127.0.0.1' })
  }
})
after(async () => { await Promise.all([users.close(), orders.close()]) })

const apiKeys = { 'key-1': 'shop-frontend' }

test('requests with a known key are forwarded to the right service with the caller and a request id, without the key', async () => {
  const gateway = buildGateway({ upstreams, apiKeys })
  const user = await gateway.inject({ url: '/users/42', headers: { 'x-api-key': 'key-1' } })
  assert.equal(user.statusCode, 200)
  const body = user.json()
  assert.equal(body.id, '42')
  assert.equal(body.requestedBy, 'shop-frontend')
  assert.equal(body.sawApiKey, false)
  assert.match(body.requestId, /^req-/)

  const order = await gateway.inject({ method: 'POST', url: '/orders', headers: { 'x-api-key': 'key-1' }, payload: { item: 'tea' } })
  assert.equal(order.statusCode, 201)
  assert.deepEqual(order.json(), { created: { item: 'tea' }, by: 'shop-frontend' })
  await gateway.close()
})

test('a request without a valid key is refused at the gateway and never reaches a service', async () => {
  const gateway = buildGateway({ upstreams, apiKeys })
  const before = usersStats.requests
  const res = await gateway.inject({ url: '/users/42', headers: { 'x-api-key': 'wrong' } })
  assert.equal(res.statusCode, 401)
  assert.deepEqual(res.json(), { error: 'missing or unknown x-api-key' })
  assert.equal(usersStats.requests, before)
  assert.deepEqual((await gateway.inject('/health')).json(), { ok: true })
  await gateway.close()
})

test('a service that is down answers 502 with the name of the service and nothing of its error', async () => {
  const gateway = buildGateway({ upstreams: { users: 'http://127.0.0.1:1', orders: upstreams.orders }, apiKeys })
  gateway.log.level = 'silent'
  const down = await gateway.inject({ url: '/users/1', headers: { 'x-api-key': 'key-1' } })
  assert.equal(down.statusCode, 502)
  assert.deepEqual(down.json(), { error: 'the users service is not available' })
  await gateway.close()
})
