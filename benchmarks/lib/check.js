// The one-request check every server passes before it gets load: status, media type and the
// exact body. A server that fails it is reported as broken, not measured.
import { request } from 'undici'

export async function checkResponse (port, scenario, timeoutMs = 5000) {
  const { method, path, headers, body } = scenario.request
  const expected = scenario.expect
  let res
  try {
    res = await request(`http://127.0.0.1:${port}${path}`, {
      method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs
    })
  } catch (err) {
    return `request failed: ${err.code ?? err.message}`
  }
  const text = await res.body.text()
  const problems = []
  if (res.statusCode !== expected.status) problems.push(`status ${res.statusCode}, expected ${expected.status}`)
  const type = String(res.headers['content-type'] ?? '')
  if (type.split(';')[0].trim().toLowerCase() !== 'application/json') {
    problems.push(`content-type "${type}", expected application/json`)
  }
  if (text !== expected.body) problems.push(`body ${clip(text)}, expected ${clip(expected.body)}`)
  return problems.length === 0 ? null : problems.join('; ')
}

function clip (text) {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text)
}
