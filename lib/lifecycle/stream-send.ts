/**
 * Streaming a payload: Node streams are piped, web `ReadableStream`s read chunk by chunk with
 * backpressure. Headers go out with the first chunk, so a stream that fails before its first
 * chunk still becomes an error answer; one that fails later, or a client that goes away, ends the
 * response and releases the source (destroy, close or abort for Node streams, cancel for web
 * ones), as Fastify does. Trailers follow the last chunk.
 */
import { finished } from 'node:stream'
import type { ReadableStream as WebReadableStream, ReadableStreamDefaultReader } from 'node:stream/web'
import type { Reply } from './reply.js'
import { headersRefused } from './headers.js'
import { endWithTrailers } from './trailers.js'
import { FST_ERR_REP_READABLE_STREAM_LOCKED } from '../errors.js'

function noop (): void {}

type SourceStream = NodeJS.ReadableStream & {
  destroy?: unknown
  close?: unknown
  abort?: unknown
}

/** Copies the reply's headers onto the response without writing them; false when Node refused one. */
function stageHeaders (reply: Reply): boolean {
  const res = reply.raw
  if (res.headersSent) {
    reply.log.warn('response will send, but you shouldn\'t use res.writeHead in stream mode')
    return true
  }
  try {
    for (const name of Object.keys(reply._headers)) res.setHeader(name, reply._headers[name] as string | number | readonly string[])
    return true
  } catch (err) {
    headersRefused(reply, err as NodeJS.ErrnoException)
    return false
  }
}

/** A stream that failed: an error answer while nothing was sent, else the response is cut. */
function streamFailed (reply: Reply, err: Error, logOnce: (err: Error) => void): void {
  const res = reply.raw
  if (res.headersSent || res.destroyed || (reply.request.raw as { aborted?: boolean }).aborted === true) {
    logOnce(err)
    res.destroy()
    return
  }
  for (const name of Object.keys(reply._headers)) res.removeHeader(name)
  reply._isError = true
  reply.send(err)
}

function errorLogger (reply: Reply): (err: Error) => void {
  let logged = false
  return function logOnce (err) {
    if (logged) return
    logged = true
    reply.context.app.logController.streamError(err, reply.request, reply)
  }
}

export function sendStream (reply: Reply, payload: SourceStream): void {
  const res = reply.raw
  let sourceOpen = true
  const logOnce = errorLogger(reply)
  finished(payload, { readable: true, writable: false }, function onSourceFinished (err) {
    sourceOpen = false
    if (err != null) {
      streamFailed(reply, err, logOnce)
      return
    }
    // With trailers the source was piped without ending the response: end it here.
    if (reply._trailers !== null) endWithTrailers(reply, null)
  })
  finished(res, function onResponseFinished (err) {
    if (!sourceOpen) return
    // The client went away (or the response failed): stop producing data nobody will read.
    if (err != null && res.headersSent) logOnce(err)
    if (typeof payload.destroy === 'function') (payload.destroy as () => void)()
    else if (typeof payload.close === 'function') (payload.close as (cb: () => void) => void)(noop)
    else if (typeof payload.abort === 'function') (payload.abort as () => void)()
    else reply.log.warn('stream payload does not end properly')
  })
  if (!stageHeaders(reply)) {
    // Nothing was read from the source yet: release it; the error answer is on its way.
    sourceOpen = false
    payload.on('error', noop)
    if (typeof payload.destroy === 'function') (payload.destroy as () => void)()
    return
  }
  if (reply._trailers !== null) payload.pipe(res, { end: false })
  else payload.pipe(res)
}

export function sendWebStream (reply: Reply, payload: WebReadableStream): void {
  if (payload.locked) {
    reply._isError = true
    reply.send(new FST_ERR_REP_READABLE_STREAM_LOCKED())
    return
  }
  const res = reply.raw
  let sourceOpen = true
  let waitingDrain = false
  const logOnce = errorLogger(reply)
  const reader: ReadableStreamDefaultReader = payload.getReader()
  finished(res, function onResponseFinished (err) {
    if (!sourceOpen) return
    if (err != null && res.headersSent) logOnce(err)
    reader.cancel().catch(noop)
  })
  if (!stageHeaders(reply)) {
    sourceOpen = false
    reader.cancel().catch(noop)
    return
  }
  function onRead (result: { done: boolean, value?: unknown }): void {
    if (result.done) {
      sourceOpen = false
      endWithTrailers(reply, null)
      return
    }
    if (res.destroyed) {
      sourceOpen = false
      reader.cancel().catch(noop)
      return
    }
    if (!res.write(result.value)) {
      waitingDrain = true
      res.once('drain', onDrain)
      return
    }
    reader.read().then(onRead, onReadError)
  }
  function onDrain (): void {
    if (!waitingDrain || !sourceOpen || res.destroyed) return
    waitingDrain = false
    reader.read().then(onRead, onReadError)
  }
  function onReadError (err: Error): void {
    sourceOpen = false
    streamFailed(reply, err, logOnce)
  }
  reader.read().then(onRead, onReadError)
}
