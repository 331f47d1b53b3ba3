import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { consumers, deadLetterQueueOf, deadLetterQueues, functions, routeKey, routes, stateMachines, type FunctionKey, type QueueKey } from '#shared/topology';
import { pascalCase } from '../naming.ts';
import { O2cFunction, type FunctionInvocation, type O2cResources } from './o2c-function.ts';

/** CDK context keys → the environment variable each becomes in every function. */
export const CONTEXT_SETTINGS: Readonly<Record<string, string>> = {
  'o2c:creditPolicy': 'O2C_CREDIT_POLICY',
  'o2c:seller': 'O2C_SELLER',
  'o2c:creditNoteClerkLimit': 'O2C_CREDIT_NOTE_CLERK_LIMIT',
  'o2c:cashPolicy': 'O2C_CASH_POLICY',
  'o2c:writeOffClerkLimit': 'O2C_WRITE_OFF_CLERK_LIMIT',
};

/**
 * Every Lambda function in the topology, built with the shared {@link O2cFunction} defaults.
 *
 * Who invokes a function is read from the topology too (routes, SQS consumers, state machine tasks), so a
 * function nobody invokes synchronously is given a dead-letter queue for its failed asynchronous events.
 */
export class Functions extends Construct {
  private readonly byKey: Record<FunctionKey, O2cFunction>;
  private asyncFailures?: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const environment = Functions.configuredEnvironment(this);
    this.byKey = Object.fromEntries(
      (Object.keys(functions) as FunctionKey[]).map((key) => [
        key,
        new O2cFunction(this, pascalCase(key), { spec: functions[key], invocation: this.invocationOf(key), environment }),
      ]),
    ) as Record<FunctionKey, O2cFunction>;
  }

  /**
   * Business configuration from CDK context, passed to every function as an environment variable (JSON for an
   * object, the value itself for a string or number), e.g. `-c o2c:creditPolicy='{"maxOverdueDays":45}'` or a
   * `cdk.json` entry; the functions check it at cold start:
   * `o2c:creditPolicy` → `O2C_CREDIT_POLICY`, `o2c:seller` → `O2C_SELLER`, `o2c:creditNoteClerkLimit` →
   * `O2C_CREDIT_NOTE_CLERK_LIMIT`, `o2c:cashPolicy` → `O2C_CASH_POLICY` (JSON), `o2c:writeOffClerkLimit` →
   * `O2C_WRITE_OFF_CLERK_LIMIT` (see {@link CONTEXT_SETTINGS}). A key left out leaves the variable unset, so the
   * functions' defaults apply.
   */
  private static configuredEnvironment(scope: Construct): Record<string, string> {
    const environment: Record<string, string> = {};
    for (const [contextKey, variable] of Object.entries(CONTEXT_SETTINGS)) {
      const value: unknown = scope.node.tryGetContext(contextKey);
      if (value !== undefined) environment[variable] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return environment;
  }

  /** The function built for a topology key. */
  get(key: FunctionKey): O2cFunction {
    return this.byKey[key];
  }

  /** Every function with its topology key. */
  entries(): [FunctionKey, O2cFunction][] {
    return Object.entries(this.byKey) as [FunctionKey, O2cFunction][];
  }

  /** The dead-letter queue of asynchronously invoked functions, if the topology has any. */
  get asyncFailuresQueue(): Queue | undefined {
    return this.asyncFailures;
  }

  /** Grants each function exactly its topology `access`; see {@link O2cFunction.grantAccess}. */
  grantAccess(resources: O2cResources): void {
    for (const [, fn] of this.entries()) fn.grantAccess(resources);
  }

  /**
   * Grants each function its topology `deadLetters` access, on every dead-letter queue of the stack: the work
   * queues' (by queue key), the schedules' (by schedule id) and this construct's async-failures queue.
   */
  grantDeadLetters(built: { queues: Readonly<Record<QueueKey, IQueue>>; schedules: Readonly<Record<string, IQueue>> }): void {
    const byName: Record<string, IQueue> = {};
    for (const [key, queue] of Object.entries(built.queues) as [QueueKey, IQueue][]) byName[deadLetterQueueOf(key).name] = queue;
    for (const spec of deadLetterQueues) {
      if (spec.source.kind === 'schedule' && built.schedules[spec.source.schedule]) byName[spec.name] = built.schedules[spec.source.schedule]!;
      if (spec.source.kind === 'async-invocations' && this.asyncFailures) byName[spec.name] = this.asyncFailures;
    }
    for (const [, fn] of this.entries()) fn.grantDeadLetters(byName);
  }

  private invocationOf(key: FunctionKey): FunctionInvocation {
    const by = [
      ...routes.filter((route) => route.function === key).map((route) => `API Gateway (${routeKey(route)})`),
      ...consumers.filter((consumer) => consumer.function === key).map((consumer) => `an SQS event source (${consumer.queue} queue)`),
      ...Object.entries(stateMachines)
        .filter(([, machine]) => Object.values(machine.taskFunctions).includes(key))
        .map(([machineKey]) => `Step Functions (${machineKey} workflow task)`),
    ];
    if (by.length > 0) return { kind: 'sync', by };
    if (!this.asyncFailures) {
      this.asyncFailures = new Queue(this, 'AsyncFailuresQueue', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(this.asyncFailures).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is itself the dead-letter queue of asynchronously invoked functions; its depth is alarmed.',
      });
    }
    return { kind: 'async', deadLetterQueue: this.asyncFailures };
  }
}
