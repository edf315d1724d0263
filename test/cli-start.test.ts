import t from 'tap'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { main } from '../lib/cli/index.js'
import { waitFor } from './wait-for.js'

const cli = join(process.cwd(), 'dist', 'cli.js')
const velox = join(process.cwd(), 'dist', 'velox.js')

async function velox$ (...argv: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (s) => { stdout += s }, stderr: (s) => { stderr += s } })
  return { code, stdout, stderr }
}

/** Runs `velox start` in a child process; resolves once it logged that it listens. */
async function start (t: any, args: string[], env: Record<string, string> = {}): Promise<{ child: ReturnType<typeof spawn>, base: string, output: () => string, exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [cli, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let out = ''
  child.stdout?.on('data', (chunk) => { out += chunk })
  child.stderr?.on('data', (chunk) => { out += chunk })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.teardown(() => { child.kill('SIGKILL') })
  await Promise.race([waitFor(() => /listening (at|on) http/i.test(out)), exit])
  const base = /listening (?:at|on) (http:\/\/[0-9.:]+)/i.exec(out)?.[1] as string
  return { child, base, output: () => out, exit }
}

const appSource = `import velox from ${JSON.stringify(velox)}
export default function build (options) {
  const app = velox(options)
  app.get('/', async () => ({ env: process.env.NODE_ENV, greeting: process.env.GREETING, level: app.log.level }))
  app.get('/crash', async () => { throw new Error('secret internals') })
  return app
}
`

t.test('velox start serves the app, passes the log level to its factory, and stops cleanly on SIGTERM', async (t) => {
  const dir = t.testdir({ 'app.mjs': appSource })
  const { child, base, output, exit } = await start(t, [join(dir, 'app.mjs'), '--port', '0', '--host', '127.0.0.1', '--log-level', 'debug'])
  const res = await fetch(`${base}/`)
  t.equal(res.status, 200)
  t.equal((await res.json()).level, 'debug')
  child.kill('SIGTERM')
  t.equal(await exit, 0)
  t.match(output(), /SIGTERM: shutting down/)
  t.match(output(), /shutdown: closed cleanly/)
})

t.test('--env production turns on safe errors, and --env-file loads variables first', async (t) => {
  const dir = t.testdir({ 'app.mjs': appSource, '.env': 'GREETING=hello from the file\n' })
  const { child, base, exit } = await start(t, [join(dir, 'app.mjs'), '--port', '0', '--host', '127.0.0.1', '--env', 'production', '--env-file', join(dir, '.env')])
  const body = await (await fetch(`${base}/`)).json()
  t.equal(body.env, 'production')
  t.equal(body.greeting, 'hello from the file')
  const crash = await (await fetch(`${base}/crash`)).json()
  t.equal(crash.message, 'Internal Server Error')
  child.kill('SIGINT')
  t.equal(await exit, 0)
})

t.test('an app exported as an instance, with no logger, still gets its lifecycle logged', async (t) => {
  const dir = t.testdir({
    'app.mjs': `import velox from ${JSON.stringify(velox)}
const app = velox()
app.get('/', async () => 'ok')
export default app
`
  })
  const { child, base, output, exit } = await start(t, [join(dir, 'app.mjs'), '--port', '0', '--host', '127.0.0.1'])
  t.equal(await (await fetch(`${base}/`)).text(), 'ok')
  t.match(output(), /listening on http:\/\/127\.0\.0\.1:\d+/)
  child.kill('SIGTERM')
  t.equal(await exit, 0)
  t.match(output(), /shutdown: closed cleanly/)
})

t.test('--pretty pipes the logs through pino-pretty', async (t) => {
  const dir = t.testdir({ 'app.mjs': appSource })
  const { child, base, output, exit } = await start(t, [join(dir, 'app.mjs'), '--port', '0', '--host', '127.0.0.1', '--pretty'])
  await fetch(`${base}/`)
  child.kill('SIGTERM')
  t.equal(await exit, 0)
  t.match(output(), /INFO.*Server listening at http/)
  t.notMatch(output(), /^\{"level"/m, 'no JSON lines left')
})

t.test('--watch restarts the app when its file changes', async (t) => {
  const dir = t.testdir({ 'app.mjs': appSource })
  const { child, base, output, exit } = await start(t, [join(dir, 'app.mjs'), '--port', '0', '--host', '127.0.0.1', '--watch'])
  t.ok(base)
  writeFileSync(join(dir, 'app.mjs'), appSource.replace("app.get('/',", "app.get('/v2', async () => 'v2')\n  app.get('/',"))
  await waitFor(() => output().split('Server listening at').length > 2)
  const again = /[\s\S]*listening at (http:\/\/[0-9.:]+)/.exec(output())?.[1] as string
  t.equal(await (await fetch(`${again}/v2`)).text(), 'v2', 'the new code answers')
  child.kill('SIGTERM')
  t.not(await exit, null)
})

t.test('a port in use is explained', async (t) => {
  const dir = t.testdir({ 'app.mjs': appSource })
  const blocker = createServer()
  blocker.listen(0, '127.0.0.1')
  await once(blocker, 'listening')
  t.teardown(() => blocker.close())
  const port = (blocker.address() as { port: number }).port
  const child = spawn(process.execPath, [cli, 'start', join(dir, 'app.mjs'), '--port', String(port), '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr?.on('data', (chunk) => { err += chunk })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(err, new RegExp(`velox start: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use \\(choose another with --port or --host\\)`))
})

t.test('velox start --help, and mistakes in its options', async (t) => {
  const help = await velox$('start', '--help')
  t.equal(help.code, 0)
  t.match(help.stdout, /^usage: velox start <app> \[options\]/)
  t.match(help.stdout, /--workers <n>/)
  t.match((await velox$('--help')).stdout, /start +serve an app, with graceful shutdown/)
  const cases: Array<[string[], RegExp]> = [
    [[], /which app\?/],
    [['app.js', '--port', 'http'], /--port must be a whole number from 0 to 65535, got 'http'/],
    [['app.js', '--workers', 'many'], /--workers must be a whole number from 0 to 1024, got 'many'/],
    [['app.js', '--log-level', 'loud'], /--log-level must be one of/],
    [['app.js', '--drain', '20000'], /--drain must be a whole number from 0 to 9999/],
    [['app.js', '--env-file', '/nonexistent/.env'], /--env-file \/nonexistent\/\.env/]
  ]
  for (const [args, message] of cases) {
    const result = await velox$('start', ...args)
    t.equal(result.code, 2, args.join(' '))
    t.match(result.stderr, message, args.join(' '))
  }
})
