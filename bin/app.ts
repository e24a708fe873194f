#!/usr/bin/env node
// The CDK app: one stack per environment (dev, staging, prod) from cdk.json's `mc:environments`.
// Run by `cdk synth` / `cdk deploy`, or directly (`npx tsx bin/app.ts`), when it reads cdk.json itself.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { addPlatformStacks, cdkJsonContext } from '../lib/infra/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fromCli = process.env.CDK_CONTEXT_JSON !== undefined;
const app = new App(
  fromCli ? {} : { context: cdkJsonContext(root), outdir: process.env.CDK_OUTDIR ?? 'cdk.out' },
);
addPlatformStacks(app, root);
app.synth();
