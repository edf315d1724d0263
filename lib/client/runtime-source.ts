/**
 * The source of the client runtime (client.ts beside this file) that `velox
 * client` copies into the modules it writes. Read from the file here, in the
 * repository and the test build; the package's bundle (scripts/bundle.js)
 * replaces this module with the text itself, since lib/ is not shipped.
 */
import { readFileSync } from 'node:fs'

/** client.ts as it is, TypeScript and comments included. */
export function clientRuntimeSource (): string {
  return readFileSync(new URL('./client.ts', import.meta.url), 'utf8')
}
