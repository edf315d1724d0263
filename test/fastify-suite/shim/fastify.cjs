'use strict'
// Fastify's CommonJS entry point, answered by Velox. Velox is an ES module; Node >= 20.19 loads it
// with require(). Exported in the shapes Fastify's own entry documents: the factory itself,
// `.fastify`, `.default`, and the named exports (`errorCodes`, ...).
const velox = require(__VELOX_DIST__)

function fastify (options) {
  return velox.default(options)
}

for (const [name, value] of Object.entries(velox)) {
  if (name !== 'default' && name !== '__esModule') fastify[name] = value
}
module.exports = fastify
// Written out so that Node's CommonJS export detection (cjs-module-lexer) offers them as named
// exports to ES modules (`import { fastify, errorCodes } from 'fastify'`), as Fastify's entry does.
module.exports.fastify = fastify
module.exports.default = fastify
module.exports.errorCodes = velox.errorCodes
