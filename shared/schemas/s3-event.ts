import * as z from '#schemas/zod';

/**
 * An S3 event notification as SQS delivers it: `{"Records": [...]}` for object events, or S3's `s3:TestEvent`
 * (sent once when a notification is configured) with no records. Object keys arrive URL-encoded with `+` for
 * spaces; they are decoded here so the rest of the code sees the real key.
 */
export const S3EventNotification = z.pipe(
  z.looseObject({
    Records: z.optional(
      z.array(
        z.looseObject({
          eventName: z.string(),
          s3: z.looseObject({
            bucket: z.looseObject({ name: z.string().check(z.minLength(1)) }),
            object: z.looseObject({ key: z.string().check(z.minLength(1)), size: z.optional(z.number().check(z.int(), z.gte(0))) }),
          }),
        }),
      ),
    ),
  }),
  z.transform(({ Records }) => ({
    Records: (Records ?? [])
      .filter((record) => record.eventName.startsWith('ObjectCreated:'))
      .map((record) => ({ bucket: record.s3.bucket.name, key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')), size: record.s3.object.size })),
  })),
);
