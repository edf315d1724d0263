// The main example: `npm start` builds Velox and runs this on http://127.0.0.1:3000.
import { buildApp } from './app.js'

const pretty = process.stdout.isTTY === true
const app = buildApp({
  // Human-readable logs in a terminal, JSON lines otherwise (pino-pretty is a devDependency).
  logger: pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : true
})

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'closing')
    app.close().then(() => process.exit(0), (err: unknown) => {
      app.log.error({ err }, 'close failed')
      process.exit(1)
    })
  })
}

await app.listen({ port, host })
