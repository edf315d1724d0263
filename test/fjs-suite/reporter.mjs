// node:test reporter for run.js: one JSON line per finished test.
export default async function * reporter (source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { file, name, nesting, details } = event.data
    const error = details?.error
    yield JSON.stringify({
      file,
      name,
      nesting,
      pass: event.type === 'test:pass',
      error: error === undefined ? undefined : String(error.cause?.message ?? error.message).slice(0, 300)
    }) + '\n'
  }
}
