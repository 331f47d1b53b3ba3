import { applyRateHalfUp } from './money.ts';

/** Order lifecycle (DESIGN §4), plus NEW (stored, not yet checked) and ON_HOLD (failed a check; reasons kept). */
export const orderStatuses = [
  'NEW',
  'ON_HOLD',
  'RECEIVED',
  'CREDIT_REVIEW',
  'REJECTED',
  'BACKORDERED',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'INVOICED',
  'PAID',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type OrderSource = 'generic' | 'shopify' | 'woocommerce';

export interface OrderLineInput {
  sku: string;
  description?: string | undefined;
  quantity: number;
  unitPriceMinor: number;
  /** Tax rate in basis points of a percent: 19 % → 1900, 7.7 % → 770. */
  taxRateBasisPoints: number;
}

export interface CustomerInput {
  externalId: string;
  name: string;
  email: string;
  country: string;
}

/** An order as a store sent it, already checked for shape; amounts in minor units of `currency`. */
export interface CanonicalOrder {
  source: OrderSource;
  externalId: string;
  orderedAt: string;
  currency: string;
  customer: CustomerInput;
  lines: OrderLineInput[];
  shippingMinor: number;
}

export interface OrderLine extends OrderLineInput {
  netMinor: number;
  taxMinor: number;
}

export interface Order {
  id: string;
  source: OrderSource;
  externalId: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  orderedAt: string;
  lines: OrderLine[];
  shippingMinor: number;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
  holdReasons: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * Prices each line: net = quantity × unit price; tax rounded half-up per line. Shipping carries no tax here
 * (invoicing decides shipping tax); totals are plain integer sums, so they reconcile to the minor unit.
 */
export function priceLines(lines: readonly OrderLineInput[]): OrderLine[] {
  return lines.map((line) => {
    const netMinor = line.quantity * line.unitPriceMinor;
    return { ...line, netMinor, taxMinor: applyRateHalfUp(netMinor, line.taxRateBasisPoints) };
  });
}

export function newOrder(input: CanonicalOrder, ids: { orderId: string; customerId: string }, now: string): Order {
  const lines = priceLines(input.lines);
  const netMinor = lines.reduce((sum, line) => sum + line.netMinor, 0);
  const taxMinor = lines.reduce((sum, line) => sum + line.taxMinor, 0);
  return {
    id: ids.orderId,
    source: input.source,
    externalId: input.externalId,
    customerId: ids.customerId,
    status: 'NEW',
    currency: input.currency,
    orderedAt: input.orderedAt,
    lines,
    shippingMinor: input.shippingMinor,
    netMinor,
    taxMinor,
    totalMinor: netMinor + taxMinor + input.shippingMinor,
    holdReasons: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

export interface CatalogueProduct {
  sku: string;
  name: string;
  priceMinor: number;
  currency: string;
  active: boolean;
}

export interface CatalogueCheck {
  status: Extract<OrderStatus, 'RECEIVED' | 'ON_HOLD'>;
  reasons: string[];
}

/** An order is RECEIVED when every SKU is an active catalogue product sold in the order's currency. */
export function checkAgainstCatalogue(
  order: { currency: string; lines: readonly Pick<OrderLineInput, 'sku'>[] },
  catalogue: ReadonlyMap<string, CatalogueProduct>,
): CatalogueCheck {
  const reasons: string[] = [];
  for (const [index, line] of order.lines.entries()) {
    const product = catalogue.get(line.sku);
    if (!product) reasons.push(`lines[${index}]: unknown SKU ${line.sku}`);
    else if (!product.active) reasons.push(`lines[${index}]: SKU ${line.sku} is no longer sold`);
    else if (product.currency !== order.currency)
      reasons.push(`lines[${index}]: SKU ${line.sku} is priced in ${product.currency}, the order is in ${order.currency}`);
  }
  return { status: reasons.length === 0 ? 'RECEIVED' : 'ON_HOLD', reasons };
}
