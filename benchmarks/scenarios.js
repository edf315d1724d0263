// The benchmark scenarios: what each server answers, what the load generator sends and what
// the runner expects back. Servers and tools import this one file, so a scenario is defined once.

/** Number of routes in the S2 table and the one the load hits. */
export const PARAM_ROUTES = 200
export const PARAM_TARGET = 150

/** Size of the S4 list. */
export const BIG_LIST_LENGTH = 200

export const helloSchema = {
  response: {
    200: {
      type: 'object',
      properties: { hello: { type: 'string' } }
    }
  }
}

export const userBodySchema = {
  type: 'object',
  required: ['name', 'age', 'email', 'tags'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    age: { type: 'integer', minimum: 0 },
    email: { type: 'string', format: 'email' },
    tags: { type: 'array', items: { type: 'string' } }
  }
}

export const userSchema = {
  body: userBodySchema,
  response: {
    200: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        age: { type: 'integer' },
        email: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } }
      }
    }
  }
}

export const bigSchema = {
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          title: { type: 'string' },
          employer: { type: 'string' }
        }
      }
    }
  }
}

/** The S2 route path for resource `i`, in the `:param` syntax that Fastify, Express and Hono share. */
export function paramRoutePath (i) {
  return `/api/v1/resource${i}/:id/items/:itemId`
}

/** Builds the S4 payload; every server calls it once per request. */
export function buildBigList () {
  const list = new Array(BIG_LIST_LENGTH)
  for (let i = 0; i < BIG_LIST_LENGTH; i++) {
    list[i] = { id: i, title: `Senior engineer ${i}`, employer: 'Velox Labs' }
  }
  return list
}

// The address pattern of the WHATWG HTML "valid e-mail address" definition: a pragmatic subset
// of RFC 5322 that costs about what ajv-formats' `email` check costs.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

/**
 * Validates an S3 body by hand with the rules of `userBodySchema`, for the peers that have no
 * schema support. Returns null when valid, else a message in the style of ajv's.
 */
export function validateUser (body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be object'
  let keys = 0
  for (const key in body) {
    if (key !== 'name' && key !== 'age' && key !== 'email' && key !== 'tags') {
      return 'body must NOT have additional properties'
    }
    keys++
  }
  if (keys !== 4) {
    for (const key of userBodySchema.required) {
      if (!(key in body)) return `body must have required property '${key}'`
    }
  }
  const { name, age, email, tags } = body
  if (typeof name !== 'string') return 'body/name must be string'
  if (!Number.isInteger(age)) return 'body/age must be integer'
  if (age < 0) return 'body/age must be >= 0'
  if (typeof email !== 'string') return 'body/email must be string'
  if (!EMAIL.test(email)) return 'body/email must match format "email"'
  if (!Array.isArray(tags)) return 'body/tags must be array'
  for (let i = 0; i < tags.length; i++) {
    if (typeof tags[i] !== 'string') return `body/tags/${i} must be string`
  }
  return null
}

/** The 400 answer of the peers that validate by hand, shaped like Fastify's. */
export function validationError (message) {
  return { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message }
}

/** The 404 answer; the peers without a JSON default copy Fastify's. */
export function notFoundError (method, url) {
  return { message: `Route ${method}:${url} not found`, error: 'Not Found', statusCode: 404 }
}

const userBody = '{"name":"Ada","age":36,"email":"ada@example.com","tags":["a","b"]}'

/**
 * Every scenario the runner knows. `server` names the route set a server process installs
 * (S1 and S1-np share one); `request` is what autocannon sends; `expect` is checked once per
 * server before any load. `target` is the least requests per server CPU-second Velox must serve
 * as a multiple of Fastify's: 1.10 everywhere (issue 8), raised by issue 15 to 1.25 on S4 and to
 * 1.3 on non-pipelined S1, both measured with wrk.
 */
export const DEFAULT_TARGET = 1.1

export const scenarios = {
  s1: {
    title: 'S1 hello',
    server: 'hello',
    pipelining: true,
    request: { method: 'GET', path: '/' },
    expect: { status: 200, body: '{"hello":"world"}' }
  },
  's1-np': {
    title: 'S1-np hello',
    server: 'hello',
    pipelining: false,
    target: 1.3,
    request: { method: 'GET', path: '/' },
    expect: { status: 200, body: '{"hello":"world"}' }
  },
  s2: {
    title: 'S2 params',
    server: 'params',
    pipelining: true,
    request: { method: 'GET', path: `/api/v1/resource${PARAM_TARGET}/42/items/7` },
    expect: { status: 200, body: '{"id":"42","itemId":"7"}' }
  },
  s3: {
    title: 'S3 validate',
    server: 'validate',
    pipelining: true,
    request: {
      method: 'POST',
      path: '/users',
      headers: { 'content-type': 'application/json' },
      body: userBody
    },
    expect: { status: 200, body: `{"id":1,${userBody.slice(1)}` }
  },
  s4: {
    title: 'S4 bigjson',
    server: 'big',
    pipelining: true,
    target: 1.25,
    request: { method: 'GET', path: '/big' },
    expect: { status: 200, body: JSON.stringify(buildBigList()) }
  },
  s5: {
    title: 'S5 notfound',
    server: 'notfound',
    pipelining: true,
    request: { method: 'GET', path: '/does-not-exist' },
    expect: { status: 404, body: JSON.stringify(notFoundError('GET', '/does-not-exist')) }
  }
}

/** The route sets a server can be started with, in the order the runner reports them. */
export const serverKinds = ['hello', 'params', 'validate', 'big', 'notfound']
