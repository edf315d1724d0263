import t from 'tap'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import velox from '../lib/index.js'
import { logCollector } from './log-collector.js'
import { waitFor } from './wait-for.js'

/** A validator compiler that records which routes it compiled, and accepts everything. */
function recordingCompiler (compiled: string[]) {
  return ({ url, httpPart }: { url: string, httpPart: string }) => {
    compiled.push(`${url} ${httpPart}`)
    return () => true
  }
}

const body = { type: 'object', properties: { n: { type: 'integer' } } }

t.test('after listen(), a route compiles on its first request and the others in the background', async (t) => {
  const compiled: string[] = []
  const app = velox()
  app.setValidatorCompiler(recordingCompiler(compiled))
  for (const name of ['a', 'b', 'c']) app.post(`/${name}`, { schema: { body } }, async () => ({ route: name }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  t.same(compiled, [], 'listen() resolved before any schema compiled')
  const res = await app.inject({ method: 'POST', url: '/c', payload: { n: 1 } })
  t.same(res.json(), { route: 'c' })
  t.equal(compiled[0], '/c body', 'the requested route compiled first')
  await waitFor(() => compiled.length === 3)
  t.same([...compiled].sort(), ['/a body', '/b body', '/c body'], 'the warm-up compiled the rest, each route once')
})

t.test('ready() and inject() before listen() compile every schema at ready(), so schema errors fail ready()', async (t) => {
  const compiled: string[] = []
  const app = velox()
  app.setValidatorCompiler(recordingCompiler(compiled))
  app.post('/a', { schema: { body } }, async () => 'a')
  app.post('/b', { schema: { body } }, async () => 'b')
  await app.ready()
  t.same(compiled, ['/a body', '/b body'])

  const broken = velox()
  broken.post('/', { schema: { body: { type: 'object', properties: { n: { type: 'no-such-type' } } } } }, async () => 'x')
  const res = await broken.inject({ method: 'POST', url: '/', payload: {} }).catch((err: Error) => err)
  t.match(res, { code: 'FST_ERR_SCH_VALIDATION_BUILD' }, 'inject() reports the schema error of ready()')
})

t.test("compile: 'eager' compiles before listen() resolves, and a schema error rejects listen()", async (t) => {
  const compiled: string[] = []
  const app = velox({ compile: 'eager' })
  app.setValidatorCompiler(recordingCompiler(compiled))
  app.post('/a', { schema: { body } }, async () => 'a')
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.same(compiled, ['/a body'])
  await app.close()

  const broken = velox({ compile: 'eager' })
  broken.post('/', { schema: { body: { type: 'object', properties: { n: { type: 'no-such-type' } } } } }, async () => 'x')
  await t.rejects(broken.listen({ port: 0, host: '127.0.0.1' }), { code: 'FST_ERR_SCH_VALIDATION_BUILD' })
  await broken.close()
})

t.test("compile: 'on-demand' lets ready() succeed; a route whose body schema is broken logs the error once and answers a coded 500", async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ compile: 'on-demand', logger: { level: 'error', stream } })
  app.post('/broken', { schema: { body: { type: 'object', properties: { n: { type: 'no-such-type' } } } } }, async () => ({ reached: true }))
  app.post('/fine', { schema: { body } }, async (req: any) => ({ n: req.body.n }))
  await app.ready()
  for (let i = 0; i < 2; i++) {
    const res = await app.inject({ method: 'POST', url: '/broken', payload: { n: 1 } })
    t.equal(res.statusCode, 500)
    t.match(res.json(), {
      statusCode: 500,
      code: 'FST_ERR_SCH_VALIDATION_BUILD',
      error: 'Internal Server Error',
      message: /^Failed building the validation schema for POST: \/broken, due to error /
    })
  }
  const compileErrors = lines.filter((line) => /failed to compile/.test(line.msg))
  t.equal(compileErrors.length, 1, 'the schema error is logged once, not per request')
  t.match(compileErrors[0], { level: 50, route: { method: 'POST', url: '/broken' }, err: { code: 'FST_ERR_SCH_VALIDATION_BUILD' } })
  t.equal(compileErrors[0].msg, 'route POST /broken answers 500: its schema failed to compile')
  t.same((await app.inject({ method: 'POST', url: '/fine', payload: { n: '2' } })).json(), { n: 2 }, 'other routes validate and coerce')
  await app.close()
})

t.test('a broken response schema found by the warm-up after listen() is logged, and the route answers FST_ERR_SCH_SERIALIZATION_BUILD', async (t) => {
  const { lines, stream } = logCollector()
  const app = velox({ logger: { level: 'error', stream } })
  app.get('/broken', { schema: { response: { ok: { type: 'object' } } } }, async () => ({ a: 1 }))
  app.get('/fine', { schema: { response: { 200: { type: 'object', properties: { a: { type: 'integer' } } } } } }, async () => ({ a: 1, b: 2 }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  await waitFor(() => lines.some((line) => /failed to compile/.test(line.msg)))
  t.match(lines.find((line) => /failed to compile/.test(line.msg)), { level: 50, route: { method: 'GET', url: '/broken' } })
  const res = await app.inject('/broken')
  t.equal(res.statusCode, 500)
  t.equal(res.json().code, 'FST_ERR_SCH_SERIALIZATION_BUILD')
  t.same((await app.inject('/fine')).json(), { a: 1 }, 'the serializer of a working route drops undeclared fields')
})

t.test('hooks and the error handler of a broken route run as for a failing handler', async (t) => {
  const seen: string[] = []
  const app = velox({ compile: 'on-demand' })
  app.addHook('onRequest', async () => { seen.push('onRequest') })
  app.setErrorHandler(async (err: any, _req: any, reply: any) => {
    seen.push(`errorHandler ${err.code}`)
    return reply.code(503).send({ unavailable: true })
  })
  app.post('/', { schema: { body: { type: 'no-such-type' } } }, async () => 'x')
  const res = await app.inject({ method: 'POST', url: '/', payload: {} })
  t.equal(res.statusCode, 503)
  t.same(seen, ['onRequest', 'errorHandler FST_ERR_SCH_VALIDATION_BUILD'])
})

t.test('with schemaCache and listen(), the file is written once the warm-up compiled every route', async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'schemas.cjs')
  const app = velox({ schemaCache: file })
  for (let i = 0; i < 20; i++) app.post(`/r${i}`, { schema: { body: { type: 'object', properties: { [`f${i}`]: { type: 'integer' } } } } }, async () => 'ok')
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  await waitFor(() => existsSync(file))
  const source = readFileSync(file, 'utf8')
  t.equal(source.match(/entries\[/g)?.length, 20, 'one entry per route schema')
})

t.test('the compile option accepts only eager and on-demand', async (t) => {
  t.throws(() => velox({ compile: 'lazy' } as any), { code: 'FST_ERR_INIT_OPTS_INVALID', message: /compile must be 'eager' or 'on-demand'/ })
})
