import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../schema/buildpipeline.v27.1.json' with { type: 'json' };
import type { BuildPipeline } from './types.generated.js';

export { schema as buildPipelineSchema };

let compiled: ValidateFunction<BuildPipeline> | undefined;

/** The compiled validator for schema/buildpipeline.v27.1.json, built once per process. */
export function pipelineValidator(): ValidateFunction<BuildPipeline> {
  compiled ??= new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    strictRequired: false,
    verbose: true,
  }).compile<BuildPipeline>(schema);
  return compiled;
}

export type SchemaError = ErrorObject;
