import { Duration, Names, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { consumers, functions as functionSpecs, queues as queueSpecs, type QueueKey } from '#shared/topology';
import type { Functions } from './functions.ts';

/** Messages in a dead-letter queue are kept for the SQS maximum, so an operator has two weeks to redrive them. */
const DEAD_LETTER_RETENTION = Duration.days(14);

export interface IntakeProps {
  readonly functions: Functions;
}

/**
 * The work queues of the topology, each with its dead-letter queue, and the Lambda consumers that drain them.
 *
 * Consumers report partial batch failures, so one bad message is retried (and eventually dead-lettered) alone
 * instead of the whole batch.
 */
export class Intake extends Construct {
  readonly queues: Readonly<Record<QueueKey, Queue>>;
  readonly deadLetterQueues: Readonly<Record<QueueKey, Queue>>;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    const queues = {} as Record<QueueKey, Queue>;
    const deadLetterQueues = {} as Record<QueueKey, Queue>;

    for (const key of Object.keys(queueSpecs) as QueueKey[]) {
      const spec = queueSpecs[key];
      const fifo = 'fifo' in spec && spec.fifo === true;
      // A FIFO queue's dead-letter queue must be FIFO too; content-based deduplication absorbs redelivered sends.
      const fifoProps = fifo ? { fifo: true, contentBasedDeduplication: true } : {};
      const deadLetterQueue = new Queue(this, `${spec.id}Dlq`, {
        ...fifoProps,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: DEAD_LETTER_RETENTION,
      });
      Validations.of(deadLetterQueue).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason: `This is the dead-letter queue of the ${key} queue; its depth is alarmed and an operator redrives it, so it needs no redrive of its own.`,
      });
      deadLetterQueues[key] = deadLetterQueue;
      queues[key] = new Queue(this, spec.id, {
        ...fifoProps,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
    }

    for (const consumer of consumers) {
      const queue = queues[consumer.queue];
      const fn = props.functions.get(consumer.function).function;
      const timeoutSeconds = functionSpecs[consumer.function].timeoutSeconds;
      if (queueSpecs[consumer.queue].visibilityTimeoutSeconds < timeoutSeconds) {
        throw new Error(`Queue ${consumer.queue} must stay invisible at least as long as ${consumer.function} may run`);
      }
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: consumer.batchSize,
          ...(consumer.maxBatchingWindowSeconds > 0 ? { maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds) } : {}),
          reportBatchItemFailures: true,
        }),
      );
      // SqsEventSource names its mapping after the queue; findChild fails loudly if that ever changes.
      const mapping = fn.node.findChild(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`);
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "SQS event source mappings cannot have an on-failure destination; a message that keeps failing moves to the queue's dead-letter queue after maxReceiveCount receives.",
      });
    }

    this.queues = queues;
    this.deadLetterQueues = deadLetterQueues;
  }
}
