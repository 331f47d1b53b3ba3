import { schedules as topologySchedules, type FunctionKey, type ScheduleSpec } from '#shared/topology';
import { runtimeLog } from './runtime-log.ts';

/**
 * EventBridge Scheduler, locally: which daily firings of the topology's schedules fall in a stretch of simulated
 * time, and invoking their functions one after another with the event Scheduler sends,
 * `{"schedule": id, "scheduledTime": "2026-03-29T04:00:00Z"}`.
 *
 * Daylight saving follows Scheduler's documented rules: the hour is local to the schedule's IANA time zone; a
 * local time that does not exist on a day (clocks jump over it) fires not at all that day, and one that happens
 * twice (clocks go back) fires once, at the first.
 */

/** The event a scheduled function receives (the schedule target's input on AWS). */
export interface ScheduledEvent {
  schedule: string;
  /** ISO 8601 UTC, seconds precision, as Scheduler's `<aws.scheduler.scheduled-time>` renders it. */
  scheduledTime: string;
}

/** One firing's outcome; `error` is set when the function threw (later firings still run). */
export interface FiringResult {
  schedule: string;
  scheduledTime: string;
  error?: string;
}

/** Invokes a function with an event: `LocalLambdas` itself, or any `(key, event) => Promise`. */
export type FunctionInvoker =
  | ((key: FunctionKey, event: ScheduledEvent) => Promise<unknown>)
  | { invoke(key: FunctionKey, event: ScheduledEvent): Promise<unknown> };

export interface LocalSchedulerOptions {
  /** Default: the topology's schedules. */
  schedules?: readonly ScheduleSpec[];
  /**
   * Awaited before each firing's function is invoked, e.g. to move the business clock to `scheduledTime` so the
   * function sees the day it runs for. An error here is that firing's error; the function is then not invoked.
   */
  beforeFiring?: (firing: { spec: ScheduleSpec; scheduledTime: Date }) => unknown;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** Formatters are costly to build; one per time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for a time zone the runtime does not know.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading in `timeZone` at an instant (whole seconds). */
function wallTimeAt(instantMs: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instantMs))
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<keyof WallTime, number>;
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The wall-clock reading as if it were UTC, in milliseconds: comparable across zones and offsets. */
const wallAsUtc = (wall: WallTime) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/** How far `timeZone` is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instantMs: number, timeZone: string): number {
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return wallAsUtc(wallTimeAt(wholeSeconds, timeZone)) - wholeSeconds;
}

/**
 * The UTC instant at which the wall clock in `timeZone` reads `hour`:00 on a calendar date, or undefined when it
 * never does (the hour is skipped by a daylight-saving jump). When it reads it twice, the first.
 */
export function localHourToUtc(date: { year: number; month: number; day: number }, hour: number, timeZone: string): Date | undefined {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour);
  // Zones change offset at most once around a day: the offsets a day before and after (and at the wall time
  // read as UTC) include every offset in force at that wall time.
  const offsets = new Set([offsetAt(wall - DAY_MS, timeZone), offsetAt(wall, timeZone), offsetAt(wall + DAY_MS, timeZone)]);
  const candidates = [...offsets].map((offset) => wall - offset).filter((instant) => wallAsUtc(wallTimeAt(instant, timeZone)) === wall);
  if (candidates.length === 0) return undefined;
  return new Date(Math.min(...candidates));
}

function assertValidSpec(spec: ScheduleSpec): void {
  if (!Number.isInteger(spec.hourOfDay) || spec.hourOfDay < 0 || spec.hourOfDay > 23) {
    throw new RangeError(`schedule ${spec.id}: hourOfDay must be a whole hour from 0 to 23, not ${spec.hourOfDay}`);
  }
  formatterFor(spec.timezone);
}

/**
 * The firings of a daily schedule in `(from, to]`, in order: one per calendar date (in the schedule's time zone)
 * at `hourOfDay`:00 local time. `from` is exclusive and `to` inclusive, so consecutive intervals never fire
 * twice or miss one. An empty interval (`to` = `from`) has none; `to` before `from` is a RangeError.
 */
export function firingsBetween(schedule: ScheduleSpec, from: Date, to: Date): Date[] {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError('firingsBetween needs valid dates');
  if (toMs < fromMs) throw new RangeError(`firingsBetween: ${to.toISOString()} is before ${from.toISOString()}`);
  assertValidSpec(schedule);
  if (toMs === fromMs) return [];

  const firings: Date[] = [];
  const first = wallTimeAt(fromMs, schedule.timezone);
  const last = wallTimeAt(toMs, schedule.timezone);
  const lastDate = Date.UTC(last.year, last.month - 1, last.day);
  // Walk the local calendar dates from the one `from` falls on to the one `to` falls on.
  for (let date = Date.UTC(first.year, first.month - 1, first.day); date <= lastDate; date += DAY_MS) {
    const day = new Date(date);
    const firing = localHourToUtc({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, schedule.hourOfDay, schedule.timezone);
    if (firing && firing.getTime() > fromMs && firing.getTime() <= toMs) firings.push(firing);
  }
  return firings;
}

/** `2026-03-29T04:00:00Z`: Scheduler's rendering of its scheduled time (no milliseconds). */
export const scheduledTimeText = (instant: Date): string => instant.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Fires the topology's schedules over stretches of simulated time. Calls of {@link LocalScheduler.fire} run one
 * after another, never interleaved, so two clock moves cannot run two days' dunning at once.
 */
export class LocalScheduler {
  private readonly schedules: readonly ScheduleSpec[];
  private readonly invoke: (key: FunctionKey, event: ScheduledEvent) => Promise<unknown>;
  private readonly beforeFiring?: LocalSchedulerOptions['beforeFiring'];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(invoker: FunctionInvoker, options: LocalSchedulerOptions = {}) {
    this.invoke = typeof invoker === 'function' ? invoker : (key, event) => invoker.invoke(key, event);
    this.schedules = options.schedules ?? topologySchedules;
    this.beforeFiring = options.beforeFiring;
    for (const spec of this.schedules) assertValidSpec(spec);
  }

  /**
   * Invokes each schedule's function once per firing in `(from, to]`, in chronological order (schedules due at the
   * same instant in topology order), awaiting each before the next. A firing whose function throws is reported
   * with its error and the rest still run. Resolves with every firing, in the order run.
   */
  fire(from: Date, to: Date): Promise<FiringResult[]> {
    const run = this.queue.then(() => this.runAll(from, to));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runAll(from: Date, to: Date): Promise<FiringResult[]> {
    // An invalid interval rejects here, before anything runs.
    const firings = this.schedules
      .flatMap((spec, order) => firingsBetween(spec, from, to).map((at) => ({ spec, at, order })))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
    const results: FiringResult[] = [];
    for (const { spec, at } of firings) {
      const scheduledTime = scheduledTimeText(at);
      try {
        await this.beforeFiring?.({ spec, scheduledTime: at });
        await this.invoke(spec.function, { schedule: spec.id, scheduledTime });
        runtimeLog.info('schedule fired', { schedule: spec.id, function: spec.function, scheduledTime });
        results.push({ schedule: spec.id, scheduledTime });
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        runtimeLog.warn('scheduled function failed', { schedule: spec.id, function: spec.function, scheduledTime, error: message });
        results.push({ schedule: spec.id, scheduledTime, error: message });
      }
    }
    return results;
  }
}
