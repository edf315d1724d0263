// The worker thread of test/typescript-host.ts (see there why; through tsx, `check` runs in the
// test's own thread): compiles each request it is sent and answers with the diagnostics, the
// SourceFiles of installed packages, lib/ and types/ shared across requests.
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parentPort } from 'node:worker_threads'
import ts from 'typescript'
import type { CheckRequest, Found } from './typescript-host.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// Files that do not change while the tests run.
const stable = [join(root, 'lib') + sep, join(root, 'types') + sep]
const cache = new Map<string, ts.SourceFile>()

function isStable (fileName: string): boolean {
  return fileName.includes(`${sep}node_modules${sep}`) || stable.some((dir) => fileName.startsWith(dir))
}

function hostFor (options: ts.CompilerOptions, virtualFiles: Record<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  const directoryExists = host.directoryExists?.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  const directories = new Set(Object.keys(virtualFiles).map((file) => dirname(file)))
  host.readFile = (name) => virtualFiles[name] ?? readFile(name)
  host.fileExists = (name) => name in virtualFiles || fileExists(name)
  host.directoryExists = (name) => directories.has(name) || (directoryExists?.(name) ?? true)
  // What the binder reads from the options besides the file (strict mode, the target).
  const bindKey = `${options.target}:${options.alwaysStrict ?? options.strict ?? false}`
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (shouldCreateNewSourceFile === true || !isStable(fileName)) return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile)
    const parse = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions }
    const key = `${fileName}\0${parse.languageVersion}:${parse.impliedNodeFormat}:${parse.jsDocParsingMode}:${bindKey}`
    let file = cache.get(key)
    if (file === undefined) {
      file = getSourceFile(fileName, languageVersionOrOptions, onError)
      if (file !== undefined) cache.set(key, file)
    }
    return file
  }
  return host
}

function found (diagnostic: ts.Diagnostic, kind: Found['kind']): Found {
  const start = diagnostic.start ?? 0
  const position = diagnostic.file?.getLineAndCharacterOfPosition(start)
  return {
    file: diagnostic.file?.fileName ?? '',
    start,
    length: diagnostic.length ?? 0,
    line: position === undefined ? 0 : position.line + 1,
    column: position === undefined ? 0 : position.character + 1,
    code: diagnostic.code,
    text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    kind
  }
}

export function check ({ rootNames, options, virtualFiles = {}, report }: CheckRequest): Found[] {
  const program = ts.createProgram(rootNames, options, hostFor(options, virtualFiles))
  if (report === 'program') return ts.getPreEmitDiagnostics(program).map((d) => found(d, 'program'))
  return report.flatMap((file) => {
    const source = program.getSourceFile(file)
    if (source === undefined) throw new Error(`${file} is not part of the program`)
    return [
      ...program.getSyntacticDiagnostics(source).map((d) => found(d, 'syntactic')),
      ...program.getSemanticDiagnostics(source).map((d) => found(d, 'semantic'))
    ]
  })
}

parentPort?.on('message', ({ id, request }: { id: number, request: CheckRequest }) => {
  try {
    parentPort!.postMessage({ id, found: check(request) })
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).stack ?? String(error) })
  }
})
