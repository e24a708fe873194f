import { type Finding, type Suppression, severityRank } from './finding.js';

/**
 * The same vulnerability in the same component, reported by two scanners (or under a CVE and its
 * GHSA alias), is one finding: the most severe report is kept, with every alias.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const kept: Finding[] = [];
  // By vulnerability id and component name@version; and by id and name alone, for reports
  // that do not know the installed version (npm audit names a range), which match any version.
  const exact = new Map<string, number>();
  const byName = new Map<string, number[]>();
  const merge = (at: number, finding: Finding): void => {
    const current = kept[at];
    const better = severityRank(finding.severity) > severityRank(current.severity) ? finding : current;
    const aliases = [...new Set([...current.aliases, ...finding.aliases, current.id, finding.id])].filter(
      (a) => a !== better.id,
    );
    kept[at] = {
      ...better,
      // The report that knows the installed version names the component.
      component: current.component.version ? current.component : finding.component,
      aliases,
      fixedVersion: better.fixedVersion ?? current.fixedVersion ?? finding.fixedVersion,
    };
  };
  for (const finding of findings) {
    const ids = [finding.id, ...finding.aliases];
    const { name, version } = finding.component;
    const at =
      ids.map((id) => exact.get(`${id}\u0000${name}@${version ?? ''}`)).find((i) => i !== undefined) ??
      ids
        .flatMap((id) => byName.get(`${id}\u0000${name}`) ?? [])
        .find((i) => !version || !kept[i].component.version);
    const index = at ?? kept.push(finding) - 1;
    if (at !== undefined) merge(at, finding);
    for (const id of [...ids, ...kept[index].aliases, kept[index].id]) {
      exact.set(`${id}\u0000${name}@${version ?? ''}`, index);
      const list = byName.get(`${id}\u0000${name}`) ?? [];
      if (!list.includes(index)) list.push(index);
      byName.set(`${id}\u0000${name}`, list);
    }
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

/**
 * Whether `reference` (a purl, with or without its version; or a bare name) names the finding's
 * component. Qualifiers and subpaths are ignored, and an encoded npm scope (`%40`) matches `@`.
 */
export function matchesComponent(finding: Finding, reference: string): boolean {
  const purl = finding.component.purl;
  if (!purl) return reference === finding.component.name;
  const have = splitPurl(purl);
  const want = splitPurl(reference);
  return have.base === want.base && (want.version === undefined || want.version === have.version);
}

// `pkg:type/namespace/name@version?qualifiers#subpath` → base (without version) and version.
function splitPurl(purl: string): { base: string; version?: string } {
  const raw = purl.split('#')[0].split('?')[0];
  let bare = raw;
  try {
    bare = decodeURIComponent(raw);
  } catch {
    // a malformed escape: compare the text as it is
  }
  const at = bare.lastIndexOf('@');
  return at > bare.lastIndexOf('/')
    ? { base: bare.slice(0, at), version: bare.slice(at + 1) }
    : { base: bare };
}
