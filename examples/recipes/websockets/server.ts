// Runs the recipe: `npm run build && node dist/recipes/websockets/server.js` in examples/,
// then connect with any WebSocket client to ws://127.0.0.1:3000/chat?token=let-me-in&name=ada
import { buildApp } from './app.js'

const app = buildApp({ logger: true })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
