/**
 * AWS Lambda behind API Gateway: REST API events (payload version 1.0, also sent by HTTP APIs
 * configured for 1.0) and HTTP API / function URL events (payload version 2.0), turned into a
 * request through the app's normal pipeline, and its response into the shape API Gateway
 * expects for that version.
 */
import { VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED } from '../errors.js'
import { type InjectRequest, type InjectResponse, type ServerlessApp, type ServerlessOptions, isTextBody, responseHeaders, starter, stripBasePath } from './start.js'

/** The fields of an API Gateway REST API (payload 1.0) proxy event that Velox reads. */
export interface ApiGatewayProxyEventV1 {
  httpMethod: string
  path: string
  headers?: Record<string, string | undefined> | null
  multiValueHeaders?: Record<string, string[] | undefined> | null
  queryStringParameters?: Record<string, string | undefined> | null
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null
  body?: string | null
  isBase64Encoded?: boolean
  requestContext?: { identity?: { sourceIp?: string } }
  [key: string]: unknown
}

/** The fields of an API Gateway HTTP API (payload 2.0) or function URL event that Velox reads. */
export interface ApiGatewayProxyEventV2 {
  version: '2.0'
  rawPath: string
  rawQueryString?: string
  cookies?: string[]
  headers?: Record<string, string | undefined>
  body?: string
  isBase64Encoded?: boolean
  requestContext: { http: { method: string, sourceIp?: string } }
  [key: string]: unknown
}

export interface ApiGatewayProxyResultV1 {
  statusCode: number
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  body: string
  isBase64Encoded: boolean
}

export interface ApiGatewayProxyResultV2 {
  statusCode: number
  headers: Record<string, string>
  cookies: string[]
  body: string
  isBase64Encoded: boolean
}

export type AwsLambdaHandler = {
  (event: ApiGatewayProxyEventV2, context?: unknown): Promise<ApiGatewayProxyResultV2>
  (event: ApiGatewayProxyEventV1, context?: unknown): Promise<ApiGatewayProxyResultV1>
}

/**
 * A Lambda handler that answers API Gateway events with the app, starting it on the first
 * event (schemas compile on each route's first request). The payload version is read from each
 * event, so one handler serves REST APIs, HTTP APIs and function URLs.
 *
 * @example
 * import velox from 'velox'
 * import { awsLambda } from 'velox/serverless'
 *
 * const app = velox({ schemaBuild: new URL('./velox-schemas.bin', import.meta.url) })
 * app.get('/hello', async () => ({ hello: 'world' }))
 * export const handler = awsLambda(app)
 */
export function awsLambda (app: ServerlessApp, options: ServerlessOptions = {}): AwsLambdaHandler {
  const start = starter(app)
  return async function handler (event: ApiGatewayProxyEventV1 | ApiGatewayProxyEventV2) {
    const v2 = isV2(event)
    if (!v2 && !isV1(event)) throw new VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED(describe(event))
    await start()
    const request = v2 ? fromV2(event as ApiGatewayProxyEventV2, options) : fromV1(event as ApiGatewayProxyEventV1, options)
    const response = await app.inject(request)
    return v2 ? toV2(response) : toV1(response)
  } as AwsLambdaHandler
}

function isV2 (event: unknown): boolean {
  const e = event as Partial<ApiGatewayProxyEventV2> | null
  return e !== null && typeof e === 'object' && e.version === '2.0' && typeof e.rawPath === 'string' &&
    typeof e.requestContext?.http?.method === 'string'
}

function isV1 (event: unknown): boolean {
  const e = event as Partial<ApiGatewayProxyEventV1> | null
  return e !== null && typeof e === 'object' && typeof e.httpMethod === 'string' && typeof e.path === 'string'
}

function describe (event: unknown): string {
  if (event === null || typeof event !== 'object') return `got ${event === null ? 'null' : typeof event}`
  return `got an object with ${Object.keys(event).slice(0, 8).join(', ') || 'no keys'}`
}

function bodyOf (body: string | null | undefined, base64: boolean | undefined): Buffer | undefined {
  if (body === undefined || body === null) return undefined
  return Buffer.from(body, base64 === true ? 'base64' : 'utf8')
}

function fromV1 (event: ApiGatewayProxyEventV1, options: ServerlessOptions): InjectRequest {
  const headers: Record<string, string> = {}
  // REST APIs send both maps; the multi-value one has every value of a repeated header.
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values === undefined || values.length === 0) continue
    const key = name.toLowerCase()
    headers[key] = values.join(key === 'cookie' ? '; ' : ', ')
  }
  // API Gateway hands the query decoded: encode it again for the app's query-string parser.
  const query = new URLSearchParams()
  const multi = event.multiValueQueryStringParameters
  if (multi !== null && multi !== undefined) {
    for (const [name, values] of Object.entries(multi)) for (const value of values ?? []) query.append(name, value)
  } else {
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query.append(name, value)
  }
  const search = query.toString()
  const path = stripBasePath(event.path, options.basePath)
  return {
    method: event.httpMethod,
    url: search === '' ? path : `${path}?${search}`,
    headers,
    payload: bodyOf(event.body, event.isBase64Encoded),
    remoteAddress: event.requestContext?.identity?.sourceIp
  }
}

function fromV2 (event: ApiGatewayProxyEventV2, options: ServerlessOptions): InjectRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value
  // Payload 2.0 moves cookies out of the headers, into their own list.
  if (event.cookies !== undefined && event.cookies.length > 0) headers.cookie = event.cookies.join('; ')
  const path = stripBasePath(event.rawPath, options.basePath)
  const query = event.rawQueryString ?? ''
  return {
    method: event.requestContext.http.method,
    url: query === '' ? path : `${path}?${query}`,
    headers,
    payload: bodyOf(event.body, event.isBase64Encoded),
    remoteAddress: event.requestContext.http.sourceIp
  }
}

function encodeBody (response: InjectResponse): { body: string, isBase64Encoded: boolean } {
  if (response.rawPayload.length === 0) return { body: '', isBase64Encoded: false }
  const text = isTextBody(response)
  return { body: response.rawPayload.toString(text ? 'utf8' : 'base64'), isBase64Encoded: !text }
}

function toV1 (response: InjectResponse): ApiGatewayProxyResultV1 {
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  // API Gateway merges the two maps, taking a name's values from multiValueHeaders when both have it.
  for (const [name, values] of responseHeaders(response)) {
    multiValueHeaders[name] = values
    if (values.length === 1) headers[name] = values[0]
  }
  return { statusCode: response.statusCode, headers, multiValueHeaders, ...encodeBody(response) }
}

function toV2 (response: InjectResponse): ApiGatewayProxyResultV2 {
  const headers: Record<string, string> = {}
  let cookies: string[] = []
  for (const [name, values] of responseHeaders(response)) {
    // Payload 2.0 has no multi-value headers: repeated values are comma-joined, and Set-Cookie
    // (which cannot be joined) goes in the cookies list.
    if (name === 'set-cookie') cookies = values
    else headers[name] = values.join(', ')
  }
  return { statusCode: response.statusCode, headers, cookies, ...encodeBody(response) }
}
