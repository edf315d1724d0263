/**
 * Translation of find-my-way route URLs into OpenAPI path templates.
 *
 * find-my-way syntax (v9), as its parser reads it:
 * - `:name` is a parameter; the name ends at `/`, `-`, `.`, `(` or the end of the URL, so
 *   `/:from-:to` and `/:file.:ext` hold two parameters each;
 * - `:name(regex)` restricts the parameter with a regular expression (balanced parentheses,
 *   `\` escapes the next character);
 * - `::` is a literal colon;
 * - `*` is the wildcard: the rest of the URL, slashes included, as the `*` parameter;
 * - a last parameter followed by `?` is optional: the route matches with and without it.
 */

export interface PathParameter {
  /** Name in the OpenAPI template: the router name, except `wildcard` for `*`. */
  name: string
  /** Name in the router and in the `params` schema (`*` for the wildcard). */
  routerName: string
  /** A pattern for the parameter schema when the URL restricts it with a regex. */
  pattern?: string
  wildcard: boolean
}

export interface TranslatedPath {
  /** The OpenAPI template, e.g. `/users/{id}`. */
  path: string
  /** Path parameters in URL order. */
  parameters: PathParameter[]
  /** `true` for the variant of an optional-parameter URL without that parameter. */
  withoutOptional: boolean
}

/** The OpenAPI name of find-my-way's `*` parameter. */
export const WILDCARD_NAME = 'wildcard'

// A last parameter marked optional, as in `/a/:id?` or `/a/:id?/`.
const OPTIONAL_LAST_PARAMETER = /\/:([^/()?]+)\?(\/?)$/

/**
 * Translates one route URL. An URL ending with an optional parameter gives two paths, the
 * full one first, because OpenAPI path parameters are always required.
 *
 * @example
 * translatePath('/users/:id(^\\d+)')
 * // [{ path: '/users/{id}', parameters: [{ name: 'id', routerName: 'id', pattern: '^\\d+$', wildcard: false }], withoutOptional: false }]
 */
export function translatePath (url: string): TranslatedPath[] {
  const optional = OPTIONAL_LAST_PARAMETER.exec(url)
  if (optional === null) return [translateOne(url, false)]
  const before = url.slice(0, optional.index)
  const full = `${before}/:${optional[1]}${optional[2]}`
  const short = `${before}${optional[2]}`
  return [translateOne(full, false), translateOne(short === '' ? '/' : short, true)]
}

function translateOne (url: string, withoutOptional: boolean): TranslatedPath {
  const parameters: PathParameter[] = []
  let path = ''
  let i = 0
  while (i < url.length) {
    const char = url[i]
    if (char === ':' && url[i + 1] === ':') {
      path += ':'
      i += 2
    } else if (char === ':') {
      let end = i + 1
      while (end < url.length && !'/-.('.includes(url[end])) end++
      const name = url.slice(i + 1, end)
      let pattern: string | undefined
      if (url[end] === '(') {
        const close = closingParenthesis(url, end)
        pattern = anchoredPattern(url.slice(end + 1, close))
        end = close + 1
      }
      parameters.push(pattern === undefined
        ? { name, routerName: name, wildcard: false }
        : { name, routerName: name, pattern, wildcard: false })
      path += `{${name}}`
      i = end
    } else if (char === '*') {
      parameters.push({ name: WILDCARD_NAME, routerName: '*', wildcard: true })
      path += `{${WILDCARD_NAME}}`
      i++
    } else {
      path += char
      i++
    }
  }
  // The catch-all route `*` has no leading slash; OpenAPI paths need one.
  if (!path.startsWith('/')) path = `/${path}`
  return { path, parameters, withoutOptional }
}

function closingParenthesis (url: string, open: number): number {
  let depth = 0
  for (let i = open; i < url.length; i++) {
    const char = url[i]
    if (char === '\\') {
      i++
    } else if (char === '(') {
      depth++
    } else if (char === ')') {
      depth--
      if (depth === 0) return i
    }
  }
  // find-my-way rejects such a URL at registration; read the rest as the regex all the same.
  return url.length
}

/**
 * find-my-way anchors a parameter's regex to the whole parameter value (it strips `^` and `$`
 * and anchors the node), while an OpenAPI `pattern` is unanchored: anchor it explicitly.
 */
function anchoredPattern (regex: string): string {
  let body = regex
  if (body.startsWith('^')) body = body.slice(1)
  if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1)
  // Alternation binds looser than the anchors: `^a|b$` would not anchor both branches.
  if (body.includes('|')) body = `(?:${body})`
  return `^${body}$`
}
