// Velox's serializer compiler against fast-json-stringify: for every schema and value below, the
// two return the same text or throw the same message. fast-json-stringify's own suite runs
// against the compiler too (`npm run test:fjs-suite`, in .ci/run); this file covers what the
// suite does not reach (byte mode, the standalone module, the schema cache, the app options)
// and keeps the compiler's coverage in the tap gate.
import t from 'tap'
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import velox, { compileSerializer, serializerSource, serializerRuntime, fastJsonStringifySerializer } from '../lib/index.js'
import { generate as generateSchemaCheck, target as schemaCheckFile } from '../scripts/generate-schema-check.js'

const require = createRequire(import.meta.url)
const fjs = require('fast-json-stringify')

/** What a serializer returns, or the error it throws, as one comparable value. */
function outcome (fn: () => (value: unknown) => string, value: unknown): { text?: string, error?: string } {
  try {
    return { text: fn()(value) }
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` }
  }
}

/** Compares Velox (in string mode, with every array in byte mode, and with everything in byte mode) with fast-json-stringify. */
function same (t: Tap.Test, schema: unknown, values: unknown[], options: Record<string, unknown> = {}): void {
  for (const value of values) {
    const expected = outcome(() => fjs(schema, options), value)
    // ASCII only: a raw U+2028 in an assertion name would end the TAP line.
    const label = String(outcome(() => JSON.stringify, value).text).slice(0, 80).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    t.same(outcome(() => compileSerializer(schema, options), value), expected, `string mode: ${label}`)
    t.same(outcome(() => compileSerializer(schema, { ...options, bulkArrayLength: 0 }), value), expected, `arrays in byte mode: ${label}`)
    t.same(outcome(() => compileSerializer(schema, { ...options, bulkArrayLength: 0, bulkObjectFields: 0 }), value), expected, `all in byte mode: ${label}`)
  }
}

// tap's Test type, without importing tap's internals.
declare namespace Tap { type Test = Parameters<Parameters<typeof t.test>[1]>[0] }

const awkwardStrings = ['', 'plain', 'say "hi"', 'back\\slash', 'line\nbreak\ttab\u0001\u001f', 'caf\u00e9 \u00fc', '\u20ac \u4e2d\u6587', '\ud83d\ude00 pair',
  'lone \ud800 high', 'lone \udc00 low', 'end \ud83d', '\u2028\u2029', 'del \u007f', 'x'.repeat(60), 'y"'.repeat(40), 'z'.repeat(3000), '\u00e9'.repeat(2100),
  // From 24 characters on, a RegExp decides whether a string needs escaping: each character
  // class at the edges of what it lets through, at the end of a long string.
  'a'.repeat(23), 'a'.repeat(24), 'b'.repeat(23) + '"', 'b'.repeat(24) + '\\', 'c'.repeat(30) + '\u0000', 'c'.repeat(30) + '\u001f',
  'd'.repeat(30) + '\ud800', 'd'.repeat(30) + '\udbff\udfff', 'd'.repeat(30) + '\udfff', '\ud83d\ude00'.repeat(20), 'e'.repeat(30) + '\ud7ff\ue000\uffff',
  ' !#[]~\u007f\u0080'.repeat(4), '\u2028'.repeat(30), '\u00e9\u20ac'.repeat(15),
  // From 64 to 65,536 characters a WebAssembly scanner reads the string's Latin-1 bytes 16 at a
  // time: unsafe characters in the first, a middle and the last (overlapping) chunk, and
  // characters above U+00FF whose low byte is unsafe (U+0122, U+015C, U+0100), lone surrogates whose low byte is safe.
  'f'.repeat(63) + '"', 'f'.repeat(64), '"' + 'f'.repeat(64), 'f'.repeat(40) + '\\' + 'f'.repeat(40), 'f'.repeat(70) + '\u0001',
  'g'.repeat(33) + '\u0122\u015c\u0100' + 'g'.repeat(33), 'g'.repeat(80) + '\ud841', '\udc41' + 'g'.repeat(80), 'g'.repeat(80) + '\ud83d\ude00', 'h'.repeat(65536), 'h'.repeat(65536) + '"', 'h'.repeat(65537),
  // Byte mode copies a long string's UTF-8 bytes after the same scan, up to 21,845 characters
  // (three bytes each at most): a character above U+00FF whose low byte is ASCII (U+2028).
  'k'.repeat(70) + '\u2028', '\u2028'.repeat(70), '\u20ac'.repeat(21845), '\u20ac'.repeat(21846), '\u00e9'.repeat(21846) + '"']

t.test('strings are escaped exactly as JSON.stringify escapes them', async (t) => {
  same(t, { type: 'string' }, [...awkwardStrings, null, new Date(0), /a"b/g, 42, { toString: () => 'obj "x"' }])
  same(t, { type: 'array', items: { type: 'string' } }, [awkwardStrings, [...awkwardStrings, ...awkwardStrings]])
  same(t, { type: 'object', properties: { s: { type: 'string' } }, additionalProperties: { type: 'string' } },
    [Object.fromEntries(awkwardStrings.map((s, i) => [s, i % 2 === 0 ? s : i]))])
})

t.test('random strings around every scanning threshold are escaped as JSON.stringify escapes them', async (t) => {
  const pieces = ['a', ' ', '~', '"', '\\', '\u0000', '\u001f', '\u007f', '\u00ff', '\u0100', '\u0122', '\u015c', '\u20ac', '\ud800', '\udfff', '\ud83d\ude00', '\u2028', '\uffff']
  const serialize = compileSerializer({ type: 'string' })
  const serializeBytes = compileSerializer({ type: 'array', items: { type: 'string' } }, { bulkArrayLength: 0 })
  let seed = 7
  const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n }
  let wrong = 0
  for (let k = 0; k < 3000; k++) {
    const length = [20, 24, 60, 64, 200, 3000][k % 6] + random(8)
    let s = ''
    // Mostly safe characters, so that one unsafe character decides.
    for (let i = 0; i < length; i++) s += random(60) === 0 ? pieces[random(pieces.length)] : 'x'
    if (serialize(s) !== JSON.stringify(s) || serializeBytes([s]) !== JSON.stringify([s])) wrong++
  }
  t.equal(wrong, 0, '3,000 strings of 20 to 3,007 characters')
})

t.test('without a usable WebAssembly, long strings are still escaped as JSON.stringify escapes them', async (t) => {
  const dir = t.testdir({})
  const index = new URL('../lib/index.js', import.meta.url).href
  const file = join(dir, 'no-wasm.mjs')
  writeFileSync(file, `
import { compileSerializer } from ${JSON.stringify(index)}
const serialize = compileSerializer({ type: 'string' })
const strings = ['x'.repeat(100), 'x'.repeat(100) + '"', 'x'.repeat(100) + '\\u0001', 'x'.repeat(100) + '\\ud841', '\\u20ac'.repeat(70)]
// A module whose one function returns a v128 constant: it compiles only where WebAssembly SIMD does.
let simd = true
try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11])) } catch { simd = false }
console.log(JSON.stringify({ wasm: typeof WebAssembly, simd, same: strings.every((s) => serialize(s) === JSON.stringify(s)) }))`)
  const run = (flag: string): unknown => JSON.parse(execFileSync(process.execPath, [...process.execArgv, flag, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
  // No WebAssembly at all (Node 24 no longer takes --no-expose-wasm).
  t.same(run('--jitless'), { wasm: 'undefined', simd: false, same: true })
  // WebAssembly without SIMD, as on an x64 CPU without SSE4.1: the scanner's module does not compile.
  if (process.arch === 'x64') t.same(run('--no-enable-sse4-1'), { wasm: 'object', simd: false, same: true })
})

t.test('numbers, integers and booleans are coerced as fast-json-stringify coerces them', async (t) => {
  const numbers = [0, -0, 1, -1, 1.5, -2.25, 1e21, 1e-7, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, Infinity, -Infinity, NaN, '42', '4.2', 'x', null, true, 10n, [3], {}]
  same(t, { type: 'number' }, numbers)
  same(t, { type: 'integer' }, numbers)
  for (const rounding of ['floor', 'ceil', 'round', 'trunc']) same(t, { type: 'integer' }, [1.5, -1.5, 2.49, '7.7'], { rounding })
  same(t, { type: 'boolean' }, [true, false, 0, 1, '', 'false', null, {}])
  same(t, { type: 'null' }, [null, 1, 'x'])
  same(t, { type: 'array', items: { type: 'integer' } }, [numbers.filter((n) => typeof n !== 'bigint'), Array.from({ length: 40 }, (_, i) => i * 1.5)])
  same(t, { type: 'array', items: { type: 'number' } }, [Array.from({ length: 40 }, (_, i) => i * 1.1), [1, NaN]])
  same(t, { type: 'array', items: { type: 'boolean' } }, [Array.from({ length: 20 }, (_, i) => i % 3)])
})

t.test('byte mode writes every number as JavaScript prints it, at the edges of its decimal writer', async (t) => {
  // Byte mode writes decimals of up to 15 significant digits itself and hands the rest to V8.
  const edges = [0.1, 0.2, 0.30000000000000004, 1e-6, 1.5e-6, 9.99999e-7, 1e-7, 0.000123, 123.456, 853.471, -744.802,
    999999999999999, 1e15, 123456789012345, 12345678901234.5, 1234567890123.45, 1.7e12, 1700000060000, 2 ** 31 - 0.5,
    2 ** 31, -(2 ** 31), 2 ** 53 - 1, 1e21, 5e-324, Number.MIN_VALUE, Number.EPSILON, Math.PI, -Math.E, 1 / 3, 2 / 3,
    0.1 + 0.7, 4.35, 0.57, 1.005, 9.95, 100.0001, 1e14 + 0.5, -0.5]
  same(t, { type: 'array', items: { type: 'number' } }, [edges, edges.map((n) => -n)])
  same(t, { type: 'array', items: { type: 'integer' } }, [edges.filter(Number.isInteger), edges])
  same(t, { type: 'array', items: { type: 'object', properties: { n: { type: 'number' }, i: { type: 'integer' } } } },
    [edges.map((n) => ({ n, i: Math.floor(n * 1000) }))])
})

t.test('dates and formats are written as fast-json-stringify writes them', async (t) => {
  const dates = [new Date(0), new Date(Date.UTC(2024, 1, 29, 13, 5, 9, 7)), new Date(Date.UTC(99, 0, 1)), new Date(-62198755200000), new Date(Date.UTC(12000, 0, 1)), new Date(NaN), '2020-01-01', null, 5, {}]
  for (const format of ['date-time', 'date', 'time', 'unsafe', 'email']) same(t, { type: 'string', format }, dates)
  same(t, { type: 'string', format: 'unsafe' }, ['a"b', 'lone \ud800'])
  same(t, { type: 'array', items: { type: 'string', format: 'unsafe' } }, [['a', 'lone \ud800', 'b'], Array.from({ length: 20 }, () => 'caf\u00e9')])
  same(t, { type: 'array', items: { type: 'string', format: 'date-time' } }, [Array.from({ length: 20 }, (_, i) => new Date(i * 1e10))])
})

t.test('objects: required first, defaults, missing required errors, undefined left out', async (t) => {
  const schema = {
    type: 'object',
    required: ['id', 'missing"quote'],
    properties: {
      name: { type: 'string', default: 'anonymous' },
      id: { type: 'integer' },
      flag: { type: 'boolean' },
      nested: { type: 'object', nullable: true, properties: { a: { type: 'string' } } }
    }
  }
  same(t, schema, [
    { id: 1, 'missing"quote': 1 },
    { id: 1, 'missing"quote': 1, name: 'x', flag: 0, nested: null, extra: 1 },
    { id: 1, 'missing"quote': 1, nested: { a: 1, b: 2, toJSON () { return { a: 'from toJSON' } } } },
    { 'missing"quote': 1 },
    { id: 1 },
    { id: undefined, 'missing"quote': 1 },
    null
  ])
  same(t, { type: 'object', properties: { a: { type: 'string' } } }, [{}, { a: 'x' }, null, 'str', 5])
  same(t, { type: 'object', properties: { a: { type: 'string', default: 'd' } } }, [{}, { a: 'x' }])
  same(t, { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer', default: 3 } } }, [{}, { b: 1 }, { a: 'x' }])
  same(t, { type: 'object', required: ['a'], properties: { a: { type: 'string', default: 'd' } } }, [{}])
  same(t, { type: 'object' }, [{ any: ['thing', 1] }, null])
  same(t, { type: 'object', nullable: true, properties: { a: { type: 'string' } } }, [null, { a: 'x' }])
})

t.test('getters, toString, valueOf and toJSON run in fast-json-stringify\'s order', async (t) => {
  const schema = {
    type: 'object',
    required: ['r'],
    properties: { a: { type: 'string' }, b: { type: 'integer' }, r: { type: 'number', nullable: true }, c: { type: 'object', properties: { x: { type: 'string' } } }, d: { type: 'boolean' } }
  }
  const events: string[] = []
  const logged = (name: string, value: unknown): PropertyDescriptor => ({ enumerable: true, get () { events.push(`get ${name}`); return value } })
  const inputs = (): unknown[] => [
    Object.defineProperties({}, { a: logged('a', 's'), b: logged('b', 1), r: logged('r', null), c: logged('c', { x: 'y' }), d: logged('d', 1) }),
    Object.defineProperties({}, { a: logged('a', { toString () { events.push('a.toString'); return 'z' } }), b: logged('b', 2), r: logged('r', 1.5), d: logged('d', 0) }),
    Object.defineProperties({}, { a: logged('a', 's'), b: logged('b', { valueOf () { events.push('b.valueOf'); return 3 } }), r: logged('r', 2), c: logged('c', { toJSON () { events.push('c.toJSON'); return { x: 1 } } }) }),
    Object.defineProperties({}, { a: logged('a', 's'), b: logged('b', 1), c: logged('c', {}) })
  ]
  for (const [i, value] of inputs().entries()) {
    events.length = 0
    const expected = outcome(() => fjs(schema), value)
    const fjsEvents = [...events]
    events.length = 0
    t.same(outcome(() => compileSerializer(schema), inputs()[i]), expected, `input ${i}: same output`)
    t.same(events, fjsEvents, `input ${i}: same calls in the same order`)
  }
})

t.test('patternProperties and additionalProperties decide which other keys are written', async (t) => {
  const declared = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, { type: 'integer' }]))
  const value = { p1: 1, p9: 9, num_1: '5', str_x: 7, other: { deep: true }, fn () {}, sym: Symbol('s'), undef: undefined }
  same(t, { type: 'object', properties: declared, patternProperties: { '^num_': { type: 'number' }, '^str_': { type: 'string' } } }, [value])
  same(t, { type: 'object', properties: declared, patternProperties: { '^num_': { type: 'number' } }, additionalProperties: { type: 'string' } }, [value])
  same(t, { type: 'object', properties: { p1: { type: 'integer' } }, additionalProperties: true }, [value])
  same(t, { type: 'object', properties: { p1: { type: 'integer' } }, additionalProperties: false }, [value])
  same(t, { type: 'object', additionalProperties: { type: 'integer' } }, [{}, { a: '1', b: 2 }])
  same(t, { type: 'object', patternProperties: { 'a/b': { type: 'string' } } }, [{ 'xa/b': 1, y: 2 }])
  // Declared names that are not ASCII, with a quote, a slash or a tilde, in both modes.
  const names = { café: { type: 'string' }, 中: { type: 'integer' }, 'q"uote': { type: 'boolean' }, 'a/b~c': { type: 'string' } }
  same(t, { type: 'array', items: { type: 'object', properties: names } }, [Array.from({ length: 20 }, (_, i) => ({ café: `v${i}`, 中: i, 'q"uote': true, 'a/b~c': 'x' }))])
})

t.test('arrays: tuples, additionalItems, nullable, non-arrays, large arrays', async (t) => {
  same(t, { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] }, [['a', 1], ['a'], [1, 1], ['a', 1, 'extra'], [], null, 'no'])
  same(t, { type: 'array', items: [{ type: 'string' }, { type: ['integer', 'null'] }], additionalItems: true }, [['a', null, { x: 1 }, 'y']])
  same(t, { type: 'array', items: [{ type: 'object', nullable: true, properties: { a: { type: 'string' } } }, { properties: { b: { type: 'integer' } } }] }, [[null, { b: 1 }], [{ a: 'x' }, {}]])
  same(t, { type: 'array', items: [], additionalItems: true }, [[1, 'b']])
  same(t, { type: 'array', items: [{}] }, [[1]])
  same(t, { type: 'array', nullable: true, items: { type: 'string' } }, [null, ['a']])
  same(t, { type: 'array' }, [[1, 'a', { b: null }], []])
  same(t, { type: 'array', items: { type: 'string' } }, [Array.from({ length: 30 }, (_, i) => `s${i}`)], { largeArrayMechanism: 'json-stringify', largeArraySize: 20 })
  same(t, { type: 'array', items: { type: 'array', items: { type: 'string' } } }, [Array.from({ length: 20 }, () => ['a', 'b"'])])
  // Big enough for the byte-mode buffer to grow several times.
  same(t, { type: 'array', items: { type: 'object', properties: { s: { type: 'string' }, n: { type: 'integer' } } } },
    [Array.from({ length: 3000 }, (_, i) => ({ s: `item ${i} ${'\u00e9'.repeat(i % 50)}`, n: i }))])
})

t.test('types lists, const, nullable and empty schemas', async (t) => {
  same(t, { type: ['string', 'integer', 'null'] }, ['a', 1, null, 1.5, true, {}])
  same(t, { type: ['object', 'array'], properties: { a: { type: 'string' } }, items: { type: 'integer' } }, [{ a: 'x' }, [1, '2'], 'no'])
  same(t, { type: ['boolean', 'number'] }, [true, 2, 'x'])
  same(t, { const: 'fixed' }, ['anything', 1])
  same(t, { type: ['string', 'null'], const: 'fixed' }, [null, 'x'])
  same(t, { type: 'string', nullable: true }, [null, 'x'])
  same(t, {}, [{ a: 1 }, [1], 'x', 1, null])
  same(t, true, [{ a: 1 }])
  same(t, { minLength: 1 }, ['x', 5])
  same(t, { minimum: 1 }, [2, '3'])
  same(t, { minItems: 1 }, [[1, 'a']])
})

t.test('anyOf, oneOf, allOf and if/then/else pick the same branches', async (t) => {
  same(t, { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'object', properties: { a: { type: 'string' } } }] }, ['x', 1, { a: 'y', b: 1 }, new Date(0), true])
  same(t, { type: 'object', properties: { v: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }] } } }, [{ v: new Date(0) }, { v: 3 }, { v: {} }])
  same(t, { anyOf: [{ type: 'object', properties: { kind: { const: 'a' }, a: { type: 'string' } }, required: ['kind'] }, { type: 'object', properties: { kind: { const: 'b' }, b: { type: 'integer' } } }] },
    [{ kind: 'a', a: 'x', b: 1 }, { kind: 'b', a: 'x', b: '2' }])
  same(t, { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { properties: { b: { type: 'integer' } }, required: ['b'] }], additionalProperties: false }, [{ a: 'x', b: 1, c: 2 }, { a: 'x' }])
  same(t, {
    type: 'object',
    properties: { kind: { type: 'string' } },
    if: { properties: { kind: { const: 'num' } } },
    then: { properties: { value: { type: 'number' } } },
    else: { properties: { value: { type: 'string' } } }
  }, [{ kind: 'num', value: '5' }, { kind: 'str', value: 5 }])
  same(t, { type: 'object', properties: { a: { type: 'string' } }, if: { required: ['a'] }, else: { properties: { b: { type: 'integer' } } } }, [{ a: 'x', b: 1 }, { b: '2' }])
  same(t, { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }, [Array.from({ length: 20 }, (_, i) => i % 2 ? `s${i}` : i)])
})

t.test('$ref: local definitions, shared schemas by $id, recursion, siblings', async (t) => {
  const shared = {
    address: { $id: 'address', type: 'object', properties: { city: { type: 'string' } }, definitions: { zip: { type: 'integer' } } },
    node: { $id: 'node', type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: 'node#' } } } }
  }
  const schema = {
    definitions: { name: { type: 'string' } },
    type: 'object',
    properties: {
      name: { $ref: '#/definitions/name' },
      home: { $ref: 'address#' },
      zip: { $ref: 'address#/definitions/zip' },
      tree: { $ref: 'node#' },
      titled: { $ref: '#/definitions/name', title: 'ignored', nullable: true },
      either: { anyOf: [{ $ref: 'address#' }, { type: 'null' }], description: 'x' },
      withSiblings: { anyOf: [{ $ref: 'address#' }, { type: 'string' }], properties: { extra: { type: 'integer' } } }
    }
  }
  const tree = { name: 'root', children: Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, children: [{ name: 'leaf', children: [] }] })) }
  same(t, schema, [{ name: 'n', home: { city: 'Rome', x: 1 }, zip: '12', tree, titled: null, either: null, withSiblings: { city: 'Oslo', extra: '3' } }, { either: { city: 1 } }], { schema: shared })
  same(t, { $ref: 'missing#' }, [1])
  same(t, { type: 'object', properties: { a: { $ref: '#/definitions/nope' } } }, [1])
})

t.test('schemas and options fast-json-stringify refuses are refused with its messages', async (t) => {
  const refuse = (schema: unknown, options: Record<string, unknown> = {}): void => {
    t.same(outcome(() => compileSerializer(schema, options), 1), outcome(() => fjs(schema, options), 1), String(outcome(() => JSON.stringify, schema).text))
  }
  refuse({ type: 'object', properties: { a: { type: 'strin' } } })
  refuse(null)
  refuse({ type: 'string' }, { rounding: 'up' })
  refuse({ type: 'string' }, { largeArrayMechanism: 'x' })
  refuse({ type: 'string' }, { objectMechanism: 'x' })
  refuse({ type: 'string' }, { largeArraySize: 'many' })
  refuse({ type: 'string' }, { maxDepth: 200 })
  refuse({ not: { not: { type: 'string' } } }, { maxDepth: 1 })
  refuse({ $ref: 'a' }, { schema: { a: { $ref: 'b' }, b: { $ref: 'a' } } })
  refuse({ type: 'object' }, { schema: { bad: { type: 'nope' } } })
  const circular: Record<string, unknown> = { type: 'object' }
  circular.properties = { self: circular }
  refuse(circular)
  // Accepted, and the output does not depend on them.
  same(t, { type: 'object', properties: { a: { type: 'string' } } }, [{ a: 'x' }], { objectMechanism: 'native', largeArraySize: '100', compileValidators: true })
  same(t, { type: 'array', items: { type: 'string' } }, [['a']], { largeArraySize: 10n, largeArrayMechanism: 'json-stringify' })
})

t.test('the same output as fast-json-stringify on its realistic API response fixtures', async (t) => {
  const fixtures = require('fast-json-stringify/benchmark/fixtures/api-responses.js')
  let compared = 0
  for (const fixture of Object.values(fixtures) as any[]) {
    if (fixture === null || typeof fixture !== 'object' || fixture.schema === undefined) continue
    const inputs = fixture.inputs ?? (fixture.input !== undefined ? [fixture.input] : fixture.data !== undefined ? [fixture.data] : [])
    if (inputs.length > 0) same(t, fixture.schema, inputs)
    compared += inputs.length
  }
  t.ok(compared > 0, 'fixtures were compared')
})

t.test('a serializer called while another writes in byte mode gets its own buffer', async (t) => {
  const inner = compileSerializer({ type: 'array', items: { type: 'string' } }, { bulkArrayLength: 0 })
  const outer = compileSerializer({ type: 'array', items: { type: 'object', properties: { s: { type: 'string' } } } }, { bulkArrayLength: 0 })
  const value = Array.from({ length: 5 }, (_, i) => ({ toJSON: () => ({ s: inner([`inner ${i}`, 'x']) }) }))
  t.equal(outer(value), JSON.stringify(value.map((v) => v.toJSON())))
  // An error thrown in byte mode leaves the buffer usable.
  t.throws(() => outer([{ s: 'a' }, null, { toJSON () { throw new Error('boom') } }]), /boom/)
  t.equal(outer([{ s: 'after' }]), '[{"s":"after"}]')
})

t.test('the standalone module source builds the same serializer', async (t) => {
  const schema = {
    type: 'object',
    properties: {
      list: { type: 'array', items: { type: 'object', properties: { s: { type: 'string' } } } },
      v: { anyOf: [{ type: 'string', format: 'email' }, { type: 'integer' }] }
    }
  }
  const source = serializerSource(schema)
  const module = { exports: {} as any }
  // The module's require resolves Ajv's runtime helpers that the inlined validators use.
  // eslint-disable-next-line no-new-func -- evaluating the generated module, as the schema cache does
  new Function('module', 'exports', 'require', source)(module, module.exports, require)
  const standalone = module.exports(serializerRuntime)
  const value = { list: Array.from({ length: 20 }, (_, i) => ({ s: `s${i}`, x: 1 })), v: 'a@b.co' }
  t.equal(standalone(value), compileSerializer(schema)(value))
  t.equal(standalone({ v: 5 }), fjs(schema)({ v: 5 }))
  t.match(serializerSource({ type: 'string' }), /const V = null/, 'no validator code when no branch needs one')
})

t.test('the committed meta-schema validator is what the generator writes today', async (t) => {
  t.equal(readFileSync(schemaCheckFile, 'utf8'), generateSchemaCheck(), 'run `npm run generate:schema-check`')
})

t.test('routes use Velox\'s compiler by default and fast-json-stringify when asked', async (t) => {
  const dir = t.testdir({})
  const route = (app: any): void => {
    app.get('/', { schema: { response: { 200: { type: 'object', properties: { a: { type: 'integer' }, s: { type: 'string' } } } } } }, async () => ({ a: '7', s: 'caf\u00e9', b: 1 }))
  }
  const veloxApp = velox({ schemaCache: join(dir, 'velox.cjs') })
  route(veloxApp)
  const fjsApp = velox({ schemaCache: join(dir, 'fjs.cjs'), schemaController: { compilersFactory: { buildSerializer: fastJsonStringifySerializer } } })
  route(fjsApp)
  const plainFjs = velox({ schemaController: { compilersFactory: { buildSerializer: fastJsonStringifySerializer } } })
  route(plainFjs)
  const plainVelox = velox()
  route(plainVelox)
  for (const app of [veloxApp, fjsApp, plainFjs, plainVelox]) t.equal((await app.inject('/')).body, '{"a":7,"s":"caf\u00e9"}')
  t.match(readFileSync(join(dir, 'velox.cjs'), 'utf8'), /veloxSerializer/, 'the schema cache holds Velox\'s code')
  t.match(readFileSync(join(dir, 'fjs.cjs'), 'utf8'), /fast-json-stringify\/lib\/serializer/, 'or fast-json-stringify\'s when it was chosen')
  // A second start loads both from the files.
  for (const [file, factory] of [['velox.cjs', {}], ['fjs.cjs', { schemaController: { compilersFactory: { buildSerializer: fastJsonStringifySerializer } } }]] as const) {
    const again = velox({ schemaCache: join(dir, file), ...factory })
    route(again)
    t.equal((await again.inject('/')).body, '{"a":7,"s":"caf\u00e9"}', `${file} loaded`)
  }
})
