/**
 * The boot queue: register / after / ready, child scopes, skip-override,
 * plugin timeouts, plugin metadata and version checks.
 *
 * Each plugin is a node with a queue. Loading a node runs its function with
 * its own instance (or its parent's, for `skip-override`), then loads what it
 * queued, in order, depth first: a plugin's children load before its next
 * sibling, as with Fastify's avvio. A failed plugin skips the rest of its
 * parent's queue up to the next `after` callback, which receives the error;
 * unhandled, the error reaches `ready()` (and `listen()`), naming the plugin.
 */
import {
  FST_ERR_PLUGIN_INVALID_ASYNC_HANDLER, FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE, FST_ERR_PLUGIN_NOT_VALID,
  FST_ERR_PLUGIN_TIMEOUT, FST_ERR_PLUGIN_VERSION_MISMATCH, FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED, FST_ERR_ROOT_PLG_BOOTED
} from '../errors.js'
import type { Scope } from './scope.js'
import type { AppInstance } from './instance.js'
import { hasDecorator } from './decorators.js'
import { createRequire } from 'node:module'

type Satisfies = (version: string, range: string, options: { includePrerelease: boolean }) => boolean
let semverSatisfies: Satisfies | null = null
/** semver (some forty modules) is loaded the first time a plugin declares a `fastify` range: a cold start without one does not pay for it. */
function satisfies (): Satisfies {
  semverSatisfies ??= createRequire(import.meta.url)('semver/functions/satisfies') as Satisfies
  return semverSatisfies
}

/** A plugin as the user wrote it: its options are whatever the user passed to register(). */
export type PluginFn = (instance: AppInstance, opts: any, done: (err?: Error) => void) => unknown
export type AfterFn = (err: Error | null, done?: (err?: Error | null) => void) => unknown
export type AfterFnWithInstance = (err: Error | null, instance: unknown, done: (err?: Error | null) => void) => unknown

interface PluginMeta {
  name?: string
  fastify?: string
  dependencies?: string[]
  decorators?: { fastify?: string[], request?: string[], reply?: string[] }
}

type QueueItem =
  | { kind: 'plugin', node: PluginNode }
  | { kind: 'after', fn: AfterFn | AfterFnWithInstance, instance: AppInstance }

export interface PluginNode {
  name: string
  plugin: PluginFn | Promise<unknown> | null
  opts: unknown
  /** The instance `register` was called on. */
  parentInstance: AppInstance
  /** The instance the plugin received (set when it loads). */
  instance: AppInstance | null
  queue: QueueItem[]
  parent: PluginNode | null
  draining: Promise<Error | null> | null
  /**
   * The error this node's queue is in, kept between drains: an error that an
   * awaited `register()` threw stays until an `after` callback handles it, so
   * catching it around the `await` does not hide it from `ready()` (as avvio).
   */
  error: Error | null
}

/** What a child scope is set up from, read off register()'s options as the user gave them. */
export interface ScopeOptions {
  prefix?: unknown
  logLevel?: string
  logSerializers?: Record<string, (value: any) => unknown>
}

export interface TreeHooks {
  /** Creates the child scope for a plugin (or returns the parent's for skip-override). */
  override: (parentInstance: AppInstance, plugin: PluginFn, opts: ScopeOptions, depth: number) => AppInstance
  scopeOf: (instance: AppInstance) => Scope
  pluginTimeout: number
}

const kPluginMeta = Symbol.for('plugin-meta')
const kDisplayName = Symbol.for('fastify.display-name')

export function pluginName (fn: unknown): string {
  if (typeof fn !== 'function' && (fn === null || typeof fn !== 'object')) return 'anonymous'
  // Marks set by fastify-plugin (or by hand): strings in practice, shown as they are.
  const f = fn as { [kDisplayName]?: string, [kPluginMeta]?: { name?: string }, name?: unknown }
  return f[kDisplayName] ?? f[kPluginMeta]?.name ?? (typeof f.name === 'string' && f.name.length > 0 ? f.name : 'anonymous')
}

/**
 * The name shown by `pluginName` and `printPlugins()`: the plugin's name, or
 * for an anonymous function its first two lines joined with ' -- ', as
 * Fastify does, so an unnamed plugin can still be found in the source.
 */
export function pluginLabel (fn: unknown): string {
  const name = pluginName(fn)
  if (name !== 'anonymous' || typeof fn !== 'function') return name
  return fn.toString().split('\n', 2).map((line) => line.trim()).join(' -- ')
}

function isAsyncFunction (fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor.name === 'AsyncFunction'
}

/** A release candidate (or pre-release, alpha) of the API level: `5.13.0-rc.1`. */
const releaseCandidate = /-(?:rc|pre|alpha).+$/u

/**
 * A plugin's `fastify` range against a version, as Fastify checks it: during a
 * release-candidate phase, plugins written for the previous version load too.
 */
function checkVersion (range: string, version: string, name: string): void {
  const rc = releaseCandidate.test(version)
  if (rc) {
    const semver = semverModule()
    const floor = semver.coerce(range)
    if (floor !== null && semver.gt(version, floor)) return
  }
  if (!satisfies()(version, range, { includePrerelease: rc })) throw new FST_ERR_PLUGIN_VERSION_MISMATCH(name, range, version)
}

/** The whole of semver, only for a release-candidate version (rare): coerce and gt. */
function semverModule (): { coerce: (v: string) => { version: string } | null, gt: (a: string, b: { version: string } | string) => boolean } {
  return createRequire(import.meta.url)('semver') as ReturnType<typeof semverModule>
}

/**
 * Records on a plugin's load error which plugin raised it, in a `pluginName` property: the message
 * stays as the plugin wrote it, as in Fastify, so code and tests comparing messages keep working.
 */
function withPluginName (err: unknown, name: string): Error {
  const error = err instanceof Error ? err : new Error(String(err))
  const tagged = error as Error & { pluginName?: string }
  if (tagged.pluginName === undefined) tagged.pluginName = name
  return error
}

export class PluginTree {
  readonly root: PluginNode
  private current: PluginNode
  private booted = false
  private draining = 0

  constructor (rootInstance: AppInstance, private readonly hooks: TreeHooks) {
    this.root = { name: 'root', plugin: null, opts: {}, parentInstance: rootInstance, instance: rootInstance, queue: [], parent: null, draining: null, error: null }
    this.current = this.root
  }

  get isBooted (): boolean {
    return this.booted
  }

  /** true while plugins are being loaded (by ready(), or by an awaited register()). */
  get isLoading (): boolean {
    return this.draining > 0
  }

  register (instance: AppInstance, plugin: unknown, opts: unknown): PluginNode {
    if (this.booted) throw new FST_ERR_ROOT_PLG_BOOTED('Root plugin has already booted')
    const isModulePromise = plugin !== null && typeof plugin === 'object' && typeof (plugin as Promise<unknown>).then === 'function'
    const unwrapped = !isModulePromise && plugin !== null && typeof plugin === 'object' && typeof (plugin as { default?: unknown }).default === 'function'
      ? (plugin as { default: PluginFn }).default
      : plugin
    if (typeof unwrapped !== 'function' && !isModulePromise) {
      throw new FST_ERR_PLUGIN_NOT_VALID(`plugin must be a function or a promise. Received '${typeof plugin}'`)
    }
    const parent = this.current
    const node: PluginNode = {
      name: isModulePromise ? 'module' : pluginName(unwrapped),
      plugin: unwrapped as PluginFn | Promise<unknown>,
      opts: opts ?? {},
      parentInstance: instance,
      instance: null,
      queue: [],
      parent,
      draining: null,
      error: null
    }
    parent.queue.push({ kind: 'plugin', node })
    return node
  }

  after (instance: AppInstance, fn: AfterFn | AfterFnWithInstance): void {
    this.current.queue.push({ kind: 'after', fn, instance })
  }

  /** Loads everything queued so far on the current node (what `await app.register()` waits for). */
  flush (): Promise<void> {
    return this.drain(this.current).then((err) => {
      if (err !== null) throw err
    })
  }

  /** Loads the whole tree. */
  async load (): Promise<void> {
    const err = await this.drain(this.root)
    if (err !== null) throw err
    this.booted = true
  }

  private drain (node: PluginNode): Promise<Error | null> {
    if (node.draining !== null) return node.draining
    this.draining++
    node.draining = this.drainQueue(node, node.error).then((err) => {
      node.error = err
      return err
    }).finally(() => {
      node.draining = null
      this.draining--
    })
    return node.draining
  }

  private async drainQueue (node: PluginNode, incoming: Error | null): Promise<Error | null> {
    let error = incoming
    while (node.queue.length > 0) {
      const item = node.queue.shift() as QueueItem
      const previous = this.current
      this.current = node
      try {
        if (item.kind === 'plugin') {
          if (error !== null) continue
          error = await this.loadPlugin(item.node)
        } else {
          const queued = node.queue.length
          error = await this.runAfter(item.fn, item.instance, error)
          // What the callback registered loads next, before the siblings that
          // were already queued (avvio treats an after callback as a plugin).
          if (node.queue.length > queued) node.queue.unshift(...node.queue.splice(queued))
        }
      } finally {
        this.current = previous
      }
    }
    return error
  }

  private runAfter (fn: AfterFn | AfterFnWithInstance, instance: AppInstance, error: Error | null): Promise<Error | null> {
    return new Promise((resolve) => {
      let settled = false
      const done = (err?: Error | null): void => {
        if (settled) return
        settled = true
        resolve(err ?? null)
      }
      // As avvio calls it: `(err, instance, done)`, `(err, done)`, `(err)`, or `()`. A callback
      // that takes no argument has not seen the error, so the error goes on to the next one.
      const kept = fn.length === 0 ? error : null
      let result
      try {
        result = fn.length >= 3
          ? (fn as AfterFnWithInstance).call(instance, error, instance, done)
          : fn.length === 2 ? (fn as AfterFn).call(instance, error, done) : (fn as AfterFn).call(instance, error)
      } catch (err) {
        done(err as Error)
        return
      }
      if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
        // A tick after the promise settles, as avvio does (see runPlugin).
        (result as Promise<unknown>).then(
          () => { process.nextTick(done, kept) },
          (err) => { process.nextTick(done, err ?? new Error('after() callback rejected')) }
        )
      } else if (fn.length < 2) {
        done(kept)
      }
    })
  }

  private async loadPlugin (node: PluginNode): Promise<Error | null> {
    let fn: PluginFn
    try {
      if (typeof node.plugin !== 'function') {
        const mod = await node.plugin as Record<string, unknown> | PluginFn
        fn = (typeof mod === 'function' ? mod : (mod as { default?: unknown })?.default) as PluginFn
        if (typeof fn !== 'function') throw new FST_ERR_PLUGIN_NOT_VALID(`plugin must be a function or a promise. Received '${typeof fn}'`)
        node.name = pluginName(fn)
      } else {
        fn = node.plugin
      }
      const parentScope = this.hooks.scopeOf(node.parentInstance)
      if (isAsyncFunction(fn) && fn.length >= 3) throw new FST_ERR_PLUGIN_INVALID_ASYNC_HANDLER(pluginName(fn))
      this.checkMeta(fn, node.name, node.parentInstance, parentScope)
      let depth = 0
      for (let n = node.parent; n !== null; n = n.parent) depth++
      // Options given as a function get the instance the plugin will receive (its own scope, or
      // the parent's for fastify-plugin), as with avvio: they may decorate it. As with avvio, the
      // scope is set up from the options as given: for an options function, `prefix`, `logLevel`
      // and `logSerializers` are read off the function itself.
      const optsFn = typeof node.opts === 'function' ? node.opts as (instance: unknown) => unknown : null
      const instance = this.hooks.override(node.parentInstance, fn, (optsFn ?? node.opts ?? {}) as ScopeOptions, depth)
      node.instance = instance
      const opts = optsFn !== null ? optsFn(instance) : node.opts
      await this.runPlugin(fn, instance, node, opts)
    } catch (err) {
      return withPluginName(err, node.name)
    }
    const childErr = await this.drain(node)
    return childErr === null ? null : withPluginName(childErr, node.name)
  }

  private checkMeta (fn: PluginFn, name: string, parentInstance: AppInstance, scope: Scope): void {
    const meta = (fn as unknown as Record<symbol, PluginMeta | undefined>)[kPluginMeta]
    if (meta === undefined) return
    // Against the version of the instance it is registered on (a plugin may change what it reports).
    if (typeof meta.fastify === 'string') checkVersion(meta.fastify, String(parentInstance.version), meta.name ?? name)
    for (const dep of meta.dependencies ?? []) {
      if (!scope.registeredPlugins.includes(dep)) throw new FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED(dep, name)
    }
    const decorators = meta.decorators
    if (decorators !== undefined) {
      const checks: Array<['instance' | 'request' | 'reply', string[] | undefined, string]> = [
        ['instance', decorators.fastify, 'Fastify'],
        ['request', decorators.request, 'Request'],
        ['reply', decorators.reply, 'Reply']
      ]
      for (const [target, names, label] of checks) {
        for (const decorator of names ?? []) {
          if (!hasDecorator(scope, target, decorator)) {
            // As Fastify: the plugin is named only when its metadata names it.
            throw new FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE(decorator, typeof meta.name === 'string' ? ` required by '${meta.name}'` : '', label)
          }
        }
      }
    }
  }

  private runPlugin (fn: PluginFn, instance: AppInstance, node: PluginNode, opts: unknown): Promise<void> {
    const timeout = this.hooks.pluginTimeout
    // The plugin is the current node until it finishes, across its awaits:
    // whatever it registers goes into its own queue.
    const previous = this.current
    this.current = node
    return new Promise<void>((resolve, reject) => {
      let settled = false
      let timer: NodeJS.Timeout | undefined
      const done = (err?: Error | null): void => {
        if (settled) return
        settled = true
        this.current = previous
        if (timer !== undefined) clearTimeout(timer)
        if (err != null) reject(err)
        else resolve()
      }
      if (timeout > 0) {
        timer = setTimeout(() => {
          // Named as Fastify names it: display name, function name, else its first two lines.
          done(new FST_ERR_PLUGIN_TIMEOUT(`Plugin did not start in time: '${pluginLabel(fn)}'. You may have forgotten to call 'done' function or to resolve a Promise`))
        }, timeout)
      }
      let result
      try {
        result = fn.call(instance, instance, opts ?? {}, done)
      } catch (err) {
        done(err as Error)
        return
      }
      if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
        // A tick after the promise settles, as avvio does: boot advances on process.nextTick, so a
        // test whose fake clock runs nextTick callbacks sees Velox boot in the steps Fastify does.
        (result as Promise<unknown>).then(
          () => { process.nextTick(done) },
          (err) => { process.nextTick(done, err ?? new Error(`Plugin '${node.name}' rejected with no error`)) }
        )
      } else if (fn.length < 3) {
        done()
      }
    })
  }
}
