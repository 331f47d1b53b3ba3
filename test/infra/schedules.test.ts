import { beforeAll, describe, expect, it } from 'vitest';
import { dailyCron } from '../../infra/constructs/schedules.ts';
import { rateSchedules, schedules, type RateScheduleSpec, type ScheduleSpec } from '#shared/topology';
import { allowedActions, statementsOfRole, SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

/** EventBridge Scheduler's context attribute for the time a firing was due. */
const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

const resources = () => synthesized.template.toJSON().Resources as Record<string, CfnResource>;
const built = (spec: ScheduleSpec) => synthesized.stack.schedules.get(spec.id);
const resourceOf = (spec: ScheduleSpec) => resources()[synthesized.logicalId(built(spec).schedule)]!;
const targetOf = (spec: ScheduleSpec) => resourceOf(spec).Properties.Target as Record<string, unknown>;
const functionArn = (spec: ScheduleSpec) => ({ 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.functions.get(spec.function).function), 'Arn'] });
const queueArn = (spec: ScheduleSpec) => ({ 'Fn::GetAtt': [synthesized.logicalId(built(spec).deadLetterQueue), 'Arn'] });

describe('given the stack', () => {
  it('then it has one EventBridge Scheduler schedule per topology schedule, and nothing else schedules work', () => {
    const all = synthesized.template.findResources('AWS::Scheduler::Schedule');
    const expected = [...schedules.map((spec) => built(spec).schedule), ...rateSchedules.map((spec) => synthesized.stack.schedules.getRate(spec.id).schedule)];
    expect(Object.keys(all).sort()).toEqual(expected.map((schedule) => synthesized.logicalId(schedule)).sort());
    expect(Object.values(synthesized.template.findResources('AWS::Events::Rule')).filter((rule) => rule.Properties.ScheduleExpression)).toEqual([]);
  });
});

describe.each(schedules.map((spec) => [spec.id, spec] as const))('given the %s schedule', (_id, spec) => {
  it('then it fires once a day at the topology hour, in the topology time zone', () => {
    expect(resourceOf(spec).Properties).toMatchObject({
      ScheduleExpression: `cron(0 ${spec.hourOfDay} * * ? *)`,
      ScheduleExpressionTimezone: spec.timezone,
      State: 'ENABLED',
      Description: spec.description,
    });
  });

  it('then it fires on time, with no flexible time window', () => {
    expect(resourceOf(spec).Properties.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
  });

  it("then it invokes the topology function with the schedule id and Scheduler's scheduled time", () => {
    const target = targetOf(spec);
    expect(target.Arn).toEqual(functionArn(spec));
    expect(JSON.parse(target.Input as string)).toEqual({ schedule: spec.id, scheduledTime: SCHEDULED_TIME });
  });

  it('then a delivery that fails is retried twice within an hour, then dead-lettered', () => {
    const target = targetOf(spec);
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: queueArn(spec) });
  });

  it('then its dead-letter queue is encrypted with SSE-SQS and keeps messages for 14 days', () => {
    expect(resources()[synthesized.logicalId(built(spec).deadLetterQueue)]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('then an alarm notifies the alarm topic as soon as its dead-letter queue holds a message', () => {
    const queueName = { 'Fn::GetAtt': [synthesized.logicalId(built(spec).deadLetterQueue), 'QueueName'] };
    const alarms = Object.values(synthesized.template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => JSON.stringify(alarm.Properties.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: queueName }]),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: synthesized.logicalId(synthesized.stack.observability.alarmTopic) }],
    });
  });

  it('then it runs with its own role', () => {
    expect(targetOf(spec).RoleArn).toEqual({ 'Fn::GetAtt': [synthesized.logicalId(built(spec).role), 'Arn'] });
  });

  it('then its role may only invoke that function (no version or alias wildcard) and send to its dead-letter queue', () => {
    const statements = statementsOfRole(synthesized.template, synthesized.logicalId(built(spec).role));
    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(allowedActions(statements).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: functionArn(spec) });
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn(spec) });
    const role = resources()[synthesized.logicalId(built(spec).role)]!.Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });

  it("then only EventBridge Scheduler may assume its role, for this account's schedules in O2C's schedule group", () => {
    const groupId = synthesized.logicalId(synthesized.stack.schedules.group);
    const role = resources()[synthesized.logicalId(built(spec).role)]!.Properties;
    expect(role.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] } } },
        },
      ],
    });
    expect(resourceOf(spec).Properties.GroupName).toEqual(resources()[groupId]!.Properties.Name);
  });
});

describe.each(rateSchedules.map((spec) => [spec.id, spec] as const))('given the %s rate schedule', (_id, spec: RateScheduleSpec) => {
  const builtRate = () => synthesized.stack.schedules.getRate(spec.id);
  const properties = () => resources()[synthesized.logicalId(builtRate().schedule)]!.Properties;
  const rateFunctionArn = () => ({ 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.functions.get(spec.function).function), 'Arn'] });

  it('then it fires at its rate, on time, in the O2C schedule group', () => {
    expect(properties()).toMatchObject({ ScheduleExpression: `rate(${spec.everyMinutes} minute${spec.everyMinutes === 1 ? '' : 's'})`, State: 'ENABLED', FlexibleTimeWindow: { Mode: 'OFF' } });
  });

  it('then it invokes its function with the scheduled-event input, and a firing older than its period is dropped rather than dead-lettered', () => {
    const target = properties().Target as Record<string, unknown>;
    expect(target.Arn).toEqual(rateFunctionArn());
    expect(JSON.parse(target.Input as string)).toEqual({ schedule: spec.id, scheduledTime: SCHEDULED_TIME });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: Math.max(60, spec.everyMinutes * 60) });
    expect(target.DeadLetterConfig).toBeUndefined();
  });

  it('then its role may only invoke that function', () => {
    const statements = statementsOfRole(synthesized.template, synthesized.logicalId(builtRate().role));
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: rateFunctionArn() }]);
  });
});

describe('given a schedule hour', () => {
  it('when it is a whole hour of the day, then the cron fires at minute 0 of it every day', () => {
    expect(dailyCron({ hourOfDay: 0 })).toBe('cron(0 0 * * ? *)');
    expect(dailyCron({ hourOfDay: 23 })).toBe('cron(0 23 * * ? *)');
  });

  it('when it is outside 0–23 or not whole, then no cron is made', () => {
    for (const hourOfDay of [-1, 24, 6.5]) expect(() => dailyCron({ hourOfDay })).toThrow(/hourOfDay/);
  });
});
