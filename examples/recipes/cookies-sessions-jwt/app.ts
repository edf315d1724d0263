// Cookies, sessions and JWT: browsers log in to a session kept in an encrypted cookie
// (@fastify/secure-session, on top of @fastify/cookie), API clients get a JWT (@fastify/jwt) and
// send it as a Bearer token. GET /me accepts either.
import velox from 'velox'
import type { VeloxRequest, VeloxServerOptions } from 'velox'
import cookie from '@fastify/cookie'
import secureSession from '@fastify/secure-session'
import jwt from '@fastify/jwt'
import '../../support/plugin-types.js'

export interface AuthOptions extends VeloxServerOptions {
  /** 32 bytes, for the session cookie's encryption (keep it in a secret store, rotate with `key: [new, old]`). */
  sessionKey: Buffer
  jwtSecret: string
}

interface User { id: string, name: string }
const users = new Map<string, User & { password: string }>([['ada', { id: 'ada', name: 'Ada Lovelace', password: 'analytical' }]])

function checkPassword (body: { user: string, password: string }): User | undefined {
  const user = users.get(body.user)
  return user !== undefined && user.password === body.password ? { id: user.id, name: user.name } : undefined
}

const credentials = {
  type: 'object',
  required: ['user', 'password'],
  properties: { user: { type: 'string' }, password: { type: 'string' } }
} as const

export function buildApp ({ sessionKey, jwtSecret, ...options }: AuthOptions) {
  const app = velox(options)
  app.register(cookie)
  app.register(secureSession, {
    key: sessionKey,
    cookieName: 'session',
    cookie: { path: '/', httpOnly: true, secure: true, sameSite: 'lax', maxAge: 8 * 60 * 60 }
  })
  app.register(jwt, { secret: jwtSecret, sign: { expiresIn: '15m' } })

  /** The user of a request: the session's, else the Bearer token's; undefined when neither. */
  async function currentUser (request: VeloxRequest): Promise<string | undefined> {
    const fromSession = request.session.get('userId')
    if (fromSession !== undefined) return fromSession
    if (request.headers.authorization?.startsWith('Bearer ') !== true) return undefined
    try {
      return (await request.jwtVerify<{ sub: string }>()).sub
    } catch {
      return undefined
    }
  }

  app.post('/session', { schema: { body: credentials } }, async (request, reply) => {
    const user = checkPassword(request.body)
    if (user === undefined) return reply.code(401).send({ error: 'wrong user or password' })
    request.session.regenerate()
    request.session.set('userId', user.id)
    return { name: user.name }
  })

  app.delete('/session', async (request, reply) => {
    request.session.delete()
    return reply.code(204).send()
  })

  app.post('/token', { schema: { body: credentials } }, async (request, reply) => {
    const user = checkPassword(request.body)
    if (user === undefined) return reply.code(401).send({ error: 'wrong user or password' })
    return { token: app.jwt.sign({ sub: user.id }), expiresIn: 900 }
  })

  app.get('/me', async (request, reply) => {
    const id = await currentUser(request)
    if (id === undefined) return reply.code(401).send({ error: 'log in first' })
    return { id, name: users.get(id)?.name }
  })

  // A preference kept in a plain cookie: nothing secret, readable by the page's script.
  app.put('/theme/:theme', async (request, reply) => {
    const { theme } = request.params as { theme: string }
    reply.setCookie('theme', theme, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 60 * 60 })
    return { theme }
  })
  return app
}
