/** The command CodeBuild (and the local runner) uses to restore and save a node's workspace. */
export const WORKSPACE_TOOL = 'mc-workspace';

/**
 * The buildspec a node's CodeBuild build runs: restore the workspace the node starts from (the
 * run's source plus its dependencies' outputs), run the command, then (post_build, which runs
 * whether the build passed or not) save what it changed and record the attempt. The local engine
 * runs these same phases.
 */
export function nodeBuildspec(command: string): string {
  // Flow style keeps the override short: it is repeated in the definition for every node.
  const commands = (list: string[]) => `{commands: [${list.join(', ')}]}`;
  return [
    'version: 0.2',
    'env: {shell: bash}',
    'phases:',
    ` build: ${commands([`${WORKSPACE_TOOL} restore`, JSON.stringify(command)])}`,
    ` post_build: ${commands([`${WORKSPACE_TOOL} save`])}`,
    '',
  ].join('\n');
}
