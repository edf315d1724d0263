import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import WebSocket from 'ws'
import { buildApp } from './app.js'

test('messages sent by one client reach everyone in the room, and close() ends the connections', async () => {
  const app = buildApp()
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const url = (name: string) => `ws://127.0.0.1:${port}/chat?token=let-me-in&name=${name}`

  const ada = new WebSocket(url('ada'))
  const bob = new WebSocket(url('bob'))
  await Promise.all([once(ada, 'open'), once(bob, 'open')])
  assert.deepEqual((await app.inject('/chat/online')).json(), { online: 2 })

  const received = once(bob, 'message')
  ada.send('hello')
  const [data] = await received
  assert.equal(data.toString(), 'ada: hello')

  const closed = Promise.all([once(ada, 'close'), once(bob, 'close')])
  await app.close()
  await closed
})

test('the onRequest hook refuses an upgrade without the token, before the socket opens', async () => {
  const app = buildApp()
  await app.ready()
  await assert.rejects(app.injectWS('/chat'), /Unexpected server response: 401/)
  const ws = await app.injectWS('/chat?token=let-me-in&name=eve')
  const echoed = once(ws, 'message')
  ws.send('hi')
  assert.equal((await echoed)[0].toString(), 'eve: hi')
  ws.terminate()
  await app.close()
})
