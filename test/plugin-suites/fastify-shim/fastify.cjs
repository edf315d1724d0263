'use strict'
// What `require('fastify')` returns while a plugin's suite runs against Velox: Velox's built
// entry (ESM, loaded through Node's require(esm)) in the shape of Fastify's CommonJS export, a
// callable factory that is also its own `fastify` and `default` property, with `errorCodes`.

const velox = require('../../../dist/lib/index.js')

function fastify (options) {
  return velox.default(options)
}

module.exports = fastify
module.exports.fastify = fastify
module.exports.default = fastify
module.exports.errorCodes = velox.errorCodes
