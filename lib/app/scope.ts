/**
 * The one typed state object per plugin scope.
 *
 * A child scope is created when a plugin loads: it copies what it may change
 * (hooks, parsers, error handler, schema store reference, prefix, logger
 * settings) from its parent, as Fastify's override does, and keeps a link to
 * the parent for decorators and Request/Reply classes. Plugins marked with
 * `skip-override` share their parent's scope.
 */
import type { Logger } from 'pino'
import { ContentTypeParsers } from '../lifecycle/body.js'
import { copyHooks, emptyAppHooks, emptyRequestHooks } from './hooks.js'
import type { AppHookLists, RequestHookLists } from './hooks.js'
import type { SchemaBucket } from '../schema/store.js'
import { createBucket, normalizeSchemaController } from '../schema/compile.js'
import type { SchemaControllerOptions, SerializerCompiler, ValidatorCompiler } from '../schema/compile.js'
import type { SchemaErrorFormatter } from '../schema/validation.js'
import type { AppState, ChildLoggerFactory, GenReqId } from './app-state.js'
import { buildGenReqId } from './app-state.js'
import type { AppInstance } from './instance.js'

export type ErrorHandlerFn = (this: any, error: any, request: any, reply: any) => unknown

/** A link of the error-handler chain: a child's handler that throws falls back to its parent's. */
export interface ErrorHandlerNode {
  fn: ErrorHandlerFn
  /** The instance the handler runs with as `this`. */
  instance: unknown
  parent: ErrorHandlerNode | null
}

export interface NotFoundSetting {
  handler: (this: any, request: any, reply: any) => unknown
  options: Record<string, any>
  scope: Scope
}

export interface DecoratorEntry {
  value: unknown
  /** getter/setter objects and functions live on the prototype; other values become fields. */
  kind: 'field' | 'method' | 'accessor'
}

let nextScopeId = 0

export class Scope {
  readonly id: number
  readonly parent: Scope | null
  readonly app: AppState
  /** The public instance object of this scope (what plugins receive). */
  instance: AppInstance
  prefix: string
  /**
   * The plugin's name, then the names of the `skip-override` plugins that ran
   * in this scope, in load order (`pluginName` joins them with ' -> ').
   */
  pluginNames: string[]
  hooks: RequestHookLists
  appHooks: AppHookLists
  parsers: ContentTypeParsers
  /** The shared schemas (Fastify's schema bucket); shared with the parent until this scope adds one. */
  schemas: SchemaBucket
  ownSchemas: boolean
  /** The `schemaController` option, or what `setSchemaController` set here or in a parent. */
  schemaController: SchemaControllerOptions
  errorHandler: ErrorHandlerNode
  errorHandlerSetHere: boolean
  notFound: NotFoundSetting | null
  logger: Logger
  logLevel: string | undefined
  logSerializers: Record<string, (value: any) => unknown> | undefined
  /** `setGenReqId` of this scope; undefined: the nearest ancestor's (see `genReqIdOf`). */
  genReqId: GenReqId | undefined
  /** `setChildLoggerFactory` of this scope; undefined: the nearest ancestor's, null: Velox's default. */
  childLoggerFactory: ChildLoggerFactory | null | undefined
  validatorCompiler: ValidatorCompiler | null
  serializerCompiler: SerializerCompiler | null
  schemaErrorFormatter: SchemaErrorFormatter | null
  replySerializer: ((payload: unknown, statusCode: number) => string) | null
  requestDecorators: Map<string | symbol, DecoratorEntry>
  replyDecorators: Map<string | symbol, DecoratorEntry>
  /** Names of plugins registered in this scope or its ancestors (for hasPlugin and dependencies). */
  registeredPlugins: string[]
  children: Scope[]

  constructor (app: AppState, parent: Scope | null, init: { instance: AppInstance, logger: Logger, errorHandler: ErrorHandlerNode, parsers: ContentTypeParsers }) {
    this.id = nextScopeId++
    this.app = app
    this.parent = parent
    this.instance = init.instance
    this.children = []
    this.requestDecorators = new Map()
    this.replyDecorators = new Map()
    if (parent === null) {
      this.prefix = ''
      // The root plugin is called 'fastify', as in Fastify: plugins put it in span and log names.
      this.pluginNames = ['fastify']
      this.hooks = emptyRequestHooks()
      this.appHooks = emptyAppHooks()
      this.parsers = init.parsers
      this.schemaController = normalizeSchemaController(app.options.schemaController)
      this.schemas = createBucket(this.schemaController)
      this.ownSchemas = true
      this.errorHandler = init.errorHandler
      this.errorHandlerSetHere = false
      this.notFound = null
      this.logger = init.logger
      this.logLevel = undefined
      this.logSerializers = undefined
      this.genReqId = buildGenReqId(app.requestIdHeader, app.options.genReqId as GenReqId | undefined)
      this.childLoggerFactory = app.options.childLoggerFactory as ChildLoggerFactory | undefined ?? null
      this.validatorCompiler = null
      this.serializerCompiler = null
      this.schemaErrorFormatter = null
      this.replySerializer = null
      this.registeredPlugins = []
    } else {
      parent.children.push(this)
      this.prefix = parent.prefix
      this.pluginNames = []
      this.hooks = copyHooks(parent.hooks)
      this.appHooks = copyHooks(parent.appHooks)
      this.parsers = new ContentTypeParsers(parent.parsers)
      this.schemaController = parent.schemaController
      this.schemas = parent.schemas
      this.ownSchemas = false
      this.errorHandler = parent.errorHandler
      this.errorHandlerSetHere = false
      this.notFound = parent.notFound
      this.logger = parent.logger
      this.logLevel = parent.logLevel
      this.logSerializers = parent.logSerializers
      this.genReqId = undefined
      this.childLoggerFactory = undefined
      this.validatorCompiler = parent.validatorCompiler
      this.serializerCompiler = parent.serializerCompiler
      this.schemaErrorFormatter = parent.schemaErrorFormatter
      this.replySerializer = parent.replySerializer
      this.registeredPlugins = parent.registeredPlugins.slice()
    }
  }

  /** The store to add a schema to: copied from the parent on the first addition. */
  writableSchemas (): SchemaBucket {
    if (!this.ownSchemas) {
      this.schemas = createBucket(this.schemaController, this.schemas)
      this.ownSchemas = true
    }
    return this.schemas
  }

  /** Walks this scope and its ancestors, nearest first. */
  * lineage (): Generator<Scope> {
    let scope: Scope | null = this
    while (scope !== null) {
      yield scope
      scope = scope.parent
    }
  }

  /** The request-id function in force here: this scope's `setGenReqId`, else its nearest ancestor's. */
  genReqIdOf (): GenReqId {
    for (const scope of this.lineage()) {
      if (scope.genReqId !== undefined) return scope.genReqId
    }
    /* c8 ignore next: the root scope always has one */
    throw new Error('no genReqId')
  }

  /** The child-logger factory in force here, null for Velox's default. */
  childLoggerFactoryOf (): ChildLoggerFactory | null {
    for (const scope of this.lineage()) {
      if (scope.childLoggerFactory !== undefined) return scope.childLoggerFactory
    }
    return null
  }

  findRequestDecorator (name: string | symbol): DecoratorEntry | undefined {
    for (const scope of this.lineage()) {
      const entry = scope.requestDecorators.get(name)
      if (entry !== undefined) return entry
    }
    return undefined
  }

  findReplyDecorator (name: string | symbol): DecoratorEntry | undefined {
    for (const scope of this.lineage()) {
      const entry = scope.replyDecorators.get(name)
      if (entry !== undefined) return entry
    }
    return undefined
  }
}
