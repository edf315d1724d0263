// `npm run build && node dist/recipes/static-files-and-uploads/server.js` in examples/, then
// `curl -F file=@picture.png 127.0.0.1:3000/uploads` and open the URL it answers.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { buildApp } from './app.js'

const publicDir = join(process.cwd(), 'recipes/static-files-and-uploads/public')
const uploadDir = join(tmpdir(), 'velox-uploads')
mkdirSync(uploadDir, { recursive: true })
const app = buildApp({ logger: true, publicDir, uploadDir })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
