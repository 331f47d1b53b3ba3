import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { InvoicingQueue } from '#domain/ports';
import { sqsSafeJson } from './sqs-body.ts';

/**
 * One message group for all invoices: FIFO delivers them one batch at a time, so numbers are taken one after
 * another instead of racing (O(n) instead of O(n²) attempts in a month-end burst). The deduplication id absorbs a
 * confirmation sent twice within five minutes; `issueInvoice` is idempotent beyond that.
 */
export function sqsInvoicingQueue(client: SQSClient, queueUrl: string): InvoicingQueue {
  return {
    async enqueue(request) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: sqsSafeJson(request),
          MessageGroupId: 'invoices',
          MessageDeduplicationId: createHash('sha256').update(`${request.orderId}#${request.shipmentKey}`).digest('hex'),
        }),
      );
    },
  };
}
