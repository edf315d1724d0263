/**
 * Compiling what is left after listen(), between requests. With compilation on demand a route
 * compiles on its first request; the warm-up compiles the others in slices of a few
 * milliseconds, each scheduled with setImmediate so the requests that arrived meanwhile are
 * read and answered between two slices. Once it is done no request ever waits for a compile,
 * and the schemaCache file (if any) is written with every route's code.
 */
import { performance } from 'node:perf_hooks'
import type { RouteContext } from './route-context.js'

/** How long one slice may compile before it yields to the event loop, in milliseconds. */
const sliceMs = 4

/**
 * Compiles every context not compiled yet, a slice at a time, then calls `done`; stops early
 * (without `done`) once `stopped()` is true, as when the app closes. The scheduled slice never
 * keeps the process alive on its own.
 */
export function warmUp (contexts: RouteContext[], stopped: () => boolean, done: () => void): void {
  let next = 0
  const slice = (): void => {
    if (stopped()) return
    const end = performance.now() + sliceMs
    while (next < contexts.length) {
      const context = contexts[next++]
      if (context.compiled) continue
      context.compileOnDemand()
      if (performance.now() >= end) break
    }
    if (next < contexts.length) setImmediate(slice).unref()
    else done()
  }
  setImmediate(slice).unref()
}
