// Type-checking for the test files that compile TypeScript with the compiler API (docs-snippets,
// type-errors, cli-client). Under `npm test` the three share one process (scripts/build-tests.mjs)
// and their programs run here, in one worker thread, for two reasons:
// - Coverage. A tap test process records V8 block coverage of all the JavaScript it runs, the
//   compiler's included, which made type-checking about a third slower (the group of three under
//   tap: 34.5 CPU-s with coverage, 26 without). The worker starts without a coverage session
//   (@tapjs/processinfo starts none where _TAPJS_PROCESSINFO_COVERAGE_ is 0, and the worker's
//   environment is a copy of the process's, where the test entry set it); the type-checks run
//   none of lib/, so no coverage is lost.
// - Sharing. Every program parses the same files again: TypeScript's lib.*.d.ts, @types/node,
//   the packages lib/ imports and lib/ itself. The worker hands every program the same
//   SourceFile for such a file, as TypeScript's language service does across its programs: a
//   SourceFile is parsed once and bound once (the binder skips a bound file); each program's
//   checker keeps its own types. Files a test writes or makes up (docs blocks, generated
//   clients) are read fresh every time. And the compiler's code is already optimized for the
//   later programs.
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type ts from 'typescript'

/** What to compile: a program's root files and options, and files that exist only in memory. */
export interface CheckRequest {
  rootNames: string[]
  options: ts.CompilerOptions
  /** Files that exist only here, by absolute path (a directory holding one exists too). */
  virtualFiles?: Record<string, string>
  /** Whose errors to return: these files' (syntactic, then semantic), or the whole program's as `tsc` reports them. */
  report: string[] | 'program'
}

/** One diagnostic: `line` and `column` count from 1; `text` is the message chain, lines joined with `\n`. */
export interface Found {
  file: string
  start: number
  length: number
  line: number
  column: number
  code: number
  text: string
  kind: 'syntactic' | 'semantic' | 'program'
}

let worker: Worker | undefined
let nextId = 0
const pending = new Map<number, { resolve: (found: Found[]) => void, reject: (error: Error) => void }>()

/** The errors TypeScript reports for `request`, computed in the shared worker. */
export async function typeCheck (request: CheckRequest): Promise<Found[]> {
  // Through tsx (`npx tap test/x.test.ts`, coverage off) a worker thread would not load the
  // .ts worker file: the check runs in this thread.
  if (fileURLToPath(import.meta.url).endsWith('.ts')) {
    const { check } = await import('./typescript-worker.js')
    return check(request)
  }
  if (worker === undefined) {
    // Without the process's node arguments: tap's loader would only record the compiler's files.
    worker = new Worker(new URL('./typescript-worker.js', import.meta.url), { execArgv: [] })
    worker.on('message', ({ id, found, error }: { id: number, found?: Found[], error?: string }) => {
      const call = pending.get(id)!
      pending.delete(id)
      if (pending.size === 0) worker!.unref()
      if (error !== undefined) call.reject(new Error(error))
      else call.resolve(found!)
    })
    worker.on('error', (error) => {
      for (const call of pending.values()) call.reject(error)
      pending.clear()
    })
  }
  // Referenced only while it has work: an idle worker does not keep the test process alive.
  worker.ref()
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    worker!.postMessage({ id, request })
  })
}
