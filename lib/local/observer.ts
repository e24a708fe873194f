import type { NodeStatus } from '../contract/index.js';

/** What the local engine reports as a run goes, for progress output. */
export type RunEvent =
  | { readonly kind: 'started'; readonly node: string; readonly attempt: number; readonly at: Date }
  | {
      readonly kind: 'ended';
      readonly node: string;
      readonly attempt: number;
      readonly status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
      readonly at: Date;
      readonly detail?: string;
      /** The last lines of the attempt's log, when it failed. */
      readonly logTail?: readonly string[];
    }
  | {
      readonly kind: 'settled';
      readonly node: string;
      readonly status: NodeStatus;
      readonly at: Date;
      readonly detail?: string;
    }
  | { readonly kind: 'would-run'; readonly node: string; readonly command: string; readonly at: Date };

export type RunObserver = (event: RunEvent) => void;
