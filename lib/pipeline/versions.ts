import type { BuildPipeline } from './types.generated.js';

export const CURRENT_VERSION = '27.1.0';

export function isLegacyVersion(version: string): boolean {
  return version.startsWith('27.0.');
}

/** Fields that 27.1 added, found in a pipeline: a 27.0 file may not use them. */
export function fieldsAddedIn27_1(pipeline: BuildPipeline): { pointer: string; field: string }[] {
  const found: { pointer: string; field: string }[] = [];
  for (const key of ['env', 'fail_fast', 'profiles'] as const) {
    if (pipeline.spec[key] !== undefined) found.push({ pointer: `/spec/${key}`, field: `spec.${key}` });
  }
  pipeline.spec.stages.forEach((stage, i) => {
    for (const key of ['retries', 'timeout', 'compute'] as const) {
      if (stage[key] !== undefined)
        found.push({ pointer: `/spec/stages/${i}/${key}`, field: `stages[].${key}` });
    }
  });
  return found;
}
