/**
 * A Fetch API handler, `(Request) => Promise<Response>`, for runtimes and tools that speak
 * Fetch while running Node.js (edge-style platforms, Cloudflare's Node compatibility, tests).
 */
import { type ServerlessApp, type ServerlessOptions, responseHeaders, starter, stripBasePath } from './start.js'

/** Statuses whose responses have no body (RFC 9110): `new Response()` refuses one. */
const noBody = new Set([101, 103, 204, 205, 304])

/**
 * A handler that answers Fetch `Request`s with the app, through its normal pipeline and without a
 * socket, starting it on the first request (schemas compile on each route's first request).
 *
 * @example
 * import velox from 'velox'
 * import { fetchHandler } from 'velox/serverless'
 *
 * const app = velox()
 * app.get('/hello', async () => ({ hello: 'world' }))
 * const handle = fetchHandler(app)
 * const response = await handle(new Request('http://localhost/hello'))
 */
export function fetchHandler (app: ServerlessApp, options: ServerlessOptions = {}): (request: Request) => Promise<Response> {
  const start = starter(app)
  return async function handle (request: Request): Promise<Response> {
    await start()
    const url = new URL(request.url)
    const headers: Record<string, string> = {}
    // Headers iterates names in lower case, repeated values already joined.
    request.headers.forEach((value, name) => { headers[name] = value })
    const payload = request.body === null ? undefined : Buffer.from(await request.arrayBuffer())
    const response = await app.inject({ method: request.method, url: stripBasePath(url.pathname, options.basePath) + url.search, headers, payload })
    const out = new Headers()
    for (const [name, values] of responseHeaders(response)) for (const value of values) out.append(name, value)
    const body = noBody.has(response.statusCode) || request.method === 'HEAD' || response.rawPayload.length === 0 ? null : response.rawPayload
    return new Response(body, { status: response.statusCode, headers: out })
  }
}
