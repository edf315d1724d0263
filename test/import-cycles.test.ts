import t from 'tap'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
// @ts-expect-error: a plain JavaScript script, without type declarations
import { importGraph, cyclesOf, loopThrough } from '../scripts/import-cycles.mjs'

type Graph = Map<string, Set<string>>
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function loops (graph: Graph, base: string): string[] {
  return (cyclesOf(graph) as string[][]).map((cycle) =>
    [...loopThrough(graph, cycle) as string[], cycle[0]].map((file) => relative(base, file)).join(' → '))
}

t.test('no module in lib/ imports itself at run time, directly or through others', async (t) => {
  const graph: Graph = importGraph({ root })
  t.ok(graph.size > 50, 'the graph covers lib/')
  t.same(loops(graph, root), [], 'runtime import cycles')
})

t.test('an import of types only is no runtime cycle, but is one when types count', async (t) => {
  // a imports b at run time, b imports a's interface, b and c import each other at run time.
  const fixture = join(root, 'test/fixtures/import-cycles')
  t.same(loops(importGraph({ root: fixture }), fixture), ['lib/b.ts → lib/c.ts → lib/b.ts'])
  t.same(loops(importGraph({ root: fixture, types: true }), fixture), ['lib/a.ts → lib/b.ts → lib/a.ts'])
  t.same((cyclesOf(importGraph({ root: fixture, types: true })) as string[][]).map((cycle) => cycle.map((file) => relative(fixture, file))),
    [['lib/a.ts', 'lib/b.ts', 'lib/c.ts']], 'the whole component is one cycle')
})
