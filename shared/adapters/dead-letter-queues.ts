import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetterMessage, DeadLetterQueue, RedriveOutcome } from '#domain/dead-letters';
import { Conflict } from '#domain/errors';
import type { DeadLetterReader, DeadLetterRedriver } from '#domain/use-cases/dead-letters';

/**
 * How a redrive moves messages. `message-move-task` is SQS's own StartMessageMoveTask (AWS). `receive-send-delete`
 * is for engines without it (fauxqs locally): each message is sent to the source queue and only then deleted from
 * the dead-letter queue, so a crash in between leaves a copy in both, never in neither (SQS's at-least-once).
 */
export type RedriveMode = 'message-move-task' | 'receive-send-delete';

/** A dead-letter queue with its URL and, when it can be redriven, the URL of its source queue. */
export interface DeadLetterQueueAddress {
  queue: DeadLetterQueue;
  url: string;
  sourceUrl?: string | undefined;
}

/** How long a local redrive keeps moving before it answers `PARTIAL` (the function's timeout is 30 s). */
const LOCAL_MOVE_BUDGET_MS = 20_000;
/** Messages taken by the local move stay invisible this long: ample for one send and one delete. */
const LOCAL_MOVE_VISIBILITY_SECONDS = 60;

export function sqsDeadLetters(client: SQSClient, addresses: readonly DeadLetterQueueAddress[], mode: RedriveMode, clock: () => number = Date.now): DeadLetterReader & DeadLetterRedriver {
  const byName = new Map(addresses.map((address) => [address.queue.name, address]));
  const addressOf = (name: string) => {
    const address = byName.get(name);
    if (!address) throw new Error(`dead-letter queue ${name} has no URL in this function's configuration`);
    return address;
  };

  return {
    queues: addresses.map((address) => address.queue),

    async count(name) {
      const { Attributes = {} } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: addressOf(name).url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    },

    /** A receive with no visibility timeout: the messages stay visible (their receive count goes up by one). */
    async peek(name, max) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({ QueueUrl: addressOf(name).url, MaxNumberOfMessages: Math.min(Math.max(max, 1), 10), VisibilityTimeout: 0, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'] }),
      );
      return Messages.map(toDeadLetterMessage);
    },

    async redrive(name, destination) {
      const address = addressOf(name);
      if (mode === 'message-move-task') return startMoveTask(client, address, destination);
      if (!address.sourceUrl) throw new Error(`dead-letter queue ${name} has no source queue URL in this function's configuration`);
      return receiveSendDelete(client, address as Required<DeadLetterQueueAddress>, destination, clock);
    },
  };
}

function toDeadLetterMessage(message: Message): DeadLetterMessage {
  const sent = Number(message.Attributes?.SentTimestamp);
  const receives = Number(message.Attributes?.ApproximateReceiveCount);
  return { messageId: message.MessageId!, sentTimestamp: Number.isFinite(sent) ? sent : undefined, receiveCount: Number.isFinite(receives) ? receives : undefined, body: message.Body ?? '' };
}

/** SQS moves the messages itself, back to the queue each came from; one task per queue at a time. */
async function startMoveTask(client: SQSClient, address: DeadLetterQueueAddress, destination: string): Promise<RedriveOutcome> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: address.url, AttributeNames: ['QueueArn'] }));
  const sourceArn = Attributes!.QueueArn!;
  const { Results = [] } = await client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }));
  if (Results[0]?.Status === 'RUNNING') throw new Conflict(`a redrive of ${address.queue.name} is already running`);
  // No DestinationArn: SQS sends each message back to the queue whose redrive policy dead-lettered it.
  const { TaskHandle } = await client.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn }));
  return { queue: address.queue.name, destination, mode: 'message-move-task', status: 'RUNNING', taskHandle: TaskHandle! };
}

/**
 * Receive a batch (hidden meanwhile), send it to the source queue, delete from the dead-letter queue only what was
 * sent. A FIFO message keeps its group, and its deduplication id is derived from its dead-letter message id, so a
 * retried move is deduplicated and a body seen recently is still not taken for a duplicate.
 */
async function receiveSendDelete(client: SQSClient, address: Required<DeadLetterQueueAddress>, destination: string, clock: () => number): Promise<RedriveOutcome> {
  const fifo = address.sourceUrl.endsWith('.fifo');
  const deadline = clock() + LOCAL_MOVE_BUDGET_MS;
  let moved = 0;
  let failed = 0;
  let exhausted = false;
  while (clock() < deadline) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: address.url, MaxNumberOfMessages: 10, VisibilityTimeout: LOCAL_MOVE_VISIBILITY_SECONDS, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) {
      exhausted = true;
      break;
    }
    const entries = Messages.map((message, index) => ({
      Id: String(index),
      MessageBody: message.Body ?? '',
      MessageAttributes: message.MessageAttributes,
      ...(fifo ? { MessageGroupId: message.Attributes?.MessageGroupId ?? 'redrive', MessageDeduplicationId: `redrive-${message.MessageId!}` } : {}),
    }));
    const { Successful = [], Failed = [] } = await client.send(new SendMessageBatchCommand({ QueueUrl: address.sourceUrl, Entries: entries }));
    if (Successful.length > 0) {
      const { Failed: notDeleted = [] } = await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: address.url, Entries: Successful.map((sent) => ({ Id: sent.Id, ReceiptHandle: Messages[Number(sent.Id)]!.ReceiptHandle! })) }),
      );
      // A message sent but not deleted reappears in the dead-letter queue: a duplicate, never a loss.
      moved += Successful.length - notDeleted.length;
      failed += notDeleted.length;
    }
    // What could not be sent stays in the dead-letter queue (visible again after the timeout); stop rather than spin.
    failed += Failed.length;
    if (Failed.length > 0) break;
  }
  return { queue: address.queue.name, destination, mode: 'receive-send-delete', status: exhausted && failed === 0 ? 'COMPLETED' : 'PARTIAL', moved, failed };
}
