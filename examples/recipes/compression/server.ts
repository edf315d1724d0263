// `npm run build && node dist/recipes/compression/server.js` in examples/, then
// `curl -s --compressed -i 127.0.0.1:3000/report | head`
import { buildApp } from './app.js'

const app = buildApp({ logger: true })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
