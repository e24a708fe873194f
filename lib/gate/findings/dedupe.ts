import { type Finding, type Suppression, severityRank } from './finding.js';

/**
 * The same vulnerability in the same component, reported by two scanners (or under a CVE and its
 * GHSA alias), is one finding: the most severe report is kept, with every alias.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const kept: Finding[] = [];
  const index = new Map<string, number>();
  for (const finding of findings) {
    const ids = [finding.id, ...finding.aliases];
    const keys = ids.map((id) => `${id}\u0000${componentKey(finding)}`);
    const at = keys.map((k) => index.get(k)).find((i) => i !== undefined);
    if (at === undefined) {
      kept.push(finding);
      for (const key of keys) index.set(key, kept.length - 1);
      continue;
    }
    const current = kept[at];
    const better = severityRank(finding.severity) > severityRank(current.severity) ? finding : current;
    const aliases = [...new Set([...current.aliases, ...finding.aliases, current.id, finding.id])].filter(
      (a) => a !== better.id,
    );
    kept[at] = {
      ...better,
      aliases,
      fixedVersion: better.fixedVersion ?? current.fixedVersion ?? finding.fixedVersion,
    };
    for (const key of keys) index.set(key, at);
  }
  return kept;
}

/** Splits findings into those a VEX statement suppresses (with the statement) and the rest. */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
): { active: Finding[]; suppressed: { finding: Finding; by: Suppression }[] } {
  const active: Finding[] = [];
  const suppressed: { finding: Finding; by: Suppression }[] = [];
  for (const finding of findings) {
    const ids = new Set([finding.id, ...finding.aliases]);
    const by = suppressions.find(
      (s) =>
        (ids.has(s.id) || s.aliases.some((a) => ids.has(a))) &&
        (s.component === undefined || matchesComponent(finding, s.component)),
    );
    if (by) suppressed.push({ finding, by });
    else active.push(finding);
  }
  return { active, suppressed };
}

function componentKey(finding: Finding): string {
  return `${finding.component.name}@${finding.component.version ?? ''}`;
}

/** A purl names a component with or without its version and qualifiers. */
export function matchesComponent(finding: Finding, reference: string): boolean {
  const purl = finding.component.purl;
  if (!purl) return reference === finding.component.name;
  const bare = (p: string) => p.split('?')[0].split('#')[0];
  return (
    bare(purl) === bare(reference) ||
    (bare(purl).split('@')[0] === bare(reference).split('@')[0] && !bare(reference).includes('@'))
  );
}
