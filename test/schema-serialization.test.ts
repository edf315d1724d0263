import t from 'tap'
import velox from '../lib/index.js'

const user = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer' } } }

t.test('a response schema drops undeclared properties and formats values', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: user } } }, async () => ({ name: 'Ada', age: '36', password: 'secret' }))
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.body, '{"name":"Ada","age":36}')
})

t.test('a response is serialized by exact status, then Nxx range, then default', async (t) => {
  const app = velox()
  app.get('/:code', {
    schema: {
      response: {
        default: { type: 'object', properties: { fallback: { type: 'string' } } },
        '2xx': { type: 'object', properties: { range: { type: 'string' } } },
        201: { type: 'object', properties: { exact: { type: 'string' } } },
        '4XX': { type: 'object', properties: { client: { type: 'string' } } }
      }
    }
  }, async (req: any, reply: any) => {
    reply.code(Number(req.params.code))
    return { fallback: 'd', range: 'r', exact: 'e', client: 'c', other: 'o' }
  })
  const body = async (code: number) => (await app.inject(`/${code}`)).body
  t.equal(await body(200), '{"range":"r"}')
  t.equal(await body(201), '{"exact":"e"}')
  t.equal(await body(202), '{"range":"r"}')
  t.equal(await body(302), '{"fallback":"d"}')
  t.equal(await body(404), '{"client":"c"}')
  t.equal(await body(500), '{"fallback":"d"}')
})

t.test('a status with no schema and no fallback is sent with JSON.stringify', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: user } } }, async (_req: any, reply: any) => {
    reply.code(202)
    return { name: 'a', extra: true }
  })
  t.equal((await app.inject('/')).body, '{"name":"a","extra":true}')
})

t.test('response schemas can differ by content type, with */* as the catch-all', async (t) => {
  const app = velox()
  app.get('/:variant', {
    schema: {
      response: {
        200: {
          content: {
            'application/json': { schema: { type: 'object', properties: { json: { type: 'string' } } } },
            'application/vnd.v1+json': { schema: { type: 'object', properties: { v1: { type: 'string' } } } }
          }
        },
        '3xx': { content: { 'application/vnd.v2+json': { schema: { type: 'object', properties: { v2: { type: 'string' } } } } } },
        default: { content: { '*/*': { schema: { type: 'object', properties: { any: { type: 'string' } } } } } }
      }
    }
  }, async (req: any, reply: any) => {
    switch (req.params.variant) {
      case 'v1': reply.type('application/vnd.v1+json'); break
      case 'v1-params': reply.type('application/vnd.v1+json; charset=utf-8'); break
      case 'v2': reply.code(302).type('application/vnd.v2+json'); break
      case 'v2-unknown': reply.code(302).type('application/other+json'); break
      case 'not-found': reply.code(404); break
      case 'unknown': reply.type('application/other+json'); break
    }
    return { json: 'j', v1: '1', v2: '2', any: '*', extra: 'x' }
  })
  const res = async (variant: string) => await app.inject(`/${variant}`)
  t.equal((await res('json')).body, '{"json":"j"}')
  t.equal((await res('v1')).body, '{"v1":"1"}')
  t.equal((await res('v1-params')).body, '{"v1":"1"}')
  t.equal((await res('v2')).body, '{"v2":"2"}')
  t.equal((await res('not-found')).body, '{"any":"*"}')
  // A declared status whose content map has no matching type does not fall through to another key.
  t.equal((await res('v2-unknown')).body, '{"json":"j","v1":"1","v2":"2","any":"*","extra":"x"}')
  t.equal((await res('unknown')).body, '{"json":"j","v1":"1","v2":"2","any":"*","extra":"x"}')
})

t.test('serializerOpts are passed to fast-json-stringify', async (t) => {
  const app = velox({ serializerOpts: { rounding: 'ceil' } })
  app.get('/', { schema: { response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } } } }, async () => ({ n: 1.2 }))
  t.equal((await app.inject('/')).body, '{"n":2}')
})

t.test('a payload that does not fit its response schema answers a coded 500', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: user } } }, async () => ({ age: 1 }))
  let seen: any
  app.addHook('onError', async (_req: any, _reply: any, err: any) => { seen = err })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), {
    statusCode: 500,
    code: 'VLX_ERR_SERIALIZATION',
    error: 'Internal Server Error',
    message: 'The response payload for status 200 does not match its response schema: "name" is required!'
  })
  t.same(seen.serialization, { url: '/', method: 'GET' }, 'the error names the route as Fastify does')
  t.equal(seen.cause.message, '"name" is required!')
})

t.test('reply.serializer replaces the schema serializer for one reply', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: user } } }, async (_req: any, reply: any) => {
    reply.serializer((payload: unknown) => 'custom:' + JSON.stringify(payload))
    return { name: 'a', extra: 1 }
  })
  t.equal((await app.inject('/')).body, 'custom:{"name":"a","extra":1}')
})

t.test('setReplySerializer is used before response schemas, as in Fastify', async (t) => {
  const app = velox()
  app.register(async (child: any) => {
    child.setReplySerializer((payload: unknown, statusCode: number) => `${statusCode}:${JSON.stringify(payload)}`)
    child.get('/child', { schema: { response: { 200: user } } }, async () => ({ name: 'a', extra: 1 }))
  })
  app.get('/parent', { schema: { response: { 200: user } } }, async () => ({ name: 'a', extra: 1 }))
  t.equal((await app.inject('/child')).body, '200:{"name":"a","extra":1}')
  t.equal((await app.inject('/parent')).body, '{"name":"a"}')
})

t.test('setReplySerializer is not used for error answers nor for not-found answers, as in Fastify', async (t) => {
  const app = velox()
  const seen: unknown[] = []
  app.setReplySerializer((payload: unknown, statusCode: number) => { seen.push(statusCode); return `custom:${JSON.stringify(payload)}` })
  app.get('/', async () => ({ ok: 1 }))
  app.get('/err', async () => { throw new Error('an error') })
  app.register(async (child: any) => {
    child.setNotFoundHandler(async (_req: any, reply: any) => reply.code(404).send({ custom: 404 }))
  }, { prefix: '/p' })
  t.equal((await app.inject('/')).body, 'custom:{"ok":1}')
  t.equal((await app.inject('/err')).statusCode, 500)
  const missing = await app.inject('/nope')
  t.same([missing.statusCode, missing.json().message], [404, 'Route GET:/nope not found'])
  t.equal((await app.inject('/p/nope')).body, '{"custom":404}')
  t.same(seen, [200])
})

t.test('an error answer whose serializer returns no string is answered FST_ERR_REP_INVALID_PAYLOAD_TYPE, the process stays up', async (t) => {
  const app = velox()
  app.setSerializerCompiler(() => () => ({ not: 'a string' }) as any)
  app.get('/', { schema: { response: { 500: { type: 'object' } } } }, async () => { throw new Error('ops') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 500)
  t.same(res.json(), {
    statusCode: 500,
    code: 'FST_ERR_REP_INVALID_PAYLOAD_TYPE',
    message: "Attempted to send payload of invalid type 'object'. Expected a string or Buffer."
  })
})

t.test('an error answer whose response schema refuses it is answered FST_ERR_FAILED_ERROR_SERIALIZATION as Fastify writes it', async (t) => {
  const app = velox()
  app.get('/', {
    schema: {
      querystring: { type: 'object', properties: { foo: { type: 'string' } }, required: ['foo'] },
      response: { 400: { type: 'object', properties: { customCode: { type: 'number' } }, required: ['customCode'] } }
    }
  }, async () => 'never')
  const res = await app.inject('/?notfoo=1')
  t.equal(res.statusCode, 500)
  t.same(Object.keys(res.json()), ['statusCode', 'code', 'message'])
  t.equal(res.json().code, 'FST_ERR_FAILED_ERROR_SERIALIZATION')
})

t.test('error payloads use the 4xx or 5xx response schema of the route', async (t) => {
  const app = velox()
  app.get('/:code', {
    schema: {
      response: {
        '4xx': { type: 'object', properties: { statusCode: { type: 'integer' }, message: { type: 'string' }, hint: { type: 'string', default: 'retry' } } },
        500: { type: 'object', properties: { error: { type: 'string' }, code: { type: 'string' } } }
      }
    }
  }, async (req: any) => {
    throw Object.assign(new Error('boom'), { statusCode: Number(req.params.code), code: 'MY_CODE' })
  })
  t.equal((await app.inject('/404')).body, '{"statusCode":404,"message":"boom","hint":"retry"}')
  t.equal((await app.inject('/500')).body, '{"error":"Internal Server Error","code":"MY_CODE"}')
  t.equal((await app.inject('/503')).body, '{"statusCode":503,"code":"MY_CODE","error":"Service Unavailable","message":"boom"}', 'no schema for 503: the default shape')
})

t.test('reply.serialize uses the serializer of the current status', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: user, 201: { type: 'object', properties: { age: { type: 'integer' } } } } } }, async (_req: any, reply: any) => {
    const ok = reply.serialize({ name: 'a', age: 1, x: 1 })
    reply.code(201)
    const created = reply.serialize({ name: 'a', age: 1, x: 1 })
    reply.type('text/plain')
    return `${ok}|${created}`
  })
  t.equal((await app.inject('/')).body, '{"name":"a","age":1}|{"age":1}')
})

t.test('reply.getSerializationFunction returns the serializer of a declared key', async (t) => {
  const app = velox()
  app.get('/', {
    schema: {
      response: {
        200: user,
        '4xx': { type: 'object', properties: { e: { type: 'string' } } },
        201: { content: { 'text/csv': { schema: { type: 'object', properties: { c: { type: 'string' } } } } } }
      }
    }
  }, async (_req: any, reply: any) => {
    const payload = { name: 'a', e: 'e', c: 'c', x: 1 }
    reply.type('text/plain')
    return JSON.stringify({
      200: reply.getSerializationFunction(200)(payload),
      '200 as string': reply.getSerializationFunction('200')(payload),
      '4xx': reply.getSerializationFunction('4xx')(payload),
      csv: reply.getSerializationFunction(201, 'text/csv')(payload),
      404: reply.getSerializationFunction(404) === undefined,
      '201 without type': reply.getSerializationFunction(201) === undefined
    })
  })
  t.same((await app.inject('/')).json(), {
    200: '{"name":"a"}',
    '200 as string': '{"name":"a"}',
    '4xx': '{"e":"e"}',
    csv: '{"c":"c"}',
    404: true,
    '201 without type': true
  })
})

t.test('reply.serializeInput serializes with the serializer of a status, or of a schema compiled once', async (t) => {
  const app = velox()
  const schema = { type: 'object', properties: { z: { type: 'integer' } } }
  let compiled = 0
  app.get('/', {
    schema: {
      response: {
        201: user,
        '3xx': { content: { 'application/json': { schema: { type: 'object', properties: { c: { type: 'string' } } } } } }
      }
    },
    serializerCompiler: ({ schema: s }: any) => { if (s === schema) compiled++; return (data: any) => JSON.stringify({ via: s === schema ? 'schema' : 'route', data }) }
  }, async (_req: any, reply: any) => {
    const input = { name: 'a', c: 'c', z: 1 }
    const attempt = (fn: () => string): string => { try { return fn() } catch (err: any) { return `${err.code}: ${err.message}` } }
    const results = {
      status: reply.serializeInput(input, 201),
      'status as string': reply.serializeInput(input, '201'),
      'status and content type': reply.serializeInput(input, '3xx', 'application/json'),
      'schema, status and content type': reply.serializeInput(input, {}, '3xx', 'application/json'),
      schema: reply.serializeInput(input, schema),
      'schema again': reply.serializeInput(input, schema),
      missing: attempt(() => reply.serializeInput(input, 404)),
      'missing content type': attempt(() => reply.serializeInput(input, '3xx', 'application/vnd.v1+json'))
    }
    reply.type('text/plain')
    return JSON.stringify(results)
  })
  const res = await app.inject('/')
  const route = (data: unknown): string => JSON.stringify({ via: 'route', data })
  t.same(res.json(), {
    status: route({ name: 'a', c: 'c', z: 1 }),
    'status as string': route({ name: 'a', c: 'c', z: 1 }),
    'status and content type': route({ name: 'a', c: 'c', z: 1 }),
    'schema, status and content type': route({ name: 'a', c: 'c', z: 1 }),
    schema: JSON.stringify({ via: 'schema', data: { name: 'a', c: 'c', z: 1 } }),
    'schema again': JSON.stringify({ via: 'schema', data: { name: 'a', c: 'c', z: 1 } }),
    missing: 'FST_ERR_MISSING_SERIALIZATION_FN: Missing serialization function. Key "404"',
    'missing content type': 'FST_ERR_MISSING_CONTENTTYPE_SERIALIZATION_FN: Missing serialization function. Key "3xx:application/vnd.v1+json"'
  })
  t.equal(compiled, 1, 'the schema given is compiled once')
})

t.test('reply.compileSerializationSchema compiles once per schema object', async (t) => {
  const app = velox()
  const schema = { type: 'object', properties: { z: { type: 'integer' } } }
  app.get('/', async (_req: any, reply: any) => {
    const before = reply.getSerializationFunction(schema)
    const compiled = reply.compileSerializationSchema(schema)
    return {
      before: before === undefined,
      output: compiled({ z: '4', y: 1 }),
      same: reply.compileSerializationSchema(schema) === compiled && reply.getSerializationFunction(schema) === compiled
    }
  })
  t.same((await app.inject('/')).json(), { before: true, output: '{"z":4}', same: true })
})

t.test('a string payload with a response schema is sent as it is', async (t) => {
  const app = velox()
  app.get('/json', { schema: { response: { 200: user } } }, async (_req: any, reply: any) => {
    reply.type('application/json')
    return '{"raw":true}'
  })
  app.get('/text', { schema: { response: { 200: { type: 'string' } } } }, async () => 'plain')
  t.equal((await app.inject('/json')).body, '{"raw":true}')
  const text = await app.inject('/text')
  t.equal(text.body, 'plain')
  t.equal(text.headers['content-type'], 'text/plain; charset=utf-8')
})

t.test('an invalid response key fails ready with FST_ERR_SCH_SERIALIZATION_BUILD', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { ok: user } } }, async () => ({}))
  await t.rejects(app.ready(), {
    code: 'FST_ERR_SCH_SERIALIZATION_BUILD',
    message: 'Failed building the serialization schema for GET: /, due to error response schemas should be nested under a valid status code, e.g { 2xx: { type: "object" } }'
  })
})

t.test('a response content entry without a schema is refused by ready()', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: { content: { 'application/json': {} } } } } }, async () => ({}))
  await t.rejects(app.ready(), { code: 'FST_ERR_SCH_CONTENT_MISSING_SCHEMA', statusCode: 500 })
})

t.test('the HEAD route of a GET serializes with the same schema', async (t) => {
  const app = velox()
  app.get('/', { schema: { response: { 200: user } } }, async () => ({ name: 'abc', secret: 'longer than the name' }))
  const head = await app.inject({ method: 'HEAD', url: '/' })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], String(Buffer.byteLength('{"name":"abc"}')))
})
