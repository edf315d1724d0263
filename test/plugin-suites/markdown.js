#!/usr/bin/env node
// Prints the per-plugin table of docs/using-fastify-plugins.md from the JSON of one or more runs
// (`npm run test:plugins -- --json file`); for a plugin in several files, the last file wins, so
// a run of a few plugins can update a full run:
//   node test/plugin-suites/markdown.js /tmp/all.json /tmp/some.json

import { readFileSync } from 'node:fs'

const byName = new Map()
for (const file of process.argv.slice(2)) {
  for (const result of JSON.parse(readFileSync(file, 'utf8'))) byName.set(result.name, result)
}
if (byName.size === 0) {
  console.error('usage: markdown.js <results.json>...')
  process.exit(2)
}

const rows = ['| plugin | version | Fastify 5 passes | Velox passes | lost on Velox | excluded | result |', '| --- | --- | ---: | ---: | ---: | ---: | --- |']
const total = { fastify: 0, velox: 0, lost: 0, excluded: 0 }
for (const r of [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) {
  const fastify = r.runs.fastify.counts
  const velox = r.runs.velox.counts
  const result = r.files === 0 ? (r.note ?? 'no test files') : r.lost.length === 0 ? 'as Fastify' : `${r.lost.length} lost`
  rows.push(`| \`${r.name}\` | ${r.version} | ${fastify.pass} of ${fastify.pass + fastify.fail} | ${velox.pass} of ${velox.pass + velox.fail} | ${r.lost.length} | ${r.excluded} | ${result} |`)
  total.fastify += fastify.pass
  total.velox += velox.pass
  total.lost += r.lost.length
  total.excluded += r.excluded
}
rows.push(`| **total** (${byName.size} plugins) | | ${total.fastify} | ${total.velox} | ${total.lost} | ${total.excluded} | |`)
console.log(rows.join('\n'))
