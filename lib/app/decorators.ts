/**
 * Decorators on the instance, Request and Reply.
 *
 * Instance decorators are own properties of the scope's instance object, so
 * child plugins see them through the prototype chain and parents do not.
 * Request and Reply decorators are recorded per scope and turned, at ready(),
 * into per-scope subclasses: values become fields set in the subclass
 * constructor (same order for every request, so one hidden class), functions
 * and getters/setters go on the subclass prototype. A scope without its own
 * decorators reuses its parent's class.
 */
import { Request } from '../lifecycle/request.js'
import { Reply } from '../lifecycle/reply.js'
import type { Scope, DecoratorEntry } from './scope.js'
import {
  FST_ERR_DEC_ALREADY_PRESENT, FST_ERR_DEC_DEPENDENCY_INVALID_TYPE, FST_ERR_DEC_MISSING_DEPENDENCY,
  FST_ERR_DEC_REFERENCE_TYPE, FST_ERR_DEC_AFTER_START, FST_ERR_DEC_UNDECLARED
} from '../errors.js'

type Target = 'instance' | 'request' | 'reply'

function isAccessor (value: unknown): value is { getter?: () => unknown, setter?: (v: unknown) => void } {
  return value !== null && typeof value === 'object' &&
    (typeof (value as { getter?: unknown }).getter === 'function' || typeof (value as { setter?: unknown }).setter === 'function')
}

function checkDependencies (scope: Scope, target: Target, name: string | symbol, dependencies: unknown): void {
  if (dependencies === undefined) return
  if (!Array.isArray(dependencies)) throw new FST_ERR_DEC_DEPENDENCY_INVALID_TYPE(name)
  for (const dep of dependencies) {
    if (!hasDecorator(scope, target, dep)) throw new FST_ERR_DEC_MISSING_DEPENDENCY(dep)
  }
}

let requestFields: Set<string | symbol> | null = null
let replyFields: Set<string | symbol> | null = null

/**
 * The own fields of a bare Request/Reply (`body`, `params`, `raw`...), read off
 * a throwaway instance so the list follows the constructors. A decorator may
 * not reuse one of these names, as in Fastify.
 */
function baseFields (target: 'request' | 'reply'): Set<string | symbol> {
  if (target === 'request') {
    if (requestFields === null) {
      try {
        requestFields = new Set(Object.keys(new Request('', {}, { headers: {} } as any, {}, null as any, null as any, null as any)))
      } catch {
        requestFields = new Set(['id', 'params', 'raw', 'query', 'log', 'body'])
      }
    }
    return requestFields
  }
  if (replyFields === null) {
    try {
      replyFields = new Set(Object.keys(new Reply(null as any, { context: null } as any, null as any)))
    } catch {
      replyFields = new Set(['raw', 'request', 'log'])
    }
  }
  return replyFields
}

export function hasDecorator (scope: Scope, target: Target, name: string | symbol): boolean {
  if (target === 'instance') return name in scope.instance
  if (target === 'request') return scope.findRequestDecorator(name) !== undefined || name in Request.prototype || baseFields('request').has(name)
  return scope.findReplyDecorator(name) !== undefined || name in Reply.prototype || baseFields('reply').has(name)
}

/**
 * Whether `decorate()` on this instance would clash: a decorator of the same
 * scope or a method of the app API. As in Fastify, a child plugin may shadow
 * a decorator of its parent with its own value.
 */
function instanceClash (scope: Scope, name: string | symbol): boolean {
  if (Object.prototype.hasOwnProperty.call(scope.instance, name)) return true
  return name in Object.getPrototypeOf(scope.app.root.instance)
}

/** The descriptor of `name` on `proto` or one of its prototypes. */
function findDescriptor (proto: object | null, name: string | symbol): PropertyDescriptor | undefined {
  for (let p = proto; p !== null; p = Object.getPrototypeOf(p)) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name)
    if (descriptor !== undefined) return descriptor
  }
  return undefined
}

/**
 * Whether a Request or Reply decorator would clash, as Fastify decides it: a name decorated in
 * the same scope, or a field every request or reply has (`raw`, `body`, `log`...). A function
 * may shadow a built-in method (a plugin's test replacing `reply.getHeader`) or a method a
 * parent scope decorated; values may not replace methods, accessors or a parent's value.
 */
function requestReplyClash (scope: Scope, target: 'request' | 'reply', name: string | symbol, value: unknown): boolean {
  const own = target === 'request' ? scope.requestDecorators : scope.replyDecorators
  if (own.has(name) || baseFields(target).has(name)) return true
  const isFunction = typeof value === 'function'
  const inherited = target === 'request' ? scope.findRequestDecorator(name) : scope.findReplyDecorator(name)
  if (inherited !== undefined) return !(isFunction && inherited.kind === 'method')
  const builtIn = findDescriptor(target === 'request' ? Request.prototype : Reply.prototype, name)
  if (builtIn === undefined || name === 'constructor') return builtIn !== undefined
  return !(isFunction && typeof builtIn.value === 'function')
}

export function decorate (scope: Scope, target: Target, name: string | symbol, value: unknown, dependencies?: unknown): void {
  // Request and reply decorators shape the classes built at ready(); an instance decorator may
  // still be added by an onReady hook, as in Fastify.
  if (target === 'instance' ? scope.app.readyHooksDone : scope.app.started) throw new FST_ERR_DEC_AFTER_START(name)
  if (target === 'instance' ? instanceClash(scope, name) : requestReplyClash(scope, target, name, value)) throw new FST_ERR_DEC_ALREADY_PRESENT(name)
  checkDependencies(scope, target, name, dependencies)
  if (target === 'instance') {
    if (isAccessor(value)) {
      Object.defineProperty(scope.instance, name, { get: value.getter, set: value.setter, enumerable: false, configurable: true })
    } else {
      // defineProperty, not assignment: shadowing a parent's getter-only decorator must work.
      Object.defineProperty(scope.instance, name, { value, writable: true, enumerable: true, configurable: true })
    }
    return
  }
  let entry: DecoratorEntry
  if (isAccessor(value)) {
    entry = { value, kind: 'accessor' }
  } else if (typeof value === 'function') {
    entry = { value, kind: 'method' }
  } else {
    // A shared object or array on every request would leak state between requests.
    if (value !== null && typeof value === 'object') throw new FST_ERR_DEC_REFERENCE_TYPE(name, typeof value)
    entry = { value, kind: 'field' }
  }
  const map = target === 'request' ? scope.requestDecorators : scope.replyDecorators
  map.set(name, entry)
}

export function getDecorator (scope: Scope, name: string | symbol): unknown {
  if (!(name in scope.instance)) throw new FST_ERR_DEC_UNDECLARED(name, 'instance')
  // A decorator: the user's value, found by name.
  const value = (scope.instance as unknown as Record<string | symbol, unknown>)[name]
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(scope.instance) : value
}

type AnyClass = new (...args: any[]) => any

const requestClasses = new WeakMap<Scope, AnyClass>()
const replyClasses = new WeakMap<Scope, AnyClass>()

function buildClass (Base: AnyClass, decorators: Map<string | symbol, DecoratorEntry>): AnyClass {
  // Symbol names index like strings; TypeScript only lets `this` be indexed by strings here.
  const fields: Array<[string, unknown]> = []
  for (const [name, entry] of decorators) if (entry.kind === 'field') fields.push([name as string, entry.value])
  class Decorated extends Base {
    constructor (...args: any[]) {
      super(...args)
      for (let i = 0; i < fields.length; i++) this[fields[i][0]] = fields[i][1]
    }
  }
  for (const [name, entry] of decorators) {
    if (entry.kind === 'method') {
      Object.defineProperty(Decorated.prototype, name, { value: entry.value, writable: true, configurable: true, enumerable: false })
    } else if (entry.kind === 'accessor') {
      const acc = entry.value as { getter?: () => unknown, setter?: (v: unknown) => void }
      Object.defineProperty(Decorated.prototype, name, { get: acc.getter, set: acc.setter, configurable: true, enumerable: false })
    }
  }
  return Decorated
}

function classFor (scope: Scope, cache: WeakMap<Scope, AnyClass>, base: AnyClass, pick: (s: Scope) => Map<string | symbol, DecoratorEntry>): AnyClass {
  const cached = cache.get(scope)
  if (cached !== undefined) return cached
  const parentClass = scope.parent === null ? base : classFor(scope.parent, cache, base, pick)
  const own = pick(scope)
  const result = own.size === 0 ? parentClass : buildClass(parentClass, own)
  cache.set(scope, result)
  return result
}

export function requestClassFor (scope: Scope): AnyClass {
  return classFor(scope, requestClasses, Request, (s) => s.requestDecorators)
}

export function replyClassFor (scope: Scope): AnyClass {
  return classFor(scope, replyClasses, Reply, (s) => s.replyDecorators)
}
