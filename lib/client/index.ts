/**
 * `velox/client`: a typed client for a Velox app, built from the app's type
 * alone. The client imports nothing of the server (only its type), runs on
 * `fetch`, and works in browsers as well as on Node.js.
 *
 * ```ts
 * import { createClient } from 'velox/client'
 * import type { App } from './app.js' // export type App = ReturnType<typeof buildApp>
 *
 * const client = createClient<App>('http://127.0.0.1:3000')
 * const res = await client.users[':id'].$get({ params: { id: 1 } })
 * if (res.status === 200) res.data.name // typed from the route's response schema
 * ```
 */
import type { RouteTableOf } from '../../types/client.js'
import { type Client, type ClientOptions, createRouteClient } from './client.js'

export type * from './client.js'
export type { ClientEndpoint, PathParams, RouteTable, RouteTableOf } from '../../types/client.js'
export type { RouteRecord, RoutesOf } from '../../types/route-table.js'
export { createRouteClient }

/**
 * A client for app type `App` (the type of the instance that declared the
 * routes, chained: `velox().get(...).register(...)`), or for a route table,
 * at `baseUrl`. Paths are properties (`client.users[':id']`), methods are
 * `$get`, `$post`..., and each call resolves to the response: its `status`,
 * `ok`, and `data` typed per status by the route's response schemas.
 *
 * @example
 * const client = createClient<typeof app>('http://127.0.0.1:3000')
 * const res = await client.users.$post({ body: { name: 'Ada' } })
 * if (res.status === 201) console.log(res.data.id)
 */
export function createClient<App> (baseUrl: string | URL, options?: ClientOptions): Client<RouteTableOf<App>> {
  return createRouteClient<RouteTableOf<App>>(baseUrl, options)
}
