import { parse } from 'yaml';
import { defaultProfile, ENVIRONMENTS, type EnvName } from '../../plan/index.js';
import type { Finding, Suppression } from '../findings/finding.js';
import { normalizeSeverity } from '../findings/finding.js';
import { buildGateInput, type CheckResult } from '../input/index.js';
import type { Waiver } from '../waivers/waiver.js';
import { PolicyError } from './errors.js';
import { evaluatePolicy } from './evaluate.js';
import type { Policy } from './policy.js';

/** One case of a policy test file: the gate's input, and what the policy must decide. */
export interface PolicyTestCase {
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly expect: { readonly allow: boolean; readonly violation?: readonly string[] };
}

export interface PolicyTestResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly allow: boolean;
  readonly violations: readonly string[];
  /** What differed, when it failed. */
  readonly problems: readonly string[];
}

/**
 * A policy test file (`policy/tests/*.yaml`): `input:` / `expect:` at the top, or a list of them
 * under `cases:` (each with a `name`). The role conftest plays for Rego.
 */
export function parsePolicyTests(text: string, file: string): PolicyTestCase[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new PolicyError('BAD_TEST', `${file}: not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const d = (doc ?? {}) as Record<string, unknown>;
  const raw = Array.isArray(d.cases) ? d.cases : [d];
  return raw.map((c, i) => {
    const entry = (c ?? {}) as Record<string, unknown>;
    const at = `${file}${Array.isArray(d.cases) ? `: cases[${i}]` : ''}`;
    const input = entry.input as Record<string, unknown> | undefined;
    const expect = entry.expect as PolicyTestCase['expect'] | undefined;
    if (typeof input !== 'object' || input === null)
      throw new PolicyError('BAD_TEST', `${at}: input: is required (a map)`);
    if (typeof expect !== 'object' || expect === null || typeof expect.allow !== 'boolean')
      throw new PolicyError(
        'BAD_TEST',
        `${at}: expect: needs allow: true|false (and optionally violation: [messages])`,
      );
    if (expect.violation !== undefined && !Array.isArray(expect.violation))
      throw new PolicyError('BAD_TEST', `${at}: expect.violation must be a list of messages`);
    onlyKnown(entry, CASE_KEYS, at);
    onlyKnown(input, INPUT_KEYS, `${at}: input`);
    onlyKnown(expect as Record<string, unknown>, EXPECT_KEYS, `${at}: expect`);
    return { name: String(entry.name ?? (Array.isArray(d.cases) ? `case ${i + 1}` : file)), input, expect };
  });
}

const CASE_KEYS = ['name', 'input', 'expect', 'cases'];
const INPUT_KEYS = [
  'env',
  'now',
  'profile',
  'annotations',
  'subject',
  'sbom',
  'findings',
  'scanners',
  'suppressions',
  'waivers',
  'signatures',
  'provenance',
];
const EXPECT_KEYS = ['allow', 'violation'];

// A misspelt key would make a case test nothing: refuse it.
function onlyKnown(map: Record<string, unknown>, known: readonly string[], at: string): void {
  const unknown = Object.keys(map).find((k) => !known.includes(k));
  if (unknown)
    throw new PolicyError(
      'BAD_TEST',
      `${at}: unknown key ${unknown} (known: ${known.filter((k) => k !== 'cases').join(', ')})`,
    );
}

/** Runs one case against the policy: the verdict and, when listed, exactly these violation messages. */
export function runPolicyTest(policy: Policy, file: string, test: PolicyTestCase): PolicyTestResult {
  const input = test.input;
  const env = (input.env ?? 'dev') as EnvName;
  if (!(ENVIRONMENTS as readonly string[]).includes(env))
    throw new PolicyError(
      'BAD_TEST',
      `${file}: ${test.name}: input.env must be one of ${ENVIRONMENTS.join(', ')}`,
    );
  const gateInput = buildGateInput({
    env,
    profile: { ...defaultProfile(env), ...((input.profile as object | undefined) ?? {}) },
    annotations: (input.annotations as Record<string, string> | undefined) ?? {},
    ...(input.subject ? { subject: input.subject as { name?: string; digest?: string } } : {}),
    ...(input.sbom ? { sbom: sbomOf(input.sbom as Record<string, unknown>) } : {}),
    findings: ((input.findings as unknown[] | undefined) ?? []).map(findingOf),
    ...(input.scanners ? { scanners: (input.scanners as unknown[]).map(String) as Finding['source'][] } : {}),
    suppressions: ((input.suppressions as unknown[] | undefined) ?? []).map(suppressionOf),
    waivers: ((input.waivers as unknown[] | undefined) ?? []).map(waiverOf),
    ...(input.signatures ? { signatures: input.signatures as CheckResult } : {}),
    ...(input.provenance ? { provenance: input.provenance as CheckResult } : {}),
    now: input.now ? new Date(String(input.now)) : new Date(),
  });
  const evaluation = evaluatePolicy(policy, gateInput);
  const violations = evaluation.violations.map((v) => v.message);
  const problems: string[] = [];
  if (evaluation.allow !== test.expect.allow)
    problems.push(`expected allow: ${test.expect.allow}, got allow: ${evaluation.allow}`);
  if (test.expect.violation) {
    const want = [...test.expect.violation].sort();
    const got = [...violations].sort();
    if (JSON.stringify(want) !== JSON.stringify(got))
      problems.push(`expected violations ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  return {
    file,
    name: test.name,
    passed: problems.length === 0,
    allow: evaluation.allow,
    violations,
    problems,
  };
}

function findingOf(raw: unknown): Finding {
  const f = (raw ?? {}) as Record<string, unknown>;
  const component = (f.component ?? {}) as Record<string, unknown>;
  return {
    id: String(f.id ?? ''),
    aliases: ((f.aliases as unknown[] | undefined) ?? []).map(String),
    severity: normalizeSeverity(f.severity),
    ...(typeof f.cvss_score === 'number' ? { cvss: { score: f.cvss_score } } : {}),
    component: {
      name: String(component.name ?? ''),
      ...(component.version !== undefined ? { version: String(component.version) } : {}),
      ...(component.purl !== undefined ? { purl: String(component.purl) } : {}),
      ...(component.digest !== undefined ? { digest: String(component.digest) } : {}),
    },
    ...(f.fixed_version !== undefined ? { fixedVersion: String(f.fixed_version) } : {}),
    source: (f.source as Finding['source'] | undefined) ?? 'grype',
  };
}

function suppressionOf(raw: unknown): Suppression {
  const v = (raw ?? {}) as Record<string, unknown>;
  return {
    id: String(v.id ?? ''),
    aliases: ((v.aliases as unknown[] | undefined) ?? []).map(String),
    ...(v.component !== undefined ? { component: String(v.component) } : {}),
    state: 'not_affected',
    ...(v.justification !== undefined ? { justification: String(v.justification) } : {}),
  };
}

function waiverOf(raw: unknown): Waiver {
  const w = (raw ?? {}) as Record<string, unknown>;
  const text = (key: string) => (w[key] === undefined ? undefined : String(w[key]));
  for (const key of ['expires_at', 'created_at', 'revoked_at'])
    if (text(key) !== undefined && Number.isNaN(Date.parse(text(key) as string)))
      throw new PolicyError(
        'BAD_TEST',
        `waiver ${text('id') ?? ''}: ${key} must be an ISO-8601 time, not ${text(key)}`,
      );
  return {
    id: text('id') ?? 'test-waiver',
    vulnerability: text('vulnerability') ?? '',
    ...(text('component') ? { component: text('component') } : {}),
    ...(text('digest') ? { digest: text('digest') } : {}),
    ...(text('env') ? { env: text('env') as EnvName } : {}),
    reason: text('reason') ?? 'test',
    owner: text('owner') ?? 'owner',
    createdAt: text('created_at') ?? new Date(0).toISOString(),
    expiresAt: text('expires_at') ?? '9999-12-31T00:00:00.000Z',
    ...(text('approved_by') ? { approvedBy: text('approved_by') } : {}),
    ...(text('revoked_at') ? { revokedAt: text('revoked_at') } : {}),
    origin: 'store',
  };
}

function sbomOf(raw: Record<string, unknown>): {
  format: string;
  specVersion: string;
  components: number;
  files: string[];
} {
  return {
    format: String(raw.format ?? 'cyclonedx'),
    specVersion: String(raw.spec_version ?? '1.6'),
    components: Number(raw.components ?? 0),
    files: [],
  };
}
