import t from 'tap'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Pool } from 'undici'
import { waitFor } from './wait-for.js'

const cli = join(process.cwd(), 'dist', 'cli.js')
const velox = join(process.cwd(), 'dist', 'velox.js')

/** `velox start --workers 2` on an app that says which process answered. */
async function startCluster (t: any): Promise<{ child: ReturnType<typeof spawn>, pool: Pool, output: () => string, exit: Promise<number | null> }> {
  const dir = t.testdir({
    'app.mjs': `import velox from ${JSON.stringify(velox)}
export default function build (options) {
  const app = velox({ ...options, health: true })
  app.get('/', async () => ({ pid: process.pid }))
  return app
}
`
  })
  // Port 0 cannot be shared by workers started at different times: pick a free one.
  const port = 20000 + Math.floor(Math.random() * 20000)
  const child = spawn(process.execPath, [cli, 'start', join(dir, 'app.mjs'), '--port', String(port), '--host', '127.0.0.1', '--workers', '2'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout?.on('data', (chunk) => { out += chunk })
  child.stderr?.on('data', (chunk) => { out += chunk })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.teardown(() => { child.kill('SIGKILL') })
  // Connections opened before the second worker listens would all stay with the first one.
  await waitFor(() => out.split('Server listening at').length > 2)
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8 })
  t.teardown(() => pool.destroy())
  return { child, pool, output: () => out, exit }
}

function origin (output: string): string {
  return (/Server listening at (http:\/\/[0-9.:]+)/.exec(output) as RegExpExecArray)[1]
}

/** The processes that answer a burst of concurrent requests (on as many connections); failures are ignored. */
async function answering (pool: Pool): Promise<Set<number>> {
  const pids = await Promise.all(Array.from({ length: 16 }, async () => {
    try {
      const res = await pool.request({ path: '/', method: 'GET' })
      return (await res.body.json() as { pid: number }).pid
    } catch {
      return null
    }
  }))
  return new Set(pids.filter((pid): pid is number => pid !== null))
}

/** Sends requests on 16 keep-alive loops until `until` resolves; counts answers and failures. */
async function load (pool: Pool, until: Promise<unknown>): Promise<{ ok: number, failures: string[], pids: Set<number> }> {
  let stop = false
  until.then(() => { stop = true }, () => { stop = true })
  const result = { ok: 0, failures: [] as string[], pids: new Set<number>() }
  const loop = async (): Promise<void> => {
    // eslint-disable-next-line no-unmodified-loop-condition -- set by the test once the restart is over
    while (!stop) {
      try {
        const res = await pool.request({ path: '/', method: 'GET' })
        const body = await res.body.json() as { pid: number }
        if (res.statusCode === 200) {
          result.ok++
          result.pids.add(body.pid)
        } else {
          result.failures.push(String(res.statusCode))
        }
      } catch (err) {
        result.failures.push((err as NodeJS.ErrnoException).code ?? (err as Error).message)
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, loop))
  return result
}

t.test('SIGHUP restarts every worker one at a time without failing a request', async (t) => {
  const { child, pool, output } = await startCluster(t)
  const before = await load(pool, sleep(500))
  t.same(before.failures, [])
  child.kill('SIGHUP')
  const during = await load(pool, waitFor(() => /rolling restart done/.test(output())).then(() => sleep(500)))
  t.same(during.failures, [], `no failed request among ${during.ok + during.failures.length}`)
  t.ok(during.ok > 100, `${during.ok} requests answered during the restart`)
  const after = await load(pool, sleep(300))
  t.equal([...after.pids].filter((pid) => before.pids.has(pid)).length, 0, 'the answers now come from new workers')
  t.equal(after.pids.size, 2, 'still two workers')
  t.match(output(), /SIGHUP: restarting 2 workers one at a time/)
})

t.test('a worker that dies is replaced, and SIGTERM stops the cluster cleanly', async (t) => {
  const { child, pool, output, exit } = await startCluster(t)
  const first = await load(pool, sleep(300))
  const victim = [...first.pids][0]
  process.kill(victim, 'SIGKILL')
  await waitFor(() => /died \(SIGKILL\); starting another/.test(output()))
  await waitFor(() => output().split('Server listening at').length > 3)
  // A fresh pool: connections opened while one worker was missing all went to the other.
  const fresh = new Pool(origin(output()), { connections: 8 })
  t.teardown(() => fresh.destroy())
  const pids = await answering(fresh)
  t.equal(pids.size, 2, 'two workers answer again')
  t.notOk(pids.has(victim), 'none of them the dead one')
  child.kill('SIGTERM')
  t.equal(await exit, 0)
  t.match(output(), /SIGTERM: shutting down 2 workers/)
  t.match(output(), /all workers stopped/)
})
