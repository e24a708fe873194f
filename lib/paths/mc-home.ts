import { resolve } from 'node:path';

/** Where per-project state lives: `$MC_HOME` when set, otherwise `./.mc` of the working directory. */
export function mcHome(cwd: string, env: Readonly<Record<string, string | undefined>>): string {
  const override = env.MC_HOME;
  return override ? resolve(cwd, override) : resolve(cwd, '.mc');
}
