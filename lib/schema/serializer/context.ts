/**
 * What the parts of the code generator share while one schema is compiled: the resolver, the
 * options, the generated functions and the branch validators they need. The generator in
 * generate.ts implements it; the object, array and combinator generators only see this.
 */
import type { Location } from './location.js'
import type { Mode } from './emit.js'
import type { SchemaResolver } from './resolver.js'
import type { CheckedOptions } from './options.js'

export interface Compilation {
  readonly resolver: SchemaResolver
  readonly options: CheckedOptions
  /** Statements that append the JSON text of the value in variable `input`, whose schema is at `location`. */
  value: (location: Location, input: string, mode: Mode) => string
  /**
   * The name of the generated function for `schema` in `mode`, defining it the first time with
   * `body(name)` (the function's statements; its parameter is `input`). A schema reached again,
   * recursion included, reuses the function.
   */
  namedFunction: (schema: object, mode: Mode, body: (name: string) => string) => string
  /** An expression that is true when `input` is valid against the schema at `ref` (anyOf/oneOf/if branches). */
  branchCheck: (ref: string, input: string) => string
  /** Marks the schema document `id` as one the branch validator must know. */
  needsValidatorFor: (id: string) => void
  /** A variable name unique in the serializer. */
  variable: (prefix: string) => string
  /** Declares a constant of the serializer (a RegExp, a Set) and returns its name. */
  constant: (prefix: string, code: string) => string
}

/** `new TypeError("The value of '<ref>' does not match schema definition.")` as code. */
export function mismatchError (c: Compilation, location: Location): string {
  return `throw new TypeError(${JSON.stringify(`The value of '${c.resolver.displayRef(location)}' does not match schema definition.`)})`
}
