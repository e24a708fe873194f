import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import type { GithubContext } from '../contract/index.js';

/**
 * `github.*` for a local run: GitHub Actions' own variables when mc runs inside a workflow,
 * otherwise what git says about the checkout. Every field is present (empty when unknown) so the
 * state machine's paths always resolve.
 */
export function githubContext(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
): Required<GithubContext> {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      return '';
    }
  };
  const remote = git('config', '--get', 'remote.origin.url');
  const repository =
    /[:/]([^/:]+\/[^/]+?)(?:\.git)?$/.exec(remote)?.[1] ??
    (git('rev-parse', '--show-toplevel') ? basename(git('rev-parse', '--show-toplevel')) : '');
  return {
    sha: env.GITHUB_SHA ?? git('rev-parse', 'HEAD'),
    ref: env.GITHUB_REF ?? git('symbolic-ref', '-q', 'HEAD'),
    repository: env.GITHUB_REPOSITORY ?? repository,
    actor: env.GITHUB_ACTOR ?? (git('config', 'user.name') || env.USER || ''),
    event_name: env.GITHUB_EVENT_NAME ?? 'local',
  };
}
