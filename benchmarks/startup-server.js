// The cold-start server: `node startup-server.js <fastify|velox|velox-cache> <routes>` registers
// that many POST /r<i> routes, each with its own body schema (property f<i>) and response schema,
// then listens on a free port and prints {"port", "rss"} once ready. The handler adds a field the
// response schema does not declare, so a correct answer also proves the serializer ran.
// `velox-cache` is Velox with its `schemaCache` option set to VELOX_SCHEMA_CACHE: validators and
// serializers precompiled by an earlier start, as an app ships them ahead of time.
const [name, count] = process.argv.slice(2)
const routes = Number(count)
if (!['fastify', 'velox', 'velox-cache'].includes(name) || !Number.isInteger(routes) || routes < 1) {
  console.error('usage: node startup-server.js <fastify|velox|velox-cache> <routes>')
  process.exit(2)
}

// Loading the framework is part of a cold start, so it happens here, after the clock started.
const factory = name === 'fastify'
  ? (await import('fastify')).default
  : (await import('../dist/velox.js')).default

const options = { logger: false }
if (name === 'velox-cache') {
  if (!process.env.VELOX_SCHEMA_CACHE) throw new Error('velox-cache needs VELOX_SCHEMA_CACHE (a file path)')
  options.schemaCache = process.env.VELOX_SCHEMA_CACHE
}
const app = factory(options)
for (let i = 0; i < routes; i++) {
  const field = `f${i}`
  app.post(`/r${i}`, {
    schema: {
      body: {
        type: 'object',
        required: [field],
        additionalProperties: false,
        properties: { [field]: { type: 'integer' } }
      },
      response: {
        200: {
          type: 'object',
          properties: { [field]: { type: 'integer' }, route: { type: 'integer' } }
        }
      }
    }
  }, async function handler (req) {
    return { [field]: req.body[field], route: i, undeclared: true }
  })
}
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
const address = app.server?.address() ?? { port: Number(new URL(url).port) }
process.stdout.write(JSON.stringify({ port: address.port, rss: process.memoryUsage().rss }) + '\n')
