import { BUILD_EVIDENCE_DIR as EVIDENCE_DIR } from '../evidence/index.js';
import type { Plan, PlanNode } from '../plan/index.js';
import { quote, targetsOf } from './supply-chain-commands.js';

const NEEDS_DOCKER = (action: string) =>
  `command -v docker >/dev/null 2>&1 || { echo "${action} needs Docker (the docker CLI and an engine), which this machine lacks; on AWS the step runs on EC2 compute" >&2; exit 1; }`;

/** `docker-build`: `docker build` of the service (or `with.context`) into `with.image`. */
export function dockerBuildCommand(node: PlanNode, plan: Plan): string {
  const image = imageOf(node);
  if (!image) return missingImage(node);
  const [target] = targetsOf(node, plan);
  const context = typeof node.with.context === 'string' ? node.with.context : target.path;
  const dockerfile =
    typeof node.with.dockerfile === 'string' ? node.with.dockerfile : `${context}/Dockerfile`;
  return `${NEEDS_DOCKER('docker-build')} && docker build -f ${quote(dockerfile)} -t ${image} ${quote(context)}`;
}

/**
 * `docker-push`: pushes `with.image` and keeps the digest it was pushed as under
 * `.mc-evidence/images/`, for the steps after it (cosign-sign with.image signs by digest anyway).
 */
export function dockerPushCommand(node: PlanNode, plan: Plan): string {
  const image = imageOf(node);
  if (!image) return missingImage(node);
  const [target] = targetsOf(node, plan);
  const file = `${EVIDENCE_DIR}/images/${target.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.txt`;
  return `${NEEDS_DOCKER('docker-push')} && docker push ${image} && mkdir -p ${EVIDENCE_DIR}/images && docker image inspect --format '{{index .RepoDigests 0}}' ${image} > ${quote(file)}`;
}

// The image reference: with.image (or with.tag, as 27.0 pipelines name it). `${{ github.* }}` in it
// is left for the run, as in commands: the build's MC_GITHUB_* variables.
function imageOf(node: PlanNode): string | undefined {
  const image = node.with.image ?? node.with.tag;
  if (typeof image !== 'string' || !image) return undefined;
  const deferred = image.replace(
    /\$\{\{\s*github\.(\w+)\s*\}\}/g,
    (_, f: string) => `\${MC_GITHUB_${f.toUpperCase()}}`,
  );
  return deferred === image
    ? quote(image)
    : /^[\w./@:${}-]+$/.test(deferred)
      ? `"${deferred}"`
      : quote(image);
}

function missingImage(node: PlanNode): string {
  return `echo "${node.action} needs with.image, the image reference to build or push" >&2; exit 1`;
}
