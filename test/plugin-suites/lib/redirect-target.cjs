'use strict'
// The one rule both module systems follow: which file a `fastify` specifier means in this run.

const { join } = require('node:path')

/**
 * @param {string} specifier what the code asked for
 * @returns {string | undefined} an absolute path to load instead, or undefined to leave it alone
 */
function resolveFastify (specifier) {
  if (specifier === 'fastify') return require.resolve(process.env.VELOX_SUITE_FASTIFY)
  if (specifier.startsWith('fastify/')) {
    return require.resolve(join(process.env.VELOX_SUITE_FASTIFY_FILES, specifier.slice('fastify/'.length)))
  }
  return undefined
}

module.exports = { resolveFastify }
