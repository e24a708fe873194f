/**
 * The AWS calls `mc run --remote` and `mc status --remote` make, as `<service>:<Operation>` (the
 * SDK command without `Command`). The stack's GitHub CI role grants exactly these
 * (lib/infra/github-ci-role.ts); a test checks the list against the calls the code makes.
 */
export const REMOTE_CALLS = [
  // run: the drift check, the idempotency lookup, the start.
  'sfn:DescribeStateMachine',
  'sfn:DescribeExecution',
  'sfn:StartExecution',
  // run: the opening evidence (plan.json, …), conditional puts only.
  's3:PutObject',
  // status: the per-node outcomes.
  'sfn:GetExecutionHistory',
] as const;

export type RemoteCall = (typeof REMOTE_CALLS)[number];
