// The test files that type-check with the compiler API (docs-snippets, type-errors, cli-client)
// run in one process under `npm test` (scripts/build-tests.mjs), and each of their programs
// parses the same files again: TypeScript's lib.*.d.ts, @types/node, the packages lib/ imports
// and lib/ itself, most of each program's parse and bind time. A host from here hands every
// program the same SourceFile for such a file, as TypeScript's language service does across its
// programs: a SourceFile is parsed once, and bound once (the binder skips a bound file); each
// program's checker keeps its own types. Files a test writes or makes up (docs blocks,
// generated clients) are read fresh every time.
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// Files that do not change while the tests run.
const stable = [join(root, 'lib') + sep, join(root, 'types') + sep]
const cache = new Map<string, ts.SourceFile>()

function isStable (fileName: string): boolean {
  return fileName.includes(`${sep}node_modules${sep}`) || stable.some((dir) => fileName.startsWith(dir))
}

/**
 * A compiler host for `options` (`ts.createCompilerHost`'s, or `host` after a test replaced its
 * file reading) whose SourceFiles for installed packages, lib/ and types/ are shared with every
 * other program made through here with the same parse and bind settings.
 */
export function sharedHost (options: ts.CompilerOptions, host: ts.CompilerHost = ts.createCompilerHost(options)): ts.CompilerHost {
  const getSourceFile = host.getSourceFile.bind(host)
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
