// The cold-start server: `node startup-server.js <kind> <routes>` registers that many routes
// (startup-app.js), listens on a free port and prints {"port", "rss"} once ready. Kinds:
//   fastify       Fastify 5
//   velox         Velox with its defaults: listen() compiles on demand, the rest in the background
//   velox-eager   Velox with compile: 'eager' (every schema compiled before listen() resolves)
//   velox-build   Velox loading the file `velox build` wrote (VELOX_SCHEMA_BUILD), on demand
//   velox-cache   Velox with its schemaCache option (VELOX_SCHEMA_CACHE), primed by an earlier start
import { addRoutes } from './startup-app.js'

const KINDS = ['fastify', 'velox', 'velox-eager', 'velox-build', 'velox-cache']
const [name, count] = process.argv.slice(2)
const routes = Number(count)
if (!KINDS.includes(name) || !Number.isInteger(routes) || routes < 1) {
  console.error(`usage: node startup-server.js <${KINDS.join('|')}> <routes>`)
  process.exit(2)
}

// Loading the framework is part of a cold start, so it happens here, after the clock started.
const factory = name === 'fastify'
  ? (await import('fastify')).default
  : (await import('../dist/velox.js')).default

const options = { logger: false }
if (name === 'velox-eager') options.compile = 'eager'
if (name === 'velox-cache') {
  if (!process.env.VELOX_SCHEMA_CACHE) throw new Error('velox-cache needs VELOX_SCHEMA_CACHE (a file path)')
  options.schemaCache = process.env.VELOX_SCHEMA_CACHE
}
if (name === 'velox-build') {
  if (!process.env.VELOX_SCHEMA_BUILD) throw new Error('velox-build needs VELOX_SCHEMA_BUILD (the file velox build wrote)')
  options.schemaBuild = process.env.VELOX_SCHEMA_BUILD
}
const app = addRoutes(factory(options), routes)
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
const address = app.server?.address() ?? { port: Number(new URL(url).port) }
process.stdout.write(JSON.stringify({ port: address.port, rss: process.memoryUsage().rss }) + '\n')
