import { describe, expect, it } from 'vitest';
import { costReport, deployedInventory, linePico } from '../../../local/simulate/cost.ts';
import { PRICE_LIST, prices, usdToPico } from '../../../local/simulate/prices.ts';
import { MeterSnapshot, type FunctionMeter } from '../../../local/meter-snapshot.ts';

/** A snapshot of a runtime that did nothing, to which each test adds what it prices. */
function emptySnapshot(): MeterSnapshot {
  const machine = { type: 'STANDARD' as const, logLevel: 'ALL' as const, executionsStarted: 0, stateTransitions: 0, historyEvents: 0, executionDataBytes: 0, errorEvents: 0, errorDataBytes: 0, durationMs: 0 };
  return MeterSnapshot.parse({
    version: 1,
    startedAt: '2026-12-02T00:00:00.000Z',
    takenAt: '2026-12-02T01:00:00.000Z',
    elapsedSeconds: 3600,
    lambda: { architecture: 'arm64', functions: {} },
    apiGateway: { requests: 0, billedRequests: 0 },
    stepFunctions: { stateMachines: { order: { ...machine }, billing: { ...machine } } },
    dynamodb: { calls: 0, readUnits: 0, writeUnits: 0, estimatedFailedWriteUnits: 0, tableBytes: null },
    sqs: { queues: {} },
    s3: { putRequests: 0, getRequests: 0, bytesPut: 0, bytesStored: null },
    ses: { messages: 0, rawBytes: 0, attachmentBytes: 0 },
    secretsManager: { reads: 0, calls: 0 },
    cloudwatch: { metricSeries: 0, emfDocuments: 0, emfBytes: 0 },
  });
}

function functionMeter(overrides: Partial<FunctionMeter>): FunctionMeter {
  return { memoryMb: 256, invocations: 0, errors: 0, billedMs: 0, initMs: 0, byTrigger: { api: 0, sqs: 0, stepFunctions: 0, schedule: 0, rateSchedule: 0, local: 0 }, logBytes: 0, readUnits: 0, writeUnits: 0, ...overrides };
}

const line = (report: ReturnType<typeof costReport>, item: string) => report.byService.find((candidate) => candidate.item === item);
const nanos = (usd: number) => Math.round(usd * 1e9);

describe('price table', () => {
  it('given list prices as decimal strings, when parsed, then they are exact integer pico-dollars', () => {
    expect(usdToPico(prices.lambdaGbSecondArm64.usd)).toBe(13_333_400n);
    expect(usdToPico(prices.stepFunctionsStandardTransitions.usd)).toBe(25_000_000_000n);
    expect(usdToPico('0.0004')).toBe(400_000_000n);
    expect(() => usdToPico('1e-5')).toThrow();
    expect(() => usdToPico('0.0000000000001')).toThrow();
  });

  it('given the price table, when read, then it names its date, source and region', () => {
    expect(PRICE_LIST).toMatchObject({ region: 'us-east-1', asLastChecked: '2026-12-02' });
    expect(PRICE_LIST.source).toContain('aws-cost-model.md');
  });
});

describe('cost report', () => {
  it('given 1,000 orders of 9 order and 3 billing transitions, when priced, then Standard transitions cost $0.30 per 1,000 orders (12,000 × $0.025 / 1,000)', () => {
    const snapshot = emptySnapshot();
    snapshot.stepFunctions.stateMachines.order!.stateTransitions = 9_000;
    snapshot.stepFunctions.stateMachines.billing!.stateTransitions = 3_000;

    const report = costReport({ snapshot, orders: 1_000 });

    expect(line(report, 'Standard state transitions')).toMatchObject({ service: 'Step Functions', quantity: 12_000, usd: 0.3, usdPerThousandOrders: 0.3 });
    expect(report.perThousandOrdersUsd).toBe(0.3);
  });

  it('given 1,000 orders as Express executions (an order and a billing execution each, 1.5 s apiece), when priced, then $0.002 of requests and 187.5 GB-s at 64 MB: $0.005125625 per 1,000 orders', () => {
    const snapshot = emptySnapshot();
    for (const key of ['order', 'billing'] as const)
      Object.assign(snapshot.stepFunctions.stateMachines[key]!, { type: 'EXPRESS', logLevel: 'ERROR', executionsStarted: 1_000, stateTransitions: 9_000, durationMs: 1_500_000 });

    const report = costReport({ snapshot, orders: 1_000 });

    expect(line(report, 'Standard state transitions')).toBeUndefined();
    expect(line(report, 'Express requests')).toMatchObject({ quantity: 2_000, usd: 0.002 });
    expect(line(report, 'Express duration')).toMatchObject({ quantity: 187.5, usd: 0.003125625 });
    expect(report.perThousandOrdersUsd).toBe(0.005125625);
  });

  it('given an ERROR log level, when priced, then only the failure events and their data are logged, not the whole history', () => {
    const snapshot = emptySnapshot();
    Object.assign(snapshot.stepFunctions.stateMachines.order!, { logLevel: 'ERROR', historyEvents: 100_000, executionDataBytes: 50_000_000, errorEvents: 4_000, errorDataBytes: 1_000_000_000 - 4_000 * 250 });

    const report = costReport({ snapshot, orders: 1_000 });

    // 4,000 × 250 B envelopes + their data = 10⁹ B = 0.931 GB at $0.50.
    expect(line(report, 'Step Functions execution log (ERROR, ALL, with data)')?.usd).toBeCloseTo((1e9 / 2 ** 30) * 0.5, 9);
  });

  it('given 1,000 webhook invocations of 100 ms at 256 MB on arm64, when priced, then 25 GB-s cost $0.000333335 and the requests $0.0002', () => {
    const snapshot = emptySnapshot();
    // 1,000 × 0.25 GB × 0.1 s = 25 GB-s; 25 × $0.0000133334 = $0.000333335.
    snapshot.lambda.functions.webhookOrders = functionMeter({ invocations: 1_000, billedMs: 100_000, byTrigger: { api: 1_000, sqs: 0, stepFunctions: 0, schedule: 0, rateSchedule: 0, local: 0 } });

    const report = costReport({ snapshot, orders: 1_000 });

    expect(line(report, 'duration (arm64, configured memory)')).toMatchObject({ quantity: 25, usd: 0.000333335 });
    expect(line(report, 'requests')).toMatchObject({ quantity: 1_000, usd: 0.0002 });
    // The stack's sampling rule records one request in twenty as a trace, at $5 per million.
    expect(line(report, 'traces recorded')).toMatchObject({ quantity: 50, usd: 0.00025 });
    // 650 B of platform lines per invocation: 650,000 B / 2³⁰ × $0.50 = $0.00030267984 → $0.000302680 to the nano-dollar.
    expect(line(report, 'Lambda platform lines')?.usd).toBe(0.00030268);
  });

  it('given 333 orders, when lines are priced per 1,000 orders, then the total is exactly the sum of the lines shown', () => {
    const snapshot = emptySnapshot();
    snapshot.stepFunctions.stateMachines.order!.stateTransitions = 2_997;
    snapshot.dynamodb.readUnits = 1_234.5;
    snapshot.dynamodb.writeUnits = 4_321;
    snapshot.dynamodb.estimatedFailedWriteUnits = 7;
    snapshot.apiGateway.billedRequests = 667;
    snapshot.ses = { messages: 333, rawBytes: 99_000_000, attachmentBytes: 98_765_432 };
    snapshot.sqs.queues = { 'o2c-orders': { fifo: false, billedRequests: 1_001, byOperation: {}, idlePolls: 50_000 }, 'o2c-invoicing.fifo': { fifo: true, billedRequests: 999, byOperation: {}, idlePolls: 0 } };

    const report = costReport({ snapshot, orders: 333 });

    expect(nanos(report.perThousandOrdersUsd)).toBe(report.byService.reduce((sum, entry) => sum + nanos(entry.usdPerThousandOrders), 0));
    // Refused writes are billed too; idle polls are not (they are a monthly item).
    expect(line(report, 'write request units')?.quantity).toBe(4_328);
    expect(line(report, 'standard requests')?.quantity).toBe(1_001);
    expect(line(report, 'FIFO requests')).toMatchObject({ quantity: 999, usd: 0.0004995 });
  });

  it('given the outbox relay fired by its rate schedule, when priced, then it is a monthly item of 43,800 firings and not a cost per order', () => {
    const snapshot = emptySnapshot();
    snapshot.lambda.functions.relayOutbox = functionMeter({ invocations: 10, billedMs: 200, readUnits: 5, byTrigger: { api: 0, sqs: 0, stepFunctions: 0, schedule: 0, rateSchedule: 10, local: 0 } });
    snapshot.dynamodb.readUnits = 5;

    const report = costReport({ snapshot, orders: 10 });

    expect(report.byService).toEqual([]);
    expect(report.perThousandOrdersUsd).toBe(0);
    const relay = (item: string) => report.fixedMonthly.find((entry) => entry.item === `OutboxRelay schedule${item}`);
    expect(relay(' (rate 1 min): Scheduler invocations')).toMatchObject({ quantity: 43_800, usd: 0.0438 });
    // 0.5 read units per firing × 43,800 = 21,900 units × $0.125 / M.
    expect(relay(': DynamoDB read units')).toMatchObject({ quantity: 21_900, usd: 0.0027375 });
  });

  it('given the deployed inventory and storage, when priced, then the fixed monthly items are apart and add up', () => {
    const snapshot = emptySnapshot();
    snapshot.s3.bytesStored = 2 ** 30;
    snapshot.dynamodb.tableBytes = 2 ** 29;
    snapshot.cloudwatch.metricSeries = 4;

    const report = costReport({ snapshot, orders: 1, inventory: { dashboards: 1, alarms: 10, secrets: 3 } });

    const item = (name: string) => report.fixedMonthly.find((entry) => entry.item.startsWith(name))?.usd;
    expect(item('CloudWatch dashboard')).toBe(3);
    expect(item('CloudWatch alarms')).toBe(1);
    expect(item('CloudWatch custom metrics')).toBe(1.2);
    expect(item('Secrets Manager secrets')).toBe(1.2);
    expect(item('S3 storage')).toBe(0.023);
    expect(item('DynamoDB storage')).toBe(0.125);
    // Two standard and one FIFO queue with a consumer, 15 receives a minute each for 43,800 minutes.
    expect(item('SQS event source mappings polling (standard')).toBe(0.5256);
    expect(item('SQS event source mappings polling (FIFO')).toBe(0.3285);
    expect(nanos(report.fixedMonthlyUsd)).toBe(report.fixedMonthly.reduce((sum, entry) => sum + nanos(entry.usd), 0));
  });

  it('given a chaos bucket, when priced, then its overhead is shown apart and the per-1,000-orders figure is the business\'s alone', () => {
    const snapshot = emptySnapshot();
    snapshot.stepFunctions.stateMachines.order!.stateTransitions = 9_000;
    const { version: _version, startedAt: _startedAt, takenAt: _takenAt, elapsedSeconds: _elapsed, chaos: _chaos, ...counters } = structuredClone(snapshot);
    snapshot.chaos = { ...counters, injectedFailures: { validateOrder: 30 } };
    snapshot.chaos.stepFunctions.stateMachines.order!.stateTransitions = 30;
    snapshot.chaos.lambda.functions.validateOrder = functionMeter({ invocations: 30, errors: 30, billedMs: 30, byTrigger: { api: 0, sqs: 0, stepFunctions: 30, schedule: 0, rateSchedule: 0, local: 0 } });

    const report = costReport({ snapshot, orders: 1_000 });

    expect(report.perThousandOrdersUsd).toBe(0.225);
    expect(report.byService.map((entry) => entry.item)).toEqual(['Standard state transitions']);
    expect(report.chaosOverhead).toMatchObject({ injectedFailures: 30 });
    // 30 retry transitions × $0.025 / 1,000 = $0.00075; 30 Lambda requests × $0.20 / M = $0.000006; 30 ms at 256 MB.
    expect(report.chaosOverhead!.byService.find((entry) => entry.item === 'Standard state transitions')).toMatchObject({ quantity: 30, usd: 0.00075 });
    expect(report.chaosOverhead!.byService.find((entry) => entry.item === 'requests')).toMatchObject({ quantity: 30, usd: 0.000006 });
    expect(nanos(report.chaosOverhead!.usdPerThousandOrders)).toBe(report.chaosOverhead!.byService.reduce((sum, entry) => sum + nanos(entry.usdPerThousandOrders), 0));
  });

  it('given a snapshot without a chaos bucket or with an empty one, when priced, then there is no chaos overhead', () => {
    const snapshot = emptySnapshot();
    expect(costReport({ snapshot, orders: 1 }).chaosOverhead).toBeNull();
    const { version: _version, startedAt: _startedAt, takenAt: _takenAt, elapsedSeconds: _elapsed, chaos: _chaos, ...counters } = structuredClone(snapshot);
    expect(costReport({ snapshot: { ...snapshot, chaos: { ...counters, injectedFailures: {} } }, orders: 1 }).chaosOverhead).toBeNull();
  });

  it('given no orders, when priced, then the report refuses rather than divide by zero', () => {
    expect(() => costReport({ snapshot: emptySnapshot(), orders: 0 })).toThrow(RangeError);
  });

  it('given the topology, when the inventory is counted, then every function, queue, dead-letter queue and workflow has an alarm', () => {
    expect(deployedInventory()).toMatchObject({ dashboards: 1, secrets: 3 });
    expect(deployedInventory().alarms).toBeGreaterThan(40);
  });

  it('given a fraction of a pico-dollar, when a line is priced, then it rounds half up once', () => {
    // 1 read unit at $0.125 per million = 125,000 pico; 1/3 of it = 41,666.67 → 41,667.
    expect(linePico({ numerator: 1n, denominator: 3n }, prices.dynamodbReadUnits)).toBe(41_667n);
  });
});
