// Starts the notes service: `npm run service` in examples/ (after `npm run build`), with
// DATABASE_URL, REDIS_URL and JWT_SECRET set (see examples/service/README.md).
import { buildService } from './app.js'
import { databaseUrl, redisUrl } from '../../support/services.js'

const jwtSecret = process.env.JWT_SECRET
if (jwtSecret === undefined || jwtSecret.length < 32) {
  console.error('JWT_SECRET must be set to at least 32 random characters')
  process.exit(1)
}
const app = buildService({ logger: true, databaseUrl, redisUrl, jwtSecret, closeOnSignals: true })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' })
