export { ancestorsInOrder } from './ancestors.js';
export type { Manifest } from './changes.js';
export { changedFiles, manifest } from './changes.js';
export { hashFilesIn } from './hash-files.js';
export { restoreNodeWorkspace, saveNodeWorkspace } from './node-workspace.js';
export { restoreOutputs, saveOutputs } from './outputs.js';
export { copyTree, snapshotSource, sourceFiles } from './source.js';
export { WorkspaceToolError, workspaceTool } from './tool.js';
