import { ActionError, type ActionPayload, type ActionResult } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import { checkGateSboms, decideGate, enforcementFrom, type GateFile, shippedPolicy } from '../gate/index.js';
import type { RunDeps } from '../run/index.js';
import { type SucceededAncestor, succeededAncestors } from '../workspace/index.js';
import { runPlan } from './run-plan.js';
import { signatureChecks } from './signature-checks.js';

/**
 * The pipeline's gate: the same decision as `mc gate`, over what the nodes it depends on kept as
 * evidence (`sbom/` and `findings/` of their build evidence), the waivers of the state table and
 * the shipped policy. Reports land next to the attempt; a blocking decision fails the node.
 */
export async function gateAction(
  deps: RunDeps,
  payload: ActionPayload,
  context: { attempt: number; prefix: string },
): Promise<ActionResult> {
  const plan = await runPlan(deps, context.prefix);
  const succeeded = await succeededAncestors(deps, plan, payload.runId, payload.node);
  const files = await dependencyEvidence(deps, succeeded, context.prefix);
  try {
    await checkGateSboms(files.sboms);
  } catch (error) {
    throw new ActionError('INVALID_INPUT', (error as Error).message, { cause: error });
  }
  const checks = await signatureChecks(deps, plan, payload.node, succeeded, context.prefix);
  const decision = decideGate(files, {
    env: plan.env,
    profile: plan.profile,
    annotations: plan.profile.annotations,
    policy: shippedPolicy(),
    waivers: await deps.waivers.list(),
    enforce: enforcementFrom(process.env),
    ...checks,
    now: deps.now(),
  });
  const json = `${context.prefix}${EVIDENCE.gateReport(payload.node, context.attempt, 'json')}`;
  const md = `${context.prefix}${EVIDENCE.gateReport(payload.node, context.attempt, 'md')}`;
  await deps.evidence.putJsonOnce(json, decision.report);
  await deps.evidence.putOnce(md, decision.markdown, 'text/markdown');
  const { report } = decision;
  const violations = report.violations.map((v) =>
    v.vulnerability ? `${v.message} (${v.vulnerability})` : v.message,
  );
  const shown = `${violations.slice(0, 5).join('; ')}${violations.length > 5 ? `; and ${violations.length - 5} more` : ''}`;
  if (!decision.passes)
    throw new ActionError(
      'GATE_BLOCKED',
      `gate blocked (${report.env}, ${report.policy}): ${shown}; report: ${md}`,
    );
  const verdict = report.allow
    ? `gate allowed: ${report.findings.total} finding${report.findings.total === 1 ? '' : 's'}, ${report.waived.length} waived, ${report.suppressed.length} suppressed by VEX`
    : `gate would block (advisory: ${report.advisoryBecause}): ${shown}`;
  return { evidence: [json, md], summary: verdict };
}

// The SBOMs and findings the gate's dependencies (direct or not) kept from their last attempt.
export async function dependencyEvidence(
  deps: RunDeps,
  succeeded: readonly SucceededAncestor[],
  prefix: string,
): Promise<{ sboms: GateFile[]; findings: GateFile[] }> {
  const sboms: GateFile[] = [];
  const findings: GateFile[] = [];
  for (const { id, attempt } of succeeded) {
    const base = `${prefix}${EVIDENCE.nodeEvidence(id, attempt)}`;
    for (const key of await deps.evidence.list(base)) {
      const relative = key.slice(base.length);
      const into = relative.startsWith('sbom/')
        ? sboms
        : relative.startsWith('findings/')
          ? findings
          : undefined;
      const text = into ? await deps.evidence.getText(key) : undefined;
      if (into && text !== undefined) into.push({ file: `${id}: ${relative}`, text });
    }
  }
  return { sboms, findings };
}
