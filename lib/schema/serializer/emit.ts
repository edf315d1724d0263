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

/**
 * Appends constant JSON text. JSON text holds no raw control character (JSON.stringify escapes
 * them), so it goes into the marked line as it is.
 */
export function text (value: string): string {
  return `${MARK}T${value}\n`
}

/**
 * Appends `expr` (a variable name, or for `text` any expression whose value is JSON text)
 * serialized as `kind`.
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
    case 'string': return `pos = typeof ${x} === 'string' ? R.wString(pos, ${x}) : R.wRaw(pos, R.coerceString(${x}))`
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
  return mode === 'string' ? renderString(body) : renderBytes(body, constants)
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
    if (op === 'L' && fields[0] === 'string') {
      // A string's quotes join the constant text around it: one piece fewer on each side.
      literal = (literal ?? '') + '"'
      pushLiteral()
      parts.push(stringLeaf('string', fields[1]))
      literal = '"'
      continue
    }
    pushLiteral()
    if (op === 'L') parts.push(stringLeaf(fields[0] as LeafKind, fields[1]))
    else if (op === 'F') parts.push(`${fields[0]}(${fields[1]})`)
    else if (op === 'C') parts.push(`(${fields[0]} ? ${JSON.stringify(fields[1])} : (${fields[0]} = true, ${JSON.stringify(fields[2])}))`)
  }
  flush()
  return out.join('\n')
}

function renderBytes (body: string, constants: Constants): string {
  const out: string[] = []
  let literal: string | null = null
  const writeText = (value: string): string => {
    const fn = isAscii(value) ? 'wText' : 'wTextWide'
    return `R.${fn}(pos, ${constants.bytes(value)})`
  }
  const flush = (): void => {
    if (literal !== null && literal !== '') out.push(`pos = ${writeText(literal)}`)
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
      out.push(`return ${writeText(literal)}`)
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
