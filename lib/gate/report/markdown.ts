import type { GateReport } from './report.js';

const MAX_ROWS = 50;

/** The "MC Gate Report": what was checked, each policy line ✅/❌, the findings, the next step. */
export function gateMarkdown(report: GateReport): string {
  const lines: string[] = [];
  const verdict = report.allow
    ? '✅ **Allowed**'
    : report.mode === 'enforce'
      ? '❌ **Blocked**'
      : '⚠️ **Would block** (advisory: reported, not enforced)';
  lines.push('# MC Gate Report', '');
  lines.push(
    `${verdict} · env \`${report.env}\` · mode \`${report.mode}\` · policy \`${report.policy}\` · ${report.decidedAt}`,
  );
  if (report.advisoryBecause) lines.push('', `> Advisory because ${report.advisoryBecause}.`);
  lines.push('', '## Evidence', '');
  lines.push(`| check | result |`, `| --- | --- |`);
  lines.push(`| Provenance | ${check(report.provenance.status)} ${cell(report.provenance.detail)} |`);
  lines.push(`| Signatures | ${check(report.signatures.status)} ${cell(report.signatures.detail)} |`);
  lines.push(
    `| SBOM | ${report.sbom.present ? `✅ ${report.sbom.format} ${report.sbom.spec_version}, ${report.sbom.components} component${report.sbom.components === 1 ? '' : 's'}` : '➖ none given'} |`,
  );
  const counts = Object.entries(report.findings.bySeverity)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  lines.push(
    `| Findings | ${report.findings.total} after deduplication${counts ? ` (${counts})` : ''}; ${report.suppressed.length} suppressed by VEX; ${report.waived.length} waived |`,
  );
  lines.push('', '## Policy', '');
  for (const rule of report.rules)
    lines.push(
      `- ${rule.passed ? '✅' : '❌'} **${rule.rule}** ${cell(rule.title)}${rule.passed ? '' : ` — ${rule.violations} violation${rule.violations === 1 ? '' : 's'}`}`,
    );
  if (report.violations.length) {
    lines.push(
      '',
      '## Violations',
      '',
      '| rule | severity | vulnerability | component | message |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const v of report.violations.slice(0, MAX_ROWS))
      lines.push(
        `| ${v.rule} | ${v.severity} | ${cell(v.vulnerability)} | ${cell(v.component)} | ${cell(v.message)} |`,
      );
    more(lines, report.violations.length);
  }
  if (report.findings.list.length) {
    lines.push(
      '',
      '## Findings',
      '',
      '| severity | vulnerability | component | fixed in | gate |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const f of report.findings.list.slice(0, MAX_ROWS))
      lines.push(
        `| ${f.severity} | ${cell(f.vulnerability)} | ${cell(f.component)} | ${cell(f.fixedVersion) || '—'} | ${f.status === 'blocked' ? '❌ blocked' : f.status === 'waived' ? '⚠️ waived' : '✅ allowed'} |`,
      );
    more(lines, report.findings.list.length);
  }
  if (report.waived.length) {
    lines.push(
      '',
      '## Waived',
      '',
      '| vulnerability | component | waiver | owner | approved by | expires | reason |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const w of report.waived.slice(0, MAX_ROWS))
      lines.push(
        `| ${cell(w.vulnerability)} | ${cell(w.component)} | ${w.waiver} | ${cell(w.owner)} | ${cell(w.approvedBy) || '—'} | ${w.expiresAt} | ${cell(w.reason)} |`,
      );
    more(lines, report.waived.length);
  }
  if (report.suppressed.length) {
    lines.push(
      '',
      '## Suppressed by VEX',
      '',
      '| vulnerability | component | justification |',
      '| --- | --- | --- |',
    );
    for (const s of report.suppressed.slice(0, MAX_ROWS))
      lines.push(
        `| ${cell(s.vulnerability)} | ${cell(s.component)} | ${cell([s.justification, s.detail].filter(Boolean).join(': '))} |`,
      );
    more(lines, report.suppressed.length);
  }
  if (report.unusedWaivers.length) {
    lines.push('', '## Waivers that did not apply', '');
    for (const w of report.unusedWaivers) lines.push(`- ${w.id}: ${cell(w.because)}`);
  }
  lines.push('', '## Next step', '');
  if (report.allow) lines.push('Nothing to do: the policy allows this release.');
  else {
    const failed = report.rules.filter((r) => !r.passed);
    for (const rule of failed) lines.push(`- **${rule.rule}**: ${cell(rule.remedy ?? rule.explanation)}`);
  }
  return `${lines.join('\n')}\n`;
}

function check(status: string): string {
  if (status === 'verified') return '✅';
  if (status === 'not-collected') return '➖';
  return '❌';
}

function more(lines: string[], total: number): void {
  if (total > MAX_ROWS) lines.push('', `… and ${total - MAX_ROWS} more (see the JSON report).`);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
