// Express 5 as its guide writes it: routes on the app, express.json() for the body, res.json()
// to answer. Express has no schemas, so S3 validates by hand with the schema's rules.
// The runner starts every server with NODE_ENV=production, as Express's performance guide asks.
import express from 'express'
import * as common from './common.js'
import {
  PARAM_ROUTES, paramRoutePath, buildBigList, validateUser, validationError, notFoundError
} from '../scenarios.js'

const routeSets = {
  hello: function hello (app) {
    app.get('/', function hello (req, res) {
      res.json({ hello: 'world' })
    })
  },
  params: function params (app) {
    for (let i = 0; i < PARAM_ROUTES; i++) {
      app.get(paramRoutePath(i), function item (req, res) {
        res.json({ id: req.params.id, itemId: req.params.itemId })
      })
    }
  },
  validate: function validate (app) {
    app.post('/users', express.json(), function createUser (req, res) {
      const error = validateUser(req.body)
      if (error !== null) return res.status(400).json(validationError(error))
      res.json({ id: 1, ...req.body })
    })
  },
  big: function big (app) {
    app.get('/big', function big (req, res) {
      res.json(buildBigList())
    })
  },
  notfound: function notfound (app) {
    routeSets.hello(app)
  }
}

const app = express()
routeSets[common.serverKind()](app)
// Express's own 404 is an HTML page; the scenario wants the JSON every other peer sends.
app.use(function notFound (req, res) {
  res.status(404).json(notFoundError(req.method, req.originalUrl))
})

const server = app.listen(common.port(), common.host, function listening () {
  common.announce(server.address())
})
