// `npm run build && node dist/recipes/cookies-sessions-jwt/server.js` in examples/ (SESSION_KEY:
// 64 hex digits, JWT_SECRET: any long random string), then
// `curl -X POST -H 'content-type: application/json' -d '{"user":"ada","password":"analytical"}' 127.0.0.1:3000/token`
import { randomBytes } from 'node:crypto'
import { buildApp } from './app.js'

const sessionKey = process.env.SESSION_KEY !== undefined ? Buffer.from(process.env.SESSION_KEY, 'hex') : randomBytes(32)
const app = buildApp({ logger: true, sessionKey, jwtSecret: process.env.JWT_SECRET ?? randomBytes(32).toString('hex') })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
