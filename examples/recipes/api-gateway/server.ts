// `npm run build && node dist/recipes/api-gateway/server.js` in examples/: starts the two services
// and the gateway in one process; then `curl -H 'x-api-key: demo' 127.0.0.1:3000/users/42`
import { buildGateway, buildOrdersService, buildUsersService } from './app.js'

const users = buildUsersService()
const orders = buildOrdersService()
const usersUrl = await users.listen({ port: 0, host: '127.0.0.1' })
const ordersUrl = await orders.listen({ port: 0, host: '127.0.0.1' })
const gateway = buildGateway({ logger: true, upstreams: { users: usersUrl, orders: ordersUrl }, apiKeys: { demo: 'demo-client' } })
await gateway.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
