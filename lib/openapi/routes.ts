/**
 * The routes that serve the document: `/openapi.json`, `/openapi.yaml` and the `/docs` page
 * with its assets. They are registered through the app's own route API and hidden from the
 * document they serve.
 */

import { DEFAULT_INFO } from './build.js'
import { DOCS_ASSETS, readDocsAsset, relativeUrl, renderDocsPage } from './docs-page.js'
import { openApiError } from './openapi-error.js'
import { renderOpenApiJson, renderOpenApiYaml } from './render.js'
import type { OpenApiDocument, OpenApiOptions } from './types.js'

/** What the handlers use of a request. */
export interface OpenApiServeRequest {
  readonly url: string
}

/** What the handlers use of a reply (Fastify's Reply API). */
export interface OpenApiServeReply {
  type (contentType: string): OpenApiServeReply
  header (name: string, value: string): OpenApiServeReply
  send (payload: string | Buffer): OpenApiServeReply
}

export type OpenApiServeHandler = (request: OpenApiServeRequest, reply: OpenApiServeReply) => Promise<OpenApiServeReply>

/** The options every route of this module is registered with: hidden from the document. */
export interface OpenApiServeRouteOptions {
  hide: true
  schema: { hide: true }
}

/** What the routes need of the app: Fastify's `get` shorthand and Velox's `openapi()`. */
export interface OpenApiHost {
  get (path: string, options: OpenApiServeRouteOptions, handler: OpenApiServeHandler): unknown
  openapi (options?: OpenApiOptions): OpenApiDocument | Promise<OpenApiDocument>
}

export interface OpenApiServeOptions extends OpenApiOptions {
  /** Where the JSON document is served; `false` to not serve it. Default `/openapi.json`. */
  jsonPath?: string | false
  /** Where the YAML document is served; `false` to not serve it. Default `/openapi.yaml`. */
  yamlPath?: string | false
  /**
   * Where the Swagger UI page is served, its assets under `<docsPath>/static/`; `false` to
   * not serve it. Default `/docs`.
   */
  docsPath?: string | false
  /** The page title; default the document's `info.title`. */
  docsTitle?: string
}

const JSON_TYPE = 'application/json; charset=utf-8'
// RFC 9512 registers application/yaml.
const YAML_TYPE = 'application/yaml; charset=utf-8'
const HTML_TYPE = 'text/html; charset=utf-8'

/**
 * Registers the GET routes that serve the document on `app`. The document is asked of
 * `app.openapi()` on the first request (all routes are registered by then) and kept, along
 * with its JSON and YAML text.
 *
 * @example
 * registerOpenApiRoutes(app, { info: { title: 'Shop', version: '2.1.0' }, docsPath: '/reference' })
 * // GET /openapi.json, GET /openapi.yaml, GET /reference, GET /reference/static/...
 */
export function registerOpenApiRoutes (app: OpenApiHost, options: OpenApiServeOptions = {}): void {
  const { jsonPath = '/openapi.json', yamlPath = '/openapi.yaml', docsPath = '/docs', docsTitle, ...documentOptions } = options
  const document = new CachedDocument(app, documentOptions)

  if (jsonPath !== false) {
    app.get(jsonPath, hidden(), async function openApiJson (_request, reply) {
      return reply.type(JSON_TYPE).send(await document.json())
    })
  }
  if (yamlPath !== false) {
    app.get(yamlPath, hidden(), async function openApiYaml (_request, reply) {
      return reply.type(YAML_TYPE).send(await document.yaml())
    })
  }
  if (docsPath === false) return

  const specPath = jsonPath !== false ? jsonPath : yamlPath
  if (specPath === false) throw openApiError('VLX_ERR_OPENAPI_NO_SPEC_ROUTE', docsPath)
  const docsBase = docsPath.replace(/\/+$/, '')
  const title = docsTitle ?? options.info?.title ?? DEFAULT_INFO.title

  app.get(docsBase === '' ? '/' : docsBase, hidden(), async function openApiDocsPage (request, reply) {
    // The URL the page was asked at, prefix included: the assets and the document are linked
    // relative to it, whatever prefix the app (or a proxy in front of it) adds.
    const pagePath = request.url.split('?')[0]
    const pageBase = pagePath.replace(/\/+$/, '')
    const prefix = pageBase.endsWith(docsBase) ? pageBase.slice(0, pageBase.length - docsBase.length) : ''
    const html = renderDocsPage({
      title,
      specUrl: relativeUrl(pagePath, prefix + specPath),
      assetsUrl: relativeUrl(pagePath, `${pageBase}/static/`)
    })
    return reply.type(HTML_TYPE).send(html)
  })

  for (const asset of DOCS_ASSETS) {
    app.get(`${docsBase}/static/${asset.file}`, hidden(), async function openApiDocsAsset (_request, reply) {
      const bytes = await (readDocsAsset(asset.file) as Promise<Buffer>)
      // Asset names carry no version: keep them an hour, not forever, so an upgrade shows up.
      return reply.type(asset.contentType).header('cache-control', 'public, max-age=3600').send(bytes)
    })
  }
}

/**
 * A Fastify-style plugin around {@link registerOpenApiRoutes}, for `app.register(openApiPlugin, options)`.
 * The routes get the prefix of the scope it is registered in.
 */
export async function openApiPlugin (app: OpenApiHost, options: OpenApiServeOptions = {}): Promise<void> {
  registerOpenApiRoutes(app, options)
}

function hidden (): OpenApiServeRouteOptions {
  return { hide: true, schema: { hide: true } }
}

/** The document and its text, each made on first use. */
class CachedDocument {
  readonly #document: Lazy<OpenApiDocument>
  readonly #json: Lazy<string>
  readonly #yaml: Lazy<string>

  constructor (app: OpenApiHost, options: OpenApiOptions) {
    this.#document = new Lazy(async function buildDocument () { return await app.openapi(options) })
    this.#json = new Lazy(async () => renderOpenApiJson(await this.#document.get()))
    this.#yaml = new Lazy(async () => renderOpenApiYaml(await this.#document.get()))
  }

  json (): Promise<string> {
    return this.#json.get()
  }

  yaml (): Promise<string> {
    return this.#yaml.get()
  }
}

/** A value made once, on first use; a failure is not kept, so the next use tries again. */
class Lazy<T> {
  readonly #make: () => Promise<T>
  #value: Promise<T> | undefined

  constructor (make: () => Promise<T>) {
    this.#make = make
  }

  get (): Promise<T> {
    if (this.#value === undefined) {
      const value = this.#make()
      this.#value = value
      value.catch(() => {
        if (this.#value === value) this.#value = undefined
      })
    }
    return this.#value
  }
}
