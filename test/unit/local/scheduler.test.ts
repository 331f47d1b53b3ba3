import { describe, expect, it, vi } from 'vitest';
import { firingsBetween, localHourToUtc, LocalScheduler, type ScheduledEvent } from '#local/scheduler';
import { schedules, type FunctionKey, type ScheduleSpec } from '#shared/topology';

const dunning: ScheduleSpec = { id: 'DailyDunning', function: 'runDunning', hourOfDay: 6, timezone: 'Europe/Berlin', description: 'test' };
const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const DAY_MS = 24 * 3600 * 1000;

/** The local wall-clock reading of an instant, e.g. `2026-03-29 06:00`. */
const localTime = (instant: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);

describe('firingsBetween', () => {
  it('given Berlin across the spring change (2026-03-29), when listing firings, then 06:00 local is 05:00Z before it and 04:00Z from that day on', () => {
    expect(iso(firingsBetween(dunning, at('2026-03-27T12:00:00Z'), at('2026-03-31T00:00:00Z')))).toEqual([
      '2026-03-28T05:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
      '2026-03-30T04:00:00.000Z',
    ]);
  });

  it('given Berlin across the autumn change (2026-10-25), when listing firings, then 06:00 local is 04:00Z before it and 05:00Z from that day on', () => {
    expect(iso(firingsBetween(dunning, at('2026-10-23T12:00:00Z'), at('2026-10-27T00:00:00Z')))).toEqual([
      '2026-10-24T04:00:00.000Z',
      '2026-10-25T05:00:00.000Z',
      '2026-10-26T05:00:00.000Z',
    ]);
  });

  it('given an interval of 0 days, when listing firings, then there are none, even at a firing instant', () => {
    expect(firingsBetween(dunning, at('2026-05-04T10:00:00Z'), at('2026-05-04T10:00:00Z'))).toEqual([]);
    expect(firingsBetween(dunning, at('2026-03-29T04:00:00Z'), at('2026-03-29T04:00:00Z'))).toEqual([]);
  });

  it('given an interval ending exactly at a firing, when listing firings, then it includes it (the end is inclusive)', () => {
    expect(iso(firingsBetween(dunning, at('2026-03-28T05:00:00Z'), at('2026-03-29T04:00:00Z')))).toEqual(['2026-03-29T04:00:00.000Z']);
  });

  it('given an interval starting exactly at a firing, when listing firings, then it leaves it out (the start is exclusive)', () => {
    expect(firingsBetween(dunning, at('2026-03-29T04:00:00Z'), at('2026-03-30T03:59:59.999Z'))).toEqual([]);
  });

  it('given an interval ending a millisecond before a firing, when listing firings, then that firing is not yet due', () => {
    expect(firingsBetween(dunning, at('2026-03-28T06:00:00Z'), at('2026-03-29T03:59:59.999Z'))).toEqual([]);
  });

  it('given 60 days, when listing firings, then there are 60, one per local date, each at 06:00 Berlin, in order', () => {
    const from = at('2026-02-15T09:30:00Z');
    const firings = firingsBetween(dunning, from, new Date(from.getTime() + 60 * DAY_MS));
    expect(firings).toHaveLength(60);
    for (const firing of firings) expect(localTime(firing, 'Europe/Berlin')).toMatch(/ 06:00$/);
    const dates = firings.map((firing) => localTime(firing, 'Europe/Berlin').slice(0, 10));
    expect(new Set(dates).size).toBe(60);
    expect(dates[0]).toBe('2026-02-16');
    expect(dates[59]).toBe('2026-04-16');
    for (let i = 1; i < firings.length; i += 1) expect(firings[i]!.getTime()).toBeGreaterThan(firings[i - 1]!.getTime());
  });

  it('given consecutive intervals, when listing each, then together they fire exactly as the whole (none twice, none missed)', () => {
    const points = ['2026-03-20T00:00:00Z', '2026-03-29T04:00:00Z', '2026-03-29T04:00:00Z', '2026-04-02T17:13:00Z', '2026-04-10T00:00:00Z'].map(at);
    const pieces = points.slice(1).flatMap((to, i) => firingsBetween(dunning, points[i]!, to));
    expect(iso(pieces)).toEqual(iso(firingsBetween(dunning, points[0]!, points.at(-1)!)));
    expect(pieces).toHaveLength(21);
  });

  it('given New York across its changes (2026-03-08, 2026-11-01), when listing firings, then 06:00 local moves between 11:00Z and 10:00Z', () => {
    const newYork = { ...dunning, timezone: 'America/New_York' };
    expect(iso(firingsBetween(newYork, at('2026-03-07T00:00:00Z'), at('2026-03-09T00:00:00Z')))).toEqual(['2026-03-07T11:00:00.000Z', '2026-03-08T10:00:00.000Z']);
    expect(iso(firingsBetween(newYork, at('2026-10-31T00:00:00Z'), at('2026-11-02T00:00:00Z')))).toEqual(['2026-10-31T10:00:00.000Z', '2026-11-01T11:00:00.000Z']);
  });

  it('given an hour the spring change skips (02:00 Berlin on 2026-03-29), when listing firings, then that day has none, as on Scheduler', () => {
    const twoAm = { ...dunning, hourOfDay: 2 };
    expect(iso(firingsBetween(twoAm, at('2026-03-27T12:00:00Z'), at('2026-03-30T12:00:00Z')))).toEqual(['2026-03-28T01:00:00.000Z', '2026-03-30T00:00:00.000Z']);
    expect(localHourToUtc({ year: 2026, month: 3, day: 29 }, 2, 'Europe/Berlin')).toBeUndefined();
  });

  it('given an hour the autumn change repeats (02:00 Berlin on 2026-10-25), when listing firings, then it fires once, at the first', () => {
    const twoAm = { ...dunning, hourOfDay: 2 };
    expect(iso(firingsBetween(twoAm, at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z')))).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-26T01:00:00.000Z']);
  });

  it('given midnight in a zone east of UTC, when listing firings, then the local date, not the UTC date, decides the day', () => {
    const midnight = { ...dunning, hourOfDay: 0 };
    expect(iso(firingsBetween(midnight, at('2026-06-30T21:00:00Z'), at('2026-07-02T21:00:00Z')))).toEqual(['2026-06-30T22:00:00.000Z', '2026-07-01T22:00:00.000Z']);
  });

  it('given an end before the start, an unknown time zone or an hour outside 0–23, when listing firings, then it refuses', () => {
    expect(() => firingsBetween(dunning, at('2026-03-02T00:00:00Z'), at('2026-03-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => firingsBetween({ ...dunning, timezone: 'Mars/Olympus_Mons' }, at('2026-03-01T00:00:00Z'), at('2026-03-02T00:00:00Z'))).toThrow(RangeError);
    expect(() => firingsBetween({ ...dunning, hourOfDay: 24 }, at('2026-03-01T00:00:00Z'), at('2026-03-02T00:00:00Z'))).toThrow(RangeError);
  });
});

/** An invoker that records each call's start and end; `fail` picks the calls that throw. */
function recordingInvoker(options: { fail?: (event: ScheduledEvent) => boolean; delayMs?: number } = {}) {
  const log: string[] = [];
  const calls: [FunctionKey, ScheduledEvent][] = [];
  const invoke = async (key: FunctionKey, event: ScheduledEvent) => {
    calls.push([key, event]);
    log.push(`start ${event.scheduledTime}`);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1));
    log.push(`end ${event.scheduledTime}`);
    if (options.fail?.(event)) throw new TypeError(`run of ${event.scheduledTime} broke`);
    return { ok: true };
  };
  return { invoke, log, calls };
}

describe('LocalScheduler', () => {
  it('given three days passing, when firing, then the function is invoked once per day with the schedule id and its scheduled time', async () => {
    const invoker = recordingInvoker();
    const results = await new LocalScheduler(invoker.invoke, { schedules: [dunning] }).fire(at('2026-03-27T12:00:00Z'), at('2026-03-30T12:00:00Z'));
    expect(invoker.calls).toEqual([
      ['runDunning', { schedule: 'DailyDunning', scheduledTime: '2026-03-28T05:00:00Z' }],
      ['runDunning', { schedule: 'DailyDunning', scheduledTime: '2026-03-29T04:00:00Z' }],
      ['runDunning', { schedule: 'DailyDunning', scheduledTime: '2026-03-30T04:00:00Z' }],
    ]);
    expect(results).toEqual(invoker.calls.map(([, event]) => ({ schedule: event.schedule, scheduledTime: event.scheduledTime })));
  });

  it("given several firings, when firing, then each run finishes before the next day's starts", async () => {
    const invoker = recordingInvoker({ delayMs: 5 });
    await new LocalScheduler(invoker.invoke, { schedules: [dunning] }).fire(at('2026-03-27T12:00:00Z'), at('2026-03-30T12:00:00Z'));
    expect(invoker.log).toEqual([
      'start 2026-03-28T05:00:00Z',
      'end 2026-03-28T05:00:00Z',
      'start 2026-03-29T04:00:00Z',
      'end 2026-03-29T04:00:00Z',
      'start 2026-03-30T04:00:00Z',
      'end 2026-03-30T04:00:00Z',
    ]);
  });

  it('given a run that throws, when firing, then its error is reported and the later days still run', async () => {
    const invoker = recordingInvoker({ fail: (event) => event.scheduledTime === '2026-03-29T04:00:00Z' });
    const results = await new LocalScheduler(invoker.invoke, { schedules: [dunning] }).fire(at('2026-03-27T12:00:00Z'), at('2026-03-30T12:00:00Z'));
    expect(results).toEqual([
      { schedule: 'DailyDunning', scheduledTime: '2026-03-28T05:00:00Z' },
      { schedule: 'DailyDunning', scheduledTime: '2026-03-29T04:00:00Z', error: 'TypeError: run of 2026-03-29T04:00:00Z broke' },
      { schedule: 'DailyDunning', scheduledTime: '2026-03-30T04:00:00Z' },
    ]);
    expect(invoker.calls).toHaveLength(3);
  });

  it('given a non-Error thrown, when firing, then it is reported as text', async () => {
    const results = await new LocalScheduler(() => Promise.reject('plain failure'), { schedules: [dunning] }).fire(at('2026-03-28T00:00:00Z'), at('2026-03-28T12:00:00Z'));
    expect(results).toEqual([{ schedule: 'DailyDunning', scheduledTime: '2026-03-28T05:00:00Z', error: 'plain failure' }]);
  });

  it('given two schedules, when firing, then their firings run in chronological order, and one due at the same instant in list order', async () => {
    const early: ScheduleSpec = { id: 'EarlyUtc', function: 'getOrder', hourOfDay: 4, timezone: 'UTC', description: 'test' };
    const twin: ScheduleSpec = { id: 'TwinOfDunning', function: 'getCustomer', hourOfDay: 5, timezone: 'Europe/London', description: 'test' };
    const invoker = recordingInvoker();
    // Summer: 06:00 Berlin = 04:00Z = 05:00 London; Berlin's run comes first because it is listed first.
    await new LocalScheduler(invoker.invoke, { schedules: [dunning, early, twin] }).fire(at('2026-06-01T00:00:00Z'), at('2026-06-02T12:00:00Z'));
    expect(invoker.calls.map(([key, event]) => `${event.scheduledTime} ${key}`)).toEqual([
      '2026-06-01T04:00:00Z runDunning',
      '2026-06-01T04:00:00Z getOrder',
      '2026-06-01T04:00:00Z getCustomer',
      '2026-06-02T04:00:00Z runDunning',
      '2026-06-02T04:00:00Z getOrder',
      '2026-06-02T04:00:00Z getCustomer',
    ]);
  });

  it('given an object with invoke (as LocalLambdas has), when firing, then it is called with the function key and event', async () => {
    const lambdas = { invoke: vi.fn(async () => undefined) };
    await new LocalScheduler(lambdas, { schedules: [dunning] }).fire(at('2026-03-28T00:00:00Z'), at('2026-03-28T12:00:00Z'));
    expect(lambdas.invoke).toHaveBeenCalledWith('runDunning', { schedule: 'DailyDunning', scheduledTime: '2026-03-28T05:00:00Z' });
  });

  it('given no schedules option, when a day passes, then each topology schedule fires its own function once', async () => {
    const invoker = recordingInvoker();
    await new LocalScheduler(invoker.invoke).fire(at('2026-03-28T00:00:00Z'), at('2026-03-29T00:00:00Z'));
    expect(invoker.calls.map(([key, event]) => [key, event.schedule])).toEqual(schedules.map((spec) => [spec.function, spec.id]));
  });

  it('given a beforeFiring hook, when firing, then it runs with each scheduled time before that run, and its error skips only that run', async () => {
    const order: string[] = [];
    const invoke = async (_key: FunctionKey, event: ScheduledEvent) => {
      order.push(`invoke ${event.scheduledTime}`);
    };
    const beforeFiring = ({ scheduledTime }: { scheduledTime: Date }) => {
      order.push(`before ${scheduledTime.toISOString()}`);
      if (scheduledTime.toISOString().startsWith('2026-03-29')) throw new Error('clock stuck');
    };
    const results = await new LocalScheduler(invoke, { schedules: [dunning], beforeFiring }).fire(at('2026-03-27T12:00:00Z'), at('2026-03-30T12:00:00Z'));
    expect(order).toEqual([
      'before 2026-03-28T05:00:00.000Z',
      'invoke 2026-03-28T05:00:00Z',
      'before 2026-03-29T04:00:00.000Z',
      'before 2026-03-30T04:00:00.000Z',
      'invoke 2026-03-30T04:00:00Z',
    ]);
    expect(results[1]).toEqual({ schedule: 'DailyDunning', scheduledTime: '2026-03-29T04:00:00Z', error: 'Error: clock stuck' });
  });

  it('given two overlapping calls to fire, when both run, then the second starts only after the first has finished', async () => {
    const invoker = recordingInvoker({ delayMs: 5 });
    const scheduler = new LocalScheduler(invoker.invoke, { schedules: [dunning] });
    await Promise.all([
      scheduler.fire(at('2026-03-27T12:00:00Z'), at('2026-03-29T12:00:00Z')),
      scheduler.fire(at('2026-03-29T12:00:00Z'), at('2026-03-30T12:00:00Z')),
    ]);
    expect(invoker.log).toEqual([
      'start 2026-03-28T05:00:00Z',
      'end 2026-03-28T05:00:00Z',
      'start 2026-03-29T04:00:00Z',
      'end 2026-03-29T04:00:00Z',
      'start 2026-03-30T04:00:00Z',
      'end 2026-03-30T04:00:00Z',
    ]);
  });

  it('given an end before the start, when firing, then it rejects and nothing runs, and the scheduler still fires afterwards', async () => {
    const invoker = recordingInvoker();
    const scheduler = new LocalScheduler(invoker.invoke, { schedules: [dunning] });
    await expect(scheduler.fire(at('2026-03-30T00:00:00Z'), at('2026-03-29T00:00:00Z'))).rejects.toThrow(RangeError);
    expect(invoker.calls).toEqual([]);
    expect(await scheduler.fire(at('2026-03-28T00:00:00Z'), at('2026-03-28T12:00:00Z'))).toHaveLength(1);
  });

  it('given a schedule with an unknown time zone, when constructing, then it refuses at once', () => {
    expect(() => new LocalScheduler(recordingInvoker().invoke, { schedules: [{ ...dunning, timezone: 'Nowhere/Town' }] })).toThrow(RangeError);
  });
});
