import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OrderQueue } from '#domain/ports';

export function sqsOrderQueue(client: SQSClient, queueUrl: string): OrderQueue {
  return {
    async enqueue(message) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: message.kind },
            source: { DataType: 'String', StringValue: message.kind === 'order' ? message.order.source : message.source },
            deliveryId: { DataType: 'String', StringValue: message.deliveryId },
          },
        }),
      );
    },
  };
}
