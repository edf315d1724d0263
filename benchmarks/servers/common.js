// What every scenario server shares: which route set to install and how to tell the runner
// that it listens.
import { serverKinds } from '../scenarios.js'

/** The route set named on the command line (`node servers/<peer>.js <kind>`). */
export function serverKind () {
  const kind = process.argv[2]
  if (!serverKinds.includes(kind)) {
    console.error(`usage: node ${process.argv[1]} <${serverKinds.join('|')}>`)
    process.exit(2)
  }
  return kind
}

/** The port to listen on: PORT from the environment, or any free one. */
export function port () {
  return Number(process.env.PORT ?? 0)
}

export const host = '127.0.0.1'

/** One JSON line on stdout once the server accepts connections; the runner waits for it. */
export function announce (address) {
  process.stdout.write(JSON.stringify({ port: address.port, rss: process.memoryUsage().rss }) + '\n')
}
