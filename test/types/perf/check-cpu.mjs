// Main-thread CPU time of type-checking the files generate.mjs writes, for
// comparing two versions of `types/` on a shared machine: unlike the check
// time `tsc --extendedDiagnostics` prints, which is wall-clock, it leaves out
// the time spent waiting for a core and the garbage collector's helper
// threads. Needs process.threadCpuUsage() (Node 23.9 or later).
//
//   node test/types/perf/generate.mjs          (writes the files)
//   node test/types/perf/check-cpu.mjs [file...] (default: app.gen.ts baseline.gen.ts)
//
// Run it under `flock /tmp/velox-bench.lock`, alternating with the other
// version, and compare the two in the same session.

import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

if (typeof process.threadCpuUsage !== 'function') {
  console.error(`check-cpu.mjs needs process.threadCpuUsage() (Node 23.9 or later); this is Node ${process.version}`)
  process.exit(1)
}

const here = dirname(fileURLToPath(import.meta.url))
const ts = createRequire(import.meta.url)('typescript')
const files = process.argv.length > 2 ? process.argv.slice(2) : ['app.gen.ts', 'baseline.gen.ts']

const milliseconds = (from, to) => Math.round((to.user + to.system - from.user - from.system) / 1000)

for (const file of files) {
  // The same settings generate.mjs checks with.
  const configPath = join(here, 'tsconfig.gen.json')
  writeFileSync(configPath, JSON.stringify({
    extends: '../../../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '../../..', incremental: false },
    files: [file],
    include: []
  }, null, 2) + '\n')
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic (diagnostic) { throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')) }
  })
  const start = process.threadCpuUsage()
  const program = ts.createProgram(config.fileNames, config.options)
  const created = process.threadCpuUsage()
  const errors = [...program.getSyntacticDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics()]
  const checked = process.threadCpuUsage()
  if (errors.length > 0) throw new Error(`${file} does not type-check: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`)
  console.log(`${file}: check ${milliseconds(created, checked)} ms of main-thread CPU (program ${milliseconds(start, created)} ms), ` +
    `${program.getInstantiationCount().toLocaleString('en')} instantiations, TypeScript ${ts.version}, Node ${process.version}`)
}
