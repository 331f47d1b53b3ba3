import * as z from '#schemas/zod';

/**
 * What `GET /_local/meter` answers: every billable operation the embedded runtime performed since it started or
 * was last reset, as measured (counts, bytes, milliseconds, capacity units). Prices and models of what AWS adds on
 * top (platform log lines, idle long polls, execution-history envelopes) are the cost function's
 * (`local/simulate/cost.ts`), so a snapshot holds facts only. Parsed with this schema wherever it crosses a process.
 */

/** What invoked a function: decides which trace it starts (X-Ray) and which costs are per order or per month. */
export const invocationTriggers = ['api', 'sqs', 'stepFunctions', 'schedule', 'rateSchedule', 'local'] as const;
export type InvocationTrigger = (typeof invocationTriggers)[number];

const count = z.number().check(z.int(), z.gte(0));
/** Capacity units come in halves (eventually consistent reads); the meter sums them in thousandths. */
const units = z.number().check(z.gte(0));

export const FunctionMeter = z.object({
  memoryMb: count,
  invocations: count,
  errors: count,
  /** Σ of each invocation's duration rounded up to the millisecond, as Lambda bills it. */
  billedMs: count,
  /** How long the handler module took to import here: its cold start, once per runtime process. */
  initMs: count,
  byTrigger: z.record(z.enum(invocationTriggers), count),
  /** Bytes the function's code logged (compact JSON, as Powertools writes it on AWS). */
  logBytes: count,
  /** DynamoDB units this function's requests consumed, so a per-function cost can be projected (rate schedules). */
  readUnits: units,
  writeUnits: units,
});
export type FunctionMeter = z.infer<typeof FunctionMeter>;

export const StateMachineMeter = z.object({
  type: z.enum(['STANDARD', 'EXPRESS']),
  /** What its execution log keeps (`shared/topology.ts`): everything (`ALL`), only failures (`ERROR`), nothing. */
  logLevel: z._default(z.enum(['ALL', 'ERROR', 'OFF']), 'ALL'),
  executionsStarted: count,
  /** What a Standard workflow bills: every state entered, plus every retry of a state. */
  stateTransitions: count,
  /** Execution-history events (execution started/ended, state entered/exited/failed/retried/caught, Lambda task events). */
  historyEvents: count,
  /** Σ of the JSON inputs and outputs those events carry, as escaped strings: what `includeExecutionData` logs. */
  executionDataBytes: count,
  /** The failure events among them (a task attempt failed, retried or caught; the execution failed): what `ERROR` logs. */
  errorEvents: z._default(count, 0),
  /** Σ of the failed states' inputs and errors those events carry, as escaped strings. */
  errorDataBytes: z._default(count, 0),
  /** Σ of executions' durations in ms, each rounded up to 100 ms as Express bills them. */
  durationMs: count,
});
export type StateMachineMeter = z.infer<typeof StateMachineMeter>;

export const QueueMeter = z.object({
  fifo: z.boolean(),
  /** Requests as SQS bills them: each 64 KiB chunk of a request's payload counts as one. */
  billedRequests: count,
  byOperation: z.record(z.string(), count),
  /** The local event source mapping's receives that found nothing: modelled per month instead (AWS polls differently). */
  idlePolls: count,
});
export type QueueMeter = z.infer<typeof QueueMeter>;

/** The counters of billable operations: the business's at the top of a snapshot, chaos's in its `chaos` bucket. */
export const MeterCounters = z.object({
  lambda: z.object({ architecture: z.enum(['arm64', 'x86_64']), functions: z.record(z.string(), FunctionMeter) }),
  apiGateway: z.object({ requests: count, billedRequests: count }),
  stepFunctions: z.object({ stateMachines: z.record(z.string(), StateMachineMeter) }),
  dynamodb: z.object({
    calls: count,
    readUnits: units,
    writeUnits: units,
    /** Writes refused by a condition or a cancelled transaction report no ConsumedCapacity; AWS still bills them (estimate). */
    estimatedFailedWriteUnits: units,
    /** The table's size as the engine reports it (DescribeTable), for the storage line; null when unknown. */
    tableBytes: z.nullable(count),
  }),
  sqs: z.object({ queues: z.record(z.string(), QueueMeter) }),
  s3: z.object({
    /** PUT, COPY, POST and LIST requests (one price class). */
    putRequests: count,
    /** GET, HEAD and other requests (the other class); DELETE is free. */
    getRequests: count,
    bytesPut: count,
    /** Σ of the buckets' object sizes now (listed when the snapshot is taken); null when unknown. */
    bytesStored: z.nullable(count),
  }),
  ses: z.object({ messages: count, rawBytes: count, attachmentBytes: count }),
  secretsManager: z.object({ reads: count, calls: count }),
  cloudwatch: z.object({ metricSeries: count, emfDocuments: count, emfBytes: count }),
});
export type MeterCounters = z.infer<typeof MeterCounters>;

/**
 * The overhead of `o2c simulate --chaos`, counted apart from the business's operations: each invocation failed on
 * purpose (a failed invocation billed 1 ms, and the SQS receive whose batch went back), the workflow retries those
 * failures caused, executions re-driven after a kill, and requests the simulator marks as chaos's (duplicate
 * deliveries). Storage is always null here.
 */
export const ChaosMeter = z.extend(MeterCounters, {
  /** Invocations failed on purpose, by function. */
  injectedFailures: z.record(z.string(), count),
});
export type ChaosMeter = z.infer<typeof ChaosMeter>;

export const MeterSnapshot = z.extend(MeterCounters, {
  version: z.literal(1),
  startedAt: z.string(),
  takenAt: z.string(),
  /** Real seconds between `startedAt` and `takenAt`. */
  elapsedSeconds: z.number().check(z.gte(0)),
  /** Absent from snapshots taken before chaos was counted apart (everything was the business's then). */
  chaos: z.optional(ChaosMeter),
});
export type MeterSnapshot = z.infer<typeof MeterSnapshot>;
