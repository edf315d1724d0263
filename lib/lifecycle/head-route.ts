/**
 * The last onSend hook of a HEAD route made for a GET route (`exposeHeadRoutes`), as in Fastify:
 * it reports the length the GET would send and drops the payload. A stream is drained (Node) or
 * cancelled (web), never piped, so a stream that errors or never ends cannot hold the HEAD
 * response; its error is only logged, since the status line may already be on its way.
 */
import type { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import type { Reply } from './reply.js'

type Done = (err: Error | null, payload: null) => void

export function headRouteOnSendHandler (_request: unknown, reply: Reply, payload: unknown, done: Done): void {
  if (payload === undefined || payload === null) {
    reply.header('content-length', '0')
    done(null, null)
    return
  }
  if (typeof (payload as Readable).resume === 'function') {
    const stream = payload as Readable
    stream.on('error', (err: Error) => { reply.log.error({ err }, 'Error on Stream found for HEAD route') })
    stream.resume()
    done(null, null)
    return
  }
  if (typeof (payload as ReadableStream).getReader === 'function') {
    (payload as ReadableStream).cancel('Stream cancelled by HEAD route').catch((err: Error) => {
      reply.log.error({ err }, 'Error on Stream found for HEAD route')
    })
    done(null, null)
    return
  }
  reply.header('content-length', String(Buffer.byteLength(payload as string | Buffer)))
  done(null, null)
}
