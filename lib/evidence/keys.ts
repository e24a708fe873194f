// The evidence layout of a run, under runs/<pipeline>/<runId>/ (docs/architecture.md §5).

export const EVIDENCE = {
  pipeline: 'pipeline.yaml',
  plan: 'plan.json',
  stateMachine: 'statemachine.asl.json',
  nodeLog: (node: string, attempt: number) => `nodes/${node}/${attempt}/log.txt`,
  nodeOutputs: (node: string, attempt: number) => `nodes/${node}/${attempt}/outputs.tgz`,
  nodeResult: (node: string, attempt: number) => `nodes/${node}/${attempt}/result.json`,
  /** Files a build wrote under BUILD_EVIDENCE_DIR, kept under the same relative paths. */
  nodeEvidence: (node: string, attempt: number) => `nodes/${node}/${attempt}/evidence/`,
  /** A signature or provenance bundle of one artifact file, made by a sign or attest node. */
  nodeSigned: (node: string, attempt: number, kind: 'signature' | 'provenance', artifact: string) =>
    `nodes/${node}/${attempt}/${kind === 'signature' ? 'signatures' : 'provenance'}/${artifact}.${kind === 'signature' ? 'sigstore.json' : 'intoto.sigstore.json'}`,
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
