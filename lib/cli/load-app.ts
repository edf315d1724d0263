/**
 * Loading the app a command works on: the module's default export, an export
 * named `app`, or a function (sync or async) returning either. TypeScript
 * modules load on Node versions that strip types; elsewhere the error says
 * what to do instead of Node's `Unknown file extension ".ts"`.
 */
import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { OpenApiDocument } from '../openapi/types.js'

/** The part of an app the commands use: Velox's (and Fastify's) public API. */
export interface LoadedApp {
  ready: () => PromiseLike<unknown>
  close: () => PromiseLike<unknown>
  listen: (opts: Record<string, unknown>) => Promise<string>
  openapi: (options?: Record<string, unknown>) => OpenApiDocument
  printRoutes: (opts?: Record<string, unknown>) => string
  log: { info: (...args: any[]) => void, error: (...args: any[]) => void, warn: (...args: any[]) => void }
  server: any
}

/** An error whose message is the whole story: printed as is, without a stack. */
export class AppLoadError extends Error {
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AppLoadError'
  }
}

const typeScriptExtensions = new Set(['.ts', '.mts', '.cts'])

export function isTypeScript (modulePath: string): boolean {
  return typeScriptExtensions.has(extname(modulePath))
}

/**
 * How this Node loads `.ts` files: 'on' (types are stripped: Node >= 23.6, or
 * 22.6+ started with the flag, or a loader such as tsx registered), 'flag'
 * (Node 22.6 - 23.5: possible with --experimental-strip-types), 'none' (older Node).
 */
export function typeScriptSupport (version = process.versions.node, features: { typescript?: unknown } = process.features as { typescript?: unknown }, execArgv = process.execArgv): 'on' | 'flag' | 'none' {
  if (features.typescript === 'strip' || features.typescript === 'transform') return 'on'
  if (execArgv.some((arg) => arg === '--experimental-strip-types' || arg === '--experimental-transform-types')) return 'on'
  const [major, minor] = version.split('.').map(Number)
  if (major > 23 || (major === 23 && minor >= 6)) return 'on'
  if (major > 22 || (major === 22 && minor >= 6)) return 'flag'
  return 'none'
}

function typeScriptAdvice (modulePath: string): string {
  return `${modulePath} is TypeScript, and Node.js ${process.versions.node} cannot load .ts files by itself.\n` +
    'Either:\n' +
    '  - use Node.js >= 23.6 (or 22.6 - 23.5, where velox adds --experimental-strip-types for you);\n' +
    `  - run through a loader: node --import tsx ./node_modules/velox/dist/cli.js <command> ${modulePath}\n` +
    '    (npm install -D tsx);\n' +
    '  - or compile first (npx tsc) and give velox the .js file it writes.'
}

function isApp (value: unknown): value is LoadedApp {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { ready?: unknown }).ready === 'function' &&
    typeof (value as { listen?: unknown }).listen === 'function' &&
    typeof (value as { close?: unknown }).close === 'function'
}

/**
 * Imports `modulePath` (relative to the working directory) and returns its app.
 * A factory export is called with `factoryOptions` (velox options the command
 * suggests, such as a logger for `velox start`).
 */
export async function loadApp (modulePath: string, factoryOptions?: Record<string, unknown>): Promise<LoadedApp> {
  const file = resolve(process.cwd(), modulePath)
  if (!existsSync(file)) throw new AppLoadError(`${modulePath}: no such file (looked in ${process.cwd()})`)
  if (isTypeScript(file) && typeScriptSupport() === 'none' && !hasLoader()) throw new AppLoadError(typeScriptAdvice(modulePath))
  let mod: Record<string, unknown>
  try {
    mod = await import(pathToFileURL(file).href) as Record<string, unknown>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION' && isTypeScript(file)) {
      throw new AppLoadError(typeScriptAdvice(modulePath), { cause: err })
    }
    throw err
  }
  for (const candidate of [mod.default, mod.app]) {
    if (isApp(candidate)) return candidate
    if (typeof candidate === 'function') {
      const built = await (candidate as (opts?: Record<string, unknown>) => unknown)(factoryOptions)
      if (isApp(built)) return built
    }
  }
  throw new AppLoadError(`${modulePath} exports no Velox app: export it as default or as "app", or export a function that returns it`)
}

/** A loader given with --import/--loader/--require (tsx, ts-node...) may handle .ts itself. */
function hasLoader (): boolean {
  return process.execArgv.some((arg) => /^--(import|loader|experimental-loader|require)\b|^-r$/.test(arg))
}

/** Loads the app, boots it with ready() (no listening), runs `fn`, and closes the app whatever happens. */
export async function withReadyApp<T> (modulePath: string, fn: (app: LoadedApp) => T | Promise<T>): Promise<T> {
  const app = await loadApp(modulePath)
  try {
    await app.ready()
    return await fn(app)
  } finally {
    await app.close()
  }
}
