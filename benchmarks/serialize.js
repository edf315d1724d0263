// The serializer micro-benchmark: Velox's serializer compiler, fast-json-stringify and
// JSON.stringify on the payload shapes of serialize-shapes.js, on the running Node.
//
// Each operation serializes the value and takes Buffer.byteLength of the result, as Velox's
// reply does before writing it: that flattens the string pieces a serializer built, a cost it
// would otherwise hide. Serializers are interleaved in rounds of fixed duration; the table
// shows the median CPU ns per operation over the rounds and the ratios of operations per second.
//
//   npm run bench:serialize -- [--rounds 7] [--ms 300] [--shapes tiny,big]
// Run it pinned to a core under the shared lock:
//   flock /tmp/velox-bench.lock taskset -c 1 npm run bench:serialize
import { createRequire } from 'node:module'
import { shapes } from './serialize-shapes.js'
import { compileSerializer } from '../dist/velox.js'
import { parseOptions } from './lib/options.js'

const require = createRequire(import.meta.url)
const fjs = require('fast-json-stringify')

const { values: options } = parseOptions('usage: npm run bench:serialize -- [options]', {
  rounds: { number: true, default: '7', description: 'rounds; each runs every serializer once per shape' },
  ms: { number: true, default: '300', description: 'milliseconds per serializer per round' },
  shapes: { list: true, choices: Object.keys(shapes), default: Object.keys(shapes).join(','), description: 'shapes to run' }
})

const serializers = {
  velox: (schema) => compileSerializer(schema),
  fjs: (schema) => fjs(schema),
  'JSON.stringify': () => JSON.stringify
}

/** CPU time of this process in ns (all threads: the garbage collector's helpers count). */
function cpuNow () {
  const { user, system } = process.cpuUsage()
  return (user + system) * 1000
}

/**
 * Runs `fn(value)` for about `ms` milliseconds of CPU time; returns CPU ns per operation.
 * CPU time rather than wall time: on a shared machine, time spent waiting for the core is not
 * the serializer's.
 */
function measure (fn, value, ms) {
  let sink = 0
  let ops = 0
  const budget = ms * 1e6
  const start = cpuNow()
  let elapsed = 0
  // Batches keep the clock reads out of the measured loop.
  let batch = 16
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink += Buffer.byteLength(fn(value))
    ops += batch
    elapsed = cpuNow() - start
    if (batch < 4096) batch *= 2
  }
  if (sink === 0) throw new Error('nothing serialized')
  return elapsed / ops
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const rows = []
for (const name of options.shapes) {
  const { schema, value, description, make: fresh } = shapes[name]
  const fns = {}
  for (const [label, make] of Object.entries(serializers)) {
    const fn = make(schema)
    fns[label] = fresh === undefined ? fn : () => fn(fresh())
  }
  const expected = JSON.stringify(value)
  for (const [label, fn] of Object.entries(fns)) {
    if (fn(value) !== expected) throw new Error(`${label} does not produce JSON.stringify's text for ${name}`)
  }
  // Warm-up: every serializer optimized before the first measured round.
  for (const fn of Object.values(fns)) measure(fn, value, 100)
  const samples = Object.fromEntries(Object.keys(fns).map((label) => [label, []]))
  const labels = Object.keys(fns)
  for (let round = 0; round < options.rounds; round++) {
    // Rotated each round, so no serializer always runs right after the same one.
    for (let i = 0; i < labels.length; i++) {
      const label = labels[(i + round) % labels.length]
      samples[label].push(measure(fns[label], value, options.ms))
    }
  }
  const ns = Object.fromEntries(labels.map((label) => [label, median(samples[label])]))
  rows.push({ name, description, bytes: Buffer.byteLength(expected), ns })
  console.error(`${name}: ${labels.map((l) => `${l} ${ns[l].toFixed(0)} ns`).join(', ')}`)
}

const fmt = (n) => n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)
console.log(`\nNode ${process.version} (V8 ${process.versions.v8}), ${options.rounds} rounds of ${options.ms} ms per serializer, median CPU ns per operation (serialize + Buffer.byteLength)\n`)
console.log('| shape | bytes | Velox ns | fast-json-stringify ns | JSON.stringify ns | Velox ÷ fjs | Velox ÷ JSON.stringify |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const { name, description, bytes, ns } of rows) {
  const v = ns.velox
  console.log(`| ${name}: ${description} | ${bytes.toLocaleString('en-US')} | ${fmt(v)} | ${fmt(ns.fjs)} | ${fmt(ns['JSON.stringify'])} | ` +
    `**${(ns.fjs / v).toFixed(2)}×** | **${(ns['JSON.stringify'] / v).toFixed(2)}×** |`)
}
console.log('\nRatios are speed-ups (operations per second of Velox ÷ the other); above 1 means Velox is faster.')
