import { AsyncLocalStorage } from 'node:async_hooks';
import { METER_ENV, METER_SINK, type MeteredCall, type MeterSink } from '#adapters/metering';
import { byDimensions, SERVICE_DIMENSION, METRICS_SERVICE, METRICS_NAMESPACE, type MetricPoint } from '#shared/metrics';
import { functions, stateMachines, type FunctionKey, type StateMachineKey } from '#shared/topology';
import { traceWrite } from './meter-trace.ts';
import { invocationTriggers, type FunctionMeter, type InvocationTrigger, type MeterCounters, type MeterSnapshot, type QueueMeter, type StateMachineMeter } from './meter-snapshot.ts';

/** What `infra/constructs/o2c-function.ts` deploys every function as (`Architecture.ARM_64`): it picks the GB-s price. */
export const FUNCTION_ARCHITECTURE = 'arm64' as const;
/** The execution-log events a Step Functions `ERROR` log level writes: a task attempt failed, the execution failed. */
const FAILURE_EVENTS: ReadonlySet<string> = new Set(['StateFailed', 'StateCaught', 'ExecutionFailed', 'ExecutionTerminated']);

/** A failure event: what the execution log keeps at `ERROR`, with the failed state's input and the error (`includeExecutionData`). */
function countFailureEvent(counters: StateMachineMeter, event: { state?: { input?: unknown }; Error?: unknown; Cause?: unknown }): void {
  counters.errorEvents++;
  counters.errorDataBytes += escapedJsonBytes(event.state?.input) + escapedJsonBytes(event.Error) + escapedJsonBytes(event.Cause);
}

/** `shared/adapters/secrets.ts` caches a secret this long per function instance. */
const SECRET_CACHE_MS = 300_000;
/** SQS bills each 64 KiB chunk of a request's payload as one request. */
const SQS_CHUNK_BYTES = 64 * 1024;
/** HTTP APIs meter requests in 512 KiB increments. */
const API_CHUNK_BYTES = 512 * 1024;

const S3_PUT_CLASS = new Set(['PutObject', 'CopyObject', 'PostObject', 'ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListBuckets', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload']);
const S3_FREE = new Set(['DeleteObject', 'DeleteObjects', 'AbortMultipartUpload']);
const DYNAMODB_READS = new Set(['GetItem', 'Get', 'Query', 'Scan', 'BatchGetItem', 'BatchGet', 'TransactGetItems', 'TransactGet']);
const DYNAMODB_SINGLE_WRITES = new Set(['PutItem', 'Put', 'UpdateItem', 'Update', 'DeleteItem', 'Delete']);
const DYNAMODB_TRANSACT_WRITES = new Set(['TransactWriteItems', 'TransactWrite']);

/**
 * The least AWS bills a read: 0.5 unit eventually consistent, 1 strongly, even when nothing is found; a batch get
 * that for every key. DynamoDB Local reports 0 for an empty Query or a batch of missing keys, so the meter tops up.
 */
function minimumReadMilliUnits(call: MeteredCall): number {
  const perRead = call.input.ConsistentRead === true ? 1000 : 500;
  switch (call.operation) {
    case 'Query':
    case 'Scan':
      return perRead;
    case 'BatchGetItem':
    case 'BatchGet':
      return Object.values((call.input.RequestItems ?? {}) as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>).reduce(
        (sum, request) => sum + (request.Keys?.length ?? 0) * (request.ConsistentRead === true ? 1000 : 500),
        0,
      );
    default:
      return 0;
  }
}

/** Where a request came from: a function's code, or the runtime's own glue standing in for an AWS feature. */
export type CallOrigin = { function: FunctionKey } | { glue: 'eventSourceMapping' | 's3Notifications' } | undefined;

type LambdaCounters = Omit<FunctionMeter, 'readUnits' | 'writeUnits'> & { readMilliUnits: number; writeMilliUnits: number };

const byteLength = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  return 0;
};

/** Bytes a JSON value takes once logged as an escaped string inside a log event (`"input": "{\"a\":1}"`). */
const escapedJsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(JSON.stringify(value ?? null)));

/**
 * The bytes of the MIME parts marked `Content-Disposition: attachment` in a raw message, as encoded (what is
 * transferred and what SES's attachment price is charged on). Boundaries are read from the message itself.
 */
export function attachmentBytes(raw: string): number {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((match) => match[1]!);
  if (boundaries.length === 0) return 0;
  const escaped = boundaries.map((boundary) => boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  let total = 0;
  for (const part of raw.split(new RegExp(`\\r?\\n--(?:${escaped.join('|')})(?:--)?`))) {
    const headerEnd = part.search(/\r?\n\r?\n/);
    if (headerEnd < 0) continue;
    if (!/content-disposition:\s*attachment/i.test(part.slice(0, headerEnd))) continue;
    total += Buffer.byteLength(part.slice(headerEnd).replace(/^\r?\n\r?\n/, ''));
  }
  return total;
}

/**
 * Compact size of what a handler wrote: Powertools pretty-prints under POWERTOOLS_DEV (set locally) but writes one
 * compact JSON line on AWS, so a JSON document is counted as its compact form plus the newline.
 */
export function compactLogBytes(text: string): number {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return Buffer.byteLength(JSON.stringify(JSON.parse(trimmed))) + 1;
    } catch {
      // Not one JSON document: counted as written.
    }
  }
  return Buffer.byteLength(text);
}

/** Which bucket an operation is counted in: the business's, chaos's (`--chaos` overhead), or none. */
type Attribution = 'unmetered' | 'chaos';

/** SQS bills a receive by the 64 KiB chunks of the bodies it returned. */
const receiveChunks = (bodies: readonly unknown[]): number => Math.max(1, Math.ceil(bodies.reduce<number>((sum, body) => sum + byteLength(body), 0) / SQS_CHUNK_BYTES));

/** One set of counters: the meter keeps one for the business's operations and one for chaos's. */
class Counters {
  readonly lambdas = new Map<FunctionKey, LambdaCounters>();
  readonly machines = new Map<StateMachineKey, StateMachineMeter>();
  readonly api = { requests: 0, billedRequests: 0 };
  readonly dynamo = { calls: 0, readMilliUnits: 0, writeMilliUnits: 0, estimatedFailedWriteMilliUnits: 0 };
  readonly queues = new Map<string, QueueMeter>();
  readonly s3 = { putRequests: 0, getRequests: 0, bytesPut: 0 };
  readonly ses = { messages: 0, rawBytes: 0, attachmentBytes: 0 };
  readonly secrets = { reads: 0, calls: 0 };
  readonly metricSeries = new Set<string>();
  readonly emf = { documents: 0, bytes: 0 };

  lambda(key: FunctionKey): LambdaCounters {
    let counters = this.lambdas.get(key);
    if (!counters) {
      counters = {
        memoryMb: functions[key].memoryMb,
        invocations: 0,
        errors: 0,
        billedMs: 0,
        initMs: 0,
        byTrigger: Object.fromEntries(invocationTriggers.map((trigger) => [trigger, 0])) as Record<InvocationTrigger, number>,
        logBytes: 0,
        readMilliUnits: 0,
        writeMilliUnits: 0,
      };
      this.lambdas.set(key, counters);
    }
    return counters;
  }

  machine(key: StateMachineKey): StateMachineMeter {
    let counters = this.machines.get(key);
    if (!counters) {
      const { type, logLevel } = stateMachines[key];
      counters = { type, logLevel, executionsStarted: 0, stateTransitions: 0, historyEvents: 0, executionDataBytes: 0, errorEvents: 0, errorDataBytes: 0, durationMs: 0 };
      this.machines.set(key, counters);
    }
    return counters;
  }

  queue(queueUrl: unknown): QueueMeter {
    const name = String(queueUrl ?? 'unknown').split('/').at(-1) ?? 'unknown';
    let counters = this.queues.get(name);
    if (!counters) {
      counters = { fifo: name.endsWith('.fifo'), billedRequests: 0, byOperation: {}, idlePolls: 0 };
      this.queues.set(name, counters);
    }
    return counters;
  }

  /** Every counter but the storage the engines hold (the meter measures that once, for the business's). */
  read(initMs: ReadonlyMap<FunctionKey, number>): Omit<MeterCounters, 'dynamodb' | 's3'> & { dynamodb: Omit<MeterCounters['dynamodb'], 'tableBytes'>; s3: Omit<MeterCounters['s3'], 'bytesStored'> } {
    const fromMilli = (milli: number) => milli / 1000;
    const functionsMeter: Record<string, FunctionMeter> = {};
    for (const key of Object.keys(functions) as FunctionKey[]) {
      const counters = this.lambdas.get(key);
      const init = initMs.get(key) ?? 0;
      if (!counters && init === 0) continue;
      const { readMilliUnits, writeMilliUnits, ...rest } = counters ?? this.lambda(key);
      functionsMeter[key] = { ...rest, initMs: init, byTrigger: { ...rest.byTrigger }, readUnits: fromMilli(readMilliUnits), writeUnits: fromMilli(writeMilliUnits) };
    }
    const machinesMeter: Record<string, StateMachineMeter> = {};
    for (const key of Object.keys(stateMachines) as StateMachineKey[]) machinesMeter[key] = { ...this.machine(key) };
    return {
      lambda: { architecture: FUNCTION_ARCHITECTURE, functions: functionsMeter },
      apiGateway: { ...this.api },
      stepFunctions: { stateMachines: machinesMeter },
      dynamodb: {
        calls: this.dynamo.calls,
        readUnits: fromMilli(this.dynamo.readMilliUnits),
        writeUnits: fromMilli(this.dynamo.writeMilliUnits),
        estimatedFailedWriteUnits: fromMilli(this.dynamo.estimatedFailedWriteMilliUnits),
      },
      sqs: { queues: Object.fromEntries([...this.queues].map(([name, queue]) => [name, { ...queue, byOperation: { ...queue.byOperation } }])) },
      s3: { ...this.s3 },
      ses: { ...this.ses },
      secretsManager: { ...this.secrets },
      cloudwatch: { metricSeries: this.metricSeries.size, emfDocuments: this.emf.documents, emfBytes: this.emf.bytes },
    };
  }
}

/**
 * Counts every billable operation the embedded runtime performs (issue 14's cost report): Lambda invocations and
 * billed milliseconds, HTTP API requests, Step Functions transitions, DynamoDB capacity units, SQS, S3, SES,
 * Secrets Manager, log bytes and custom metrics. The handlers report their SDK requests through the sink it installs
 * (`#adapters/metering`); the runtime's glue reports the rest. In memory only: a restart starts from zero, so a
 * caller that kills the runtime on purpose reads `GET /_local/meter` first.
 *
 * What an operation is counted as follows from the async context it runs in: by default the business's; inside
 * {@link unmetered} nothing (the simulator's probes, the runtime's start-up); inside {@link asChaos} the `chaos`
 * bucket, the overhead of `--chaos` (invocations failed on purpose, their retries, work redone after a kill).
 */
export class Meter implements MeterSink {
  private startedAt = new Date();
  private business = new Counters();
  private chaos = new Counters();
  /** Invocations failed on purpose, by function, since the start or the last reset. */
  private injected: Record<string, number> = {};
  private secretFetchedAt = new Map<string, number>();
  /** Import times survive a reset: a cold start happened once, when the runtime loaded the handlers. */
  private readonly initMs = new Map<FunctionKey, number>();
  private readonly attribution = new AsyncLocalStorage<Attribution>();

  constructor(private readonly currentFunction: () => FunctionKey | undefined = () => undefined) {}

  /**
   * Runs `work` unmetered: every operation done on its behalf (asynchronously too: the invocation it makes, that
   * invocation's SDK requests, logs and metrics) is left out of the meter. For what a real business would not pay
   * for: the simulator's own probes (`X-O2C-Simulator-Probe`), the runtime's start-up. Never wrap the start of
   * something long-lived (a poller, a server): everything it ever did would be left out.
   */
  unmetered<T>(work: () => T): T {
    return this.attribution.run('unmetered', work);
  }

  /** Runs `work` as chaos's: every operation done on its behalf is counted in the snapshot's `chaos` bucket. */
  asChaos<T>(work: () => T): T {
    return this.attribution.run('chaos', work);
  }

  /** Where an operation in the current async context is counted; undefined when it is not. */
  private get counters(): Counters | undefined {
    const attribution = this.attribution.getStore();
    if (attribution === 'unmetered') return undefined;
    return attribution === 'chaos' ? this.chaos : this.business;
  }

  /** Makes this meter the handlers' sink and turns their hooks on (`O2C_METER=1`); returns the undo. */
  install(): () => void {
    (globalThis as { [METER_SINK]?: MeterSink })[METER_SINK] = this;
    process.env[METER_ENV] = '1';
    return () => {
      delete (globalThis as { [METER_SINK]?: MeterSink })[METER_SINK];
      delete process.env[METER_ENV];
    };
  }

  reset(): void {
    this.startedAt = new Date();
    this.business = new Counters();
    this.chaos = new Counters();
    this.injected = {};
    this.secretFetchedAt.clear();
  }

  functionLoaded(key: FunctionKey, importMs: number): void {
    this.initMs.set(key, Math.ceil(importMs));
  }

  /** One invocation; Lambda rounds each duration up to the millisecond. */
  functionInvoked(key: FunctionKey, trigger: InvocationTrigger, durationMs: number, failed: boolean): void {
    const counters = this.counters?.lambda(key);
    if (!counters) return;
    counters.invocations++;
    counters.byTrigger[trigger]++;
    counters.billedMs += Math.max(1, Math.ceil(durationMs));
    if (failed) counters.errors++;
  }

  /**
   * An invocation failed on purpose (`--chaos`), before the handler ran: counted in the chaos bucket as a failed
   * invocation billed Lambda's minimum of 1 ms. For a queue consumer, the receive that fetched the batch moves there
   * too: the batch is received again, and that receive is the one the business pays for.
   */
  injectedFailure(key: FunctionKey, trigger: InvocationTrigger, received?: { queueUrl: string; bodies: readonly string[] }): void {
    if (!this.counters) return;
    this.injected[key] = (this.injected[key] ?? 0) + 1;
    const counters = this.chaos.lambda(key);
    counters.invocations++;
    counters.byTrigger[trigger]++;
    counters.billedMs += 1;
    counters.errors++;
    if (!received) return;
    const billed = receiveChunks(received.bodies);
    const business = this.business.queue(received.queueUrl);
    // The receive was counted as the business's when it happened (unless a reset came in between).
    if ((business.byOperation.ReceiveMessage ?? 0) > 0) {
      business.byOperation.ReceiveMessage! -= 1;
      business.billedRequests = Math.max(0, business.billedRequests - billed);
    }
    const chaos = this.chaos.queue(received.queueUrl);
    chaos.byOperation.ReceiveMessage = (chaos.byOperation.ReceiveMessage ?? 0) + 1;
    chaos.billedRequests += billed;
  }

  /** Bytes a function's code wrote to stdout or stderr during an invocation (CloudWatch Logs on AWS). */
  functionLogged(key: FunctionKey, bytes: number): void {
    const counters = this.counters?.lambda(key);
    if (counters) counters.logBytes += bytes;
  }

  apiRequest(requestBytes: number): void {
    const counters = this.counters;
    if (!counters) return;
    counters.api.requests++;
    counters.api.billedRequests += Math.max(1, Math.ceil(requestBytes / API_CHUNK_BYTES));
  }

  executionStarted(key: StateMachineKey): void {
    const counters = this.counters?.machine(key);
    if (counters) counters.executionsStarted++;
  }

  executionEnded(key: StateMachineKey, durationMs: number): void {
    const counters = this.counters?.machine(key);
    // Express bills each execution's duration rounded up to the next 100 ms.
    if (counters) counters.durationMs += Math.ceil(Math.max(1, durationMs) / 100) * 100;
  }

  /**
   * One event of aws-local-stepfunctions' execution log. A Standard workflow bills a transition for every state
   * entered and every retry; the execution history (what `ALL` logging writes) has an event per state entered and
   * exited, three more per Lambda task attempt (scheduled, started, succeeded or failed), and the execution's own.
   */
  executionEvent(key: StateMachineKey, event: { type: string; input?: unknown; output?: unknown; state?: { type?: string; input?: unknown; output?: unknown } }): void {
    const counters = this.counters?.machine(key);
    if (!counters) return;
    const isTask = event.state?.type === 'Task';
    switch (event.type) {
      case 'StateEntered':
        counters.stateTransitions++;
        counters.historyEvents += isTask ? 3 : 1;
        // The entered event and the Lambda "scheduled" event both carry the state's input.
        counters.executionDataBytes += escapedJsonBytes(event.state?.input) * (isTask ? 2 : 1);
        break;
      case 'StateRetried':
        counters.stateTransitions++;
        counters.historyEvents += 3;
        counters.executionDataBytes += escapedJsonBytes(event.state?.input);
        countFailureEvent(counters, event);
        break;
      case 'StateExited':
        counters.historyEvents += isTask ? 2 : 1;
        counters.executionDataBytes += escapedJsonBytes(event.state?.output) * (isTask ? 2 : 1);
        break;
      case 'ExecutionStarted':
        counters.historyEvents++;
        counters.executionDataBytes += escapedJsonBytes(event.input);
        break;
      case 'ExecutionSucceeded':
        counters.historyEvents++;
        counters.executionDataBytes += escapedJsonBytes(event.output);
        break;
      default:
        // Failed, retried, caught, aborted: one event each, with a short error and cause.
        counters.historyEvents++;
        if (FAILURE_EVENTS.has(event.type)) countFailureEvent(counters, event);
    }
  }

  /** An SDK request: from a handler (through `#adapters/metering`) or from the runtime's glue. */
  call(call: MeteredCall, origin: CallOrigin = this.originOfHandlerCall()): void {
    const counters = this.counters;
    if (!counters) return;
    switch (call.service) {
      case 'dynamodb':
        return this.dynamoCall(counters, call, origin);
      case 'sqs':
        return this.sqsCall(counters, call, origin);
      case 's3':
        return this.s3Call(counters, call);
      case 'ses':
        return this.sesCall(counters, call);
      case 'sfn':
        // StartExecution and DescribeExecution are not billed; the executions are, counted by the engine.
        return;
    }
  }

  private originOfHandlerCall(): CallOrigin {
    const key = this.currentFunction();
    return key ? { function: key } : undefined;
  }

  private dynamoCall(counters: Counters, call: MeteredCall, origin: CallOrigin): void {
    counters.dynamo.calls++;
    const isRead = DYNAMODB_READS.has(call.operation) || (call.operation === 'ExecuteStatement' && /^\s*select/i.test(String(call.input.Statement ?? '')));
    let readMilli = 0;
    let writeMilli = 0;
    if (call.output) {
      const consumed = call.output.ConsumedCapacity;
      for (const entry of (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }[]) {
        // AWS may split TOTAL into read and write units; DynamoDB Local reports CapacityUnits only.
        if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
          readMilli += Math.round((entry.ReadCapacityUnits ?? 0) * 1000);
          writeMilli += Math.round((entry.WriteCapacityUnits ?? 0) * 1000);
        } else if (isRead) readMilli += Math.round((entry.CapacityUnits ?? 0) * 1000);
        else writeMilli += Math.round((entry.CapacityUnits ?? 0) * 1000);
      }
    } else if (call.error) {
      // A refused conditional write still consumes at least one write unit per item; a cancelled transaction two.
      let estimated = 0;
      if (call.error.name === 'ConditionalCheckFailedException' && DYNAMODB_SINGLE_WRITES.has(call.operation)) estimated = 1000;
      if (call.error.name === 'TransactionCanceledException' && DYNAMODB_TRANSACT_WRITES.has(call.operation))
        estimated = 2000 * ((call.input.TransactItems as unknown[] | undefined)?.length ?? 1);
      // Kept apart from the measured units: an estimate, not the engine's figure.
      counters.dynamo.estimatedFailedWriteMilliUnits += estimated;
    }
    if (call.output) readMilli = Math.max(readMilli, minimumReadMilliUnits(call));
    traceWrite(origin && 'function' in origin ? origin.function : undefined, call.operation, call.input, writeMilli);
    counters.dynamo.readMilliUnits += readMilli;
    counters.dynamo.writeMilliUnits += writeMilli;
    if (origin && 'function' in origin) {
      const lambda = counters.lambda(origin.function);
      lambda.readMilliUnits += readMilli;
      lambda.writeMilliUnits += writeMilli;
    }
  }

  private sqsCall(counters: Counters, call: MeteredCall, origin: CallOrigin): void {
    if (call.error) return;
    const queue = counters.queue(call.input.QueueUrl);
    const chunks = (bytes: number) => Math.max(1, Math.ceil(bytes / SQS_CHUNK_BYTES));
    const attributesBytes = (attributes: unknown) => byteLength(JSON.stringify(attributes ?? {})) - 2;
    let billed = 1;
    switch (call.operation) {
      case 'SendMessage':
        billed = chunks(byteLength(call.input.MessageBody) + attributesBytes(call.input.MessageAttributes));
        break;
      case 'SendMessageBatch':
        billed = chunks(((call.input.Entries as { MessageBody?: string; MessageAttributes?: unknown }[]) ?? []).reduce((sum, entry) => sum + byteLength(entry.MessageBody) + attributesBytes(entry.MessageAttributes), 0));
        break;
      case 'ReceiveMessage': {
        const messages = (call.output?.Messages as { Body?: string }[] | undefined) ?? [];
        if (messages.length === 0 && origin && 'glue' in origin && origin.glue === 'eventSourceMapping') {
          queue.idlePolls++;
          return;
        }
        billed = receiveChunks(messages.map((message) => message.Body));
        break;
      }
    }
    queue.billedRequests += billed;
    queue.byOperation[call.operation] = (queue.byOperation[call.operation] ?? 0) + 1;
  }

  private s3Call(counters: Counters, call: MeteredCall): void {
    if (S3_FREE.has(call.operation)) return;
    if (S3_PUT_CLASS.has(call.operation)) counters.s3.putRequests++;
    else counters.s3.getRequests++;
    if (call.operation === 'PutObject' && !call.error) counters.s3.bytesPut += byteLength(call.input.Body) || Number(call.input.ContentLength ?? 0);
  }

  private sesCall(counters: Counters, call: MeteredCall): void {
    if (call.error || call.operation !== 'SendEmail') return;
    const destination = (call.input.Destination ?? {}) as { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    // SES bills each recipient as one message.
    counters.ses.messages += Math.max(1, (destination.ToAddresses?.length ?? 0) + (destination.CcAddresses?.length ?? 0) + (destination.BccAddresses?.length ?? 0));
    const raw = (call.input.Content as { Raw?: { Data?: Uint8Array | string } } | undefined)?.Raw?.Data;
    if (raw !== undefined) {
      const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
      counters.ses.rawBytes += byteLength(raw);
      counters.ses.attachmentBytes += attachmentBytes(text);
    }
  }

  /**
   * A secret read. On AWS the value is fetched from Secrets Manager when the function instance has none cached or
   * its copy is older than the cache time; modelled here as one warm instance per function (more instances under
   * concurrency fetch more).
   */
  secretRead(secret: string): void {
    const counters = this.counters;
    if (!counters) return;
    counters.secrets.reads++;
    const cacheKey = `${this.currentFunction() ?? 'runtime'}/${secret}`;
    const fetchedAt = this.secretFetchedAt.get(cacheKey);
    const now = Date.now();
    if (fetchedAt === undefined || now - fetchedAt > SECRET_CACHE_MS) {
      counters.secrets.calls++;
      this.secretFetchedAt.set(cacheKey, now);
    }
  }

  /**
   * Business metrics recorded. Each distinct name and set of dimension values is one CloudWatch custom metric;
   * each group of values is one EMF document that Lambda also ingests as a log line (sized here as Powertools
   * would write it).
   */
  metricPoints(points: readonly MetricPoint[]): void {
    const counters = this.counters;
    if (!counters) return;
    for (const group of byDimensions(points)) {
      const dimensions = { [SERVICE_DIMENSION]: METRICS_SERVICE, ...group.dimensions };
      const document = {
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: group.metrics.map(({ metric }) => ({ Name: metric.name, Unit: metric.unit })) }],
        },
        ...dimensions,
        ...Object.fromEntries(group.metrics.map(({ metric, value }) => [metric.name, value])),
      };
      counters.emf.documents++;
      counters.emf.bytes += Buffer.byteLength(JSON.stringify(document)) + 1;
      for (const { metric } of group.metrics) counters.metricSeries.add(JSON.stringify([metric.name, Object.entries(dimensions).sort()]));
    }
  }

  /** The counters now; `measured` adds what the runtime lists from the engines at this moment (storage). */
  snapshot(measured: { tableBytes: number | null; bytesStored: number | null } = { tableBytes: null, bytesStored: null }): MeterSnapshot {
    const takenAt = new Date();
    const business = this.business.read(this.initMs);
    const chaos = this.chaos.read(new Map());
    return {
      version: 1,
      startedAt: this.startedAt.toISOString(),
      takenAt: takenAt.toISOString(),
      elapsedSeconds: (takenAt.getTime() - this.startedAt.getTime()) / 1000,
      ...business,
      dynamodb: { ...business.dynamodb, tableBytes: measured.tableBytes },
      s3: { ...business.s3, bytesStored: measured.bytesStored },
      chaos: {
        injectedFailures: { ...this.injected },
        ...chaos,
        // Storage is the business's: the chaos bucket holds operations only.
        dynamodb: { ...chaos.dynamodb, tableBytes: null },
        s3: { ...chaos.s3, bytesStored: null },
      },
    };
  }
}

/**
 * Counts what function code writes to stdout and stderr (Powertools' logger, console) as that function's log bytes:
 * the runtime's own lines are written outside any function and are not counted. With `quiet`, a function's lines
 * are counted and not printed (a simulation measures INFO logging without flooding its terminal). Returns the undo.
 */
export function captureFunctionLogs(meter: Meter, currentFunction: () => FunctionKey | undefined, quiet: boolean): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index]!;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const key = currentFunction();
      if (key) {
        meter.functionLogged(key, compactLogBytes(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')));
        if (quiet) {
          const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
          callback?.();
          return true;
        }
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
  });
  return () => streams.forEach((stream, index) => (stream.write = originals[index]!));
}
