import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumers, queues, type QueueKey } from '#shared/topology';
import { SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

const queueKeys = Object.keys(queues) as QueueKey[];

describe.each(queueKeys)('given the %s queue of the topology', (key) => {
  const spec = queues[key];
  const queueOf = () => synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.intake.queues[key])];
  const deadLetterQueueId = () => synthesized.logicalId(synthesized.stack.intake.deadLetterQueues[key]);

  it('then it moves a message to its dead-letter queue after the topology maxReceiveCount', () => {
    expect(queueOf().Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] },
      maxReceiveCount: spec.maxReceiveCount,
    });
  });

  it('then its visibility timeout and retention follow the topology', () => {
    expect(queueOf().Properties).toMatchObject({
      VisibilityTimeout: spec.visibilityTimeoutSeconds,
      MessageRetentionPeriod: spec.retentionDays * 24 * 3600,
    });
  });

  it('then its dead-letter queue keeps messages for the SQS maximum of 14 days', () => {
    const deadLetterQueue = synthesized.template.toJSON().Resources[deadLetterQueueId()];
    expect(deadLetterQueue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('then an alarm fires as soon as its dead-letter queue holds a message', () => {
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId(), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: synthesized.logicalId(synthesized.stack.observability.alarmTopic) }],
    });
  });

  it('then its URL is a stack output', () => {
    synthesized.template.hasOutput(`${spec.id}Url`, { Value: { Ref: synthesized.logicalId(synthesized.stack.intake.queues[key]) } });
  });
});

describe('given every queue in the stack', () => {
  it('then each has a dead-letter queue or is one', () => {
    const all = synthesized.template.findResources('AWS::SQS::Queue');
    const deadLetterTargets = new Set(
      Object.values(all).flatMap((queue) => {
        const target = queue.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
        return target ? [target as string] : [];
      }),
    );
    const asyncFailures = synthesized.stack.functions.asyncFailuresQueue;
    const functionDeadLetterQueues = new Set(asyncFailures ? [synthesized.logicalId(asyncFailures)] : []);
    // EventBridge Scheduler's dead-letter queues are named by the schedules, not by a redrive policy.
    const scheduleDeadLetterQueues = new Set(
      Object.values(synthesized.template.findResources('AWS::Scheduler::Schedule')).flatMap((schedule) => {
        const target = schedule.Properties.Target?.DeadLetterConfig?.Arn?.['Fn::GetAtt']?.[0];
        return target ? [target as string] : [];
      }),
    );
    for (const [logicalId, queue] of Object.entries(all)) {
      const covered =
        queue.Properties.RedrivePolicy !== undefined ||
        deadLetterTargets.has(logicalId) ||
        functionDeadLetterQueues.has(logicalId) ||
        scheduleDeadLetterQueues.has(logicalId);
      expect(covered, `${logicalId} has no dead-letter queue`).toBe(true);
    }
  });

  it('then each is encrypted with SQS-managed keys', () => {
    for (const queue of Object.values(synthesized.template.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('then each denies requests that do not use TLS', () => {
    for (const logicalId of Object.keys(synthesized.template.findResources('AWS::SQS::Queue'))) {
      synthesized.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe.each(consumers.map((consumer) => [`${consumer.queue} → ${consumer.function}`, consumer] as const))(
  'given the consumer %s',
  (_name, consumer) => {
    const mappingOf = () => {
      const functionId = synthesized.logicalId(synthesized.stack.functions.get(consumer.function).function);
      const mappings = Object.values(synthesized.template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: { Ref: functionId } },
      }));
      expect(mappings).toHaveLength(1);
      return mappings[0]!.Properties;
    };

    it('then its event source mapping reads the topology queue', () => {
      expect(mappingOf().EventSourceArn).toEqual({
        'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.intake.queues[consumer.queue]), 'Arn'],
      });
    });

    it('then it uses the topology batch size and batching window (none on a FIFO queue, which takes none)', () => {
      const mapping = mappingOf() as Record<string, unknown>;
      expect(mapping.BatchSize).toBe(consumer.batchSize);
      if (consumer.maxBatchingWindowSeconds > 0) expect(mapping.MaximumBatchingWindowInSeconds).toBe(consumer.maxBatchingWindowSeconds);
      else expect(mapping.MaximumBatchingWindowInSeconds).toBeUndefined();
    });
  },
);

describe('given every event source mapping in the stack', () => {
  it('then each reports batch item failures', () => {
    const mappings = Object.values(synthesized.template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(consumers.length);
    for (const mapping of mappings) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });
});
