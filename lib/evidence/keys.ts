// The evidence layout of a run, under runs/<pipeline>/<runId>/ (docs/architecture.md §5).

/** The file-name ending of a signature or provenance bundle. */
export const SIGNED_SUFFIX = { signature: '.sigstore.json', provenance: '.intoto.sigstore.json' } as const;

export const EVIDENCE = {
  pipeline: 'pipeline.yaml',
  plan: 'plan.json',
  stateMachine: 'statemachine.asl.json',
  nodeLog: (node: string, attempt: number) => `nodes/${node}/${attempt}/log.txt`,
  nodeOutputs: (node: string, attempt: number) => `nodes/${node}/${attempt}/outputs.tgz`,
  nodeResult: (node: string, attempt: number) => `nodes/${node}/${attempt}/result.json`,
  /** Files a build wrote under BUILD_EVIDENCE_DIR, kept under the same relative paths. */
  nodeEvidence: (node: string, attempt: number) => `nodes/${node}/${attempt}/evidence/`,
  /** Where a sign (attest) node keeps the bundles of the artifact files it signed. */
  nodeSignedPrefix: (node: string, attempt: number, kind: 'signature' | 'provenance') =>
    `nodes/${node}/${attempt}/${kind === 'signature' ? 'signatures' : 'provenance'}/`,
  /** A signature or provenance bundle of one artifact file, made by a sign or attest node. */
  nodeSigned: (node: string, attempt: number, kind: 'signature' | 'provenance', artifact: string) =>
    `${EVIDENCE.nodeSignedPrefix(node, attempt, kind)}${artifact}${SIGNED_SUFFIX[kind]}`,
  gateReport: (node: string, attempt: number, format: 'json' | 'md') =>
    `nodes/${node}/${attempt}/gate-report.${format}`,
  runSummary: (n: number) => `run/${n}.json`,
} as const;

/**
 * Files a stage build writes under this directory of its workspace are kept as evidence of its
 * attempt (EVIDENCE.nodeEvidence); the gate reads SBOMs from `sbom/` and scanner output from
 * `findings/` of the nodes it depends on.
 */
export const BUILD_EVIDENCE_DIR = '.mc-evidence';

// Image verifications keep their evidence outside any run, per image and digest.
const safeSegment = (text: string) => text.replace(/[^A-Za-z0-9._/-]/g, '_');
const imagePrefix = (image: string, digest: string) =>
  `images/${safeSegment(image)}/${digest.replace(':', '-')}/`;

export const IMAGE_EVIDENCE = {
  prefix: imagePrefix,
  /** The decision of one verification (what was found, the verdict, the reasons). */
  decision: (image: string, digest: string, eventId: string) =>
    `${imagePrefix(image, digest)}verifications/${safeSegment(eventId)}/decision.json`,
  gateReport: (image: string, digest: string, eventId: string, format: 'json' | 'md') =>
    `${imagePrefix(image, digest)}verifications/${safeSegment(eventId)}/gate-report.${format}`,
  /** A promotion of the digest into an environment (written once). */
  promotion: (image: string, digest: string, env: string) =>
    `${imagePrefix(image, digest)}promotions/${env}/promoted.json`,
  /** A promotion that was refused (a freeze window, the kill switch), each refusal kept. */
  promotionBlocked: (image: string, digest: string, env: string, at: string) =>
    `${imagePrefix(image, digest)}promotions/${env}/blocked/${safeSegment(at)}.json`,
  rollback: (image: string, digest: string, at: string) =>
    `${imagePrefix(image, digest)}rollbacks/${safeSegment(at)}.json`,
} as const;
