import t from 'tap'
import fp from 'fastify-plugin'
import Fastify from 'fastify'
import { readFileSync } from 'node:fs'
import velox, { FASTIFY_API_VERSION } from '../lib/index.js'

const kMeta = Symbol.for('plugin-meta')
const kDisplayName = Symbol.for('fastify.display-name')

t.test('app.version is the Fastify API level Velox implements', async (t) => {
  const app = velox()
  t.equal(app.version, FASTIFY_API_VERSION)
  t.match(app.version, /^5\.\d+\.\d+$/)
})

t.test('app.version is the version of the Fastify whose own test suite Velox is measured against', async (t) => {
  const installed = JSON.parse(readFileSync(new URL('../node_modules/fastify/package.json', import.meta.url), 'utf8')).version
  t.equal(velox().version, installed)
  t.equal(Fastify().version, installed, 'as Fastify reports itself')
})

t.test('a plugin requiring a Fastify 5 minor that Fastify 5.12 has loads', async (t) => {
  const app = velox()
  let loaded = false
  app.register(fp(async () => { loaded = true }, { fastify: '>=5.12.0', name: 'recent' }))
  await app.ready()
  t.ok(loaded)
  const old = velox()
  old.register(fp(async () => {}, { fastify: '5.x', name: 'any5' }))
  await t.resolves(old.ready())
})

t.test('hasPlugin', async (t) => {
  t.test('a named fastify-plugin plugin is known to the scope that registered it and to later children', async (t) => {
    const app = velox()
    let inChild: boolean | undefined
    app.register(fp(async () => {}, { name: 'db' }))
    app.register(async (c: any) => { inChild = c.hasPlugin('db') })
    await app.ready()
    t.equal(app.hasPlugin('db'), true)
    t.equal(inChild, true)
    t.equal(app.hasPlugin('nope'), false)
  })

  t.test("the names are listed under Fastify's Symbol.for('registered-plugin'), as plugins' tests read them", async (t) => {
    const app = velox()
    let inChild: unknown
    app.register(fp(async () => {}, { name: 'db' }))
    app.register(async (c: any) => {
      c.register(fp(async () => {}, { name: 'cache' }))
      await c.after()
      inChild = c[Symbol.for('registered-plugin')].slice()
    })
    await app.ready()
    t.same((app as any)[Symbol.for('registered-plugin')], ['db'])
    t.same(inChild, ['db', 'cache'])
  })

  t.test('a named plugin registered inside a child is unknown to the parent', async (t) => {
    const app = velox()
    let inChild: boolean | undefined
    app.register(async (c: any) => {
      c.register(fp(async () => {}, { name: 'inner-db' }))
      await c.after()
      inChild = c.hasPlugin('inner-db')
    })
    await app.ready()
    t.equal(inChild, true)
    t.equal(app.hasPlugin('inner-db'), false)
  })

  t.test('an encapsulated plugin knows its own name, its parent does not', async (t) => {
    const app = velox()
    let self: boolean | undefined
    app.register(async function users (c: any) { self = c.hasPlugin('users') })
    await app.ready()
    t.equal(self, true)
    t.equal(app.hasPlugin('users'), false, 'only names from plugin metadata count outside the plugin')
  })
})

t.test('dependencies', async (t) => {
  t.test('a plugin whose dependencies are registered loads', async (t) => {
    const app = velox()
    app.register(fp(async () => {}, { name: 'dep-a' }))
    app.register(fp(async () => {}, { name: 'needs-a', dependencies: ['dep-a'] }))
    await t.resolves(app.ready())
  })

  t.test('a missing dependency fails the boot with FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED naming both plugins', async (t) => {
    const app = velox()
    app.register(fp(async () => {}, { name: 'needs-a', dependencies: ['dep-a'] }))
    await t.rejects(app.ready(), {
      code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED',
      statusCode: 500,
      message: "The dependency 'dep-a' of plugin 'needs-a' is not registered"
    })
  })

  t.test('a dependency registered later does not count', async (t) => {
    const app = velox()
    app.register(fp(async () => {}, { name: 'needs-a', dependencies: ['dep-a'] }))
    app.register(fp(async () => {}, { name: 'dep-a' }))
    await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED' })
  })

  t.test('a dependency registered inside a sibling plugin does not count', async (t) => {
    const app = velox()
    app.register(async (s: any) => { s.register(fp(async () => {}, { name: 'dep-a' })) })
    app.register(fp(async () => {}, { name: 'needs-a', dependencies: ['dep-a'] }))
    await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED' })
  })

  t.test('a dependency registered in an ancestor counts inside a child', async (t) => {
    const app = velox()
    app.register(fp(async () => {}, { name: 'dep-a' }))
    app.register(async (c: any) => { c.register(fp(async () => {}, { name: 'needs-a', dependencies: ['dep-a'] })) })
    await t.resolves(app.ready())
  })
})

t.test('required decorators', async (t) => {
  t.test('missing instance, request and reply decorators are reported with FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE', async (t) => {
    const cases: Array<[Record<string, string[]>, string]> = [
      [{ fastify: ['db'] }, "The decorator 'db' required by 'needs-decorators' is not present in Fastify"],
      [{ request: ['user'] }, "The decorator 'user' required by 'needs-decorators' is not present in Request"],
      [{ reply: ['view'] }, "The decorator 'view' required by 'needs-decorators' is not present in Reply"]
    ]
    for (const [decorators, message] of cases) {
      const app = velox()
      app.register(fp(async () => {}, { name: 'needs-decorators', decorators }))
      await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE', message })
    }
  })

  t.test('decorators present on the instance or an ancestor satisfy the plugin', async (t) => {
    const app = velox()
    app.decorate('db', {})
    app.decorateRequest('user', null)
    app.register(async (c: any) => {
      c.decorateReply('view', function () {})
      c.register(fp(async () => {}, { name: 'needs-decorators', decorators: { fastify: ['db'], request: ['user'], reply: ['view'] } }))
    })
    await t.resolves(app.ready())
  })
})

t.test('fastify version range', async (t) => {
  t.test('a plugin whose range includes the API level loads', async (t) => {
    const app = velox()
    app.register(fp(async () => {}, { name: 'modern', fastify: '5.x' }))
    app.register(fp(async () => {}, { name: 'ranged', fastify: '>=5.0.0 <6' }))
    await t.resolves(app.ready())
  })

  t.test('a plugin for another major version fails with FST_ERR_PLUGIN_VERSION_MISMATCH', async (t) => {
    const app = velox()
    app.register(fp(async () => {}, { name: 'legacy', fastify: '4.x' }))
    await t.rejects(app.ready(), {
      code: 'FST_ERR_PLUGIN_VERSION_MISMATCH',
      message: `fastify-plugin: legacy - expected '4.x' fastify version, '${FASTIFY_API_VERSION}' is installed`
    })
  })

  t.test('metadata set by hand without fastify-plugin is checked too', async (t) => {
    const app = velox()
    const plugin = async function handMade (): Promise<void> {}
    ;(plugin as any)[kMeta] = { fastify: '>=99' }
    app.register(plugin)
    await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_VERSION_MISMATCH', message: /handMade - expected '>=99'/ })
  })
})

t.test('plugin names', async (t) => {
  t.test('the display name is used in timeout errors', async (t) => {
    const app = velox({ pluginTimeout: 50 })
    const plugin = function (_i: any, _o: any, _done: () => void): void {}
    ;(plugin as any)[kDisplayName] = 'my display name'
    app.register(plugin)
    await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_TIMEOUT', message: /'my display name'/ })
  })

  t.test('a fastify-plugin name is used in timeout errors', async (t) => {
    const app = velox({ pluginTimeout: 50 })
    app.register(fp(function (_i: any, _o: any, _done: () => void) {}, { name: 'stuck-fp' }))
    await t.rejects(app.ready(), { code: 'FST_ERR_PLUGIN_TIMEOUT', message: /'stuck-fp'/ })
  })

  t.test('pluginName is the plugin name, followed by the skip-override plugins that ran in its scope', async (t) => {
    const app = velox()
    const names: Record<string, string> = {}
    app.register(async function outer (o: any) {
      names.outerBefore = o.pluginName
      o.register(fp(async function helper () {}, { name: 'helper' }))
      o.register(async function inner (i: any) { names.inner = i.pluginName })
      await o.after()
      names.outerAfter = o.pluginName
    })
    await app.ready()
    t.same(names, { outerBefore: 'outer', inner: 'inner', outerAfter: 'outer -> helper' })
    t.equal(app.pluginName, 'fastify', 'the root plugin is called fastify, as in Fastify')
  })

  t.test('a display name set by hand names the plugin', async (t) => {
    const app = velox()
    let name: string | undefined
    const plugin = async function (i: any): Promise<void> { name = i.pluginName }
    ;(plugin as any)[kDisplayName] = 'Custom Name'
    app.register(plugin)
    await app.ready()
    t.equal(name, 'Custom Name')
  })

  t.test('an anonymous plugin is named after its first lines of source', async (t) => {
    const app = velox()
    let name: string | undefined
    app.register(async (i: any) => {
      name = i.pluginName
    })
    await app.ready()
    t.match(name, /^async \(i\) => \{ -- name = i\.pluginName/)
  })
})

t.test('printPlugins() draws the plugin tree in load order', async (t) => {
  const app = velox()
  app.register(async function outer (o: any) {
    o.register(fp(async () => {}, { name: 'helper' }))
    o.register(async function inner (i: any) {
      i.register(async function deepest () {})
    })
  })
  const named = async function (): Promise<void> {}
  ;(named as any)[kDisplayName] = 'shown name'
  app.register(named)
  app.register(async function last () {})
  await app.ready()
  t.equal(app.printPlugins(), [
    'root',
    '├── outer',
    '│   ├── helper',
    '│   └── inner',
    '│       └── deepest',
    '├── shown name',
    '└── last',
    ''
  ].join('\n'))
})

t.test('printPlugins() of an app without plugins is the root alone', async (t) => {
  const app = velox()
  await app.ready()
  t.equal(app.printPlugins(), 'root\n')
})
