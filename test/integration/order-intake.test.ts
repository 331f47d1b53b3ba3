import { describe, expect, it } from 'vitest';
import { genericOrder } from '../support/fixtures.ts';
import { eventually, getAs, itemsMentioning, orderByExternalId, postOrder } from './support.ts';

const IN_FLIGHT = ['NEW', 'RECEIVED', 'APPROVED'];

/** Waits for the workflow to reach a resting status and returns the order as the API shows it. */
async function settledOrder(externalId: string) {
  return eventually(async () => {
    const order = await orderByExternalId(externalId);
    return order && !IN_FLIGHT.includes(String(order.status)) ? order : undefined;
  });
}

describe('generic order webhook → intake → order workflow', () => {
  it('given a signed order sent twice, when both are delivered, then both get 202 and one order is reserved and awaiting shipment', async () => {
    const order = genericOrder();
    const body = JSON.stringify(order);

    const first = await postOrder(body);
    const second = await postOrder(body);

    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: 'accepted', deliveryId: order.externalId });
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual({ status: 'duplicate', deliveryId: order.externalId });
    const stored = await settledOrder(String(order.externalId));
    expect(stored).toMatchObject({ status: 'AWAITING_SHIPMENT', currency: 'EUR', netMinor: 3998, taxMinor: 760, shippingMinor: 500, totalMinor: 5258 });
    const refs = (await itemsMentioning(String(order.externalId))).filter((item) => String(item.pk).startsWith('ORDERREF#'));
    expect(refs).toHaveLength(1);
  });

  it('given the same order delivered five times at once, when intake settles, then exactly one order exists', async () => {
    const order = genericOrder();
    const body = JSON.stringify(order);

    const responses = await Promise.all(Array.from({ length: 5 }, () => postOrder(body)));

    expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
    await settledOrder(String(order.externalId));
    const orders = (await itemsMentioning(String(order.externalId))).filter((item) => item.entityType === 'Order');
    expect(orders).toHaveLength(1);
  });

  it('given an order with an unknown SKU, when the workflow validates it, then it is ON_HOLD with the reason', async () => {
    const order = genericOrder({ lines: [{ sku: 'NO-SUCH-SKU', quantity: 1, unitPriceMinor: 100, taxRatePercent: 19 }] });

    await postOrder(JSON.stringify(order));

    const stored = await settledOrder(String(order.externalId));
    expect(stored.status).toBe('ON_HOLD');
    expect(stored.holdReasons).toEqual(['lines[0]: unknown SKU NO-SUCH-SKU']);
  });

  it('given a stored order, when an operator reads it by id, then it carries its audit history', async () => {
    const order = genericOrder();
    await postOrder(JSON.stringify(order));
    const { id } = await settledOrder(String(order.externalId));

    const response = await getAs('ar-clerk', `/orders/${String(id)}`);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { history: { type: string; before?: string; after?: string }[] };
    expect(body.history.map((event) => event.type)).toEqual(['OrderStored', 'OrderReceived', 'CreditApproved', 'StockReserved', 'ShipmentRequested']);
    expect(body.history[1]).toMatchObject({ before: 'NEW', after: 'RECEIVED' });
    expect(body.history[2]).toMatchObject({ before: 'RECEIVED', after: 'APPROVED' });
  });
});

describe('refused webhooks write nothing', () => {
  const refusals: [string, () => Promise<{ response: Response; marker: string }>, number, RegExp][] = [
    [
      'a forged signature',
      async () => {
        const order = genericOrder();
        return { response: await postOrder(JSON.stringify(order), { signature: `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}` }), marker: String(order.externalId) };
      },
      401,
      /does not match/,
    ],
    [
      'a stale timestamp',
      async () => {
        const order = genericOrder();
        return { response: await postOrder(JSON.stringify(order), { signedAt: Math.floor(Date.now() / 1000) - 301 }), marker: String(order.externalId) };
      },
      401,
      /5-minute window/,
    ],
    [
      'a missing signature',
      async () => {
        const order = genericOrder();
        return { response: await postOrder(JSON.stringify(order), { signature: '' }), marker: String(order.externalId) };
      },
      401,
      /missing/,
    ],
    [
      'malformed JSON',
      async () => {
        const marker = `T-${Date.now()}-json`;
        return { response: await postOrder(`{"externalId": "${marker}", `), marker };
      },
      400,
      /not valid JSON/,
    ],
    [
      'a negative quantity',
      async () => {
        const order = genericOrder({ lines: [{ sku: 'WIDGET-1', quantity: -1, unitPriceMinor: 1999, taxRatePercent: 19 }] });
        return { response: await postOrder(JSON.stringify(order)), marker: String(order.externalId) };
      },
      400,
      /invalid order/,
    ],
    [
      'an unknown currency',
      async () => {
        const order = genericOrder({ currency: 'XYZ' });
        return { response: await postOrder(JSON.stringify(order)), marker: String(order.externalId) };
      },
      400,
      /invalid order/,
    ],
    [
      'more than 500 lines',
      async () => {
        const order = genericOrder({ lines: Array.from({ length: 501 }, () => ({ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 1, taxRatePercent: 0 })) });
        return { response: await postOrder(JSON.stringify(order)), marker: String(order.externalId) };
      },
      400,
      /invalid order/,
    ],
    [
      'a body over 256 KB',
      async () => {
        const order = genericOrder({ lines: [{ sku: 'WIDGET-1', description: 'x'.repeat(300 * 1024), quantity: 1, unitPriceMinor: 1, taxRatePercent: 0 }] });
        return { response: await postOrder(JSON.stringify(order)), marker: String(order.externalId) };
      },
      400,
      /larger than 256 KB/,
    ],
  ];

  it.each(refusals)('given %s, when posted, then it is refused with a reason and nothing is stored', async (_case, send, status, reason) => {
    const { response, marker } = await send();

    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(reason);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await itemsMentioning(marker)).toEqual([]);
  });

  it('given an invalid order, when refused, then the 400 names the offending fields', async () => {
    const order = genericOrder({ currency: 'XYZ', lines: [{ sku: 'WIDGET-1', quantity: 'two', unitPriceMinor: 1999, taxRatePercent: 19 }] });

    const response = await postOrder(JSON.stringify(order));

    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((detail) => detail.path).sort()).toEqual(['currency', 'lines.0.quantity']);
  });
});

describe('input limits are checked before the 202 (issue 11)', () => {
  const refusedPaths = async (response: Response) => ((await response.json()) as { error: { details: { path: string }[] } }).error.details.map((detail) => detail.path);

  it.each([
    ['U+FFFF in a SKU', 'lines.0.sku', { lines: [{ sku: 'WIDGET-1\uFFFF', quantity: 1, unitPriceMinor: 1999, taxRatePercent: 19 }] }],
    ['a lone surrogate in the customer id', 'customer.externalId', { customer: { externalId: 'C-42\uD800', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE' } }],
    ['1 000 000 × 10^12 minor units (past 2^53)', 'lines.0', { lines: [{ sku: 'WIDGET-1', quantity: 1_000_000, unitPriceMinor: 1_000_000_000_000, taxRatePercent: 19 }] }],
  ])('given %s, when posted, then 400 naming %s and nothing is stored', async (_case, path, overrides) => {
    const order = genericOrder(overrides);

    const response = await postOrder(JSON.stringify(order));

    expect(response.status).toBe(400);
    expect(await refusedPaths(response)).toEqual([path]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await itemsMentioning(String(order.externalId))).toEqual([]);
  });

  it('given U+FFFF and U+FFFE in a line description, when posted, then 202 and the order is stored with U+FFFD there and flagged', async () => {
    const order = genericOrder({ lines: [{ sku: 'WIDGET-1', description: 'Widget\uFFFF blue\uFFFE', quantity: 3, unitPriceMinor: 1999, taxRatePercent: 19 }] });

    const response = await postOrder(JSON.stringify(order));
    const stored = await settledOrder(String(order.externalId));

    expect(response.status).toBe(202);
    expect(stored).toMatchObject({ flags: ['text cleaned: lines.0.description'], lines: [{ description: 'Widget\uFFFD blue\uFFFD' }] });
  });
});
