import { McError } from '../errors/index.js';
import type { DriftReport } from './drift.js';

export type RemoteErrorCode =
  | 'NO_TARGET'
  | 'BAD_ARN'
  | 'NO_COMMIT'
  | 'BAD_NAME'
  | 'NO_STATE_MACHINE'
  | 'DRIFT'
  | 'NAME_TAKEN'
  | 'NO_EXECUTION'
  | 'AWS';

/** A remote run could not be started or read back; the message names what to change. */
export class RemoteError extends McError<RemoteErrorCode> {}

/** The deployed definition is not what this pipeline compiles to; `report` says where. */
export class DriftError extends RemoteError {
  readonly stateMachineArn: string;
  readonly report: DriftReport;

  constructor(stateMachineArn: string, report: DriftReport) {
    const n = report.differences.length + report.more;
    super(
      'DRIFT',
      `the deployed state machine ${stateMachineArn} differs from this pipeline's local compile (${n} difference${n === 1 ? '' : 's'}): deploy the stack again, or pass --force to start it anyway`,
    );
    this.stateMachineArn = stateMachineArn;
    this.report = report;
  }
}
