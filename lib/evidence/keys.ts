// The evidence layout of a run, under runs/<pipeline>/<runId>/ (docs/architecture.md §5).

export const EVIDENCE = {
  pipeline: 'pipeline.yaml',
  plan: 'plan.json',
  stateMachine: 'statemachine.asl.json',
  nodeLog: (node: string, attempt: number) => `nodes/${node}/${attempt}/log.txt`,
  nodeOutputs: (node: string, attempt: number) => `nodes/${node}/${attempt}/outputs.tgz`,
  nodeResult: (node: string, attempt: number) => `nodes/${node}/${attempt}/result.json`,
  runSummary: (n: number) => `run/${n}.json`,
} as const;
