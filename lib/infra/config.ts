import type { EnvName } from '../plan/index.js';
import { InfraConfigError } from './errors.js';

export const ENVIRONMENTS: readonly EnvName[] = ['dev', 'staging', 'prod'];

/** Who may start runs: GitHub repositories (owner/name) and the refs or environments of their jobs. */
export interface GitHubAccess {
  readonly repositories: readonly string[];
  /** Branch names; a job on `refs/heads/<branch>` may start runs. */
  readonly branches: readonly string[];
  /** GitHub deployment environments; a job in one of them may start runs. */
  readonly environments: readonly string[];
}

/** Create the account's GitHub OIDC provider, or use the one that exists (one per account). */
export type OidcProviderSource = { readonly create: true } | { readonly arn: string };

/** One environment's stack, from the `mc:environments` context of cdk.json. */
export interface EnvironmentConfig {
  readonly name: EnvName;
  readonly account: string;
  readonly region: string;
  readonly github: GitHubAccess;
  readonly oidcProvider: OidcProviderSource;
  /** Pipeline files (relative to the app's directory), one state machine each. */
  readonly pipelines: readonly string[];
  /** Object Lock default retention of evidence, in days. */
  readonly evidenceRetentionDays: number;
  /** How long a `caches/` entry lives, in days. */
  readonly cacheExpirationDays: number;
  /** Gate blocks in an hour that raise the alarm. */
  readonly gateBlocksAlarmThreshold: number;
  /** A CodeBuild reserved-capacity fleet for latency-sensitive builds (a third project uses it). */
  readonly reservedFleetArn?: string;
}

const DEFAULTS = {
  evidenceRetentionDays: { dev: 30, staging: 90, prod: 365 },
  cacheExpirationDays: 14,
  gateBlocksAlarmThreshold: 5,
} as const;

/** Reads and checks every environment of the context; each problem names its path. */
export function parseEnvironments(context: unknown): EnvironmentConfig[] {
  const errors: string[] = [];
  const root = object(context, 'mc:environments', errors);
  const parsed = ENVIRONMENTS.flatMap((name) => {
    const entry = root?.[name];
    if (entry === undefined) {
      errors.push(`mc:environments.${name}: missing; every environment (dev, staging, prod) needs an entry`);
      return [];
    }
    return [parseEnvironment(name, entry, errors)];
  });
  for (const key of Object.keys(root ?? {}))
    if (!ENVIRONMENTS.includes(key as EnvName))
      errors.push(`mc:environments.${key}: unknown environment; expected dev, staging or prod`);
  if (errors.length) throw new InfraConfigError('BAD_CONTEXT', `cdk.json context:\n  ${errors.join('\n  ')}`);
  return parsed;
}

function parseEnvironment(name: EnvName, value: unknown, errors: string[]): EnvironmentConfig {
  const at = `mc:environments.${name}`;
  const o = object(value, at, errors) ?? {};
  const github = object(o.github, `${at}.github`, errors) ?? {};
  const repositories = strings(github.repositories, `${at}.github.repositories`, errors, REPOSITORY);
  if (!repositories.length) errors.push(`${at}.github.repositories: name at least one owner/name`);
  const branches = strings(github.branches ?? [], `${at}.github.branches`, errors, REF_NAME);
  const environments = strings(github.environments ?? [], `${at}.github.environments`, errors, REF_NAME);
  if (!branches.length && !environments.length)
    errors.push(`${at}.github: name at least one branch or environment allowed to start runs`);
  // Which repositories an environment has comes from one place, the promotion map.
  for (const moved of ['watchedRepositories', 'promotion'])
    if (o[moved] !== undefined)
      errors.push(
        `${at}.${moved}: the repositories of an environment and where its images go are read from the promotion map (policy/promotion.yaml); remove it here`,
      );
  return {
    name,
    account: text(o.account, `${at}.account`, errors, /^\d{12}$/, 'a 12-digit account id'),
    region: text(o.region, `${at}.region`, errors, /^[a-z]{2}(-[a-z]+)+-\d$/, 'a region such as eu-west-1'),
    github: { repositories, branches, environments },
    oidcProvider: parseOidc(o.oidcProvider, `${at}.oidcProvider`, errors),
    pipelines: strings(o.pipelines, `${at}.pipelines`, errors, /\.ya?ml$/),
    evidenceRetentionDays: positive(
      o.evidenceRetentionDays,
      DEFAULTS.evidenceRetentionDays[name],
      `${at}.evidenceRetentionDays`,
      errors,
    ),
    cacheExpirationDays: positive(
      o.cacheExpirationDays,
      DEFAULTS.cacheExpirationDays,
      `${at}.cacheExpirationDays`,
      errors,
    ),
    gateBlocksAlarmThreshold: positive(
      o.gateBlocksAlarmThreshold,
      DEFAULTS.gateBlocksAlarmThreshold,
      `${at}.gateBlocksAlarmThreshold`,
      errors,
    ),
    ...(o.reservedFleetArn !== undefined
      ? {
          reservedFleetArn: text(
            o.reservedFleetArn,
            `${at}.reservedFleetArn`,
            errors,
            /^arn:aws[a-z-]*:codebuild:[a-z0-9-]+:\d{12}:fleet\/.+$/,
            'a CodeBuild fleet ARN',
          ),
        }
      : {}),
  };
}

// Owners and names as GitHub allows them: no wildcard can slip into a trust policy.
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const REF_NAME = /^[A-Za-z0-9._/-]+$/;

function parseOidc(value: unknown, at: string, errors: string[]): OidcProviderSource {
  const o = object(value, at, errors) ?? {};
  if (o.create === true && o.arn === undefined) return { create: true };
  if (o.create === undefined && typeof o.arn === 'string') {
    return {
      arn: text(
        o.arn,
        `${at}.arn`,
        errors,
        /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        "the ARN of the account's GitHub OIDC provider",
      ),
    };
  }
  errors.push(
    `${at}: expected {"create": true} or {"arn": "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com"}`,
  );
  return { create: true };
}

function object(value: unknown, at: string, errors: string[]): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  errors.push(`${at}: expected an object, got ${JSON.stringify(value) ?? 'nothing'}`);
  return undefined;
}

function text(value: unknown, at: string, errors: string[], pattern: RegExp, expected: string): string {
  if (typeof value === 'string' && pattern.test(value)) return value;
  errors.push(`${at}: expected ${expected}, got ${JSON.stringify(value) ?? 'nothing'}`);
  return String(value);
}

function strings(value: unknown, at: string, errors: string[], pattern: RegExp): string[] {
  if (!Array.isArray(value)) {
    errors.push(`${at}: expected a list of strings, got ${JSON.stringify(value) ?? 'nothing'}`);
    return [];
  }
  return value.filter((item, i) => {
    const ok = typeof item === 'string' && pattern.test(item);
    if (!ok) errors.push(`${at}[${i}]: ${JSON.stringify(item)} does not match ${pattern}`);
    return ok;
  });
}

function positive(value: unknown, fallback: number, at: string, errors: string[]): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  errors.push(`${at}: expected a positive whole number, got ${JSON.stringify(value)}`);
  return fallback;
}
