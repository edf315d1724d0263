// ESLint: one formatting standard, neostandard (`standard`'s rules carried to ESLint 9 and
// TypeScript: two-space indent, single quotes, no semicolons, a space before a function's
// parentheses), plus typescript-eslint's type-aware checks for promises and `any`.
// `npm run lint`; `npm run lint -- --fix` rewrites what can be rewritten.
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'
import tseslint from 'typescript-eslint'

const unsafeAny = ['no-unsafe-assignment', 'no-unsafe-member-access', 'no-unsafe-call', 'no-unsafe-return', 'no-unsafe-argument']

/**
 * Files where `any` still flows further than the user values it stands for. Each is to be typed
 * and struck off this list (issue 18); new code does not go here. `LINT_ALL_ANY=1 npm run lint`
 * shows what is left in them.
 */
const anyNotYetConfined = [
  'lib/app/app-state.ts',
  'lib/app/decorators.ts',
  'lib/app/initial-config.ts',
  'lib/app/instance.ts',
  'lib/app/plugin-tree.ts',
  'lib/app/routes.ts',
  'lib/app/scope.ts',
  'lib/cli/start.ts',
  'lib/lifecycle/pipeline.ts',
  'lib/lifecycle/reply.ts',
  'lib/lifecycle/request.ts',
  'lib/lifecycle/route-context.ts',
  'lib/schema/build-file.ts',
  'lib/schema/compile.ts',
  'lib/schema/normalize.ts',
  'lib/schema/serializer/array.ts',
  'lib/schema/serializer/combinators.ts',
  'lib/schema/serializer/generate.ts',
  'lib/schema/serializer/index.ts',
  'lib/schema/serializer/location.ts',
  'lib/schema/serializer/object.ts',
  'lib/schema/serializer/resolver.ts',
  'lib/schema/serializer/runtime.ts',
  'lib/schema/serializer/schema-check.ts',
  'lib/schema/serializer/validator.ts',
  'lib/server/server.ts'
]

const standard = neostandard({
  ts: true,
  noJsx: true,
  ignores: [...resolveIgnoresFromGitignore(), 'benchmarks/results/**', 'test/fastify-suite/**', 'test/fjs-suite/**',
    // Type errors on purpose: test/type-errors.test.ts checks that TypeScript reports them.
    'test/types/errors/**',
    // Written by test/types/perf/generate.mjs (ignored by git there).
    'test/types/perf/*.gen.ts']
})
/** The options neostandard gives a rule, to extend rather than restate them. */
const optionsOf = (rule) => standard.findLast((config) => config.rules?.[rule])?.rules[rule].at(-1)
const styleIndent = optionsOf('@stylistic/indent')
const unusedVars = optionsOf('@typescript-eslint/no-unused-vars')

export default [
  ...standard,
  {
    rules: {
      // neostandard's indent, except inside conditional types: a `? :` chain of types reads as
      // a tree, indented by its depth, which the rule would flatten.
      '@stylistic/indent': ['error', 2, {
        ...styleIndent,
        ignoredNodes: [...styleIndent.ignoredNodes, 'TSConditionalType', 'TSConditionalType *']
      }]
    }
  },
  {
    rules: {
      // A promise's resolve and reject may say what they settle (`resolveAll`): the rule only
      // wants them recognisable, and `resolve` is often path's.
      'promise/param-names': ['error', { resolvePattern: '^_?resolve', rejectPattern: '^_?reject' }]
    }
  },
  {
    files: ['**/*.ts'],
    rules: {
      // A leading underscore marks a parameter kept for its position in a signature, as in
      // Fastify's type parameters that Velox accepts and does not use.
      '@typescript-eslint/no-unused-vars': ['error', { ...unusedVars, varsIgnorePattern: '^_', argsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests build apps to take their type (`createClient<typeof app>`): such a variable is used
      // as a type only, which the rule reports and has no option for. Named `app`/`…App`, it passes.
      '@typescript-eslint/no-unused-vars': ['error', { ...unusedVars, varsIgnorePattern: '^_|[aA]pp$', argsIgnorePattern: '^_' }]
    }
  },
  {
    // Types for every TypeScript file, from the nearest tsconfig.json: the root one for lib/ and
    // types/, test/tsconfig.json for the tests, test/types/tsconfig.json for the type tests.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // tap's t.test() returns a promise that tap itself waits for: not awaiting it is how
        // subtests are written.
        allowForKnownSafePromises: [{ from: 'package', package: '@tapjs/core', name: 'PromiseWithSubtest' }],
        // node:test's test()/describe() (the examples' tests) are waited for by the runner too.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'before', 'after'] }]
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error'
    }
  },
  {
    // The library and its public types: `any` only where an arbitrary user value comes in, and it
    // goes no further. Tests are exempt: they read untyped payloads (`res.json()`) on purpose.
    files: ['lib/**/*.ts', 'types/**/*.ts'],
    rules: Object.fromEntries(unsafeAny.map((rule) => [`@typescript-eslint/${rule}`, 'error']))
  },
  ...(anyNotYetConfined.length === 0 || process.env.LINT_ALL_ANY
    ? []
    : [{ files: anyNotYetConfined, rules: Object.fromEntries(unsafeAny.map((rule) => [`@typescript-eslint/${rule}`, 'off'])) }])
]
