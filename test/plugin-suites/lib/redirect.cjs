'use strict'
// Preloaded (NODE_OPTIONS=--require) into every process of a plugin's test run, including the
// ones its test runner and its tests spawn. `fastify` itself is the stand-in installed in the
// plugin's node_modules (fastify-dispatch.cjs); `fastify/...` subpaths name Fastify's internal
// files (`fastify/lib/symbols`), which only real Fastify has: they resolve to real Fastify's
// (VELOX_SUITE_FASTIFY_FILES) in both runs, and the tests that depend on them are listed in
// exclusions.json.

const Module = require('node:module')
const { join } = require('node:path')

const files = process.env.VELOX_SUITE_FASTIFY_FILES
if (files) {
  const resolveFilename = Module._resolveFilename
  Module._resolveFilename = function resolveFastifyFile (request, parent, isMain, options) {
    if (typeof request === 'string' && request.startsWith('fastify/')) {
      return resolveFilename.call(this, join(files, request.slice('fastify/'.length)), parent, isMain, options)
    }
    return resolveFilename.call(this, request, parent, isMain, options)
  }
}
