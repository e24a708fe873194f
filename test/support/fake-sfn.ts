import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';

/** One request the stand-in received: the operation and its input, as the SDK sent it. */
export interface Recorded {
  readonly op: string;
  readonly input: Record<string, unknown>;
}

interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: string;
  stopDate?: Date;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
}

const MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const meta = { $metadata: {} };

/**
 * A stand-in for the Step Functions API, in memory: it stores machines and executions, checks
 * each request's shape as the service does (ARNs, names, JSON input ≤ 256 KiB) and answers as it
 * does: StartExecution with a name already used is idempotent only for the same input while the
 * execution runs; otherwise ExecutionAlreadyExists. Serves the SDK in-process (`send`) or over
 * HTTP on loopback (`listen`), speaking the service's JSON 1.0 protocol.
 */
export class FakeStepFunctions {
  readonly requests: Recorded[] = [];
  readonly machines = new Map<string, { definition: string }>();
  readonly executions = new Map<string, Execution>();
  private clock = Date.parse('2026-11-24T10:00:00Z');
  /** Operations that answer AccessDeniedException (a role without that permission). */
  readonly denied = new Set<string>();

  deploy(arn: string, definition: string): void {
    this.machines.set(arn, { definition });
  }

  /** Ends an execution, as the service would when the run ends. */
  finish(executionArn: string, status: string, events: HistoryEvent[] = []): void {
    const execution = this.require(executionArn);
    execution.status = status;
    execution.stopDate = this.tick();
    execution.events = events;
  }

  started(): Recorded[] {
    return this.requests.filter((r) => r.op === 'StartExecution');
  }

  send = async (command: unknown): Promise<unknown> => {
    const { op, input } = operationOf(command);
    this.requests.push({ op, input: structuredClone(input) });
    return this.handle(op, input);
  };

  private handle(op: string, input: Record<string, unknown>): unknown {
    if (this.denied.has(op))
      throw Object.assign(new Error(`not authorized to perform states:${op}`), {
        name: 'AccessDeniedException',
      });
    switch (op) {
      case 'DescribeStateMachine': {
        const arn = this.arn(input.stateMachineArn, MACHINE_ARN);
        const machine = this.machines.get(arn);
        if (!machine)
          throw new StateMachineDoesNotExist({ message: `State Machine Does Not Exist: '${arn}'`, ...meta });
        return {
          stateMachineArn: arn,
          name: arn.split(':').at(-1),
          status: 'ACTIVE',
          definition: machine.definition,
          type: 'STANDARD',
        };
      }
      case 'StartExecution':
        return this.start(input);
      case 'DescribeExecution': {
        const e = this.require(String(input.executionArn));
        const { events: _events, ...rest } = e;
        return { ...rest };
      }
      case 'GetExecutionHistory': {
        const e = this.require(String(input.executionArn));
        const size = Number(input.maxResults ?? 1000);
        const from = Number(input.nextToken ?? 0);
        const events = e.events.slice(from, from + size);
        return { events, ...(from + size < e.events.length ? { nextToken: String(from + size) } : {}) };
      }
      default:
        throw new Error(`the stand-in does not implement ${op}`);
    }
  }

  private start(input: Record<string, unknown>): unknown {
    const machineArn = this.arn(input.stateMachineArn, MACHINE_ARN);
    if (!this.machines.has(machineArn))
      throw new StateMachineDoesNotExist({
        message: `State Machine Does Not Exist: '${machineArn}'`,
        ...meta,
      });
    const name = String(input.name);
    if (!NAME.test(name)) throw new InvalidName({ message: `Invalid Name: '${name}'`, ...meta });
    const text = String(input.input ?? '{}');
    try {
      JSON.parse(text);
    } catch {
      throw new InvalidExecutionInput({ message: 'Invalid execution input: not JSON', ...meta });
    }
    if (Buffer.byteLength(text) > 256 * 1024)
      throw new InvalidExecutionInput({ message: 'Invalid execution input: over 256 KiB', ...meta });
    const executionArn = `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.input === text && existing.status === 'RUNNING')
        return { executionArn, startDate: existing.startDate };
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${executionArn}'`, ...meta });
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn: machineArn,
      name,
      input: text,
      startDate: this.tick(),
      status: 'RUNNING',
      events: [],
    };
    this.executions.set(executionArn, execution);
    return { executionArn, startDate: execution.startDate };
  }

  private require(arn: string): Execution {
    const e = this.executions.get(arn);
    if (!e) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${arn}'`, ...meta });
    return e;
  }

  private arn(value: unknown, shape: RegExp): string {
    if (typeof value !== 'string' || !shape.test(value))
      throw new InvalidArn({ message: `Invalid Arn: '${String(value)}'`, ...meta });
    return value;
  }

  private tick(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  /** Serves the JSON 1.0 protocol on 127.0.0.1 (for the CLI's real SDK client). */
  async listen(): Promise<{ endpoint: string; close: () => Promise<void> }> {
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const op = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
        const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        this.requests.push({ op, input });
        let status = 200;
        let out: unknown;
        try {
          out = this.handle(op, input);
        } catch (error) {
          status = 400;
          const e = error as Error;
          out = { __type: e.name, message: e.message };
        }
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(out, epochSeconds));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
}

// The JSON protocol carries timestamps as epoch seconds; Date#toJSON would give ISO text.
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

function operationOf(command: unknown): { op: string; input: Record<string, unknown> } {
  const input = (command as { input: Record<string, unknown> }).input;
  if (command instanceof DescribeStateMachineCommand) return { op: 'DescribeStateMachine', input };
  if (command instanceof StartExecutionCommand) return { op: 'StartExecution', input };
  if (command instanceof DescribeExecutionCommand) return { op: 'DescribeExecution', input };
  if (command instanceof GetExecutionHistoryCommand) return { op: 'GetExecutionHistory', input };
  throw new Error(`the stand-in does not implement ${(command as object).constructor.name}`);
}
