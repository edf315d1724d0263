// `npm run build && node dist/recipes/server-sent-events/server.js` in examples/, then
// `curl -N 127.0.0.1:3000/orders/events` and, in another terminal,
// `curl -X POST -H 'content-type: application/json' -d '{"item":"tea"}' 127.0.0.1:3000/orders`
import { buildApp } from './app.js'

const app = buildApp({ logger: true })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
