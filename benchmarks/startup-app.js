// The cold-start app: `routes` POST /r<i> routes, each with its own body schema (property f<i>)
// and response schema. The handler adds a field the response schema does not declare, so a
// correct answer also proves the serializer ran. Shared by startup-server.js (Fastify and Velox),
// startup-lambda.js, and `velox build` (the default export, with ROUTES from the environment).
export function addRoutes (app, routes) {
  for (let i = 0; i < routes; i++) {
    const field = `f${i}`
    app.post(`/r${i}`, {
      schema: {
        body: {
          type: 'object',
          required: [field],
          additionalProperties: false,
          properties: { [field]: { type: 'integer' } }
        },
        response: {
          200: {
            type: 'object',
            properties: { [field]: { type: 'integer' }, route: { type: 'integer' } }
          }
        }
      }
    }, async function handler (req) {
      return { [field]: req.body[field], route: i, undeclared: true }
    })
  }
  return app
}

/** What `velox build benchmarks/startup-app.js` builds: a Velox app with ROUTES routes. */
export default async function buildTarget () {
  const { default: velox } = await import('../dist/velox.js')
  return addRoutes(velox({ logger: false }), Number(process.env.ROUTES))
}
