import { describe, expect, it } from 'vitest';
import { deadLetterEntry, previewBody, PREVIEW_CHARS, type DeadLetterMessage, type DeadLetterQueue } from '#domain/dead-letters';
import { deadLetterPage, deadLetterSummary, redriveDeadLetters, type DeadLetterReader, type DeadLetterRedriver } from '#domain/use-cases/dead-letters';
import { deadLetterQueues, schedules } from '#shared/topology';
import { describeDeadLetterQueue } from '#shared/dead-letters-wiring';

const orders: DeadLetterQueue = { name: 'orders-dlq', source: { kind: 'queue', queue: 'orders', function: 'intakeOrders' }, redrive: { queue: 'orders' } };
const invoicing: DeadLetterQueue = { name: 'invoicing-dlq', source: { kind: 'queue', queue: 'invoicing', function: 'issueInvoices' }, redrive: { queue: 'invoicing' } };
const asyncFailures: DeadLetterQueue = { name: 'async-failures-dlq', source: { kind: 'async-invocations' }, redrive: { unavailable: 'run it again by hand' } };
const message = (messageId: string, sentAt: string, body = '{}'): DeadLetterMessage => ({ messageId, sentTimestamp: Date.parse(sentAt), receiveCount: 6, body });

function reader(state: Record<string, { count: number; messages: DeadLetterMessage[] }>): DeadLetterReader & { peeked: string[] } {
  const peeked: string[] = [];
  return {
    queues: [orders, invoicing, asyncFailures],
    peeked,
    count: async (name) => state[name]?.count ?? 0,
    peek: async (name) => {
      peeked.push(name);
      return state[name]?.messages ?? [];
    },
  };
}

describe('previewBody', () => {
  it('given an order with an email, an IBAN and a signature, when previewed, then their values are redacted wherever they are nested', () => {
    const body = JSON.stringify({ deliveryId: 'D-1', order: { customer: { name: 'Acme', email: 'ap@acme.example', payerAccounts: ['DE89370400440532013000'] } }, headers: { 'x-o2c-signature': 't=1,v1=ab' } });

    const preview = previewBody(body);

    expect(JSON.parse(preview)).toEqual({ deliveryId: 'D-1', order: { customer: { name: 'Acme', email: '[redacted]', payerAccounts: '[redacted]' } }, headers: { 'x-o2c-signature': '[redacted]' } });
  });

  it('given a body longer than the preview, when previewed, then it is cut to the limit with an ellipsis', () => {
    const preview = previewBody(JSON.stringify({ note: 'x'.repeat(5_000) }));

    expect(preview).toHaveLength(PREVIEW_CHARS);
    expect(preview.endsWith('…')).toBe(true);
  });

  it('given a body that is not JSON, when previewed, then only its size is shown, since it cannot be redacted', () => {
    expect(previewBody('password=hunter2 ü')).toBe('(19 bytes, not JSON: not shown)');
  });
});

describe('deadLetterEntry', () => {
  it('given a redrivable queue with samples out of order, then they are listed oldest first, its since is the oldest, and it names its redrive route', () => {
    const entry = deadLetterEntry(orders, 3, [message('m2', '2026-11-02T10:00:00Z'), message('m1', '2026-11-01T10:00:00Z')]);

    expect(entry).toMatchObject({ kind: 'dead-letters', entityId: 'orders-dlq', approximateCount: 3, since: '2026-11-01T10:00:00.000Z', resolve: { method: 'POST', path: '/dead-letters/orders-dlq/redrive' } });
    expect(entry.samples.map((sample) => [sample.messageId, sample.receiveCount, sample.bodyBytes])).toEqual([['m1', 6, 2], ['m2', 6, 2]]);
    expect(entry.summary).toBe("3 messages the orders queue's consumer (intakeOrders) gave up on; fix the cause, then redrive them to the orders queue");
  });

  it('given a queue with no source queue and no sample, then it has no redrive route, an unknown age, and says what to do instead', () => {
    const entry = deadLetterEntry(asyncFailures, 1, []);

    expect(entry).toMatchObject({ resolve: null, since: null, samples: [] });
    expect(entry.summary).toMatch(/^1 message from asynchronous invocations .*; run it again by hand$/);
  });
});

describe('dead letters on the worklists', () => {
  it('given messages in two queues, when summarised, then the count is their total, with no oldest time and no amounts', async () => {
    const summary = await deadLetterSummary({ deadLetters: reader({ 'orders-dlq': { count: 2, messages: [] }, 'invoicing-dlq': { count: 5, messages: [] } }) });

    expect(summary).toEqual({ kind: 'dead-letters', count: 7, oldestAt: null, amounts: [] });
  });

  it('given three queues of which two hold messages, when listed, then only those two are peeked and listed, oldest first', async () => {
    const deadLetters = reader({
      'orders-dlq': { count: 1, messages: [message('o1', '2026-11-03T00:00:00Z')] },
      'invoicing-dlq': { count: 2, messages: [message('i1', '2026-11-01T00:00:00Z')] },
    });

    const page = await deadLetterPage({ limit: 25 }, { deadLetters });

    expect(page.items.map((item) => item.queue)).toEqual(['invoicing-dlq', 'orders-dlq']);
    expect(page.cursor).toBeNull();
    expect(deadLetters.peeked.sort()).toEqual(['invoicing-dlq', 'orders-dlq']);
  });

  it('given more queues than the page holds, when paged, then the cursor gives the rest, and a foreign cursor is a 400', async () => {
    const deadLetters = reader({
      'orders-dlq': { count: 1, messages: [message('o1', '2026-11-03T00:00:00Z')] },
      'invoicing-dlq': { count: 1, messages: [message('i1', '2026-11-01T00:00:00Z')] },
      'async-failures-dlq': { count: 1, messages: [] },
    });

    const first = await deadLetterPage({ limit: 2 }, { deadLetters });
    const second = await deadLetterPage({ limit: 2, cursor: first.cursor! }, { deadLetters });

    expect([...first.items, ...second.items].map((item) => item.queue)).toEqual(['invoicing-dlq', 'orders-dlq', 'async-failures-dlq']);
    expect(second.cursor).toBeNull();
    await expect(deadLetterPage({ limit: 2, cursor: 'eyJwayI6IngifQ' }, { deadLetters })).rejects.toMatchObject({ name: 'InvalidRequest' });
  });
});

describe('redriveDeadLetters', () => {
  const redriver = (): DeadLetterRedriver & { calls: string[][] } => {
    const calls: string[][] = [];
    return {
      queues: [orders, asyncFailures],
      calls,
      redrive: async (queue, destination) => {
        calls.push([queue, destination]);
        return { queue, destination, mode: 'receive-send-delete', status: 'COMPLETED', moved: 1, failed: 0 };
      },
    };
  };

  it('given a work queue\'s DLQ, when redriven, then its messages go back to that queue', async () => {
    const deadLetters = redriver();

    await expect(redriveDeadLetters({ queue: 'orders-dlq' }, { deadLetters })).resolves.toMatchObject({ status: 'COMPLETED' });
    expect(deadLetters.calls).toEqual([['orders-dlq', 'orders']]);
  });

  it('given an unknown queue, when redriven, then 404 naming the queues there are, and nothing moves', async () => {
    const deadLetters = redriver();

    await expect(redriveDeadLetters({ queue: 'coffee-dlq' }, { deadLetters })).rejects.toMatchObject({ name: 'NotFound', message: expect.stringContaining('orders-dlq, async-failures-dlq') });
    expect(deadLetters.calls).toEqual([]);
  });

  it('given a DLQ with no source queue, when redriven, then 409 with what to do instead, and nothing moves', async () => {
    const deadLetters = redriver();

    await expect(redriveDeadLetters({ queue: 'async-failures-dlq' }, { deadLetters })).rejects.toMatchObject({ name: 'Conflict', message: 'async-failures-dlq cannot be redriven: run it again by hand' });
    expect(deadLetters.calls).toEqual([]);
  });
});

describe('the topology\'s dead-letter queues', () => {
  it('then every work queue has a redrivable one named after it, and the async-failures and schedule queues have none', () => {
    const described = deadLetterQueues.map(describeDeadLetterQueue);

    expect(described.filter((queue) => 'queue' in queue.redrive).map((queue) => [queue.name, queue.redrive])).toEqual([
      ['orders-dlq', { queue: 'orders' }],
      ['invoicing-dlq', { queue: 'invoicing' }],
      ['bank-files-dlq', { queue: 'bankFiles' }],
    ]);
    const notRedrivable = described.filter((queue) => !('queue' in queue.redrive));
    expect(notRedrivable.map((queue) => queue.source.kind)).toEqual(['async-invocations', ...schedules.map(() => 'schedule')]);
    expect(notRedrivable.map((queue) => queue.name)).toEqual(expect.arrayContaining(['async-failures-dlq', 'daily-dunning-schedule-dlq']));
    expect(deadLetterQueues.map((queue) => [queue.envVar, queue.localName])).toContainEqual(['INVOICING_DLQ_URL', 'o2c-invoicing-dlq.fifo']);
  });
});
