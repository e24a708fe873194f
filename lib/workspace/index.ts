export { ancestorsInOrder } from './ancestors.js';
export type { Manifest } from './changes.js';
export { changedFiles, manifest } from './changes.js';
export { restoreOutputs, saveOutputs } from './outputs.js';
export { copyTree, snapshotSource, sourceFiles } from './source.js';
