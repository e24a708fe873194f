import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseEnvironments } from './config.js';
import { PlatformStack } from './platform-stack.js';

/** The `context` of the repository's cdk.json (what the CDK CLI hands the app). */
export function cdkJsonContext(root: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')).context ?? {};
}

/** One stack per environment of the context, checked by cdk-nag's AwsSolutions pack in synth. */
export function addPlatformStacks(app: App, root: string): PlatformStack[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const environments = parseEnvironments(app.node.tryGetContext('mc:environments'));
  return environments.map((config) => new PlatformStack(app, `mc-${config.name}`, { config, root }));
}
