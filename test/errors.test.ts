import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastify from 'fastify'
import velox, { errorCodes, createError } from '../lib/index.js'
import { errorTable } from '../lib/errors.js'

const fastifyCodes = (fastify as any).errorCodes as Record<string, new (...args: unknown[]) => Error & { code: string, statusCode: number }>
const codes = Object.keys(errorTable) as Array<keyof typeof errorTable>

/** Velox-only codes, with the message each gives for the arguments 'A', 'B', 'C'. */
const veloxOnly: Record<string, { statusCode: number, message: string }> = {
  VLX_ERR_PLUGIN_DEPENDENCY_MISSING: { statusCode: 500, message: "The dependency 'A' of plugin 'B' is not registered C" },
  VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET: { statusCode: 500, message: "Not found handler already set for Fastify instance with prefix: 'A' B C" },
  VLX_ERR_REPLY_SENT_TWICE: { statusCode: 500, message: 'The handler of A B returned a value and also called reply.send(); the returned value was ignored C' },
  VLX_ERR_HANDLER_NON_ERROR_THROWN: { statusCode: 500, message: 'A non-Error value was thrown or rejected: A B C' },
  VLX_ERR_METRICS_CLIENT_MISSING: { statusCode: 500, message: 'The metrics option needs the prom-client package: npm install prom-client A B C' },
  VLX_ERR_HEALTH_CHECK_INVALID: { statusCode: 500, message: 'addHealthCheck(name, check) needs A B C' },
  VLX_ERR_SERIALIZATION: { statusCode: 500, message: 'The response payload for status A does not match its response schema: B C' },
  VLX_ERR_OPENAPI_UNRESOLVED_REF: { statusCode: 500, message: 'Cannot resolve $ref "A" in B: C' },
  VLX_ERR_OPENAPI_RECURSIVE_REF: { statusCode: 500, message: 'The $ref "A" in B refers to itself through a schema that is not shared; register that schema with app.addSchema() so it becomes a component that can refer to itself C' },
  VLX_ERR_OPENAPI_INVALID_STATUS: { statusCode: 500, message: 'Response key "A" in B is not a status code: use 100-599, a range such as "2xx", or "default" C' },
  VLX_ERR_OPENAPI_DUPLICATE_OPERATION_ID: { statusCode: 500, message: 'operationId "A" is used by both B and C; operation ids must be unique' },
  VLX_ERR_OPENAPI_COMPONENT_CONFLICT: { statusCode: 500, message: 'The component schema name "A" is given in options.components.schemas and is also the name of the shared schema "B" C' },
  VLX_ERR_OPENAPI_INVALID_OPTION: { statusCode: 500, message: 'The "A" option of B must be C' },
  VLX_ERR_OPENAPI_NO_SPEC_ROUTE: { statusCode: 500, message: 'The docs page at "A" needs the document: set jsonPath or yamlPath B C' },
  VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND: { statusCode: 500, message: 'No OpenAPI document at A: B C' },
  VLX_ERR_CLIENT_DOCUMENT_INVALID: { statusCode: 500, message: 'A is not an OpenAPI document velox client can read: B C' },
  VLX_ERR_CLIENT_OPENAPI_VERSION: { statusCode: 500, message: 'A is B; velox client reads OpenAPI 3.x documents (convert a Swagger 2.0 document first, e.g. with swagger2openapi) C' },
  VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED: { statusCode: 500, message: 'The event is not an API Gateway REST (v1) or HTTP API (v2) proxy event: A B C' }
}

t.test('errorCodes is exported from the package and by the instance-independent table', async (t) => {
  t.equal(typeof errorCodes, 'object')
  t.same(Object.keys(errorCodes).sort(), [...codes].sort())
})

t.test('every code is FST_ERR_* or VLX_ERR_*', async (t) => {
  for (const code of codes) t.match(code, /^(FST|VLX)_ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/, code)
})

t.test('every FST_ERR_* code is one Fastify defines, with the same message, status and class', async (t) => {
  for (const code of codes) {
    if (!code.startsWith('FST_')) continue
    const Theirs = fastifyCodes[code]
    t.ok(Theirs, `${code} exists in Fastify`)
    if (Theirs === undefined) continue
    const args = ['A', 'B', 'C']
    const ours = new errorCodes[code](...args)
    const theirs = new Theirs(...args)
    t.equal(ours.message, theirs.message, `${code} message`)
    t.equal(ours.statusCode, theirs.statusCode, `${code} statusCode`)
    t.equal(ours instanceof TypeError, theirs instanceof TypeError, `${code} is a TypeError in both or neither`)
    t.equal(ours instanceof RangeError, theirs instanceof RangeError, `${code} is a RangeError in both or neither`)
    t.equal(ours instanceof URIError, theirs instanceof URIError, `${code} is a URIError in both or neither`)
    t.equal(new errorCodes[code]().message, new Theirs().message, `${code} message without arguments`)
    t.equal(errorCodes[code].name, Theirs.name, `${code}: a FastifyError constructor in both`)
  }
})

t.test('Velox-only codes are VeloxError constructors, so errorCodes holds exactly Fastify\'s FastifyError ones', async (t) => {
  const fastifyErrors = (table: Record<string, { name: string }>): string[] => Object.keys(table).filter((code) => table[code].name === 'FastifyError').sort()
  t.same(fastifyErrors(errorCodes as any), fastifyErrors(fastifyCodes))
  for (const code of codes.filter((c) => c.startsWith('VLX_'))) t.equal(errorCodes[code].name, 'VeloxError', code)
})

t.test('every Velox-only code has its documented message and status', async (t) => {
  const vlx = codes.filter((code) => code.startsWith('VLX_'))
  t.same(vlx.sort(), Object.keys(veloxOnly).sort(), 'the list below covers every Velox-only code')
  for (const code of vlx) {
    const err = new errorCodes[code]('A', 'B', 'C')
    t.equal(err.message, veloxOnly[code].message, `${code} message`)
    t.equal(err.statusCode, veloxOnly[code].statusCode, `${code} statusCode`)
    t.ok(err instanceof Error, `${code} is an Error`)
  }
})

t.test('each error class carries code, statusCode, name and a stack', async (t) => {
  for (const code of codes) {
    const Ctor = errorCodes[code]
    const err = new Ctor()
    t.ok(err instanceof Error, code)
    t.ok(err instanceof Ctor, `${code} instanceof its class`)
    t.equal(err.code, code)
    t.equal(err.statusCode, errorTable[code].statusCode)
    t.equal(err.name, 'FastifyError')
    t.equal(Ctor.name, code.startsWith('VLX_') ? 'VeloxError' : 'FastifyError', `${code}: named as @fastify/error names its constructors`)
    t.type(err.stack, 'string')
  }
})

t.test('error classes work without new and format their placeholders', async (t) => {
  const err = errorCodes.FST_ERR_CTP_ALREADY_PRESENT('text/html')
  t.ok(err instanceof errorCodes.FST_ERR_CTP_ALREADY_PRESENT)
  t.equal(err.message, "Content type parser 'text/html' already present.")
  t.equal(String(err), "FastifyError [FST_ERR_CTP_ALREADY_PRESENT]: Content type parser 'text/html' already present.")
  t.equal(Object.prototype.toString.call(err), '[object Error]')
})

t.test('a last argument with a cause sets the cause instead of filling a placeholder', async (t) => {
  const root = new Error('root')
  const err = new errorCodes.VLX_ERR_SERIALIZATION(200, 'bad', { cause: root })
  t.equal(err.cause, root)
  t.equal(err.message, 'The response payload for status 200 does not match its response schema: bad')
})

t.test('TypeError and RangeError codes keep their base class', async (t) => {
  t.ok(new errorCodes.FST_ERR_HOOK_INVALID_HANDLER('onRequest', 'x') instanceof TypeError)
  t.ok(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE() instanceof RangeError)
  t.notOk(new errorCodes.FST_ERR_NOT_FOUND() instanceof TypeError)
})

t.test('createError builds coded errors like @fastify/error', async (t) => {
  const MyError = createError('MY_ERR_THING', 'Thing %s failed', 409, TypeError)
  t.equal(MyError.name, 'FastifyError', 'the constructor is named as @fastify/error names it')
  const err = new MyError('alpha')
  t.ok(err instanceof TypeError)
  t.equal(err.code, 'MY_ERR_THING')
  t.equal(err.statusCode, 409)
  t.equal(err.message, 'Thing alpha failed')
  const app = velox()
  app.get('/', async () => { throw new MyError('beta') })
  const res = await app.inject('/')
  t.equal(res.statusCode, 409)
  t.same(res.json(), { statusCode: 409, code: 'MY_ERR_THING', error: 'Conflict', message: 'Thing beta failed' })
})

t.test('a coded error thrown by a route answers with its status, code and message', async (t) => {
  const app = velox()
  app.get('/', async () => { throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE() })
  const res = await app.inject('/')
  t.equal(res.statusCode, 415)
  t.same(res.json(), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', error: 'Unsupported Media Type', message: 'Unsupported Media Type' })
})

/** Parses docs/errors.md: one `### CODE` heading per code, with a `Status:` line below it. */
function documentedCodes (): Map<string, { status: number | null, body: string }> {
  const file = fileURLToPath(new URL('../docs/errors.md', import.meta.url))
  const text = readFileSync(file, 'utf8')
  const out = new Map<string, { status: number | null, body: string }>()
  const sections = text.split(/^### /m).slice(1)
  for (const section of sections) {
    const newline = section.indexOf('\n')
    const code = section.slice(0, newline).trim().replace(/`/g, '')
    const body = section.slice(newline + 1)
    const status = /\*\*Status\*\*:\s*(\d{3})/.exec(body)
    out.set(code, { status: status === null ? null : Number(status[1]), body })
  }
  return out
}

t.test('docs/errors.md lists exactly the codes in the table, with their status', async (t) => {
  const documented = documentedCodes()
  t.same([...documented.keys()].sort(), [...codes].sort(), 'the same codes, none missing and none extra')
  for (const code of codes) {
    const entry = documented.get(code)
    if (entry === undefined) continue
    t.equal(entry.status, errorTable[code].statusCode, `${code} status in the docs`)
    t.match(entry.body, /\*\*Cause\*\*:/, `${code} has a cause`)
    t.match(entry.body, /\*\*Fix\*\*:/, `${code} has a fix`)
  }
})
