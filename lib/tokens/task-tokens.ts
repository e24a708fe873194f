import type { Json } from '../contract/index.js';

/** Completes a task waiting on a task token (`.waitForTaskToken`). */
export interface TaskTokens {
  succeed(token: string, output: Json): Promise<void>;
}
