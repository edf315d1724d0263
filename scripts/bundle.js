// Bundles lib/ into the ES modules the package ships: `dist/velox.js` (the `velox` entry),
// `dist/serverless.js` (`velox/serverless`), `dist/client.js` (`velox/client`) and `dist/cli.js` (the `velox` command), with the
// code they share in `dist/chunks/` (the CLI imports the core, so the core is one chunk that
// `velox.js` re-exports: importing Velox reads two files). Loading some forty modules one by one cost a cold start
// more than running them; one bundle is read, parsed and linked at once. Dependencies stay
// external: they are installed next to Velox and loaded from node_modules as usual (the schema
// compilers only when something must be compiled). Declarations come from `tsc` (see package.json).
// `node scripts/bundle.js [outdir]`.
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const outdir = path.resolve(process.argv[2] ?? path.join(root, 'dist'))

// A fresh directory: `npm run build` writes the declarations (tsc) into it after the bundle.
rmSync(outdir, { recursive: true, force: true })

/**
 * Velox's dependencies are CommonJS. Imported from an ES module, each one is first scanned by
 * Node's cjs-module-lexer for its named exports (a fifth of the import time, measured); Velox
 * only takes their default export, so the bundle loads them with `require` instead, which skips
 * the scan. A named import from a dependency would fail the build here rather than at run time.
 */
const requireCommonJs = {
  name: 'require-commonjs',
  setup (build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.kind !== 'import-statement') return undefined
      return { path: args.path, namespace: 'require-commonjs' }
    })
    build.onLoad({ filter: /.*/, namespace: 'require-commonjs' }, (args) => ({
      contents: `import { createRequire } from 'node:module'\nexport default createRequire(import.meta.url)(${JSON.stringify(args.path)})\n`,
      loader: 'js'
    }))
  }
}

/**
 * `velox client` writes lib/client/client.ts into the clients it generates. lib/ is not
 * shipped, so the CLI's bundle carries the file's text in place of the module that reads it.
 */
const clientRuntimeSource = {
  name: 'client-runtime-source',
  setup (build) {
    build.onLoad({ filter: /[\\/]lib[\\/]client[\\/]runtime-source\.ts$/ }, () => ({
      contents: `export function clientRuntimeSource () { return ${JSON.stringify(readFileSync(path.join(root, 'lib/client/client.ts'), 'utf8'))} }\n`,
      loader: 'js'
    }))
  }
}

await build({
  absWorkingDir: root,
  entryPoints: {
    velox: 'lib/index.ts',
    serverless: 'lib/serverless/index.ts',
    // velox/client: imports nothing of the server, so it shares no chunk with it.
    client: 'lib/client/index.ts',
    cli: 'lib/cli/index.ts'
  },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every bare import (ajv, pino, find-my-way...) is a dependency installed beside Velox.
  packages: 'external',
  plugins: [requireCommonJs, clientRuntimeSource],
  // The maps carry their sources, so a stack trace mapped with --enable-source-maps points at
  // the TypeScript even though lib/ is not shipped.
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'warning'
})
