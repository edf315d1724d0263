import t from 'tap'
import { Readable } from 'node:stream'
import { connect } from 'node:net'
import { once } from 'node:events'
import velox from '../lib/index.js'

const tooLarge = { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', error: 'Payload Too Large', message: 'Request body is too large' }

function text (app: any, url: string, payload: string | Readable, contentType = 'text/plain', headers: Record<string, string> = {}): Promise<any> {
  return app.inject({ method: 'POST', url, headers: { 'content-type': contentType, ...headers }, payload })
}

t.test('the default body limit is 1 MiB', async (t) => {
  const app = velox()
  app.post('/', async (req: any) => ({ length: req.body.length }))
  const limit = 1024 * 1024
  t.same((await text(app, '/', 'x'.repeat(limit))).json(), { length: limit })
  const over = await text(app, '/', 'x'.repeat(limit + 1))
  t.equal(over.statusCode, 413)
  t.same(over.json(), tooLarge)
})

t.test('the bodyLimit option sets the limit for every route', async (t) => {
  const app = velox({ bodyLimit: 10 })
  app.post('/', async (req: any) => ({ body: req.body, limit: req.routeOptions.bodyLimit }))
  t.same((await text(app, '/', '0123456789')).json(), { body: '0123456789', limit: 10 })
  const over = await text(app, '/', '0123456789a')
  t.same(over.json(), tooLarge)
  t.equal(over.headers.connection, 'close', 'the connection is closed after a body that was too large')
})

t.test('a JSON body one byte over the limit is refused before parsing', async (t) => {
  const app = velox({ bodyLimit: 20 })
  app.post('/', async (req: any) => req.body)
  const fits = JSON.stringify({ a: 'x'.repeat(12) })
  t.equal(fits.length, 20)
  t.same((await text(app, '/', fits, 'application/json')).json(), { a: 'x'.repeat(12) })
  const over = await text(app, '/', JSON.stringify({ a: 'x'.repeat(13) }), 'application/json')
  t.same(over.json(), tooLarge)
})

t.test('a route\'s bodyLimit overrides the server\'s, up or down', async (t) => {
  const app = velox({ bodyLimit: 10 })
  app.post('/small', { bodyLimit: 5 }, async (req: any) => ({ body: req.body, limit: req.routeOptions.bodyLimit }))
  app.post('/large', { bodyLimit: 20 }, async (req: any) => ({ body: req.body, limit: req.routeOptions.bodyLimit }))
  t.same((await text(app, '/small', '01234')).json(), { body: '01234', limit: 5 })
  t.equal((await text(app, '/small', '012345')).statusCode, 413)
  t.same((await text(app, '/large', '0123456789abcdefghij')).json(), { body: '0123456789abcdefghij', limit: 20 })
  t.equal((await text(app, '/large', '0123456789abcdefghijk')).statusCode, 413)
})

t.test('a parser\'s bodyLimit applies when the route sets none, and the route\'s wins over it', async (t) => {
  const app = velox({ bodyLimit: 10 })
  app.addContentTypeParser('text/x-big', { parseAs: 'string', bodyLimit: 20 }, (_req: any, body: string, done: any) => { done(null, body) })
  app.addContentTypeParser('text/x-tiny', { parseAs: 'string', bodyLimit: 3 }, (_req: any, body: string, done: any) => { done(null, body) })
  app.post('/', async (req: any) => req.body)
  app.post('/route', { bodyLimit: 5 }, async (req: any) => req.body)
  t.equal((await text(app, '/', '0123456789abcdefghij', 'text/x-big')).body, '0123456789abcdefghij')
  t.equal((await text(app, '/', '0123456789abcdefghijk', 'text/x-big')).statusCode, 413)
  t.equal((await text(app, '/', '0123', 'text/x-tiny')).statusCode, 413)
  t.equal((await text(app, '/route', '012345', 'text/x-big')).statusCode, 413, 'route limit 5 beats parser limit 20')
  t.equal((await text(app, '/route', '0123', 'text/x-tiny')).body, '0123', 'route limit 5 beats parser limit 3')
})

t.test('a parser registered without a bodyLimit uses the server\'s', async (t) => {
  const app = velox({ bodyLimit: 4 })
  app.addContentTypeParser('text/x-own', { parseAs: 'string' }, (_req: any, body: string, done: any) => { done(null, body) })
  app.post('/', async (req: any) => req.body)
  t.equal((await text(app, '/', '0123', 'text/x-own')).body, '0123')
  t.equal((await text(app, '/', '01234', 'text/x-own')).statusCode, 413)
})

t.test('a declared Content-Length over the limit is refused without reading the body', async (t) => {
  const app = velox({ bodyLimit: 10 })
  let parsed = false
  app.addContentTypeParser('text/x-watch', { parseAs: 'string' }, (_req: any, body: string, done: any) => { parsed = true; done(null, body) })
  app.post('/', async (req: any) => req.body)
  const res = await text(app, '/', '0123', 'text/x-watch', { 'content-length': '100' })
  t.equal(res.statusCode, 413)
  t.same(res.json(), tooLarge)
  t.equal(parsed, false)
})

t.test('a streamed body without Content-Length is cut off once it passes the limit', async (t) => {
  const app = velox({ bodyLimit: 10 })
  app.post('/', async (req: any) => req.body)
  const res = await text(app, '/', Readable.from(['0123456', '789abc']))
  t.equal(res.statusCode, 413)
  t.same(res.json(), tooLarge)
  const fits = await text(app, '/', Readable.from(['01234', '56789']))
  t.equal(fits.body, '0123456789')
})

t.test('a body shorter or longer than its Content-Length answers 400 FST_ERR_CTP_INVALID_CONTENT_LENGTH', async (t) => {
  const app = velox()
  app.post('/', async (req: any) => req.body)
  for (const declared of ['8', '2']) {
    const res = await text(app, '/', '0123', 'text/plain', { 'content-length': declared })
    t.equal(res.statusCode, 400, `declared ${declared}`)
    t.equal(res.headers.connection, 'close')
    t.same(res.json(), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      error: 'Bad Request',
      message: 'Request body size did not match Content-Length'
    })
  }
})

t.test('a bodyLimit that is not a positive integer is refused', async (t) => {
  for (const value of [0, -1, 1.5, 'x']) {
    t.throws(() => velox({ bodyLimit: value }), {
      code: 'FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT',
      message: `'bodyLimit' option must be an integer > 0. Got '${String(value)}'`
    }, `server option ${String(value)}`)
    const app = velox()
    t.throws(() => app.post('/', { bodyLimit: value }, async () => 'x'), { code: 'FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT' }, `route option ${String(value)}`)
  }
})

t.test('a body over the limit on a real socket is answered 413 and the connection closed', async (t) => {
  const app = velox({ bodyLimit: 16 })
  t.teardown(() => app.close())
  app.post('/', async (req: any) => req.body)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = connect({ port: app.server.address().port, host: '127.0.0.1' })
  await once(socket, 'connect')
  let response = ''
  socket.on('data', (chunk) => { response += chunk.toString() })
  socket.on('error', () => {})
  // Chunked, so the limit is hit while streaming rather than from Content-Length.
  socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n')
  socket.write('10\r\n0123456789abcdef\r\n')
  socket.write('10\r\n0123456789abcdef\r\n')
  await once(socket, 'close')
  t.match(response, /^HTTP\/1\.1 413 Payload Too Large/)
  t.match(response, /connection: close/i)
  t.match(response, /"code":"FST_ERR_CTP_BODY_TOO_LARGE"/)
})
