import t from 'tap'
import { Readable } from 'node:stream'
import { request } from 'node:http'
import velox from '../lib/index.js'

t.test('a trailer is announced in the Trailer header and sent after the body, with chunked encoding', async (t) => {
  const app = velox()
  app.get('/', (_req: any, reply: any) => {
    reply.trailer('Server-Timing', (_reply: any, payload: unknown, done: any) => { done(null, `len;desc=${String(payload).length}`) })
    reply.send('hello')
  })
  const res = await app.inject('/')
  t.equal(res.body, 'hello')
  t.equal(res.headers.trailer, 'server-timing')
  t.equal(res.headers['transfer-encoding'], 'chunked')
  t.equal(res.headers['content-length'], undefined)
  t.equal(res.trailers['server-timing'], 'len;desc=5')
})

t.test('trailer functions may be async, and each one is computed once the body is known', async (t) => {
  const app = velox()
  app.get('/', async (_req: any, reply: any) => {
    reply.trailer('x-a', async () => 'a')
    reply.trailer('x-b', (_reply: any, _payload: unknown, done: any) => { setTimeout(() => done(null, 'b'), 5) })
    return { ok: true }
  })
  const res = await app.inject('/')
  t.same(res.json(), { ok: true })
  t.same(res.trailers, { 'x-a': 'a', 'x-b': 'b' })
})

t.test('a trailer that fails is left out, the response still ends', async (t) => {
  const app = velox()
  app.get('/', (_req: any, reply: any) => {
    reply.trailer('x-bad', async () => { throw new Error('no') })
    reply.trailer('x-good', async () => 'yes')
    reply.send('')
  })
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.same(res.trailers, { 'x-good': 'yes' })
})

t.test('hasTrailer and removeTrailer; a removed trailer is not announced', async (t) => {
  const app = velox()
  app.get('/', (_req: any, reply: any) => {
    reply.trailer('x-one', async () => '1')
    t.equal(reply.hasTrailer('X-One'), true)
    reply.removeTrailer('x-one')
    t.equal(reply.hasTrailer('x-one'), false)
    reply.send('plain')
  })
  const res = await app.inject('/')
  t.equal(res.headers.trailer, undefined)
  t.equal(res.headers['content-length'], '5')
})

t.test('trailers follow a streamed body, over a real socket too', async (t) => {
  const app = velox()
  app.get('/', (_req: any, reply: any) => {
    reply.trailer('etag', async () => '"v1"')
    reply.send(Readable.from(['a', 'b']))
  })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const res = await new Promise<{ body: string, trailers: Record<string, unknown> }>((resolve, reject) => {
    request(address, (res) => {
      let body = ''
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => resolve({ body, trailers: res.trailers }))
    }).on('error', reject).end()
  })
  t.equal(res.body, 'ab')
  t.same(res.trailers, { etag: '"v1"' })
})

t.test('a field that may not be a trailer, or a value that is not a function, is refused', async (t) => {
  const app = velox()
  app.get('/', (_req: any, reply: any) => {
    t.throws(() => reply.trailer('Content-Length', async () => '1'), { code: 'FST_ERR_BAD_TRAILER_NAME', message: 'Called reply.trailer with an invalid header name: content-length' })
    t.throws(() => reply.trailer('x-ok', 'value'), { code: 'FST_ERR_BAD_TRAILER_VALUE' })
    reply.send('ok')
  })
  await app.inject('/')
})
