import { describe, expect, it } from 'vitest';
import type { MeterSnapshot } from '../../../local/meter-snapshot.ts';
import { addMeterSnapshots } from '../../../local/simulate/meter-sum.ts';

const reading = (invocations: number, takenAt: string, tableBytes: number): MeterSnapshot => ({
  version: 1,
  startedAt: takenAt,
  takenAt,
  elapsedSeconds: 10,
  lambda: { architecture: 'arm64', functions: { intakeOrders: { memoryMb: 512, invocations, errors: 0, billedMs: invocations * 100, initMs: 50, byTrigger: { api: 0, sqs: invocations, stepFunctions: 0, schedule: 0, rateSchedule: 0, local: 0 }, logBytes: 0, readUnits: 1.5, writeUnits: 2 } } },
  apiGateway: { requests: invocations, billedRequests: invocations },
  stepFunctions: { stateMachines: { order: { type: 'STANDARD', logLevel: 'ALL', executionsStarted: 1, stateTransitions: 9, historyEvents: 20, executionDataBytes: 100, errorEvents: 0, errorDataBytes: 0, durationMs: 50 } } },
  dynamodb: { calls: 3, readUnits: 0.5, writeUnits: 4, estimatedFailedWriteUnits: 0, tableBytes },
  sqs: { queues: { orders: { fifo: false, billedRequests: 2, byOperation: { SendMessage: 2 }, idlePolls: 7 } } },
  s3: { putRequests: 1, getRequests: 1, bytesPut: 10, bytesStored: tableBytes },
  ses: { messages: 1, rawBytes: 100, attachmentBytes: 50 },
  secretsManager: { reads: 1, calls: 1 },
  cloudwatch: { metricSeries: 4, emfDocuments: 1, emfBytes: 10 },
});

describe('meter readings across a restart', () => {
  it('given two readings, when added, then counts add, memory and sizes are the later reading, and the run starts at the first', () => {
    const total = addMeterSnapshots(reading(3, '2026-12-01T00:00:00Z', 1_000), reading(5, '2026-12-02T00:00:00Z', 3_000));

    expect(total.lambda.functions.intakeOrders).toMatchObject({ memoryMb: 512, invocations: 8, billedMs: 800, readUnits: 3, byTrigger: { sqs: 8 } });
    expect(total.stepFunctions.stateMachines.order).toMatchObject({ type: 'STANDARD', stateTransitions: 18 });
    expect(total.dynamodb).toMatchObject({ writeUnits: 8, tableBytes: 3_000 });
    expect(total.cloudwatch.metricSeries).toBe(4);
    expect([total.startedAt, total.takenAt, total.elapsedSeconds]).toEqual(['2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', 20]);
  });

  it('given readings with chaos buckets, or one from before there were any, when added, then the buckets add up like the rest', () => {
    const withChaos = (invocations: number, takenAt: string, injected: Record<string, number>): MeterSnapshot => {
      const base = reading(invocations, takenAt, 1_000);
      const { version: _version, startedAt: _startedAt, takenAt: _takenAt, elapsedSeconds: _elapsed, ...counters } = reading(invocations, takenAt, 0);
      return { ...base, chaos: { ...counters, dynamodb: { ...counters.dynamodb, tableBytes: null }, s3: { ...counters.s3, bytesStored: null }, injectedFailures: injected } };
    };

    const total = addMeterSnapshots(withChaos(2, '2026-12-01T00:00:00Z', { intakeOrders: 2 }), withChaos(1, '2026-12-02T00:00:00Z', { intakeOrders: 1, validateOrder: 4 }));
    const fromOld = addMeterSnapshots(reading(3, '2026-12-01T00:00:00Z', 1_000), withChaos(1, '2026-12-02T00:00:00Z', { validateOrder: 4 }));

    expect(total.chaos).toMatchObject({ injectedFailures: { intakeOrders: 3, validateOrder: 4 }, apiGateway: { requests: 3 }, dynamodb: { tableBytes: null } });
    expect(total.chaos!.lambda.functions.intakeOrders).toMatchObject({ invocations: 3, memoryMb: 512 });
    expect(total.lambda.functions.intakeOrders!.invocations).toBe(3);
    expect(fromOld.chaos).toMatchObject({ injectedFailures: { validateOrder: 4 }, apiGateway: { requests: 1 } });
    expect(fromOld.lambda.functions.intakeOrders!.invocations).toBe(4);
  });
});
