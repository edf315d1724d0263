/**
 * The runtime instance (AppInstance) checked against the public interface (VeloxInstanceBase in
 * types/instance.ts): `npx tsc` fails when a public member is missing from the class or typed
 * differently there, unless it is one of the UncheckedMembers (test/types/instance-implementation.tst.ts
 * gives each one's reason and keeps the list exact). Types only, imported by lib/index.ts for its
 * one assignment and by the type test; no shipped declaration refers to this module, so a user's
 * own augmentations of the public interface never meet these checks.
 */
import type { AppInstance } from './instance.js'
import type { VeloxInstanceBase } from '../../types/instance.js'
import type { instanceState, VeloxDecorators } from '../../types/state.js'

/**
 * The instance state as the runtime knows it: the decorators, request and reply decorators and
 * shared schemas are the user's own values, of types only the user's code declares.
 */
export interface RuntimeState { decorators: any, request: any, reply: any, schemas: any }

/**
 * The public instance interface, as the runtime's state makes it: without the type-level state
 * marker and without the user's own decorators (VeloxDecorators augmentations).
 */
export type PublicApi = Omit<VeloxInstanceBase<RuntimeState>, typeof instanceState | keyof VeloxDecorators>

/**
 * The members of `Public` that `Runtime` lacks or has with another type: its type is not
 * assignable to the public one, or (for functions, whose method parameters TypeScript compares
 * both ways) the public arguments are not all accepted by the runtime's last signature.
 */
export type DriftingMembers<Runtime, Public> = {
  [K in keyof Public]-?: K extends keyof Runtime
    ? Runtime[K] extends Public[K]
      ? Public[K] extends (...args: infer P) => unknown
        ? Runtime[K] extends (...args: infer R) => unknown ? ([P] extends [R] ? never : K) : K
        : never
      : K
    : K
}[keyof Public]

/**
 * The public members (types/instance.ts) whose declared types AppInstance does not have, each for
 * a reason test/types/instance-implementation.tst.ts gives (it checks their arguments instead, and
 * fails when a member is missing from this list or listed without need).
 */
export type UncheckedMembers =
  | 'getDecorator' | 'addSchema' | 'addConstraintStrategy'
  | 'validatorCompiler' | 'serializerCompiler' | 'setValidatorCompiler' | 'setSerializerCompiler'
  | 'genReqId' | 'childLoggerFactory' | 'setChildLoggerFactory'

/**
 * The public interface as AppInstance implements it: every other member with its declared type.
 * lib/index.ts assigns the app to it.
 */
export type ImplementedInstance = Omit<PublicApi, UncheckedMembers>

/** Compiles only when `T` is never: here, when no member outside UncheckedMembers drifts. */
type NoneOf<T extends never> = T
export type InstanceDrift = NoneOf<Exclude<DriftingMembers<AppInstance, PublicApi>, UncheckedMembers>>
