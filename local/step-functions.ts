import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { StateMachine } from 'aws-local-stepfunctions';
import { readStateMachineDefinition, substituteDefinition } from '#shared/state-machine-definitions';
import { stateMachines, type FunctionKey, type StateMachineKey } from '#shared/topology';
import type { Engine } from './engines/engine.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, localFunctionArn, type LocalLambdas } from './lambda-runtime.ts';
import { CHAOS_FAILURE_PREFIX, duplicatesExecution, maybeInjectFailure } from './chaos.ts';
import type { Meter } from './meter.ts';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export const localStateMachineArn = (key: StateMachineKey) =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${stateMachines[key].localName}`;

/** The ASL text the local runner executes: the deployed file with the same placeholders filled with local ARNs. */
export function localDefinition(key: StateMachineKey): string {
  const substitutions = Object.fromEntries(
    Object.entries(stateMachines[key].taskFunctions).map(([placeholder, fn]) => [placeholder, localFunctionArn(fn)]),
  );
  return substituteDefinition(readStateMachineDefinition(key), substitutions);
}

/** The execution whose states are running, as async context: its name and how often each state was attempted. */
const runningExecution = new AsyncLocalStorage<{ name: string; attempts: Map<string, number> }>();

/** Runs `work` (which starts a machine) as execution `name`: its task states' attempts are counted under it. */
export const asExecution = <T>(name: string, work: () => T): T => runningExecution.run({ name, attempts: new Map() }, work);

/**
 * A task state's attempt within its execution, as chaos keys it: the execution's name and the state's, and the
 * attempt number (a retry counts up). Outside an execution (tests running a machine directly) the input stands in.
 */
export function taskAttempt(stateName: string, input: unknown): { key: string; attempt: number } {
  const execution = runningExecution.getStore();
  if (!execution) return { key: `${stateName}/${JSON.stringify(input)}`, attempt: 1 };
  const attempt = (execution.attempts.get(stateName) ?? 0) + 1;
  execution.attempts.set(stateName, attempt);
  return { key: `${execution.name}/${stateName}`, attempt };
}

type AslState = { Type: string; Resource?: string; Branches?: AslMachine[]; Iterator?: AslMachine; ItemProcessor?: AslMachine };
export type AslMachine = { States: Record<string, AslState> };

/**
 * Task state name → function, found by the function ARN in each Task's `Resource` (nested branches included). Under
 * `--chaos` a task may fail on purpose before the function runs; with a meter, that failure is counted as chaos's.
 */
export function taskHandlers(machine: AslMachine, lambdas: LocalLambdas, meter?: Meter): Record<string, (input: unknown) => Promise<unknown>> {
  const byArn = new Map<string, FunctionKey>();
  for (const spec of Object.values(stateMachines))
    for (const fn of Object.values(spec.taskFunctions)) byArn.set(localFunctionArn(fn), fn);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const visit = (current: AslMachine) => {
    for (const [name, state] of Object.entries(current.States)) {
      if (state.Type === 'Task' && state.Resource) {
        const fn = byArn.get(state.Resource);
        if (!fn) throw new Error(`Task ${name} calls ${state.Resource}, which the local runtime cannot run`);
        handlers[name] = async (input) => {
          maybeInjectFailure(fn, taskAttempt(name, input), () => meter?.injectedFailure(fn, 'stepFunctions'));
          return JSON.parse(JSON.stringify((await lambdas.invoke(fn, input, 'stepFunctions')) ?? null));
        };
      }
      for (const branch of state.Branches ?? []) visit(branch);
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) visit(nested);
    }
  };
  visit(machine);
  return handlers;
}

type ExecutionEvent = { type: string; Cause?: unknown; state?: { name?: string } };

/**
 * Reads one execution's event log in order and tells which events are chaos's: a task state failed on purpose
 * (`--chaos`, known by its cause) and the retry that failure caused.
 */
export function chaosEvents(): (event: ExecutionEvent) => boolean {
  /** States whose last failure was injected: their next retry is chaos's too. */
  const injected = new Set<string>();
  return (event) => {
    const state = event.state?.name ?? '';
    if (event.type === 'StateRetried') return injected.delete(state);
    if (event.type !== 'StateFailed') return false;
    const chaos = String(event.Cause ?? '').startsWith(CHAOS_FAILURE_PREFIX);
    if (chaos) injected.add(state);
    else injected.delete(state);
    return chaos;
  };
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * A Step Functions endpoint speaking the AWS JSON 1.0 protocol (StartExecution, DescribeExecution, ListExecutions),
 * so handlers start workflows through the real `@aws-sdk/client-sfn`. Executions run the deployed ASL in
 * `aws-local-stepfunctions`, with Task states calling the same handlers. The machine's type decides names as AWS
 * does: unique per Standard machine; an Express start always runs (a repeated name too), and under `--chaos` an
 * Express start may run twice (at least once). The records persist in the data directory.
 */
export class LocalStepFunctions {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly machines = new Map<string, { key: StateMachineKey; machine: StateMachine; handlers: ReturnType<typeof taskHandlers> }>();
  private server?: Server;
  /** Executions that were running when the previous run ended. */
  private readonly cutOff: ExecutionRecord[] = [];

  constructor(
    private readonly lambdas: LocalLambdas,
    private readonly recordsFile: string,
    private readonly meter?: Meter,
  ) {
    if (existsSync(recordsFile)) {
      for (const record of JSON.parse(readFileSync(recordsFile, 'utf8')) as ExecutionRecord[]) {
        // An execution cut off by a crash or a stop failed, as a timed-out one would; `redriveCutOff` runs it again.
        if (record.status === 'RUNNING') {
          Object.assign(record, { status: 'FAILED', error: 'States.Runtime', cause: 'runtime stopped' });
          this.cutOff.push(record);
        }
        this.executions.set(record.executionArn, record);
      }
    }
    for (const key of Object.keys(stateMachines) as StateMachineKey[]) {
      const definition = JSON.parse(localDefinition(key)) as AslMachine;
      this.machines.set(localStateMachineArn(key), {
        key,
        machine: new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } }),
        handlers: taskHandlers(definition, lambdas, meter),
      });
    }
  }

  async start(port: number): Promise<Engine> {
    this.server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    return { name: 'stepfunctions', endpoint: `http://127.0.0.1:${actualPort}`, stop: () => this.stop() };
  }

  /** Waits for running executions (so none is cut mid-step), then closes the endpoint. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.running]);
    this.persist();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * Runs every execution the previous run cut off again, from the start with the same input, under a name of its
   * own (`<name>-r<n>`) for a Standard workflow, under the same name for an Express one. Every step reads its state from the table and is idempotent, so starting over continues
   * where the table says the work stands: nothing accepted waits forever because the runtime died.
   */
  redriveCutOff(): number {
    for (const record of this.cutOff.splice(0)) {
      if (record.executionArn.includes(':express:')) {
        this.startExecution(record.stateMachineArn, record.name, record.input);
        continue;
      }
      const base = record.name.replace(/-r\d+$/, '').slice(0, 70);
      let attempt = 1;
      while (this.executions.has(record.executionArn.replace(/:[^:]+$/, `:${base}-r${attempt}`))) attempt++;
      this.startExecution(record.stateMachineArn, `${base}-r${attempt}`, record.input);
    }
    return this.running.size;
  }

  list(): ExecutionRecord[] {
    return [...this.executions.values()];
  }

  /** Resolves when no execution is running (tests and the clock use it to settle). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    try {
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const result = this.dispatch(target, body);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(result));
    } catch (error) {
      const awsError = error instanceof AwsError ? error : new AwsError('InternalFailure', (error as Error).message, 500);
      response
        .writeHead(awsError.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': awsError.type })
        .end(JSON.stringify({ __type: awsError.type, message: awsError.message }));
    }
  }

  private dispatch(operation: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'StartExecution': {
        const [stateMachineArn, name, input] = [String(body.stateMachineArn ?? ''), body.name as string | undefined, (body.input as string | undefined) ?? '{}'];
        const started = this.startExecution(stateMachineArn, name, input);
        // At least once (Express, `--chaos`): the same start runs a second time, which the table's conditions absorb.
        if (started.executionArn.includes(':express:') && name && duplicatesExecution(name, input)) {
          if (this.meter) this.meter.asChaos(() => this.startExecution(stateMachineArn, name, input));
          else this.startExecution(stateMachineArn, name, input);
        }
        return started;
      }
      case 'DescribeExecution':
        return this.describe(String(body.executionArn ?? ''));
      case 'ListExecutions':
        return {
          executions: this.list()
            .filter((record) => record.stateMachineArn === body.stateMachineArn && (!body.statusFilter || record.status === body.statusFilter))
            .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({ executionArn, stateMachineArn, name, status, startDate, stopDate })),
        };
      default:
        throw new AwsError('UnknownOperationException', `The local Step Functions endpoint does not support ${operation || 'this request'}`);
    }
  }

  private describe(executionArn: string): ExecutionRecord {
    const record = this.executions.get(executionArn);
    if (!record) throw new AwsError('ExecutionDoesNotExist', `Execution does not exist: '${executionArn}'`);
    return record;
  }

  private startExecution(stateMachineArn: string, requestedName: string | undefined, input: string) {
    const target = this.machines.get(stateMachineArn);
    if (!target) throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const name = requestedName ?? crypto.randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new AwsError('InvalidName', `Invalid Name: '${name}'`);
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new AwsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    // Express: every start is an execution of its own (AWS names them `...:express:<machine>:<name>:<id>`), and a
    // repeated name runs again; Standard: the name is the execution, unique for as long as the records are kept.
    const express = stateMachines[target.key].type === 'EXPRESS';
    const executionArn = express
      ? `${stateMachineArn.replace(':stateMachine:', ':express:')}:${name}:${crypto.randomUUID()}`
      : `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Standard workflows: the same name and input while running is the same execution; otherwise refused.
      if (existing.status === 'RUNNING' && isDeepStrictEqual(JSON.parse(existing.input), parsedInput))
        return { executionArn, startDate: existing.startDate };
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = { executionArn, stateMachineArn, name, status: 'RUNNING', input, startDate: Date.now() / 1000 };
    this.executions.set(executionArn, record);
    // Durable before StartExecution answers, as on AWS: a crash after this point leaves a record to re-drive.
    this.persist();
    this.meter?.executionStarted(target.key);
    const run = this.run(target, record, parsedInput).finally(() => {
      this.running.delete(run);
      this.persist();
    });
    this.running.add(run);
    return { executionArn, startDate: record.startDate };
  }

  private async run(target: { key: StateMachineKey; machine: StateMachine; handlers: ReturnType<typeof taskHandlers> }, record: ExecutionRecord, input: unknown) {
    const execution = asExecution(record.name, () =>
      target.machine.run(input as never, {
        overrides: { taskResourceLocalHandlers: target.handlers as never },
        context: { Execution: { Id: record.executionArn, Name: record.name, Input: input as never, StartTime: new Date(record.startDate * 1000).toISOString() } },
      }),
    );
    const metered = this.meterEvents(target.key, execution.eventLogs);
    try {
      const output = await execution.result;
      Object.assign(record, { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) });
    } catch (error) {
      // The runner wraps the state's error (a Fail state's Error/Cause, or an uncaught task error) in `cause`.
      const failure = ((error as Error).cause ?? error) as Error & { cause?: unknown };
      Object.assign(record, { status: 'FAILED', error: failure.name, cause: String(failure.cause ?? failure.message) });
    } finally {
      record.stopDate = Date.now() / 1000;
      // The runner closes its event log when the execution ends; the wait is bounded in case a path leaves it open.
      await Promise.race([metered, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      this.meter?.executionEnded(target.key, (record.stopDate - record.startDate) * 1000);
    }
  }

  /**
   * Feeds the execution's event log to the meter (transitions, history events), as the execution runs. A task
   * failed on purpose (`--chaos`) and the retry it caused are chaos's: counted in the meter's chaos bucket.
   */
  private async meterEvents(key: StateMachineKey, events: AsyncGenerator<unknown>): Promise<void> {
    const meter = this.meter;
    if (!meter) return;
    const isChaos = chaosEvents();
    try {
      for await (const raw of events) {
        const event = raw as Parameters<Meter['executionEvent']>[1] & ExecutionEvent;
        if (isChaos(event)) meter.asChaos(() => meter.executionEvent(key, event));
        else meter.executionEvent(key, event);
      }
    } catch {
      // The log is diagnostics for the meter only; an execution never fails because of it.
    }
  }

  private persist(): void {
    mkdirSync(dirname(this.recordsFile), { recursive: true });
    writeFileSync(this.recordsFile, JSON.stringify(this.list(), null, 2));
  }
}
