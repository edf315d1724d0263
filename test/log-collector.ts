import { Writable } from 'node:stream'

/** A pino destination that keeps each JSON log line, parsed, for tests to assert on. */
export function logCollector (): { lines: Array<Record<string, any>>, stream: Writable } {
  const lines: Array<Record<string, any>> = []
  const stream = new Writable({
    write (chunk, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line))
      cb()
    }
  })
  return { lines, stream }
}
