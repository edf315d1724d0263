/** `velox routes <app>`: the app's route tree, as `app.printRoutes()` draws it. */
import { type Command, parseAppCommandArgs } from './command.js'
import { withReadyApp } from './load-app.js'

const help = `usage: velox routes <app> [--method <METHOD>] [--hooks] [--no-common-prefix]

Prints the route tree of the app (app.printRoutes()). The app is booted with
ready(), never listens, and is closed afterwards.

  <app>                a module whose default export (or export named "app")
                       is the app, or a function returning it
  --method <METHOD>    only the routes of one method (GET, POST...)
  --hooks              list each route's hooks under it
  --no-common-prefix   one line per path segment instead of merging prefixes
  -h, --help           this text
`

export const routes: Command = {
  summary: 'print the route tree of an app',
  help,
  async run (argv, out) {
    const args = parseAppCommandArgs('routes', help, argv, {
      method: { type: 'string' },
      hooks: { type: 'boolean' },
      'no-common-prefix': { type: 'boolean' }
    }, out)
    if (args === null) return 0
    const { modulePath, values } = args
    const tree = await withReadyApp(modulePath, (app) => app.printRoutes({
      method: typeof values.method === 'string' ? values.method.toUpperCase() : undefined,
      includeHooks: values.hooks === true,
      commonPrefix: values['no-common-prefix'] !== true
    }))
    out.stdout(tree.endsWith('\n') ? tree : tree + '\n')
    return 0
  }
}
