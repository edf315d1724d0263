// Command-line parsing shared by the tools: node's parseArgs plus list and number checks.
import { parseArgs } from 'node:util'

/**
 * Parses `process.argv` with `spec` ({ name: { type, default, description, list?, number?,
 * choices? } }); prints usage and exits on --help or a bad value.
 */
export function parseOptions (usage, spec, { allowPositionals = false } = {}) {
  const options = { help: { type: 'boolean', short: 'h', description: 'show this help' } }
  for (const [name, option] of Object.entries(spec)) {
    options[name] = { type: option.type ?? 'string' }
    if (option.default !== undefined) options[name].default = option.default
  }
  let parsed
  try {
    parsed = parseArgs({ options, allowPositionals, strict: true })
  } catch (err) {
    fail(err.message)
  }
  if (parsed.values.help) {
    console.log(help(usage, { ...spec, help: options.help }))
    process.exit(0)
  }
  const values = {}
  for (const [name, option] of Object.entries(spec)) {
    let value = parsed.values[name]
    if (value !== undefined && option.list) {
      value = value.split(',').map((item) => item.trim()).filter(Boolean)
      if (option.number) value = value.map((item) => toNumber(name, item))
      if (option.choices) {
        for (const item of value) {
          if (!option.choices.includes(item)) fail(`--${name}: unknown "${item}" (one of ${option.choices.join(', ')})`)
        }
      }
      if (value.length === 0) fail(`--${name}: empty list`)
    } else if (value !== undefined && option.number) {
      value = toNumber(name, value)
    }
    values[name] = value
  }
  return { values, positionals: parsed.positionals }

  function fail (message) {
    console.error(`${message}\n\n${help(usage, spec)}`)
    process.exit(2)
  }

  function toNumber (name, text) {
    const number = Number(text)
    if (!Number.isFinite(number) || number < 0) fail(`--${name}: "${text}" is not a non-negative number`)
    return number
  }
}

function help (usage, spec) {
  const lines = [usage, '', 'options:']
  for (const [name, option] of Object.entries(spec)) {
    const flag = option.type === 'boolean' ? `--${name}` : `--${name} <${option.list ? 'a,b,...' : 'value'}>`
    const fallback = option.default !== undefined && option.type !== 'boolean' ? ` (default ${option.default})` : ''
    lines.push(`  ${flag.padEnd(28)} ${option.description ?? ''}${fallback}`)
  }
  return lines.join('\n')
}
