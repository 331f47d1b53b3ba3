import { auditTrail } from '../audit.ts';
import { Conflict, DomainError, InvalidRequest, NotFound } from '../errors.ts';
import type { Catalogue, Clock, IdGenerator, OrderStore, Product, Workflows } from '../ports.ts';
import { recheckOrder } from './validate-order.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface ProductDeps {
  catalogue: Catalogue;
  orders: OrderStore;
  workflows: Workflows;
  clock: Clock;
  ids: IdGenerator;
}

export interface ProductChange {
  /** When given (a body copied from `GET`), it must be the SKU being saved. */
  sku?: string | undefined;
  name?: string | undefined;
  priceMinor?: number | undefined;
  currency?: string | undefined;
  onHand?: number | undefined;
  active?: boolean | undefined;
}

/** Backordered orders resumed per restock, oldest first; the rest wait for the next stock change. */
const RESUME_PER_RESTOCK = 50;

/** Held orders re-checked per save of a product, oldest first; the rest on the next save (or `POST /orders/{id}/recheck`). */
const RECHECK_PER_SAVE = 50;

export const productView = ({ sku, name, priceMinor, currency, active, onHand, reserved, available, updatedAt }: Product) => ({
  sku, name, priceMinor, currency, active, onHand, reserved, available, updatedAt,
});

export async function getProduct(sku: string, deps: Pick<ProductDeps, 'catalogue'>) {
  const product = await deps.catalogue.get(sku);
  if (!product) throw new NotFound(`product ${sku} does not exist`);
  return productView(product);
}

/**
 * Creates or changes a product. Stock on hand is a count from the warehouse; reserved units are ours, so on hand
 * may not drop below them. When stock rises, the oldest backordered orders of the SKU are resumed at reservation.
 */
export async function saveProduct(sku: string, { sku: named, ...change }: ProductChange, actor: string, deps: ProductDeps) {
  if (named !== undefined && named !== sku) throw new InvalidRequest(`the body is for SKU ${named}, the path for ${sku}`, [{ path: 'sku', message: `must be ${sku} or left out` }]);
  return retryOnChange(
    `product ${sku} kept changing; retry`,
    async () => {
      const before = await deps.catalogue.get(sku);
      const at = deps.clock.now().toISOString();
      let after: Product;
      if (!before) {
        const { name, priceMinor, currency, onHand } = change;
        if (name === undefined || priceMinor === undefined || currency === undefined || onHand === undefined)
          throw new InvalidRequest('a new product needs name, priceMinor, currency and onHand');
        after = { sku, name, priceMinor, currency, active: change.active ?? true, onHand, reserved: 0, available: onHand, updatedAt: at, version: 1 };
      } else {
        const onHand = change.onHand ?? before.onHand;
        if (onHand < before.reserved) throw new Conflict(`on hand ${onHand} would be below the ${before.reserved} units reserved for orders`);
        after = { ...before, ...definedOnly(change), onHand, available: onHand - before.reserved, updatedAt: at, version: before.version + 1 };
      }
      const audit = auditTrail(deps, { actor, at })({
        entity: 'product',
        entityId: sku,
        type: before ? 'ProductChanged' : 'ProductCreated',
        before: before ? JSON.stringify(productView(before)) : undefined,
        after: JSON.stringify(productView(after)),
      });
      if (!(await deps.catalogue.save(before, after, audit))) return RETRY;
      const resumed = after.available > (before?.available ?? 0) ? await resumeBackorders(sku, deps) : [];
      const released = after.active ? await recheckHeldOrders(after, actor, deps) : [];
      return { ...productView(after), resumedOrders: resumed, releasedOrders: released };
      return RETRY;
    },
    { attempts: 5 },
  );
}

async function resumeBackorders(sku: string, deps: ProductDeps): Promise<string[]> {
  const resumed: string[] = [];
  for (const orderId of await deps.catalogue.backorders(sku, RESUME_PER_RESTOCK)) {
    const order = await deps.orders.get(orderId);
    if (order?.status !== 'BACKORDERED') continue;
    // Named after the order's version: one resume per state of the order, however often stock changes meanwhile.
    await deps.workflows.startOrder({ orderId, resumeAt: 'RESERVE' }, `${orderId}-v${order.version}`);
    resumed.push(orderId);
  }
  return resumed;
}

/**
 * Orders held for this SKU in the currency it is now sold in: the product no longer holds them, so each is checked
 * again (its other lines may still hold it). Answers the orders that passed and were started again. Orders held
 * in another currency are not even read: this product cannot release them.
 */
async function recheckHeldOrders(product: Product, actor: string, deps: ProductDeps): Promise<string[]> {
  const released: string[] = [];
  for (const orderId of await deps.catalogue.heldOrders(product.sku, product.currency, RECHECK_PER_SAVE)) {
    try {
      const result = await recheckOrder(orderId, actor, deps);
      if (result.status === 'RECEIVED') released.push(orderId);
    } catch (error) {
      // Another re-check or a cancellation got there first: that order is no longer ours to release.
      if (error instanceof DomainError && error.httpStatus < 500) continue;
      throw error;
    }
  }
  return released;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
