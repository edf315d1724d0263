// What Fastify's plugins add to the app, the request, the reply and the route options, declared
// for Velox. The plugins' own type declarations extend Fastify's interfaces ('fastify' module);
// Velox's are in the 'velox' module, so an app declares there what it uses, once. Every example
// imports this file. Only what the examples use is declared; see each plugin's README for the rest.
import type { PostgresDb } from '@fastify/postgres'
import type { FastifyRedis } from '@fastify/redis'
import type { WebSocket } from 'ws'
import type { DefaultState, InstanceState, RouteGenericInterface, RouteSchema, VeloxContextConfig } from 'velox'

/** An event of @fastify/sse. */
export interface SseMessage { id?: string, event?: string, data: unknown, retry?: number }

/** A file part of a multipart request (@fastify/multipart). */
export interface UploadedFile {
  filename: string
  mimetype: string
  file: NodeJS.ReadableStream & { truncated: boolean, bytesRead: number, resume (): void }
}

type Middleware = (req: any, res: any, next: (err?: unknown) => void) => void

declare module 'velox' {
  // Merged declarations repeat the interface's type parameters, names included, even unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface RouteShorthandOptions<G extends RouteGenericInterface = RouteGenericInterface, S extends InstanceState = DefaultState, Sch = RouteSchema, C = VeloxContextConfig> {
    /** @fastify/websocket: the handler receives the socket and the request instead of the request and the reply. */
    websocket?: boolean
    /** @fastify/sse: 'only': the route streams events; 'dual': events for `Accept: text/event-stream`, else a normal reply. */
    sse?: boolean | 'only' | 'dual' | 'manual' | { kind?: 'only' | 'dual' | 'manual', heartbeat?: boolean }
  }

  interface VeloxDecorators {
    /** @fastify/websocket: opens a WebSocket to a route without a network socket, for tests. */
    injectWS (path?: string, upgradeContext?: Record<string, unknown>): Promise<WebSocket>
    /** @fastify/redis */
    redis: FastifyRedis
    /** @fastify/postgres */
    pg: PostgresDb
    /** @fastify/jwt */
    jwt: { sign (payload: Record<string, unknown>, options?: { expiresIn?: string | number }): string }
    /** @fastify/express: adds Express/Connect middleware, as `app.use` does in Express. */
    use (path: string, ...handlers: Middleware[]): this
    use (...handlers: Middleware[]): this
  }

  interface VeloxRequestDecorators {
    /** @fastify/secure-session */
    session: { get (key: 'userId'): string | undefined, set (key: 'userId', value: string): void, delete (): void, regenerate (): void }
    /** @fastify/jwt: verifies the Bearer token and sets request.user. */
    jwtVerify<T = { sub: string }> (): Promise<T>
    /** @fastify/jwt: the verified token's payload. */
    user: unknown
    /** @fastify/multipart */
    files (): AsyncIterableIterator<UploadedFile>
  }

  interface VeloxReplyDecorators {
    /** @fastify/cookie */
    setCookie (name: string, value: string, options?: { path?: string, sameSite?: 'lax' | 'strict' | 'none', maxAge?: number, httpOnly?: boolean, secure?: boolean }): this
    /** @fastify/static */
    sendFile (filename: string): this
    /** @fastify/sse */
    sse: {
      send (message: SseMessage | string | AsyncIterable<SseMessage>): Promise<void>
      sendHeaders (statusCode?: number): void
      keepAlive (): void
      onClose (fn: () => void): void
      close (): void
      replay (fn: (lastEventId: string) => Promise<void>): Promise<void>
      readonly isConnected: boolean
    }
  }
}
