import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';
import type { GitHubAccess, OidcProviderSource } from './config.js';
import { pipelineMachineName } from './deployed-names.js';
import { acknowledge } from './nag.js';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The `sub` claims allowed to assume the role: each repository × each branch and environment. */
export function allowedSubjects(github: GitHubAccess): string[] {
  return github.repositories.flatMap((repo) => [
    ...github.branches.map((branch) => `repo:${repo}:ref:refs/heads/${branch}`),
    ...github.environments.map((environment) => `repo:${repo}:environment:${environment}`),
  ]);
}

export interface GitHubCiRoleProps {
  readonly env: EnvName;
  readonly github: GitHubAccess;
  readonly oidcProvider: OidcProviderSource;
  readonly pipelines: readonly string[];
}

/**
 * The role GitHub Actions assumes through OIDC (aws-actions/configure-aws-credentials): audience
 * sts.amazonaws.com, subject pinned to the configured repositories and refs (exact values, never a
 * wildcard), allowed only to start and describe executions of this environment's pipelines.
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
    const policy = new iam.Policy(this, 'StartRuns', {
      statements: [
        new iam.PolicyStatement({
          actions: ['states:StartExecution'],
          resources: names.map((n) => arn('stateMachine', n)),
        }),
        new iam.PolicyStatement({
          actions: ['states:DescribeExecution'],
          resources: names.map((n) => arn('execution', `${n}:*`)),
        }),
      ],
    });
    this.role.attachInlinePolicy(policy);
    for (const name of names)
      acknowledge(
        policy,
        `AwsSolutions-IAM5[Resource::${arn('execution', `${name}:*`)}]`,
        `Execution names are chosen per run (pipeline, commit, attempt); only executions of ${name}.`,
      );
  }
}
