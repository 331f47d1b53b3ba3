import { createHash } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { maybeInjectFailure, sqsBatchInvocation } from './chaos.ts';
import { runtimeLog } from './runtime-log.ts';
import { consumers, type ConsumerSpec } from '#shared/topology';
import type { LocalLambdas } from './lambda-runtime.ts';
import type { Meter } from './meter.ts';
import { LOCAL_REGION } from './lambda-runtime.ts';
import type { SqsJournal } from './engines/sqs-journal.ts';

export interface QueueAddress {
  url: string;
  arn: string;
}

function toRecord(message: Message, queue: QueueAddress): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? 'String', stringValue: value.StringValue, stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? createHash('md5').update(message.Body ?? '').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: LOCAL_REGION,
  };
}

/**
 * The SQS → Lambda event source mapping: long-polls each consumer's queue, hands the batch to the handler as a
 * real `SQSEvent`, deletes what succeeded and leaves reported failures (or the whole batch, if the handler throws)
 * to reappear after the visibility timeout, until the queue's redrive policy moves them to the DLQ.
 */
export class SqsPollers {
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = 0;

  constructor(
    private readonly client: SQSClient,
    private readonly lambdas: LocalLambdas,
    private readonly queues: Record<string, QueueAddress>,
    private readonly journal?: SqsJournal | undefined,
    private readonly meter?: Meter | undefined,
  ) {}

  start(): void {
    this.running = true;
    this.loops = consumers.map((consumer) => this.poll(consumer));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled(this.loops);
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async poll(consumer: ConsumerSpec): Promise<void> {
    const queue = this.queues[consumer.queue]!;
    while (this.running) {
      try {
        const { Messages = [] } = await this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: consumer.batchSize,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) continue;
        this.inFlight++;
        try {
          await this.deliver(consumer, queue, Messages);
        } finally {
          this.inFlight--;
        }
      } catch (error) {
        if (this.running) runtimeLog.warn('local SQS poll failed', { queue: consumer.queue, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async deliver(consumer: ConsumerSpec, queue: QueueAddress, messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, queue)) };
    let failed: Set<string>;
    try {
      // Keyed by what the batch holds and how often it was received: the same batch fails the same way in every run.
      maybeInjectFailure(consumer.function, sqsBatchInvocation(event.Records.map((record) => ({ body: record.body, receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1 }))), () =>
        this.meter?.injectedFailure(consumer.function, 'sqs', { queueUrl: queue.url, bodies: messages.map((message) => message.Body ?? '') }),
      );
      const response = (await this.lambdas.invoke(consumer.function, event, 'sqs')) as SQSBatchResponse | undefined;
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      runtimeLog.warn('consumer threw; the whole batch returns to the queue', { function: consumer.function, error: (error as Error).message });
      return;
    }
    const done = messages.filter((message) => !failed.has(message.MessageId!));
    if (done.length === 0) return;
    await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
      }),
    );
    this.journal?.deleted(done.map((message) => message.MessageId!));
  }
}
