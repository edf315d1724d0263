import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { buildOpenApiDocument } from '../lib/openapi/build.js'
import {
  DOCS_ASSETS, DOCS_INITIALIZER_FILE, DOCS_INITIALIZER_SOURCE, readDocsAsset, relativeUrl, renderDocsPage,
  swaggerUiDistDirectory
} from '../lib/openapi/docs-page.js'
import { openApiPlugin, registerOpenApiRoutes } from '../lib/openapi/routes.js'
import type { OpenApiHost, OpenApiServeHandler, OpenApiServeReply, OpenApiServeRouteOptions } from '../lib/openapi/routes.js'
import type { OpenApiDocument, OpenApiOptions } from '../lib/openapi/types.js'
import { route } from './openapi-helpers.js'

/**
 * A stand-in for the app: records the routes, and answers `openapi()` from the builder with
 * a fixed route table, counting the calls.
 */
class StubApp implements OpenApiHost {
  readonly routes = new Map<string, { options: OpenApiServeRouteOptions, handler: OpenApiServeHandler }>()
  readonly openapiCalls: Array<OpenApiOptions | undefined> = []
  failNext = false

  get (path: string, options: OpenApiServeRouteOptions, handler: OpenApiServeHandler): void {
    if (this.routes.has(path)) throw new Error(`GET ${path} registered twice`)
    this.routes.set(path, { options, handler })
  }

  openapi (options?: OpenApiOptions): Promise<OpenApiDocument> {
    this.openapiCalls.push(options)
    if (this.failNext) {
      this.failNext = false
      return Promise.reject(new Error('not ready'))
    }
    return Promise.resolve(buildOpenApiDocument({
      routes: [route('GET', '/users/:id', { response: { 200: { type: 'object' } } })],
      schemas: {},
      options
    }))
  }

  /** Runs the handler of `path` as the router would for a request to `url`. */
  async request (path: string, url = path): Promise<StubReply> {
    const entry = this.routes.get(path)
    if (entry === undefined) throw new Error(`no GET ${path}`)
    const reply = new StubReply()
    const returned = await entry.handler({ url }, reply)
    if (returned !== reply) throw new Error('the handler should return the reply it sent')
    return reply
  }
}

class StubReply implements OpenApiServeReply {
  contentType: string | undefined
  headers: Record<string, string> = {}
  payload: string | Buffer | undefined

  type (contentType: string): this {
    this.contentType = contentType
    return this
  }

  header (name: string, value: string): this {
    this.headers[name] = value
    return this
  }

  send (payload: string | Buffer): this {
    if (this.payload !== undefined) throw new Error('sent twice')
    this.payload = payload
    return this
  }

  get text (): string {
    return String(this.payload)
  }
}

const assetPaths = DOCS_ASSETS.map(asset => `/docs/static/${asset.file}`)

t.test('registers the JSON, YAML and docs routes, all hidden from the document', async t => {
  const app = new StubApp()
  registerOpenApiRoutes(app)
  t.same([...app.routes.keys()], ['/openapi.json', '/openapi.yaml', '/docs', ...assetPaths])
  for (const [path, { options }] of app.routes) t.same(options, { hide: true, schema: { hide: true } }, `${path} is hidden`)
  t.same(app.openapiCalls, [], 'the document is not built at registration')
})

t.test('serves the document as JSON and YAML, built once on first request', async t => {
  const app = new StubApp()
  registerOpenApiRoutes(app, { info: { title: 'Stub', version: '3.0.0' }, servers: [{ url: 'http://127.0.0.1:3000' }] })
  const json = await app.request('/openapi.json')
  t.equal(json.contentType, 'application/json; charset=utf-8')
  const document = JSON.parse(json.text) as OpenApiDocument
  t.same(document.info, { title: 'Stub', version: '3.0.0' })
  t.same(document.servers, [{ url: 'http://127.0.0.1:3000' }])
  t.ok(document.paths['/users/{id}'])

  const yaml = await app.request('/openapi.yaml')
  t.equal(yaml.contentType, 'application/yaml; charset=utf-8')
  t.same(parse(yaml.text), document, 'the YAML is the same document')
  await app.request('/openapi.json')
  await app.request('/openapi.yaml')
  t.same(app.openapiCalls, [{ info: { title: 'Stub', version: '3.0.0' }, servers: [{ url: 'http://127.0.0.1:3000' }] }],
    'app.openapi() is called once, with the document options only')
})

t.test('a failure to build the document is not kept: the next request tries again', async t => {
  const app = new StubApp()
  registerOpenApiRoutes(app)
  app.failNext = true
  await t.rejects(app.request('/openapi.json'), { message: 'not ready' })
  t.ok(JSON.parse((await app.request('/openapi.json')).text).paths)
  t.equal(app.openapiCalls.length, 2)
})

t.test('paths can be moved or turned off', async t => {
  const app = new StubApp()
  registerOpenApiRoutes(app, { jsonPath: '/spec.json', yamlPath: false, docsPath: '/reference/' })
  t.same([...app.routes.keys()], ['/spec.json', '/reference', ...DOCS_ASSETS.map(asset => `/reference/static/${asset.file}`)])
  const page = await app.request('/reference')
  t.match(page.text, /"specUrl":"spec\.json"/)

  const yamlOnly = new StubApp()
  registerOpenApiRoutes(yamlOnly, { jsonPath: false })
  t.match((await yamlOnly.request('/docs')).text, /"specUrl":"openapi\.yaml"/, 'without JSON the page loads the YAML')

  const none = new StubApp()
  registerOpenApiRoutes(none, { docsPath: false, yamlPath: false })
  t.same([...none.routes.keys()], ['/openapi.json'])

  t.throws(() => registerOpenApiRoutes(new StubApp(), { jsonPath: false, yamlPath: false }), {
    code: 'VLX_ERR_OPENAPI_NO_SPEC_ROUTE',
    message: 'The docs page at "/docs" needs the document: set jsonPath or yamlPath'
  })

  const root = new StubApp()
  registerOpenApiRoutes(root, { docsPath: '/' })
  t.ok(root.routes.has('/') && root.routes.has('/static/swagger-ui.css'), 'the page can sit at the root')
  t.match((await root.request('/')).text, /href="static\/swagger-ui\.css"/)
})

t.test('openApiPlugin registers the same routes, for app.register()', async t => {
  const app = new StubApp()
  await openApiPlugin(app, { yamlPath: false })
  t.same([...app.routes.keys()], ['/openapi.json', '/docs', ...assetPaths])
})

t.test('the docs page links its assets and the document relative to the URL it is served at', async t => {
  const app = new StubApp()
  registerOpenApiRoutes(app, { info: { title: 'Shop <API>', version: '1' } })
  const page = await app.request('/docs')
  t.equal(page.contentType, 'text/html; charset=utf-8')
  t.match(page.text, '<title>Shop &lt;API&gt;</title>', 'the title comes from info.title, escaped')
  t.match(page.text, '<link rel="stylesheet" href="docs/static/swagger-ui.css">')
  t.match(page.text, '<script src="docs/static/swagger-ui-bundle.js" charset="utf-8"></script>')
  t.match(page.text, `<script src="docs/static/${DOCS_INITIALIZER_FILE}" charset="utf-8"></script>`)
  t.match(page.text, '{"specUrl":"openapi.json","oauth2RedirectUrl":"docs/static/oauth2-redirect.html"}')

  const slash = await app.request('/docs', '/docs/?tab=1')
  t.match(slash.text, 'href="static/swagger-ui.css"', 'with a trailing slash (ignoreTrailingSlash)')
  t.match(slash.text, '"specUrl":"../openapi.json"')

  // The runtime adds a plugin prefix to the registered path: the request URL carries it.
  const prefixed = await app.request('/docs', '/v1/docs')
  t.match(prefixed.text, 'href="docs/static/swagger-ui.css"')
  t.match(prefixed.text, '"specUrl":"openapi.json"', 'resolves to /v1/openapi.json')

  const titled = new StubApp()
  registerOpenApiRoutes(titled, { docsTitle: 'Reference' })
  t.match((await titled.request('/docs')).text, '<title>Reference</title>')
})

t.test('the page has no inline script and refers to nothing outside the app', async t => {
  const html = renderDocsPage({ title: 'x', specUrl: '/a</script><script>alert(1)</script>.json', assetsUrl: 'docs/static/' })
  t.notMatch(html, /https?:\/\//, 'no absolute URL, so no CDN')
  t.notMatch(html, /<script>/, 'every script is a file or a JSON block')
  t.notMatch(html, /<\/script><script>alert/, 'a URL cannot close the settings block')
  t.match(html, '\\u003c/script>')
  t.match(DOCS_INITIALIZER_SOURCE, 'validatorUrl: null', 'the online validator badge is off')
  t.notMatch(DOCS_INITIALIZER_SOURCE, /petstore|https?:/)
})

t.test('the assets are the files of swagger-ui-dist, plus our initializer', async t => {
  const directory = swaggerUiDistDirectory()
  t.ok(existsSync(join(directory, 'package.json')))
  const app = new StubApp()
  registerOpenApiRoutes(app)
  for (const asset of DOCS_ASSETS) {
    const reply = await app.request(`/docs/static/${asset.file}`)
    t.equal(reply.contentType, asset.contentType, `${asset.file} type`)
    t.equal(reply.headers['cache-control'], 'public, max-age=3600')
    t.ok(Buffer.isBuffer(reply.payload))
    const expected = asset.file === DOCS_INITIALIZER_FILE
      ? Buffer.from(DOCS_INITIALIZER_SOURCE)
      : readFileSync(join(directory, asset.file))
    t.ok(expected.equals(reply.payload as Buffer), `${asset.file} bytes`)
  }
  t.equal(readDocsAsset('swagger-initializer.js'), undefined, "the package's petstore initializer is not served")
  t.equal(readDocsAsset('../package.json'), undefined)
  t.equal(readDocsAsset('swagger-ui.css'), readDocsAsset('swagger-ui.css'), 'read once, then kept')
})

t.test('relative URLs between absolute paths', async t => {
  const cases: Array<[string, string, string]> = [
    ['/docs', '/openapi.json', 'openapi.json'],
    ['/docs/', '/openapi.json', '../openapi.json'],
    ['/docs', '/docs/static/', 'docs/static/'],
    ['/docs/', '/docs/static/', 'static/'],
    ['/v1/api/docs', '/v1/openapi.json', '../openapi.json'],
    ['/a/b/docs', '/c/spec.yaml', '../../c/spec.yaml'],
    ['/', '/openapi.json', 'openapi.json'],
    ['/docs', '/', './'],
    ['/docs', '/a:b.json', './a:b.json']
  ]
  for (const [from, to, expected] of cases) {
    const relative = relativeUrl(from, to)
    t.equal(relative, expected, `${from} -> ${to}`)
    t.equal(new URL(relative, `http://127.0.0.1${from}`).pathname, to, `${relative} resolves back`)
  }
})
