'use strict'
// What `require('fastify')` returns while a plugin's suite runs against Velox: Velox's built
// entry (ESM, loaded through Node's require(esm)) in the shape of Fastify's CommonJS export, a
// callable factory that is also its own `fastify` and `default` property, with `errorCodes`.

// VELOX_SUITE_VELOX_ROOT runs the suites against another checkout of Velox (to compare with main).
const velox = require(process.env.VELOX_SUITE_VELOX_ROOT || '../../..')

function fastify (options) {
  return velox.default(options)
}

module.exports = fastify
module.exports.fastify = fastify
module.exports.default = fastify
module.exports.errorCodes = velox.errorCodes
