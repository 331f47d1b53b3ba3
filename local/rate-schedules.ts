import { rateSchedules as topologyRateSchedules, type FunctionKey, type RateScheduleSpec } from '#shared/topology';
import { runtimeLog } from './runtime-log.ts';

type Invoker = { invoke(key: FunctionKey, event: unknown): Promise<unknown> };

/**
 * EventBridge Scheduler's `rate(n minutes)` schedules, locally, in real time: each fires once when the runtime starts
 * (so what a crash left behind is picked up at once) and then every `everyMinutes`, with the same event as on AWS.
 * A firing that fails is logged and the next one tries again, as a dropped firing would be on AWS.
 */
export class LocalRateSchedules {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly lambdas: Invoker,
    private readonly specs: readonly RateScheduleSpec[] = topologyRateSchedules,
  ) {}

  /** Fires every schedule once and waits for those firings; then keeps firing them at their rate. */
  async start(): Promise<void> {
    await Promise.all(this.specs.map((spec) => this.fire(spec)));
    for (const spec of this.specs) {
      const timer = setInterval(() => void this.fire(spec), spec.everyMinutes * 60_000);
      timer.unref();
      this.timers.push(timer);
    }
  }

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private async fire(spec: RateScheduleSpec): Promise<void> {
    const firing = this.lambdas.invoke(spec.function, { schedule: spec.id, scheduledTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
    this.inFlight.add(firing);
    try {
      await firing;
    } catch (error) {
      runtimeLog.warn('a rate schedule firing failed; the next one tries again', { schedule: spec.id, error: (error as Error).message });
    } finally {
      this.inFlight.delete(firing);
    }
  }
}
