// The server of the soak benchmark (benchmarks/soak.js): a Velox app with the features a
// production service turns on (schemas, handlerTimeout, safe errors, health, metrics), small
// limits so that bad input is cheap to send. Prints {"port"} when it listens; answers the
// runner's {"sample"} messages with its memory after a full garbage collection, so the heap
// numbers show what is still alive rather than when the collector last ran.
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import velox from '../dist/velox.js'

const item = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, price: { type: 'number' } }
}

const app = velox({
  bodyLimit: 4096,
  handlerTimeout: 2000,
  safeErrors: true,
  health: true,
  metrics: true,
  // Keep-alive connections are reused by the load; close idle ones the way a proxy would.
  keepAliveTimeout: 5000
})

app.get('/items/:id', {
  schema: { params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } }, response: { 200: item } }
}, async (request) => ({ id: request.params.id, name: `item ${request.params.id}`, tags: ['a', 'b'], price: 9.5 }))

app.post('/items', {
  schema: {
    body: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, tags: { type: 'array', maxItems: 10, items: { type: 'string' } }, price: { type: 'number', minimum: 0 } }
    },
    response: { 201: item }
  }
}, async (request, reply) => {
  reply.code(201)
  return { id: 7, ...request.body }
})

app.get('/search', {
  schema: {
    querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', minLength: 1 }, limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 } } },
    response: { 200: { type: 'array', items: item } }
  }
}, async (request) => Array.from({ length: request.query.limit }, (_, i) => ({ id: i + 1, name: `${request.query.q} ${i}`, tags: [], price: i })))

app.get('/stream', async (_request, reply) => {
  reply.type('text/plain')
  return Readable.from(['one ', 'two ', 'three'])
})

app.get('/slow', async (request) => {
  await sleep(5, undefined, { signal: request.signal })
  return { slow: true }
})

// Echoes input into a header: Node refuses CR/LF there, Velox answers one coded 500.
app.get('/echo', async (request, reply) => {
  reply.header('x-echo', request.query.v)
  return { echoed: true }
})

// Throws an internal error: safeErrors keeps its message out of the answer.
app.get('/fail', async () => { throw new Error('database at 10.0.0.7 refused the connection') })

process.on('message', (message) => {
  if (message?.sample !== true) return
  globalThis.gc?.()
  const memory = process.memoryUsage()
  process.send({ sample: true, rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external })
})

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
console.log(JSON.stringify({ port: app.server.address().port }))
