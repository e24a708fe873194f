import type { BuildPipeline, Profile } from '../pipeline/index.js';

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvName = (typeof ENVIRONMENTS)[number];

export type ResolvedProfile = Required<Omit<Profile, 'env' | 'annotations'>> & {
  readonly env: Record<string, string | number | boolean>;
  readonly annotations: Record<string, string>;
};

const DEFAULTS: Record<EnvName, ResolvedProfile> = {
  dev: base({
    require_signature: false,
    require_provenance: false,
    require_sbom: false,
    sbom_policy: 'advisory',
  }),
  staging: base({
    require_signature: false,
    require_provenance: false,
    require_sbom: true,
    sbom_policy: 'enforce',
  }),
  prod: base({
    require_signature: true,
    require_provenance: true,
    require_sbom: true,
    sbom_policy: 'enforce',
  }),
};

function base(
  gates: Pick<ResolvedProfile, 'require_signature' | 'require_provenance' | 'require_sbom' | 'sbom_policy'>,
): ResolvedProfile {
  return { ...gates, max_severity: 'MEDIUM', allow_waivers: true, env: {}, annotations: {} };
}

/** The built-in profile of an environment (what applies when no pipeline says otherwise). */
export function defaultProfile(env: EnvName): ResolvedProfile {
  return DEFAULTS[env];
}

/** The built-in defaults for `env` with the pipeline's own profile laid over them. */
export function resolveProfile(pipeline: BuildPipeline, env: EnvName): ResolvedProfile {
  const own = pipeline.spec.profiles?.[env] ?? {};
  const defaults = DEFAULTS[env];
  const resolved: ResolvedProfile = {
    ...defaults,
    ...own,
    env: { ...defaults.env, ...own.env },
    annotations: { ...defaults.annotations, ...own.annotations },
  };
  // Prod keeps its guarantees whatever the file says (validation reports the attempt).
  return env === 'prod' ? { ...resolved, require_signature: true, require_provenance: true } : resolved;
}
