import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from './app.js'

let publicDir: string
let uploadDir: string
before(async () => {
  publicDir = await mkdtemp(join(tmpdir(), 'velox-public-'))
  uploadDir = await mkdtemp(join(tmpdir(), 'velox-uploads-'))
  await writeFile(join(publicDir, 'index.html'), '<h1>home</h1>')
  await writeFile(join(publicDir, 'app.css'), 'body { margin: 0 }')
})
after(async () => {
  await rm(publicDir, { recursive: true })
  await rm(uploadDir, { recursive: true })
})

/** A multipart/form-data body with the given files. */
function form (files: Array<{ name: string, type: string, content: Buffer }>) {
  const boundary = '----velox' + Math.random().toString(16).slice(2)
  const parts = files.map((f) => Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${f.name}"\r\ncontent-type: ${f.type}\r\n\r\n`),
    f.content,
    Buffer.from('\r\n')
  ]))
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

test('files of the public folder are served with their type and caching headers; unknown pages get index.html', async () => {
  const app = buildApp({ publicDir, uploadDir })
  const css = await app.inject('/app.css')
  assert.equal(css.statusCode, 200)
  assert.match(String(css.headers['content-type']), /^text\/css/)
  assert.equal(css.headers['cache-control'], 'public, max-age=3600')
  assert.equal(css.body, 'body { margin: 0 }')

  const again = await app.inject({ url: '/app.css', headers: { 'if-none-match': String(css.headers.etag) } })
  assert.equal(again.statusCode, 304)

  const page = await app.inject('/settings/profile')
  assert.equal(page.statusCode, 200)
  assert.equal(page.body, '<h1>home</h1>')
  assert.equal((await app.inject('/missing.js')).statusCode, 404)
  await app.close()
})

test('uploaded images are written under a new name and served back from /uploads/', async () => {
  const app = buildApp({ publicDir, uploadDir })
  const png = Buffer.from('89504e470d0a1a0a' + '00'.repeat(100), 'hex')
  const res = await app.inject({ method: 'POST', url: '/uploads', ...form([{ name: '../../etc/passwd.png', type: 'image/png', content: png }, { name: 'b.jpg', type: 'image/jpeg', content: Buffer.from('jpeg') }]) })
  assert.equal(res.statusCode, 201)
  const { saved } = res.json() as { saved: Array<{ url: string, bytes: number }> }
  assert.deepEqual(saved.map((s) => s.bytes), [108, 4])
  assert.match(saved[0].url, /^\/uploads\/[0-9a-f-]{36}\.png$/)
  assert.deepEqual(await readFile(join(uploadDir, saved[0].url.slice('/uploads/'.length))), png)

  const served = await app.inject(saved[0].url)
  assert.equal(served.statusCode, 200)
  assert.equal(served.headers['content-type'], 'image/png')
  assert.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable')
  assert.deepEqual(served.rawPayload, png)
  await app.close()
})

test('a file over the size limit is refused with 413 and not kept; another type with 415', async () => {
  const app = buildApp({ publicDir, uploadDir, maxFileBytes: 1000 })
  const before = (await readdir(uploadDir)).length
  const big = await app.inject({ method: 'POST', url: '/uploads', ...form([{ name: 'big.png', type: 'image/png', content: Buffer.alloc(5000) }]) })
  assert.equal(big.statusCode, 413)
  assert.match(big.json().error, /big\.png is larger than 1000 bytes/)
  assert.equal((await readdir(uploadDir)).length, before)

  const text = await app.inject({ method: 'POST', url: '/uploads', ...form([{ name: 'notes.txt', type: 'text/plain', content: Buffer.from('hi') }]) })
  assert.equal(text.statusCode, 415)
  assert.match(text.json().error, /notes\.txt: only PNG/)
  await app.close()
})
