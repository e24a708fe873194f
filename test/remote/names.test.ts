import { describe, expect, it } from 'vitest';
import {
  evidenceBucketName,
  executionArn,
  executionName,
  parseExecutionArn,
  parseStateMachineArn,
  RemoteError,
  stateMachineName,
} from '../../lib/remote/index.js';
import { SHA } from '../support/remote.js';

const SFN_NAME = /^[A-Za-z0-9_-]{1,80}$/;

describe('the names the stack deploys', () => {
  it('names a machine mc-<pipeline>-<env>, valid for the longest pipeline name', () => {
    expect(stateMachineName('api', 'prod')).toBe('mc-api-prod');
    const longest = `a${'b'.repeat(61)}c`;
    expect(stateMachineName(longest, 'staging')).toMatch(SFN_NAME);
  });

  it('names the evidence bucket per account, region and env within S3 limits', () => {
    const bucket = evidenceBucketName('123456789012', 'ap-southeast-2', 'staging');
    expect(bucket).toBe('mc-evidence-123456789012-ap-southeast-2-staging');
    expect(bucket.length).toBeLessThanOrEqual(63);
  });
});

describe('execution names', () => {
  it('are the same for the same pipeline, commit and attempt, and differ by attempt and rerun', () => {
    // Prepare
    const parts = { pipeline: 'api', commit: SHA, attempt: 1 };
    // Act
    const first = executionName(parts);
    // Assess
    expect(first).toBe('api-3f2a9c1b7d4e-a1');
    expect(executionName({ ...parts })).toBe(first);
    expect(executionName({ ...parts, attempt: 2 })).toBe('api-3f2a9c1b7d4e-a2');
    expect(executionName({ ...parts, rerun: 'lq3k9z' })).toBe('api-3f2a9c1b7d4e-a1-rlq3k9z');
  });

  it('stay within 80 valid characters for the longest pipeline name, attempt and rerun id', () => {
    const name = executionName({
      pipeline: `a${'-b'.repeat(31)}`,
      commit: SHA,
      attempt: 999_999_999,
      rerun: 'x'.repeat(16),
    });
    expect(name).toMatch(SFN_NAME);
    expect(name.endsWith(`-3f2a9c1b7d4e-a999999999-r${'x'.repeat(16)}`)).toBe(true);
    expect(name).not.toMatch(/--/);
  });

  it('refuse a commit that is not hex, an attempt below 1 and a rerun id with other characters', () => {
    expect(() => executionName({ pipeline: 'api', commit: 'main', attempt: 1 })).toThrow(RemoteError);
    expect(() => executionName({ pipeline: 'api', commit: SHA, attempt: 0 })).toThrow(/attempt 0/);
    expect(() => executionName({ pipeline: 'api', commit: SHA, attempt: 1, rerun: 'a b' })).toThrow(
      /rerun id "a b"/,
    );
  });
});

describe('ARNs', () => {
  it('parse a state machine ARN and give its executions their ARN', () => {
    const machine = parseStateMachineArn('arn:aws:states:eu-west-1:123456789012:stateMachine:mc-api-dev');
    expect(machine).toMatchObject({ partition: 'aws', region: 'eu-west-1', account: '123456789012' });
    const arn = executionArn(machine, 'api-3f2a9c1b7d4e-a1');
    expect(arn).toBe('arn:aws:states:eu-west-1:123456789012:execution:mc-api-dev:api-3f2a9c1b7d4e-a1');
    expect(parseExecutionArn(arn)).toMatchObject({ arn: machine.arn, execution: 'api-3f2a9c1b7d4e-a1' });
  });

  it('name the expected form when an ARN is something else', () => {
    expect(() => parseStateMachineArn('mc-api-dev')).toThrow(
      /arn:aws:states:<region>:<account>:stateMachine/,
    );
    expect(() => parseExecutionArn('arn:aws:states:eu-west-1:123456789012:stateMachine:mc-api-dev')).toThrow(
      /not an execution ARN/,
    );
  });
});
