import type { EventEmitter } from 'node:events';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { bucketNotifications, buckets } from '#shared/topology';
import type { QueueAddress } from './sqs-pollers.ts';

/** The part of an S3 event notification record the glue reads; the rest is passed on untouched. */
interface S3EventRecord {
  eventName: string;
  s3: { bucket: { name: string; arn?: string }; object: { key: string } };
}

/**
 * S3 → SQS as AWS does it for `bucketNotifications`: every object-created event of a configured bucket prefix is
 * sent to its queue as an S3 event notification (`{"Records": [...]}`, object keys URL-encoded, spaces as `+`).
 * s3rver reports raw keys and a malformed bucket ARN, which are put right here so handlers see AWS's shape.
 */
export function forwardBucketNotifications(s3: EventEmitter, sqs: SQSClient, queueAddresses: Record<string, QueueAddress>): () => Promise<void> {
  const pending = new Set<Promise<unknown>>();
  const onEvent = (event: { Records?: S3EventRecord[] }) => {
    for (const record of event.Records ?? []) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const rawKey = record.s3.object.key;
      for (const notification of bucketNotifications) {
        if (buckets[notification.bucket].localName !== record.s3.bucket.name || !rawKey.startsWith(notification.prefix)) continue;
        const queue = queueAddresses[notification.queue];
        if (!queue) continue;
        const awsRecord = {
          ...record,
          s3: { ...record.s3, bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` }, object: { ...record.s3.object, key: encodeS3EventKey(rawKey) } },
        };
        const sent = sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ Records: [awsRecord] }) }));
        pending.add(sent);
        void sent.catch((error: unknown) => console.error(`[o2c] S3 event for ${rawKey} not delivered: ${(error as Error).message}`)).finally(() => pending.delete(sent));
      }
    }
  };
  s3.on('event', onEvent);
  return async () => {
    s3.off('event', onEvent);
    await Promise.allSettled([...pending]);
  };
}

/** How S3 writes object keys into event notifications. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}
