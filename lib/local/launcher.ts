import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';

// The launcher's code: a small Node process that starts the commands. Forking from it is cheap;
// forking from the engine (a large process) costs tens of milliseconds of blocked event loop
// per command, which delays every other node.
const LAUNCHER = `
const { spawn } = require('node:child_process');
const { openSync, closeSync } = require('node:fs');
const running = new Map();
const send = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
// A command's whole process group: SIGTERM now, SIGKILL 3 s later if it is still there.
const stop = (child) => {
  try { process.kill(-child.pid, 'SIGTERM'); } catch {}
  setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 3000).unref();
};
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.op === 'run') {
    const log = openSync(message.log, 'a');
    let child;
    try {
      child = spawn('bash', ['-c', message.command], { cwd: message.cwd, env: message.env, detached: true, stdio: ['ignore', log, log] });
    } catch (error) {
      closeSync(log);
      send({ id: message.id, code: 127, error: String(error) });
      return;
    }
    running.set(message.id, child);
    child.on('error', (error) => send({ id: message.id, code: 127, error: String(error) }));
    child.on('close', (code, signal) => {
      // When the command ended, as seen here (the engine learns it a moment later).
      const ended = Date.now();
      closeSync(log);
      running.delete(message.id);
      send({ id: message.id, code: code === null ? 128 + (signal === 'SIGKILL' ? 9 : 15) : code, ended });
    });
  } else if (message.op === 'kill-one') {
    const child = running.get(message.id);
    if (child) stop(child);
  } else if (message.op === 'kill') {
    for (const child of running.values()) stop(child);
  }
});
// The engine let go: stop what still runs (SIGTERM, SIGKILL 3 s later) and leave once it is gone.
const finish = () => {
  if (running.size === 0) process.exit(0);
  for (const child of running.values()) {
    stop(child);
    child.on('close', () => { if (running.size === 0) process.exit(0); });
  }
};
process.stdin.on('end', finish);
process.stdin.on('error', finish);
// Ctrl-C in a terminal reaches the whole process group; the engine decides what stops.
process.on('SIGINT', () => {});
`;

/** How a command ended: its exit code (128 + signal when killed) and when. */
export interface CommandExit {
  readonly code: number;
  readonly at: Date;
}

export interface LaunchRequest {
  readonly command: string;
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  /** The file the command's stdout and stderr are appended to. */
  readonly log: string;
}

/** Starts shell commands through small helper processes (one per core), shared by a run. */
export class Launchers {
  private readonly pool: Launcher[];
  private turn = 0;

  constructor(size = Math.max(1, Math.min(4, availableParallelism()))) {
    this.pool = Array.from({ length: size }, () => new Launcher());
  }

  /** Starts the helpers now, so the first commands do not wait for a Node process to boot. */
  warm(): void {
    for (const launcher of this.pool) launcher.warm();
  }

  run(request: LaunchRequest, signal?: AbortSignal): Promise<CommandExit> {
    this.turn = (this.turn + 1) % this.pool.length;
    return this.pool[this.turn].run(request, signal);
  }

  killAll(): void {
    for (const launcher of this.pool) launcher.killAll();
  }

  close(): void {
    for (const launcher of this.pool) launcher.close();
  }
}

/** One helper process that starts shell commands. */
export class Launcher {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, (exit: CommandExit) => void>();
  private next = 0;

  warm(): void {
    this.start();
  }

  /** Runs `bash -c command`; resolves with how it ended. Aborting `signal` stops that command. */
  run(request: LaunchRequest, signal?: AbortSignal): Promise<CommandExit> {
    if (signal?.aborted) return Promise.resolve({ code: 130, at: new Date() });
    const child = this.start();
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.stdin?.write(`${JSON.stringify({ op: 'run', id, ...request })}\n`);
      signal?.addEventListener(
        'abort',
        () => child.stdin?.write(`${JSON.stringify({ op: 'kill-one', id })}\n`),
        { once: true },
      );
    });
  }

  /** Stops every running command: SIGTERM to its process group, SIGKILL 3 s later. */
  killAll(): void {
    this.child?.stdin?.write(`${JSON.stringify({ op: 'kill' })}\n`);
  }

  /** Lets the helper go once nothing runs (it kills what still does). */
  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private start(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(process.execPath, ['-e', LAUNCHER], { stdio: ['pipe', 'pipe', 'inherit'] });
    // A helper that died (killed from outside) must not crash the engine when it is written to.
    child.stdin?.on('error', () => {});
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line) as { id: number; code: number; ended?: number };
      this.pending.get(message.id)?.({ code: message.code, at: new Date(message.ended ?? Date.now()) });
      this.pending.delete(message.id);
    });
    child.on('exit', () => {
      // The helper is gone: whatever it ran is gone too.
      for (const resolve of this.pending.values()) resolve({ code: 137, at: new Date() });
      this.pending.clear();
      if (this.child === child) this.child = undefined;
    });
    this.child = child;
    return child;
  }
}
