import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { buildApp } from '../examples/app.js'

// Debian's chromium package (`apt-get install -y --no-install-recommends chromium`).
const CHROMIUM = '/usr/bin/chromium'

t.test('Swagger UI at /docs renders the operations and runs one, offline', {
  skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: install Debian's chromium package to run this test`
}, async t => {
  // The example app that `npm start` runs, with its `openapi` option serving /docs.
  const app = buildApp({ logger: false })
  // Sockets are the subject here: the browser needs a real server. Loopback only.
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())

  const folder = t.testdir({ profile: {} })
  const context = await chromium.launchPersistentContext(join(folder, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => context.close())

  // Every request the page makes is checked; one to any other host is recorded and refused.
  const outside: string[] = []
  await context.route('**/*', async route => {
    const url = route.request().url()
    if (new URL(url).hostname === '127.0.0.1') return await route.continue()
    outside.push(url)
    return await route.abort()
  })
  const page = context.pages()[0] ?? await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', error => { pageErrors.push(String(error)) })
  page.on('console', message => { if (message.type() === 'error') pageErrors.push(message.text()) })

  await page.goto(`${address}/docs`)
  const getUser = page.locator('.opblock-get', { hasText: '/v1/users/{id}' })
  await getUser.waitFor({ timeout: 30_000 })
  t.equal(await page.title(), 'Velox example')
  t.match(await page.locator('.info .title').innerText(), 'Velox example')
  t.match(await getUser.locator('.opblock-summary').innerText(), 'One user')
  t.match(await page.locator('.opblock-post', { hasText: '/v1/users' }).locator('.opblock-summary').innerText(), 'Create a user')

  await getUser.locator('.opblock-summary').click()
  await getUser.getByRole('button', { name: 'Try it out' }).click()
  await getUser.locator('input[placeholder="id"]').fill('1')
  await getUser.getByRole('button', { name: 'Execute' }).click()
  const liveBody = getUser.locator('.live-responses-table .response-col_description .microlight').first()
  await liveBody.waitFor({ timeout: 30_000 })
  t.same(JSON.parse(await liveBody.innerText()), { id: 1, name: 'Ada', age: 36 }, 'Execute shows the live response')
  t.equal((await getUser.locator('.live-responses-table .response .response-col_status').first().innerText()).trim(), '200')

  const screenshot = join(folder, 'docs.png')
  await page.screenshot({ path: screenshot, fullPage: true })
  t.ok(existsSync(screenshot), `screenshot saved at ${screenshot}`)
  t.same(outside, [], 'no request left the machine')
  t.same(pageErrors, [], 'no script error on the page')
})
