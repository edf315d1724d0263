'use strict'
// Copied by the plugin-suites runner into each installed plugin as node_modules/fastify/index.js:
// `require('fastify')` and `import 'fastify'`, from the plugin, its tests and its dependencies,
// load the framework this run is for (VELOX_SUITE_FASTIFY: real Fastify's folder or Velox's
// fastify-shim/). The named exports are assigned one by one so that `import { fastify } from
// 'fastify'` finds them.

const target = process.env.VELOX_SUITE_FASTIFY
if (!target) throw new Error('This fastify stand-in is only for `npm run test:plugins` runs (VELOX_SUITE_FASTIFY is not set)')
const framework = require(target)

module.exports = framework
module.exports.fastify = framework.fastify
module.exports.default = framework.default
module.exports.errorCodes = framework.errorCodes
