import t from 'tap'
import { parse } from 'yaml'
import { buildOpenApiDocument } from '../lib/openapi/build.js'
import { renderOpenApiJson, renderOpenApiYaml } from '../lib/openapi/render.js'
import type { OpenApiDocument } from '../lib/openapi/types.js'
import { assertValidOpenApi, route } from './openapi-helpers.js'

const shared = { $id: 'item', type: 'object', properties: { id: { type: 'integer' } } }

function sample (): OpenApiDocument {
  const listed = { type: 'object', properties: { name: { type: 'string' } } }
  return buildOpenApiDocument({
    schemas: { item: shared },
    options: {
      info: {
        title: 'Render',
        version: '2024-01-01',
        description: 'First line\nsecond line, and a long one: ' + 'word '.repeat(60).trim()
      }
    },
    routes: [
      route('GET', '/items/:id(^\\d+)', {
        summary: 'yes',
        tags: ['on', 'no', 'null', '0123', '1e3', '<<', '='],
        produces: ['application/json', 'application/x-ndjson'],
        response: { 200: listed, '4xx': { $ref: 'item#' } }
      })
    ]
  })
}

t.test('JSON: two-space indented with a final newline, and reads back as the document', async t => {
  const document = sample()
  const text = renderOpenApiJson(document)
  t.ok(text.startsWith('{\n  "openapi": "3.1.0",\n'))
  t.ok(text.endsWith('}\n'))
  t.same(JSON.parse(text), document)
})

t.test('YAML reads back as the same document in YAML 1.2 and YAML 1.1', async t => {
  const document = sample()
  const text = renderOpenApiYaml(document)
  t.ok(text.startsWith('openapi: 3.1.0\ninfo:\n  title: Render\n'))
  t.same(parse(text), document, 'YAML 1.2 (core schema)')
  t.same(parse(text, { version: '1.1' }), document, 'YAML 1.1, where yes/on/no are booleans and 0123 is octal')
  await assertValidOpenApi(t, parse(text) as OpenApiDocument)
})

t.test('YAML quotes the strings that a YAML 1.1 reader would take for something else', async t => {
  const text = renderOpenApiYaml(sample())
  for (const word of ['yes', 'on', 'no', 'null', '0123', '1e3', '<<', '=', '2024-01-01']) {
    t.match(text, new RegExp(`"${word}"`), `${word} is quoted`)
  }
  t.match(text, /^ {8}- "on"$/m)
  t.match(text, /^ {2}version: "2024-01-01"$/m)
  t.match(text, /^ {6}summary: "yes"$/m)
})

t.test('YAML has no anchors or aliases and does not fold long lines', async t => {
  const text = renderOpenApiYaml(sample())
  t.notMatch(text, /[&*]a\d/, 'the schema repeated for two media types is written out twice')
  t.equal(text.match(/name:\n\s+type: string/g)?.length, 2)
  t.match(text, /word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word/)
  t.match(text, /description: \|-\n {4}First line\n {4}second line/, 'a multi-line string is a block scalar')
})

t.test('rendering is stable byte for byte', async t => {
  t.equal(renderOpenApiYaml(sample()), renderOpenApiYaml(sample()))
  t.equal(renderOpenApiJson(sample()), renderOpenApiJson(sample()))
})
