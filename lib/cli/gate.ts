import { randomBytes } from 'node:crypto';
import { type Command, Option } from 'commander';
import {
  checkGateSboms,
  decideGate,
  enforcementFrom,
  type GateReport,
  maxWaiverTtlSeconds,
  parseWaiversFile,
  type Waiver,
} from '../gate/index.js';
import { analyzePipeline, defaultProfile, type EnvName } from '../plan/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { type CliIO, count, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { envOption, jsonOption } from './options.js';
import { asUsage, asUsageAsync, loadPolicy } from './policy-file.js';

interface GateOptions {
  readonly sbom: string[];
  readonly findings: string[];
  readonly env: EnvName;
  readonly pipeline?: string;
  readonly policy?: string;
  readonly waivers: string[];
  readonly annotation: string[];
  readonly subjectDigest?: string;
  readonly json?: boolean;
  readonly format: 'text' | 'md';
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerGate(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('gate')
    .description(
      "decide whether a release may go on: the SBOM and scanner findings against the policy, with VEX and the project's waivers applied; the same decision as a pipeline's gate step",
    )
    .option('--sbom <file>', 'CycloneDX 1.4–1.6 or SPDX 2.3 JSON (repeatable)', collect, [])
    .option(
      '--findings <file>',
      'grype, trivy, SARIF 2.1.0, npm audit or CycloneDX VEX JSON (repeatable)',
      collect,
      [],
    )
    .addOption(envOption())
    .option(
      '--pipeline <file>',
      "take the profile of --env from this pipeline (default: mc's built-in profile)",
    )
    .option('--policy <file>', 'the policy (default: policy/supplychain.yaml shipped with mc)')
    .option(
      '--waivers <file>',
      'a waivers file (policy/waivers.yaml format), besides the waivers stored in .mc/ (repeatable)',
      collect,
      [],
    )
    .option('--annotation <key=value>', 'an annotation the policy reads (repeatable)', collect, [])
    .option(
      '--subject-digest <sha256:hex>',
      'the digest of the artifact decided on (digest waivers match it)',
    )
    .addOption(jsonOption())
    .addOption(
      new Option('--format <format>', 'text: a summary; md: the MC Gate Report in Markdown')
        .choices(['text', 'md'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nThe mode comes from the profile (enforce unless it says sbom_policy: advisory); MC_ENFORCE=false makes every gate advisory. Advisory gates report and never fail.\nThe JSON and Markdown reports are kept as evidence in .mc/ (gates/<time>-<id>/).\nExit codes: 0 allowed (or advisory), 1 blocked, 2 usage error (unreadable or unknown file, bad policy).',
    )
    .action(async (options: GateOptions) => exit(await gate(options, io)));
}

async function gate(options: GateOptions, io: CliIO): Promise<number> {
  if (!options.sbom.length && !options.findings.length)
    throw new UsageError('give at least one --sbom or --findings file');
  const policy = loadPolicy(io.cwd, options.policy);
  const profile = profileOf(options, io);
  const sboms = options.sbom.map((name) => fileOf(io, name));
  const findings = options.findings.map((name) => fileOf(io, name));
  const fileWaivers = options.waivers.flatMap((name) => {
    const file = readInputFile(io.cwd, name);
    return asUsage(() => parseWaiversFile(file.text, file.display, maxWaiverTtlSeconds(policy)));
  });
  const annotations = Object.fromEntries(
    options.annotation.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--annotation ${pair}: expected key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  await asUsageAsync(() => checkGateSboms(sboms));
  return withLocalBackend(io, async (backend) => {
    const waivers: Waiver[] = [...(await backend.waivers.list()), ...fileWaivers];
    const decision = asUsage(() =>
      decideGate(
        { sboms, findings },
        {
          env: options.env,
          profile,
          annotations: { ...profile.annotations, ...annotations },
          policy,
          waivers,
          enforce: enforcementFrom(io.env),
          ...(options.subjectDigest ? { subject: { digest: options.subjectDigest } } : {}),
          now: new Date(),
        },
      ),
    );
    const folder = `gates/${decision.report.decidedAt}-${randomBytes(3).toString('hex')}/`;
    await backend.evidence.putJsonOnce(`${folder}report.json`, decision.report);
    await backend.evidence.putOnce(`${folder}report.md`, decision.markdown, 'text/markdown');
    if (options.json) printJson(io, decision.report);
    else if (options.format === 'md') io.stdout(decision.markdown);
    else io.stdout(summary(decision.report));
    io.stderr(`mc gate: report kept as evidence: ${folder}report.json, report.md\n`);
    return decision.passes ? EXIT.ok : EXIT.failed;
  });
}

function profileOf(options: GateOptions, io: CliIO) {
  if (!options.pipeline) return defaultProfile(options.env);
  const file = readInputFile(io.cwd, options.pipeline);
  const { plan, diagnostics } = analyzePipeline(file.display, file.text, { env: options.env });
  if (!plan)
    throw new UsageError(
      `${file.display} does not plan for ${options.env}: ${diagnostics.find((d) => d.severity === 'error')?.message ?? 'invalid'}`,
    );
  return plan.profile;
}

function fileOf(io: CliIO, name: string) {
  const file = readInputFile(io.cwd, name);
  return { file: file.display, text: file.text };
}

function summary(report: GateReport): string {
  const lines = [
    `${report.allow ? 'ALLOWED' : report.mode === 'enforce' ? 'BLOCKED' : 'WOULD BLOCK (advisory)'}: ${report.env}, policy ${report.policy}, ${count(report.findings.total, 'finding')}, ${report.waived.length} waived, ${report.suppressed.length} suppressed by VEX`,
  ];
  if (report.advisoryBecause) lines.push(`  advisory because ${report.advisoryBecause}`);
  for (const v of report.violations)
    lines.push(
      `  ✗ ${v.rule} ${v.message}${v.vulnerability ? ` [${v.vulnerability}${v.component ? ` in ${v.component}` : ''}]` : ''}`,
    );
  for (const w of report.waived)
    lines.push(
      `  ~ ${w.vulnerability} in ${w.component} waived by ${w.waiver} (${w.owner}${w.approvedBy ? `, approved by ${w.approvedBy}` : ''}, until ${w.expiresAt})`,
    );
  for (const w of report.unusedWaivers) lines.push(`  - waiver ${w.id} did not apply: ${w.because}`);
  if (!report.allow) {
    const remedies = report.rules.filter((r) => !r.passed && r.remedy).map((r) => `  next: ${r.remedy}`);
    lines.push(...remedies);
  }
  return `${lines.join('\n')}\n`;
}
