// velox/client against a real listening server: the client is typed from the
// app's type alone (test/types/client.tst.ts checks those types), and here its
// requests and responses go over a socket as a user's would.
import t from 'tap'
import velox from '../lib/index.js'
import { createClient, createRouteClient } from '../lib/client/index.js'

const User = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string', default: 'member' } }
} as const

function buildApp () {
  const users = new Map([[1, { id: 1, name: 'Ada' }]])
  return velox({ logger: false })
    .get('/users/:id', {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        querystring: { type: 'object', properties: { fields: { type: 'array', items: { type: 'string' } }, since: { type: 'string', format: 'date-time' } } },
        response: {
          200: User,
          404: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } }
        }
      }
    }, async (request, reply) => {
      const user = users.get(request.params.id)
      if (user === undefined) return reply.code(404).send({ message: `no user ${request.params.id}` })
      return { ...user, name: request.query.fields?.includes('upper') === true ? user.name.toUpperCase() : user.name }
    })
    .post('/users', {
      schema: {
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } },
        headers: { type: 'object', required: ['x-request-id'], properties: { 'x-request-id': { type: 'string' } } },
        response: { 201: User }
      }
    }, async (request, reply) => {
      const user = { id: users.size + 1, name: request.body.name }
      users.set(user.id, user)
      reply.header('x-echo', request.headers['x-request-id'])
      return reply.code(201).send(user)
    })
    .delete('/users/:id', async (request, reply) => {
      users.delete(Number(request.params.id))
      return reply.code(204).send()
    })
    .get('/files/*', async (request) => `file ${request.params['*']}`)
    .get('/range/:from-:to', async (request) => ({ from: request.params.from, to: request.params.to }))
    .get('/bytes', async (request, reply) => reply.type('application/octet-stream').send(Buffer.from([1, 2, 3])))
    .get('/broken', async (request, reply) => reply.type('application/json').send('{"not json'))
    .get('/echo-headers', async (request) => ({ auth: request.headers.authorization ?? null, trace: request.headers['x-trace'] ?? null, list: request.headers['x-list'] ?? null }))
    .register((api) => api.get('/status', async () => ({ up: true })), { prefix: '/v1' })
}

async function listening (t: Tap.Test) {
  const app = buildApp()
  t.teardown(() => app.close())
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, address }
}

// tap's type, without importing its internals by path.
declare namespace Tap { type Test = Parameters<Parameters<typeof t.test>[1]>[0] }

t.test('a GET with path params and a query string reaches the route and its data comes back typed per status', async (t) => {
  const { app, address } = await listening(t)
  const api = createClient<typeof app>(address)

  const found = await api.users[':id'].$get({ params: { id: 1 }, query: { fields: ['upper', 'x'] } })
  t.equal(found.status, 200)
  t.equal(found.ok, true)
  if (found.status === 200) {
    t.same(found.data, { id: 1, name: 'ADA', role: 'member' }, 'the serializer filled in the default')
  }
  t.equal(found.headers.get('content-type'), 'application/json; charset=utf-8')
  t.equal(found.response.status, 200, 'the fetch response is there too')

  const missing = await api.users[':id'].$get({ params: { id: 99 } })
  t.equal(missing.status, 404)
  t.equal(missing.ok, false)
  t.same(missing.data, { message: 'no user 99' })
})

t.test('a failed validation arrives as the error body with status 400', async (t) => {
  const { app, address } = await listening(t)
  const api = createClient<typeof app>(address)
  // @ts-expect-error the params schema wants an integer
  const res = await api.users[':id'].$get({ params: { id: 'abc' } })
  t.equal(res.status, 400)
  t.match(res.data, { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'params/id must be integer' })
})

t.test('a POST sends its body as JSON with the declared headers and reads the 201', async (t) => {
  const { app, address } = await listening(t)
  const api = createClient<typeof app>(address)
  const created = await api.users.$post({ body: { name: 'Grace' }, headers: { 'x-request-id': 'r-1' } })
  t.equal(created.status, 201)
  t.same(created.data, { id: 2, name: 'Grace', role: 'member' })
  t.equal(created.headers.get('x-echo'), 'r-1')

  const refused = await api.users.$post({ body: { name: '' }, headers: { 'x-request-id': 'r-2' } })
  t.equal(refused.status, 400)
  t.match(refused.data, { message: 'body/name must NOT have fewer than 1 characters' })
})

t.test('an empty 204 has no data', async (t) => {
  const { app, address } = await listening(t)
  const api = createClient<typeof app>(address)
  const res = await api.users[':id'].$delete({ params: { id: 1 } })
  t.equal(res.status, 204)
  t.equal(res.data, undefined)
  t.equal((await api.users[':id'].$get({ params: { id: 1 } })).status, 404)
})

t.test('wildcards keep their slashes, several params share a segment, and values are encoded', async (t) => {
  const { app, address } = await listening(t)
  const api = createClient<typeof app>(address)
  const file = await api.files['*'].$get({ params: { '*': 'a b/c.txt' } })
  t.equal(file.data, 'file a b/c.txt', 'text bodies arrive as strings')
  t.equal(file.response.url, `${address}/files/a%20b/c.txt`)

  const range = await api.range[':from-:to'].$get({ params: { from: 'x/y', to: 3 } })
  t.same(range.data, { from: 'x/y', to: '3' })
})

t.test('routes a registered plugin returns are reached under its prefix', async (t) => {
  const { app, address } = await listening(t)
  const api = createClient<typeof app>(address)
  const res = await api.v1.status.$get()
  t.same(res.data, { up: true })
})

t.test('bodies that are neither JSON nor text arrive as an ArrayBuffer; invalid JSON rejects with a SyntaxError naming the call', async (t) => {
  const { app, address } = await listening(t)
  const api = createClient<typeof app>(address)
  const bytes = await api.bytes.$get()
  t.ok(bytes.data instanceof ArrayBuffer)
  t.same([...new Uint8Array(bytes.data as ArrayBuffer)], [1, 2, 3])
  await t.rejects(api.broken.$get(), { name: 'SyntaxError', message: `GET ${address}/broken answered 200 with invalid JSON` })
})

t.test('default headers (a function, called per request), per-call headers and fetch options all reach the server', async (t) => {
  const { app, address } = await listening(t)
  let calls = 0
  const api = createClient<typeof app>(`${address}/`, {
    headers: async () => ({ authorization: `Bearer ${++calls}` }),
    init: { cache: 'no-store' }
  })
  const first = await api['echo-headers'].$get({ headers: { 'x-trace': 7, 'x-list': ['a', 'b'] } })
  t.same(first.data, { auth: 'Bearer 1', trace: '7', list: 'a, b' })
  const second = await api['echo-headers'].$get({ headers: { authorization: 'Basic x' } })
  t.same(second.data, { auth: 'Basic x', trace: null, list: null }, 'a call’s header wins over the default')

  const plain = createClient<typeof app>(address, { headers: { authorization: 'Token t' } })
  t.same((await plain['echo-headers'].$get()).data, { auth: 'Token t', trace: null, list: null })
})

t.test('a custom fetch receives each request; raw bodies are sent as they are', async (t) => {
  const seen: Array<{ url: string, method: string, body: unknown, type: string | null }> = []
  const api = createRouteClient<any>('http://127.0.0.1:1', {
    fetch: async (input, init) => {
      seen.push({ url: String(input), method: init!.method!, body: init!.body, type: new Headers(init!.headers).get('content-type') })
      return new Response(null, { status: 204 })
    }
  })
  // fetch itself gives a raw body its content type.
  const form = new URLSearchParams({ a: '1' })
  await api.forms.$post({ body: form })
  await api.items.$put({ body: [1, 2], query: { on: new Date(0), skip: undefined, empty: null, flag: true } })
  await api.items.$head()
  t.same(seen, [
    { url: 'http://127.0.0.1:1/forms', method: 'POST', body: form, type: null },
    { url: 'http://127.0.0.1:1/items?on=1970-01-01T00%3A00%3A00.000Z&empty=&flag=true', method: 'PUT', body: '[1,2]', type: 'application/json' },
    { url: 'http://127.0.0.1:1/items', method: 'HEAD', body: undefined, type: null }
  ])
})

t.test('$url fills in the path; a missing parameter or an object where text is due throws a TypeError', async (t) => {
  const api = createRouteClient<any>('http://127.0.0.1:3000')
  t.equal(api.users[':id(^\\d+)'].posts.$url({ params: { id: 5 }, query: { tag: ['a', 'b'] } }).href, 'http://127.0.0.1:3000/users/5/posts?tag=a&tag=b')
  t.equal(api['a::b'].$url().href, 'http://127.0.0.1:3000/a:b', 'a double colon is a literal one')
  t.throws(() => api.users[':id'].$url(), { name: 'TypeError', message: 'createClient: the path /users/:id needs the parameter "id" in params' })
  t.throws(() => api.q.$url({ query: { x: { y: 1 } } }), { name: 'TypeError', message: 'createClient: "x" must be a string, number, boolean or date, got object' })
  t.equal(api[Symbol.toPrimitive as any], undefined, 'symbols are no path segments')
})

t.test('without a fetch, creating a client throws a TypeError that says to pass one', async (t) => {
  const saved = globalThis.fetch
  t.teardown(() => { globalThis.fetch = saved })
  globalThis.fetch = undefined as any
  t.throws(() => createRouteClient('http://127.0.0.1:3000'), { name: 'TypeError', message: 'createClient: no fetch here; pass one as options.fetch' })
})
