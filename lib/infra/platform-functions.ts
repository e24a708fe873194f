import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SdkCall } from '../../lambdas/support/sdk-calls.js';
import { FUNCTIONS, type PlatformFunction } from '../../statemachines/index.js';
import type { EnvName } from '../plan/index.js';
import { deployedFunctionName } from './deployed-names.js';
import { type CallTargets, statementsForCalls } from './iam-for-calls.js';
import { bundlingOptions } from './lambda-bundling.js';
import { acknowledge, arnToken } from './nag.js';

export interface PlatformFunctionsProps extends CallTargets {
  readonly env: EnvName;
  /** The repository root (entries, policy/ and schema/ are found from it). */
  readonly root: string;
  readonly logKey: kms.IKey;
  /** Each function's AWS calls, from `lambdas/<name>.permissions.ts`. */
  readonly permissions: Readonly<Record<PlatformFunction, readonly SdkCall[]>>;
  /** Environment variables some functions need besides the common ones. */
  readonly environment?: Readonly<Partial<Record<PlatformFunction, Readonly<Record<string, string>>>>>;
}

/** `lambdas/<file>.ts` of a platform function: its deployed name without `mc-`. */
export const handlerFile = (fn: PlatformFunction): string => FUNCTIONS[fn].replace(/^mc-/, '');

/**
 * Every function the compiled machines call (FUNCTIONS): Node 22 on arm64, bundled by esbuild,
 * X-Ray active, a KMS-encrypted log group, and a role allowed exactly its handler's AWS calls.
 */
export class PlatformFunctions extends Construct {
  readonly functions: Record<PlatformFunction, NodejsFunction>;

  constructor(scope: Construct, id: string, props: PlatformFunctionsProps) {
    super(scope, id);
    const entries = Object.keys(FUNCTIONS) as PlatformFunction[];
    this.functions = Object.fromEntries(
      entries.map((fn) => [fn, this.platformFunction(fn, props)]),
    ) as Record<PlatformFunction, NodejsFunction>;
  }

  private platformFunction(fn: PlatformFunction, props: PlatformFunctionsProps): NodejsFunction {
    const scope = new Construct(this, fn);
    const name = deployedFunctionName(fn, props.env);
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      logGroupName: `/aws/lambda/${name}`,
      encryptionKey: props.logKey,
      retention: props.env === 'prod' ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${name}: exactly the AWS calls of lambdas/${handlerFile(fn)}.ts`,
    });
    const calls = new iam.Policy(scope, 'Calls', {
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        ...statementsForCalls(props.permissions[fn], props),
      ],
    });
    role.attachInlinePolicy(calls);
    const signs = props.permissions[fn].includes('kms:Sign');
    const fnc = new NodejsFunction(scope, 'Function', {
      functionName: name,
      description: `Maestro Conductor ${FUNCTIONS[fn]} (${props.env})`,
      entry: join(props.root, 'lambdas', 'deployed', `${handlerFile(fn)}.ts`),
      handler: 'handler',
      projectRoot: props.root,
      depsLockFilePath: join(props.root, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: fn === 'action' ? 1024 : 512,
      // The machine gives platform tasks 300 s; actions run within the node's timeout, at most 15 min.
      timeout: fn === 'action' ? Duration.minutes(15) : Duration.minutes(5),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        MC_ENV: props.env,
        MC_STATE_TABLE: props.table.tableName,
        MC_EVIDENCE_BUCKET: props.evidence.bucketName,
        ...(signs ? { MC_SIGNING_KEY_ARN: props.signingKey.keyArn } : {}),
        ...props.environment?.[fn],
        POWERTOOLS_SERVICE_NAME: FUNCTIONS[fn],
        POWERTOOLS_METRICS_NAMESPACE: 'MaestroConductor',
      },
      bundling: bundlingOptions(props.root),
    });
    fnc.node.addDependency(calls);
    acknowledgeFunctionFindings(fnc, role, calls, props.evidence);
    if (props.permissions[fn].includes('ecr:GetAuthorizationToken'))
      acknowledge(
        calls,
        'AwsSolutions-IAM5[Resource::*]',
        'ecr:GetAuthorizationToken names no repository (the token is account-wide); reads are limited to the watched repositories and pushes to the promotion targets.',
      );
    return fnc;
  }
}

// The findings every platform function carries, each for a reason that holds for all of them.
function acknowledgeFunctionFindings(
  fnc: NodejsFunction,
  role: iam.Role,
  calls: iam.Policy,
  evidence: s3.IBucket,
): void {
  acknowledge(
    fnc,
    'AwsSolutions-L1',
    'Node.js 22 is pinned on purpose: the handlers are built and tested on Node 22 (package.json engines, the local engine).',
  );
  acknowledge(
    role,
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
  );
  acknowledge(
    calls,
    `AwsSolutions-IAM5[Resource::${arnToken(evidence)}/*]`,
    'Evidence keys are made per run, node and attempt (runs/…, caches/…, waivers/…): objects of the evidence bucket only.',
  );
}
