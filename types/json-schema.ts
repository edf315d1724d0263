/**
 * JSON Schema to TypeScript inference.
 *
 * `FromSchema<S>` maps a schema literal (captured by a `const` type parameter,
 * so no `as const`) to the type of the value that validation lets through.
 * The mapping is deliberately small: one conditional per keyword family,
 * unknown keywords are ignored, and anything it cannot read becomes
 * `unknown` rather than an error.
 *
 * Input (`'input'`, a request part after validation) and output
 * (`'output'`, what a handler sends) differ in three places:
 * - a property with a `default` is present on input (ajv's `useDefaults`, on
 *   by default) and may be left out on output (the serializer fills it in);
 * - on output a `date`/`date-time`/`time` string may also be a `Date`, which
 *   the serializer formats;
 * - on output arrays and tuples are readonly, so a readonly array (or a
 *   literal a handler returns, which may be inferred as one) fits.
 *
 * A request part as a client sends it (`'client'`, for `velox/client`) is
 * typed like output: defaults may be left out, dates may be `Date`s (sent as
 * ISO 8601), arrays may be readonly. What a client receives is typed like
 * input: the serializer has filled in the defaults, dates arrive as strings.
 */

/** The primitive type names of JSON Schema's `type` keyword. */
export type JSONSchemaTypeName =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'object'
  | 'array'
  | 'null'

/**
 * A JSON Schema as users write it: the keywords Velox reads, typed for
 * editor completion, and an index signature so any other keyword (ajv
 * keywords, `x-` extensions, OpenAPI annotations) is accepted as is.
 *
 * Literal types are what the inference needs; annotate a schema declared
 * apart from its route with `as const` (optionally `as const satisfies
 * JSONSchema`), since only the route's own argument is captured as `const`.
 */
export interface JSONSchemaObject {
  $id?: string
  $ref?: string
  $schema?: string
  $comment?: string
  $defs?: { readonly [name: string]: JSONSchema }
  definitions?: { readonly [name: string]: JSONSchema }
  // `(string & {})` keeps the names in completion while letting schemas from
  // other libraries (TypeBox's `Type.Undefined()` says `type: 'undefined'`)
  // satisfy the constraint; their unknown names infer as `unknown`.
  type?: JSONSchemaTypeName | readonly JSONSchemaTypeName[] | (string & {}) | readonly string[]
  title?: string
  description?: string
  default?: unknown
  examples?: readonly unknown[] | unknown
  const?: unknown
  enum?: readonly unknown[]
  nullable?: boolean
  format?: string
  properties?: { readonly [name: string]: JSONSchema }
  required?: readonly string[]
  additionalProperties?: JSONSchema
  patternProperties?: { readonly [pattern: string]: JSONSchema }
  items?: JSONSchema | readonly JSONSchema[]
  prefixItems?: readonly JSONSchema[]
  additionalItems?: JSONSchema
  minItems?: number
  maxItems?: number
  anyOf?: readonly JSONSchema[]
  oneOf?: readonly JSONSchema[]
  allOf?: readonly JSONSchema[]
  not?: JSONSchema
  [keyword: string]: unknown
}

/** A JSON Schema: an object, or `true`/`false` (accept all / nothing). */
export type JSONSchema = boolean | JSONSchemaObject

/**
 * A schema as route options and `addSchema` accept it: a JSON Schema, or a
 * schema object built by a library (TypeBox's schemas are interfaces, which
 * an index-signature type like {@link JSONSchemaObject} does not accept).
 * Editors still complete JSON Schema keywords.
 */
export type AnySchema = JSONSchema | object

/**
 * A schema of a library implementing Standard Schema v1
 * (https://standardschema.dev): Zod 4, Valibot, ArkType and others. Route
 * schemas may be such schemas; Velox reads their output type
 * (`StandardSchemaV1.InferOutput`) and, at run time, their Standard JSON
 * Schema conversion (`~standard.jsonSchema`).
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => unknown
    readonly types?: { readonly input: Input, readonly output: Output } | undefined
  }
}

/**
 * Which side of the wire a schema's type is for: a request part as the
 * handler gets it after validation (`input`), a reply as the handler sends it
 * (`output`), or a request part as a client sends it (`client`, which is
 * `output` for JSON Schema, and the library's input type for Standard Schema).
 */
export type SchemaDirection = 'input' | 'output' | 'client'

/**
 * The type a schema validates to.
 *
 * `Refs` maps `$id` to schema, for `$ref`s to shared schemas; the instance
 * passes the schemas added with `addSchema` plus those declared on
 * {@link VeloxSchemas}.
 *
 * @example
 * type User = FromSchema<{
 *   type: 'object', required: ['name'],
 *   properties: { name: { type: 'string' }, age: { type: 'integer' } }
 * }>
 * // { name: string; age?: number }
 */
export type FromSchema<S, Refs = {}, Direction extends SchemaDirection = 'input'> =
  Infer<S, Direction, Context<Refs, S, []>>

/**
 * Shared schemas known to the type system by `$id`, for every instance.
 * Declare yours with declaration merging; `app.addSchema()` does the same for
 * the instance type it returns.
 *
 * @example
 * declare module 'velox' {
 *   interface VeloxSchemas { User: typeof userSchema }
 * }
 */
export interface VeloxSchemas {}

// How many `$ref`s inference follows in a row before answering `unknown`; a
// schema that refers to itself (a tree) would otherwise recurse without end.
type RefDepthLimit = 12

/*
 * How the inference is written, and why: it runs for every part of every
 * route (the 200-route benchmark in docs/reference/types.md infers 1,000
 * schemas), so its cost is counted in type instantiations, which grow with
 * each conditional type and each type argument on the way to an answer.
 *
 * - What stays the same down a schema travels as one argument, `C`: the
 *   shared schemas by `$id` (`refs`), the document for `#/` pointers
 *   (`root`), one element per `$ref` followed (`depth`). The direction `D`
 *   is an argument of its own, tested where it matters.
 * - Most schemas are plain `{ type: ... }` schemas with none of the keywords
 *   that need the slow path (SlowKeywords): one test sends those straight to
 *   their type names.
 */
// An interface rather than a type literal: two instantiations with the same
// arguments are one type, so a shared schema reached by `$ref` from many
// routes is inferred once.
interface Context<Refs = unknown, Root = unknown, Depth extends unknown[] = unknown[]> {
  refs: Refs
  root: Root
  depth: Depth
}

// Keywords that need more than `type`: a type carried by a library
// (`static`, `~unsafe`, `~standard`), a reference, a value-shaping keyword
// that takes precedence over `type` (`const`, `enum`), `nullable`, and the
// combinators.
type SlowKeywords =
  | 'static' | '~unsafe' | '~standard' | '$ref' | 'const' | 'enum' | 'nullable' | 'anyOf' | 'oneOf' | 'allOf'

type Infer<S, D extends SchemaDirection, C extends Context> =
  S extends { readonly type: infer T }
    ? [keyof S & SlowKeywords] extends [never]
      ? InferTypeNames<T extends readonly (infer U)[] ? U : T, S, D, C>
      : InferAny<S, D, C>
    : InferAny<S, D, C>

type InferAny<S, D extends SchemaDirection, C extends Context> =
  S extends boolean
    ? (S extends true ? unknown : never)
    // TypeBox 0.34 schemas carry their type in a phantom `static` property.
    : S extends { readonly static: infer T }
      ? T
      // TypeBox 1.x keeps no phantom type except on `Type.Unsafe<T>()`; its
      // other schemas are plain JSON Schema and are read below like any other.
      : S extends { readonly '~unsafe': infer T }
        ? T
        // Standard Schema (Zod 4, Valibot, ArkType): the library's own
        // output type, for request parts (what its validation, or ajv's on
        // its faithful JSON Schema, hands the handler) and replies alike; a
        // client sends what the library takes in.
        : S extends StandardSchemaV1<infer I, infer O>
          ? (D extends 'client' ? I : O)
          : S extends { readonly $ref: infer R extends string }
            ? InferRef<R, D, C>
            : S extends object
              ? InferKeywords<S, D, C>
              : unknown

// Written as conditionals rather than bare unions and intersections so that
// editors show the inferred type, not `InferKeywords<...>` with the whole
// schema as its arguments.
type InferKeywords<S, D extends SchemaDirection, C extends Context> =
  S extends { readonly nullable: true }
    ? (InferBase<S, D, C> & InferCombinators<S, D, C>) | null
    : InferBase<S, D, C> & InferCombinators<S, D, C>

// One value-shaping keyword wins: const, then enum, then type, then the
// object or array keywords when `type` is left out.
type InferBase<S, D extends SchemaDirection, C extends Context> =
  S extends { readonly const: infer V }
    ? V
    : S extends { readonly enum: readonly (infer E)[] }
      ? E
      : S extends { readonly type: infer T }
        ? InferTypeNames<T extends readonly (infer U)[] ? U : T, S, D, C>
        : S extends ObjectKeywords
          ? InferObject<S, D, C>
          : S extends ArrayKeywords
            ? InferArray<S, D, C>
            : unknown

type ObjectKeywords =
  | { readonly properties: object }
  | { readonly required: readonly unknown[] }
  | { readonly additionalProperties: unknown }
  | { readonly patternProperties: object }

type ArrayKeywords = { readonly items: unknown } | { readonly prefixItems: unknown }

type DateFormats = 'date' | 'date-time' | 'time'

// Distributes over the names of `type: [...]`.
type InferTypeNames<T, S, D extends SchemaDirection, C extends Context> =
  T extends 'object'
    ? InferObject<S, D, C>
    : T extends 'string'
      ? (D extends 'input' ? string : (S extends { readonly format: DateFormats } ? string | Date : string))
      : T extends 'number' | 'integer'
        ? number
        : T extends 'boolean'
          ? boolean
          : T extends 'array'
            ? InferArray<S, D, C>
            : T extends 'null'
              ? null
              : unknown

type InferCombinators<S, D extends SchemaDirection, C extends Context> =
  S extends unknown
    ? (S extends { readonly anyOf: infer A extends readonly unknown[] } ? InferEach<A, D, C>[number] : unknown) &
      (S extends { readonly oneOf: infer A extends readonly unknown[] } ? InferEach<A, D, C>[number] : unknown) &
      (S extends { readonly allOf: infer A extends readonly unknown[] } ? InferAll<A, D, C> : unknown)
    : never

type InferEach<A extends readonly unknown[], D extends SchemaDirection, C extends Context> = {
  -readonly [K in keyof A]: Infer<A[K], D, C>
}

type InferAll<A extends readonly unknown[], D extends SchemaDirection, C extends Context> =
  A extends readonly [infer Head, ...infer Tail]
    ? Infer<Head, D, C> & InferAll<Tail, D, C>
    : unknown

// ---------------------------------------------------------------- objects

type RequiredKeys<S> = S extends { readonly required: readonly (infer K)[] } ? K : never

// On input, ajv's `useDefaults` fills these in, so they are present.
type DefaultedKeys<P, Dir extends SchemaDirection> = Dir extends 'input'
  ? { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P]
  : never

type InferObject<
  S, D extends SchemaDirection, C extends Context,
  P = S extends { readonly properties: infer X extends object } ? X : {}
> = Simplify<InferProperties<P, RequiredKeys<S> | DefaultedKeys<P, D>, D, C> & InferRest<S, P, RequiredKeys<S>, D, C>>

// Every property optional, then the present ones again, required: their
// intersection, flattened by Simplify, keeps the declared order. A key that
// `required` names without declaring it is present with an unknown type.
type InferProperties<P, Present, D extends SchemaDirection, C extends Context> =
  { -readonly [K in keyof P]?: Infer<P[K], D, C> } &
  { -readonly [K in Present & keyof P]: Infer<P[K], D, C> } &
  ([Exclude<Present, keyof P>] extends [never] ? {} : { [K in Exclude<Present, keyof P> & (string | number)]: unknown })

// Keys beyond `properties`. Left out, `additionalProperties` gives a closed
// type, which is what reads best in handlers (`req.body.nmae` is an error);
// `true` or a schema opens it with an index signature, whose value type
// includes the declared properties' so the two stay compatible.
type InferRest<S, P, Required, D extends SchemaDirection, C extends Context> =
  S extends { readonly patternProperties: infer PP extends object }
    ? { [key: string]: Infer<PP[keyof PP], D, C> | AdditionalValue<S, D, C> | PropertyValues<P, D, C> }
    : S extends { readonly additionalProperties: infer A }
      ? (A extends false ? {} : { [key: string]: Infer<A, D, C> | PropertyValues<P, D, C> })
      : [keyof P] extends [never]
        ? ([Required] extends [never] ? { [key: string]: unknown } : {})
        : {}

type PropertyValues<P, D extends SchemaDirection, C extends Context> = { [K in keyof P]: Infer<P[K], D, C> }[keyof P]

type AdditionalValue<S, D extends SchemaDirection, C extends Context> =
  S extends { readonly additionalProperties: infer A } ? (A extends false ? never : Infer<A, D, C>) : never

// Flattens an intersection of object types into one object type, for
// readable hovers and error messages.
type Simplify<T> = { [K in keyof T]: T[K] } & {}

// ----------------------------------------------------------------- arrays

// Arrays a handler sends are readonly: a reply only reads them, and a literal
// a handler returns may be inferred as a readonly tuple.
type InferArray<S, D extends SchemaDirection, C extends Context> =
  D extends 'input'
    ? InferArrayItems<S, D, C>
    : Readonly<InferArrayItems<S, D, C>>

type InferArrayItems<S, D extends SchemaDirection, C extends Context> =
  // 2020-12 tuples: `prefixItems`, then `items` for the rest.
  S extends { readonly prefixItems: infer T extends readonly unknown[] }
    ? InferTuple<T, S extends { readonly items: infer I } ? I : undefined, S, D, C>
    // draft-07 tuples: `items: [...]`, then `additionalItems`.
    : S extends { readonly items: infer T extends readonly unknown[] }
      ? InferTuple<T, S extends { readonly additionalItems: infer I } ? I : undefined, S, D, C>
      : S extends { readonly items: infer I }
        ? Array<Infer<I, D, C>>
        : unknown[]

// Elements are required up to `minItems` and optional after it; the rest
// follows `items` (2020-12) or `additionalItems` (draft-07): absent means
// anything, `false` closes the tuple.
type InferTuple<
  T extends readonly unknown[], Rest, S, D extends SchemaDirection, C extends Context,
  Elements extends unknown[] = InferEach<T, D, C>
> = [
  ...RequireFirst<Elements, S extends { readonly minItems: infer N extends number } ? N : 0>,
  ...(Rest extends false ? [] : Rest extends undefined | true ? unknown[] : Array<Infer<Rest, D, C>>)
]

type RequireFirst<E extends unknown[], N extends number, Done extends unknown[] = []> =
  Done['length'] extends N
    ? [...Done, ...Partial<E>]
    : E extends [infer Head, ...infer Tail]
      ? RequireFirst<Tail, N, [...Done, Head]>
      : Done

// ------------------------------------------------------------------- $ref

// `T[K]`, or `unknown` when `T` has no `K`. An indexed access, not
// `K extends keyof T ? ... : ...`, so that types holding shared schemas (the
// instance, through its state) stay covariant in them: a conditional type
// with `keyof T` in its extends clause would make them invariant.
type Lookup<T, K extends string> = (T & { readonly [key: string]: unknown })[K]

// `#/pointer` within the document, `Id`, `Id#` and `Id#/pointer` across
// shared schemas. Anything else (relative URIs, `$anchor`s) is `unknown`.
type InferRef<R extends string, D extends SchemaDirection, C extends Context> =
  C['depth']['length'] extends RefDepthLimit
    ? unknown
    : R extends `#${infer Pointer}`
      ? InferShared<ResolvePointer<C['root'], Pointer>, C['root'], R, D, C>
      : R extends `${infer Id}#${infer Pointer}`
        ? InferShared<ResolvePointer<Lookup<C['refs'], Id>, Pointer>, Lookup<C['refs'], Id>, R, D, C>
        : InferShared<Lookup<C['refs'], R>, Lookup<C['refs'], R>, R, D, C>

// A schema reached in a shared schema `Root`, whose own `#/` pointers resolve in it.
type InferShared<S, Root, R, D extends SchemaDirection, C extends Context> =
  Infer<S, D, Context<C['refs'], Root, [...C['depth'], R]>>

// JSON Pointer (RFC 6901) without `~0`/`~1` escapes; a miss gives `unknown`,
// which infers as `unknown`.
type ResolvePointer<S, Pointer extends string> =
  Pointer extends '' | '/'
    ? S
    : Pointer extends `/${infer Head}/${infer Tail}`
      ? ResolvePointer<Lookup<S, Head>, `/${Tail}`>
      : Pointer extends `/${infer Head}`
        ? Lookup<S, Head>
        : unknown
