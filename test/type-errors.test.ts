// Where TypeScript reports a wrong payload or return value in a route, and
// what it says: each fixture in test/types/errors marks the errors it expects
// with a line of `~` under the code (see the header of returns.ts). The
// fixtures are type-checked with the compiler API, as `tsc` would under the
// repository's strict settings, and every error must be a marked one, at its
// marked span, with its marked message.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import ts from 'typescript'
import { typeCheck } from './typescript-host.js'

// Type-checking a program takes tens of seconds on a loaded machine.
t.setTimeout(300_000)

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dir = join(root, 'test/types/errors')

interface Expected { line: number, column: number, length: number, code: number, message: string, lastLine: boolean }

// A marker: `//` then spaces, `~`s under the span, the code and the message.
// `TS2322: text` is the whole message; `TS2345: ... text` its last line.
const marker = /^(\s*\/\/\s*)(~+) TS(\d+): (\.\.\. )?(.*)$/

function expectedErrors (text: string): Expected[] {
  const lines = text.split('\n')
  const found: Expected[] = []
  lines.forEach((line, index) => {
    const match = marker.exec(line)
    if (match === null) return
    // The span is on the closest line above that is not itself a marker.
    let target = index - 1
    while (marker.test(lines[target]!)) target--
    found.push({
      line: target + 1,
      column: match[1]!.length + 1,
      length: match[2]!.length,
      code: Number(match[3]),
      message: match[5]!,
      lastLine: match[4] !== undefined
    })
  })
  return found
}

const files = readdirSync(dir).filter((name) => name.endsWith('.ts')).map((name) => join(dir, name))
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic (diagnostic) { throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')) }
})!
const found = await typeCheck({ rootNames: files, options: { ...config.options, noEmit: true, incremental: false }, report: files })

for (const file of files) {
  const name = file.slice(dir.length + 1)
  t.test(`type errors in ${name} are reported where they are, with short messages`, async (t) => {
    const expected = expectedErrors(readFileSync(file, 'utf8'))
    t.ok(expected.length > 0, 'the fixture marks errors')
    const actual = found.filter((d) => d.file === file).map(({ line, column, length, code, text }) => ({ line, column, length, code, text }))
    for (const want of expected) {
      const got = actual.find((d) => d.line === want.line && d.column === want.column)
      if (got === undefined) {
        t.fail(`no error at ${name}:${want.line}:${want.column}`, {
          found: actual.map((d) => `${d.line}:${d.column} TS${d.code} ${d.text.split('\n')[0]}`)
        })
        continue
      }
      t.equal(`TS${got.code} length ${got.length}`, `TS${want.code} length ${want.length}`, `${name}:${want.line}:${want.column} code and span`)
      if (want.lastLine) {
        t.equal(got.text.trim().split('\n').at(-1)!.trim(), want.message, `${name}:${want.line} ends with the cause`)
        // A chain, not TypeScript's 4 KB "No overload matches this call".
        t.ok(got.text.length < 1_500, `${name}:${want.line} message is short (${got.text.length} characters)`)
      } else {
        t.equal(got.text, want.message, `${name}:${want.line} is the one-line message`)
      }
    }
    const unexpected = actual.filter((d) => !expected.some((want) => want.line === d.line && want.column === d.column))
    t.same(unexpected.map((d) => `${d.line}:${d.column} TS${d.code} ${d.text.split('\n')[0]}`), [], 'no other errors')
  })
}
