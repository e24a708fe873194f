import { ActionError } from '../contract/index.js';
import type { Action } from '../pipeline/index.js';
import type { Plan, PlanNode } from '../plan/index.js';
import { dockerBuildCommand, dockerPushCommand } from './docker-commands.js';
import { sbomCommand, scanCommand } from './supply-chain-commands.js';

/** Where an action runs: CodeBuild (locally, a child process) or a Lambda function (locally, in-process). */
export type ActionRuntime = 'codebuild' | 'lambda';

export interface ActionSpec {
  readonly name: Action;
  readonly runtime: ActionRuntime;
  /** The issue that brings the action, while it does not exist yet: running it fails, naming the action. */
  readonly pending?: string;
  /** For CodeBuild actions: the shell command the node runs. */
  readonly command?: (node: PlanNode, plan: Plan) => string;
  readonly summary: string;
}

const pending = (name: Action, summary: string, issue: string): ActionSpec => ({
  name,
  runtime: 'lambda',
  pending: issue,
  summary,
});

const scan = (name: Action, scanner: 'auto' | 'trivy' | 'grype', summary: string): ActionSpec => ({
  name,
  runtime: 'codebuild',
  command: (node, plan) => scanCommand(node, plan, scanner),
  summary,
});

const sbom = (name: Action, generator: 'auto' | 'syft', summary: string): ActionSpec => ({
  name,
  runtime: 'codebuild',
  command: (node, plan) => sbomCommand(node, plan, generator),
  summary,
});

const SPECS: readonly ActionSpec[] = [
  {
    name: 'run',
    runtime: 'codebuild',
    command: (node) => node.command ?? '',
    summary: 'runs the step command in a shell',
  },
  {
    name: 'setup-node',
    runtime: 'codebuild',
    command: (node) => setupNodeCommand(node),
    summary:
      'checks that the runner provides the requested Node.js major version (with.node-version or with.node_version)',
  },
  {
    name: 'checkout',
    runtime: 'lambda',
    summary: 'records the source the run works on (each node starts from that source)',
  },
  {
    name: 'docker-build',
    runtime: 'codebuild',
    command: dockerBuildCommand,
    summary:
      'docker build of the service (or with.context, with.dockerfile) tagged with.image; needs Docker (EC2 compute on AWS)',
  },
  {
    name: 'docker-push',
    runtime: 'codebuild',
    command: dockerPushCommand,
    summary: 'docker push of with.image; the pushed digest is kept as evidence (images/<service>.txt)',
  },
  scan('trivy-scan', 'trivy', 'scans with trivy (locally: npm audit for npm projects when trivy is absent)'),
  scan('grype-scan', 'grype', 'scans with grype (locally: npm audit for npm projects when grype is absent)'),
  scan('scan', 'auto', 'scans with trivy or grype, whichever is installed, else npm audit for npm projects'),
  sbom(
    'syft-sbom',
    'syft',
    'writes a CycloneDX SBOM with syft (locally: the built-in generator when syft is absent)',
  ),
  sbom('sbom', 'auto', 'writes a CycloneDX 1.6 SBOM (syft when installed, else the built-in npm generator)'),
  {
    name: 'gate',
    runtime: 'lambda',
    summary: 'applies the supply-chain policy to the SBOMs and findings of the nodes it depends on',
  },
  {
    name: 'sign',
    runtime: 'lambda',
    summary: 'signs the file artifacts of the nodes it depends on (Sigstore bundles)',
  },
  {
    name: 'attest',
    runtime: 'lambda',
    summary: 'attests SLSA provenance for the file artifacts of the nodes it depends on',
  },
  {
    name: 'verify',
    runtime: 'lambda',
    summary:
      "verifies the signatures and provenance of the artifacts declared before it, against the run's signing key",
  },
  {
    name: 'cosign-sign',
    runtime: 'lambda',
    summary: 'signs file artifacts, or with.image an image by digest (the bundle attached to it)',
  },
  {
    name: 'cosign-attest',
    runtime: 'lambda',
    summary:
      'attests file artifacts, or with.image an image (with.type: slsaprovenance1, cyclonedx or vuln from the SBOM and scan steps before it)',
  },
  pending(
    'promote',
    'promotes an image to the next environment',
    'a later version (today an ECR push is verified and promoted by the verify-image machine, or by hand with mc promote)',
  ),
];

const BY_NAME = new Map(SPECS.map((s) => [s.name, s]));

/** Every action of the format has exactly one spec (a test checks the schema's list against it). */
export function actionSpec(name: Action): ActionSpec {
  const spec = BY_NAME.get(name);
  if (!spec) throw new ActionError('INVALID_INPUT', `unknown action "${name}"`);
  return spec;
}

export function actionSpecs(): readonly ActionSpec[] {
  return SPECS;
}

function setupNodeCommand(node: PlanNode): string {
  const wanted = String(node.with['node-version'] ?? node.with.node_version ?? '22')
    .replace(/^v/, '')
    .split('.')[0];
  return `node -e 'const want = "${wanted.replace(/[^0-9]/g, '')}"; const have = process.versions.node.split(".")[0]; if (have !== want) { console.error("setup-node: this runner has Node.js " + process.version + ", the step asks for " + want + ".x"); process.exit(1); } console.log("Node.js " + process.version);'`;
}
