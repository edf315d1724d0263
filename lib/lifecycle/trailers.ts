/**
 * Reply trailers (`reply.trailer(name, fn)`): fields sent after the body, such as a digest or a
 * server timing computed once the payload is known (RFC 9110 6.5). Announced in the `Trailer`
 * header (and, on HTTP/1.1, with chunked encoding); each function gets `(reply, payload, done)`
 * and answers through `done(err, value)` or a returned promise; the response ends once every one
 * has answered. A trailer that fails is left out: the body is already on its way.
 */
import type { Reply } from './reply.js'
import { FST_ERR_BAD_TRAILER_NAME, FST_ERR_BAD_TRAILER_VALUE } from '../errors.js'

export type TrailerDone = (err: Error | null, value?: string) => void
export type TrailerFn = (reply: Reply, payload: unknown, done: TrailerDone) => unknown

/** Fields that may not be trailers (framing, routing, authentication, content description). */
const invalidTrailers = new Set([
  'transfer-encoding', 'content-length', 'host', 'cache-control', 'max-forwards', 'te', 'authorization',
  'set-cookie', 'content-encoding', 'content-type', 'content-range', 'trailer'
])

export function addTrailer (reply: Reply, name: string, fn: unknown): void {
  const key = name.toLowerCase()
  if (invalidTrailers.has(key)) throw new FST_ERR_BAD_TRAILER_NAME(key)
  if (typeof fn !== 'function') throw new FST_ERR_BAD_TRAILER_VALUE(key, typeof fn)
  reply._trailers ??= {}
  reply._trailers[key] = fn as TrailerFn
}

/**
 * Before the head is written: names the trailers in the `Trailer` header (with chunked encoding
 * on HTTP/1.1; HTTP/2 carries trailers natively and forbids that header), or forgets them when
 * every one was removed.
 */
export function announceTrailers (reply: Reply): void {
  const trailers = reply._trailers as Record<string, TrailerFn | undefined>
  let names = ''
  for (const name of Object.keys(trailers)) {
    if (typeof trailers[name] === 'function') names += names === '' ? name : ' ' + name
  }
  if (names === '') {
    reply._trailers = null
    return
  }
  if (reply.request.raw.httpVersionMajor !== 2) reply._headers['transfer-encoding'] = 'chunked'
  reply._headers.trailer = names
}

/** Ends the response: at once without trailers, else once every trailer function has answered. */
export function endWithTrailers (reply: Reply, payload: unknown): void {
  const res = reply.raw
  const trailers = reply._trailers
  if (trailers === null) {
    res.end()
    return
  }
  const values: Record<string, string> = {}
  let pending = 0
  let any = false
  let sent = false
  const finish = (): void => {
    if (pending !== 0 || sent) return
    sent = true
    res.addTrailers(values)
    res.end()
  }
  for (const name of Object.keys(trailers)) {
    const fn = trailers[name]
    if (typeof fn !== 'function') continue
    any = true
    pending++
    let answered = false
    const done: TrailerDone = (err, value) => {
      if (answered) return
      answered = true
      pending--
      if (err != null) reply.log.debug(err)
      else values[name] = value as string
      // On the next tick, so trailers answering synchronously still end the response once.
      process.nextTick(finish)
    }
    const result = fn(reply, payload, done)
    if (result !== null && typeof result === 'object' && typeof (result as Promise<string>).then === 'function') {
      (result as Promise<string>).then((value) => { done(null, value) }, done)
    }
  }
  // Every trailer was removed while the body was written.
  if (!any) res.end()
}
