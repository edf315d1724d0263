import t from 'tap'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import velox from '../lib/index.js'
import { AjvValidatorCompiler, defaultAjvOptions, type AjvOptions } from '../lib/schema/compile.js'
import { generateValidatorMeta, validatorMetaTarget, defaultAjvOptions as generatedWith } from '../scripts/generate-schema-check.js'

const require = createRequire(import.meta.url)
const Ajv = require('ajv').default
const addFormats = require('ajv-formats')
const META = 'http://json-schema.org/draft-07/schema'

/** Schemas the draft-07 meta-schema rejects, each for a different keyword, and some it accepts. */
const schemas: unknown[] = [
  { type: 'nonsense' },
  { type: ['string', 'string'] },
  { type: [] },
  { properties: { a: { type: 'strin' } } },
  { properties: [] },
  { required: 'name' },
  { required: ['a', 'a'] },
  { minLength: -1 },
  { maxItems: 1.5 },
  { multipleOf: 0 },
  { pattern: '(' },
  { patternProperties: { '(': {} } },
  { enum: [] },
  { enum: [1, 1] },
  { items: [{ type: 'x' }] },
  { items: 3 },
  { allOf: [] },
  { anyOf: [{ type: 1 }] },
  { $id: 7 },
  { $ref: 7 },
  { dependencies: { a: ['b', 'b'] } },
  { definitions: { x: { minimum: 'zero' } } },
  { if: { type: 'nope' }, then: {} },
  { additionalProperties: { format: 3 } },
  { type: 'object', properties: { a: { type: 'string', format: 'email' } }, required: ['a'] },
  { type: 'array', items: { type: 'integer', minimum: 0 }, uniqueItems: true },
  { anyOf: [{ type: 'string' }, { type: 'null' }] }
]

/** What an Ajv made as compile.ts makes it, compiling its meta-schema itself, says about a schema. */
function ajvsOwnAnswer (schema: unknown, custom: Record<string, unknown> = {}): string {
  const ajv = new Ajv({ ...defaultAjvOptions, uriResolver: require('fast-uri'), ...custom, code: { optimize: false } })
  addFormats(ajv)
  try {
    ajv.compile(schema)
    return 'compiled'
  } catch (err) {
    return (err as Error).message
  }
}

function veloxAnswer (schema: unknown, options: AjvOptions = {}): string {
  try {
    new AjvValidatorCompiler(() => ({}), options).compile({ schema: schema as any, method: 'POST', url: '/', httpPart: 'body' })
    return 'compiled'
  } catch (err) {
    return (err as Error).message
  }
}

/** The meta-schema function the compiler's Ajv validates schemas with. */
function metaValidatorOf (options: AjvOptions): { schemaEnv?: unknown } {
  const compiler = new AjvValidatorCompiler(() => ({}), options)
  compiler.compile({ schema: { type: 'string' }, method: 'GET', url: '/', httpPart: 'querystring' })
  return (compiler as any).ajv.schemas[META].validate
}

t.test('the precompiled meta-schema validator is the one scripts/generate-schema-check.js writes today', async (t) => {
  t.equal(readFileSync(validatorMetaTarget, 'utf8'), generateValidatorMeta(), 'run `npm run generate:schema-check`')
  t.same(generatedWith, defaultAjvOptions, 'the script builds it with compile.ts\'s default Ajv options')
})

t.test('with the default Ajv options, schemas are checked by the precompiled validator and Ajv does not compile its meta-schema', async (t) => {
  t.equal(metaValidatorOf({}).schemaEnv, undefined)
  // Options Ajv leaves out of meta-schemas keep it.
  t.equal(metaValidatorOf({ customOptions: { coerceTypes: false, removeAdditional: 'all', useDefaults: false } }).schemaEnv, undefined)
})

t.test('options, plugins and onCreate that can change the meta-schema validator leave it to Ajv', async (t) => {
  t.not(metaValidatorOf({ customOptions: { allErrors: true } }).schemaEnv, undefined)
  t.not(metaValidatorOf({ plugins: [addFormats] }).schemaEnv, undefined)
  t.not(metaValidatorOf({ onCreate: () => {} }).schemaEnv, undefined)
})

t.test('every schema gets the answer Ajv gives when it compiles its meta-schema itself', async (t) => {
  for (const schema of schemas) t.equal(veloxAnswer(schema), ajvsOwnAnswer(schema), JSON.stringify(schema))
  // allErrors is honoured: Ajv's own meta-schema validator then lists every problem.
  const many = { type: 'nonsense', minLength: -1 }
  t.equal(veloxAnswer(many, { customOptions: { allErrors: true } }), ajvsOwnAnswer(many, { allErrors: true }))
  t.match(veloxAnswer(many, { customOptions: { allErrors: true } }), /minLength/)
})

t.test('a route with an invalid body schema fails with Ajv\'s message, eagerly and on demand', async (t) => {
  const message = 'Failed building the validation schema for POST: /, due to error schema is invalid: data/properties/a/minLength must be >= 0'
  const eager = velox({ compile: 'eager' })
  eager.post('/', { schema: { body: { type: 'object', properties: { a: { type: 'string', minLength: -1 } } } } }, async () => 'ok')
  await t.rejects(eager.ready(), { code: 'FST_ERR_SCH_VALIDATION_BUILD', message })

  const lazy = velox({ compile: 'on-demand', logger: false })
  lazy.post('/', { schema: { body: { type: 'object', properties: { a: { type: 'string', minLength: -1 } } } } }, async () => 'ok')
  const res = await lazy.inject({ method: 'POST', url: '/', payload: { a: 'x' } })
  t.equal(res.statusCode, 500)
  t.equal(res.json().code, 'FST_ERR_SCH_VALIDATION_BUILD')
})
