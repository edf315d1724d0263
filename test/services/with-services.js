#!/usr/bin/env node
// Runs a command with local Redis and PostgreSQL available, then stops the ones it started:
//   node test/services/with-services.js redis postgres -- npm --prefix examples test
// The command gets REDIS_URL and DATABASE_URL for the services that are up. A service that
// cannot be started is reported, not fatal: the tests that need it skip and say why.

import { spawn } from 'node:child_process'
import { startServices, stopServices } from './services.js'

const args = process.argv.slice(2)
const split = args.indexOf('--')
if (split < 1 || split === args.length - 1) {
  console.error('usage: with-services.js <redis|postgres>... -- <command> [args...]')
  process.exit(2)
}
const names = args.slice(0, split)
const [command, ...commandArgs] = args.slice(split + 1)

const services = await startServices(names)
const env = { ...process.env }
for (const service of Object.values(services)) {
  if (service.skip !== undefined) {
    console.error(`${service.name}: cannot be started here (${service.skip}); the tests that need it will skip`)
    continue
  }
  if (service.name === 'redis') env.REDIS_URL = service.url
  if (service.name === 'postgres') env.DATABASE_URL = service.url
}

const child = spawn(command, commandArgs, { stdio: 'inherit', env })
const code = await new Promise((resolve) => {
  child.on('close', (status, signal) => resolve(status ?? (signal === null ? 1 : 128)))
  child.on('error', (err) => { console.error(err.message); resolve(127) })
})
await stopServices(services)
process.exitCode = code
