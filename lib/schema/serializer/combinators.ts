/**
 * allOf, anyOf/oneOf and if/then/else. allOf merges its members into one schema. anyOf/oneOf
 * and if/then/else merge each branch with the keywords beside it and pick, per value, the first
 * branch Ajv accepts (fast-json-stringify's rule: a oneOf value matching two branches takes the
 * first, it is not an error); a value no branch accepts is an error.
 */
import type { Compilation } from './context.js'
import { mismatchError } from './context.js'
import type { Location } from './location.js'
import type { Mode } from './emit.js'
import { escapeRefForAjv } from './validator.js'

/** A `#name` anchor fragment. */
const NAMED_FRAGMENT = /^#[a-z_][-\w._]*$/i

/** Merged location for `branch` (memoized by the branch schema, so recursion ends) merged over `base`. */
function mergedBranch (c: Compilation, base: Location, branch: Location): Location {
  const resolver = c.resolver
  const known = resolver.mergedBySchema.get(branch.schema)
  if (known !== undefined) return resolver.mergedLocation(known)
  const id = resolver.nextMergedId()
  resolver.mergedBySchema.set(branch.schema, id)
  return resolver.mergeInto(id, [base, branch])
}

export function allOf (c: Compilation, location: Location, input: string, mode: Mode): string {
  const resolver = c.resolver
  const schema = location.schema
  const known = resolver.mergedBySchema.get(schema)
  if (known !== undefined) return c.value(resolver.mergedLocation(known), input, mode)
  const id = resolver.nextMergedId()
  resolver.mergedBySchema.set(schema, id)
  const { allOf: members, ...rest } = schema
  // Merging would combine `additionalProperties: false` with the members' and could keep
  // properties the outer schema drops: it is set again on the result.
  const dropExtras = rest.additionalProperties === false
  if (dropExtras) delete rest.additionalProperties
  const membersLocation = location.child('allOf')
  const locations = [location.withSchema(rest)]
  for (let i = 0; i < members.length; i++) locations.push(membersLocation.child(i))
  const merged = resolver.mergeInto(id, locations)
  if (dropExtras) merged.schema.additionalProperties = false
  return c.value(merged, input, mode)
}

export function anyOf (c: Compilation, location: Location, input: string, mode: Mode): string {
  const resolver = c.resolver
  c.needsValidatorFor(location.schemaId)
  const keyword = location.schema.anyOf ? 'anyOf' : 'oneOf'
  const { [keyword]: branches, ...rest } = location.schema
  const restLocation = location.withSchema(rest)
  const branchesLocation = location.child(keyword)
  const restIsEmpty = Object.keys(rest).length === 0
  let code = ''
  for (let i = 0; i < branches.length; i++) {
    const branchLocation = branchesLocation.child(i)
    let target: Location
    if (typeof branchLocation.schema.$ref === 'string') {
      target = resolver.resolve(branchLocation)
      if (!restIsEmpty) {
        // Keyed by content: the branch is copied on every merge of its target, so a recursive
        // `$ref` would otherwise merge again at every level.
        const siblings = location.withSchema(resolver.absoluteCopy(rest, location.schemaId))
        const resolved = target
        target = resolver.mergedForContent(resolved.ref + JSON.stringify(siblings.schema), (id) => {
          resolver.mergeInto(id, [siblings, resolved])
        })
      }
    } else {
      target = mergedBranch(c, restLocation, branchLocation)
    }
    const write = c.value(target, input, mode)
    code += `${i === 0 ? 'if' : 'else if'} (${c.branchCheck(validatorRef(c, branchLocation), input)}) {\n${write}}\n`
  }
  return code + `else ${mismatchError(c, location)}\n`
}

export function ifThenElse (c: Compilation, location: Location, input: string, mode: Mode): string {
  c.needsValidatorFor(location.schemaId)
  const { if: _if, then: thenSchema, else: elseSchema, ...rest } = location.schema
  const base = location.withSchema(rest)
  const check = c.branchCheck(validatorRef(c, location.child('if')), input)
  // `then` may be left out: the true branch is then the schema without if/else.
  const thenLocation = thenSchema !== undefined ? mergedBranch(c, base, location.child('then')) : base
  const elseLocation = elseSchema ? mergedBranch(c, base, location.child('else')) : base
  return `if (${check}) {\n${c.value(thenLocation, input, mode)}} else {\n${c.value(elseLocation, input, mode)}}\n`
}

/**
 * The ref Ajv validates a branch against: its place in its document, or, for a branch that is
 * only a `$ref` to a known document, the target itself (cheaper for Ajv than a path through
 * the root). Escaped for Ajv's decoding.
 */
function validatorRef (c: Compilation, location: Location): string {
  let ref = location.ref
  const schema = location.schema
  if (typeof schema.$ref === 'string' && Object.keys(schema).length === 1) {
    const target: string = schema.$ref
    const hash = target.indexOf('#')
    const targetId = hash === -1 ? target : target.slice(0, hash)
    const pointer = hash === -1 ? '' : target.slice(hash)
    const bare = pointer === '' || pointer === '#'
    const refs = c.resolver.refs
    if ((bare || NAMED_FRAGMENT.test(pointer) || pointer.startsWith('#/')) && targetId && refs.hasSchema(targetId)) {
      const document = refs.getSchema(targetId)
      const sub = bare ? document : refs.getSchema(targetId, pointer)
      const anchorId = typeof document.$id === 'string' && document.$id.charAt(0) === '#'
      if (sub !== null && (!anchorId || document.$id === pointer)) ref = targetId + (bare ? '#' : pointer)
    }
  }
  return escapeRefForAjv(ref)
}
