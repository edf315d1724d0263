/**
 * The parameters a route path names, read from the path's literal type:
 * `:name` (with an optional regular expression, `:id(^\\d+)`), several in a
 * segment (`:from-:to`, `:file.:ext`), the wildcard `*`, and a last
 * parameter made optional by `?`. Routes without a params schema are typed
 * by them: the handler receives strings, a client sends strings or numbers.
 */

/**
 * Path parameters as a client sends them, for a route without a params
 * schema. `undefined` when there are none.
 */
export type PathParams<Path extends string> =
  [PathParamNames<Path>] extends [never] ? undefined : { [K in PathParamNames<Path>]: string | number }

/**
 * Path parameters as a handler receives them, for a route without a params
 * schema: each a string (an optional one may be missing). `unknown` for a
 * path TypeScript only knows as `string`, or one without parameters.
 */
export type RouteParams<Path extends string> =
  string extends Path ? unknown : ParamsNamed<PathParamNames<Path>>

type ParamsNamed<N> =
  [N] extends [never]
    ? unknown
    : [Extract<N, `${string}?`>] extends [never]
      ? { [K in N & string]: string }
      : Flat<
          { [K in N & string as K extends `${string}?` ? never : K]: string } &
          { [K in N & string as K extends `${infer Name}?` ? Name : never]?: string }
      >

type Flat<T> = { [K in keyof T]: T[K] } & {}

type PathParamNames<P extends string> =
  | (P extends `${string}*` ? '*' : never)
  | (P extends `${infer Head}/${infer Tail}` ? SegmentParams<Head> | PathParamNames<Tail> : SegmentParams<P>)

// `::` is a literal colon. A name ends at `(` (its regular expression), `-`
// or `.` (static text between two parameters).
type SegmentParams<S extends string> =
  S extends `${infer Before}::${infer After}`
    ? SegmentParams<Before> | SegmentParams<After>
    : S extends `${string}:${infer Rest}`
      ? Cut<Cut<Cut<Rest, '('>, '-'>, '.'> | SegmentParams<Rest>
      : never

type Cut<S extends string, C extends string> = S extends `${infer Head}${C}${string}` ? Head : S
