import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  addPlatformStacks,
  cdkJsonContext,
  type EnvironmentConfig,
  parseEnvironments,
} from '../../../lib/infra/index.js';
import type { EnvName } from '../../../lib/plan/index.js';
import { repoPath } from '../../support/pipelines.js';

export const ROOT = repoPath('.');

export interface SynthesizedPlatform {
  readonly templates: Record<EnvName, Template>;
  readonly configs: Record<EnvName, EnvironmentConfig>;
}

/**
 * The app of cdk.json, synthesized once per test file with cdk-nag's AwsSolutions pack (synth
 * throws on any unacknowledged finding). Bundling is skipped here (the bundles have their own
 * bench and test); every other asset is recorded as cdk synth records it.
 */
export function synthesizePlatform(): SynthesizedPlatform {
  const context: Record<string, unknown> = {
    ...cdkJsonContext(ROOT),
    'aws:cdk:bundling-stacks': [],
    'aws:cdk:disable-asset-staging': true,
  };
  const app = new App({ context, outdir: mkdtempSync(join(tmpdir(), 'mc-cdk-')) });
  addPlatformStacks(app, ROOT);
  const assembly = app.synth();
  const configs = Object.fromEntries(
    parseEnvironments(context['mc:environments']).map((c) => [c.name, c]),
  ) as Record<EnvName, EnvironmentConfig>;
  const templates = Object.fromEntries(
    Object.keys(configs).map((env) => [
      env,
      Template.fromJSON(assembly.getStackByName(`mc-${env}`).template),
    ]),
  ) as Record<EnvName, Template>;
  return { templates, configs };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/**
 * A Fn::Join'ed definition resolved the way CloudFormation would, with each Lambda function's
 * ARN made from its FunctionName and each project's Ref being its ProjectName.
 */
export function resolveDefinition(
  template: Template,
  config: EnvironmentConfig,
  definition: unknown,
): string {
  const all = template.toJSON().Resources as Resources;
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const v = value as Record<string, unknown>;
    if (v['Fn::Join']) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(sep);
    }
    if (v['Fn::GetAtt']) {
      const [id, attr] = v['Fn::GetAtt'] as [string, string];
      const r = all[id];
      if (r?.Type === 'AWS::Lambda::Function' && attr === 'Arn')
        return `arn:aws:lambda:${config.region}:${config.account}:function:${r.Properties?.FunctionName}`;
    }
    if (typeof v.Ref === 'string') {
      const r = all[v.Ref];
      if (r?.Type === 'AWS::CodeBuild::Project') return String(r.Properties?.Name);
    }
    throw new Error(`cannot resolve ${JSON.stringify(value)} in a definition`);
  };
  return resolve(definition);
}
