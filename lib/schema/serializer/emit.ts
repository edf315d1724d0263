/**
 * The output operations of generated code, written once and rendered for either mode.
 *
 * The generator describes what a function appends (constant text, a value of some kind, the
 * result of another generated function) as marked lines; `render` turns them into JavaScript
 * for string mode (`json += ...`, with neighbouring appends joined into one expression and
 * neighbouring constants into one literal: fewer, larger string pieces) or for byte mode
 * (`pos = R.w...(pos, ...)`, with neighbouring constants written by one call).
 *
 * Every expression handed to these functions is generated code: a variable name, or an
 * expression built from schema text passed through JSON.stringify. Request data never becomes code.
 */

export type Mode = 'string' | 'bytes'

/** How a value is turned into JSON text. */
export type LeafKind = 'string' | 'integer' | 'number' | 'boolean' | 'dateTime' | 'date' | 'time' | 'unsafe' | 'json' | 'text'

const MARK = '\u0000'
const SEP = '\u0001'
const STRING_LEAF = `${MARK}Lstring${SEP}`

/**
 * Appends constant JSON text. JSON text holds no raw control character (JSON.stringify escapes
 * them), so it goes into the marked line as it is.
 */
export function text (value: string): string {
  return `${MARK}T${value}\n`
}

/**
 * Appends `expr` (a variable name, or for `text` any expression whose value is JSON text)
 * serialized as `kind` (`string` with its quotes: `render` splits them off).
 */
export function leaf (kind: LeafKind, expr: string): string {
  return `${MARK}L${kind}${SEP}${expr}\n`
}

/** Appends what the generated function `name` writes for `expr`. */
export function call (name: string, expr: string): string {
  return `${MARK}F${name}${SEP}${expr}\n`
}

/** Appends `ifSet` when the boolean variable `flag` is true, else sets it and appends `ifUnset` (JSON text both). */
export function choice (flag: string, ifSet: string, ifUnset: string): string {
  return `${MARK}C${flag}${SEP}${ifSet}${SEP}${ifUnset}\n`
}

/** Ends the function after appending constant JSON text. */
export function returnText (value: string): string {
  return `${MARK}R${value}\n`
}

/** Ends the function after appending what `expr` (JSON text) holds; byte mode writes it. */
export function returnExpr (expr: string): string {
  return `${MARK}X${expr}\n`
}

/** The constants of one serializer: byte mode writes each distinct piece of text from one Uint8Array. */
export class Constants {
  private readonly byText = new Map<string, string>()
  readonly declarations: string[] = []

  bytes (value: string): string {
    let name = this.byText.get(value)
    if (name === undefined) {
      name = `K${this.byText.size}`
      this.byText.set(value, name)
      this.declarations.push(`const ${name} = R.bytes(${JSON.stringify(value)})`)
    }
    return name
  }
}

/** True when the text is all ASCII: written without switching the output to UTF-8 decoding. */
function isAscii (value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 127) return false
  return true
}

function stringLeaf (kind: LeafKind, x: string): string {
  switch (kind) {
    // The quotes are left to the neighbouring constants (see renderString).
    case 'string': return `(typeof ${x} === 'string' ? R.escaped(${x}) : R.coerceString(${x}).slice(1, -1))`
    case 'integer': return `(Number.isInteger(${x}) ? '' + ${x} : R.integer(${x}, round))`
    case 'number': return `(typeof ${x} === 'number' && ${x} - ${x} === 0 ? '' + ${x} : R.number(${x}))`
    case 'boolean': return `(${x} ? 'true' : 'false')`
    case 'json': return `JSON.stringify(${x})`
    case 'text': return `(${x})`
    default: return `R.${kind}(${x})`
  }
}

function bytesLeaf (kind: LeafKind, x: string): string {
  switch (kind) {
    // The quotes are left to the neighbouring constants, as in string mode.
    case 'string': return `pos = typeof ${x} === 'string' ? R.wStringBare(pos, ${x}) : R.wRaw(pos, R.coerceString(${x}).slice(1, -1))`
    case 'integer': return `pos = R.wInteger(pos, ${x}, round)`
    case 'number': return `pos = R.wNumber(pos, ${x})`
    case 'boolean': return `pos = R.wBoolean(pos, ${x})`
    case 'json': return `pos = R.wRaw(pos, JSON.stringify(${x}))`
    case 'text': return `pos = R.wRaw(pos, ${x})`
    default: return `pos = R.wRaw(pos, R.${kind}(${x}))`
  }
}

/** Renders a generated function body (marked lines and plain code) as JavaScript for `mode`. */
export function render (body: string, mode: Mode, constants: Constants): string {
  // A string leaf writes the string's text without its quotes; the quotes become constant text
  // and join the constants around them: one string piece fewer on each side in string mode,
  // two stores fewer in byte mode.
  const quoted = body.split('\n').map((line) => line.startsWith(STRING_LEAF) ? `${MARK}T"\n${line}\n${MARK}T"` : line).join('\n')
  return mode === 'string' ? renderString(quoted) : renderBytes(quoted, constants)
}

function renderString (body: string): string {
  const out: string[] = []
  /** Appends waiting to be joined into one `json += a + b + ...`. */
  let parts: string[] = []
  let literal: string | null = null
  const pushLiteral = (): void => {
    if (literal !== null) parts.push(JSON.stringify(literal))
    literal = null
  }
  const flush = (): void => {
    pushLiteral()
    if (parts.length > 0) out.push(`json += ${parts.join(' + ')}`)
    parts = []
  }
  for (const line of body.split('\n')) {
    if (line.charAt(0) !== MARK) {
      if (line.trim() !== '') {
        flush()
        out.push(line)
      }
      continue
    }
    const op = line.charAt(1)
    const rest = line.slice(2)
    if (op === 'T') {
      literal = (literal ?? '') + rest
      continue
    }
    if (op === 'R') {
      literal = (literal ?? '') + rest
      pushLiteral()
      out.push(`return ${['json', ...parts].join(' + ')}`)
      parts = []
      continue
    }
    if (op === 'X') {
      pushLiteral()
      out.push(`return ${['json', ...parts, `(${rest})`].join(' + ')}`)
      parts = []
      continue
    }
    const fields = rest.split(SEP)
    pushLiteral()
    if (op === 'L') parts.push(stringLeaf(fields[0] as LeafKind, fields[1]))
    else if (op === 'F') parts.push(`${fields[0]}(${fields[1]})`)
    else if (op === 'C') parts.push(`(${fields[0]} ? ${JSON.stringify(fields[1])} : (${fields[0]} = true, ${JSON.stringify(fields[2])}))`)
  }
  flush()
  return out.join('\n')
}

/** Constant text up to this length is written by one store per byte rather than by `wText`'s loop. */
const STORED_TEXT = 24

/**
 * Statements that store short ASCII constant text into the buffer byte by byte, each byte an
 * immediate: measured about 10-25 % faster on byte-mode shapes than `wText` copying from a
 * Uint8Array (Node 20 and 24). Null for longer or non-ASCII text, which `wText` writes.
 */
function storeText (value: string): string | null {
  if (value.length > STORED_TEXT || !isAscii(value)) return null
  let code = `b = R.room(pos, ${value.length})\n`
  for (let i = 0; i < value.length; i++) code += `b[pos${i === 0 ? '' : ` + ${i}`}] = ${value.charCodeAt(i)}\n`
  return code + `pos += ${value.length}`
}

function renderBytes (body: string, constants: Constants): string {
  const out: string[] = []
  let literal: string | null = null
  const writeText = (value: string): string => {
    const fn = isAscii(value) ? 'wText' : 'wTextWide'
    return `R.${fn}(pos, ${constants.bytes(value)})`
  }
  const flush = (): void => {
    if (literal !== null && literal !== '') out.push(storeText(literal) ?? `pos = ${writeText(literal)}`)
    literal = null
  }
  for (const line of body.split('\n')) {
    if (line.charAt(0) !== MARK) {
      if (line.trim() !== '') {
        flush()
        out.push(line)
      }
      continue
    }
    const op = line.charAt(1)
    const rest = line.slice(2)
    if (op === 'T') {
      literal = (literal ?? '') + rest
      continue
    }
    if (op === 'R') {
      literal = (literal ?? '') + rest
      const stored = storeText(literal)
      out.push(stored !== null ? `${stored}\nreturn pos` : `return ${writeText(literal)}`)
      literal = null
      continue
    }
    flush()
    const fields = rest.split(SEP)
    if (op === 'X') {
      out.push(`return R.wRaw(pos, ${rest})`)
    } else if (op === 'L') {
      out.push(bytesLeaf(fields[0] as LeafKind, fields[1]))
    } else if (op === 'F') {
      out.push(`pos = ${fields[0]}_b(${fields[1]}, pos)`)
    } else if (op === 'C') {
      const ifSet = fields[1]
      const ifUnset = fields[2]
      const fn = isAscii(ifSet) && isAscii(ifUnset) ? 'wText' : 'wTextWide'
      out.push(`pos = R.${fn}(pos, ${fields[0]} ? ${constants.bytes(ifSet)} : (${fields[0]} = true, ${constants.bytes(ifUnset)}))`)
    }
  }
  flush()
  return out.join('\n')
}
