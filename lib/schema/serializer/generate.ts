/**
 * The code generator: walks a response schema and writes the JavaScript of its serializer.
 *
 * Dispatch follows fast-json-stringify's rules, in its order: boolean schemas and schemas
 * without a type write `JSON.stringify(value)`; `$ref` is followed; allOf, anyOf/oneOf and
 * if/then/else come before `type`; a missing type is inferred from the keywords present;
 * `nullable` lets `null` through; `const` writes the constant; a list of types picks the first
 * that fits. Objects and arrays become named functions (object.ts, array.ts), written in
 * string mode and, under arrays long enough for it, in byte mode (see runtime.ts).
 */
import type { Compilation } from './context.js'
import { mismatchError } from './context.js'
import type { Location } from './location.js'
import type { Mode } from './emit.js'
import { text, leaf, call, render, Constants } from './emit.js'
import type { SchemaResolver } from './resolver.js'
import type { CheckedOptions } from './options.js'
import { objectFunction } from './object.js'
import { arrayFunction } from './array.js'
import { allOf, anyOf, ifThenElse } from './combinators.js'

const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'patternProperties', 'maxProperties', 'minProperties', 'dependencies']
const ARRAY_KEYWORDS = ['items', 'additionalItems', 'maxItems', 'minItems', 'uniqueItems', 'contains']
const STRING_KEYWORDS = ['maxLength', 'minLength', 'pattern']
const NUMBER_KEYWORDS = ['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum']

/** The type a schema without `type` implies by its keywords (draft 7, section 6), if any. */
function inferType (schema: any): string | undefined {
  for (const keyword of OBJECT_KEYWORDS) if (keyword in schema) return 'object'
  for (const keyword of ARRAY_KEYWORDS) if (keyword in schema) return 'array'
  for (const keyword of STRING_KEYWORDS) if (keyword in schema) return 'string'
  for (const keyword of NUMBER_KEYWORDS) if (keyword in schema) return 'number'
  return schema.type
}

/** What a `type: 'string'` schema writes, by format. */
const STRING_FORMATS: Record<string, 'dateTime' | 'date' | 'time' | 'unsafe'> = {
  'date-time': 'dateTime',
  date: 'date',
  time: 'time',
  unsafe: 'unsafe'
}

/** The test a value must pass to be written as each type of a list of types. */
function multiTypeCondition (type: string, x: string): string {
  switch (type) {
    case 'null': return `${x} === null`
    case 'string': return `typeof ${x} === 'string' || ${x} === null || ${x} instanceof Date || ${x} instanceof RegExp || ` +
      `(typeof ${x} === 'object' && typeof ${x}.toString === 'function' && ${x}.toString !== Object.prototype.toString)`
    case 'array': return `Array.isArray(${x})`
    case 'integer': return `Number.isInteger(${x}) || ${x} === null`
    // An array is an object too: a sibling `array` type must get it.
    case 'object': return `(typeof ${x} === 'object' && !Array.isArray(${x})) || ${x} === null`
    default: return `typeof ${x} === ${JSON.stringify(type)} || ${x} === null`
  }
}

export class Generator implements Compilation {
  private readonly names: Record<Mode, Map<object, string>> = { string: new Map(), bytes: new Map() }
  private functionCount = 0
  private variableCount = 0
  /** Rendered functions, in definition order. */
  readonly functions: string[] = []
  readonly constants = new Constants()
  /** Constants declared with `constant()`. */
  private readonly declarations: string[] = []
  /** The branch validators: variable name by ref. */
  readonly branchChecks = new Map<string, string>()
  /** Schema documents the branch validator needs. */
  readonly validatorDocuments = new Set<string>()

  constructor (readonly resolver: SchemaResolver, readonly options: CheckedOptions) {}

  variable (prefix: string): string {
    return `${prefix}${this.variableCount++}`
  }

  constant (prefix: string, code: string): string {
    const name = this.variable(prefix)
    this.declarations.push(`const ${name} = ${code}`)
    return name
  }

  needsValidatorFor (id: string): void {
    this.validatorDocuments.add(id)
  }

  branchCheck (ref: string, input: string): string {
    let name = this.branchChecks.get(ref)
    if (name === undefined) {
      name = `check${this.branchChecks.size}`
      this.branchChecks.set(ref, name)
    }
    return `(${name} || (${name} = V(${JSON.stringify(ref)})))(${input})`
  }

  namedFunction (schema: object, mode: Mode, body: (name: string) => string): string {
    const names = this.names[mode]
    let name = names.get(schema)
    if (name === undefined) {
      // Named before the body is written: a schema that contains itself calls the same function.
      name = this.names.string.get(schema) ?? this.names.bytes.get(schema) ?? `f${this.functionCount++}`
      names.set(schema, name)
      const code = render(body(name), mode, this.constants)
      this.functions.push(mode === 'string'
        ? `function ${name} (input) {\nlet json = ''\n${code}\nreturn json\n}`
        : `function ${name}_b (input, pos) {\n// The buffer that constant text is stored into (storeText in emit.ts).\nlet b\n${code}\nreturn pos\n}`)
    }
    return name
  }

  readonly value = (location: Location, input: string, mode: Mode): string => {
    let schema = location.schema
    if (typeof schema === 'boolean') return leaf('json', input)
    if (schema.$ref) {
      location = this.resolver.resolve(location)
      schema = location.schema
    }
    if (schema.allOf) return allOf(this, location, input, mode)
    if (schema.anyOf || schema.oneOf) return anyOf(this, location, input, mode)
    if (schema.if && (schema.then || schema.else)) return ifThenElse(this, location, input, mode)
    if (schema.type === undefined) {
      // Written into the schema (the compiler's own copy), as fast-json-stringify does: branch
      // validators and tuple type checks see the inferred type too.
      const inferred = inferType(schema)
      if (inferred) schema.type = inferred
    }
    let code: string
    if (schema.const !== undefined) {
      code = Array.isArray(schema.type) && schema.type.includes('null')
        ? `if (${input} === null) {\n${text('null')}} else {\n${text(JSON.stringify(schema.const))}}\n`
        : text(JSON.stringify(schema.const))
    } else if (Array.isArray(schema.type)) {
      code = this.multiType(location, input, mode)
    } else {
      code = this.singleType(location, schema, input, mode)
    }
    if (schema.nullable === true) code = `if (${input} === null) {\n${text('null')}} else {\n${code}}\n`
    return code
  }

  /** A list of types: the first that fits, `null` first. */
  private multiType (location: Location, input: string, mode: Mode): string {
    const schema = location.schema
    // fast-json-stringify sorts with this one-argument comparator; the same call gives the same order.
    const types: string[] = [...schema.type].sort((t: string) => t === 'null' ? -1 : 1)
    let code = ''
    types.forEach((type, index) => {
      const single = { ...schema, type }
      const write = this.singleType(location.withSchema(single), single, input, mode)
      code += `${index === 0 ? 'if' : 'else if'} (${multiTypeCondition(type, input)}) {\n${write}}\n`
    })
    return code + `else ${mismatchError(this, location)}\n`
  }

  private singleType (location: Location, schema: any, input: string, mode: Mode): string {
    switch (schema.type) {
      case 'null': return text('null')
      case 'string': return leaf(STRING_FORMATS[schema.format] ?? 'string', input)
      case 'integer': return leaf('integer', input)
      case 'number': return leaf('number', input)
      case 'boolean': return leaf('boolean', input)
      case 'object': return call(objectFunction(this, location, mode), input)
      case 'array': return call(arrayFunction(this, location, mode), input)
      case undefined: return leaf('json', input)
      default: throw new Error(`${String(schema.type)} unsupported`)
    }
  }

  /** The serializer's code: a function of the runtime `R` and the branch validator getter `V`. */
  source (rootCode: string, rounding: string): string {
    const main = render(rootCode, 'string', this.constants)
    // A root that is one generated function (an object, an array) is that function.
    const alone = /^json \+= (f\d+)\(input\)$/.exec(main)
    const mainFunction = alone !== null ? `const main = ${alone[1]}` : `function main (input) {\nlet json = ''\n${main}\nreturn json\n}`
    return [
      `const round = Math.${rounding}`,
      ...this.constants.declarations,
      ...this.declarations,
      ...[...this.branchChecks.values()].map((name) => `let ${name} = null`),
      ...this.functions,
      mainFunction,
      'return main'
    ].join('\n')
  }
}
