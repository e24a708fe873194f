import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Json } from '../contract/index.js';
import type { TaskTokens } from './task-tokens.js';

/** Task tokens of AWS Step Functions. */
export class SfnTaskTokens implements TaskTokens {
  constructor(private readonly client: SFNClient) {}

  async succeed(token: string, output: Json): Promise<void> {
    try {
      await this.client.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }),
      );
    } catch (error) {
      // A token whose task already ended (stopped run, timed out) cannot be completed; nothing waits.
      if (
        ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes((error as { name?: string }).name ?? '')
      )
        return;
      throw error;
    }
  }
}
