// A serverless cold start: `node startup-lambda.js <kind> <routes>` builds the app of
// startup-app.js, wraps it in velox/serverless's awsLambda handler (or, for fastify-lambda,
// Fastify's inject(), which is what @fastify/aws-lambda calls), handles one API Gateway v2 event
// for the last route, checks the answer and prints {"rss", "ok"}. The parent times spawn to
// that line: import, app, start and the first event, as a function's first invocation pays.
//   velox-lambda        schemas compiled on demand
//   velox-lambda-build  with the file `velox build` wrote (VELOX_SCHEMA_BUILD)
//   fastify-lambda      Fastify 5, ready() then inject()
import { addRoutes } from './startup-app.js'

const KINDS = ['velox-lambda', 'velox-lambda-build', 'fastify-lambda']
const [name, count] = process.argv.slice(2)
const routes = Number(count)
if (!KINDS.includes(name) || !Number.isInteger(routes) || routes < 1) {
  console.error(`usage: node startup-lambda.js <${KINDS.join('|')}> <routes>`)
  process.exit(2)
}

const last = routes - 1
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: `/r${last}`,
  rawQueryString: '',
  headers: { 'content-type': 'application/json', host: 'bench.execute-api.eu-west-1.amazonaws.com' },
  requestContext: { http: { method: 'POST', path: `/r${last}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' }, stage: '$default' },
  body: JSON.stringify({ [`f${last}`]: 1 }),
  isBase64Encoded: false
}

let result
if (name === 'fastify-lambda') {
  const app = addRoutes((await import('fastify')).default({ logger: false }), routes)
  await app.ready()
  const res = await app.inject({ method: 'POST', url: event.rawPath, headers: event.headers, payload: event.body })
  result = { statusCode: res.statusCode, body: res.body }
} else {
  const [{ default: velox }, { awsLambda }] = await Promise.all([import('../dist/velox.js'), import('../dist/serverless.js')])
  const options = { logger: false }
  if (name === 'velox-lambda-build') options.schemaBuild = process.env.VELOX_SCHEMA_BUILD
  result = await awsLambda(addRoutes(velox(options), routes))(event)
}
const ok = result.statusCode === 200 && result.body === JSON.stringify({ [`f${last}`]: 1, route: last })
process.stdout.write(JSON.stringify({ ok, answer: ok ? undefined : result, rss: process.memoryUsage().rss }) + '\n')
