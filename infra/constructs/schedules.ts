import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput, TimeWindow, type IScheduleTarget, type ISchedule, type ScheduleTargetConfig } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { rateSchedules as rateScheduleSpecs, schedules as scheduleSpecs, type RateScheduleSpec, type ScheduleSpec } from '#shared/topology';
import { pascalCase } from '../naming.ts';
import type { Functions } from './functions.ts';

/** Deliveries Scheduler retries when invoking the function fails (throttling, a service error), before the DLQ. */
export const SCHEDULE_RETRY_ATTEMPTS = 2;
/** A daily run that could not be delivered within an hour goes to the dead-letter queue rather than run late. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);
/** Undelivered firings are kept for the SQS maximum, so an operator has two weeks to look and re-run them. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * EventBridge Scheduler's cron for "once a day at `hourOfDay`:00"; the time zone is a separate property, so the
 * hour stays local and daylight saving moves with it.
 */
export function dailyCron(spec: Pick<ScheduleSpec, 'hourOfDay'>): string {
  if (!Number.isInteger(spec.hourOfDay) || spec.hourOfDay < 0 || spec.hourOfDay > 23) {
    throw new Error(`hourOfDay must be a whole hour from 0 to 23, not ${spec.hourOfDay}`);
  }
  return `cron(0 ${spec.hourOfDay} * * ? *)`;
}

/** The event every scheduled function receives; Scheduler fills in the firing's time (e.g. `2026-03-29T04:00:00Z`). */
export function scheduledEventInput(spec: Pick<ScheduleSpec, 'id'>): Record<string, string> {
  return { schedule: spec.id, scheduledTime: ContextAttribute.scheduledTime };
}

/** A rate schedule's firing that cannot be delivered within its period is dropped: the next one does the same work. */
const rateRetryPolicy = (spec: RateScheduleSpec) => ({ maximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, maximumEventAgeInSeconds: Math.max(60, spec.everyMinutes * 60) });

/** The parts of one topology rate schedule. */
export interface BuiltRateSchedule {
  readonly spec: RateScheduleSpec;
  readonly schedule: Schedule;
  readonly role: Role;
}

/** The parts of one topology schedule, for the stack's alarms and for tests. */
export interface BuiltSchedule {
  readonly spec: ScheduleSpec;
  readonly schedule: Schedule;
  /** The role Scheduler assumes to invoke the function: `lambda:InvokeFunction` on it and `sqs:SendMessage` to the DLQ. */
  readonly role: Role;
  /** Firings Scheduler could not deliver after its retries. */
  readonly deadLetterQueue: Queue;
}

export interface SchedulesProps {
  readonly functions: Functions;
}

/**
 * The topology's time-driven work (`schedules`): one EventBridge Scheduler schedule per entry, firing once a day
 * at a local hour in the entry's IANA time zone, exactly on time (no flexible window), invoking its function with
 * `{"schedule": id, "scheduledTime": <the firing's time>}`. Locally, `local/scheduler.ts` fires the same entries
 * from the simulated clock.
 *
 * The schedules live in a schedule group of their own, so each execution role trusts only O2C's schedules. A
 * failed delivery is retried a few times within an hour, then kept in the schedule's dead-letter queue (whose
 * depth the stack alarms on). Scheduler invokes Lambda asynchronously: a run that fails inside the function is
 * retried by Lambda and ends in the functions' async-failures queue, not here.
 */
export class Schedules extends Construct {
  readonly group: ScheduleGroup;
  private readonly byId: Record<string, BuiltSchedule> = {};
  private readonly rateById: Record<string, BuiltRateSchedule> = {};

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', {
      // Deleting a group deletes its schedules; they are configuration, rebuilt by the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const spec of scheduleSpecs) {
      if (this.byId[spec.id]) throw new Error(`Schedule ${spec.id} appears twice in the topology`);
      this.byId[spec.id] = this.build(spec, props.functions.get(spec.function).function);
    }
    for (const spec of rateScheduleSpecs) {
      if (this.byId[spec.id] || this.rateById[spec.id]) throw new Error(`Schedule ${spec.id} appears twice in the topology`);
      this.rateById[spec.id] = this.buildRate(spec, props.functions.get(spec.function).function);
    }
  }

  /** The rate schedule built for a topology rate schedule id. */
  getRate(id: string): BuiltRateSchedule {
    const built = this.rateById[id];
    if (!built) throw new Error(`No rate schedule ${id} in the topology`);
    return built;
  }

  /** The schedule built for a topology schedule id. */
  get(id: string): BuiltSchedule {
    const built = this.byId[id];
    if (!built) throw new Error(`No schedule ${id} in the topology`);
    return built;
  }

  /** Every schedule, in topology order. */
  all(): BuiltSchedule[] {
    return Object.values(this.byId);
  }

  /** The dead-letter queues by a name for their alarms, e.g. `DailyDunningSchedule`. */
  get deadLetterQueues(): Readonly<Record<string, Queue>> {
    return Object.fromEntries(this.all().map((built) => [`${built.spec.id}Schedule`, built.deadLetterQueue]));
  }

  private build(spec: ScheduleSpec, fn: IFunction): BuiltSchedule {
    const scope = new Construct(this, pascalCase(spec.id));

    const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: `This is the dead-letter queue of the ${spec.id} schedule (firings Scheduler could not deliver); its depth is alarmed and an operator re-runs the day by hand, so it needs no redrive of its own.`,
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue: EventBridge Scheduler's for the ${spec.id} schedule, named in the schedule's DeadLetterConfig rather than in another queue's redrive policy, which is all this rule looks for.`,
    });

    const role = this.invokerRole(scope, `EventBridge Scheduler role of the ${spec.id} schedule: invokes ${spec.function} and dead-letters undeliverable firings`, fn);
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetterQueue.queueArn] }));

    const schedule = new Schedule(scope, 'Schedule', {
      description: spec.description,
      scheduleGroup: this.group,
      schedule: ScheduleExpression.expression(dailyCron(spec), TimeZone.of(spec.timezone)),
      timeWindow: TimeWindow.off(),
      target: new InvokeFunction(fn, role, deadLetterQueue, ScheduleTargetInput.fromObject(scheduledEventInput(spec)), {
        maximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE.toSeconds(),
      }),
    });
    return { spec, schedule, role, deadLetterQueue };
  }

  /**
   * A rate schedule needs no dead-letter queue: a firing that cannot be delivered is dropped, and the next one, a
   * period later, does the same work. A run that fails inside the function ends in the async-failures queue.
   */
  private buildRate(spec: RateScheduleSpec, fn: IFunction): BuiltRateSchedule {
    const scope = new Construct(this, pascalCase(spec.id));
    const role = this.invokerRole(scope, `EventBridge Scheduler role of the ${spec.id} schedule: invokes ${spec.function}`, fn);
    const schedule = new Schedule(scope, 'Schedule', {
      description: spec.description,
      scheduleGroup: this.group,
      schedule: ScheduleExpression.rate(Duration.minutes(spec.everyMinutes)),
      timeWindow: TimeWindow.off(),
      target: new InvokeFunction(fn, role, undefined, ScheduleTargetInput.fromObject(scheduledEventInput(spec)), rateRetryPolicy(spec)),
    });
    return { spec, schedule, role };
  }

  /** Scheduler assumes the role only for schedules of this account in O2C's own group (confused-deputy guard). */
  private invokerRole(scope: Construct, description: string, fn: IFunction): Role {
    const role = new Role(scope, 'Role', {
      description,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account, 'aws:SourceArn': this.group.scheduleGroupArn } },
      }),
    });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
    return role;
  }
}

/**
 * Invokes one function with our role. `aws-scheduler-targets`' LambdaInvoke would add `grantInvoke`, which also
 * allows every version and alias (`<arn>:*`); our schedules call the unqualified function only, so the role gets
 * exactly that ARN.
 */
class InvokeFunction implements IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    private readonly role: Role,
    private readonly deadLetterQueue: Queue | undefined,
    private readonly input: ScheduleTargetInput,
    private readonly retryPolicy: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number },
  ) {}

  bind(_schedule: ISchedule): ScheduleTargetConfig {
    return {
      arn: this.fn.functionArn,
      role: this.role,
      input: this.input,
      ...(this.deadLetterQueue ? { deadLetterConfig: { arn: this.deadLetterQueue.queueArn } } : {}),
      retryPolicy: this.retryPolicy,
    };
  }
}
