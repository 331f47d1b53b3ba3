import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalRateSchedules } from '#local/rate-schedules';
import type { RateScheduleSpec } from '#shared/topology';

const relay: RateScheduleSpec = { id: 'OutboxRelay', function: 'relayOutbox', everyMinutes: 1, description: 'test' };

afterEach(() => {
  vi.useRealTimers();
});

describe('LocalRateSchedules', () => {
  it('given a rate schedule, when the runtime starts, then it fires once before start resolves, with the scheduled-event shape', async () => {
    const invoke = vi.fn(async () => ({ relayed: 0 }));
    const schedules = new LocalRateSchedules({ invoke }, [relay]);

    await schedules.start();

    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith('relayOutbox', { schedule: 'OutboxRelay', scheduledTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    await schedules.stop();
  });

  it('given a started schedule, when its period passes twice, then it fires twice more; after stop, never again', async () => {
    vi.useFakeTimers();
    const invoke = vi.fn(async () => undefined);
    const schedules = new LocalRateSchedules({ invoke }, [relay]);
    await schedules.start();

    await vi.advanceTimersByTimeAsync(2 * 60_000);
    await schedules.stop();
    await vi.advanceTimersByTimeAsync(5 * 60_000);

    expect(invoke).toHaveBeenCalledTimes(3);
  });

  it('given a firing that fails, when the next period comes, then it fires again and start does not throw', async () => {
    vi.useFakeTimers();
    const invoke = vi.fn().mockRejectedValueOnce(new Error('DynamoDB not ready')).mockResolvedValue(undefined);
    const schedules = new LocalRateSchedules({ invoke }, [relay]);

    await expect(schedules.start()).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(60_000);
    await schedules.stop();

    expect(invoke).toHaveBeenCalledTimes(2);
  });
});
