import type { Json } from '../contract/index.js';
import type { TaskTokens } from './task-tokens.js';

/** Task tokens of the local engine: each token is a promise the waiting task state awaits. */
export class LocalTaskTokens implements TaskTokens {
  private readonly waiting = new Map<string, (output: Json) => void>();
  private next = 0;

  /** A fresh token and the promise that settles when it is completed. */
  issue(label: string): { token: string; done: Promise<Json> } {
    const token = `local:${++this.next}:${label}`;
    const done = new Promise<Json>((resolve) => this.waiting.set(token, resolve));
    return { token, done };
  }

  async succeed(token: string, output: Json): Promise<void> {
    const resolve = this.waiting.get(token);
    this.waiting.delete(token);
    resolve?.(output);
  }

  get pending(): number {
    return this.waiting.size;
  }
}
