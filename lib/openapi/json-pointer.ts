/**
 * JSON Pointers (RFC 6901) as they appear in `$ref` fragments: `~0` is `~`, `~1` is `/`, and
 * in a URI fragment characters outside its grammar (RFC 3986, section 3.5) are percent-encoded.
 */

// pchar / "/" / "?" of RFC 3986, plus the percent sign of an escape already in place.
const FRAGMENT_SAFE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu

/** One reference token, escaped for use in a URI fragment. */
export function encodePointerToken (token: string): string {
  return token
    .replace(/~/g, '~0')
    .replace(/\//g, '~1')
    .replace(FRAGMENT_SAFE, function percentEncode (char) { return encodeURIComponent(char) })
}

/**
 * Follows a fragment pointer (`/properties/address`, or `` for the root) from `root`.
 * Returns `undefined` when the pointer leads nowhere.
 */
export function resolvePointer (root: unknown, pointer: string): unknown {
  if (pointer === '') return root
  let node = root
  for (const raw of pointer.slice(1).split('/')) {
    let token: string
    try {
      token = decodeURIComponent(raw)
    } catch {
      token = raw
    }
    token = token.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined
      node = node[Number(token)]
    } else if (typeof node === 'object' && node !== null && Object.hasOwn(node, token)) {
      node = (node as Record<string, unknown>)[token]
    } else {
      return undefined
    }
  }
  return node
}
