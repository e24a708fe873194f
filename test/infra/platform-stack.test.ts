import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPromotionMap, SHIPPED_PROMOTION_MAP } from '../../lib/images/index.js';
import { CI_IAM_FOR_CALL } from '../../lib/infra/github-ci-role.js';
import { IAM_FOR_CALL } from '../../lib/infra/iam-for-calls.js';
import { imageScope } from '../../lib/infra/image-scope.js';
import {
  compileForEnvironment,
  deployedFunctionName,
  FUNCTION_PERMISSIONS,
  pipelineMachineName,
  toCompiledDefinition,
} from '../../lib/infra/index.js';
import { STAGE_RUNNER_CALLS } from '../../lib/infra/stage-runner-calls.js';
import type { EnvName } from '../../lib/plan/index.js';
import { evidenceBucketName, REMOTE_CALLS } from '../../lib/remote/index.js';
import { loadTrustPolicy, SHIPPED_TRUST_POLICY } from '../../lib/trust/index.js';
import { compileVerifyImage, FUNCTIONS, type PlatformFunction } from '../../statemachines/index.js';
import { ROOT, resolveDefinition, resourcesOf, synthesizePlatform } from './support/synth.js';

// One synth for the whole file (cdk-nag runs in it: any unacknowledged finding throws here).
const { templates, configs } = synthesizePlatform();
const ENVS: EnvName[] = ['dev', 'staging', 'prod'];

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const documentOf = (properties: Record<string, unknown> | undefined): Statement[] =>
  (properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [];

function policyStatements(env: EnvName): { id: string; statements: Statement[] }[] {
  const t = templates[env];
  return [
    ...Object.entries(resourcesOf(t, 'AWS::IAM::Policy')),
    ...Object.entries(resourcesOf(t, 'AWS::IAM::ManagedPolicy')),
  ].map(([id, r]) => ({
    id,
    statements: documentOf(r.Properties),
  }));
}

// The actions a policy attached to the role whose logical id starts with `prefix` allows.
function actionsOfPolicy(env: EnvName, prefix: string): string[] {
  const policy = Object.entries(resourcesOf(templates[env], 'AWS::IAM::Policy')).find(([id]) =>
    id.startsWith(prefix),
  );
  if (!policy) throw new Error(`no policy ${prefix}* in ${env}`);
  const statements = documentOf(policy[1].Properties);
  return [...new Set(statements.flatMap((s) => list(s.Action)))].sort();
}

function statementsOfPolicy(env: EnvName, prefix: string): Statement[] {
  const policy = Object.entries(resourcesOf(templates[env], 'AWS::IAM::Policy')).find(([id]) =>
    id.startsWith(prefix),
  );
  if (!policy) throw new Error(`no policy ${prefix}* in ${env}`);
  return documentOf(policy[1].Properties);
}

// The logical id of the one resource of a type with this physical name.
function logicalIdOf(env: EnvName, type: string, name: string): string {
  const ids = Object.entries(resourcesOf(templates[env], type))
    .filter(([, r]) => Object.values(r.Properties ?? {}).includes(name))
    .map(([id]) => id);
  expect(ids, `${type} named ${name}`).toHaveLength(1);
  return ids[0];
}

// The IAM actions of the calls, leaving out what would act on targets this stack has none of.
function expectedActions(calls: readonly string[], none: readonly string[] = []): string[] {
  return [
    ...new Set(
      calls.flatMap((c) =>
        IAM_FOR_CALL[c as keyof typeof IAM_FOR_CALL]
          .filter(([, on]) => !none.includes(on))
          .map(([action]) => action),
      ),
    ),
  ].sort();
}

// What the stack of an environment verifies and promotes into, from the shipped promotion map.
function imagesOf(env: EnvName) {
  const config = configs[env];
  return imageScope(
    loadPromotionMap(resolve(ROOT, SHIPPED_PROMOTION_MAP)),
    loadTrustPolicy(resolve(ROOT, SHIPPED_TRUST_POLICY)),
    env,
    config.account,
    config.region,
  );
}
const watchedOf = (env: EnvName) => imagesOf(env).watched;

describe.each(ENVS)('the %s stack', (env) => {
  const t = templates[env];
  const prod = env === 'prod';

  it('keeps evidence in a locked, versioned, KMS-encrypted, private, TLS-only, logged bucket', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: {
          DefaultRetention: {
            Mode: prod ? 'COMPLIANCE' : 'GOVERNANCE',
            Days: configs[env].evidenceRetentionDays,
          },
        },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'evidence/' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'expire-caches',
            Prefix: 'caches/',
            ExpirationInDays: configs[env].cacheExpirationDays,
            Status: 'Enabled',
          }),
        ]),
      },
    });
    // Every bucket refuses plain HTTP.
    for (const [, policy] of Object.entries(resourcesOf(t, 'AWS::S3::BucketPolicy'))) {
      expect(
        (policy.Properties?.PolicyDocument as { Statement: unknown[] } | undefined)?.Statement,
      ).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    expect(Object.keys(resourcesOf(t, 'AWS::S3::BucketPolicy'))).toHaveLength(2);
  });

  it('names the evidence bucket where mc run --remote looks by default, and outputs it and the CI role', () => {
    const { account, region } = configs[env];
    const name = evidenceBucketName(account, region, env);
    expect(name).toBe(`mc-evidence-${account}-${region}-${env}`);
    const bucket = logicalIdOf(env, 'AWS::S3::Bucket', name);
    expect(resourcesOf(t, 'AWS::S3::Bucket')[bucket].Properties).toMatchObject({ ObjectLockEnabled: true });
    const role = logicalIdOf(env, 'AWS::IAM::Role', `mc-ci-${env}`);
    const outputs = t.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.EvidenceBucketName.Value).toEqual({ Ref: bucket });
    expect(outputs.GitHubCiRoleArn.Value).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
  });

  it('rotates the data key and signs with an ECC P-256 sign/verify key', () => {
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });

  it('keeps state with point-in-time recovery, encryption, TTL on waivers and deletion protection in prod', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
      DeletionProtectionEnabled: prod,
    });
  });

  it('deploys every platform function on Node 22, arm64, traced, with its environment', () => {
    for (const fn of Object.keys(FUNCTIONS) as PlatformFunction[]) {
      const signs = fn === 'action';
      t.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: deployedFunctionName(fn, env),
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: {
            MC_ENV: env,
            MC_STATE_TABLE: Match.anyValue(),
            MC_EVIDENCE_BUCKET: Match.anyValue(),
            MC_SIGNING_KEY_ARN: signs ? Match.anyValue() : Match.absent(),
            POWERTOOLS_SERVICE_NAME: FUNCTIONS[fn],
          },
        },
      });
    }
  });

  it('deploys each pipeline as the definition mc render prints, its ARNs mapped back', () => {
    const machines = resourcesOf(t, 'AWS::StepFunctions::StateMachine');
    for (const file of configs[env].pipelines) {
      const compiled = compileForEnvironment(resolve(ROOT, file), env, ROOT);
      const name = pipelineMachineName(compiled.plan.pipeline, env);
      const machine = Object.values(machines).find((m) => m.Properties?.StateMachineName === name);
      expect(machine?.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      });
      const deployed = JSON.parse(resolveDefinition(t, configs[env], machine?.Properties?.DefinitionString));
      expect(JSON.stringify(deployed)).toMatch(/arn:aws:lambda:[^"]+:function:mc-run-start-/);
      expect(toCompiledDefinition(deployed, env)).toEqual(compiled.definition);
    }
  });

  it('matches what the mc CLI renders for the api pipeline', () => {
    const rendered = JSON.parse(
      execFileSync(process.execPath, ['dist/mc.js', 'render', 'examples/api/build.yaml', '--env', env], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    );
    const machine = Object.values(resourcesOf(t, 'AWS::StepFunctions::StateMachine')).find(
      (m) => m.Properties?.StateMachineName === pipelineMachineName('api', env),
    );
    const deployed = JSON.parse(resolveDefinition(t, configs[env], machine?.Properties?.DefinitionString));
    expect(toCompiledDefinition(deployed, env)).toEqual(rendered);
  });

  it('logs ALL and traces the verify-image machine, started by successful pushes to watched repositories', () => {
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `mc-verify-image-${env}`,
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          'repository-name': [...watchedOf(env)],
        },
      },
    });
  });

  it('deploys the verify-image machine as the compiler writes it, its ARNs mapped back', () => {
    const machine = Object.values(resourcesOf(t, 'AWS::StepFunctions::StateMachine')).find(
      (m) => m.Properties?.StateMachineName === `mc-verify-image-${env}`,
    );
    const deployed = JSON.parse(resolveDefinition(t, configs[env], machine?.Properties?.DefinitionString));
    expect(JSON.stringify(deployed)).toMatch(/arn:aws:lambda:[^"]+:function:mc-verify-image-/);
    expect(toCompiledDefinition(deployed, env)).toEqual(compileVerifyImage());
    expect(statementsOfPolicy(env, 'VerifyImageCalls').map((s) => s.Action)).toEqual([
      'lambda:InvokeFunction',
      'events:PutEvents',
    ]);
  });

  it('lets the image functions read only the watched repositories and push only into the promotion targets', () => {
    const images = imagesOf(env);
    const on = (fn: string, action: string) =>
      statementsOfPolicy(env, `Functions${fn}Calls`)
        .filter((s) => list(s.Action).includes(action))
        .flatMap((s) => list(s.Resource));
    expect(images.watched.length).toBeGreaterThan(0);
    for (const fn of ['verifyImage', 'promoteImage']) {
      expect(on(fn, 'ecr:BatchGetImage'), fn).toEqual(
        expect.arrayContaining(images.watchedArns.map((arn) => arn)),
      );
      expect(on(fn, 'ecr:GetAuthorizationToken'), fn).toEqual(['*']);
    }
    expect(on('verifyImage', 'ecr:PutImage')).toEqual([]);
    expect(on('promoteImage', 'ecr:PutImage')).toEqual(images.promotionTargetArns);
    expect(images.promotionTargetArns.length).toBe(prod ? 0 : 4);
    expect(on('promoteImage', 'ssm:GetParameter')).toHaveLength(1);
    t.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/mc/${env}/promote`,
      Value: 'true',
      Type: 'String',
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: deployedFunctionName('promoteImage', env),
      Environment: { Variables: Match.objectLike({ MC_PROMOTE_PARAMETER: `/mc/${env}/promote` }) },
    });
  });

  it('grants each platform function role exactly the AWS calls listed beside its handler', () => {
    const none = prod ? ['promotionTargets', 'trustedKeys'] : ['trustedKeys'];
    for (const fn of Object.keys(FUNCTIONS) as PlatformFunction[]) {
      const actions = actionsOfPolicy(env, `Functions${fn}Calls`).filter((a) => !a.startsWith('logs:'));
      expect(actions, fn).toEqual(expectedActions(FUNCTION_PERMISSIONS[fn], none));
    }
    for (const compute of ['lambda', 'ec2'])
      expect(actionsOfPolicy(env, `StageRunner${compute}Calls`)).toEqual(expectedActions(STAGE_RUNNER_CALLS));
  });

  it('lets GitHub start runs only from the configured repositories and refs, and only make the calls of mc run/status --remote', () => {
    const { github } = configs[env];
    const subjects = github.repositories.flatMap((r) => [
      ...github.branches.map((b) => `repo:${r}:ref:refs/heads/${b}`),
      ...github.environments.map((e) => `repo:${r}:environment:${e}`),
    ]);
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `mc-ci-${env}`,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': subjects,
              },
            },
          }),
        ],
      },
    });
    for (const sub of subjects) expect(sub).not.toContain('*');
    const { account, region } = configs[env];
    const pipelines = configs[env].pipelines.map(
      (file) => compileForEnvironment(resolve(ROOT, file), env, ROOT).plan.pipeline,
    );
    const states = (kind: string, suffix = '') =>
      pipelines.map(
        (p) => `arn:aws:states:${region}:${account}:${kind}:${pipelineMachineName(p, env)}${suffix}`,
      );
    const bucket = logicalIdOf(env, 'AWS::S3::Bucket', evidenceBucketName(account, region, env));
    const [dataKey] = Object.keys(resourcesOf(t, 'AWS::KMS::Key')).filter((id) => id.startsWith('DataKey'));
    const runObjects = pipelines.map((p) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/runs/${p}/*`]],
    }));
    // Exactly: read and start the pipeline machines, read their executions, put run evidence.
    expect(statementsOfPolicy(env, 'GitHubCiStartRuns')).toEqual([
      {
        Effect: 'Allow',
        Action: ['states:DescribeStateMachine', 'states:StartExecution'],
        Resource: states('stateMachine'),
      },
      {
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        Resource: states('execution', ':*'),
      },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: runObjects },
      {
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: { 'Fn::GetAtt': [dataKey, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      },
    ]);
    // …which are the IAM actions of exactly the calls the remote code lists beside itself.
    expect(actionsOfPolicy(env, 'GitHubCiStartRuns')).toEqual(
      [...new Set(REMOTE_CALLS.flatMap((c) => CI_IAM_FOR_CALL[c].map(([action]) => action)))].sort(),
    );
    if (configs[env].oidcProvider && 'create' in configs[env].oidcProvider)
      t.hasResourceProperties('AWS::IAM::OIDCProvider', { ClientIdList: ['sts.amazonaws.com'] });
    else t.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  it('has no Action "*" and Resource "*" only for the calls docs/deploy.md lists', () => {
    const unscoped = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
      'ecr:GetAuthorizationToken',
    ]);
    for (const { id, statements } of policyStatements(env)) {
      for (const s of statements) {
        expect(list(s.Action), id).not.toContain('*');
        if (list(s.Resource).includes('*'))
          for (const action of list(s.Action))
            expect(unscoped.has(action), `${id}: ${action} on *`).toBe(true);
      }
    }
  });

  it('has a dashboard and alarms on gate blocks and verification failures', () => {
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: `mc-${env}` });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `mc-${env}-gate-blocks`,
      MetricName: 'GateBlocked',
      Namespace: 'MaestroConductor',
      Threshold: configs[env].gateBlocksAlarmThreshold,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `mc-${env}-verification-failures`,
      MetricName: 'ExecutionsFailed',
    });
  });

  it('matches its snapshot (asset hashes normalised)', () => {
    const text = JSON.stringify(t.toJSON(), null, 1).replace(/[0-9a-f]{64}/g, '<asset-hash>');
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});

// The section of a markdown document under a `## ` heading.
function section(file: string, heading: string): string {
  const text = readFileSync(resolve(ROOT, file), 'utf8');
  const start = text.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`${file} has no section "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('what the docs and the example caller say about the stack', () => {
  it('the example caller assumes the CI role each environment’s stack creates', () => {
    const caller = parse(readFileSync(resolve(ROOT, 'examples/github/caller.yml'), 'utf8')) as {
      jobs: Record<string, { with: { env: EnvName; 'role-to-assume': string } }>;
    };
    const jobs = Object.values(caller.jobs);
    expect(jobs.length).toBeGreaterThan(0);
    for (const { with: input } of jobs) {
      const ciRole = Object.entries(resourcesOf(templates[input.env], 'AWS::IAM::Role')).find(([id]) =>
        id.startsWith('GitHubCi'),
      );
      const roleName = String(ciRole?.[1].Properties?.RoleName);
      expect(roleName).toBe(`mc-ci-${input.env}`);
      expect(input['role-to-assume']).toMatch(new RegExp(`^arn:aws:iam::\\d{12}:role/${roleName}$`));
    }
  });

  it('docs/github-actions.md lists exactly the actions the CI role is granted', () => {
    const named = section('docs/github-actions.md', 'Trust: who may start runs').match(
      /\b(?:states|s3|kms):[A-Za-z]+\b/g,
    );
    for (const env of ENVS)
      expect([...new Set(named)].sort()).toEqual(actionsOfPolicy(env, 'GitHubCiStartRuns'));
  });

  it('docs/deploy.md lists the key policies’ Resource "*" statements: the account root, logs, alarms', () => {
    const listed = section('docs/deploy.md', '`Resource: "*"` and why');
    for (const env of ENVS)
      for (const [, key] of Object.entries(resourcesOf(templates[env], 'AWS::KMS::Key')))
        for (const statement of (key.Properties?.KeyPolicy as { Statement: Statement[] } | undefined)
          ?.Statement ?? []) {
          expect(statement.Resource).toBe('*');
          const principal = JSON.stringify((statement as { Principal?: unknown }).Principal);
          if (principal.includes(':root')) {
            expect(statement.Action).toBe('kms:*');
            expect(listed).toContain('`kms:*` for the account root');
          } else if (principal.includes('logs.')) expect(listed).toContain('the logs service');
          else if (principal.includes('cloudwatch.')) expect(listed).toContain('CloudWatch alarms');
          else throw new Error(`an unlisted key policy statement: ${JSON.stringify(statement)}`);
        }
  });
});
