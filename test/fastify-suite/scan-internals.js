#!/usr/bin/env node
/**
 * A maintenance aid for exclusions.json, not part of the run: lists the tests of Fastify's suite
 * whose code (or a helper they call) uses something internal to Fastify: a lib/ module other than
 * errors.js, lib/symbols, proxyquire'd Fastify files, package.json's version, Fastify's own paths.
 * Each finding still needs a human look (a test may only read an internal value that does not
 * matter to what it checks); the reason written in exclusions.json is the reviewed one.
 *
 *   node test/fastify-suite/scan-internals.js [words...]   (uses acorn from the repository's tree)
 */
import fs from 'node:fs'
import path from 'node:path'
import * as acorn from 'acorn'
import * as walk from 'acorn-walk'
import { realFastify, listTestFiles } from './sandbox.js'

const testDir = path.join(realFastify, 'test')
const internalPath = /(^|\/)(lib\/(?!errors(\.js)?$)[\w./-]+|package\.json|fastify(\.js)?)$|^\.\.?(\/\.\.)*$/
/** `require('..')`, `require('../fastify')`: Fastify's public entry (unless proxyquire rewires it). */
const publicEntry = /^\.\.?(\/\.\.)*(\/fastify(\.js)?)?$/

function isRequire (node) {
  return node.type === 'CallExpression' && node.callee.type === 'Identifier' &&
    (node.callee.name === 'require' || node.callee.name === 'proxyquire') &&
    node.arguments[0]?.type === 'Literal' && typeof node.arguments[0].value === 'string'
}

/** The names bound by `const x = require(...)`, `const { a, b } = require(...)`, `require(...).x`. */
function boundNames (pattern) {
  if (pattern.type === 'Identifier') return [pattern.name]
  if (pattern.type === 'ObjectPattern') return pattern.properties.flatMap((p) => boundNames(p.value ?? p.argument))
  if (pattern.type === 'ArrayPattern') return pattern.elements.filter(Boolean).flatMap(boundNames)
  return []
}

function testName (node) {
  const arg = node.arguments[0]
  if (arg?.type === 'Literal' && typeof arg.value === 'string') return arg.value
  if (arg?.type === 'TemplateLiteral') return arg.quasis.map((q) => q.value.cooked).join('${...}')
  return null
}

function isTestCall (node) {
  if (node.type !== 'CallExpression' || node.arguments.length === 0) return false
  const callee = node.callee
  if (callee.type === 'Identifier') return ['test', 'it', 'describe'].includes(callee.name)
  return callee.type === 'MemberExpression' && !callee.computed && ['test', 'it', 'describe'].includes(callee.property.name)
}

function scan (file) {
  const source = fs.readFileSync(path.join(testDir, file), 'utf8')
  const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: file.endsWith('.mjs') ? 'module' : 'script', allowHashBang: true, allowAwaitOutsideFunction: true })
  const internal = new Map()
  const baseOf = (spec) => spec.replace(/^(\.\.\/)+|^\.\//, '')
  // Only the file's top-level bindings are followed by name: a test's own `const Fastify =
  // proxyquire(...)` must not mark every other test's `Fastify`; a require() inside a test body is
  // found where it is called.
  const topLevel = ast.body.flatMap((statement) => statement.type === 'VariableDeclaration' ? statement.declarations : [statement])
  topLevel.forEach((node) => {
    if (node.type === 'VariableDeclarator' && node.init !== null) {
      let init = node.init
      while (init.type === 'MemberExpression') init = init.object
      if (isRequire(init) && internalPath.test(init.arguments[0].value) && init.arguments[0].value.startsWith('.')) {
        const spec = init.arguments[0].value
        // `require('..')` is Fastify's public entry unless proxyquire rewires it.
        if (init.callee.name === 'require' && publicEntry.test(spec)) return
        for (const name of boundNames(node.id)) internal.set(name, `${init.callee.name}('${baseOf(spec)}')`)
      }
    }
    if (node.type === 'ImportDeclaration' && internalPath.test(node.source.value) && !/fastify\.js$/.test(node.source.value)) {
      for (const s of node.specifiers) internal.set(s.local.name, `import '${baseOf(node.source.value)}'`)
    }
  })
  // Functions of the file that use an internal name are internal too (to a fixed point).
  const functions = []
  topLevel.forEach((node) => {
    if (node.type === 'FunctionDeclaration' && node.id) functions.push([node.id.name, node])
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && /Function/.test(node.init?.type ?? '')) functions.push([node.id.name, node.init])
  })
  const uses = (node, skipTests) => {
    const found = new Set()
    const visit = (n) => {
      if (n === null || typeof n !== 'object') return
      if (n !== node && skipTests && isTestCall(n)) return
      if (n.type === 'Identifier' && internal.has(n.name)) found.add(internal.get(n.name))
      if (isRequire(n) && n.arguments[0].value.startsWith('.') && internalPath.test(n.arguments[0].value) &&
        !(n.callee.name === 'require' && publicEntry.test(n.arguments[0].value))) found.add(`${n.callee.name}('${baseOf(n.arguments[0].value)}')`)
      if (n.type === 'Literal' && typeof n.value === 'string' && /(^|\/)(lib\/[\w-]+\.js|package\.json|fastify\.js)$/.test(n.value) && !/errors\.js$/.test(n.value)) found.add(`path '${n.value}'`)
      for (const key of Object.keys(n)) {
        if (key === 'type' || key === 'start' || key === 'end') continue
        const child = n[key]
        if (Array.isArray(child)) child.forEach(visit)
        else if (child !== null && typeof child === 'object' && typeof child.type === 'string') visit(child)
      }
    }
    visit(node)
    return found
  }
  let changed = true
  while (changed) {
    changed = false
    for (const [name, fn] of functions) {
      if (internal.has(name)) continue
      const found = uses(fn.body ?? fn, false)
      if (found.size > 0) {
        internal.set(name, `${name}() using ${[...found].join(', ')}`)
        changed = true
      }
    }
  }
  const results = []
  const visitTests = (node, parents, inheritedReason) => {
    if (node === null || typeof node !== 'object') return
    if (isTestCall(node)) {
      const name = testName(node)
      const fullName = [...parents, name ?? '<dynamic name>'].join(' > ')
      const body = node.arguments.find((a) => /Function/.test(a.type))
      const own = body ? uses(body, true) : new Set()
      const reason = inheritedReason ?? (own.size > 0 ? [...own].join(', ') : null)
      if (reason !== null && inheritedReason === null) results.push({ file, test: fullName, reason })
      if (body) visitTests(body.body, [...parents, name ?? '<dynamic name>'], reason)
      return
    }
    for (const key of Object.keys(node)) {
      const child = node[key]
      if (Array.isArray(child)) child.forEach((c) => visitTests(c, parents, inheritedReason))
      else if (child !== null && typeof child === 'object' && typeof child.type === 'string') visitTests(child, parents, inheritedReason)
    }
  }
  visitTests(ast, [], null)
  return results
}

const filters = process.argv.slice(2)
for (const file of listTestFiles(testDir)) {
  if (filters.length > 0 && !filters.some((w) => file.includes(w))) continue
  for (const finding of scan(file)) console.log(JSON.stringify(finding))
}
