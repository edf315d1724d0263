// `npm run build && node dist/recipes/cors-and-security-headers/server.js` in examples/, then
// `curl -i -H 'origin: https://app.example.com' 127.0.0.1:3000/profile`
import { buildApp } from './app.js'

const app = buildApp({ logger: true })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
