/**
 * Arrays: `items` as one schema for every item, or as a tuple (each position its own schema,
 * checked against its type; extra items refused unless `additionalItems`). `null` is `[]` (or
 * `null` when nullable); anything else that is not an array is an error.
 *
 * In string mode, an array of at least `bulkArrayLength` items whose items are mostly strings,
 * numbers and booleans is handed to the byte-mode version of the same function (runtime.ts
 * `bulk`): past a few items, escaping and copying strings and writing number digits into a
 * reused buffer, then making one string of them, beats concatenating hundreds of pieces. Numbers
 * joined the list once byte mode wrote their digits itself (runtime.ts `wDecimal`): when it went
 * through V8's number-to-string first, byte mode was slower than concatenation
 * (benchmarks/serialize.js, the numbers shape).
 */
import type { Compilation } from './context.js'
import { mismatchError } from './context.js'
import { Location } from './location.js'
import { BYTE_WRITTEN, byteWrittenFields } from './object.js'
import type { Mode } from './emit.js'
import { text, leaf, returnText, returnExpr } from './emit.js'

export function arrayFunction (c: Compilation, location: Location, mode: Mode): string {
  const schema = location.schema
  let itemsLocation = new Location(schema.items || {}, location.schemaId, location.jsonPointer + '/items')
  if (itemsLocation.schema.$ref) itemsLocation = c.resolver.resolve(itemsLocation)
  const items = itemsLocation.schema
  const tuple = Array.isArray(items)
  return c.namedFunction(schema, mode, (name) => {
    let code = `if (input === null) {\n${returnText(schema.nullable === true ? 'null' : '[]')}}\n`
    code += `if (!Array.isArray(input)) ${mismatchError(c, location)}\n`
    code += 'const length = input.length\n'
    if (tuple && !schema.additionalItems) {
      code += `if (length > ${items.length}) throw new Error(${JSON.stringify(`Item at ${items.length} does not match schema definition.`)})\n`
    }
    if (c.options.largeArraySize !== null) {
      code += `if (length >= ${c.options.largeArraySize}) {\n${returnExpr('JSON.stringify(input)')}}\n`
    }
    if (!tuple && mode === 'string' && writesMostlyStrings(items)) {
      // Generated on demand: only arrays get a byte-mode twin.
      arrayFunction(c, location, 'bytes')
      code += `if (length >= ${c.options.bulkArrayLength}) return R.bulk(${name}_b, input)\n`
    }
    code += text('[')
    code += tuple ? tupleItems(c, schema, itemsLocation, mode) : listItems(c, itemsLocation, mode)
    return code + returnText(']')
  })
}

/** True for string, number and boolean items, and object items mostly made of them (object.ts). */
function writesMostlyStrings (items: any): boolean {
  return BYTE_WRITTEN.has(items.type) || (items.type === 'object' && byteWrittenFields(items, 0) > 0)
}

function listItems (c: Compilation, itemsLocation: Location, mode: Mode): string {
  const value = c.variable('item')
  const write = c.value(itemsLocation, value, mode)
  return 'if (length > 0) {\n' +
    `let ${value} = input[0]\n${write}` +
    `for (let i = 1; i < length; i++) {\n${text(',')}${value} = input[i]\n${write}}\n}\n`
}

function tupleItems (c: Compilation, schema: any, itemsLocation: Location, mode: Mode): string {
  const items: any[] = itemsLocation.schema
  let code = ''
  for (let i = 0; i < items.length; i++) {
    let itemLocation = itemsLocation.child(i)
    let item = items[i]
    if (itemLocation.schema.$ref) {
      itemLocation = c.resolver.resolve(itemLocation)
      item = itemLocation.schema
    }
    const value = c.variable('item')
    // The item is read even past the end, as fast-json-stringify does (a getter runs the same).
    code += `const ${value} = input[${i}]\n`
    const write = c.value(itemLocation, value, mode)
    // The type test reads the schema after writing it: a type inferred from keywords counts.
    code += `if (${i} < length) {\nif (${tupleItemCondition(item, value)}) {\n`
    code += (i > 0 ? text(',') : '') + write
    code += `} else {\nthrow new Error(${JSON.stringify(`Item at ${i} does not match schema definition.`)})\n}\n}\n`
  }
  if (schema.additionalItems) {
    code += `for (let i = ${items.length}; i < length; i++) {\n`
    code += (items.length > 0 ? text(',') : `if (i > 0) {\n${text(',')}}\n`)
    code += `const extra = input[i]\n${leaf('json', 'extra')}}\n`
  }
  return code
}

/** Whether a tuple position's value has the declared type (null too when nullable). */
function tupleItemCondition (item: any, value: string): string {
  const condition = typeCondition(item.type, value)
  return item.nullable === true ? `${value} === null || ${condition}` : condition
}

/** The test of a value against a type, or a list of types, for tuple items. */
function typeCondition (type: unknown, x: string): string {
  switch (type) {
    case 'null': return `${x} === null`
    case 'string': return `(typeof ${x} === 'string' || ${x} === null || ${x} instanceof Date || ${x} instanceof RegExp || ` +
      `(typeof ${x} === 'object' && typeof ${x}.toString === 'function' && ${x}.toString !== Object.prototype.toString))`
    case 'integer': return `Number.isInteger(${x})`
    case 'number': return `Number.isFinite(${x})`
    case 'boolean': return `typeof ${x} === 'boolean'`
    case 'object': return `(${x} && typeof ${x} === 'object' && ${x}.constructor === Object)`
    case 'array': return `Array.isArray(${x})`
    default:
      // An item without a type never matches: fast-json-stringify refuses it too.
      if (!Array.isArray(type)) return 'false'
      return `(${type.map((t) => typeCondition(t, x)).join(' || ')})`
  }
}
