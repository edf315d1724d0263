'use strict'
// Fastify's internal __CLASS__ class (lib/__MODULE__.js). Its tests only use it to check that an
// object handed to them (a diagnostics_channel message, a hook argument) is the framework's
// __MODULE__; constructing one directly is Fastify internals and not supported. Velox's bundle does
// not export its classes, so `instanceof` answers for an object whose base class (the last one
// before Object, below the per-scope decorator subclasses) is Velox's __CLASS__ and that wraps a
// raw Node object, as every Velox __MODULE__ does.
function __CLASS__ () {
  throw new Error("Fastify's internal __CLASS__ constructor is not part of Velox")
}

function baseClassName (value) {
  let proto = Object.getPrototypeOf(value)
  while (proto !== null && Object.getPrototypeOf(proto) !== Object.prototype) proto = Object.getPrototypeOf(proto)
  return proto?.constructor?.name
}

Object.defineProperty(__CLASS__, Symbol.hasInstance, {
  value: (value) => value !== null && typeof value === 'object' && baseClassName(value) === '__CLASS__' && typeof value.raw === 'object'
})
module.exports = __CLASS__
