/**
 * Objects: the declared properties in schema order (required ones first), defaults for missing
 * ones, errors for missing required ones, then patternProperties and additionalProperties.
 * A value with a `toJSON` method is serialized from what it returns, `null` as `{}` (or `null`
 * when nullable). Undeclared properties are dropped unless a pattern or additionalProperties
 * lets them through.
 */
import type { Compilation } from './context.js'
import type { Location } from './location.js'
import type { Mode } from './emit.js'
import { text, leaf, choice, returnText } from './emit.js'

/** The statements of an object's function; `obj` holds the value after toJSON. */
export function objectFunction (c: Compilation, location: Location, mode: Mode): string {
  const schema = location.schema
  return c.namedFunction(schema, mode, (name) => {
    if (mode === 'string' && byteWrittenFields(schema, 0) >= c.options.bulkObjectFields) {
      // Generated on demand, as for arrays (array.ts): one flat string from the byte-mode twin.
      objectFunction(c, location, 'bytes')
      return `return R.bulk(${name}_b, input)\n`
    }
    let code = 'const obj = (input && typeof input.toJSON === \'function\') ? input.toJSON() : input\n'
    code += `if (obj === null) {\n${returnText(schema.nullable === true ? 'null' : '{}')}}\n`
    code += objectBody(c, location, 'obj', mode)
    return code
  })
}

/** Field types byte mode writes without making a string first. */
export const BYTE_WRITTEN = new Set(['string', 'number', 'integer', 'boolean'])

/**
 * How many strings, numbers and booleans an object declares, its nested objects' included (not
 * followed through $ref, nor past a few levels), or 0 when they are not most of what it
 * declares: a large object of such fields is written faster in byte mode (runtime.ts), where its
 * numbers and strings need no string pieces; a small one does not pay for the switch.
 */
export function byteWrittenFields (schema: any, depth: number): number {
  if (depth > 8 || typeof schema.properties !== 'object' || schema.properties === null) return 0
  let written = 0
  let others = 0
  for (const key in schema.properties) {
    const property = schema.properties[key]
    if (typeof property !== 'object' || property === null) others++
    else if (BYTE_WRITTEN.has(property.type) && property.format === undefined) written++
    else if (property.type === 'object' && property.$ref === undefined) {
      const nested = byteWrittenFields(property, depth + 1)
      if (nested > 0) written += nested
      else others++
    } else others++
  }
  return written >= others ? written : 0
}

/** `"name" is required!`, thrown when a required property is missing (the name as it is, unescaped). */
function requiredError (key: string): string {
  return `throw new Error(${JSON.stringify(`"${key}" is required!`)})`
}

function objectBody (c: Compilation, location: Location, obj: string, mode: Mode): string {
  const schema = location.schema
  const required: string[] = schema.required || []
  const propertiesLocation = location.child('properties')
  // Required properties first; otherwise the declared order (Array#sort is stable).
  const keys = Object.keys(schema.properties || {}).sort((a, b) => {
    const ra = required.includes(a)
    const rb = required.includes(b)
    return ra === rb ? 0 : ra ? -1 : 1
  })
  let code = ''
  for (const key of required) {
    if (!keys.includes(key)) code += `if (${obj}[${JSON.stringify(key)}] === undefined) ${requiredError(key)}\n`
  }
  const properties = keys.map((key) => {
    let propertyLocation = propertiesLocation.child(key)
    if (propertyLocation.schema.$ref) propertyLocation = c.resolver.resolve(propertyLocation)
    return { key, location: propertyLocation, value: c.variable('v'), name: JSON.stringify(key) + ':' }
  })
  const extras = Boolean(schema.patternProperties || schema.additionalProperties)
  code += fastPath(c, properties, extras, obj, mode)
  /** Statements that append the separator before an extra property (or the opening brace before the first). */
  let separator: string
  /** Opens the object when nothing was written before the closing brace. */
  let openIfEmpty = ''

  if (keys.length > 0 && required.includes(keys[0])) {
    // The first property always appears (or throws): `{` goes with its key, `,` with the others'.
    properties.forEach(({ key, location: propertyLocation, value, name }, i) => {
      const prefix = (i === 0 ? '{' : ',') + name
      code += readOnce(value, i, key, obj) + `if (${value} !== undefined) {\n`
      code += text(prefix) + c.value(propertyLocation, value, mode) + '}'
      const fallback = propertyLocation.schema.default
      if (fallback !== undefined) {
        code += ` else {\n${text(prefix + JSON.stringify(fallback))}}\n`
      } else if (required.includes(key)) {
        code += ` else {\n${requiredError(key)}\n}\n`
      } else {
        code += '\n'
      }
    })
    separator = text(',')
  } else {
    // No property is sure to appear: the first one written opens the object.
    const flagged = keys.length > 1 || extras
    const flag = flagged ? c.variable('opened') : ''
    if (flagged) {
      code += `let ${flag} = false\n`
      separator = choice(flag, ',', '{')
      openIfEmpty = `if (!${flag}) {\n${text('{')}}\n`
    } else {
      separator = ''
      if (keys.length === 0) code += text('{')
    }
    properties.forEach(({ key, location: propertyLocation, value, name }, index) => {
      // The first declared property, when written, always opens the object.
      const opens = (written: string): string => (flagged ? `${flag} = true\n` : '') + text('{' + written)
      code += readOnce(value, index, key, obj) + `if (${value} !== undefined) {\n`
      code += (index === 0 || !flagged ? opens(name) : choice(flag, ',' + name, '{' + name)) + c.value(propertyLocation, value, mode) + '}'
      const fallback = propertyLocation.schema.default
      if (fallback !== undefined) {
        const withDefault = name + JSON.stringify(fallback)
        code += ` else {\n${index === 0 || !flagged ? opens(withDefault) : separator + text(withDefault)}}\n`
      } else if (!flagged) {
        code += ` else {\n${text('{')}}\n`
      } else {
        code += '\n'
      }
    })
  }
  if (extras) {
    code += extraProperties(c, location, keys, separator, obj, mode)
  }
  return code + openIfEmpty + returnText('}')
}

interface Property { key: string, location: Location, value: string, name: string }

/** Counts the properties the fast path read, so the general path reads each property once. */
const READ = 'read'

/** Reads property `index` unless the fast path already did. */
function readOnce (value: string, index: number, key: string, obj: string): string {
  return `if (${READ} <= ${index}) ${value} = ${obj}[${JSON.stringify(key)}]\n`
}

/**
 * The test a property's value passes when writing it runs no code of the caller's (no getter,
 * toString, valueOf or toJSON): a string for a string, a number for a number, anything for a
 * boolean. Null when the schema writes through such code (objects, arrays, unions).
 */
function plainValueTest (schema: any, value: string): string | null {
  if (typeof schema !== 'object' || schema === null) return null
  if (schema.allOf || schema.anyOf || schema.oneOf || (schema.if && (schema.then || schema.else))) return null
  let test: string | null
  if (schema.const !== undefined) test = 'true'
  else if (schema.type === 'string') test = `typeof ${value} === 'string'`
  else if (schema.type === 'integer' || schema.type === 'number') test = `typeof ${value} === 'number'`
  else if (schema.type === 'boolean' || schema.type === 'null') test = 'true'
  else test = null
  if (test !== null && schema.nullable === true) test = `(${value} === null || ${test})`
  return test
}

/**
 * Every declared property present, the common case, as one straight run of text with no
 * separator bookkeeping. Properties are read in order, each only once the one before it is known
 * to be written without running the caller's code, so getters and coercions run in the order
 * fast-json-stringify runs them; the last property may be anything. The general path after it
 * picks up the values already read.
 */
function fastPath (c: Compilation, properties: Property[], extras: boolean, obj: string, mode: Mode): string {
  let code = `let ${READ} = 0\n`
  for (const p of properties) code += `let ${p.value}\n`
  if (properties.length === 0 || properties.length > 32 || extras) return code
  const tests: string[] = []
  for (let i = 0; i < properties.length; i++) {
    const p = properties[i]
    const last = i === properties.length - 1
    const plain = plainValueTest(p.location.schema, p.value)
    if (plain === null && !last) return code
    const read = `(${p.value} = ${obj}[${JSON.stringify(p.key)}], ${READ} = ${i + 1}, ${p.value}) !== undefined`
    tests.push(plain === null || plain === 'true' ? read : `${read} && ${plain}`)
  }
  code += `if (${tests.join(' && ')}) {\n`
  properties.forEach((p, i) => { code += text((i === 0 ? '{' : ',') + p.name) + c.value(p.location, p.value, mode) })
  return code + returnText('}') + '}\n'
}

/** The loop over the value's own keys for patternProperties and additionalProperties. */
function extraProperties (c: Compilation, location: Location, declared: string[], separator: string, obj: string, mode: Mode): string {
  const schema = location.schema
  let skip: string
  if (declared.length > 8) {
    const set = c.constant('declared', `new Set(${JSON.stringify(declared)})`)
    skip = `${set}.has(key) || `
  } else {
    skip = declared.map((key) => `key === ${JSON.stringify(key)} || `).join('')
  }
  const value = c.variable('extra')
  let code = `for (const key of Object.keys(${obj})) {\n`
  code += `const ${value} = ${obj}[key]\n`
  code += `if (${skip}${value} === undefined || typeof ${value} === 'function' || typeof ${value} === 'symbol') continue\n`
  const patterns = schema.patternProperties
  if (patterns !== undefined) {
    const patternsLocation = location.child('patternProperties')
    for (const pattern in patterns) {
      const regexp = c.constant('pattern', `new RegExp(${JSON.stringify(pattern)})`)
      code += `if (${regexp}.test(key)) {\n`
      code += separator + leaf('string', 'key') + text(':') + c.value(patternsLocation.child(pattern), value, mode)
      code += 'continue\n}\n'
    }
  }
  const additional = schema.additionalProperties
  // `false` drops every other property: nothing to write.
  if (additional !== undefined && additional !== false) {
    code += separator + leaf('string', 'key') + text(':')
    code += additional === true ? leaf('json', value) : c.value(location.child('additionalProperties'), value, mode)
  }
  return code + '}\n'
}
