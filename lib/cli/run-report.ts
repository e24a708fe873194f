import type { NodeRecord, RunRecord } from '../state/index.js';

/** The `mc run --json` / `mc status --json` document. */
export function runDocument(run: RunRecord, nodes: readonly NodeRecord[]) {
  return {
    runId: run.runId,
    pipeline: run.pipeline,
    env: run.env,
    status: run.status,
    startedAt: run.startedAt,
    endedAt: run.endedAt ?? null,
    resumes: run.resumes,
    nodes: nodes.map((n) => ({
      id: n.node,
      status: n.status,
      attempts: n.attempts,
      startedAt: n.startedAt ?? null,
      endedAt: n.endedAt ?? null,
      ...(n.reason ? { reason: n.reason } : {}),
      ...(n.error?.Cause ? { error: n.error.Cause } : {}),
    })),
  };
}

/** A table of the nodes for people. */
export function runTable(run: RunRecord, nodes: readonly NodeRecord[]): string {
  const rows = nodes.map((n) => [
    n.node,
    n.status,
    String(n.attempts),
    duration(n.startedAt, n.endedAt),
    n.reason ?? (n.error?.Cause ? causeText(n.error.Cause) : ''),
  ]);
  const header = ['NODE', 'STATUS', 'ATTEMPTS', 'TIME', 'NOTE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const title = `run ${run.runId} of ${run.pipeline} (${run.env}): ${run.status}${run.resumes ? `, resumed ${run.resumes}×` : ''}`;
  return `${[title, line(header), ...rows.map(line)].join('\n')}\n`;
}

function duration(start?: string, end?: string): string {
  if (!start) return '-';
  const ms = (end ? Date.parse(end) : Date.now()) - Date.parse(start);
  return `${(ms / 1000).toFixed(1)}s${end ? '' : '…'}`;
}

function causeText(cause: string): string {
  try {
    return String((JSON.parse(cause) as { message?: string }).message ?? cause);
  } catch {
    return cause;
  }
}
