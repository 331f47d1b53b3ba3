/**
 * The dead-letters worklist (issue 13): messages in the dead-letter queues are counted in `GET /worklists`, listed
 * with a redacted sample in `GET /worklists/dead-letters`, and an admin moves them back to their source queue,
 * where their consumer processes them. Other files share the queues: every assertion is about this file's message.
 */
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { genericOrder } from '../support/fixtures.ts';
import { baseUrl, eventually, getAs, orderByExternalId, sendAs, sqsConfig } from './support.ts';

const sqs = () => new SQSClient(sqsConfig());

interface Summary {
  kind: string;
  count: number;
  oldestAt: string | null;
}
interface DeadLetterItem {
  kind: string;
  queue: string;
  source: { kind: string; queue?: string; function?: string };
  approximateCount: number;
  since: string | null;
  samples: { messageId: string; sentAt: string | null; receiveCount: number | null; bodyBytes: number; preview: string }[];
  summary: string;
  resolve: { method: string; path: string } | null;
}

const deadLetterCount = async () => {
  const { items } = (await (await getAs('viewer', '/worklists')).json()) as { items: Summary[] };
  return items.find((summary) => summary.kind === 'dead-letters')!;
};

async function deadLetterItems(): Promise<DeadLetterItem[]> {
  const response = await getAs('viewer', '/worklists/dead-letters?limit=100');
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: DeadLetterItem[] }).items;
}

/** Every message in a queue, looked at without taking it (no visibility timeout). */
async function bodiesIn(queueUrl: string): Promise<string[]> {
  const seen = new Map<string, string>();
  for (let round = 0; round < 5; round++) {
    const { Messages = [] } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    for (const message of Messages) seen.set(message.MessageId!, message.Body ?? '');
  }
  return [...seen.values()];
}

const redrive = (role: 'viewer' | 'ar-clerk' | 'credit-manager' | 'admin', queue: string) => sendAs(role, 'POST', `/dead-letters/${queue}/redrive`, {});

describe('dead letters', () => {
  it('given a good order message in the orders DLQ, then it is counted, listed redacted, refused to non-admins, and an admin redrive gets it stored as an order', async () => {
    const queues = inject('o2cQueues');
    const order = genericOrder();
    const email = String((order.customer as { email: string }).email);
    const message = { deliveryId: String(order.externalId), receivedAt: new Date().toISOString(), order: { ...order, source: 'generic', lines: [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 1999, taxRatePpm: 190000 }] } };
    const before = await deadLetterCount();

    const { MessageId } = await sqs().send(new SendMessageCommand({ QueueUrl: queues['orders-dlq']!.url, MessageBody: JSON.stringify(message) }));

    // Counted: from the queues' own attributes, so at once; its age is not an SQS attribute, so oldestAt stays null.
    const after = await deadLetterCount();
    expect(after.count).toBeGreaterThanOrEqual(before.count + 1);
    expect(after.oldestAt).toBeNull();

    // Listed: the orders DLQ with its source, a sample of the message with nothing personal in it, and its redrive.
    const item = (await deadLetterItems()).find((candidate) => candidate.queue === 'orders-dlq')!;
    expect(item).toMatchObject({ kind: 'dead-letters', source: { kind: 'queue', queue: 'orders', function: 'intakeOrders' }, resolve: { method: 'POST', path: '/dead-letters/orders-dlq/redrive' } });
    expect(item.approximateCount).toBeGreaterThanOrEqual(1);
    const sample = item.samples.find((candidate) => candidate.messageId === MessageId)!;
    expect(sample).toBeDefined();
    expect(sample.preview).toContain(String(order.externalId));
    expect(sample.preview).not.toContain(email);
    expect(sample.preview.length).toBeLessThanOrEqual(200);
    expect(Date.parse(sample.sentAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(item.since! <= sample.sentAt!).toBe(true);

    // Only an admin redrives.
    for (const role of ['viewer', 'ar-clerk', 'credit-manager'] as const) expect((await redrive(role, 'orders-dlq')).status).toBe(403);
    expect((await fetch(`${baseUrl()}/dead-letters/orders-dlq/redrive`, { method: 'POST' })).status).toBe(401);
    expect(await bodiesIn(queues['orders-dlq']!.url)).toContainEqual(expect.stringContaining(String(order.externalId)));
    expect(await orderByExternalId(String(order.externalId))).toBeUndefined();

    const response = await redrive('admin', 'orders-dlq');

    expect(response.status).toBe(202);
    const outcome = (await response.json()) as { queue: string; destination: string; mode: string; status: string; moved: number; failed: number };
    expect(outcome).toMatchObject({ queue: 'orders-dlq', destination: 'orders', mode: 'receive-send-delete', status: 'COMPLETED', failed: 0 });
    expect(outcome.moved).toBeGreaterThanOrEqual(1);
    // Moved, not copied: out of the DLQ, and processed once by the orders queue's consumer.
    expect(await bodiesIn(queues['orders-dlq']!.url)).not.toContainEqual(expect.stringContaining(String(order.externalId)));
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
    expect(stored.externalId).toBe(order.externalId);
  });

  it('given an unknown queue, a malformed name, or a queue with no source queue, then the admin gets 404, 400 and 409 with the reason', async () => {
    const unknown = await redrive('admin', 'coffee-dlq');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/orders-dlq/);

    const malformed = await redrive('admin', 'Orders_DLQ');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/name of a dead-letter queue/);

    const asyncFailures = await redrive('admin', 'async-failures-dlq');
    expect(asyncFailures.status).toBe(409);
    expect(((await asyncFailures.json()) as { error: { message: string } }).error.message).toMatch(/no source queue/);
  });

  it('given a message in the async-failures DLQ, then it is listed with no redrive route, saying what to do instead', async () => {
    const queues = inject('o2cQueues');
    const { MessageId } = await sqs().send(new SendMessageCommand({ QueueUrl: queues['async-failures-dlq']!.url, MessageBody: 'not json: token=abc123' }));

    const item = await eventually(async () => (await deadLetterItems()).find((candidate) => candidate.queue === 'async-failures-dlq'));

    expect(item.resolve).toBeNull();
    expect(item.summary).toMatch(/run the function again by hand/);
    const sample = item.samples.find((candidate) => candidate.messageId === MessageId)!;
    expect(sample.preview).toBe('(22 bytes, not JSON: not shown)');
  });
});
