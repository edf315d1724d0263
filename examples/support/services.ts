// Where the examples find Redis and PostgreSQL, and a skip reason for tests when they are not
// there. `npm run test:examples` in the repository root starts both locally and sets the URLs.
import { connect } from 'node:net'

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres'

/** Resolves with undefined when something accepts TCP connections at the URL's host and port, else with why not. */
function reachable (url: string, defaultPort: number): Promise<string | undefined> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort) })
    const done = (reason?: string) => { socket.destroy(); resolve(reason) }
    socket.setTimeout(1000, () => done(`nothing answers at ${hostname}:${port || defaultPort}`))
    socket.on('error', (err) => done(err.message))
    socket.on('connect', () => done())
  })
}

/** `false`, or the message node:test prints for a skipped test. */
export async function skipWithoutRedis (): Promise<string | false> {
  const why = await reachable(redisUrl, 6379)
  return why === undefined ? false : `Redis is not reachable at ${redisUrl} (${why}): run \`npm run test:examples\` from the repository root, which starts it, or set REDIS_URL`
}

export async function skipWithoutPostgres (): Promise<string | false> {
  const why = await reachable(databaseUrl, 5432)
  return why === undefined ? false : `PostgreSQL is not reachable at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')} (${why}): run \`npm run test:examples\` from the repository root, which starts it, or set DATABASE_URL`
}
