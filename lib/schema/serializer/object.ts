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
  return c.namedFunction(schema, mode, () => {
    let code = 'const obj = (input && typeof input.toJSON === \'function\') ? input.toJSON() : input\n'
    code += `if (obj === null) {\n${returnText(schema.nullable === true ? 'null' : '{}')}}\n`
    code += objectBody(c, location, 'obj', mode)
    return code
  })
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
  // Each property is read once, before any is written.
  for (const property of properties) code += `const ${property.value} = ${obj}[${JSON.stringify(property.key)}]\n`
  const extras = Boolean(schema.patternProperties || schema.additionalProperties)
  if (properties.length > 0 && properties.length <= 32 && !extras) {
    // Every declared property present, the common case: one straight run of text, no
    // separator bookkeeping. The code below handles the others.
    code += `if (${properties.map((p) => `${p.value} !== undefined`).join(' && ')}) {\n`
    properties.forEach((p, i) => { code += text((i === 0 ? '{' : ',') + p.name) + c.value(p.location, p.value, mode) })
    code += returnText('}') + '}\n'
  }
  /** Statements that append the separator before an extra property (or the opening brace before the first). */
  let separator: string
  /** Opens the object when nothing was written before the closing brace. */
  let openIfEmpty = ''

  if (keys.length > 0 && required.includes(keys[0])) {
    // The first property always appears (or throws): `{` goes with its key, `,` with the others'.
    properties.forEach(({ key, location: propertyLocation, value, name }, i) => {
      const prefix = (i === 0 ? '{' : ',') + name
      code += `if (${value} !== undefined) {\n`
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
    properties.forEach(({ location: propertyLocation, value, name }, index) => {
      // The first declared property, when written, always opens the object.
      const opens = (written: string): string => (flagged ? `${flag} = true\n` : '') + text('{' + written)
      code += `if (${value} !== undefined) {\n`
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
