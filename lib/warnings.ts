/**
 * The process warnings Velox emits where Fastify emits them, with Fastify's names and codes, so
 * `process.on('warning')` handlers and `--no-deprecation` keep working. Each is emitted every
 * time, as Fastify's `unlimited` warnings are.
 */
import { format } from 'node:util'

const warnings = {
  FSTDEP025: {
    name: 'FastifyDeprecation',
    message: 'Calling addHttpMethod for existing method "%s" without { overrideExisting: true } is deprecated. In Fastify v6, this will throw an error.'
  }
} as const

export type WarningCode = keyof typeof warnings

export function emitWarning (code: WarningCode, ...args: unknown[]): void {
  const { name, message } = warnings[code]
  process.emitWarning(format(message, ...args), { type: name, code })
}
