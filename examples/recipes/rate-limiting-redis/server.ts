// `npm run build && REDIS_URL=redis://127.0.0.1:6379 node dist/recipes/rate-limiting-redis/server.js`
// in examples/; start two on different PORTs and watch them share the count.
import { buildApp } from './app.js'
import { redisUrl } from '../../support/services.js'

const app = buildApp({ logger: true, redisUrl, max: 10 })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
