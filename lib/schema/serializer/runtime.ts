/**
 * What compiled serializers call at run time.
 *
 * Two ways to produce the JSON text, picked per array by the generated code:
 * - string mode, for small values: each helper returns a piece of JSON text and the generated
 *   code concatenates them (V8 keeps small concatenations cheap);
 * - byte mode, for arrays long enough to pay for it: the generated code threads a write position
 *   through `w*` helpers that write UTF-8 straight into one reused buffer, and `bulk()` turns the
 *   bytes into one flat string. This avoids the thousand-piece string that `+=` builds for a
 *   large array, which V8 must allocate piece by piece and then flatten when it is written out.
 *
 * Every helper produces exactly fast-json-stringify's text for the same value, coercions and
 * error messages included. A string's JSON text is always `JSON.stringify(string)`: the fast
 * paths below only skip the call when nothing needs escaping.
 */

/**
 * A string that JSON.stringify writes as it is, between quotes: no control character, `"`, `\`
 * or surrogate (a paired surrogate is written unescaped too, but checking pairs is left to
 * JSON.stringify). Asked as "is every character safe" rather than "find one unsafe character",
 * the RegExp runs as one loop over the string instead of a search restarted at each index: about
 * twice as fast as JSON.stringify escapes the same string, on V8 11 (Node 20) and 13 (Node 24)
 * alike (measured on strings of 40 to 2,000 characters).
 */
const ALL_SAFE = /^[\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]*$/

/**
 * Strings shorter than this are scanned in JavaScript; longer ones by the RegExp, whose call
 * costs more than a loop over a few characters (same speed at about 16 characters on Node 20,
 * 24 on Node 24).
 */
const SHORT_STRING = 24

/**
 * Strings of this length and up to SCAN_BYTES are scanned 16 characters at a time by
 * WebAssembly SIMD: 2,000 ASCII characters in 0.2-0.3 us, where the RegExp takes 1.4-1.6 us and
 * JSON.stringify 2.4-3.9 us (Node 24 and 20). Below about 64 characters the RegExp is as fast.
 */
const SCAN_MIN = 64

/**
 * The scanner's module, assembled (wat2wasm from wabt) from this text:
 *
 *   (module
 *     (memory (export "memory") 1)
 *     ;; for the first n bytes (n >= 16): 1 when one is below 0x20 or is 0x22 or 0x5c,
 *     ;; plus 2 when one is 0x80 or above
 *     (func (export "check") (param $n i32) (result i32)
 *       (local $i i32) (local $v v128) (local $unsafe v128) (local $high v128)
 *       (loop $chunks
 *         (local.set $v (v128.load (local.get $i)))
 *         (local.set $unsafe (v128.or (local.get $unsafe) UNSAFE))
 *         (local.set $high (v128.or (local.get $high) (local.get $v)))
 *         (local.set $i (i32.add (local.get $i) (i32.const 16)))
 *         (br_if $chunks (i32.le_u (local.get $i) (i32.sub (local.get $n) (i32.const 16)))))
 *       ;; the last 16 bytes, overlapping the chunks already read
 *       (local.set $v (v128.load (i32.sub (local.get $n) (i32.const 16))))
 *       (local.set $unsafe (v128.or (local.get $unsafe) UNSAFE))
 *       (local.set $high (v128.or (local.get $high) (local.get $v)))
 *       (i32.or (v128.any_true (local.get $unsafe))
 *         (i32.shl (i32.ne (i8x16.bitmask (local.get $high)) (i32.const 0)) (i32.const 1)))))
 *
 * where UNSAFE, the lanes of $v below 0x20 or equal to 0x22 or 0x5c, is
 *
 *   (v128.or (i8x16.lt_u (local.get $v) (v128.const i8x16 32 ... 32))
 *     (v128.or (i8x16.eq (local.get $v) (v128.const i8x16 34 ... 34))
 *              (i8x16.eq (local.get $v) (v128.const i8x16 92 ... 92))))
 */
const SCANNER = 'AGFzbQEAAAABBgFgAX8BfwMCAQAFAwEAAQcSAgZtZW1vcnkCAAVjaGVjawAACucBAeQBAgF/A3sDQCAB/QAEACECIAMgAv0MICAgICAgICAgICAgICAgIP0mIAL9DCIiIiIiIiIiIiIiIiIiIiL9IyAC/QxcXFxcXFxcXFxcXFxcXFxc/SP9UP1Q/VAhAyAEIAL9UCEEIAFBEGohASABIABBEGtNDQALIABBEGv9AAQAIQIgAyAC/QwgICAgICAgICAgICAgICAg/SYgAv0MIiIiIiIiIiIiIiIiIiIiIv0jIAL9DFxcXFxcXFxcXFxcXFxcXFz9I/1Q/VD9UCEDIAQgAv1QIQQgA/1TIAT9ZEEAR0EBdHIL'

/** What the scanner's `check` returns: bit 0, a byte JSON escapes; bit 1, a byte of 0x80 or above. */
const UNSAFE_BYTE = 1
const HIGH_BYTE = 2

/** One page of WebAssembly memory: strings up to this many characters are scanned there. */
const SCAN_BYTES = 64 * 1024
/** Strings up to this many characters fit in it as UTF-8 (three bytes a UTF-16 unit at most). */
const SCAN_UTF8 = Math.floor(SCAN_BYTES / 3)

/** The scanner: undefined until a long string needs it, null where WebAssembly is unavailable. */
let scanner: Scanner | null | undefined

interface Scanner {
  /** The module's memory, as a Buffer to write strings into. */
  memory: SlicingBuffer
  /** UNSAFE_BYTE and HIGH_BYTE for the first `n` bytes of `memory` (n >= 16). */
  check: (n: number) => number
}

/**
 * The WebAssembly API this file uses; the project's type libraries (Node's, ES2022) leave the
 * WebAssembly namespace out.
 */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }, check: (n: number) => number } }
}

function loadScanner (): Scanner | null {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
  /* c8 ignore start: taken in child processes (test/serializer-compiler.test.ts), whose coverage is not recorded */
  // `node --jitless` (and Node 20's `--no-expose-wasm`) has no WebAssembly: the RegExp scans every string.
  if (wasm === undefined) return null
  try {
    /* c8 ignore stop */
    const { exports } = new wasm.Instance(new wasm.Module(Buffer.from(SCANNER, 'base64')))
    // The memory never grows, so the view stays attached.
    return { memory: Buffer.from(exports.memory.buffer) as SlicingBuffer, check: exports.check }
    /* c8 ignore start */
  } catch {
    // A CPU without the instructions WebAssembly SIMD needs (SSE4.1 on x64) rejects the module,
    // as does `--disallow-code-generation-from-strings`.
    return null
  }
  /* c8 ignore stop */
}

/** String.prototype.isWellFormed (ES2024, in Node 20 and later): false when `s` holds a lone surrogate. */
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed

/** The scanner, loaded on first use; null where WebAssembly SIMD is unavailable. */
function getScanner (): Scanner | null {
  return scanner === undefined ? (scanner = loadScanner()) : scanner
}

/**
 * True when `s` (at least SHORT_STRING characters) needs no escaping. The scanner reads the
 * string written as Latin-1: a character above U+00FF keeps only its low byte, which can look
 * unsafe (JSON.stringify then decides, and finds nothing to escape) but never hides an unsafe
 * character, since every character JSON escapes is below U+0100 except lone surrogates, which
 * isWellFormed finds.
 */
function isSafe (s: string): boolean {
  const n = s.length
  if (n >= SCAN_MIN && n <= SCAN_BYTES) {
    const scan = getScanner()
    if (scan !== null) {
      scan.memory.latin1Write(s, 0)
      return (scan.check(n) & UNSAFE_BYTE) === 0 && isWellFormed.call(s)
    }
  }
  return ALL_SAFE.test(s)
}

/** A long string's JSON text. */
function quoteLong (s: string): string {
  return isSafe(s) ? '"' + s + '"' : JSON.stringify(s)
}

/** A string's JSON text: `JSON.stringify(s)`, without the call when nothing needs escaping. */
export function quote (s: string): string {
  const n = s.length
  if (n >= SHORT_STRING) return quoteLong(s)
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s)
  }
  return '"' + s + '"'
}

/** A string's JSON text without its quotes: the string itself when nothing needs escaping. */
export function escaped (s: string): string {
  const n = s.length
  if (n >= SHORT_STRING) return isSafe(s) ? s : JSON.stringify(s).slice(1, -1)
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s).slice(1, -1)
  }
  return s
}

/** The JSON text of a value that is not a string under `type: 'string'`: fast-json-stringify's coercions. */
export function coerceString (value: any): string {
  if (value === null) return '""'
  if (value instanceof Date) return '"' + value.toISOString() + '"'
  if (value instanceof RegExp) return quote(value.source)
  return quote(value.toString())
}

/** `type: 'integer'`: integers as they are, bigints in full, other values through the rounding function. */
export function integer (value: any, round: (n: number) => number): string {
  if (Number.isInteger(value)) return '' + value
  if (typeof value === 'bigint') return value.toString()
  const rounded = round(value)
  // eslint-disable-next-line no-self-compare -- NaN is the one value unequal to itself
  if (rounded === Infinity || rounded === -Infinity || rounded !== rounded) {
    throw new Error(`The value "${value}" cannot be converted to an integer.`)
  }
  return '' + rounded
}

/** `type: 'number'`: anything `Number()` accepts; infinities are `null`, NaN is an error. */
export function number (value: any): string {
  const n = Number(value)
  // eslint-disable-next-line no-self-compare -- NaN is the one value unequal to itself
  if (n !== n) throw new Error(`The value "${value}" cannot be converted to a number.`)
  if (n === Infinity || n === -Infinity) return 'null'
  return '' + n
}

const TWO_DIGITS: string[] = []
for (let i = 0; i < 100; i++) TWO_DIGITS.push((i < 10 ? '0' : '') + i)

/** A year as four digits, or null outside 0-9999 (written with toISOString's `+YYYYYY` form instead). */
function fourDigitYear (year: number): string | null {
  if (year >= 1000) return year <= 9999 ? '' + year : null
  if (year >= 100) return '0' + year
  if (year >= 10) return '00' + year
  if (year >= 0) return '000' + year
  return null
}

/** `format: 'date-time'`: a Date in UTC ISO form, a string as given (escaped). */
export function dateTime (value: any): string {
  if (value === null) return '""'
  if (value instanceof Date) {
    const year = fourDigitYear(value.getUTCFullYear())
    if (year === null) return '"' + value.toISOString() + '"'
    const ms = value.getUTCMilliseconds()
    return '"' + year + '-' + TWO_DIGITS[value.getUTCMonth() + 1] + '-' + TWO_DIGITS[value.getUTCDate()] +
      'T' + TWO_DIGITS[value.getUTCHours()] + ':' + TWO_DIGITS[value.getUTCMinutes()] + ':' +
      TWO_DIGITS[value.getUTCSeconds()] + '.' + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms + 'Z"'
  }
  if (typeof value === 'string') return quote(value)
  throw new Error(`The value "${value}" cannot be converted to a date-time.`)
}

/** A Date shifted by its time-zone offset, so toISOString() shows local time. */
function localIso (value: Date): string {
  return new Date(value.getTime() - value.getTimezoneOffset() * 60000).toISOString()
}

/** `format: 'date'`: a Date's local calendar date. */
export function date (value: any): string {
  if (value === null) return '""'
  if (value instanceof Date) {
    const year = fourDigitYear(value.getFullYear())
    if (year === null) return '"' + localIso(value).slice(0, 10) + '"'
    return '"' + year + '-' + TWO_DIGITS[value.getMonth() + 1] + '-' + TWO_DIGITS[value.getDate()] + '"'
  }
  if (typeof value === 'string') return quote(value)
  throw new Error(`The value "${value}" cannot be converted to a date.`)
}

/** `format: 'time'`: a Date's local time of day. */
export function time (value: any): string {
  if (value === null) return '""'
  if (value instanceof Date) {
    const hours = TWO_DIGITS[value.getHours()]
    // An invalid Date has NaN hours: toISOString() throws its RangeError, as fast-json-stringify's does.
    if (hours === undefined) return '"' + localIso(value).slice(11, 19) + '"'
    return '"' + hours + ':' + TWO_DIGITS[value.getMinutes()] + ':' + TWO_DIGITS[value.getSeconds()] + '"'
  }
  if (typeof value === 'string') return quote(value)
  throw new Error(`The value "${value}" cannot be converted to a time.`)
}

/** `format: 'unsafe'`: the value between quotes, unescaped (the schema author vouches for it). */
export function unsafe (value: any): string {
  return '"' + value + '"'
}

// ---------------------------------------------------------------------------------------------
// Byte mode

/** Size of the shared buffer; one that grew past SHRINK_ABOVE is dropped after its response. */
const INITIAL_SIZE = 64 * 1024
const SHRINK_ABOVE = 1024 * 1024
/**
 * Strings longer than this that need escaping go to JSON.stringify and join the output as a
 * string piece; strings of SCAN_MIN characters or more that need none are copied by wSafeLong.
 */
const LONG_STRING = 128

/**
 * Node's Buffer has these slicers and writers on its prototype (Buffer#toString and Buffer#write
 * call them, after checking their arguments); @types/node leaves them out.
 */
interface SlicingBuffer extends Buffer {
  latin1Slice: (start: number, end: number) => string
  utf8Slice: (start: number, end: number) => string
  latin1Write: (text: string, offset: number) => number
  utf8Write: (text: string, offset: number) => number
}

function allocate (size: number): SlicingBuffer {
  return Buffer.allocUnsafeSlow(size) as SlicingBuffer
}

let buf = allocate(INITIAL_SIZE)
/** True once a byte >= 0x80 was written: the bytes are then decoded as UTF-8, else as Latin-1 (faster). */
let wide = false
/** Output already turned into a string: long strings are appended here instead of copied into the buffer. */
let pending = ''
/** True while a byte-mode serialization runs: a serializer called from inside one (a toJSON, a getter) gets its own buffer. */
let busy = false

interface WriterState { buf: SlicingBuffer, wide: boolean, pending: string }

/** Makes room for `need` more bytes after `pos`. */
function grow (pos: number, need: number): void {
  let size = buf.length * 2
  while (size < pos + need) size *= 2
  const bigger = allocate(size)
  buf.copy(bigger, 0, 0, pos)
  buf = bigger
}

/** The written bytes as a string. */
function decode (pos: number): string {
  return wide ? buf.utf8Slice(0, pos) : buf.latin1Slice(0, pos)
}

/** Moves what was written so far, then `text`, into the pending string; the write position goes back to 0. */
function flush (pos: number, text: string): number {
  pending = pending + decode(pos) + text
  wide = false
  return 0
}

/**
 * Runs a byte-mode serializer from position 0 and returns its text. `fn` is the byte-mode
 * function of an array schema, `value` the array.
 */
export function bulk (fn: (value: unknown, pos: number) => number, value: unknown): string {
  let saved: WriterState | null = null
  if (busy) {
    saved = { buf, wide, pending }
    buf = allocate(4096)
  }
  busy = true
  wide = false
  pending = ''
  try {
    const end = fn(value, 0)
    const text = decode(end)
    return pending === '' ? text : pending + text
  } finally {
    pending = ''
    if (saved !== null) {
      buf = saved.buf
      wide = saved.wide
      pending = saved.pending
    } else {
      busy = false
      if (buf.length > SHRINK_ABOVE) buf = allocate(INITIAL_SIZE)
    }
  }
}

/** The bytes of a constant piece of JSON text, for `wText`. */
export function bytes (text: string): Uint8Array {
  return Buffer.from(text, 'utf8')
}

/**
 * The buffer, with room for `need` more bytes after `pos`: generated code stores short constant
 * text into it byte by byte (emit.ts), which is faster than a copy loop over the constant.
 */
export function room (pos: number, need: number): Uint8Array {
  if (pos + need > buf.length) grow(pos, need)
  return buf
}

/** Writes a constant piece of ASCII text. */
export function wText (pos: number, text: Uint8Array): number {
  const n = text.length
  if (pos + n > buf.length) grow(pos, n)
  const b = buf
  for (let i = 0; i < n; i++) b[pos + i] = text[i]
  return pos + n
}

/** Writes a constant piece of text that holds non-ASCII characters. */
export function wTextWide (pos: number, text: Uint8Array): number {
  wide = true
  return wText(pos, text)
}

const HEX = '0123456789abcdef'
/** The escape JSON.stringify writes for each control character. */
const CONTROL_ESCAPES: Uint8Array[] = []
for (let c = 0; c < 32; c++) {
  CONTROL_ESCAPES.push(Buffer.from(JSON.stringify(String.fromCharCode(c)).slice(1, -1), 'latin1'))
}

/**
 * Writes a string's JSON text without its quotes (`JSON.stringify(s)` less its first and last
 * character): the generated code writes the quotes with the constant text around the value.
 * The common case, printable ASCII with nothing to escape, is one tight loop; the first other
 * character hands the rest to `wEscaping`.
 */
export function wStringBare (pos: number, s: string): number {
  const n = s.length
  if (n >= SCAN_MIN) {
    const end = wSafeLong(pos, s)
    if (end >= 0) return end
  }
  if (n > LONG_STRING) return flush(pos, escaped(s))
  if (pos + 6 * n > buf.length) grow(pos, 6 * n)
  const b = buf
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c > 126 || c === 34 || c === 92) return wEscaping(pos + i, s, i)
    b[pos + i] = c
  }
  return pos + n
}

/**
 * Writes a string of SCAN_MIN characters or more that needs no escaping with one native write:
 * its UTF-8 bytes are written into the scanner's memory and checked there, then the string is
 * written into the output (as Latin-1 when ASCII, the faster encoder; else as UTF-8; a
 * `Buffer#copy` from the scanner's memory costs more in argument checks than it saves).
 * In UTF-8 every byte below 0x80 is an ASCII character, so the check is exact; a lone surrogate
 * is written as U+FFFD (bytes of 0x80 and above), which isWellFormed catches. Returns -1 when the
 * string needs escaping, could be longer than the scanner's memory in UTF-8, or there is no
 * scanner: the caller then escapes it.
 */
function wSafeLong (pos: number, s: string): number {
  const scan = s.length <= SCAN_UTF8 ? getScanner() : null
  if (scan === null) return -1
  const n = scan.memory.utf8Write(s, 0)
  const found = scan.check(n)
  if (found === 0) {
    // ASCII: its Latin-1 bytes are its UTF-8 bytes, and Latin-1 is the faster copy.
    if (pos + n > buf.length) grow(pos, n)
    return pos + buf.latin1Write(s, pos)
  }
  if (found !== HIGH_BYTE || !isWellFormed.call(s)) return -1
  wide = true
  if (pos + n > buf.length) grow(pos, n)
  return pos + buf.utf8Write(s, pos)
}

/** Writes `s` from index `i` on, escaping and UTF-8 encoding as it copies (room for 6 bytes a character is made). */
function wEscaping (pos: number, s: string, i: number): number {
  const n = s.length
  const b = buf
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 32 && c < 128 && c !== 34 && c !== 92) {
      b[pos++] = c
    } else if (c < 128) {
      if (c === 34 || c === 92) {
        b[pos++] = 92
        b[pos++] = c
      } else {
        const escape = CONTROL_ESCAPES[c]
        for (let j = 0; j < escape.length; j++) b[pos++] = escape[j]
      }
    } else {
      wide = true
      if (c < 0x800) {
        b[pos++] = 0xc0 | (c >> 6)
        b[pos++] = 0x80 | (c & 63)
      } else if (c < 0xd800 || c > 0xdfff) {
        b[pos++] = 0xe0 | (c >> 12)
        b[pos++] = 0x80 | ((c >> 6) & 63)
        b[pos++] = 0x80 | (c & 63)
      } else {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
          b[pos++] = 0xf0 | (point >> 18)
          b[pos++] = 0x80 | ((point >> 12) & 63)
          b[pos++] = 0x80 | ((point >> 6) & 63)
          b[pos++] = 0x80 | (point & 63)
          i++
        } else {
          // A lone surrogate: JSON.stringify writes it as a \u escape, in lower case.
          b[pos++] = 92
          b[pos++] = 117
          for (let shift = 12; shift >= 0; shift -= 4) b[pos++] = HEX.charCodeAt((c >> shift) & 15)
        }
      }
    }
  }
  return pos
}

/**
 * Writes text that is already JSON (a helper's output, JSON.stringify's), UTF-8 encoded. Text
 * holding a lone surrogate (only `format: 'unsafe'` lets one through) cannot be UTF-8: it joins
 * the output as a string piece, so the result is the same string fast-json-stringify returns.
 */
export function wRaw (pos: number, text: string | undefined): number {
  const s = typeof text === 'string' ? text : '' + text
  const n = s.length
  if (n > LONG_STRING) return flush(pos, s)
  if (pos + 3 * n > buf.length) grow(pos, 3 * n)
  const b = buf
  const start = pos
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 128) {
      b[pos++] = c
    } else if (c < 0x800) {
      wide = true
      b[pos++] = 0xc0 | (c >> 6)
      b[pos++] = 0x80 | (c & 63)
    } else if (c < 0xd800 || c > 0xdfff) {
      wide = true
      b[pos++] = 0xe0 | (c >> 12)
      b[pos++] = 0x80 | ((c >> 6) & 63)
      b[pos++] = 0x80 | (c & 63)
    } else {
      const next = i + 1 < n ? s.charCodeAt(i + 1) : 0
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) return flush(start, s)
      wide = true
      const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
      b[pos++] = 0xf0 | (point >> 18)
      b[pos++] = 0x80 | ((point >> 12) & 63)
      b[pos++] = 0x80 | ((point >> 6) & 63)
      b[pos++] = 0x80 | (point & 63)
      i++
    }
  }
  return pos
}

/** Writes ASCII text (numbers, literals): no encoding needed. */
function wAscii (pos: number, s: string): number {
  const n = s.length
  if (pos + n > buf.length) grow(pos, n)
  const b = buf
  for (let i = 0; i < n; i++) b[pos + i] = s.charCodeAt(i)
  return pos + n
}

/** Writes a safe integer's digits without making a string. */
function wDigits (pos: number, value: number): number {
  if (pos + 16 > buf.length) grow(pos, 16)
  const b = buf
  if (value < 0) {
    b[pos++] = 45
    value = -value
  }
  if (value < 10) {
    b[pos] = 48 + value
    return pos + 1
  }
  let length = 1
  for (let limit = 10; limit <= value; limit *= 10) length++
  let at = pos + length
  while (value >= 10) {
    const next = (value / 10) | 0
    b[--at] = 48 + value - next * 10
    value = next
  }
  b[--at] = 48 + value
  return pos + length
}

/** `type: 'integer'` in byte mode. */
export function wInteger (pos: number, value: any, round: (n: number) => number): number {
  if (typeof value === 'number') {
    // |value| < 2^31: the digit loop works on small integers.
    if ((value | 0) === value) return wDigits(pos, value)
    if (Number.isInteger(value)) {
      const end = wDecimal(pos, value)
      if (end >= 0) return end
    }
  }
  return wAscii(pos, integer(value, round))
}

/** `type: 'number'` in byte mode. */
export function wNumber (pos: number, value: any): number {
  if (typeof value === 'number') {
    // -0 writes as 0 either way.
    if ((value | 0) === value) return wDigits(pos, value)
    const end = wDecimal(pos, value)
    if (end >= 0) return end
  }
  return wAscii(pos, number(value))
}

/** Exact powers of ten (every one up to 1e22 is a double). */
const POW10: number[] = []
for (let k = 0, p = 1; k <= 15; k++, p *= 10) POW10.push(p)
/** Numbers with more significant digits than this are left to V8's number-to-string. */
const DECIMAL_LIMIT = 1e15

/**
 * Writes a number's JavaScript text (what `'' + value` and JSON.stringify write) without making
 * a string, when that text is a plain decimal of at most 15 significant digits; returns -1 for
 * any other number (more digits, exponent notation below 1e-6, NaN, infinities), which the
 * caller then hands to V8.
 *
 * Why this is exact: for the fewest fraction digits k whose decimal m / 10^k divides back to
 * `value`, that decimal is the text JavaScript prints. Division of two exact doubles (m < 10^15,
 * 10^k) is correctly rounded, as parsing the decimal is, so the decimal reads back as `value`;
 * no decimal with fewer digits does (k is the first that works); and at 15 significant digits
 * or fewer no other decimal of the same length reads back as the same double, so there is no
 * closer candidate to prefer. Math.round finds m: value × 10^k is within 0.2 of it below 10^15.
 */
function wDecimal (pos: number, value: number): number {
  const negative = value < 0
  const a = negative ? -value : value
  if (!(a >= 1e-6 && a < DECIMAL_LIMIT)) return -1
  for (let k = 0; k <= 15; k++) {
    const scaled = a * POW10[k]
    if (scaled >= DECIMAL_LIMIT) return -1
    const m = Math.round(scaled)
    if (m / POW10[k] === a) return wScaled(pos, negative, m, k)
  }
  return -1
}

/** Digits of the number wScaled writes, right-aligned. */
const DIGITS = new Uint8Array(16)

/**
 * Writes m / 10^k in fixed notation (m < 10^15, k ≤ 15): `-`, integer digits, `.`, k fraction
 * digits. The digits are taken from two int32 halves: `%` on a double is a C call in V8.
 */
function wScaled (pos: number, negative: boolean, m: number, k: number): number {
  if (pos + 34 > buf.length) grow(pos, 34)
  let high = 0
  let low = m
  if (m >= 1e9) {
    high = Math.floor(m / 1e9)
    low = m - high * 1e9
  }
  let at = 16
  let x = low | 0
  if (high > 0) {
    for (let i = 0; i < 9; i++) {
      const next = (x / 10) | 0
      DIGITS[--at] = 48 + x - next * 10
      x = next
    }
    x = high | 0
  }
  do {
    const next = (x / 10) | 0
    DIGITS[--at] = 48 + x - next * 10
    x = next
  } while (x > 0)
  const b = buf
  if (negative) b[pos++] = 45
  const length = 16 - at
  if (k >= length) {
    // 0.000ddd
    b[pos++] = 48
    b[pos++] = 46
    for (let i = length; i < k; i++) b[pos++] = 48
    for (let i = at; i < 16; i++) b[pos++] = DIGITS[i]
    return pos
  }
  const point = 16 - k
  for (let i = at; i < point; i++) b[pos++] = DIGITS[i]
  if (k > 0) {
    b[pos++] = 46
    for (let i = point; i < 16; i++) b[pos++] = DIGITS[i]
  }
  return pos
}

const TRUE = bytes('true')
const FALSE = bytes('false')

/** `type: 'boolean'` in byte mode: truthiness, as fast-json-stringify reads it. */
export function wBoolean (pos: number, value: unknown): number {
  return wText(pos, value ? TRUE : FALSE)
}
