import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BankFileStorage } from '#domain/ports';

/** Bank files in their private bucket. A move is copy then delete: S3 has no rename. */
export function s3BankFiles(client: S3Client, bucket: string, inboundPrefix: string): BankFileStorage {
  return {
    async read(key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return response.Body ? await response.Body.transformToString('utf8') : '';
      } catch (error) {
        if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },

    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: key.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8' }));
    },

    async move(key, prefix) {
      const name = key.startsWith(inboundPrefix) ? key.slice(inboundPrefix.length) : key;
      const target = `${prefix}${name}`;
      try {
        await client.send(new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}` }));
      } catch (error) {
        // Moved already by an earlier delivery of the same event.
        if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return target;
        throw error;
      }
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      return target;
    },
  };
}
