// ESLint: one formatting standard, `standard`'s (two-space indent, single quotes, no semicolons,
// a space before a function's parentheses), plus typescript-eslint's type-aware checks for
// promises and `any`. `npm run lint`; `npm run lint -- --fix` rewrites what can be rewritten.
//
// The standard rules are listed here with the plugins they need (@stylistic for the layout,
// eslint-plugin-n and eslint-plugin-promise) rather than taken from neostandard, which installs
// eslint-plugin-react and its ~115 dependencies even with JSX off.
import { readFileSync } from 'node:fs'
import stylistic from '@stylistic/eslint-plugin'
import n from 'eslint-plugin-n'
import promise from 'eslint-plugin-promise'
import globals from 'globals'
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
  'lib/app/routes.ts',
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

/** .gitignore's entries as ESLint ignore patterns: a name without a slash inside matches at any depth. */
const gitignored = readFileSync(new URL('.gitignore', import.meta.url), 'utf8').split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const path = line.replace(/^\//, '').replace(/\/$/, '/**')
    return line.replace(/\/$/, '').slice(1).includes('/') ? path : `**/${path}`
  })

/** Rules that are on with no options. */
const on = (names) => Object.fromEntries(names.map((name) => [name, 'error']))

/** The core rules of the standard style that TypeScript files check in typescript-eslint's form. */
const replacedForTypeScript = {
  'no-array-constructor': 'error',
  'no-dupe-class-members': 'error',
  'no-loss-of-precision': 'error',
  'no-redeclare': ['error', { builtinGlobals: false }],
  'no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true, allowTaggedTemplates: true }],
  'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true, vars: 'all' }],
  'no-use-before-define': ['error', { functions: false, classes: false, variables: false }],
  'no-useless-constructor': 'error'
}
/** Core rules that TypeScript's own checks make redundant in .ts files. */
const checkedByTypeScript = [
  'constructor-super', 'no-const-assign', 'no-dupe-args', 'no-dupe-keys', 'no-func-assign', 'no-import-assign',
  'no-new-native-nonconstructor', 'no-obj-calls', 'no-this-before-super', 'no-undef', 'no-unreachable', 'no-unsafe-negation'
]

/** The standard style: what the code was written in, and what `standard` checks. */
const standardRules = {
  ...on([
    'constructor-super', 'default-case-last', 'no-async-promise-executor', 'no-caller', 'no-case-declarations',
    'no-class-assign', 'no-compare-neg-zero', 'no-const-assign', 'no-control-regex', 'no-debugger', 'no-delete-var',
    'no-dupe-args', 'no-dupe-keys', 'no-duplicate-case', 'no-empty-character-class', 'no-empty-pattern', 'no-eval',
    'no-ex-assign', 'no-extend-native', 'no-extra-bind', 'no-extra-boolean-cast', 'no-fallthrough', 'no-func-assign',
    'no-global-assign', 'no-implied-eval', 'no-import-assign', 'no-invalid-regexp', 'no-irregular-whitespace', 'no-iterator', 'no-labels',
    'no-lone-blocks', 'no-misleading-character-class', 'no-multi-str', 'no-new', 'no-new-func',
    'no-new-native-nonconstructor', 'no-new-wrappers', 'no-obj-calls', 'no-object-constructor', 'no-octal',
    'no-octal-escape', 'no-proto', 'no-prototype-builtins', 'no-regex-spaces', 'no-self-compare',
    'no-shadow-restricted-names', 'no-sparse-arrays', 'no-template-curly-in-string', 'no-this-before-super',
    'no-throw-literal', 'no-undef', 'no-undef-init', 'no-unexpected-multiline', 'no-unmodified-loop-condition',
    'no-unreachable', 'no-unreachable-loop', 'no-unsafe-finally', 'no-unsafe-negation', 'no-useless-backreference',
    'no-useless-call', 'no-useless-catch', 'no-useless-computed-key', 'no-useless-escape', 'no-useless-rename',
    'no-useless-return', 'no-void', 'no-with', 'prefer-promise-reject-errors', 'symbol-description'
  ]),
  ...replacedForTypeScript,
  'accessor-pairs': ['error', { setWithoutGet: true, enforceForClassMembers: true }],
  'array-callback-return': ['error', { allowImplicit: false, checkForEach: false }],
  camelcase: ['error', { allow: ['^UNSAFE_'], properties: 'never', ignoreGlobals: true }],
  curly: ['error', 'multi-line'],
  eqeqeq: ['error', 'always', { null: 'ignore' }],
  'new-cap': ['error', { newIsCap: true, capIsNew: false, properties: true }],
  'no-cond-assign': 'error',
  'no-constant-condition': ['error', { checkLoops: false }],
  'no-empty': ['error', { allowEmptyCatch: true }],
  'no-return-assign': ['error', 'except-parens'],
  'no-self-assign': ['error', { props: true }],
  'no-sequences': 'error',
  'no-unneeded-ternary': ['error', { defaultAssignment: false }],
  'no-var': 'warn',
  'object-shorthand': ['warn', 'properties'],
  'one-var': ['error', { initialized: 'never' }],
  'prefer-const': ['error', { destructuring: 'all' }],
  'prefer-regex-literals': ['error', { disallowRedundantWrapping: true }],
  'unicode-bom': ['error', 'never'],
  'use-isnan': ['error', { enforceForSwitchCase: true, enforceForIndexOf: true }],
  'valid-typeof': ['error', { requireStringLiterals: true }],
  yoda: ['error', 'never'],

  'n/handle-callback-err': ['error', '^(err|error)$'],
  'n/no-callback-literal': 'error',
  'n/no-deprecated-api': 'warn',
  'n/no-exports-assign': 'error',
  'n/no-new-require': 'error',
  'n/no-path-concat': 'error',
  'n/process-exit-as-throw': 'error',
  // A promise's resolve and reject may say what they settle (`resolveAll`): the rule only wants
  // them recognisable, and `resolve` is often path's.
  'promise/param-names': ['error', { resolvePattern: '^_?resolve', rejectPattern: '^_?reject' }],

  ...Object.fromEntries(Object.entries({
    ...on([
      'eol-last', 'new-parens', 'no-floating-decimal', 'no-mixed-spaces-and-tabs', 'no-tabs', 'no-trailing-spaces',
      'no-whitespace-before-property', 'space-infix-ops'
    ]),
    'array-bracket-spacing': ['error', 'never'],
    'arrow-spacing': ['error', { before: true, after: true }],
    'block-spacing': ['error', 'always'],
    'brace-style': ['error', '1tbs', { allowSingleLine: true }],
    'comma-dangle': ['warn', { arrays: 'ignore', enums: 'ignore', exports: 'ignore', imports: 'ignore', objects: 'ignore' }],
    'comma-spacing': ['error', { before: false, after: true }],
    'comma-style': ['error', 'last'],
    'computed-property-spacing': ['error', 'never', { enforceForClassMembers: true }],
    'dot-location': ['error', 'property'],
    'func-call-spacing': ['error', 'never'],
    'generator-star-spacing': ['error', { before: true, after: true }],
    indent: ['error', 2, {
      SwitchCase: 1,
      VariableDeclarator: 1,
      outerIIFEBody: 1,
      MemberExpression: 1,
      FunctionDeclaration: { parameters: 1, body: 1 },
      FunctionExpression: { parameters: 1, body: 1 },
      CallExpression: { arguments: 1 },
      ArrayExpression: 1,
      ObjectExpression: 1,
      ImportDeclaration: 1,
      flatTernaryExpressions: false,
      ignoreComments: false,
      // Template literals keep the indentation of their text. Inside conditional types, a `? :`
      // chain of types reads as a tree, indented by its depth, which the rule would flatten.
      ignoredNodes: ['TemplateLiteral *', 'TSConditionalType', 'TSConditionalType *'],
      offsetTernaryExpressions: true
    }],
    'key-spacing': ['error', { beforeColon: false, afterColon: true }],
    'keyword-spacing': ['error', { before: true, after: true }],
    'lines-between-class-members': ['error', 'always', { exceptAfterSingleLine: true, exceptAfterOverload: true }],
    'multiline-ternary': ['error', 'always-multiline'],
    'no-extra-parens': ['error', 'functions'],
    'no-mixed-operators': ['error', {
      groups: [['==', '!=', '===', '!==', '>', '>=', '<', '<='], ['&&', '||'], ['in', 'instanceof']],
      allowSamePrecedence: true
    }],
    'no-multi-spaces': ['error', { ignoreEOLComments: true }],
    'no-multiple-empty-lines': ['error', { max: 1, maxBOF: 0, maxEOF: 0 }],
    'object-curly-newline': ['error', { multiline: true, consistent: true }],
    'object-curly-spacing': ['error', 'always'],
    'object-property-newline': ['error', { allowMultiplePropertiesPerLine: true }],
    'operator-linebreak': ['error', 'after', { overrides: { '?': 'before', ':': 'before', '|>': 'before' } }],
    'padded-blocks': ['error', { blocks: 'never', switches: 'never', classes: 'never' }],
    'quote-props': ['error', 'as-needed'],
    quotes: ['error', 'single', { avoidEscape: true, allowTemplateLiterals: false }],
    'rest-spread-spacing': ['error', 'never'],
    semi: ['error', 'never'],
    'semi-spacing': ['error', { before: false, after: true }],
    'space-before-blocks': ['error', 'always'],
    'space-before-function-paren': ['error', 'always'],
    'space-in-parens': ['error', 'never'],
    'space-unary-ops': ['error', { words: true, nonwords: false }],
    'spaced-comment': ['error', 'always', {
      line: { markers: ['*package', '!', '/', ',', '='] },
      block: { balanced: true, markers: ['*package', '!', ',', ':', '::', 'flow-include'], exceptions: ['*'] }
    }],
    'template-curly-spacing': ['error', 'never'],
    'template-tag-spacing': ['error', 'never'],
    'wrap-iife': ['error', 'any', { functionPrototypeMethods: true }],
    'yield-star-spacing': ['error', 'both']
  }).map(([name, value]) => [`@stylistic/${name}`, value]))
}
const unusedVars = replacedForTypeScript['no-unused-vars'][1]

export default [
  {
    ignores: [...gitignored, 'benchmarks/results/**', 'test/fastify-suite/**', 'test/fjs-suite/**',
      // Type errors on purpose: test/type-errors.test.ts checks that TypeScript reports them.
      'test/types/errors/**',
      // Written by test/types/perf/generate.mjs (ignored by git there).
      'test/types/perf/*.gen.ts']
  },
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.es2022, ...globals.node, document: 'readonly', navigator: 'readonly', window: 'readonly' }
    },
    plugins: { '@stylistic': stylistic, n, promise },
    rules: standardRules
  },
  {
    files: ['**/*.{ts,mts,cts}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      ...Object.fromEntries(checkedByTypeScript.map((name) => [name, 'off'])),
      ...Object.fromEntries(Object.entries(replacedForTypeScript).flatMap(([name, value]) => [[name, 'off'], [`@typescript-eslint/${name}`, value]]))
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
