import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#domain/audit';
import { Conflict } from '#domain/errors';
import { newOrder, type Order } from '#domain/order';
import type { Catalogue, OrderStore, Product, Workflows } from '#domain/ports';
import { saveProduct } from '#domain/use-cases/products';
import { recheckOrder, validateOrder } from '#domain/use-cases/validate-order';
import { Random } from '../../../support/cash-ledger.ts';

/** In-memory stores with the adapters' contracts: versioned writes, and held orders found by SKU. */
function world() {
  const orders = new Map<string, Order>();
  const products = new Map<string, Product>();
  const audits: AuditEvent[] = [];
  const starts: { input: { orderId: string; resumeAt?: 'RESERVE' | undefined }; name: string }[] = [];
  let sequence = 0;
  const orderStore = {
    get: async (orderId: string) => orders.get(orderId),
    update: async (before: Order, after: Order, audit: AuditEvent) => {
      if (orders.get(before.id)?.version !== before.version) return false;
      orders.set(after.id, after);
      audits.push(audit);
      return true;
    },
  } as unknown as OrderStore;
  const catalogue: Catalogue = {
    getMany: async (skus) => new Map(skus.flatMap((sku) => (products.has(sku) ? [[sku, products.get(sku)!] as const] : []))),
    get: async (sku) => products.get(sku),
    save: async (before, after, audit) => {
      if (products.get(after.sku)?.version !== before?.version) return false;
      products.set(after.sku, after);
      audits.push(audit);
      return true;
    },
    backorders: async () => [],
    // What the store's markers answer: ON_HOLD orders of the currency naming the SKU in heldSkus, oldest first.
    heldOrders: async (sku, currency, limit) =>
      [...orders.values()]
        .filter((order) => order.status === 'ON_HOLD' && order.currency === currency && (order.heldSkus ?? []).includes(sku))
        .sort((a, b) => a.orderedAt.localeCompare(b.orderedAt))
        .slice(0, limit)
        .map((order) => order.id),
  };
  const workflows: Workflows = {
    startOrder: async (input, name) => {
      if (starts.some((start) => start.name === name)) return 'already-started';
      starts.push({ input, name });
      return 'started';
    },
  };
  const deps = { orders: orderStore, catalogue, workflows, clock: { now: () => new Date('2026-12-01T10:00:00Z') }, ids: { next: () => `ID${String(++sequence).padStart(6, '0')}` } };
  return { orders, products, audits, starts, deps };
}

const product = (sku: string, currency: string, active = true): Product => ({
  sku, name: sku, priceMinor: 1999, currency, active, onHand: 10, reserved: 0, available: 10, updatedAt: '2026-11-01T00:00:00Z', version: 1,
});

function order(id: string, currency: string, skus: readonly string[], minute = 0): Order {
  return newOrder(
    {
      source: 'generic',
      externalId: `E-${id}`,
      orderedAt: `2026-11-30T10:${String(minute).padStart(2, '0')}:00Z`,
      currency,
      customer: { externalId: 'C', name: 'N', email: 'e@x.example', country: 'DE' },
      lines: skus.map((sku) => ({ sku, quantity: 3, unitPriceMinor: currency === 'JPY' ? 1999 : 19_999, taxRatePpm: 190_000 })),
      shippingMinor: 0,
    },
    { orderId: id, customerId: 'C1' },
    '2026-11-30T10:00:00Z',
  );
}

describe('held orders: validate, re-check on demand, release when a product is fixed', () => {
  it('given an order with an unknown and a wrongly priced SKU, when validated, then ON_HOLD naming both SKUs', async () => {
    const { orders, products, deps } = world();
    products.set('OK', product('OK', 'KWD'));
    products.set('USD-ONLY', product('USD-ONLY', 'USD'));
    orders.set('O1', order('O1', 'KWD', ['OK', 'GHOST', 'USD-ONLY', 'GHOST']));

    const result = await validateOrder('O1', deps);

    expect(result.status).toBe('ON_HOLD');
    expect(orders.get('O1')).toMatchObject({ status: 'ON_HOLD', heldSkus: ['GHOST', 'USD-ONLY'] });
  });

  it('given a held order whose SKU now exists, when an operator re-checks it, then RECEIVED, audited, and a workflow starts under a re-check name', async () => {
    const { orders, products, audits, starts, deps } = world();
    orders.set('O1', order('O1', 'JPY', ['TEA']));
    await validateOrder('O1', deps);
    products.set('TEA', product('TEA', 'JPY'));

    const result = await recheckOrder('O1', 'clerk-1', deps);

    expect(result).toEqual({ orderId: 'O1', status: 'RECEIVED', reasons: [] });
    expect(orders.get('O1')).toMatchObject({ status: 'RECEIVED', holdReasons: [], heldSkus: undefined, version: 3 });
    expect(audits.at(-1)).toMatchObject({ type: 'OrderReleased', actor: 'clerk-1', before: 'ON_HOLD', after: 'RECEIVED' });
    expect(starts).toEqual([{ input: { orderId: 'O1' }, name: 'O1-recheck-v3' }]);
  });

  it('given a held order still failing, when re-checked, then ON_HOLD with the reasons of now, audited, and no workflow', async () => {
    const { orders, products, audits, starts, deps } = world();
    orders.set('O1', order('O1', 'EUR', ['A']));
    await validateOrder('O1', deps);
    products.set('A', product('A', 'EUR', false));

    const result = await recheckOrder('O1', 'clerk-1', deps);

    expect(result).toEqual({ orderId: 'O1', status: 'ON_HOLD', reasons: ['lines[0]: SKU A is no longer sold'] });
    expect(audits.at(-1)).toMatchObject({ type: 'OrderRechecked', before: 'ON_HOLD', after: 'ON_HOLD' });
    expect(starts).toEqual([]);
  });

  it('given an order that is not ON_HOLD, when re-checked, then Conflict and nothing written', async () => {
    const { orders, products, audits, deps } = world();
    products.set('A', product('A', 'EUR'));
    orders.set('O1', order('O1', 'EUR', ['A']));
    await validateOrder('O1', deps);
    const written = audits.length;

    await expect(recheckOrder('O1', 'clerk-1', deps)).rejects.toBeInstanceOf(Conflict);
    expect(audits.length).toBe(written);
  });

  it('given random orders held for random catalogue faults, when the products are fixed one by one, then each order is released exactly when its last fault is fixed, and started once', async () => {
    for (const seed of [7, 42, 2026]) {
      const random = new Random(seed);
      const { orders, products, starts, deps } = world();
      const currencies = ['EUR', 'JPY', 'KWD'] as const;
      const skus = Array.from({ length: 8 }, (_, index) => `SKU-${index}`);
      // Each SKU is sold in one currency once fixed; before that it is absent, inactive, or in another currency.
      const home = new Map(skus.map((sku) => [sku, random.pick(currencies)]));
      for (const sku of skus) {
        const fault = random.pick(['absent', 'inactive', 'elsewhere', 'fine'] as const);
        if (fault === 'inactive') products.set(sku, product(sku, home.get(sku)!, false));
        if (fault === 'elsewhere') products.set(sku, product(sku, 'USD'));
        if (fault === 'fine') products.set(sku, product(sku, home.get(sku)!));
      }
      const placed: Order[] = [];
      for (let index = 0; index < 25; index++) {
        const currency = random.pick(currencies);
        const own = skus.filter((sku) => home.get(sku) === currency);
        const lines = Array.from({ length: random.int(1, 4) }, () => (own.length > 0 && random.chance(0.8) ? random.pick(own) : random.pick(skus)));
        const placedOrder = order(`O${String(index).padStart(2, '0')}`, currency, lines, index);
        orders.set(placedOrder.id, placedOrder);
        placed.push(placedOrder);
        await validateOrder(placedOrder.id, deps);
      }
      const held = new Set(placed.filter((placedOrder) => orders.get(placedOrder.id)!.status === 'ON_HOLD').map((placedOrder) => placedOrder.id));
      expect(held.size, `seed ${seed}: some orders are held`).toBeGreaterThan(0);
      const sellable = (sku: string, currency: string) => products.get(sku)?.active === true && products.get(sku)?.currency === currency;

      for (const sku of [...skus].sort(() => random.next() - 0.5)) {
        const before = new Map([...orders].map(([id, stored]) => [id, stored.status]));
        const saved = await saveProduct(sku, { name: sku, priceMinor: 500, currency: home.get(sku)!, onHand: 10, active: true }, 'admin-1', deps);

        for (const { id, currency, lines } of placed) {
          const passes = lines.every((line) => sellable(line.sku, currency));
          const stored = orders.get(id)!;
          // Orders in another currency than their SKU's home stay held for good: nothing here can release them.
          if (before.get(id) === 'ON_HOLD' && passes) {
            expect(stored.status, `seed ${seed}: ${id} after fixing ${sku}`).toBe('RECEIVED');
          }
          if (!passes) expect(stored.status, `seed ${seed}: ${id}`).toBe('ON_HOLD');
        }
        expect(saved.releasedOrders.every((id) => orders.get(id)!.status === 'RECEIVED')).toBe(true);
      }
      for (const placedOrder of placed) {
        const passes = placedOrder.lines.every((line) => sellable(line.sku, placedOrder.currency));
        expect(orders.get(placedOrder.id)!.status, `seed ${seed}: ${placedOrder.id}`).toBe(passes ? 'RECEIVED' : 'ON_HOLD');
        const restarts = starts.filter((start) => start.input.orderId === placedOrder.id).length;
        expect(restarts, `seed ${seed}: ${placedOrder.id}`).toBe(passes && held.has(placedOrder.id) ? 1 : 0);
      }
    }
  });
});
