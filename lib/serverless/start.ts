/**
 * What the serverless handlers share: starting the app once, on the first event, with schemas
 * compiled on demand, and running one request through `app.inject()` (the normal pipeline,
 * without a socket), and reading the response back.
 */

/** The part of an app the handlers use: Velox's (and Fastify's) public API. */
export interface ServerlessApp {
  ready: () => PromiseLike<unknown>
  inject: (options: InjectRequest) => PromiseLike<InjectResponse>
}

export interface InjectRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload?: Buffer
  remoteAddress?: string
}

export interface InjectResponse {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  rawPayload: Buffer
}

export interface ServerlessOptions {
  /**
   * A path prefix the platform adds and the app's routes do not have (an API Gateway stage such
   * as `/prod`, a custom domain's base path): removed from the path before routing.
   */
  basePath?: string
}

const kStartOnDemand = Symbol.for('velox.startOnDemand')

/**
 * Starts the app on the first call, with schemas compiled on each route's first request and no
 * warm-up (a function is billed for CPU it spends between events, and may be frozen then); a
 * non-Velox app is started with ready(). A failed start fails every event with its error.
 */
export function starter (app: ServerlessApp): () => PromiseLike<unknown> {
  let started: PromiseLike<unknown> | null = null
  return function start () {
    if (started === null) {
      const startOnDemand = (app as unknown as Record<symbol, (() => PromiseLike<unknown>) | undefined>)[kStartOnDemand]
      started = typeof startOnDemand === 'function' ? startOnDemand.call(app) : app.ready()
    }
    return started
  }
}

/** The path without the configured base path (`/prod/users` -> `/users`). */
export function stripBasePath (path: string, basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return path
  const base = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath
  if (path === base) return '/'
  return path.startsWith(base + '/') ? path.slice(base.length) : path
}

/** Hop-by-hop headers describe the connection to the app, which here is a function call: the platform writes its own. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding'])

/** The response headers as lists of strings, hop-by-hop headers left out. */
export function responseHeaders (response: InjectResponse): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = []
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || hopByHop.has(name)) continue
    out.push([name, Array.isArray(value) ? value.map(String) : [String(value)]])
  }
  return out
}

/**
 * Whether a body can travel as text: a textual media type with no content coding. Anything
 * else (images, PDFs, gzip'd JSON) is sent base64-encoded, as API Gateway requires for binary.
 */
export function isTextBody (response: InjectResponse): boolean {
  const encoding = response.headers['content-encoding']
  if (encoding !== undefined && String(encoding).toLowerCase() !== 'identity') return false
  const type = response.headers['content-type']
  if (type === undefined) return true
  return /^\s*(?:text\/|application\/(?:json|javascript|ecmascript|xml|x-www-form-urlencoded|graphql)\b|[^;]*\+(?:json|xml)\b)/i.test(String(type))
}
