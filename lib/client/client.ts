/**
 * A typed HTTP client over `fetch`, built from a route table type: the
 * client's shape follows the paths (`client.users[':id'].$get(...)`), and
 * each call is typed by its endpoint's params, query, headers, body and
 * response data per status.
 *
 * This file stands alone (no imports, nothing TypeScript must transform), so
 * it runs in browsers and on any runtime with `fetch`, and `velox client`
 * copies it as it is into the client modules it writes for other
 * repositories. `velox/client` (index.ts) types it from an app's instance type.
 */

// ------------------------------------------------------------------ route tables

/**
 * What a client knows of one endpoint. A route table maps each path
 * (`/users/:id`) to its methods (`GET`) and each method to these types.
 */
export interface EndpointTypes {
  /** Path parameters; `undefined` when the path has none. */
  params: unknown
  /** The query string; `unknown` when any is accepted. */
  query: unknown
  /** Request headers the endpoint declares; `unknown` when it declares none. */
  headers: unknown
  /** The request body; `unknown` when it is not declared. */
  body: unknown
  /** Response data by status: `200`, `'4xx'`, `'default'`. */
  responses: object
}

/** A value a path parameter or query string entry may hold: sent as text (dates as ISO 8601). */
export type ParamValue = string | number | boolean | bigint | Date

/** A query string entry: repeated for an array, left out when `undefined`. */
export type QueryValue = ParamValue | null | undefined | readonly ParamValue[]

/** A request header value; arrays are joined with `, `. */
export type HeaderValue = string | number | boolean | readonly string[]

/** The body of Velox's (and Fastify's) error responses. */
export interface ErrorResponseBody {
  statusCode: number
  code?: string
  error: string
  message: string
}

// ------------------------------------------------------------------- responses

/** Informational statuses. */
export type Status1xx = 100 | 101 | 102 | 103
/** Success statuses: `ok` is `true`. */
export type Status2xx = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226
/** Redirection statuses (seen when `redirect: 'manual'`). */
export type Status3xx = 300 | 301 | 302 | 303 | 304 | 305 | 307 | 308
/** Client error statuses. */
export type Status4xx =
  | 400 | 401 | 402 | 403 | 404 | 405 | 406 | 407 | 408 | 409 | 410 | 411 | 412 | 413 | 414
  | 415 | 416 | 417 | 418 | 421 | 422 | 423 | 424 | 425 | 426 | 428 | 429 | 431 | 451
/** Server error statuses. */
export type Status5xx = 500 | 501 | 502 | 503 | 504 | 505 | 506 | 507 | 508 | 510 | 511

/**
 * What a call resolves to: the status, the response data parsed (JSON, or
 * text), and the fetch `Response` it was read from. A union of one member per
 * declared status, so checking `status` (or `ok`) narrows `data`.
 *
 * @example
 * const res = await client.users[':id'].$get({ params: { id: 1 } })
 * if (res.status === 200) console.log(res.data.name)
 */
export interface ClientResponse<Status extends number = number, Data = unknown, Ok extends boolean = boolean> {
  readonly status: Status
  /** Whether the status is 2xx, as `Response.ok`. */
  readonly ok: Ok
  /** The body: parsed JSON for a JSON content type, text for text, an ArrayBuffer otherwise; `undefined` when empty. */
  readonly data: Data
  readonly headers: Headers
  /** The fetch response, its body already read. */
  readonly response: Response
}

type StatusOf<K> =
  K extends number ? K
    : K extends `${infer N extends number}` ? N
      : K extends '1xx' | '1XX' ? Status1xx
        : K extends '2xx' | '2XX' ? Status2xx
          : K extends '3xx' | '3XX' ? Status3xx
            : K extends '4xx' | '4XX' ? Status4xx
              : K extends '5xx' | '5XX' ? Status5xx
                : number

type OkOf<K> = `${K & (string | number)}` extends `2${string}` ? true : false

// `default` stands for every status the other keys do not name: the 2xx ones (`ok`) and the
// others, so that checking `status` or `ok` narrows `data` past it too.
type DefaultResponse<Keys, Data> =
  | ClientResponse<Exclude<Status2xx, StatusOf<Exclude<Keys, 'default'>>>, Data, true>
  | ClientResponse<Exclude<Status1xx | Status3xx | Status4xx | Status5xx, StatusOf<Exclude<Keys, 'default'>>>, Data, false>

// Errors the framework answers with whatever the route declares (a failed
// validation, a thrown error, a missing route): a status class the responses
// do not cover, nor a `default`, arrives as Velox's error body, on the
// statuses of that class no response declares one by one.
type UndeclaredErrors<K> =
  'default' extends K
    ? never
    :
      | (Extract<K, '4xx' | '4XX'> extends never ? ClientResponse<Exclude<Status4xx, DeclaredStatus<K>>, ErrorResponseBody, false> : never)
      | (Extract<K, '5xx' | '5XX'> extends never ? ClientResponse<Exclude<Status5xx, DeclaredStatus<K>>, ErrorResponseBody, false> : never)

type DeclaredStatus<K> = K extends number ? K : K extends `${infer N extends number}` ? N : never

/** Every response an endpoint may give, by status. */
export type ResponseOf<E> =
  E extends { responses: infer R }
    ? { [K in keyof R]-?: K extends 'default' ? DefaultResponse<keyof R, R[K]> : ClientResponse<StatusOf<K>, R[K], OkOf<K>> }[keyof R] | UndeclaredErrors<keyof R>
    : ClientResponse

// -------------------------------------------------------------------- requests

type Flatten<T> = { [K in keyof T]: T[K] } & {}

type ParamsOption<P> = [P] extends [undefined] ? {} : { params: P }

// `unknown`: not declared, so anything goes; all optional: may be left out.
type PartOption<K extends string, T, Fallback> =
  unknown extends T ? { [P in K]?: Fallback } : {} extends T ? { [P in K]?: T } : { [P in K]: T }

type BodyOption<B> =
  unknown extends B ? { body?: unknown } : undefined extends B ? { body?: B } : { body: B }

type Part<E, K extends keyof EndpointTypes> = E extends { [P in K]: infer X } ? X : unknown

/** The options of one call: the endpoint's parts, and `init` for anything else fetch takes. */
export type RequestOptions<E> = Flatten<
  ParamsOption<E extends { params: infer P } ? P : undefined> &
  PartOption<'query', Part<E, 'query'>, Record<string, QueryValue>> &
  // Headers the endpoint does not declare (authorization, tracing) may be sent too.
  PartOption<'headers', Part<E, 'headers'> & Record<string, HeaderValue>, Record<string, HeaderValue>> &
  BodyOption<Part<E, 'body'>> &
  { init?: RequestInit }
>

/** A call of one endpoint; the options may be left out when nothing in them is required. */
export type EndpointCall<E> =
  {} extends RequestOptions<E>
    ? (options?: RequestOptions<E>) => Promise<ResponseOf<E>>
    : (options: RequestOptions<E>) => Promise<ResponseOf<E>>

// ------------------------------------------------------------------ the client

/**
 * The client of route table `T`: a property per path segment, and at each
 * path a `$get`, `$post`... per method the table has there, plus `$url()`.
 */
export type Client<T> = ClientNode<T, ''>

type ClientNode<T, P extends string> =
  NodeEndpoints<T, P extends '' ? '/' : P> &
  { readonly [Seg in ChildSegment<keyof T, P>]: ClientNode<T, `${P}/${Seg}`> }

// The next segment of the paths below `P`. A path ending in `/` has an empty
// last segment: `/users/` is `client.users['']`.
type ChildSegment<K, P extends string> =
  K extends `${P}/${infer Rest}`
    ? Rest extends `${infer Seg}/${string}` ? Seg : (P extends '' ? (Rest extends '' ? never : Rest) : Rest)
    : never

type MethodsAt<T, Path extends string> = Path extends keyof T ? T[Path] : {}

type NodeEndpoints<T, Path extends string> = {
  readonly [M in keyof MethodsAt<T, Path> as `$${Lowercase<M & string>}`]: EndpointCall<MethodsAt<T, Path>[M]>
} & {
  /** The URL of this path, parameters filled in. */
  readonly $url: (options?: { params?: Record<string, ParamValue>, query?: Record<string, QueryValue> }) => URL
}

/** Options of {@link createRouteClient}. */
export interface ClientOptions {
  /** The fetch to call; `globalThis.fetch` by default. */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** Headers of every request, or a function giving them (called per request, may be async). */
  headers?: RequestInit['headers'] | (() => RequestInit['headers'] | Promise<RequestInit['headers']>)
  /** Fetch options of every request (credentials, signal...); a call's `init` wins. */
  init?: RequestInit
}

// `$get` -> `GET`. Only these names are methods: any other `$name` is a path segment.
const methods = new Map([
  'get', 'head', 'post', 'put', 'delete', 'options', 'patch', 'trace', 'query', 'propfind', 'proppatch',
  'mkcol', 'copy', 'move', 'lock', 'unlock', 'search', 'report', 'mkcalendar'
].map((name) => [`$${name}`, name.toUpperCase()]))

interface CallOptions {
  params?: Record<string, unknown>
  query?: Record<string, unknown>
  headers?: Record<string, unknown>
  body?: unknown
  init?: RequestInit
}

interface Context {
  base: string
  fetch: NonNullable<ClientOptions['fetch']>
  options: ClientOptions
}

/**
 * A client for route table `T` at `baseUrl`. Paths are properties
 * (`client.users[':id']`), methods are `$get`, `$post`..., and each call
 * resolves to a {@link ClientResponse}. Statuses outside 2xx resolve too;
 * only a failed fetch (network, abort) rejects.
 *
 * @example
 * const client = createRouteClient<Routes>('http://127.0.0.1:3000')
 * const res = await client.users[':id'].$get({ params: { id: 1 } })
 */
export function createRouteClient<T> (baseUrl: string | URL, options: ClientOptions = {}): Client<T> {
  const fetchImpl = options.fetch ?? globalThis.fetch
  if (typeof fetchImpl !== 'function') throw new TypeError('createClient: no fetch here; pass one as options.fetch')
  const context: Context = { base: String(baseUrl).replace(/\/+$/, ''), fetch: fetchImpl, options }
  return clientNode(context, []) as Client<T>
}

function clientNode (context: Context, segments: readonly string[]): object {
  return new Proxy({}, {
    get (_target, key) {
      // Symbols (util.inspect, Symbol.toPrimitive) are no path segments.
      if (typeof key !== 'string') return undefined
      if (key === '$url') return (options: CallOptions = {}) => buildUrl(context.base, segments, options)
      const method = methods.get(key)
      if (method !== undefined) return (options: CallOptions = {}) => call(context, method, segments, options)
      return clientNode(context, [...segments, key])
    }
  })
}

async function call (context: Context, method: string, segments: readonly string[], options: CallOptions): Promise<ClientResponse> {
  const url = buildUrl(context.base, segments, options)
  const headers = new Headers(await defaultHeaders(context.options))
  if (options.headers !== undefined) {
    for (const [name, value] of Object.entries(options.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value))
    }
  }
  const init: RequestInit = { ...context.options.init, ...options.init, method, headers }
  if (options.body !== undefined) {
    if (isRawBody(options.body)) {
      init.body = options.body
    } else {
      init.body = JSON.stringify(options.body)
      if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    }
  }
  const response = await context.fetch(url, init)
  const data = await readBody(response, method, url)
  return { status: response.status, ok: response.ok, data, headers: response.headers, response }
}

async function defaultHeaders (options: ClientOptions): Promise<RequestInit['headers']> {
  const headers = options.headers
  return typeof headers === 'function' ? await headers() : headers
}

// Bodies fetch sends as they are; anything else is JSON.
function isRawBody (body: unknown): body is NonNullable<RequestInit['body']> {
  return (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) ||
    (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) ||
    body instanceof ArrayBuffer || ArrayBuffer.isView(body)
}

async function readBody (response: Response, method: string, url: URL): Promise<unknown> {
  if (method === 'HEAD' || response.status === 204 || response.status === 205 || response.status === 304) return undefined
  const type = response.headers.get('content-type') ?? ''
  if (/[/+]json\b/i.test(type)) {
    const text = await response.text()
    if (text === '') return undefined
    try {
      return JSON.parse(text)
    } catch (err) {
      throw new SyntaxError(`${method} ${url.href} answered ${response.status} with invalid JSON: ${(err as Error).message}`, { cause: err })
    }
  }
  if (type === '' || /^text\//i.test(type)) {
    const text = await response.text()
    return text === '' ? undefined : text
  }
  const bytes = await response.arrayBuffer()
  return bytes.byteLength === 0 ? undefined : bytes
}

/**
 * The URL of a path from its segments: `:name` (with an optional regular
 * expression, `:id(^\\d+)`), several in one segment (`:from-:to`) and the
 * wildcard `*` are filled in from `params`; `::` is a literal colon.
 */
function buildUrl (base: string, segments: readonly string[], options: CallOptions): URL {
  const path = segments.map((segment) => fillSegment(segment, options.params ?? {}, segments)).join('/')
  const url = new URL(`${base}/${path}`)
  if (options.query !== undefined) appendQuery(url.searchParams, options.query)
  return url
}

const paramPattern = /::|:([^:(\-./]+)(\((?:\\.|[^)])*\))?|\*/g

function fillSegment (segment: string, params: Record<string, unknown>, segments: readonly string[]): string {
  return segment.replace(paramPattern, (match, name: string | undefined) => {
    if (match === '::') return ':'
    const key = name ?? '*'
    const value = params[key]
    if (value === undefined || value === null) {
      throw new TypeError(`createClient: the path /${segments.join('/')} needs the parameter "${key}" in params`)
    }
    const text = textOf(value, key)
    // The wildcard spans segments: its slashes stay.
    return key === '*' ? text.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(text)
  })
}

function appendQuery (search: URLSearchParams, query: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      for (const item of value) search.append(name, textOf(item, name))
    } else {
      search.append(name, value === null ? '' : textOf(value, name))
    }
  }
}

function textOf (value: unknown, name: string): string {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol') {
    throw new TypeError(`createClient: "${name}" must be a string, number, boolean or date, got ${typeof value}`)
  }
  return String(value)
}
