import { BUILD_EVIDENCE_DIR as EVIDENCE_DIR } from '../evidence/index.js';
import type { Plan, PlanNode } from '../plan/index.js';

interface Target {
  readonly name: string;
  readonly path: string;
}

/** `sbom` / `syft-sbom`: a CycloneDX SBOM per service the step names (syft when present). */
export function sbomCommand(node: PlanNode, plan: Plan, generator: 'auto' | 'syft'): string {
  return targetsOf(node, plan)
    .map(
      (t) =>
        `mc sbom ${quote(t.path)} --generator ${generator} -o ${quote(`${EVIDENCE_DIR}/sbom/${fileName(t.name)}.cdx.json`)}`,
    )
    .join(' && ');
}

/** `scan` / `trivy-scan` / `grype-scan`: scanner output per service the step names. */
export function scanCommand(node: PlanNode, plan: Plan, scanner: 'auto' | 'trivy' | 'grype'): string {
  return targetsOf(node, plan)
    .map(
      (t) =>
        `mc scan ${quote(t.path)} --scanner ${scanner} -o ${quote(`${EVIDENCE_DIR}/findings/${fileName(t.name)}.json`)}`,
    )
    .join(' && ');
}

// What a step works on: `with.path`, else the for_each item's path, else the services it names,
// else the whole workspace.
export function targetsOf(node: PlanNode, plan: Plan): Target[] {
  const item = (typeof node.item === 'object' && node.item !== null ? node.item : {}) as Record<
    string,
    unknown
  >;
  if (typeof node.with.path === 'string')
    return [{ name: String(node.with.name ?? item.name ?? node.with.path), path: node.with.path }];
  if (typeof item.path === 'string') return [{ name: String(item.name ?? item.path), path: item.path }];
  if (node.services.length) {
    const paths = new Map((plan.services ?? []).map((s) => [s.name, s.path]));
    return node.services.map((name) => ({ name, path: paths.get(name) ?? '.' }));
  }
  return [{ name: plan.pipeline, path: '.' }];
}

function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function quote(text: string): string {
  return /^[\w./@:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
