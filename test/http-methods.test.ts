import t from 'tap'
import { connect } from 'node:http2'
import velox from '../lib/index.js'

t.test('supportedMethods lists the standard methods and QUERY; others are refused until added', async (t) => {
  const app = velox()
  t.same(app.supportedMethods.sort(), ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE'])
  t.throws(() => app.route({ method: 'PROPFIND', url: '/', handler: async () => 'x' }), {
    code: 'FST_ERR_ROUTE_METHOD_NOT_SUPPORTED',
    message: 'PROPFIND method is not supported.'
  })
})

t.test('addHttpMethod adds a method with its shorthand; hasBody decides whether its body is parsed', async (t) => {
  const app = velox()
  app.addHttpMethod('PROPFIND', { hasBody: true })
  app.addHttpMethod('MKCOL')
  t.ok(app.supportedMethods.includes('PROPFIND'))
  app.propfind('/files', async (request: any) => ({ asked: request.body }))
  app.mkcol('/files', async (request: any) => ({ body: request.body ?? null }))
  t.same((await app.inject({ method: 'PROPFIND', url: '/files', payload: { depth: 1 } })).json(), { asked: { depth: 1 } })
  t.same((await app.inject({ method: 'MKCOL', url: '/files', payload: { ignored: true } })).json(), { body: null })
  t.throws(() => app.addHttpMethod('NOT-A-METHOD'), { code: 'FST_ERR_ROUTE_METHOD_INVALID' })
})

t.test('a body schema on a method without body is refused', async (t) => {
  const app = velox()
  app.addHttpMethod('LOCK')
  t.throws(() => app.route({ method: 'LOCK', url: '/', schema: { body: { type: 'object' } }, handler: async () => 'x' }), {
    code: 'FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED'
  })
})

t.test('changing an existing method without overrideExisting emits FSTDEP025, with it none', async (t) => {
  const app = velox()
  const warnings: Array<{ name: string, code?: string }> = []
  const onWarning = (warning: Error & { code?: string }): void => { warnings.push({ name: warning.name, code: warning.code }) }
  process.on('warning', onWarning)
  t.teardown(() => { process.removeListener('warning', onWarning) })
  app.addHttpMethod('DELETE', { hasBody: false, overrideExisting: true })
  app.addHttpMethod('GET', { hasBody: true })
  await new Promise((resolve) => setImmediate(resolve))
  t.same(warnings, [{ name: 'FastifyDeprecation', code: 'FSTDEP025' }])
  app.get('/', async (request: any) => request.body ?? 'no body')
  t.equal((await app.inject({ method: 'GET', url: '/', payload: 'text', headers: { 'content-type': 'text/plain' } })).body, 'text')
})

t.test('query() routes the QUERY method, which must name its Content-Type (RFC 10008)', async (t) => {
  const app = velox()
  app.query('/search', async (request: any) => ({ q: request.body }))
  t.same((await app.inject({ method: 'QUERY', url: '/search', payload: { term: 'x' } })).json(), { q: { term: 'x' } })
  const missing = await app.inject({ method: 'QUERY', url: '/search', payload: 'term=x', headers: { 'content-type': undefined as any } })
  t.equal(missing.statusCode, 400)
  t.equal(missing.json().code, 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE')
})

t.test('all() covers the supported methods at the time it is called', async (t) => {
  const app = velox()
  app.addHttpMethod('PURGE')
  app.all('/cache', async (request: any) => request.method)
  t.equal((await app.inject({ method: 'PURGE', url: '/cache' })).body, 'PURGE')
  t.equal((await app.inject({ method: 'QUERY', url: '/cache', payload: {} })).body, 'QUERY')
})

t.test('an HTTP/2 request with a method no route may use answers 404 FST_ERR_NOT_FOUND', async (t) => {
  const app = velox({ http2: true })
  app.get('/', async () => 'ok')
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const session = connect(address)
  t.teardown(() => session.close())
  const { status, body } = await new Promise<{ status: number, body: string }>((resolve, reject) => {
    const stream = session.request({ ':method': 'UNKNOWN_METHOD', ':path': '/' })
    let status = 0
    let body = ''
    stream.on('response', (headers) => { status = headers[':status'] as number })
    stream.on('data', (chunk) => { body += chunk })
    stream.on('end', () => resolve({ status, body }))
    stream.on('error', reject)
    stream.end()
  })
  t.equal(status, 404)
  t.same(JSON.parse(body), { statusCode: 404, code: 'FST_ERR_NOT_FOUND', error: 'Not Found', message: 'Not Found' })
})
