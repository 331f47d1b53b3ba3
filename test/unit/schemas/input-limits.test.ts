import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '#domain/errors';
import { divideHalfUp, MAX_AMOUNT_MINOR } from '#domain/money';
import { newOrder, type CanonicalOrder } from '#domain/order';
import { readGenericOrder } from '#schemas/generic-order';
import { CanonicalOrderSchema } from '#schemas/messages';
import { ShipmentBody } from '#schemas/shipment';
import { shopifyWebhookToIntake } from '#schemas/shopify';
import { wooCommerceWebhookToIntake } from '#schemas/woocommerce';
import { repoRoot } from '#shared/state-machine-definitions';
import { Random } from '../../support/cash-ledger.ts';
import { genericOrder } from '../../support/fixtures.ts';

type Json = Record<string, unknown> & { line_items: Record<string, unknown>[] };
const storeFixture = (name: string): Json => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures', name), 'utf8')) as Json;

/** The characters SQS refuses that reached us in practice, each as a 400 or a cleaned, flagged text. */
const REFUSED = [
  ['U+FFFF', '\uFFFF'],
  ['U+FFFE', '\uFFFE'],
  ['a lone surrogate (U+D800)', '\uD800'],
  ['NUL', '\u0000'],
] as const;

/** The InvalidRequest a call throws, as `path: message` pairs (fails when it succeeds or throws anything else). */
const refusal = (run: () => unknown): { message: string; details: { path: string; message: string }[] } => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequest);
    return { message: (error as InvalidRequest).message, details: (error as InvalidRequest).details as { path: string; message: string }[] };
  }
  throw new Error('expected the input to be refused');
};
const refusedPaths = (run: () => unknown) => refusal(run).details.map((issue) => issue.path);

const line = (overrides: Record<string, unknown> = {}) => ({ sku: 'WIDGET-1', description: 'Widget', quantity: 3, unitPriceMinor: 1999, taxRatePercent: 19, ...overrides });

describe('generic order webhook: text SQS refuses', () => {
  describe.each(REFUSED)('given %s', (_name, character) => {
    it.each([
      ['externalId', { externalId: `ORD-${character}` }],
      ['customer.externalId', { customer: { externalId: `C${character}`, name: 'Acme', email: 'ap@acme.example', country: 'DE' } }],
      ['lines.0.sku', { lines: [line({ sku: `SKU${character}` })] }],
    ])('in the identifier %s, when read, then it is a 400 naming that field', (path, overrides) => {
      const { message, details } = refusal(() => readGenericOrder(genericOrder(overrides)));

      expect(message).toBe('invalid order');
      expect(details).toContainEqual({ path, message: expect.stringMatching(/refuse/) });
    });

    it('in a line description, the customer name and the billing city, when read, then each is cleaned to U+FFFD and the order flagged with its path', () => {
      const order = readGenericOrder(
        genericOrder({
          customer: { externalId: 'C-42', name: `Acme${character} GmbH`, email: 'ap@acme.example', country: 'DE' },
          billingAddress: { line1: 'Hauptstraße 5', city: `M${character}nchen`, country: 'DE' },
          lines: [line(), line({ description: `Widget ${character}XL` })],
        }),
      );

      expect(order.lines[1]!.description).toBe('Widget \uFFFDXL');
      expect(order.lines[0]!.description).toBe('Widget');
      expect(order.customer.name).toBe('Acme\uFFFD GmbH');
      expect(order.billingAddress?.city).toBe('M\uFFFDnchen');
      expect(order.flags).toEqual(['text cleaned: customer.name', 'text cleaned: lines.1.description', 'text cleaned: billingAddress.city']);
      expect(newOrder(CanonicalOrderSchema.parse(order) as CanonicalOrder, { orderId: 'O', customerId: 'C' }, '2026-12-01T00:00:00Z').flags).toContain('text cleaned: lines.1.description');
    });
  });

  it('given an emoji (a valid surrogate pair), tabs and newlines, when read, then the text is kept as sent and nothing is flagged', () => {
    const order = readGenericOrder(genericOrder({ lines: [line({ description: 'Tea \u{1F375}\tgreen\r\nleaf' })] }));

    expect(order.lines[0]!.description).toBe('Tea \u{1F375}\tgreen\r\nleaf');
    expect(order.flags).toBeUndefined();
  });
});

describe('generic order webhook: amounts within exact integer range', () => {
  it.each([
    ['1 000 000 × 10^12 (past 2^53)', [line({ quantity: 1_000_000, unitPriceMinor: MAX_AMOUNT_MINOR })], 'lines.0'],
    ['9 008 × 10^12, just past 2^53', [line({ quantity: 9_008, unitPriceMinor: MAX_AMOUNT_MINOR })], 'lines.0'],
    ['2 × (MAX / 2 + 1): each line fits, the product does not', [line({ quantity: 2, unitPriceMinor: MAX_AMOUNT_MINOR / 2 + 1 })], 'lines.0'],
    ['two lines each within the limit that add up past it', [line({ quantity: 1, unitPriceMinor: 600_000_000_000 }), line({ quantity: 1, unitPriceMinor: 600_000_000_000 })], 'lines'],
    ['a net within the limit whose 19 % tax takes the total past it', [line({ quantity: 9, unitPriceMinor: 100_000_000_000 })], '(order total)'],
  ])('given %s, when read, then it is a 400 at %s', (_case, lines, path) => {
    const { details } = refusal(() => readGenericOrder(genericOrder({ lines })));

    expect(details.map((issue) => issue.path)).toEqual([path]);
    expect(details[0]!.message).toMatch(/largest amount/);
  });

  it('given lines and shipping that reach the limit exactly (tax 0), when read, then it is accepted and its total is exactly the limit', () => {
    const order = readGenericOrder(genericOrder({ lines: [line({ quantity: 4, unitPriceMinor: 249_999_999_999, taxRatePercent: 0 })], shippingMinor: 4 }));

    expect(newOrder(order, { orderId: 'O', customerId: 'C' }, '2026-12-01T00:00:00Z').totalMinor).toBe(MAX_AMOUNT_MINOR);
  });

  it('given 300 random orders near the limit (seeded), when read, then each is refused with a 400 exactly when its exact total passes the limit, and an accepted one prices to safe integers', () => {
    const random = new Random(11);
    const rates = [0, 7, 19, 8.875, 100];
    for (let run = 0; run < 300; run += 1) {
      const lines = Array.from({ length: random.int(1, 4) }, () =>
        line({ quantity: random.int(1, 1_000_000), unitPriceMinor: random.int(0, 3) === 0 ? random.int(1, 1_000_000) : random.int(1, MAX_AMOUNT_MINOR / random.int(1, 1_000_000)), taxRatePercent: rates[random.int(0, rates.length - 1)] }),
      );
      const shippingMinor = random.int(0, 1_000_000);
      // The exact total in bigint: net per rate plus that rate's tax rounded half-up (shipping at rate 0).
      const byRate = new Map<number, bigint>([[0, BigInt(shippingMinor)]]);
      for (const { quantity, unitPriceMinor, taxRatePercent } of lines) {
        const ppm = Math.round(taxRatePercent * 10_000);
        byRate.set(ppm, (byRate.get(ppm) ?? 0n) + BigInt(quantity) * BigInt(unitPriceMinor));
      }
      const exactTotal = [...byRate].reduce((sum, [ppm, net]) => sum + net + BigInt(divideHalfUp(net * BigInt(ppm), 1_000_000n)), 0n);
      const body = genericOrder({ lines, shippingMinor });

      if (exactTotal > BigInt(MAX_AMOUNT_MINOR)) {
        expect(refusedPaths(() => readGenericOrder(body)).length).toBeGreaterThan(0);
      } else {
        const order = newOrder(readGenericOrder(body), { orderId: 'O', customerId: 'C' }, '2026-12-01T00:00:00Z');
        expect(BigInt(order.totalMinor)).toBe(exactTotal);
        expect(Number.isSafeInteger(order.totalMinor)).toBe(true);
      }
    }
  });
});

describe('shipment body', () => {
  const shipment = (overrides: Record<string, unknown> = {}) => ({ orderId: 'ORD-1', carrier: 'DHL', trackingNumber: 'JD0146000', shippedAt: '2026-12-01T10:00:00Z', ...overrides });
  const paths = (body: unknown) => {
    const parsed = ShipmentBody.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
  };

  describe.each(REFUSED)('given %s', (_name, character) => {
    it.each([
      ['trackingNumber', { trackingNumber: `JD0146${character}` }],
      ['carrier', { carrier: `DHL${character}` }],
      ['orderId', { orderId: `ORD-${character}` }],
      ['lines.0.sku', { lines: [{ sku: `W${character}`, quantity: 1 }] }],
      ['proofOfDelivery.signedBy', { proofOfDelivery: { signedBy: `A. Buyer${character}` } }],
    ])('in %s, when parsed, then it is refused at that field', (path, overrides) => {
      expect(paths(shipment(overrides))).toContain(path);
    });
  });

  it('given a plain shipment, when parsed, then it is accepted', () => {
    expect(paths(shipment({ lines: [{ sku: 'WIDGET-1', quantity: 1 }], proofOfDelivery: { signedBy: 'Zoë 田中' } }))).toEqual([]);
  });
});

describe('Shopify orders/create', () => {
  const docsExample = () => storeFixture('shopify/orders-create-docs-example.json');
  const intake = (body: unknown) => shopifyWebhookToIntake('orders/create', body);

  describe.each(REFUSED)('given %s', (_name, character) => {
    it('in a line SKU, when mapped, then it is a 400 naming the line', () => {
      const body = docsExample();
      body.line_items[0]!.sku = `SKU${character}`;

      expect(refusal(() => intake(body))).toMatchObject({ message: 'invalid shopify order', details: [{ path: 'lines.0.sku' }] });
    });

    it('in a line name, when mapped, then the description is cleaned and the order flagged', () => {
      const body = docsExample();
      body.line_items[0]!.name = `Aviator${character} sunglasses`;
      const result = intake(body);

      if (result.kind !== 'order') throw new Error(`expected an order, got ${result.kind}`);
      expect(result.order.lines[0]!.description).toBe('Aviator\uFFFD sunglasses');
      expect(result.order.flags).toEqual(['text cleaned: lines.0.description']);
    });

    it('in the cancel reason, when a cancellation is mapped, then the reason is cleaned (it goes on the queue)', () => {
      const result = shopifyWebhookToIntake('orders/cancelled', { ...docsExample(), cancel_reason: `fraud${character}` });

      expect(result).toMatchObject({ kind: 'cancellation', reason: 'cancelled in Shopify (fraud\uFFFD)' });
    });
  });

  it('given 1 000 000 units at 9 999 999 999.99, when mapped, then it is a 400 naming the line, not a 202', () => {
    const body = docsExample();
    Object.assign(body.line_items[0]!, { quantity: 1_000_000, price: '9999999999.99', tax_lines: [], discount_allocations: [] });

    expect(refusedPaths(() => intake(body))).toContain('lines.0');
  });
});

describe('WooCommerce order.created', () => {
  const docsOrder = () => storeFixture('woocommerce/rest-docs-order-727.json');
  const intake = (body: unknown) => wooCommerceWebhookToIntake('order.created', body);

  describe.each(REFUSED)('given %s', (_name, character) => {
    it('in a line SKU, when mapped, then it is a 400 naming the line', () => {
      const body = docsOrder();
      body.line_items[0]!.sku = `SKU${character}`;

      expect(refusal(() => intake(body))).toMatchObject({ message: 'invalid woocommerce order', details: [{ path: 'lines.0.sku' }] });
    });

    it('in a line name, when mapped, then the description is cleaned and the order flagged', () => {
      const body = docsOrder();
      body.line_items[0]!.name = `Woo${character} Single`;
      const result = intake(body);

      if (result.kind !== 'order') throw new Error(`expected an order, got ${result.kind}`);
      expect(result.order.lines[0]!.description).toBe('Woo\uFFFD Single');
      expect(result.order.flags).toEqual(['text cleaned: lines.0.description']);
    });
  });

  it('given two lines each within the limit that add up past it, when mapped, then it is a 400 naming the lines', () => {
    const body = docsOrder();
    for (const item of body.line_items) Object.assign(item, { quantity: 1, subtotal: '6000000000.00', total: '6000000000.00', subtotal_tax: '0', total_tax: '0', taxes: [] });

    expect(refusedPaths(() => intake(body))).toContain('lines');
  });
});

describe('store orders: lengths and size the queue and the table take', () => {
  const docsExample = () => storeFixture('shopify/orders-create-docs-example.json');
  const intake = (body: unknown) => shopifyWebhookToIntake('orders/create', body);

  it('given a 256-character SKU, when mapped, then it is a 400 naming the line (it becomes a table key)', () => {
    const body = docsExample();
    body.line_items[0]!.sku = 'S'.repeat(256);

    expect(refusal(() => intake(body)).details).toEqual([{ path: 'lines.0.sku', message: 'longer than 255 characters' }]);
  });

  it('given a 5 000-character line name ending in emoji, when mapped, then the description is cut to 1 000 characters (never inside a pair) and flagged', () => {
    const body = docsExample();
    body.line_items[0]!.name = `${'x'.repeat(999)}${'\u{1F375}'.repeat(4_001)}`;
    const result = intake(body);
    if (result.kind !== 'order') throw new Error(`expected an order, got ${result.kind}`);

    expect(result.order.lines[0]!.description).toBe(`${'x'.repeat(999)}\u{1F375}`);
    expect(result.order.flags).toEqual(['text shortened to 1000 characters: lines.0.description']);
  });

  it('given 500 lines each named with 900 characters (a body under the 1 MB webhook limit), when mapped, then it is a 400 for its size, not a 202 the table would refuse', () => {
    const body = docsExample();
    const first = body.line_items[0]!;
    body.line_items = Array.from({ length: 500 }, (_, index) => ({ ...first, id: index + 1, sku: `SKU-${index}`, name: `${'é'.repeat(900)}` }));

    expect(JSON.stringify(body).length).toBeLessThan(1024 * 1024);
    expect(refusedPaths(() => intake(body))).toEqual(['(body)']);
  });
});
