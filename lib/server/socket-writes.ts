/**
 * Write coalescing for plain HTTP/1.1 connections (the `coalesceWrites` server
 * option, on by default).
 *
 * Node's http module sends each response with its own socket write, and with
 * pipelining it sends response N+1 only once response N's write has called
 * back. Ten pipelined requests on a connection therefore cost ten `writev`
 * system calls and ten TCP segments, which is where most of a small API's
 * CPU goes (see docs/benchmarks.md).
 *
 * This module replaces the connection's Writable hooks (`_write`, `_writev`,
 * `_final`, `_destroy`, the documented stream-implementer API) so that bytes
 * written during one turn of the event loop are collected and handed to the
 * kernel in one `writev` at the end of the turn (a `setImmediate`). While the
 * collected bytes stay under `HELD_BYTES_LIMIT`, a write calls back at once, so
 * the next pipelined response is produced in the same turn; above it, or while
 * an earlier batch is still in the kernel's hands, the callback waits for the
 * real write, so backpressure (`write()` returning false, 'drain') works as
 * before. Ending the socket sends what is collected first; destroying it sends
 * what is collected, best effort, as node does with data already handed to a
 * socket it destroys.
 */
import net from 'node:net'

type WriteCallback = (err?: Error | null) => void
interface Chunk { chunk: unknown, encoding: string }

/** Bytes (UTF-16 units for strings) held per connection before writes wait for the kernel. */
export const HELD_BYTES_LIMIT = 16 * 1024

const socketWritev = net.Socket.prototype._writev as (this: net.Socket, chunks: Chunk[], cb: WriteCallback) => void
const socketFinal = net.Socket.prototype._final as (this: net.Socket, cb: WriteCallback) => void
const socketDestroy = net.Socket.prototype._destroy as (this: net.Socket, err: Error | null, cb: WriteCallback) => void

class Pending {
  chunks: Chunk[] = []
  /** The stream's callback for the write that crossed the limit, called once the kernel has it. */
  heldCallback: WriteCallback | null = null
  size = 0
  inFlight = false
  queued = false
  /** `_final`'s callback, waiting for the collected bytes to go out first. */
  finalCallback: WriteCallback | null = null
  constructor (readonly socket: net.Socket) {}
}

const kPending = Symbol('velox.pendingWrites')
type CoalescedSocket = net.Socket & { [kPending]: Pending, _handle?: unknown, resetAndClosing?: boolean }

let turnQueue: Pending[] = []
let turnScheduled = false

function flushTurn (): void {
  turnScheduled = false
  const list = turnQueue
  turnQueue = []
  for (let i = 0; i < list.length; i++) {
    const pending = list[i]
    pending.queued = false
    send(pending)
  }
}

function send (pending: Pending): void {
  if (pending.inFlight || pending.chunks.length === 0) return
  const socket = pending.socket
  const chunks = pending.chunks
  const held = pending.heldCallback
  pending.chunks = []
  pending.heldCallback = null
  pending.size = 0
  pending.inFlight = true
  socketWritev.call(socket, chunks, function written (err) {
    pending.inFlight = false
    if (held !== null) held(err)
    if (err != null) {
      // Writes already called back believe their bytes left: fail the connection.
      socket.destroy(err)
      return
    }
    if (pending.chunks.length !== 0) {
      send(pending)
    } else if (pending.finalCallback !== null) {
      const cb = pending.finalCallback
      pending.finalCallback = null
      socketFinal.call(socket, cb)
    }
  })
}

function collect (socket: CoalescedSocket, chunk: unknown, encoding: string, cb: WriteCallback | null): void {
  const pending = socket[kPending]
  pending.chunks.push({ chunk, encoding })
  pending.size += (chunk as { length: number }).length
  if (cb === null) return
  if (pending.inFlight) {
    pending.heldCallback = cb
  } else if (pending.size > HELD_BYTES_LIMIT) {
    pending.heldCallback = cb
    send(pending)
  } else {
    if (!pending.queued) {
      pending.queued = true
      turnQueue.push(pending)
      if (!turnScheduled) {
        turnScheduled = true
        setImmediate(flushTurn)
      }
    }
    cb()
  }
}

function coalescedWrite (this: CoalescedSocket, chunk: unknown, encoding: string, cb: WriteCallback): void {
  collect(this, chunk, encoding, cb)
}

function coalescedWritev (this: CoalescedSocket, data: Chunk[], cb: WriteCallback): void {
  const last = data.length - 1
  for (let i = 0; i < last; i++) collect(this, data[i].chunk, data[i].encoding, null)
  collect(this, data[last].chunk, data[last].encoding, cb)
}

function coalescedFinal (this: CoalescedSocket, cb: WriteCallback): void {
  const pending = this[kPending]
  if (!pending.inFlight && pending.chunks.length === 0) {
    socketFinal.call(this, cb)
    return
  }
  pending.finalCallback = cb
  send(pending)
}

function coalescedDestroy (this: CoalescedSocket, err: Error | null, cb: WriteCallback): void {
  // A reset (`resetAndDestroy()`) discards; otherwise what the application wrote goes out.
  // The handle is still open here, so a write the kernel takes at once is sent before the close.
  const pending = this[kPending]
  pending.finalCallback = null
  if (this._handle != null && this.resetAndClosing !== true) send(pending)
  socketDestroy.call(this, err, cb)
}

/**
 * Makes `socket` coalesce its writes. Only for plain TCP sockets of an HTTP/1.1
 * server; anything else (a stream handed to 'connection' by hand) is left alone.
 */
export function coalesceWrites (socket: net.Socket): void {
  if (!(socket instanceof net.Socket) || (socket as Partial<CoalescedSocket>)[kPending] !== undefined) return
  const target = socket as CoalescedSocket
  target[kPending] = new Pending(socket)
  target._write = coalescedWrite
  target._writev = coalescedWritev
  target._final = coalescedFinal
  target._destroy = coalescedDestroy
}
