// Calls the running example (npm start, in another terminal) through velox/client, typed from
// the app's type alone: `npx tsx examples/client.ts`.
import { createClient } from 'velox/client'
import type { App } from './app.js'

const api = createClient<App>(process.env.API_URL ?? 'http://127.0.0.1:3000')

const created = await api.v1.users.$post({ body: { name: 'Grace', age: 45 } })
if (created.status === 201) {
  const one = await api.v1.users[':id'].$get({ params: { id: created.data.id } })
  if (one.status === 200) console.log(`user ${one.data.id}: ${one.data.name}`)
} else {
  console.error(`could not create the user: ${created.status} ${created.data.message}`)
}

const missing = await api.v1.users[':id'].$get({ params: { id: 999 } })
if (missing.status === 404) console.log(missing.data.message) // "No user 999"
