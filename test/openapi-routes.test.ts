import t from 'tap'
import { parse } from 'yaml'
import velox from '../lib/index.js'
import { DOCS_ASSETS, DOCS_INITIALIZER_FILE } from '../lib/openapi/docs-page.js'
import { openApiPlugin, registerOpenApiRoutes } from '../lib/openapi/index.js'
import type { OpenApiDocument } from '../lib/openapi/types.js'
import { assertValidOpenApi } from './openapi-helpers.js'

/** An app with a shared schema and a prefixed plugin of user routes. */
function usersApp (): any {
  const app = velox()
  app.addSchema({ $id: 'user', type: 'object', required: ['name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } })
  app.register(async function users (app: any) {
    app.get('/users/:id', {
      summary: 'One user',
      tags: ['users'],
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer', description: 'User id' } } },
        response: { 200: { $ref: 'user#' }, '4xx': { type: 'object', properties: { message: { type: 'string' } } } }
      }
    }, async (req: any) => ({ id: req.params.id, name: 'Ada' }))
    app.post('/users', {
      schema: { summary: 'Create a user', tags: ['users'], body: { $ref: 'user#' }, response: { 201: { $ref: 'user#' } } }
    }, async (req: any, reply: any) => {
      reply.code(201)
      return { id: 1, ...req.body }
    })
    app.get('/internal', { hide: true }, async () => 'hidden')
  }, { prefix: '/v1' })
  return app
}

t.test('app.openapi() documents the routes and shared schemas of the app', async t => {
  const app = usersApp()
  await app.ready()
  const document = app.openapi({ info: { title: 'Users', version: '2.0.0' } }) as OpenApiDocument
  t.same(document.info, { title: 'Users', version: '2.0.0' })
  t.same(Object.keys(document.paths), ['/v1/users/{id}', '/v1/users'], 'prefixed paths; hidden routes and HEAD routes left out')
  t.same(Object.keys(document.paths['/v1/users/{id}']), ['get'])
  t.same(document.paths['/v1/users/{id}'].get?.parameters, [
    { name: 'id', in: 'path', description: 'User id', required: true, schema: { type: 'integer' } }
  ])
  t.same(document.paths['/v1/users'].post?.requestBody, {
    required: true,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/user' } } }
  })
  t.equal(document.paths['/v1/users'].post?.summary, 'Create a user')
  t.same(Object.keys(document.components?.schemas ?? {}), ['user'])
  await assertValidOpenApi(t, document)
  t.equal(JSON.stringify(app.openapi()), JSON.stringify(app.openapi()), 'the same document on every call')
  await app.close()
})

t.test('serves the document as JSON and YAML through the app', async t => {
  const app = usersApp()
  registerOpenApiRoutes(app, { info: { title: 'Served', version: '1.2.3' } })
  // Routes added after the serving routes are still documented: the document is built on first request.
  app.get('/late', { schema: { response: { 200: { type: 'string' } } } }, async () => 'late')

  const json = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(json.statusCode, 200)
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8')
  const document = json.json() as OpenApiDocument
  t.equal(document.info.title, 'Served')
  // Registration order: /late is registered at once, the plugin's routes when it runs at ready().
  t.same(Object.keys(document.paths), ['/late', '/v1/users/{id}', '/v1/users'], 'the serving routes are hidden')
  await assertValidOpenApi(t, document)

  const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' })
  t.equal(yaml.statusCode, 200)
  t.equal(yaml.headers['content-type'], 'application/yaml; charset=utf-8')
  t.same(parse(yaml.body), document)

  const head = await app.inject({ method: 'HEAD', url: '/openapi.json' })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-type'], 'application/json; charset=utf-8')

  const again = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(again.body, json.body, 'the same bytes on every request')
  await app.close()
})

t.test('the docs page and every file it links are served', async t => {
  const app = usersApp()
  registerOpenApiRoutes(app)
  const page = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  const links = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map(match => match[1])
  t.equal(links.length, 7, 'two stylesheets, two icons, three scripts')
  for (const link of links) {
    const url = new URL(link, 'http://127.0.0.1/docs').pathname
    const asset = await app.inject({ method: 'GET', url })
    t.equal(asset.statusCode, 200, `${url} is served`)
    t.equal(asset.headers['content-type'], DOCS_ASSETS.find(candidate => url.endsWith(`/${candidate.file}`))?.contentType)
  }
  const settings = JSON.parse(/<script type="application\/json" id="velox-docs-settings">(.*)<\/script>/.exec(page.body)?.[1] ?? '{}')
  const spec = await app.inject({ method: 'GET', url: new URL(settings.specUrl, 'http://127.0.0.1/docs').pathname })
  t.equal(spec.statusCode, 200, 'the document URL of the page resolves')
  const initializer = await app.inject({ method: 'GET', url: `/docs/static/${DOCS_INITIALIZER_FILE}` })
  t.match(initializer.body, 'validatorUrl: null')
  const petstore = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
  t.equal(petstore.statusCode, 404, "swagger-ui-dist's own initializer is not served")
  await app.close()
})

t.test('registered in a prefixed plugin, the routes and links take the prefix', async t => {
  const app = usersApp()
  app.register(openApiPlugin, { prefix: '/api', yamlPath: false })
  const json = await app.inject({ method: 'GET', url: '/api/openapi.json' })
  t.equal(json.statusCode, 200)
  t.same(Object.keys(json.json().paths), ['/v1/users/{id}', '/v1/users'], 'the whole app is documented, not just the plugin')
  t.equal((await app.inject({ method: 'GET', url: '/api/openapi.yaml' })).statusCode, 404)
  const page = await app.inject({ method: 'GET', url: '/api/docs' })
  const settings = JSON.parse(/id="velox-docs-settings">(.*)<\/script>/.exec(page.body)?.[1] ?? '{}')
  t.equal(new URL(settings.specUrl, 'http://127.0.0.1/api/docs').pathname, '/api/openapi.json')
  t.equal((await app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' })).statusCode, 200)
  await app.close()
})

t.test('a mistake in the routes answers 500 with its code', async t => {
  const app = velox()
  app.get('/a', { operationId: 'same' }, async () => 'a')
  app.get('/b', { operationId: 'same' }, async () => 'b')
  registerOpenApiRoutes(app)
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 500)
  t.match(res.json(), { statusCode: 500, code: 'VLX_ERR_OPENAPI_DUPLICATE_OPERATION_ID', message: /GET \/a and GET \/b/ })
  await app.close()
})
