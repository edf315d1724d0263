// `npm run build && node dist/recipes/express-middleware/server.js` in examples/, then
// `curl -i 127.0.0.1:3000/legacy/invoices/1` and `curl -i 127.0.0.1:3000/orders/1`
import { buildApp } from './app.js'

const app = buildApp({ logger: true })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
