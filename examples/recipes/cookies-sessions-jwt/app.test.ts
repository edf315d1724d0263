import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { buildApp } from './app.js'

const options = { sessionKey: randomBytes(32), jwtSecret: randomBytes(32).toString('hex') }
const ada = { user: 'ada', password: 'analytical' }

test('a browser logs in to an encrypted session cookie, is known on later requests, and logs out', async () => {
  const app = buildApp(options)
  const login = await app.inject({ method: 'POST', url: '/session', payload: ada })
  assert.equal(login.statusCode, 200)
  const cookie = login.cookies.find((c) => c.name === 'session')
  assert.ok(cookie !== undefined)
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.secure, true)
  assert.equal(cookie.sameSite, 'Lax')
  assert.ok(!cookie.value.includes('ada'), 'the cookie is encrypted')

  const me = await app.inject({ url: '/me', cookies: { session: cookie.value } })
  assert.deepEqual(me.json(), { id: 'ada', name: 'Ada Lovelace' })

  const tampered = cookie.value.slice(0, -4) + (cookie.value.endsWith('AAAA') ? 'BBBB' : 'AAAA')
  assert.equal((await app.inject({ url: '/me', cookies: { session: tampered } })).statusCode, 401)

  const logout = await app.inject({ method: 'DELETE', url: '/session', cookies: { session: cookie.value } })
  assert.equal(logout.statusCode, 204)
  const cleared = logout.cookies.find((c) => c.name === 'session')
  assert.equal(cleared?.value, '')
  await app.close()
})

test('an API client trades its password for a JWT and sends it as a Bearer token', async () => {
  const app = buildApp(options)
  const issued = await app.inject({ method: 'POST', url: '/token', payload: ada })
  assert.equal(issued.statusCode, 200)
  const { token, expiresIn } = issued.json()
  assert.equal(expiresIn, 900)
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
  assert.equal(claims.sub, 'ada')
  assert.equal(claims.exp - claims.iat, 900)

  const me = await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })
  assert.deepEqual(me.json(), { id: 'ada', name: 'Ada Lovelace' })

  // A token signed with another secret is refused.
  const other = buildApp({ ...options, jwtSecret: 'another secret' })
  await other.ready()
  const forged = other.jwt.sign({ sub: 'ada' })
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${forged}` } })).statusCode, 401)
  await Promise.all([app.close(), other.close()])
})

test('wrong credentials get 401, a missing field 400, and no session or token', async () => {
  const app = buildApp(options)
  const wrong = await app.inject({ method: 'POST', url: '/session', payload: { user: 'ada', password: 'nope' } })
  assert.equal(wrong.statusCode, 401)
  assert.equal(wrong.cookies.length, 0)
  assert.equal((await app.inject({ method: 'POST', url: '/token', payload: { user: 'ada' } })).statusCode, 400)
  assert.equal((await app.inject('/me')).statusCode, 401)
  await app.close()
})

test('a plain cookie carries a preference', async () => {
  const app = buildApp(options)
  const res = await app.inject({ method: 'PUT', url: '/theme/dark' })
  const theme = res.cookies.find((c) => c.name === 'theme')
  assert.equal(theme?.value, 'dark')
  assert.equal(theme?.maxAge, 31536000)
  await app.close()
})
