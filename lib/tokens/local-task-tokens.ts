import type { Json } from '../contract/index.js';
import { McError } from '../errors/index.js';
import type { TaskTokens } from './task-tokens.js';

/** Task tokens of the local engine: each token is a promise the waiting task state awaits. */
export class LocalTaskTokens implements TaskTokens {
  private readonly waiting = new Map<
    string,
    { resolve: (output: Json) => void; reject: (error: Error) => void }
  >();
  private next = 0;

  /** A fresh token and the promise that settles when it is completed. */
  issue(label: string): { token: string; done: Promise<Json> } {
    const token = `local:${++this.next}:${label}`;
    const done = new Promise<Json>((resolve, reject) => this.waiting.set(token, { resolve, reject }));
    return { token, done };
  }

  async succeed(token: string, output: Json): Promise<void> {
    const waiter = this.waiting.get(token);
    this.waiting.delete(token);
    waiter?.resolve(output);
  }

  /**
   * Fails every task still waiting (the run ended: fail-fast or Ctrl-C), so nothing, not even
   * the interpreter's timeout timer of a waiting task, keeps the process alive.
   */
  cancelAll(reason: string): void {
    for (const { reject } of this.waiting.values()) reject(new LocalTokenCancelled(reason));
    this.waiting.clear();
  }

  get pending(): number {
    return this.waiting.size;
  }
}

/** The error a waiting task gets when its run ends before its token is released. */
export class LocalTokenCancelled extends McError<'CANCELLED'> {
  constructor(reason: string) {
    super('CANCELLED', reason);
    this.name = 'MC.Cancelled';
  }
}
