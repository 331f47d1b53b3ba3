import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OrderQueue } from '#domain/ports';
import { sqsSafeJson, sqsSafeText } from './sqs-body.ts';

export function sqsOrderQueue(client: SQSClient, queueUrl: string): OrderQueue {
  return {
    async enqueue(message) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: sqsSafeJson(message),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: message.kind },
            source: { DataType: 'String', StringValue: message.kind === 'order' ? message.order.source : message.source },
            deliveryId: { DataType: 'String', StringValue: sqsSafeText(message.deliveryId) },
          },
        }),
      );
    },
  };
}
