// What `npm pack` puts in the tarball users install: exactly the files listed here, every entry
// point package.json names, and source maps that carry their own sources (a map pointing at .ts
// files that are not shipped only breaks debuggers). Needs dist/: `npm test` builds it first.
//
// A new entry point (another bundle in dist/) or a new top-level file goes in `shipped` below;
// declarations follow lib/ and types/ on their own.
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'

const root = process.cwd()
const run = promisify(execFile)

/** The files shipped by name: the entry points, their maps, and what every package carries. */
const shipped = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'package.json',
  'dist/cli.js',
  'dist/cli.js.map',
  'dist/client.js',
  'dist/client.js.map',
  'dist/serverless.js',
  'dist/serverless.js.map',
  'dist/velox.js',
  'dist/velox.js.map'
]
/** Code the bundles share: esbuild names each chunk by a hash of its content. */
const chunk = /^dist\/chunks\/chunk-[A-Z0-9]+\.js(\.map)?$/

function sourceFiles (dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name))
}

/** One declaration file per TypeScript source of lib/ and types/, and nothing else from them. */
const declarations = [...sourceFiles('lib'), ...sourceFiles('types')].map((file) => `dist/${file.replace(/\.ts$/, '.d.ts')}`)

async function packedFiles (): Promise<string[]> {
  // --ignore-scripts: listing the files must not run a build of its own.
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root })
  const [result] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>
  return result!.files.map((file) => file.path).sort()
}

t.test('the tarball holds exactly the expected files', async (t) => {
  const files = await packedFiles()
  const expected = [...shipped, ...declarations]
  const chunks = files.filter((file) => chunk.test(file))
  t.ok(chunks.length > 0, 'the shared chunks are shipped')
  t.same(files.filter((file) => !chunk.test(file)), expected.sort(), 'no file missing, none unexpected')
  for (const file of chunks.filter((name) => name.endsWith('.js'))) {
    t.ok(chunks.includes(`${file}.map`), `${file} ships with its map`)
  }
})

t.test('every entry point package.json names is in the tarball', async (t) => {
  const files = new Set(await packedFiles())
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const entries: string[] = [manifest.main, manifest.types, ...Object.values<string>(manifest.bin)]
  for (const target of Object.values<string | Record<string, string>>(manifest.exports)) {
    entries.push(...(typeof target === 'string' ? [target] : Object.values(target)))
  }
  t.ok(entries.length >= 6, 'main, types, the bin and the exports are all checked')
  for (const entry of entries) t.ok(files.has(relative('.', entry)), `${entry} is packed`)
})

t.test('every source map in the tarball carries the sources it maps', async (t) => {
  const maps = (await packedFiles()).filter((file) => file.endsWith('.map'))
  t.ok(maps.length > 0)
  for (const file of maps) {
    const map = JSON.parse(readFileSync(join(root, file), 'utf8'))
    t.equal(map.sourcesContent?.length, map.sources.length, `${file} has a content for each source`)
    t.ok((map.sourcesContent ?? []).every((content: unknown) => typeof content === 'string'), `${file} has no empty source`)
  }
})
