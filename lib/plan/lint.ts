import type { Action } from '../pipeline/index.js';
import { type BuildPipeline, forEachString, joinPointer } from '../pipeline/index.js';
import type { Plan, PlanIssue, PlanNode } from './types.js';

const RELEASES: ReadonlySet<Action> = new Set([
  'docker-push',
  'sign',
  'attest',
  'cosign-sign',
  'cosign-attest',
  'promote',
]);
const SCANS: ReadonlySet<Action> = new Set(['trivy-scan', 'grype-scan', 'scan']);
const SBOMS: ReadonlySet<Action> = new Set(['syft-sbom', 'sbom']);
const IMAGE_KEYS = /(^|_)image$/;
const DIGEST = /sha256:([^\s"'@/,;)]*)/g;

/**
 * Supply-chain lint: releases that skip the scan or SBOM of their service, images pinned by tag,
 * malformed digests. Warnings under dev and staging, errors under prod.
 */
export function lintSupplyChain(pipeline: BuildPipeline, plan: Plan): PlanIssue[] {
  const severity = plan.env === 'prod' ? 'error' : 'warning';
  const issues: PlanIssue[] = [];
  const report = (pointer: string, message: string) => issues.push({ severity, pointer, message });
  releaseOrder(plan, report);
  tagReferences(pipeline, plan, report);
  malformedDigests(pipeline, report);
  return dedupe(issues);
}

type Report = (pointer: string, message: string) => void;

function releaseOrder(plan: Plan, report: Report): void {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  for (const node of plan.nodes) {
    if (!RELEASES.has(node.action) || node.skip) continue;
    const before = ancestors(node, byId);
    const covers = (kinds: ReadonlySet<Action>, service?: string) =>
      before.some(
        (a) =>
          kinds.has(a.action) &&
          !a.skip &&
          (service === undefined || a.services.length === 0 || a.services.includes(service)),
      );
    const targets = node.services.length ? node.services : [undefined];
    for (const service of targets) {
      const what = service ? ` of service ${service}` : '';
      const sbomRequired = plan.profile.sbom_policy !== 'off';
      const missing = [
        !covers(SCANS, service) && 'a scan',
        sbomRequired && !covers(SBOMS, service) && 'an SBOM',
      ].filter(Boolean);
      if (missing.length) {
        report(
          joinPointer(node.source, 'action'),
          `${node.id} (${node.action}) does not depend on ${missing.join(' or ')} step${what}; make its stage depend on the stage that has it`,
        );
      }
    }
  }
}

// Everything `node` depends on, directly or not. Walked per release node: releases are few.
function ancestors(node: PlanNode, byId: ReadonlyMap<string, PlanNode>): PlanNode[] {
  const seen = new Set<string>();
  const stack = [...node.dependsOn];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return [...seen].map((id) => byId.get(id) as PlanNode);
}

// Literal image references (base images and `with.*image` inputs) should carry a digest.
function tagReferences(pipeline: BuildPipeline, plan: Plan, report: Report): void {
  (pipeline.spec.services ?? []).forEach((service, i) => {
    if (service.base_image) checkImage(service.base_image, `/spec/services/${i}/base_image`, report);
  });
  const steps = new Set(plan.nodes.map((n) => n.source));
  for (const pointer of steps) {
    const [, , , s, , k] = pointer.split('/');
    const step = pipeline.spec.stages[Number(s)].steps[Number(k)];
    for (const [key, value] of Object.entries(step.with ?? {})) {
      if (IMAGE_KEYS.test(key) && typeof value === 'string')
        checkImage(value, joinPointer(pointer, 'with', key), report);
    }
  }
}

function checkImage(reference: string, pointer: string, report: Report): void {
  if (reference.includes('${{') || reference.includes('@sha256:') || reference === 'scratch') return;
  report(
    pointer,
    `image "${reference}" is referenced by tag; pin it by digest (${reference}@sha256:<digest>) so every run uses the same image`,
  );
}

function malformedDigests(pipeline: BuildPipeline, report: Report): void {
  forEachString(pipeline, (text, pointer) => {
    for (const match of text.matchAll(DIGEST)) {
      if (!/^[a-f0-9]{64}$/.test(match[1])) {
        report(
          pointer,
          `malformed digest "${match[0]}": sha256: must be followed by exactly 64 lower-case hex characters`,
        );
      }
    }
  });
}

function dedupe(issues: PlanIssue[]): PlanIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.pointer}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
