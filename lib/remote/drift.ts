import { FUNCTIONS, STAGE_RUNNER_PROJECT, type StateMachineDefinition } from '../../statemachines/index.js';

/** What the deployed definition has that the local compile does not (and the reverse). */
export interface DriftReport {
  readonly drifted: boolean;
  /** Up to MAX_DIFFERENCES JSON paths with both values, shortened. */
  readonly differences: readonly DriftDifference[];
  /** More differences than listed. */
  readonly more: number;
  /** What each name the compiler emits was deployed as (Lambda function, CodeBuild project). */
  readonly resources: Readonly<Record<string, string>>;
}

export interface DriftDifference {
  readonly path: string;
  readonly deployed: string;
  readonly local: string;
}

export const MAX_DIFFERENCES = 10;

// The names the compiler emits inside task Parameters; the stack substitutes deployed ones.
const FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.values(FUNCTIONS));

// `mc-stage-runner` and its compute variants (`mc-stage-runner-ec2`, …).
function isPlatformName(key: string | undefined, name: string): boolean {
  if (key === 'FunctionName') return FUNCTION_NAMES.has(name);
  if (key === 'ProjectName')
    return name === STAGE_RUNNER_PROJECT || name.startsWith(`${STAGE_RUNNER_PROJECT}-`);
  return false;
}

/**
 * Compares the deployed definition with the local compile. The deployed one differs by design in
 * its resource references: service-integration ARNs carry the partition, and each platform name
 * (`mc-run-start`, `mc-stage-runner`, …) is a deployed function or project, by name or ARN. Those
 * are mapped back, and each platform name must map to one deployed resource, and distinct names
 * to distinct resources; anything else that differs is drift.
 */
export function compareDefinitions(local: StateMachineDefinition, deployedText: string): DriftReport {
  let deployed: unknown;
  try {
    deployed = JSON.parse(deployedText);
  } catch {
    return {
      drifted: true,
      differences: [{ path: '$', deployed: shorten(deployedText), local: '(a JSON definition)' }],
      more: 0,
      resources: {},
    };
  }
  const walk = new Walk();
  walk.compare(local, deployed, '$', undefined);
  walk.checkOneToOne();
  return {
    drifted: walk.differences.length > 0,
    differences: walk.differences.slice(0, MAX_DIFFERENCES),
    more: Math.max(0, walk.differences.length - MAX_DIFFERENCES),
    resources: Object.fromEntries([...walk.resources].sort(([a], [b]) => a.localeCompare(b))),
  };
}

class Walk {
  readonly differences: DriftDifference[] = [];
  readonly resources = new Map<string, string>();

  compare(local: unknown, deployed: unknown, path: string, key: string | undefined): void {
    if (typeof local === 'string' && typeof deployed === 'string') {
      if (key === 'Resource' && normalizeIntegration(deployed) === local) return;
      if (isPlatformName(key, local)) {
        this.resource(local, deployed, path);
        return;
      }
    }
    if (Array.isArray(local) && Array.isArray(deployed)) {
      const n = Math.max(local.length, deployed.length);
      for (let i = 0; i < n; i++) this.compare(local[i], deployed[i], `${path}[${i}]`, undefined);
      return;
    }
    if (isObject(local) && isObject(deployed)) {
      const keys = [...new Set([...Object.keys(local), ...Object.keys(deployed)])].sort();
      for (const k of keys) this.compare(local[k], deployed[k], member(path, k), k);
      return;
    }
    if (local === deployed) return;
    // Long strings (buildspecs) are shown from a little before where they start to differ.
    const from =
      typeof local === 'string' && typeof deployed === 'string' ? commonPrefix(local, deployed) : 0;
    this.differences.push({ path, deployed: shorten(deployed, from), local: shorten(local, from) });
  }

  private resource(name: string, deployed: string, path: string): void {
    const base = resourceBaseName(deployed);
    const seen = this.resources.get(name);
    if (seen === undefined) this.resources.set(name, base);
    else if (seen !== base)
      this.differences.push({
        path,
        deployed: shorten(deployed),
        local: `${name} (deployed elsewhere as ${seen})`,
      });
  }

  checkOneToOne(): void {
    const owners = new Map<string, string>();
    for (const [name, deployed] of this.resources) {
      const other = owners.get(deployed);
      if (other !== undefined)
        this.differences.push({
          path: `resources.${name}`,
          deployed,
          local: `${name}, distinct from ${other}`,
        });
      owners.set(deployed, name);
    }
  }
}

// arn:aws-cn:states:::lambda:invoke → arn:aws:states:::lambda:invoke (what the compiler writes).
function normalizeIntegration(resource: string): string {
  return resource.replace(/^arn:aws[a-z-]*:states:::/, 'arn:aws:states:::');
}

// A Lambda function or CodeBuild project ARN → its name; a plain name stays as it is.
function resourceBaseName(value: string): string {
  const lambda = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([^:]+)(?::[^:]+)?$/.exec(value);
  if (lambda) return lambda[1];
  const project = /^arn:aws[a-z-]*:codebuild:[a-z0-9-]+:\d{12}:project\/(.+)$/.exec(value);
  if (project) return project[1];
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function member(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function shorten(value: unknown, differsAt = 0): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string' && differsAt > 40) return shorten(`…${value.slice(differsAt - 30)}`);
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
