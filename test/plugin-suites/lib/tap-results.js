// Reads the TAP stream that node:test's `tap` reporter prints (node --test and borp both use it)
// and turns it into one result per test.
//
// What counts as a test: a test point with no subtests of its own (an `it`, or a `test` that
// does not nest). A test with subtests is counted only when it fails for a reason of its own
// (an assertion after its subtests, a timeout, an error thrown in a hook), not when it merely
// reports that a subtest failed. A file that dies before it reports any test (a crash at load
// time, a missing module) counts as one failed test named after the file, so a suite that
// cannot even start is never counted as passing.

/**
 * @typedef {{ id: string, path: string[], status: 'pass' | 'fail' | 'skip' | 'todo', error?: string }} TestResult
 */

const POINT = /^(\s*)(not ok|ok) \d+(?: - (.*?))?(?:\s+#\s*(SKIP|TODO)\b.*)?$/i
const SUBTEST = /^(\s*)# Subtest: (.*)$/

/** Node's TAP reporter escapes `#` and `\` in names; undo it so names read as written. */
function unescapeName (name) {
  return name.replace(/\\([#\\])/g, '$1')
}

/**
 * Parses one TAP stream.
 *
 * @param {string} text the reporter's whole output
 * @returns {TestResult[]}
 */
export function parseTap (text) {
  const lines = text.split('\n')
  /** @type {TestResult[]} */
  const results = []
  // Per nesting level: the names of the open subtests and how many points have been seen under them.
  /** @type {string[]} */
  const names = []
  /** @type {number[]} */
  const childCount = []
  const seen = new Map()
  let inYaml = -1 // indentation of the YAML block being skipped, -1 outside one
  let yamlTarget = null
  let yamlIsSubtestFailure = false

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (inYaml >= 0) {
      const trimmed = line.trim()
      if (trimmed === '...' && line.length - line.trimStart().length === inYaml) {
        if (yamlTarget !== null && yamlIsSubtestFailure) yamlTarget.onlySubtestsFailed = true
        inYaml = -1
        yamlTarget = null
        continue
      }
      if (yamlTarget !== null) {
        const failure = /^\s*failureType: '?(\w+)'?/.exec(line)
        if (failure !== null) yamlIsSubtestFailure = failure[1] === 'subtestsFailed'
        const error = /^(\s*)error: (.*)$/.exec(line)
        if (error !== null && yamlTarget.error === undefined) {
          if (/^[|>][-+]?$/.test(error[2])) {
            // A YAML block scalar: the message is on the lines indented below.
            const text = []
            while (i + 1 < lines.length && lines[i + 1].length - lines[i + 1].trimStart().length > error[1].length) text.push(lines[++i].trim())
            yamlTarget.error = text.join(' ')
          } else {
            yamlTarget.error = error[2].replace(/^'|'$/g, '')
          }
        }
      }
      continue
    }
    const sub = SUBTEST.exec(line)
    if (sub !== null) {
      const level = sub[1].length / 4
      names.length = level
      names[level] = unescapeName(sub[2])
      childCount.length = level + 1
      childCount[level + 1] = 0
      continue
    }
    const point = POINT.exec(line)
    if (point === null) continue
    const level = point[1].length / 4
    const name = unescapeName(point[3] ?? names[level] ?? '')
    const hadChildren = (childCount[level + 1] ?? 0) > 0
    childCount[level] = (childCount[level] ?? 0) + 1
    childCount[level + 1] = 0
    const path = [...names.slice(0, level), name]
    const directive = point[4]?.toUpperCase()
    const status = directive === 'SKIP' ? 'skip' : directive === 'TODO' ? 'todo' : point[2] === 'ok' ? 'pass' : 'fail'
    const entry = { path, status, hadChildren, onlySubtestsFailed: false, error: undefined }
    names.length = level
    // The YAML block that follows belongs to this point (its failure type and error).
    if (/^\s*---\s*$/.test(lines[i + 1] ?? '')) {
      inYaml = lines[i + 1].length - lines[i + 1].trimStart().length
      yamlTarget = entry
      yamlIsSubtestFailure = false
      i++
    }
    results.push(entry)
  }

  /** @type {TestResult[]} */
  const tests = []
  for (const entry of results) {
    if (entry.hadChildren && (entry.status !== 'fail' || entry.onlySubtestsFailed)) continue
    const key = entry.path.join(' > ')
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    const test = { id: n === 1 ? key : `${key} #${n}`, path: entry.path, status: entry.status }
    if (entry.status === 'fail' && entry.error !== undefined) test.error = entry.error
    tests.push(test)
  }
  return tests
}

/**
 * Counts results by status.
 *
 * @param {TestResult[]} tests
 */
export function countResults (tests) {
  const counts = { pass: 0, fail: 0, skip: 0, todo: 0 }
  for (const test of tests) counts[test.status]++
  return counts
}
