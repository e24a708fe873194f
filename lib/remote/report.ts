import type { RunInput } from '../contract/index.js';
import type { DriftReport } from './drift.js';
import type { RemoteStartResult } from './start.js';
import type { RemoteRunStatus } from './status.js';

/** The `mc run --remote --json` document. */
export function startDocument(result: RemoteStartResult, input: RunInput, stateMachineArn: string) {
  return {
    remote: true,
    outcome: result.outcome,
    runId: input.runId,
    pipeline: input.pipeline,
    env: input.env,
    stateMachineArn,
    executionArn: result.executionArn,
    executionName: result.executionName,
    status: result.status,
    startedAt: result.startDate,
    drift: driftDocument(result.drift, result.drift.forced),
    input,
  };
}

export function driftDocument(report: DriftReport, forced: boolean) {
  return {
    drifted: report.drifted,
    forced,
    differences: report.differences,
    more: report.more,
    resources: report.resources,
  };
}

/** What people read after `mc run --remote`. */
export function startText(result: RemoteStartResult, input: RunInput): string {
  const what =
    result.outcome === 'started'
      ? `started run ${input.runId} of ${input.pipeline} (${input.env}) on AWS Step Functions`
      : `run ${input.runId} of ${input.pipeline} (${input.env}) was already started at ${result.startDate} with this same input: ${result.status}, not started again`;
  return [
    what,
    `execution ${result.executionArn}`,
    `follow it with: mc status --remote ${result.executionArn}`,
    '',
  ].join('\n');
}

/** The differences, one per line, for stderr. */
export function driftText(report: DriftReport): string {
  const lines = report.differences.map((d) => `  ${d.path}: deployed ${d.deployed}, local ${d.local}`);
  if (report.more) lines.push(`  … and ${report.more} more`);
  return `${lines.join('\n')}\n`;
}

/** `mc status --remote` for people. */
export function statusText(status: RemoteRunStatus): string {
  const title = status.runId
    ? `run ${status.runId} of ${status.pipeline} (${status.env}): ${status.status}`
    : `execution ${status.executionName}: ${status.status}`;
  const lines = [
    title,
    `execution ${status.executionArn}`,
    `started ${status.startedAt ?? '-'}, ended ${status.endedAt ?? '-'}`,
  ];
  if (status.error) lines.push(`error ${status.error}`);
  if (status.nodes) {
    const rows = status.nodes.map((n) => [n.id, n.status, String(n.attempts), n.error ?? '']);
    const header = ['NODE', 'STATUS', 'ATTEMPTS', 'NOTE'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd();
    lines.push(line(header), ...rows.map(line));
  } else if (status.note) lines.push(status.note);
  return `${lines.join('\n')}\n`;
}
