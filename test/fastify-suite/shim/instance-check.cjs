'use strict'
// Fastify's internal __CLASS__ class (lib/__MODULE__.js). Its tests only use it to check that an
// object handed to them (a diagnostics_channel message, a hook argument) is the framework's
// __MODULE__: `instanceof` answers that for Velox's __CLASS__; constructing one directly is Fastify
// internals and not supported.
const { __CLASS__: VeloxClass } = require(__VELOX_DIST__ + '/lifecycle/__MODULE__.js')

function __CLASS__ () {
  throw new Error("Fastify's internal __CLASS__ constructor is not part of Velox")
}
Object.defineProperty(__CLASS__, Symbol.hasInstance, { value: (value) => value instanceof VeloxClass })
module.exports = __CLASS__
