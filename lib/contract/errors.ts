import { McError } from '../errors/index.js';

/**
 * Error names the state machines match in Retry and Catch. Handlers throw `ActionError`s; the
 * engines (Lambda on AWS, the local interpreter) surface `error.name` as the ASL error name.
 */
export const ERROR_NAMES = {
  /** A stage command or action failed; retried up to the stage's `retries`. */
  stepFailed: 'MC.StepFailed',
  /** The action exists in the format but not yet in this version of mc; never retried. */
  actionUnavailable: 'MC.ActionUnavailable',
  /** The supply-chain gate blocked the release: deciding again gives the same; never retried. */
  gateBlocked: 'MC.GateBlocked',
  /** The task's input is not what the contract says; never retried. */
  invalidInput: 'MC.InvalidInput',
  /** The run was stopped (Ctrl-C, fail-fast) while the node ran. */
  cancelled: 'MC.Cancelled',
  /** The node graph failed; set on the Fail state that ends a failed run. */
  runFailed: 'MC.RunFailed',
  nodeFailed: 'MC.NodeFailed',
  /** A registry did not answer (connection refused, 5xx, 429): worth a retry with backoff. */
  registryUnreachable: 'MC.RegistryUnreachable',
  /** A pushed image failed verification; set on the Fail state of the verify-image machine. */
  imageRejected: 'MC.ImageRejected',
} as const;

export type ErrorName = (typeof ERROR_NAMES)[keyof typeof ERROR_NAMES];

type Code =
  | 'STEP_FAILED'
  | 'ACTION_UNAVAILABLE'
  | 'GATE_BLOCKED'
  | 'INVALID_INPUT'
  | 'CANCELLED'
  | 'REGISTRY_UNREACHABLE';
const NAMES: Record<Code, ErrorName> = {
  STEP_FAILED: ERROR_NAMES.stepFailed,
  ACTION_UNAVAILABLE: ERROR_NAMES.actionUnavailable,
  GATE_BLOCKED: ERROR_NAMES.gateBlocked,
  INVALID_INPUT: ERROR_NAMES.invalidInput,
  CANCELLED: ERROR_NAMES.cancelled,
  REGISTRY_UNREACHABLE: ERROR_NAMES.registryUnreachable,
};

/** Thrown by task handlers; its `name` is the ASL error name (e.g. MC.StepFailed). */
export class ActionError extends McError<Code> {
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = NAMES[code];
  }
}
