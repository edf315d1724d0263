// An API gateway with @fastify/http-proxy: one public entry point that checks the API key once,
// then forwards /users/* and /orders/* to the services behind it, telling them who the caller is.
// Hooks, logging and rate limiting registered on the gateway apply to the proxied routes too.
import velox from 'velox'
import type { VeloxServerOptions } from 'velox'
import proxy from '@fastify/http-proxy'
import '../../support/plugin-types.js'

export interface GatewayOptions extends VeloxServerOptions {
  /** Base URLs of the services, such as http://users.internal:3000. */
  upstreams: { users: string, orders: string }
  /** API key -> the client it belongs to. */
  apiKeys: Record<string, string>
}

export function buildGateway ({ upstreams, apiKeys, ...options }: GatewayOptions) {
  const app = velox(options)

  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return
    const key = request.headers['x-api-key']
    const client = typeof key === 'string' ? apiKeys[key] : undefined
    if (client === undefined) return reply.code(401).send({ error: 'missing or unknown x-api-key' })
    request.headers['x-client'] = client
  })

  for (const [name, upstream] of Object.entries(upstreams)) {
    app.register(proxy, {
      upstream,
      prefix: `/${name}`,
      // The services' own paths have no prefix: /users/42 -> GET /42 on the users service.
      rewritePrefix: '',
      replyOptions: {
        rewriteRequestHeaders: (request, headers) => {
          // The key stays at the edge; the services get who is calling and a request id to log.
          const { 'x-api-key': _key, ...rest } = headers
          return { ...rest, 'x-request-id': String(request.id) }
        },
        // A service that cannot be reached: say which, without passing on its error's details.
        onError: (reply, { error }) => {
          reply.log.warn({ err: error, upstream }, 'upstream failed')
          reply.code(502).send({ error: `the ${name} service is not available` })
        }
      }
    })
  }

  app.get('/health', async () => ({ ok: true }))
  return app
}

/** A stand-in for the users service behind the gateway. */
export function buildUsersService (stats = { requests: 0 }) {
  const app = velox()
  app.addHook('onRequest', async () => { stats.requests++ })
  app.get('/:id', async (request) => ({
    id: (request.params as { id: string }).id,
    requestedBy: request.headers['x-client'],
    requestId: request.headers['x-request-id'],
    sawApiKey: request.headers['x-api-key'] !== undefined
  }))
  return app
}

/** A stand-in for the orders service behind the gateway. */
export function buildOrdersService () {
  const app = velox()
  app.post('/', async (request, reply) => reply.code(201).send({ created: request.body, by: request.headers['x-client'] }))
  return app
}
