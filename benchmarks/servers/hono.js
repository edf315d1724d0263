// Hono 4 on @hono/node-server, as its Node.js guide writes it. Hono has no response schemas;
// S3 validates by hand inside Hono's own `validator` middleware.
import { Hono } from 'hono'
import { validator } from 'hono/validator'
import { serve } from '@hono/node-server'
import * as common from './common.js'
import {
  PARAM_ROUTES, paramRoutePath, buildBigList, validateUser, validationError, notFoundError
} from '../scenarios.js'

const routeSets = {
  hello: function hello (app) {
    app.get('/', function hello (c) {
      return c.json({ hello: 'world' })
    })
  },
  params: function params (app) {
    for (let i = 0; i < PARAM_ROUTES; i++) {
      app.get(paramRoutePath(i), function item (c) {
        return c.json({ id: c.req.param('id'), itemId: c.req.param('itemId') })
      })
    }
  },
  validate: function validate (app) {
    const validUser = validator('json', function checkUser (value, c) {
      const error = validateUser(value)
      if (error !== null) return c.json(validationError(error), 400)
      return value
    })
    app.post('/users', validUser, function createUser (c) {
      return c.json({ id: 1, ...c.req.valid('json') })
    })
  },
  big: function big (app) {
    app.get('/big', function big (c) {
      return c.json(buildBigList())
    })
  },
  notfound: function notfound (app) {
    routeSets.hello(app)
  }
}

const app = new Hono()
routeSets[common.serverKind()](app)
app.notFound(function notFound (c) {
  return c.json(notFoundError(c.req.method, c.req.path), 404)
})

serve({ fetch: app.fetch, port: common.port(), hostname: common.host }, function listening (info) {
  common.announce(info)
})
