// The payload shapes of the serializer micro-benchmark (serialize.js): a schema and a value for
// each, the value holding exactly the schema's fields so that JSON.stringify, fast-json-stringify
// and Velox's serializer all produce the same text (serialize.js checks it before measuring).
import { helloSchema, userSchema, bigSchema, buildBigList } from './scenarios.js'

/** Deep nested object: six levels, each with a few fields of each kind and one child. */
function nestedSchema (depth) {
  const properties = {
    id: { type: 'integer' },
    name: { type: 'string' },
    active: { type: 'boolean' },
    weight: { type: 'number' }
  }
  if (depth > 1) properties.child = nestedSchema(depth - 1)
  return { type: 'object', properties }
}

function nestedValue (depth) {
  const value = { id: depth, name: `level ${depth}`, active: depth % 2 === 0, weight: depth * 1.25 }
  if (depth > 1) value.child = nestedValue(depth - 1)
  return value
}

const sentence = 'Velox serializes responses from their schema, escaping what JSON needs escaped. '

const articleSchema = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    slug: { type: 'string' },
    summary: { type: 'string' },
    body: { type: 'string' },
    quote: { type: 'string' },
    author: { type: 'object', properties: { name: { type: 'string' }, bio: { type: 'string' } } },
    tags: { type: 'array', items: { type: 'string' } }
  }
}

const article = {
  title: 'Compiled serialization on V8',
  slug: 'compiled-serialization-on-v8',
  summary: sentence.repeat(3),
  body: sentence.repeat(25),
  quote: 'She said: "no \\ escapes", then left.\n',
  author: { name: 'Ada Lovelace', bio: 'Wrote the first program; née Byron, Zürich-bound' },
  tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`)
}

const summariesSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: { type: 'integer' }, title: { type: 'string' }, summary: { type: 'string' } }
  }
}

// Flat strings, as a database driver or JSON.parse hands them over (not concatenations).
const summaries = JSON.parse(JSON.stringify(Array.from({ length: 50 }, (_, i) => ({
  id: i,
  title: `Article ${i}`,
  summary: `${sentence.repeat(3)}Part ${i} of the series.`
}))))

const seriesSchema = {
  type: 'object',
  properties: {
    metric: { type: 'string' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          t: { type: 'integer' },
          value: { type: 'number' },
          min: { type: 'number' },
          max: { type: 'number' },
          count: { type: 'integer' }
        }
      }
    }
  }
}

const series = {
  metric: 'latency',
  points: Array.from({ length: 100 }, (_, i) => ({
    t: 1700000000000 + i * 60000,
    value: Math.round(Math.sin(i) * 1e6) / 1e3 + 12,
    min: i * 0.5,
    max: i * 2.75 + 0.1,
    count: i * 37
  }))
}

/** name -> { description, schema, value, make? }: with `make`, each operation serializes `make()` (value is its sample) */
export const shapes = {
  tiny: { description: 'S1 `{"hello":"world"}`', schema: helloSchema.response[200], value: { hello: 'world' } },
  user: {
    description: 'S3 user (5 fields, 2 tags)',
    schema: userSchema.response[200],
    value: { id: 1, name: 'Ada', age: 36, email: 'ada@example.com', tags: ['a', 'b'] }
  },
  big: { description: 'S4 200 `{id,title,employer}` (12.8 KB)', schema: bigSchema.response[200], value: buildBigList() },
  // As the S4 server does: a new list per operation, whose titles are new concatenations (cons
  // strings, which a serializer must flatten before reading their characters). Building the list
  // is part of every serializer's time.
  'big-fresh': {
    description: 'S4 list built afresh per operation (as in the server)',
    schema: bigSchema.response[200],
    value: buildBigList(),
    make: buildBigList
  },
  deep: { description: 'nested object, 6 levels of 4 fields', schema: nestedSchema(6), value: nestedValue(6) },
  strings: { description: 'string-heavy article (2.5 KB, escapes, non-ASCII, 20 tags)', schema: articleSchema, value: article },
  numbers: { description: 'numbers-heavy, 100 points of 5 numbers', schema: seriesSchema, value: series },
  summaries: { description: 'list of 50 `{id,title,summary}`, 261-character summaries (15 KB)', schema: summariesSchema, value: summaries }
}
