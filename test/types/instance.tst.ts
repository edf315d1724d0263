import type { AddressInfo } from 'node:net'
import type { Readable } from 'node:stream'
import type { Chain, Response as LightMyRequestResponse } from 'light-my-request'
import { describe, expect, test } from 'tstyche'
import type {
  OpenApiDocument,
  VeloxError,
  VeloxFactory,
  VeloxInstance,
  VeloxRequest,
  VeloxServerOptions
} from '../../types/index.js'

declare const app: VeloxInstance
declare const velox: VeloxFactory
declare const LogController: typeof import('../../lib/index.js').LogController

describe('the factory and server options', () => {
  test('velox(options) returns an instance', () => {
    expect(velox()).type.toBe<VeloxInstance>()
    expect(velox({ logger: true, bodyLimit: 1024 })).type.toBe<VeloxInstance>()
  })

  test('server options as in Fastify', () => {
    const options: VeloxServerOptions = {
      logger: { level: 'info' },
      bodyLimit: 1_048_576,
      caseSensitive: true,
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: false,
      maxParamLength: 100,
      requestIdHeader: 'x-request-id',
      requestIdLogLabel: 'reqId',
      genReqId: () => 'id',
      disableRequestLogging: false,
      connectionTimeout: 0,
      keepAliveTimeout: 72_000,
      requestTimeout: 0,
      return503OnClosing: true,
      trustProxy: ['127.0.0.1'],
      http2: false,
      https: null,
      pluginTimeout: 10_000,
      querystringParser: (query) => Object.fromEntries(new URLSearchParams(query)),
      exposeHeadRoutes: true,
      onProtoPoisoning: 'error',
      onConstructorPoisoning: 'remove',
      ajv: { customOptions: { coerceTypes: 'array' }, plugins: [] },
      schemaErrorFormatter: (issues, dataVar) => new Error(`${dataVar}: ${issues.length}`),
      frameworkErrors: (error, _req, reply) => { reply.code(400).send(error.message) },
      childLoggerFactory (logger, bindings) { return logger.child(bindings) },
      serializerOpts: { rounding: 'floor' },
      openapi: { info: { title: 'API' }, docsPath: '/reference' },
      forceCloseConnections: 'idle',
      coalesceWrites: false,
      routerOptions: { maxParamLength: 200 }
    }
    expect(velox(options)).type.toBe<VeloxInstance>()
  })

  test('an unknown option or a wrong value is an error', () => {
    expect(velox).type.not.toBeCallableWith({ bodyLimits: 1024 })
    expect(velox).type.not.toBeCallableWith({ bodyLimit: '1mb' })
    expect(velox).type.not.toBeCallableWith({ onProtoPoisoning: 'explode' })
    expect(velox).type.not.toBeCallableWith({ coalesceWrites: 'yes' })
  })
})

describe('lifecycle', () => {
  test('listen resolves to the address, or takes a callback', async () => {
    expect(await app.listen({ port: 3000, host: '0.0.0.0' })).type.toBe<string>()
    expect(app.listen({ port: 0 }, (error, address) => {
      expect(error).type.toBe<Error | null>()
      expect(address).type.toBe<string>()
    })).type.toBe<void>()
  })

  test('close resolves or takes a callback', async () => {
    expect(await app.close()).type.toBe<undefined>()
    app.close(() => {})
  })

  test('inject: promise, callback and chain', async () => {
    expect(await app.inject({ method: 'POST', url: '/users', payload: { name: 'Ada' } })).type.toBe<LightMyRequestResponse>()
    expect(await app.inject('/')).type.toBe<LightMyRequestResponse>()
    app.inject({ url: '/' }, (error, response) => {
      expect(error).type.toBe<Error | undefined>()
      expect(response).type.toBe<LightMyRequestResponse | undefined>()
    })
    expect(app.inject()).type.toBe<Chain>()
    expect(await app.inject().get('/').headers({ a: '1' })).type.toBe<LightMyRequestResponse>()
  })

  test('instance properties', () => {
    expect(app.addresses()).type.toBe<AddressInfo[]>()
    expect(app.server.address()).type.toBe<string | AddressInfo | null>()
    expect(app.version).type.toBe<string>()
    expect(app.prefix).type.toBe<string>()
    expect(app.initialConfig.bodyLimit).type.toBe<number | undefined>()
    expect(app.initialConfig.coalesceWrites).type.toBe<boolean | undefined>()
    expect(app.log.info).type.toBeCallableWith({ a: 1 }, 'message')
    expect(app.log.child({ plugin: 'x' }).warn).type.toBeCallableWith('message')
    expect(app.supportedMethods).type.toBe<string[]>()
    expect(app.withTypeProvider()).type.toBe<VeloxInstance>()
    expect(app.addHttpMethod('PROPFIND', { hasBody: true })).type.toBe<VeloxInstance>()
    expect(app.query).type.toBe<typeof app.get>()
    expect(app.listeningOrigin).type.toBe<string | undefined>()
    expect(app.hasConstraintStrategy('tenant')).type.toBe<boolean>()
    expect(app.genReqId({ headers: {} })).type.toBe<string>()
    expect(app.setGenReqId((req) => String(req.headers['x-id']))).type.toBe<VeloxInstance>()
    expect(app.setChildLoggerFactory((logger, bindings, opts) => logger.child(bindings, opts))).type.toBe<VeloxInstance>()
    expect(velox({ logController: new LogController({ requestIdLogLabel: 'requestId' }) })).type.toBe<VeloxInstance>()
  })
})

describe('hooks', () => {
  test('request hooks in callback style', () => {
    app.addHook('onRequest', (req, reply, done) => {
      expect(req).type.toBe<VeloxRequest>()
      expect(reply.code).type.toBeCallableWith(401)
      done()
    })
    app.addHook('preValidation', (_req, _reply, done) => { done(new Error('no')) })
    app.addHook('preHandler', (_req, _reply, done) => { done() })
    app.addHook('onResponse', (_req, reply, done) => { expect(reply.elapsedTime).type.toBe<number>(); done() })
    app.addHook('onTimeout', (_req, _reply, done) => { done() })
  })

  test('request hooks in async style', () => {
    app.addHook('onRequest', async (req) => { expect(req.id).type.toBe<string>() })
    app.addHook('preHandler', async (_req, reply) => { reply.code(401).send({ error: 'unauthorized' }) })
  })

  test('payload hooks', () => {
    app.addHook('preParsing', async (_req, _reply, payload) => {
      expect(payload).type.toBeAssignableTo<Readable>()
      return payload
    })
    app.addHook('preParsing', (_req, _reply, payload, done) => { done(null, payload) })
    app.addHook('preSerialization', async (_req, _reply, payload) => ({ wrapped: payload }))
    app.addHook('preSerialization', (_req, _reply, payload, done) => { done(null, payload) })
    app.addHook('onSend', async (_req, _reply, payload) => payload)
    app.addHook('onSend', (_req, reply, payload, done) => { reply.header('x-size', 1); done(null, payload) })
  })

  test('onError and onRequestAbort', () => {
    app.addHook('onError', async (_req, _reply, error) => {
      expect(error).type.toBe<VeloxError>()
      expect(error.statusCode).type.toBe<number | undefined>()
    })
    app.addHook('onError', (_req, _reply, _error, done) => { done() })
    app.addHook('onRequestAbort', async (req) => { expect(req.signal).type.toBe<AbortSignal>() })
    app.addHook('onRequestAbort', (_req, done) => { done() })
  })

  test('request hooks take route types as in Fastify', () => {
    app.addHook<{ Body: { token: string } }>('preHandler', async (req) => {
      expect(req.body.token).type.toBe<string>()
    })
  })

  test('application hooks', () => {
    app.addHook('onRoute', (route) => {
      expect(route.url).type.toBe<string>()
      expect(route.routePath).type.toBe<string>()
      expect(route.method).type.toBeAssignableTo<string | readonly string[]>()
    })
    app.addHook('onRegister', (instance, options) => {
      expect(instance).type.toBe<VeloxInstance>()
      expect(options.prefix).type.toBe<string | undefined>()
    })
    app.addHook('onReady', async function () { expect(this).type.toBe<VeloxInstance>() })
    app.addHook('onReady', (done) => { done() })
    app.addHook('onListen', async () => {})
    app.addHook('preClose', (done) => { done() })
    app.addHook('onClose', async (instance) => { expect(instance).type.toBe<VeloxInstance>() })
    app.addHook('onClose', (_instance, done) => { done() })
  })

  test('an unknown hook name, or a hook of the wrong shape, is an error', () => {
    expect(app.addHook).type.not.toBeCallableWith('onBoot', async () => {})
    expect(app.addHook).type.not.toBeCallableWith('onRoute', (_a: string, _b: string, _c: string) => {})
  })
})

describe('errors and not found', () => {
  test('setErrorHandler receives Velox errors, or the error type it is given', () => {
    app.setErrorHandler(async (error, _req, reply) => {
      expect(error.code).type.toBe<string>()
      expect(error.validation?.[0]?.instancePath).type.toBe<string | undefined>()
      return reply.code(error.statusCode ?? 500).send({ message: error.message })
    })
    class NotFound extends Error { entity = 'user' }
    app.setErrorHandler<NotFound>((error) => { expect(error.entity).type.toBe<string>() })
  })

  test('setNotFoundHandler, with or without hooks', () => {
    app.setNotFoundHandler(async (req, reply) => reply.code(404).send({ path: req.url }))
    app.setNotFoundHandler({ preHandler: async () => {} }, (_req, reply) => { reply.code(404).send() })
  })
})

describe('schemas and compilers', () => {
  test('compilers and the schema controller', () => {
    app.setValidatorCompiler(({ schema, httpPart }) => {
      expect(httpPart).type.toBe<'body' | 'querystring' | 'params' | 'headers' | undefined>()
      return (data) => schema !== data
    })
    app.setSerializerCompiler(({ httpStatus }) => (data) => `${httpStatus}${JSON.stringify(data)}`)
    app.setSchemaErrorFormatter((issues) => new Error(issues.map((issue) => issue.message).join(', ')))
    app.setSchemaController({ bucket: () => ({ add () {}, getSchema () { return undefined }, getSchemas () { return {} } }) })
    app.setReplySerializer((payload, statusCode) => `${statusCode}:${JSON.stringify(payload)}`)
  })

  test('request validation helpers narrow their input', () => {
    app.post('/', { schema: { body: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } } }, async (req) => {
      const input: unknown = {}
      if (req.validateInput(input, 'body')) expect(input).type.toBe<{ a: string }>()
      if (req.validateInput(input, { type: 'integer' })) expect(input).type.toBe<number>()
      expect(req.compileValidationSchema({ type: 'string' })(input)).type.toBe<boolean | Promise<unknown>>()
      expect(req.getValidationFunction('body')).type.toBeAssignableTo<Function | undefined>()
    })
  })

  test('openapi() returns the document', () => {
    expect(app.openapi()).type.toBe<OpenApiDocument>()
    expect(app.openapi({ info: { title: 'API', version: '1.0.0' } }).paths).type.toBeAssignableTo<Record<string, unknown>>()
  })
})

describe('content type parsers', () => {
  test('a stream parser, a string parser and a buffer parser', () => {
    app.addContentTypeParser('application/x-ndjson', (_req, payload, done) => {
      expect(payload).type.toBeAssignableTo<Readable>()
      done(null, [])
    })
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, async (_req, body) => {
      expect(body).type.toBe<string>()
      return body.split(',')
    })
    app.addContentTypeParser(['application/octet-stream', /^image\//], { parseAs: 'buffer', bodyLimit: 10 }, (_req, body, done) => {
      expect(body).type.toBe<Buffer>()
      done(null, body)
    })
  })

  test('the other parser methods', () => {
    expect(app.hasContentTypeParser('text/csv')).type.toBe<boolean>()
    app.removeContentTypeParser(['text/csv', 'text/plain'])
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'ignore'))
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.defaultTextParser)
  })
})

describe('route table', () => {
  test('lookups and printing', () => {
    expect(app.hasRoute({ method: 'GET', url: '/users/:id' })).type.toBe<boolean>()
    const found = app.findRoute({ method: 'GET', url: '/users/:id' })
    expect(found?.params).type.toBe<Record<string, string | undefined> | undefined>()
    expect(app.printRoutes({ commonPrefix: false, includeHooks: true })).type.toBe<string>()
  })
})

describe('the request interface', () => {
  test('members as in Fastify', () => {
    app.get('/', async (req) => {
      expect(req.id).type.toBe<string>()
      expect(req.url).type.toBe<string>()
      expect(req.originalUrl).type.toBe<string>()
      expect(req.method).type.toBe<string>()
      expect(req.ip).type.toBe<string>()
      expect(req.ips).type.toBe<string[] | undefined>()
      expect(req.host).type.toBe<string>()
      expect(req.hostname).type.toBe<string>()
      expect(req.port).type.toBe<number | null>()
      expect(req.protocol).type.toBe<'http' | 'https'>()
      expect(req.is404).type.toBe<boolean>()
      expect(req.signal).type.toBe<AbortSignal>()
      expect(req.server).type.toBe<VeloxInstance>()
      expect(req.raw.headers).type.toBe<import('node:http').IncomingHttpHeaders>()
      expect(req.socket.remoteAddress).type.toBe<string | undefined>()
      expect(req.routeOptions.url).type.toBe<string | undefined>()
      expect(req.routeOptions.bodyLimit).type.toBe<number>()
      expect(req.validationError?.validationContext).type.toBe<'body' | 'querystring' | 'params' | 'headers' | undefined>()
      expect(req.log.error).type.toBeCallableWith(new Error('x'))
    })
  })
})
