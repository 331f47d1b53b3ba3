import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sqsDeadLetters, type DeadLetterQueueAddress } from '#adapters/dead-letter-queues';

const sqs = mockClient(SQSClient);
beforeEach(() => sqs.reset());

const orders: DeadLetterQueueAddress = {
  queue: { name: 'orders-dlq', source: { kind: 'queue', queue: 'orders' }, redrive: { queue: 'orders' } },
  url: 'http://sqs/000/o2c-orders-dlq',
  sourceUrl: 'http://sqs/000/o2c-orders',
};
const invoicing: DeadLetterQueueAddress = {
  queue: { name: 'invoicing-dlq', source: { kind: 'queue', queue: 'invoicing' }, redrive: { queue: 'invoicing' } },
  url: 'http://sqs/000/o2c-invoicing-dlq.fifo',
  sourceUrl: 'http://sqs/000/o2c-invoicing.fifo',
};

describe('counting and peeking', () => {
  it('given visible, in-flight and delayed messages, when counted, then all of them are', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '0' } });

    await expect(sqsDeadLetters(new SQSClient({}), [orders], 'message-move-task').count('orders-dlq')).resolves.toBe(3);
  });

  it('given messages, when peeked, then they are received with no visibility timeout, so they stay visible', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm1', Body: '{}', Attributes: { SentTimestamp: '1767225600000', ApproximateReceiveCount: '7' } }] });

    const messages = await sqsDeadLetters(new SQSClient({}), [orders], 'message-move-task').peek('orders-dlq', 10);

    expect(messages).toEqual([{ messageId: 'm1', sentTimestamp: 1767225600000, receiveCount: 7, body: '{}' }]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ QueueUrl: orders.url, VisibilityTimeout: 0, MaxNumberOfMessages: 10 });
  });
});

describe('redrive by SQS message move task (AWS)', () => {
  it('given no move task running, when redriven, then one is started from the DLQ with no destination, so each message goes back where it came from', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: 'arn:aws:sqs:eu-central-1:1:orders-dlq' } });
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'COMPLETED' }] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });

    const outcome = await sqsDeadLetters(new SQSClient({}), [orders], 'message-move-task').redrive('orders-dlq', 'orders');

    expect(outcome).toEqual({ queue: 'orders-dlq', destination: 'orders', mode: 'message-move-task', status: 'RUNNING', taskHandle: 'task-1' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({ SourceArn: 'arn:aws:sqs:eu-central-1:1:orders-dlq' });
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it('given a move task already running, when redriven, then 409 and no second task', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: 'arn' } });
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'RUNNING' }] });

    await expect(sqsDeadLetters(new SQSClient({}), [orders], 'message-move-task').redrive('orders-dlq', 'orders')).rejects.toMatchObject({ name: 'Conflict' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });
});

describe('redrive by receive, send, delete (local engine)', () => {
  it('given two batches, when redriven, then each message is sent to the source queue with its attributes and only then deleted from the DLQ', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'r1', Body: 'a', MessageAttributes: { traceId: { DataType: 'String', StringValue: 't' } } }] })
      .resolvesOnce({ Messages: [{ MessageId: 'm2', ReceiptHandle: 'r2', Body: 'b' }] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: `new-${entry.Id}` })), Failed: [] }));
    sqs.on(DeleteMessageBatchCommand).resolves({ Failed: [] });

    const outcome = await sqsDeadLetters(new SQSClient({}), [orders], 'receive-send-delete').redrive('orders-dlq', 'orders');

    expect(outcome).toEqual({ queue: 'orders-dlq', destination: 'orders', mode: 'receive-send-delete', status: 'COMPLETED', moved: 2, failed: 0 });
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input).toEqual({ QueueUrl: orders.sourceUrl, Entries: [{ Id: '0', MessageBody: 'a', MessageAttributes: { traceId: { DataType: 'String', StringValue: 't' } } }] });
    expect(sqs.commandCalls(DeleteMessageBatchCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: orders.url, Entries: [{ Id: '0', ReceiptHandle: 'r1' }] },
      { QueueUrl: orders.url, Entries: [{ Id: '0', ReceiptHandle: 'r2' }] },
    ]);
    const sentBeforeDeleted = sqs.calls().map((call) => call.args[0].constructor.name).filter((name) => name !== 'ReceiveMessageCommand');
    expect(sentBeforeDeleted).toEqual(['SendMessageBatchCommand', 'DeleteMessageBatchCommand', 'SendMessageBatchCommand', 'DeleteMessageBatchCommand']);
  });

  it('given a send that fails for one message, when redriven, then that message is not deleted (it stays in the DLQ) and the redrive is PARTIAL', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'r1', Body: 'a' }, { MessageId: 'm2', ReceiptHandle: 'r2', Body: 'b' }] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '1', MessageId: 'n2', MD5OfMessageBody: '' }], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    sqs.on(DeleteMessageBatchCommand).resolves({ Failed: [] });

    const outcome = await sqsDeadLetters(new SQSClient({}), [orders], 'receive-send-delete').redrive('orders-dlq', 'orders');

    expect(outcome).toMatchObject({ status: 'PARTIAL', moved: 1, failed: 1 });
    expect(sqs.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input.Entries).toEqual([{ Id: '1', ReceiptHandle: 'r2' }]);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
  });

  it('given a FIFO queue, when redriven, then each message keeps its group and is deduplicated by its DLQ message id, not its body', async () => {
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'r1', Body: 'same', Attributes: { MessageGroupId: 'invoicing' } }] }).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'n1', MD5OfMessageBody: '' }] });
    sqs.on(DeleteMessageBatchCommand).resolves({});

    await sqsDeadLetters(new SQSClient({}), [invoicing], 'receive-send-delete').redrive('invoicing-dlq', 'invoicing');

    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries).toEqual([{ Id: '0', MessageBody: 'same', MessageGroupId: 'invoicing', MessageDeduplicationId: 'redrive-m1' }]);
  });

  it('given a DLQ that keeps filling, when the time budget runs out, then it answers PARTIAL rather than time out', async () => {
    let now = 0;
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      now += 5_000;
      return { Messages: [{ MessageId: `m${now}`, ReceiptHandle: `r${now}`, Body: 'x' }] };
    });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'n', MD5OfMessageBody: '' }] });
    sqs.on(DeleteMessageBatchCommand).resolves({});

    const outcome = await sqsDeadLetters(new SQSClient({}), [orders], 'receive-send-delete', () => now).redrive('orders-dlq', 'orders');

    expect(outcome).toMatchObject({ status: 'PARTIAL', moved: 4, failed: 0 });
  });
});
