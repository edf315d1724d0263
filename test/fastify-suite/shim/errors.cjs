'use strict'
// Fastify's tests import lib/errors.js for the error constructors behind the public
// `fastify.errorCodes`; under Velox they are Velox's own `errorCodes`.
module.exports = { ...require(__VELOX_DIST__).errorCodes }
