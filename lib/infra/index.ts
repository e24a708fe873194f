export type { EnvironmentConfig, GitHubAccess, OidcProviderSource } from './config.js';
export { ENVIRONMENTS, parseEnvironments } from './config.js';
export type { StageCompute } from './deployed-names.js';
export {
  deployedFunctionName,
  deployedProjectName,
  pipelineMachineName,
  STAGE_RUNNER_PROJECTS,
  toCompiledDefinition,
  toDeployedDefinition,
  verifyImageMachineName,
} from './deployed-names.js';
export { InfraConfigError } from './errors.js';
export type { CompiledPipeline } from './pipeline-definition.js';
export { compileForEnvironment } from './pipeline-definition.js';
export { addPlatformStacks, cdkJsonContext } from './platform-app.js';
export { FUNCTION_PERMISSIONS, PlatformStack } from './platform-stack.js';
