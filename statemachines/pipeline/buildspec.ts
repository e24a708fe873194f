/** The command CodeBuild (and the local runner) uses to restore and save a node's workspace. */
export const WORKSPACE_TOOL = 'mc-workspace';

// Flow style keeps the override short: it is repeated in the definition for every build.
const commands = (list: string[]) => `{commands: [${list.join(', ')}]}`;

/**
 * The buildspec a node's CodeBuild build runs: restore the workspace the node starts from (the
 * run's source plus its dependencies' outputs), run the command, then (post_build, which runs
 * whether the build passed or not) save what it changed and record the attempt. The local engine
 * runs these same phases.
 */
export function nodeBuildspec(command: string): string {
  return [
    'version: 0.2',
    'env: {shell: bash}',
    'phases:',
    ` build: ${commands([`${WORKSPACE_TOOL} restore`, JSON.stringify(command)])}`,
    ` post_build: ${commands([`${WORKSPACE_TOOL} save`])}`,
    '',
  ].join('\n');
}

/** One member of a fused build: its node id, its command and the timeout it would have alone. */
export interface FusedStep {
  readonly node: string;
  readonly command: string;
  readonly timeoutSeconds: number;
}

/**
 * The buildspec of a fused build: one `mc-workspace step` per member, in order. Each step is a
 * build of its own inside the build: it resets the workspace to the build's source, restores the
 * member's workspace, counts its attempt (or reuses its earlier success), runs its command with
 * its own MC_NODE_ID and timeout, and saves its outputs. A failing step ends the build phase;
 * post_build's save records that member's failed attempt.
 */
export function fusedBuildspec(steps: readonly FusedStep[]): string {
  const step = (s: FusedStep) =>
    JSON.stringify(
      [WORKSPACE_TOOL, 'step', String(s.timeoutSeconds), shellQuote(s.node), shellQuote(s.command)].join(' '),
    );
  return [
    'version: 0.2',
    'env: {shell: bash}',
    'phases:',
    ` build: ${commands(steps.map(step))}`,
    ` post_build: ${commands([`${WORKSPACE_TOOL} save`])}`,
    '',
  ].join('\n');
}

/** A word bash reads back unchanged: single-quoted, with `'` written as `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The words of a workspace-tool command line as the compiler writes them (plain words and words
 * quoted by `shellQuote`), as bash would split them; undefined for any other command.
 */
export function toolWords(line: string): string[] | undefined {
  if (!line.startsWith(`${WORKSPACE_TOOL} `) && line !== WORKSPACE_TOOL) return undefined;
  const words: string[] = [];
  const pattern = /\s*((?:'[^']*'|\\'|[^\s'\\])+)/gy;
  let match: RegExpExecArray | null = pattern.exec(line);
  let end = 0;
  while (match) {
    words.push(match[1].replace(/'([^']*)'|\\(')/g, (_, quoted, escaped) => quoted ?? escaped));
    end = pattern.lastIndex;
    match = pattern.exec(line);
  }
  return line.slice(end).trim() === '' ? words.slice(1) : undefined;
}
