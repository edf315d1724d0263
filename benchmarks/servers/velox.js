// Velox implements Fastify's API, so its server is the Fastify one with another factory.
// It runs the build output: `npm run build` first.
import velox from '../../dist/velox.js'
import { start } from './fastify-api.js'

await start(velox)
