/**
 * The route table an instance type records: every route method returns the
 * instance type with its route added, `register()` adds the routes a plugin
 * returns under the plugin's prefix, and the other methods that return the
 * instance keep them. `velox/client` builds a typed client from it.
 *
 * Recording is kept cheap, since every route of an app pays for it whether or
 * not a client is ever built: a route is a reference to one interface whose
 * type arguments are the route method's own type parameters (nothing is
 * computed from the schema here), and the table is a union of them. The
 * client's types read the schemas only when a client is typed, and only for
 * the routes a call reaches.
 */

/**
 * One route, as an instance type records it: its method(s), its full path,
 * and what its types come from. Type-level only.
 */
export interface RouteRecord<
  Method extends string = string,
  Path extends string = string,
  G = unknown,
  Sch = unknown,
  Rsp = unknown,
  Refs = unknown
> {
  /** Upper case; a union for a route answering several methods. */
  method: Method
  /** The path as the router sees it, prefixes included (`/users/:id`). */
  path: Path
  /** Route types given explicitly or by a handler typed apart; NoRouteTypes when none. */
  types: G
  /** The route's `schema` option. */
  schema: Sch
  /** Its `response` schemas, captured apart when no route types are given. */
  response: Rsp
  /** The shared schemas its `$ref`s can reach. */
  refs: Refs
}

/**
 * Key of the phantom property through which an instance type carries its
 * routes. Type-level only: no runtime value has it.
 */
export declare const routeTable: unique symbol

/**
 * The phantom property through which an instance type carries routes `R`.
 *
 * Routes ride beside the instance's state `S`, not in it: every member of the
 * instance is typed from `S`, and an instance type whose `S` changed with each
 * route would have every member typed anew for each route of a chain (the
 * route methods' signatures above all), which multiplied the type-check cost
 * of a chained app several times over. With `S` unchanged along the chain,
 * TypeScript reuses those types, and each route costs what it costs in an app
 * declared statement by statement.
 *
 * The methods that return the instance read the routes so far through their
 * `this` parameter, typed with this mark: the routes are inferred from the
 * receiver's property. (Reading them with a conditional type of the receiver
 * instead made TypeScript instantiate it over the whole table at each route,
 * a cost that grew with the square of the number of routes.)
 */
export interface RouteTableMark<R> {
  readonly [routeTable]?: R
}

/**
 * The `this` parameter of the methods that return the instance: the mark,
 * through which the routes so far are inferred (`never` for an instance that
 * records none).
 *
 * With `never` it asks nothing of the receiver: a call given explicit type
 * arguments (`app.get<{ Params: P }>(...)`) leaves `Routes` at its default,
 * since TypeScript infers no type parameter of a call that gives some, and
 * must still accept an instance that has recorded routes (their record is
 * lost from that call on: docs/client.md says so). `object` keeps the mark
 * from being a weak type (every property optional), which an instance type
 * without it could not be assigned to.
 */
export type RouteTableReceiver<R> = object & ([R] extends [never] ? unknown : RouteTableMark<R>)

/**
 * The routes an instance type carries: `RoutesOf<typeof app>`. Anything else
 * (a plugin that returns nothing) has none.
 */
export type RoutesOf<T> = typeof routeTable extends keyof T ? Exclude<T[typeof routeTable], undefined> : never

/**
 * The routes a plugin adds to the instance it is registered on: those of the
 * instance it returns (or resolves to), under `Prefix`. A prefix TypeScript
 * only knows as `string` cannot place the routes, so they are left out.
 */
export type PluginRoutes<Returned, Prefix extends string> =
  string extends Prefix ? never : PrefixRoutes<RoutesOf<Returned extends PromiseLike<infer I> ? I : Returned>, Prefix>

/** Routes mounted under a prefix, joined the way Fastify joins them. */
export type PrefixRoutes<R, Prefix extends string> =
  Prefix extends ''
    ? R
    : R extends RouteRecord<infer M, infer Path, infer G, infer Sch, infer Rsp, infer Refs>
      ? RouteRecord<M, JoinPath<NormalPrefix<Prefix>, Path>, G, Sch, Rsp, Refs>
      : never

// A plugin prefix gets a leading slash if it lacks one.
type NormalPrefix<P extends string> = P extends `/${string}` ? P : `/${P}`

// `/` (or nothing) under a prefix answers at the prefix itself (and, with
// the default `prefixTrailingSlash: 'both'`, at the prefix with a slash); a
// prefix ending in `/` does not double the path's leading slash.
type JoinPath<Prefix extends string, Path extends string> =
  Path extends '' | '/'
    ? Prefix
    : Prefix extends `${infer Head}/`
      ? (Path extends `/${string}` ? `${Head}${Path}` : `${Prefix}${Path}`)
      : `${Prefix}${Path}`
