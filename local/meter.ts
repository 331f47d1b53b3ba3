import { AsyncLocalStorage } from 'node:async_hooks';
import { METER_ENV, METER_SINK, type MeteredCall, type MeterSink } from '#adapters/metering';
import { byDimensions, SERVICE_DIMENSION, METRICS_SERVICE, METRICS_NAMESPACE, type MetricPoint } from '#shared/metrics';
import { functions, stateMachines, type FunctionKey, type StateMachineKey } from '#shared/topology';
import { invocationTriggers, type FunctionMeter, type InvocationTrigger, type MeterSnapshot, type QueueMeter, type StateMachineMeter } from './meter-snapshot.ts';

/** What `infra/constructs/o2c-function.ts` deploys every function as (`Architecture.ARM_64`): it picks the GB-s price. */
export const FUNCTION_ARCHITECTURE = 'arm64' as const;
/** `infra/constructs/workflows.ts`: both workflows are Standard. */
const STATE_MACHINE_TYPE = 'STANDARD' as const;
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

/**
 * Counts every billable operation the embedded runtime performs (issue 14's cost report): Lambda invocations and
 * billed milliseconds, HTTP API requests, Step Functions transitions, DynamoDB capacity units, SQS, S3, SES,
 * Secrets Manager, log bytes and custom metrics. The handlers report their SDK requests through the sink it installs
 * (`#adapters/metering`); the runtime's glue reports the rest. In memory only: a restart starts from zero, so a
 * caller that kills the runtime on purpose reads `GET /_local/meter` first.
 */
export class Meter implements MeterSink {
  private startedAt = new Date();
  private lambdas = new Map<FunctionKey, LambdaCounters>();
  private machines = new Map<StateMachineKey, StateMachineMeter>();
  private api = { requests: 0, billedRequests: 0 };
  private dynamo = { calls: 0, readMilliUnits: 0, writeMilliUnits: 0, estimatedFailedWriteMilliUnits: 0 };
  private queues = new Map<string, QueueMeter>();
  private s3 = { putRequests: 0, getRequests: 0, bytesPut: 0 };
  private ses = { messages: 0, rawBytes: 0, attachmentBytes: 0 };
  private secrets = { reads: 0, calls: 0 };
  private secretFetchedAt = new Map<string, number>();
  private metricSeries = new Set<string>();
  private emf = { documents: 0, bytes: 0 };
  /** Import times survive a reset: a cold start happened once, when the runtime loaded the handlers. */
  private readonly initMs = new Map<FunctionKey, number>();

  /** Work done for no one's bill (`unmetered`): nothing it does is counted. */
  private readonly unbilled = new AsyncLocalStorage<true>();

  constructor(private readonly currentFunction: () => FunctionKey | undefined = () => undefined) {}

  /**
   * Runs `work` unmetered: every operation done on its behalf (asynchronously too: the invocation it makes, that
   * invocation's SDK requests, logs and metrics) is left out of the meter. For what a real business would not pay
   * for: the simulator's own probes (`X-O2C-Simulator-Probe`), the runtime's start-up.
   */
  unmetered<T>(work: () => T): T {
    return this.unbilled.run(true, work);
  }

  /** True inside {@link unmetered}. */
  private get off(): boolean {
    return this.unbilled.getStore() === true;
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
    this.lambdas.clear();
    this.machines.clear();
    this.api = { requests: 0, billedRequests: 0 };
    this.dynamo = { calls: 0, readMilliUnits: 0, writeMilliUnits: 0, estimatedFailedWriteMilliUnits: 0 };
    this.queues.clear();
    this.s3 = { putRequests: 0, getRequests: 0, bytesPut: 0 };
    this.ses = { messages: 0, rawBytes: 0, attachmentBytes: 0 };
    this.secrets = { reads: 0, calls: 0 };
    this.secretFetchedAt.clear();
    this.metricSeries.clear();
    this.emf = { documents: 0, bytes: 0 };
  }

  private lambda(key: FunctionKey): LambdaCounters {
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

  functionLoaded(key: FunctionKey, importMs: number): void {
    this.initMs.set(key, Math.ceil(importMs));
  }

  /** One invocation; Lambda rounds each duration up to the millisecond. */
  functionInvoked(key: FunctionKey, trigger: InvocationTrigger, durationMs: number, failed: boolean): void {
    if (this.off) return;
    const counters = this.lambda(key);
    counters.invocations++;
    counters.byTrigger[trigger]++;
    counters.billedMs += Math.max(1, Math.ceil(durationMs));
    if (failed) counters.errors++;
  }

  /** Bytes a function's code wrote to stdout or stderr during an invocation (CloudWatch Logs on AWS). */
  functionLogged(key: FunctionKey, bytes: number): void {
    if (this.off) return;
    this.lambda(key).logBytes += bytes;
  }

  apiRequest(requestBytes: number): void {
    if (this.off) return;
    this.api.requests++;
    this.api.billedRequests += Math.max(1, Math.ceil(requestBytes / API_CHUNK_BYTES));
  }

  private machine(key: StateMachineKey): StateMachineMeter {
    let counters = this.machines.get(key);
    if (!counters) {
      counters = { type: STATE_MACHINE_TYPE, executionsStarted: 0, stateTransitions: 0, historyEvents: 0, executionDataBytes: 0, durationMs: 0 };
      this.machines.set(key, counters);
    }
    return counters;
  }

  executionStarted(key: StateMachineKey): void {
    if (this.off) return;
    this.machine(key).executionsStarted++;
  }

  executionEnded(key: StateMachineKey, durationMs: number): void {
    if (this.off) return;
    this.machine(key).durationMs += Math.max(0, Math.round(durationMs));
  }

  /**
   * One event of aws-local-stepfunctions' execution log. A Standard workflow bills a transition for every state
   * entered and every retry; the execution history (what `ALL` logging writes) has an event per state entered and
   * exited, three more per Lambda task attempt (scheduled, started, succeeded or failed), and the execution's own.
   */
  executionEvent(key: StateMachineKey, event: { type: string; input?: unknown; output?: unknown; state?: { type?: string; input?: unknown; output?: unknown } }): void {
    if (this.off) return;
    const counters = this.machine(key);
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
        // Failed, caught, aborted: one event each, with a short error and cause.
        counters.historyEvents++;
    }
  }

  private queue(queueUrl: unknown): QueueMeter {
    const name = String(queueUrl ?? 'unknown').split('/').at(-1) ?? 'unknown';
    let counters = this.queues.get(name);
    if (!counters) {
      counters = { fifo: name.endsWith('.fifo'), billedRequests: 0, byOperation: {}, idlePolls: 0 };
      this.queues.set(name, counters);
    }
    return counters;
  }

  /** An SDK request: from a handler (through `#adapters/metering`) or from the runtime's glue. */
  call(call: MeteredCall, origin: CallOrigin = this.originOfHandlerCall()): void {
    if (this.off) return;
    switch (call.service) {
      case 'dynamodb':
        return this.dynamoCall(call, origin);
      case 'sqs':
        return this.sqsCall(call, origin);
      case 's3':
        return this.s3Call(call);
      case 'ses':
        return this.sesCall(call);
      case 'sfn':
        // StartExecution and DescribeExecution are not billed; the executions are, counted by the engine.
        return;
    }
  }

  private originOfHandlerCall(): CallOrigin {
    const key = this.currentFunction();
    return key ? { function: key } : undefined;
  }

  private dynamoCall(call: MeteredCall, origin: CallOrigin): void {
    this.dynamo.calls++;
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
      this.dynamo.estimatedFailedWriteMilliUnits += estimated;
    }
    if (call.output) readMilli = Math.max(readMilli, minimumReadMilliUnits(call));
    this.dynamo.readMilliUnits += readMilli;
    this.dynamo.writeMilliUnits += writeMilli;
    if (origin && 'function' in origin) {
      const counters = this.lambda(origin.function);
      counters.readMilliUnits += readMilli;
      counters.writeMilliUnits += writeMilli;
    }
  }

  private sqsCall(call: MeteredCall, origin: CallOrigin): void {
    if (call.error) return;
    const queue = this.queue(call.input.QueueUrl);
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
        billed = chunks(messages.reduce((sum, message) => sum + byteLength(message.Body), 0));
        break;
      }
    }
    queue.billedRequests += billed;
    queue.byOperation[call.operation] = (queue.byOperation[call.operation] ?? 0) + 1;
  }

  private s3Call(call: MeteredCall): void {
    if (S3_FREE.has(call.operation)) return;
    if (S3_PUT_CLASS.has(call.operation)) this.s3.putRequests++;
    else this.s3.getRequests++;
    if (call.operation === 'PutObject' && !call.error) this.s3.bytesPut += byteLength(call.input.Body) || Number(call.input.ContentLength ?? 0);
  }

  private sesCall(call: MeteredCall): void {
    if (call.error || call.operation !== 'SendEmail') return;
    const destination = (call.input.Destination ?? {}) as { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    // SES bills each recipient as one message.
    this.ses.messages += Math.max(1, (destination.ToAddresses?.length ?? 0) + (destination.CcAddresses?.length ?? 0) + (destination.BccAddresses?.length ?? 0));
    const raw = (call.input.Content as { Raw?: { Data?: Uint8Array | string } } | undefined)?.Raw?.Data;
    if (raw !== undefined) {
      const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
      this.ses.rawBytes += byteLength(raw);
      this.ses.attachmentBytes += attachmentBytes(text);
    }
  }

  /**
   * A secret read. On AWS the value is fetched from Secrets Manager when the function instance has none cached or
   * its copy is older than the cache time; modelled here as one warm instance per function (more instances under
   * concurrency fetch more).
   */
  secretRead(secret: string): void {
    if (this.off) return;
    this.secrets.reads++;
    const cacheKey = `${this.currentFunction() ?? 'runtime'}/${secret}`;
    const fetchedAt = this.secretFetchedAt.get(cacheKey);
    const now = Date.now();
    if (fetchedAt === undefined || now - fetchedAt > SECRET_CACHE_MS) {
      this.secrets.calls++;
      this.secretFetchedAt.set(cacheKey, now);
    }
  }

  /**
   * Business metrics recorded. Each distinct name and set of dimension values is one CloudWatch custom metric;
   * each group of values is one EMF document that Lambda also ingests as a log line (sized here as Powertools
   * would write it).
   */
  metricPoints(points: readonly MetricPoint[]): void {
    if (this.off) return;
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
      this.emf.documents++;
      this.emf.bytes += Buffer.byteLength(JSON.stringify(document)) + 1;
      for (const { metric } of group.metrics) this.metricSeries.add(JSON.stringify([metric.name, Object.entries(dimensions).sort()]));
    }
  }

  /** The counters now; `measured` adds what the runtime lists from the engines at this moment (storage). */
  snapshot(measured: { tableBytes: number | null; bytesStored: number | null } = { tableBytes: null, bytesStored: null }): MeterSnapshot {
    const takenAt = new Date();
    const fromMilli = (milli: number) => milli / 1000;
    const functionsMeter: Record<string, FunctionMeter> = {};
    for (const key of Object.keys(functions) as FunctionKey[]) {
      const counters = this.lambdas.get(key);
      const initMs = this.initMs.get(key) ?? 0;
      if (!counters && initMs === 0) continue;
      const { readMilliUnits, writeMilliUnits, ...rest } = counters ?? this.lambda(key);
      functionsMeter[key] = { ...rest, initMs, byTrigger: { ...rest.byTrigger }, readUnits: fromMilli(readMilliUnits), writeUnits: fromMilli(writeMilliUnits) };
    }
    const machinesMeter: Record<string, StateMachineMeter> = {};
    for (const key of Object.keys(stateMachines) as StateMachineKey[]) machinesMeter[key] = { ...this.machine(key) };
    return {
      version: 1,
      startedAt: this.startedAt.toISOString(),
      takenAt: takenAt.toISOString(),
      elapsedSeconds: (takenAt.getTime() - this.startedAt.getTime()) / 1000,
      lambda: { architecture: FUNCTION_ARCHITECTURE, functions: functionsMeter },
      apiGateway: { ...this.api },
      stepFunctions: { stateMachines: machinesMeter },
      dynamodb: {
        calls: this.dynamo.calls,
        readUnits: fromMilli(this.dynamo.readMilliUnits),
        writeUnits: fromMilli(this.dynamo.writeMilliUnits),
        estimatedFailedWriteUnits: fromMilli(this.dynamo.estimatedFailedWriteMilliUnits),
        tableBytes: measured.tableBytes,
      },
      sqs: { queues: Object.fromEntries([...this.queues].map(([name, queue]) => [name, { ...queue, byOperation: { ...queue.byOperation } }])) },
      s3: { ...this.s3, bytesStored: measured.bytesStored },
      ses: { ...this.ses },
      secretsManager: { ...this.secrets },
      cloudwatch: { metricSeries: this.metricSeries.size, emfDocuments: this.emf.documents, emfBytes: this.emf.bytes },
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
