/**
 * From an app's route table (the {@link RouteRecord}s its instance type
 * recorded) to what `velox/client` types its calls with: per path and
 * method, the params, query, headers and body a client sends and the data it
 * receives per status, read from the same schemas (or route types) the
 * handlers are typed by.
 *
 * A client sends request parts typed in the `'client'` direction (defaults
 * may be left out, dates may be `Date`s) and receives replies typed in the
 * `'input'` direction (the serializer filled the defaults in, dates arrive as
 * strings).
 */

import type { VeloxInstanceBase } from './instance.js'
import type { FromSchema } from './json-schema.js'
import type { IsStatusMap, NoRouteTypes } from './route.js'
import type { RouteRecord, RoutesOf } from './route-table.js'
import type { PathParams } from './path-params.js'

export type { PathParams }

/**
 * The route table of an app type: `{ [path]: { [METHOD]: endpoint types } }`.
 * Given a route table already (as `velox client` writes them), that table.
 *
 * @example
 * type Routes = RouteTableOf<typeof app>
 * type GetUser = Routes['/users/:id']['GET']
 */
export type RouteTableOf<App> =
  App extends VeloxInstanceBase<any> ? RouteTable<RoutesOf<App>> : App

/**
 * The route table of a union of route records.
 *
 * Grouped by key remapping, which visits each record once: records that
 * share a path (or a path and method) become one key whose type is their
 * union. (Filtering the records for each path instead cost the square of the
 * number of routes.)
 */
export type RouteTable<R> = {
  [Path in keyof RecordsByPath<R>]: { [Rec in RecordsByPath<R>[Path] as MethodOf<Rec>]: ClientEndpoint<Rec> }
}

type RecordsByPath<R> = { [Rec in R as PathOf<Rec>]: Rec }

// Paths TypeScript only knows as `string` (a URL held in a variable) cannot
// be placed in the client: those routes are left out.
type PathOf<R> = R extends RouteRecord<string, infer Path> ? (string extends Path ? never : Path) : never

type MethodOf<R> = R extends RouteRecord<infer M> ? M : never

/**
 * What a client sends to and receives from one route. A part the route's
 * schema declares is typed from the schema, as the client sends it (the
 * schema is what the server validates); else from the route types, when
 * given; else params from the path, and anything for the rest.
 */
export type ClientEndpoint<R> =
  R extends RouteRecord<string, infer Path, infer G, infer Sch, infer Rsp, infer Refs>
    ? {
        params: Sch extends { readonly params: infer X } ? FromSchema<X, Refs, 'client'> : Given<G, 'Params', PathParams<Path>>
        query: Sch extends { readonly querystring: infer X }
          ? FromSchema<X, Refs, 'client'>
          : Sch extends { readonly query: infer X } ? FromSchema<X, Refs, 'client'> : Given<G, 'Querystring', unknown>
        headers: Sch extends { readonly headers: infer X } ? FromSchema<X, Refs, 'client'> : Given<G, 'Headers', unknown>
        body: Sch extends { readonly body: infer X } ? BodyFromSchema<X, Refs> : Given<G, 'Body', unknown>
        responses: [G] extends [NoRouteTypes]
          ? ResponsesFromSchemas<Rsp, Refs>
          : Sch extends { readonly response: infer X }
            ? ResponsesFromSchemas<X, Refs>
            : Given<G, 'Reply', unknown> extends infer Reply
              ? IsStatusMap<Reply> extends true ? Reply : { default: Reply }
              : never
    }
    : never

// The part `K` of route types `G`, when they give it. (A handler that uses
// `reply` gives the route types inferred from its schema, which is why the
// schema wins above.)
type Given<G, K extends string, Otherwise> =
  K extends keyof G ? (unknown extends G[K] ? Otherwise : G[K]) : Otherwise

type BodyFromSchema<B, Refs> =
  B extends { readonly content: infer C }
    ? { [M in keyof C]: C[M] extends { readonly schema: infer X } ? FromSchema<X, Refs, 'client'> : unknown }[keyof C]
    : FromSchema<B, Refs, 'client'>

type ResponsesFromSchemas<Rsp, Refs> = {
  -readonly [Status in keyof Rsp]: Rsp[Status] extends { readonly content: infer C }
    ? { [M in keyof C]: C[M] extends { readonly schema: infer X } ? FromSchema<X, Refs> : unknown }[keyof C]
    : FromSchema<Rsp[Status], Refs>
}
