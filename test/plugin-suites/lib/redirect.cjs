'use strict'
// Preloaded (NODE_OPTIONS=--require) into every process of a plugin's test run, including the
// ones its test runner and its tests spawn: `fastify` resolves to the package named by
// VELOX_SUITE_FASTIFY (real Fastify or the Velox shim), for require() here and for import
// through the ESM hook registered below. Subpaths (`fastify/lib/symbols`) are Fastify's internal
// files and resolve to real Fastify's (VELOX_SUITE_FASTIFY_FILES); tests that depend on them are
// listed in exclusions.json.

const Module = require('node:module')
const { pathToFileURL } = require('node:url')
const { resolveFastify } = require('./redirect-target.cjs')

// Worker threads share the main thread's module hooks; only the main thread registers them.
if (process.env.VELOX_SUITE_FASTIFY && require('node:worker_threads').isMainThread) {
  const resolveFilename = Module._resolveFilename
  Module._resolveFilename = function resolveFastifyFilename (request, parent, isMain, options) {
    const redirected = resolveFastify(request)
    return resolveFilename.call(this, redirected ?? request, parent, isMain, options)
  }
  Module.register('./redirect-hooks.mjs', pathToFileURL(__filename))
}
