// `npm run build && REDIS_URL=redis://127.0.0.1:6379 node dist/recipes/caching-redis/server.js` in
// examples/, then `curl -i 127.0.0.1:3000/products/1` twice.
import { buildApp } from './app.js'
import { redisUrl } from '../../support/services.js'

const app = buildApp({ logger: true, redisUrl })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
