'use strict'
// Stands in for fast-json-stringify's main module while its test suite runs (see run.js): the
// same build(schema, options) signature, backed by Velox's serializer compiler, which
// preload.mjs put on globalThis (the compiler is ESM, the suite CommonJS).
const velox = globalThis[Symbol.for('velox.fjs-suite')]

function build (schema, options) {
  options = { ...options }
  if (process.env.VELOX_FJS_SUITE_BULK !== undefined) {
    options.bulkArrayLength = Number(process.env.VELOX_FJS_SUITE_BULK)
    options.bulkObjectFields = Number(process.env.VELOX_FJS_SUITE_BULK)
  }
  if (options.mode === 'standalone') {
    // A module exporting the serializer, as fast-json-stringify's standalone output does.
    return "'use strict'\nconst factory = (function () {\nconst module = { exports: {} }\n" +
      velox.serializerSource(schema, options) +
      "\nreturn module.exports\n})()\nmodule.exports = factory(globalThis[Symbol.for('velox.fjs-suite')].runtime)\n"
  }
  if (options.mode === 'debug') {
    // fast-json-stringify returns its generated code and internals; the suite's uses of them are exclusions.
    return { code: velox.serializerSource(schema, options) }
  }
  return velox.compileSerializer(schema, options)
}

module.exports = build
module.exports.default = build
module.exports.build = build
module.exports.validLargeArrayMechanisms = new Set(['default', 'json-stringify'])
module.exports.restore = function restore () {
  throw new Error('restore() works on fast-json-stringify\'s debug output only')
}
