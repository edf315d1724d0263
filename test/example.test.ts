import t from 'tap'
import { buildApp } from '../examples/app.js'

t.test('the example app lists, reads and creates users', async (t) => {
  const app = buildApp({ logger: false })
  t.teardown(() => app.close())

  const list = await app.inject({ method: 'GET', url: '/v1/users' })
  t.equal(list.statusCode, 200)
  t.same(list.json(), [{ id: 1, name: 'Ada', age: 36 }])

  const created = await app.inject({ method: 'POST', url: '/v1/users', payload: { name: 'Grace', age: 45 } })
  t.equal(created.statusCode, 201)
  t.same(created.json(), { id: 2, name: 'Grace', age: 45 })

  const one = await app.inject({ method: 'GET', url: '/v1/users/2' })
  t.same(one.json(), { id: 2, name: 'Grace', age: 45 })

  const missing = await app.inject({ method: 'GET', url: '/v1/users/99' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { statusCode: 404, error: 'Not Found', message: 'No user 99' })
})

t.test('the example app rejects an invalid user with a coded 400', async (t) => {
  const app = buildApp({ logger: false })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/v1/users', payload: { age: -1 } })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'FST_ERR_VALIDATION',
    error: 'Bad Request',
    message: "body must have required property 'name'"
  })
})

t.test('the example app serves its OpenAPI document and docs page', async (t) => {
  const app = buildApp({ logger: false })
  t.teardown(() => app.close())
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(doc.statusCode, 200)
  t.equal(doc.json().info.title, 'Velox example')
  const page = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
})
