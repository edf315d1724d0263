// Raw node:http: the physical limit. No framework, the routing and validation a framework
// would do are written by hand for exactly these routes, and every payload is still built and
// serialized per request.
import http from 'node:http'
import * as common from './common.js'
import {
  PARAM_ROUTES, buildBigList, validateUser, validationError, notFoundError
} from '../scenarios.js'

const JSON_TYPE = 'application/json; charset=utf-8'
const BODY_LIMIT = 1024 * 1024

function send (res, status, payload) {
  const body = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function notFound (req, res) {
  send(res, 404, notFoundError(req.method, req.url))
}

function hello (req, res) {
  if (req.method === 'GET' && req.url === '/') return send(res, 200, { hello: 'world' })
  notFound(req, res)
}

// `/api/v1/resource<i>/:id/items/:itemId` for i in [0, PARAM_ROUTES): split once and compare
// the fixed segments, the least a router can do for this table.
const RESOURCE = 'resource'
function params (req, res) {
  const url = req.url
  const query = url.indexOf('?')
  const parts = (query === -1 ? url : url.slice(0, query)).split('/')
  if (req.method === 'GET' && parts.length === 7 && parts[1] === 'api' && parts[2] === 'v1' &&
      parts[5] === 'items' && parts[4] !== '' && parts[6] !== '' && parts[3].startsWith(RESOURCE)) {
    const digits = parts[3].slice(RESOURCE.length)
    const n = Number(digits)
    if (digits !== '' && Number.isInteger(n) && n >= 0 && n < PARAM_ROUTES && String(n) === digits) {
      return send(res, 200, { id: decodeURIComponent(parts[4]), itemId: decodeURIComponent(parts[6]) })
    }
  }
  notFound(req, res)
}

function validate (req, res) {
  if (req.method !== 'POST' || req.url !== '/users') return notFound(req, res)
  const type = req.headers['content-type']
  if (type === undefined || !type.startsWith('application/json')) {
    return send(res, 415, { statusCode: 415, error: 'Unsupported Media Type', message: 'expected application/json' })
  }
  const chunks = []
  let length = 0
  req.on('data', function onData (chunk) {
    length += chunk.length
    if (length > BODY_LIMIT) {
      send(res, 413, { statusCode: 413, error: 'Payload Too Large', message: 'body too large' })
      req.destroy()
      return
    }
    chunks.push(chunk)
  })
  req.on('end', function onEnd () {
    let body
    try {
      body = JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString())
    } catch {
      return send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'invalid JSON' })
    }
    const error = validateUser(body)
    if (error !== null) return send(res, 400, validationError(error))
    send(res, 200, { id: 1, ...body })
  })
}

function big (req, res) {
  if (req.method === 'GET' && req.url === '/big') return send(res, 200, buildBigList())
  notFound(req, res)
}

const handlers = { hello, params, validate, big, notfound: hello }

const server = http.createServer(handlers[common.serverKind()])
server.listen(common.port(), common.host, function listening () {
  common.announce(server.address())
})
