// The TypeScript in the docs compiles: each ```ts block of the checked pages
// is type-checked under `strict`, as a module of its own, the way a user who
// copies it would compile it. The examples (examples/*.ts) are checked in the
// same program, importing `velox` as a user does.
//
// - A block that does not import `velox` gets `import velox from 'velox'`,
//   and one that does not declare `app` gets `declare const app: VeloxInstance`,
//   so that a fragment about one route needs no set-up lines.
// - A block whose first line is a file name comment (`// app.ts`) is that
//   file: the other blocks of the page import it as `./app.js`.
// - `<!-- ts-check: declare ... -->` on the line before a block adds the
//   declarations it leans on (`declare const users: Map<number, User>`),
//   which the page shows elsewhere or leaves to the reader. An `app` declared
//   there (with the decorators the page added before) replaces the default one.
// - `<!-- ts-check: skip (reason) -->` there leaves the block out; the reason
//   says why it cannot compile (a fragment of a larger file).
// - A deliberate mistake is written `// @ts-expect-error <message>` above the
//   line, so the page shows the error and the check proves it happens.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import ts from 'typescript'
import { typeCheck } from './typescript-host.js'

// Type-checking a program takes tens of seconds on a loaded machine.
t.setTimeout(300_000)

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// Every page of docs/, and the README.
const pages = ['README.md', ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.md'))
  .map((name) => join('docs', name))
  .sort()]

interface Block { page: string, line: number, file: string, text: string, prelude: number }

const fence = /^```(ts|typescript)\s*$/
const skip = /^<!-- ts-check: skip \(.+\) -->$/
const declare = /^<!-- ts-check: (declare .+) -->$/

function blocksOf (page: string): Block[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!fence.test(lines[i]!)) continue
    let end = i + 1
    while (!lines[end]!.startsWith('```')) end++
    const code = lines.slice(i + 1, end).join('\n')
    if (!skip.test(lines[i - 1] ?? '')) {
      const named = /^\/\/ ([\w-]+)\.ts\s*$/.exec(lines[i + 1]!)
      const dir = join(root, '.docs-check', page.replace(/\W/g, '_'))
      let prelude = declare.exec(lines[i - 1] ?? '')?.[1]?.concat('\n') ?? ''
      if (!/^import velox\b/m.test(code)) prelude += "import velox from 'velox'\n"
      if (!/\b(const|let|function)\s+app\b/.test(prelude + code)) prelude += "declare const app: import('velox').VeloxInstance\n"
      blocks.push({
        page,
        line: i + 1,
        file: join(dir, named !== null ? `${named[1]}.ts` : `block-${i + 1}.ts`),
        text: prelude + code + '\nexport {}\n',
        prelude: prelude.split('\n').length - 1
      })
    }
    i = end
  }
  return blocks
}

const blocks = pages.flatMap(blocksOf)
const byFile = new Map(blocks.map((block) => [block.file, block]))
const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  skipLibCheck: true,
  // `velox` is this package's source, as the tarball's types would be.
  paths: {
    velox: [join(root, 'lib/index.ts')],
    'velox/client': [join(root, 'lib/client/index.ts')],
    'velox/serverless': [join(root, 'lib/serverless/index.ts')]
  }
}
const examples = readdirSync(join(root, 'examples'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => join(root, 'examples', name))
const checked = [...byFile.keys(), ...examples]
const found = await typeCheck({ rootNames: checked, options, virtualFiles: Object.fromEntries(blocks.map((block) => [block.file, block.text])), report: checked })

/** The errors in `file`, with their lines counted from `firstLine` (a block's line on its page). */
function errorsOf (file: string, firstLine: number): string[] {
  return found.filter((d) => d.file === file).map((d) => `line ${firstLine + d.line}: TS${d.code} ${d.text.replaceAll('\n', ' ')}`)
}

t.ok(blocks.length > 0, 'the checked pages have TypeScript blocks')

for (const block of blocks) {
  t.test(`${block.page}:${block.line} compiles under strict`, async (t) => {
    t.same(errorsOf(block.file, block.line - block.prelude), [])
  })
}

for (const file of examples) {
  t.test(`examples/${file.split('/').pop()} compiles under strict`, async (t) => {
    t.same(errorsOf(file, 0), [])
  })
}
