import Fastify from 'fastify'
import { start } from './fastify-api.js'

await start(Fastify)
