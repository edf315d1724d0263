/**
 * Reads the TAP that `node --test --test-reporter=tap` prints for one file into a flat list of
 * tests, each named by its path from the file's top level ("parent > child").
 *
 * Node's reporter nests a subtest four spaces deeper than its parent, announces each test with
 * "# Subtest: name" and reports it with "ok N - name" once it (and its children) finished, followed
 * by an indented YAML block that says why a failure failed (`failureType`, `error`).
 */

const SUBTEST = /^( *)# Subtest: (.*)$/
const RESULT = /^( *)(ok|not ok) \d+ - (.*)$/
const DIRECTIVE = / # (SKIP|TODO)\b.*$/i

/** Undoes the reporter's escaping of `\`, `#` and control characters in test names. */
export function unescapeName (name) {
  const controls = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' }
  return name.replace(/\\(.)/g, (_, c) => controls[c] ?? c)
}

/** The part of a result line's description before an unescaped `# SKIP` / `# TODO` directive. */
function splitDirective (description) {
  const match = DIRECTIVE.exec(description.replace(/\\\\|\\#/g, '__'))
  if (match === null) return { name: description, directive: null }
  return { name: description.slice(0, match.index), directive: match[1].toUpperCase() }
}

/** First meaningful line of the YAML `error:` value of a failure, for the report. */
function readYamlBlock (lines, start, indent) {
  const fields = {}
  if (lines[start]?.trim() !== '---') return { fields, next: start }
  let i = start + 1
  for (; i < lines.length; i++) {
    const line = lines[i]
    if (line.trim() === '...') { i++; break }
    const field = /^ *(\w+): ?(.*)$/.exec(line)
    if (field === null || line.length - line.trimStart().length !== indent + 2) continue
    const [, key, rawValue] = field
    let value = rawValue
    if (value === '|-' || value === '|' || value === '>-') {
      const body = []
      while (i + 1 < lines.length && lines[i + 1].startsWith(' '.repeat(indent + 4))) body.push(lines[++i].trim())
      value = body.find((l) => l !== '') ?? ''
    } else {
      value = value.replace(/^'(.*)'$/, '$1').replace(/''/g, "'")
    }
    fields[key] = value
  }
  return { fields, next: i }
}

/**
 * @param {string} text the whole TAP output of one file's run
 * @returns {Map<string, { status: 'pass'|'fail'|'skip'|'todo', leaf: boolean, failureType?: string, error?: string }>}
 */
export function parseTap (text) {
  const lines = text.split('\n')
  const tests = new Map()
  const stack = []
  const hasChildren = new Set()
  const seen = new Map()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const subtest = SUBTEST.exec(line)
    if (subtest !== null) {
      const depth = subtest[1].length / 4
      stack.length = depth
      if (depth > 0) hasChildren.add(stack.join('\u0000'))
      stack[depth] = unescapeName(subtest[2])
      continue
    }
    const result = RESULT.exec(line)
    if (result === null) continue
    const depth = result[1].length / 4
    const { name: described, directive } = splitDirective(result[3])
    const own = stack[depth] ?? unescapeName(described)
    const key = [...stack.slice(0, depth), own].join('\u0000')
    stack.length = depth
    const { fields, next } = readYamlBlock(lines, i + 1, depth * 4)
    i = next - 1
    let status = result[2] === 'ok' ? 'pass' : 'fail'
    if (directive === 'SKIP') status = 'skip'
    if (directive === 'TODO') status = 'todo'
    // Two tests with the same name in one file stay two entries.
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    const name = key.split('\u0000').join(' > ') + (count > 1 ? ` [${count}]` : '')
    tests.set(name, { status, leaf: !hasChildren.has(key), failureType: fields.failureType, error: fields.error })
  }
  // A parent that failed on its own (not only through failing children) fails each of its tests.
  for (const [name, test] of tests) {
    if (test.leaf || test.status !== 'fail' || test.failureType === 'subtestsFailed') continue
    for (const [childName, child] of tests) {
      if (childName.startsWith(name + ' > ') && child.leaf && child.status === 'pass') {
        child.status = 'fail'
        child.failureType = 'parentFailed'
        child.error = `its parent test failed: ${test.error ?? test.failureType}`
      }
    }
  }
  return tests
}
