// The subset of the Amazon States Language (JSONPath) the compilers emit.

import type { Json } from '../../lib/contract/index.js';

export type { Json };

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath?: string | null;
  readonly Next: string;
}

interface Base {
  readonly Comment?: string;
}

interface Transition {
  readonly Next?: string;
  readonly End?: true;
}

export interface TaskState extends Base, Transition {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters?: { readonly [key: string]: Json };
  readonly ResultSelector?: { readonly [key: string]: Json };
  readonly ResultPath?: string | null;
  readonly OutputPath?: string;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface ParallelState extends Base, Transition {
  readonly Type: 'Parallel';
  readonly Branches: readonly StateMachineDefinition[];
  readonly ResultPath?: string | null;
  readonly Catch?: readonly Catcher[];
}

export interface ChoiceRule {
  readonly Variable: string;
  readonly BooleanEquals?: boolean;
  readonly StringEquals?: string;
  readonly Next: string;
}

export interface ChoiceState extends Base {
  readonly Type: 'Choice';
  readonly Choices: readonly ChoiceRule[];
  readonly Default: string;
}

export interface FailState extends Base {
  readonly Type: 'Fail';
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export interface SucceedState extends Base {
  readonly Type: 'Succeed';
  readonly OutputPath?: string;
}

export interface PassState extends Base, Transition {
  readonly Type: 'Pass';
  readonly Parameters?: { readonly [key: string]: Json };
  readonly ResultPath?: string | null;
}

export type State = TaskState | ParallelState | ChoiceState | FailState | SucceedState | PassState;

export interface StateMachineDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: { readonly [name: string]: State };
}
