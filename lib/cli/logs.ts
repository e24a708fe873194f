import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EVIDENCE } from '../evidence/index.js';
import { liveLogPath } from '../local/index.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { jsonOption } from './options.js';

interface LogsOptions {
  readonly node?: string;
  readonly json?: boolean;
}

export function registerLogs(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('logs')
    .description("print a run's node logs from its evidence (the live log while a node runs)")
    .argument('<runId>', 'run id')
    .option('-n, --node <id>', 'only this node')
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 printed, 1 no such run or node, 2 usage error.')
    .action(async (runId: string, options: LogsOptions) => exit(await logs(runId, options, io)));
}

async function logs(runId: string, options: LogsOptions, io: CliIO): Promise<number> {
  return withLocalBackend(io, async (backend, home) => {
    const run = await backend.state.getRun(runId);
    if (!run) return fail(io, options, `no run ${runId} is recorded in this project`);
    const nodes = (await backend.state.getNodes(runId)).filter(
      (n) => !options.node || n.node === options.node,
    );
    if (options.node && nodes.length === 0)
      return fail(io, options, `run ${runId} has no record of node ${options.node}`);
    const entries: { node: string; attempt: number; log: string; live: boolean }[] = [];
    for (const node of nodes) {
      let lastStored = false;
      for (let attempt = 1; attempt <= node.attempts; attempt++) {
        const stored = await backend.evidence.getText(
          `${run.evidence.prefix}${EVIDENCE.nodeLog(node.node, attempt)}`,
        );
        if (stored !== undefined) entries.push({ node: node.node, attempt, log: stored, live: false });
        lastStored = stored !== undefined;
      }
      // A node still running (or whose log is being stored) has only its live log on this machine.
      const live = liveLogPath(join(home, 'work', runId), node.node);
      if (node.attempts > 0 && !lastStored && existsSync(live))
        entries.push({
          node: node.node,
          attempt: node.attempts,
          log: readFileSync(live, 'utf8'),
          live: true,
        });
    }
    if (options.json) printJson(io, { runId, logs: entries });
    else
      for (const e of entries)
        io.stdout(
          `==> ${e.node} (attempt ${e.attempt}${e.live ? ', live' : ''}) <==\n${e.log}${e.log.endsWith('\n') || !e.log ? '' : '\n'}`,
        );
    return EXIT.ok;
  });
}

function fail(io: CliIO, options: LogsOptions, message: string): number {
  if (options.json) printJson(io, { error: message });
  else io.stderr(`mc logs: ${message}\n`);
  return EXIT.failed;
}
