import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'undici'
import { buildApp } from './app.js'

/** Reads the event stream until `count` events arrived; returns them parsed. */
async function readEvents (body: AsyncIterable<Buffer>, count: number): Promise<Array<Record<string, string>>> {
  const events: Array<Record<string, string>> = []
  let buffered = ''
  for await (const chunk of body) {
    buffered += chunk.toString()
    let end
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      const event: Record<string, string> = {}
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':')
        if (colon > 0) event[line.slice(0, colon)] = line.slice(colon + 1).trim()
      }
      if (event.data !== undefined) events.push(event)
      if (events.length === count) return events
    }
  }
  return events
}

test('a client on /orders/events receives each order as it is created, and a reconnect replays what it missed', async () => {
  const app = buildApp()
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

  const stream = await request(`${base}/orders/events`, { headers: { accept: 'text/event-stream' } })
  assert.equal(stream.statusCode, 200)
  assert.match(String(stream.headers['content-type']), /^text\/event-stream/)

  const created = await app.inject({ method: 'POST', url: '/orders', payload: { item: 'tea' } })
  assert.equal(created.statusCode, 201)
  await app.inject({ method: 'POST', url: '/orders', payload: { item: 'cake' } })
  const live = await readEvents(stream.body, 2)
  assert.deepEqual(live.map((e) => [e.id, e.event, JSON.parse(e.data).status]), [['1', 'order', 'created: tea'], ['2', 'order', 'created: cake']])
  stream.body.destroy()

  // The browser reconnects with the last id it saw and gets the rest.
  await app.inject({ method: 'POST', url: '/orders', payload: { item: 'soup' } })
  const again = await request(`${base}/orders/events`, { headers: { accept: 'text/event-stream', 'last-event-id': '2' } })
  const replayed = await readEvents(again.body, 1)
  assert.deepEqual(JSON.parse(replayed[0].data), { orderId: 3, status: 'created: soup' })
  again.body.destroy()
  await app.close()
})

test('a client that refuses event streams gets 406', async () => {
  const app = buildApp()
  const res = await app.inject({ url: '/orders/events', headers: { accept: 'application/json' } })
  assert.equal(res.statusCode, 406)
  await app.close()
})
