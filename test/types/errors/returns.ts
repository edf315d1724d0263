// Fixture of test/type-errors.test.ts: where TypeScript reports a wrong
// payload or return value, and what it says. A line of `~` under a line of
// code marks the span of the one error expected there, with its code and
// message: `TS2322: text` is the whole message, `TS2345: ... text` its last
// line (the chain above it names the types involved).
import type { VeloxInstance } from '../../../types/index.js'

declare const app: VeloxInstance

const user = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' } }
} as const

// reply.send(): at the property, one line.
app.get('/send', { schema: { response: { 200: user } } }, async (_req, reply) => {
  return reply.send({ id: 'one', name: 'Ada' })
  //                  ~~ TS2322: Type 'string' is not assignable to type 'number'.
})

app.get('/code', { schema: { response: { 200: user, 404: { type: 'object', properties: { message: { type: 'string' } } } } } }, async (_req, reply) => {
  reply.code(404).send({ message: 404 })
  //                     ~~~~~~~ TS2322: Type 'number' is not assignable to type 'string'.
})

app.get('/missing', { schema: { response: { 200: user } } }, async (_req, reply) => {
  reply.code(200).send({ id: 1 })
  //                   ~~~~~~~~~ TS2345: ... Property 'name' is missing in type '{ id: number; }' but required in type '{ id: number; name: string; }'.
})

// A synchronous handler whose body is an expression: at the property, one line.
app.get('/sync', { schema: { response: { 200: user } } }, () => ({ id: 'one', name: 'Ada' }))
//                                                                 ~~ TS2322: Type 'string' is not assignable to type 'number'.

// An async handler whose body is an expression: at the expression.
app.get('/async', { schema: { response: { 200: user } } }, async () => ({ id: 'one', name: 'Ada' }))
//                                                                     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ TS2322: ... Type 'string' is not assignable to type 'number'.

// A body in braces: TypeScript checks `return` only against a return type
// written on the function, so it reports the handler, as one error whose
// last line names the property.
app.post('/block', {
  schema: {
    body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    response: { 201: user }
  }
}, async (req, reply) => {
// ~~~~~~~~~~~~~~~~~~~~~~~ TS2345: ... Type 'string' is not assignable to type 'number'.
  reply.code(201)
  return { id: req.body.name, name: 'Ada' }
})

// The handler among the options, and route().
app.get('/options', {
  schema: { response: { 200: user } },
  handler: async () => ({ id: 1, name: false })
  //                   ~~~~~~~~~~~~~~~~~~~~~~~~ TS2322: ... Type 'boolean' is not assignable to type 'string'.
})

app.route({
  method: 'GET',
  url: '/route',
  schema: { response: { 200: user } },
  handler: () => ({ id: 1, name: false })
  //                       ~~~~ TS2322: Type 'boolean' is not assignable to type 'string'.
})

// Explicit route types, as in Fastify: with options, as for a schema; in the
// `(url, handler)` form, whose parameter also takes options, at the handler.
app.get<{ Reply: { ok: boolean } }>('/generic', {}, () => ({ ok: 1 }))
//                                                           ~~ TS2322: Type 'number' is not assignable to type 'boolean'.
app.get<{ Reply: { ok: boolean } }>('/generic', async () => ({ ok: 1 }))
//                                              ~~~~~~~~~~~~~~~~~~~~~~~ TS2345: ... Type 'number' is not assignable to type 'boolean'.

// A value outside an enum.
app.get('/enum', {
  schema: { response: { 200: { type: 'object', required: ['status'], properties: { status: { enum: ['active', 'disabled'] } } } } }
}, () => ({ status: 'deleted' }))
//          ~~~~~~ TS2322: Type '"deleted"' is not assignable to type '"active" | "disabled"'.
