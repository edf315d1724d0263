/**
 * The `/docs` page: Swagger UI served from the files of the installed `swagger-ui-dist`
 * package, so it works offline and no request leaves the machine, started by our own
 * initializer script rather than the package's petstore one.
 *
 * The page holds no inline script: its settings travel in a `<script type="application/json">`
 * block, which is data, so a `script-src 'self'` Content-Security-Policy does not block it.
 */

import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The file name of our initializer among the assets. */
export const DOCS_INITIALIZER_FILE = 'velox-swagger-initializer.js'

export interface DocsAsset {
  /** File name, also the last segment of its URL: `<docsPath>/static/<file>`. */
  readonly file: string
  readonly contentType: string
}

/** The files the page loads; everything else in swagger-ui-dist stays unserved. */
export const DOCS_ASSETS: readonly DocsAsset[] = [
  { file: 'swagger-ui.css', contentType: 'text/css; charset=utf-8' },
  { file: 'index.css', contentType: 'text/css; charset=utf-8' },
  { file: 'swagger-ui-bundle.js', contentType: 'text/javascript; charset=utf-8' },
  { file: 'swagger-ui-standalone-preset.js', contentType: 'text/javascript; charset=utf-8' },
  { file: 'favicon-32x32.png', contentType: 'image/png' },
  { file: 'favicon-16x16.png', contentType: 'image/png' },
  // Swagger UI opens this page to finish OAuth2 flows declared in securitySchemes.
  { file: 'oauth2-redirect.html', contentType: 'text/html; charset=utf-8' },
  { file: 'oauth2-redirect.js', contentType: 'text/javascript; charset=utf-8' },
  { file: DOCS_INITIALIZER_FILE, contentType: 'text/javascript; charset=utf-8' }
]

/** The folder of the installed swagger-ui-dist package. */
export function swaggerUiDistDirectory (): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
}

/**
 * Reads the settings block of the page and starts Swagger UI.
 * `validatorUrl: null` turns off the badge that would send the document to validator.swagger.io.
 */
export const DOCS_INITIALIZER_SOURCE = `'use strict'
window.addEventListener('load', function startSwaggerUi () {
  var settings = JSON.parse(document.getElementById('velox-docs-settings').textContent)
  window.ui = SwaggerUIBundle({
    url: settings.specUrl,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    oauth2RedirectUrl: new URL(settings.oauth2RedirectUrl, window.location.href).href,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout'
  })
})
`

const assetCache = new Map<string, Promise<Buffer>>()

/**
 * The bytes of one asset, read once and kept: the bundle is 1.7 MB and the page loads it on
 * every visit. Returns `undefined` for a file that is not an asset.
 */
export function readDocsAsset (file: string): Promise<Buffer> | undefined {
  if (!DOCS_ASSETS.some(asset => asset.file === file)) return undefined
  let bytes = assetCache.get(file)
  if (bytes === undefined) {
    bytes = file === DOCS_INITIALIZER_FILE
      ? Promise.resolve(Buffer.from(DOCS_INITIALIZER_SOURCE))
      : readFile(join(swaggerUiDistDirectory(), file))
    // A failed read is not kept, so the next request tries again.
    bytes.catch(function forget () { assetCache.delete(file) })
    assetCache.set(file, bytes)
  }
  return bytes
}

export interface DocsPageOptions {
  /** The page title. */
  title: string
  /** URL of the OpenAPI document, relative to the page or absolute. */
  specUrl: string
  /** URL of the assets folder, relative to the page or absolute, ending with `/`. */
  assetsUrl: string
}

/**
 * The HTML of the docs page.
 *
 * @example
 * renderDocsPage({ title: 'Velox API', specUrl: 'openapi.json', assetsUrl: 'docs/static/' })
 */
export function renderDocsPage (options: DocsPageOptions): string {
  const assets = escapeHtml(options.assetsUrl)
  const settings = JSON.stringify({
    specUrl: options.specUrl,
    oauth2RedirectUrl: `${options.assetsUrl}oauth2-redirect.html`
  })
    // Inside <script>, "</script>" or "<!--" in a URL would end the block early.
    .replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${assets}swagger-ui.css">
<link rel="stylesheet" href="${assets}index.css">
<link rel="icon" type="image/png" href="${assets}favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${assets}favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script type="application/json" id="velox-docs-settings">${settings}</script>
<script src="${assets}swagger-ui-bundle.js" charset="utf-8"></script>
<script src="${assets}swagger-ui-standalone-preset.js" charset="utf-8"></script>
<script src="${assets}${DOCS_INITIALIZER_FILE}" charset="utf-8"></script>
</body>
</html>
`
}

function escapeHtml (text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * The URL of `to` relative to a page at `from`, both absolute paths. Relative URLs keep the
 * page working when a proxy serves the app under another path prefix.
 *
 * @example
 * relativeUrl('/v1/docs', '/v1/openapi.json') // 'openapi.json'
 * relativeUrl('/v1/docs/', '/v1/openapi.json') // '../openapi.json'
 */
export function relativeUrl (from: string, to: string): string {
  const fromDirectory = from.slice(0, from.lastIndexOf('/') + 1).split('/').slice(0, -1)
  const target = to.split('/')
  let common = 0
  while (common < fromDirectory.length && common < target.length - 1 && fromDirectory[common] === target[common]) common++
  const ups = fromDirectory.length - common
  const relative = '../'.repeat(ups) + target.slice(common).join('/')
  // An empty result or one starting with a colon-bearing segment would be read differently.
  if (relative === '' || /^[^/]*:/.test(relative)) return './' + relative
  return relative
}
