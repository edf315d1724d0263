// ESM side of redirect.cjs: `import ... from 'fastify'` gets the same package as require().
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const { resolveFastify } = createRequire(import.meta.url)('./redirect-target.cjs')

export async function resolve (specifier, context, nextResolve) {
  if (specifier === 'fastify' || specifier.startsWith('fastify/')) {
    return nextResolve(pathToFileURL(resolveFastify(specifier)).href, context)
  }
  return nextResolve(specifier, context)
}
