import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';
import type { RemoteCall } from '../remote/permissions.js';
import { REMOTE_CALLS } from '../remote/permissions.js';
import type { GitHubAccess, OidcProviderSource } from './config.js';
import { pipelineMachineName } from './deployed-names.js';
import { acknowledge, arnToken } from './nag.js';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The `sub` claims allowed to assume the role: each repository × each branch and environment. */
export function allowedSubjects(github: GitHubAccess): string[] {
  return github.repositories.flatMap((repo) => [
    ...github.branches.map((branch) => `repo:${repo}:ref:refs/heads/${branch}`),
    ...github.environments.map((environment) => `repo:${repo}:environment:${environment}`),
  ]);
}

type CiTarget = 'machines' | 'executions' | 'runObjects' | 'evidenceKey';

/** The IAM actions each call of `mc run --remote` / `mc status --remote` needs, and on what. */
export const CI_IAM_FOR_CALL: Record<RemoteCall, readonly [action: string, on: CiTarget][]> = {
  'sfn:DescribeStateMachine': [['states:DescribeStateMachine', 'machines']],
  'sfn:StartExecution': [['states:StartExecution', 'machines']],
  'sfn:DescribeExecution': [['states:DescribeExecution', 'executions']],
  'sfn:GetExecutionHistory': [['states:GetExecutionHistory', 'executions']],
  // SSE-KMS: a put has S3 ask the data key for a data key on the caller's behalf.
  's3:PutObject': [
    ['s3:PutObject', 'runObjects'],
    ['kms:GenerateDataKey', 'evidenceKey'],
  ],
};

export interface GitHubCiRoleProps {
  readonly env: EnvName;
  readonly github: GitHubAccess;
  readonly oidcProvider: OidcProviderSource;
  readonly pipelines: readonly string[];
  /** Where `mc run --remote` writes each run's opening evidence (`runs/<pipeline>/…`). */
  readonly evidence: s3.IBucket;
  readonly evidenceKey: kms.IKey;
}

/**
 * The role GitHub Actions assumes through OIDC (aws-actions/configure-aws-credentials): audience
 * sts.amazonaws.com, subject pinned to the configured repositories and refs (exact values, never a
 * wildcard), allowed exactly the calls of `mc run --remote` and `mc status --remote`
 * (REMOTE_CALLS) on this environment's pipelines: read and start their machines, read their
 * executions, and put the runs' opening evidence under `runs/<pipeline>/`.
 */
export class GitHubCiRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GitHubCiRoleProps) {
    super(scope, id);
    const provider =
      'create' in props.oidcProvider
        ? new iam.OidcProviderNative(this, 'Provider', {
            url: `https://${GITHUB_OIDC_HOST}`,
            clientIds: ['sts.amazonaws.com'],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.oidcProvider.arn);
    this.role = new iam.Role(this, 'Role', {
      roleName: `mc-ci-${props.env}`,
      description: `GitHub Actions of ${props.github.repositories.join(', ')} start ${props.env} pipeline runs`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: allowedSubjects(props.github),
        },
      }),
    });
    if (!props.pipelines.length) return;
    const stack = Stack.of(this);
    const arn = (resource: string, name: string) =>
      `arn:aws:states:${stack.region}:${stack.account}:${resource}:${name}`;
    const names = props.pipelines.map((p) => pipelineMachineName(p, props.env));
    const resources: Record<CiTarget, string[]> = {
      machines: names.map((n) => arn('stateMachine', n)),
      executions: names.map((n) => arn('execution', `${n}:*`)),
      runObjects: props.pipelines.map((p) => props.evidence.arnForObjects(`runs/${p}/*`)),
      evidenceKey: [props.evidenceKey.keyArn],
    };
    const actions = new Map<CiTarget, Set<string>>();
    for (const call of REMOTE_CALLS)
      for (const [action, on] of CI_IAM_FOR_CALL[call]) {
        if (!actions.has(on)) actions.set(on, new Set());
        actions.get(on)?.add(action);
      }
    const policy = new iam.Policy(this, 'StartRuns', {
      statements: [...actions].map(
        ([on, set]) =>
          new iam.PolicyStatement({
            actions: [...set].sort(),
            resources: resources[on],
            // The data key only as S3 uses it for those puts, never directly.
            ...(on === 'evidenceKey'
              ? { conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } } }
              : {}),
          }),
      ),
    });
    this.role.attachInlinePolicy(policy);
    for (const name of names)
      acknowledge(
        policy,
        `AwsSolutions-IAM5[Resource::${arn('execution', `${name}:*`)}]`,
        `Execution names are chosen per run (pipeline, commit, attempt); only executions of ${name}.`,
      );
    for (const pipeline of props.pipelines)
      acknowledge(
        policy,
        `AwsSolutions-IAM5[Resource::${arnToken(props.evidence)}/runs/${pipeline}/*]`,
        `Run ids are chosen per run; only the opening evidence of ${pipeline}'s runs, written once (If-None-Match).`,
      );
  }
}
