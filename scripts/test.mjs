// `npm test`, what CI runs: two lanes at once, both to the end; exits 1 if either failed.
// - The build (`npm run build`: dist/ and tsc's check of lib/ and types/), the test build
//   (scripts/build-tests.mjs), then tap over test-build/run/ with coverage, one test process per
//   core (tap's own default leaves a core free: on a 2-core machine it ran them one at a time).
//   Its output streams as it comes.
// - tstyche (test/types/), beside it from the start: its output is printed when the first lane
//   ends, not in the middle of tap's.
// Why a script rather than run-p over `npm run` scripts: each `npm run` cost ~0.5 CPU-s and as
// long in start-up, five times over. `npm run test:unit`, `test:types` and `test:built` still
// run one lane alone.
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const node = process.execPath

/** Runs `command`; resolves to its exit code (1 for a signal). `output` collects it instead of printing. */
function run (command, args, { env = process.env, output } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: output === undefined ? 'inherit' : ['ignore', 'pipe', 'pipe'] })
    if (output !== undefined) {
      child.stdout.on('data', (chunk) => output.push(chunk))
      child.stderr.on('data', (chunk) => output.push(chunk))
    }
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`)
      resolve(1)
    })
    child.on('close', (code) => resolve(code ?? 1))
  })
}

async function steps (...commands) {
  for (const [command, args] of commands) {
    const code = await run(command, args)
    if (code !== 0) return code
  }
  return 0
}

const typeTestOutput = []
const typeTests = run(node, [join(root, 'node_modules', 'tstyche', 'build', 'bin.js')], {
  env: { ...process.env, TSTYCHE_STORE_PATH: join(root, '.tstyche') },
  output: typeTestOutput
})
const suite = steps(
  [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build']],
  [node, [join(root, 'scripts', 'build-tests.mjs')]],
  [node, [join(root, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs'), `--jobs=${availableParallelism()}`,
    '--no-disable-coverage', '--node-arg=--enable-source-maps', '--include=test-build/run/*.test.js']]
)
const suiteCode = await suite
const typesCode = await typeTests
process.stdout.write(Buffer.concat(typeTestOutput))
if (suiteCode !== 0) console.error(`npm test: the tap suite (or its build) failed with exit code ${suiteCode}`)
if (typesCode !== 0) console.error(`npm test: the type tests (tstyche) failed with exit code ${typesCode}`)
process.exitCode = suiteCode === 0 && typesCode === 0 ? 0 : 1
