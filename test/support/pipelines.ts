import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EXAMPLES = ['api', 'gateway', 'web', 'nlq'] as const;

export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/** A minimal valid 27.1 pipeline with the given stages (YAML), for focused tests. */
export function pipelineYaml(stages: string, spec = ''): string {
  return `apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata:
  name: demo
  version: "27.1.0"
spec:
${spec}  stages:
${stages}`;
}
