import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { METER_ENV, metered } from '#adapters/metering';
import { dynamoOrderStore } from '#adapters/order-store';
import type { AuditEvent } from '#domain/audit';
import { newOrder, type Order } from '#domain/order';
import { awsConfig, uniqueId } from './support.ts';

/**
 * Write units are counts DynamoDB (Local) reports with `ReturnConsumedCapacity: TOTAL`, the table's and every index
 * entry's: what a write costs on AWS, asserted exactly, never a timing.
 */
function meteredStore() {
  const writes: number[] = [];
  const previous = process.env[METER_ENV];
  process.env[METER_ENV] = '1';
  try {
    const client = metered(new DynamoDBClient(awsConfig('dynamodb')), 'dynamodb', (call) => {
      const consumed = call.output?.ConsumedCapacity as { CapacityUnits?: number }[] | { CapacityUnits?: number } | undefined;
      if (call.operation.startsWith('Transact') || ['Put', 'Update', 'Delete', 'PutItem', 'UpdateItem', 'DeleteItem'].includes(call.operation))
        writes.push((Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0));
    });
    const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    return { store: dynamoOrderStore(documents, inject('o2cTable')), writes };
  } finally {
    if (previous === undefined) delete process.env[METER_ENV];
    else process.env[METER_ENV] = previous;
  }
}

function orderOf(lineCount: number): Order {
  const id = uniqueId(`WU${lineCount}`);
  return newOrder(
    {
      source: 'generic',
      externalId: id,
      orderedAt: '2027-03-01T10:00:00Z',
      currency: 'EUR',
      customer: { externalId: 'C-WU', name: 'Write Units GmbH', email: 'ap@wu.example', country: 'DE' },
      lines: Array.from({ length: lineCount }, (_, index) => ({ sku: `WU-${index % 40}`, description: `Widget of kind ${index}`, quantity: 1 + (index % 3), unitPriceMinor: 1999 + index, taxRatePpm: 190_000 })),
      shippingMinor: 500,
      billingAddress: { name: 'A. Buyer', line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    },
    { orderId: id, customerId: 'C-WU' },
    '2027-03-01T10:00:00Z',
  );
}

const audit = (order: Order, at: string): AuditEvent => ({ id: uniqueId('AE'), entity: 'order', entityId: order.id, customerId: order.customerId, type: 'OrderValidated', actor: 'test', at, before: order.status, after: 'RECEIVED' });

/** Creates the order, then moves it one status on with its audit event: the units of that status change. */
async function unitsOfAStatusChange(lineCount: number): Promise<{ units: number; stored: Order | undefined; after: Order }> {
  const { store, writes } = meteredStore();
  const order = orderOf(lineCount);
  await expect(store.create({ order, audit: audit(order, '2027-03-01T10:00:00Z') })).resolves.toBe('created');
  const after: Order = { ...order, status: 'RECEIVED', updatedAt: '2027-03-01T10:00:01Z', version: order.version + 1 };
  writes.length = 0;
  await expect(store.update(order, after, audit(order, '2027-03-01T10:00:01Z'))).resolves.toBe(true);
  const units = writes.reduce((sum, value) => sum + value, 0);
  return { units, stored: await store.get(order.id), after };
}

describe('write units of an order status change', () => {
  it('given a 500-line order and a 1-line order, when each changes status, then both cost the same few write units: the lines are not rewritten', async () => {
    const small = await unitsOfAStatusChange(1);
    const large = await unitsOfAStatusChange(500);

    console.log(`write units of an order status change: 1 line ${small.units}, 500 lines ${large.units}`);
    // The order's header (table, customer's orders, the status list it leaves and the one it joins) and the audit event.
    expect(small.units).toBeLessThanOrEqual(14);
    expect(large.units).toBe(small.units);
    expect(large.stored).toEqual(large.after);
    expect(large.stored!.lines).toHaveLength(500);
  }, 120_000);
});
