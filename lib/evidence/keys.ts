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
