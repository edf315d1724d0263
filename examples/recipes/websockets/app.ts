// WebSockets with @fastify/websocket: a chat room where every message is broadcast to everyone
// connected. Routes declared with `websocket: true` go through the usual hooks (here: a token
// check in onRequest) before the connection is upgraded.
import velox from 'velox'
import type { RouteHandler, VeloxRequest, VeloxServerOptions } from 'velox'
import websocket from '@fastify/websocket'
import type { WebSocket } from 'ws'
import '../../support/plugin-types.js'

/** A websocket route's handler, typed as the route table expects a handler. */
function socketHandler (fn: (socket: WebSocket, request: VeloxRequest) => void): RouteHandler {
  return fn as unknown as RouteHandler
}

export function buildApp (options: VeloxServerOptions = {}) {
  const app = velox(options)
  const room = new Set<WebSocket>()

  app.register(websocket, { options: { maxPayload: 64 * 1024 } })

  app.register(async function chat (app) {
    // Hooks run for the upgrade request like for any other: refuse it before the socket opens.
    app.addHook('onRequest', async (request, reply) => {
      const { token } = request.query as { token?: string }
      if (token !== 'let-me-in') return reply.code(401).send({ error: 'missing or wrong token' })
    })

    app.get('/chat', { websocket: true }, socketHandler((socket, request) => {
      const { name = 'anonymous' } = request.query as { name?: string }
      room.add(socket)
      socket.on('message', (data) => {
        for (const peer of room) peer.send(`${name}: ${data.toString()}`)
      })
      socket.on('close', () => { room.delete(socket) })
    }))
  })

  // A plain HTTP route next to the socket one.
  app.get('/chat/online', async () => ({ online: room.size }))
  return app
}
