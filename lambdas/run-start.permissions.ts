import type { SdkCall } from './support/sdk-calls.js';

/** The AWS calls `mc-run-start` makes: it records the run (a conditional put, then the run index). */
export const permissions: readonly SdkCall[] = ['dynamodb:PutItem'];
