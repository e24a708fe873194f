import { compileExpression, conditionSource, ExpressionError, templateExpressions } from '../expr/index.js';
import { didYouMean } from '../suggest/index.js';
import type { Diagnostic } from './diagnostic.js';
import { joinPointer } from './pointer.js';
import type { SourceDocument } from './source.js';
import type { BuildPipeline } from './types.generated.js';
import { fieldsAddedIn27_1, isLegacyVersion } from './versions.js';
import { forEachString } from './walk.js';

/**
 * Rules the schema cannot state: unique names, references that resolve, expressions that parse
 * and type-check, version-gated fields, and the guarantees prod always keeps.
 */
export function semanticDiagnostics(
  pipeline: BuildPipeline,
  source: SourceDocument,
  options: { migrating?: boolean } = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (pointer: string, message: string, key = false) =>
    out.push(source.diagnostic('error', pointer, message, { key }));
  const { spec } = pipeline;

  uniqueNames(spec.stages, '/spec/stages', 'stage', error);
  uniqueNames(spec.services ?? [], '/spec/services', 'service', error);
  uniqueNames(spec.health_gates ?? [], '/spec/health_gates', 'health gate', error);
  const stageNames = spec.stages.map((s) => s.name);
  const serviceNames = (spec.services ?? []).map((s) => s.name);
  spec.stages.forEach((stage, i) => {
    const at = `/spec/stages/${i}`;
    uniqueNames(stage.steps, `${at}/steps`, 'step', error, ` in stage ${stage.name}`);
    (stage.depends_on ?? []).forEach((dep, j) => {
      if (dep === stage.name) error(`${at}/depends_on/${j}`, `stage ${stage.name} depends on itself`);
      else if (!stageNames.includes(dep)) {
        error(
          `${at}/depends_on/${j}`,
          `stage ${stage.name} depends on unknown stage "${dep}"${didYouMean(dep, stageNames)}`,
        );
      }
    });
    stage.steps.forEach((step, k) => {
      (step.services ?? []).forEach((name, j) => {
        if (!serviceNames.includes(name)) {
          error(
            `${at}/steps/${k}/services/${j}`,
            `unknown service "${name}"${didYouMean(name, serviceNames)}`,
          );
        }
      });
    });
    if (stage.condition !== undefined) checkCondition(stage.condition, `${at}/condition`, error);
  });

  forEachString(pipeline, (text, pointer) => {
    if (!text.includes('${{')) return;
    if (text.split('${{').length !== text.split('}}').length) {
      error(pointer, `unterminated expression: every "\${{" needs a closing "}}"`);
      return;
    }
    for (const expression of templateExpressions(text)) checkExpression(expression, pointer, error);
  });

  if (isLegacyVersion(pipeline.metadata.version)) {
    if (!options.migrating) {
      for (const { pointer, field } of fieldsAddedIn27_1(pipeline)) {
        const found = `this file says ${pipeline.metadata.version}`;
        error(
          pointer,
          `${field} needs metadata.version 27.1.x (${found}); \`mc migrate --write\` upgrades the file`,
          true,
        );
      }
    }
  } else if (spec.workspace?.startsWith('/')) {
    error(
      '/spec/workspace',
      `workspace "${spec.workspace}" must be relative to the pipeline file (27.0 named a path in the build container)`,
    );
  }
  // MC_* and CODEBUILD_* variables carry the run's own bookkeeping: a pipeline may not set them.
  const envs: [string, Record<string, unknown> | undefined][] = [
    ['/spec/env', spec.env],
    ...(['dev', 'staging', 'prod'] as const).map(
      (e) =>
        [`/spec/profiles/${e}/env`, spec.profiles?.[e]?.env] as [string, Record<string, unknown> | undefined],
    ),
  ];
  for (const [base, env] of envs) {
    for (const name of Object.keys(env ?? {})) {
      if (/^(MC|CODEBUILD)_/.test(name))
        error(
          joinPointer(base, name),
          `${name} is reserved (MC_* and CODEBUILD_* variables are set by mc and the runner)`,
          true,
        );
    }
  }
  const prod = spec.profiles?.prod;
  for (const key of ['require_signature', 'require_provenance'] as const) {
    if (prod?.[key] === false) {
      error(
        `/spec/profiles/prod/${key}`,
        `prod always requires ${key === 'require_signature' ? 'signatures' : 'provenance'}; remove ${key}: false`,
      );
    }
  }
  return out;
}

type Report = (pointer: string, message: string, key?: boolean) => void;

function uniqueNames(
  items: readonly { name: string }[],
  base: string,
  what: string,
  error: Report,
  where = '',
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.name);
    if (first === undefined) seen.set(item.name, i);
    else
      error(
        joinPointer(base, i, 'name'),
        `duplicate ${what} name "${item.name}"${where} (first used at ${base}/${first})`,
      );
  });
}

function checkCondition(text: string, pointer: string, error: Report): void {
  const source = conditionSource(text);
  if (!checkExpression(source, pointer, error)) return;
  if (compileExpression(source).functions.has('hashFiles')) {
    error(
      pointer,
      'a condition cannot use hashFiles(): conditions are decided where the workspace is not at hand',
    );
  }
}

function checkExpression(expression: string, pointer: string, error: Report): boolean {
  try {
    compileExpression(expression);
    return true;
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    error(pointer, e.message);
    return false;
  }
}
