/**
 * The document as text: JSON, and YAML that YAML 1.1 and 1.2 readers both read back as the
 * same document.
 */

import { createRequire } from 'node:module'
import type { OpenApiDocument } from './types.js'

type YamlModule = typeof import('yaml')
const require = createRequire(import.meta.url)
let yamlModule: YamlModule | null = null
/** The yaml package is loaded on the first YAML render, not when the app starts. */
function yamlLib (): YamlModule {
  yamlModule ??= require('yaml') as YamlModule
  return yamlModule
}

/** Two-space indented JSON with a final newline, so files written from it diff cleanly. */
export function renderOpenApiJson (document: OpenApiDocument): string {
  return JSON.stringify(document, null, 2) + '\n'
}

/**
 * YAML for the document. The `yaml` package writes YAML 1.2, where `yes`, `on`, `0123` or
 * `2024-01-01` are plain strings; many OpenAPI tools still read YAML 1.1, where they are
 * booleans, numbers and dates. Such strings are double-quoted so every reader agrees.
 * Repeated objects are written out each time, never as anchors and aliases.
 *
 * @example
 * renderOpenApiYaml(buildOpenApiDocument(input)).startsWith('openapi: 3.1.0\n') // true
 */
export function renderOpenApiYaml (document: OpenApiDocument): string {
  const { Document, Scalar, visit } = yamlLib()
  const yaml = new Document(document, { aliasDuplicateObjects: false })
  visit(yaml, {
    Scalar (_key, node) {
      if (typeof node.value === 'string' && readsDifferentlyInYaml11(node.value)) node.type = Scalar.QUOTE_DOUBLE
    }
  })
  // lineWidth 0: long descriptions and patterns stay on one line instead of being folded.
  return yaml.toString({ lineWidth: 0 })
}

// YAML 1.1 timestamps (yaml.org/type/timestamp.html). Checked here rather than left to the
// parser below, whose timestamp tag other code can switch off (tap-yaml does, process-wide).
const YAML_11_TIMESTAMP = /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/

// The words YAML 1.1 reads as booleans or null (yaml.org/type/bool.html, null.html).
const YAML_11_WORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL'
])

function readsDifferentlyInYaml11 (value: string): boolean {
  // Most strings (names, paths, media types, descriptions) start with a letter or a slash:
  // apart from the words above, no YAML 1.1 type does, so the parser is spared for them.
  if (/^[A-Za-z/]/.test(value)) return YAML_11_WORDS.has(value)
  // `<<` is the merge key and `=` the value key of YAML 1.1's type repository.
  if (value === '<<' || value === '=' || YAML_11_TIMESTAMP.test(value)) return true
  // Multi-line strings are written as block scalars, which are never resolved to other types.
  if (value.includes('\n')) return false
  try {
    return yamlLib().parse(value, { version: '1.1' }) !== value
  } catch {
    return true
  }
}
