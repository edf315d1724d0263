// The scenario routes written against Fastify's API. `fastify.js` and `velox.js` both call
// `start()` with their factory, so the two servers run the same code line for line.
import * as common from './common.js'
import {
  PARAM_ROUTES, paramRoutePath, buildBigList, helloSchema, userSchema, bigSchema
} from '../scenarios.js'

const routeSets = {
  hello: function hello (app) {
    app.get('/', { schema: helloSchema }, async function hello () {
      return { hello: 'world' }
    })
  },
  params: function params (app) {
    for (let i = 0; i < PARAM_ROUTES; i++) {
      app.get(paramRoutePath(i), async function item (req) {
        return { id: req.params.id, itemId: req.params.itemId }
      })
    }
  },
  validate: function validate (app) {
    app.post('/users', { schema: userSchema }, async function createUser (req) {
      return { id: 1, ...req.body }
    })
  },
  big: function big (app) {
    app.get('/big', { schema: bigSchema }, async function big () {
      return buildBigList()
    })
  },
  // The default not-found handler answers; one route keeps the router from being empty.
  notfound: function notfound (app) {
    routeSets.hello(app)
  }
}

export async function start (factory) {
  const kind = common.serverKind()
  const app = factory({ logger: false })
  routeSets[kind](app)
  const url = await app.listen({ port: common.port(), host: common.host })
  common.announce(app.server?.address() ?? { port: Number(new URL(url).port) })
  return app
}
