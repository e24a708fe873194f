#!/usr/bin/env node
import { awsDeps } from '../lambdas/support/aws-deps.js';
// The stage runner's workspace tool (CodeBuild on AWS): `mc-workspace restore | step … | save`.
import { workspaceTool } from '../lib/workspace/index.js';

const [command = '', ...args] = process.argv.slice(2);
try {
  console.log(
    await workspaceTool(
      awsDeps(),
      command,
      process.env,
      process.env.CODEBUILD_SRC_DIR ?? process.cwd(),
      args,
    ),
  );
} catch (error) {
  console.error(`mc-workspace: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
