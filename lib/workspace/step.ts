import { spawn } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Replaces what `dir` holds with a copy of `from` (a fused build's next step starts from the source). */
export function resetTree(from: string, dir: string): void {
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  cpSync(from, dir, { recursive: true, preserveTimestamps: true });
}

/**
 * Runs one step's command as CodeBuild runs a command (`bash -c`), output passed through, stopped
 * (its process group: SIGTERM, SIGKILL 3 s later) shortly before `timeoutSeconds` as the local
 * engine stops a build at its task's timeout. Resolves with what went wrong, or undefined.
 */
export function runStepCommand(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutSeconds: number },
): Promise<string | undefined> {
  const ms = options.timeoutSeconds * 1000;
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      stdio: 'inherit',
      detached: true,
    });
    let timedOut = false;
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(
      () => {
        timedOut = true;
        const signal = (s: NodeJS.Signals) => {
          try {
            process.kill(-(child.pid as number), s);
          } catch {
            // Gone already.
          }
        };
        signal('SIGTERM');
        kill = setTimeout(() => signal('SIGKILL'), 3000);
      },
      ms - Math.min(1000, ms / 4),
    );
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`the command could not start: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (kill) clearTimeout(kill);
      if (timedOut) resolve(`timed out after ${options.timeoutSeconds}s: ${command}`);
      else if (code === 0) resolve(undefined);
      else resolve(`command exited with ${code ?? `signal ${signal}`}: ${command}`);
    });
  });
}
