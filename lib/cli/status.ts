import type { Command } from 'commander';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import type { NodeRecord } from '../state/index.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { jsonOption } from './options.js';
import { runDocument, runTable } from './run-report.js';

export function registerStatus(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('status')
    .description('show a run and its nodes (the latest run when no id is given), also while it runs')
    .argument('[runId]', 'run id, as mc run printed it')
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 shown, 1 no such run, 2 usage error.')
    .action(async (runId: string | undefined, options: { json?: boolean }) =>
      exit(await status(runId, options, io)),
    );
}

async function status(runId: string | undefined, options: { json?: boolean }, io: CliIO): Promise<number> {
  return withLocalBackend(io, async (backend) => {
    const run = runId ? await backend.state.getRun(runId) : (await backend.state.listRuns(1))[0];
    if (!run) {
      const message = runId
        ? `no run ${runId} is recorded in this project`
        : 'no runs are recorded in this project yet (mc run FILE starts one)';
      if (options.json) printJson(io, { error: message });
      else io.stderr(`mc status: ${message}\n`);
      return EXIT.failed;
    }
    // Nodes that have not started yet have no record: the run's plan lists them as PENDING.
    const plan = await backend.evidence.getJson<Plan>(`${run.evidence.prefix}${EVIDENCE.plan}`);
    const recorded = new Map((await backend.state.getNodes(run.runId)).map((n) => [n.node, n]));
    const ids = plan?.order ?? [...recorded.keys()];
    const nodes: NodeRecord[] = ids.map(
      (id) => recorded.get(id) ?? { runId: run.runId, node: id, status: 'PENDING', attempts: 0 },
    );
    if (options.json) printJson(io, runDocument(run, nodes));
    else io.stdout(runTable(run, nodes));
    return EXIT.ok;
  });
}
