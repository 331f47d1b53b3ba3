import { runningShare } from './money.ts';
import { taxOf } from './tax.ts';

/**
 * Order lifecycle (DESIGN §4), plus NEW (stored, not yet checked), ON_HOLD (failed a check; reasons kept) and
 * APPROVED (credit approved, stock not yet reserved).
 */
export const orderStatuses = [
  'NEW',
  'ON_HOLD',
  'RECEIVED',
  'APPROVED',
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
/** Every order source, for look-ups that take a source from a person. */
export const orderSources: readonly OrderSource[] = ['generic', 'shopify', 'woocommerce'];

export interface OrderLineInput {
  sku: string;
  description?: string | undefined;
  quantity: number;
  unitPriceMinor: number;
  /** Tax rate in parts per million: 19 % → 190 000, 8.875 % → 88 750. */
  taxRatePpm: number;
  /** Every discount on this line (line and allocated order discounts), for the whole line; 0 when none. */
  discountMinor?: number | undefined;
  /**
   * The tax the store charged on this line, when it sent one whose rate it did not (or whose rounding is its own):
   * kept as charged, so what we invoice is what the buyer was charged. Omitted when ours is computed from the rate.
   */
  storeTaxMinor?: number | undefined;
}

export interface Address {
  name?: string | undefined;
  company?: string | undefined;
  line1?: string | undefined;
  line2?: string | undefined;
  city?: string | undefined;
  postalCode?: string | undefined;
  region?: string | undefined;
  country?: string | undefined;
  phone?: string | undefined;
}

export interface CustomerInput {
  externalId: string;
  name: string;
  email: string;
  country: string;
  /** The buyer's VAT identification number (EN 16931 BT-48), when the order carries one. */
  vatId?: string | undefined;
}

/**
 * What the store already collected at checkout. `capturedMinor` is money taken (Shopify `paid`/`partially_paid`,
 * WooCommerce `date_paid`/`set_paid`); an authorization alone captures nothing. `status` is the store's own word.
 */
export interface StorePayment {
  status: string;
  capturedMinor: number;
  gateway?: string | undefined;
}

/** The totals as the store computed them: kept as the store's word, compared with ours, never overwritten. */
export interface StoreTotals {
  subtotalMinor?: number | undefined;
  discountMinor?: number | undefined;
  shippingMinor?: number | undefined;
  taxMinor?: number | undefined;
  totalMinor: number;
}

/** An order as a store sent it, already checked for shape; amounts in minor units of `currency`. */
export interface CanonicalOrder {
  source: OrderSource;
  externalId: string;
  /** The store's human-facing number (Shopify `#1001`, WooCommerce `1001`), when it differs from the id. */
  storeOrderNumber?: string | undefined;
  orderedAt: string;
  currency: string;
  customer: CustomerInput;
  lines: OrderLineInput[];
  /** Shipping charged, after shipping discounts; tax-inclusive when `taxesIncluded`. */
  shippingMinor: number;
  shippingTaxRatePpm?: number | undefined;
  /** The tax the store charged on shipping, when its rate cannot be derived (see `OrderLineInput.storeTaxMinor`). */
  shippingStoreTaxMinor?: number | undefined;
  /** Money the store collected at checkout; invoices of the order are prepaid from it. */
  payment?: StorePayment | undefined;
  /** Unit prices and shipping include tax (typical for EU consumer stores). */
  taxesIncluded?: boolean | undefined;
  billingAddress?: Address | undefined;
  shippingAddress?: Address | undefined;
  storeTotals?: StoreTotals | undefined;
  /** Things intake already noticed for a person (e.g. `text cleaned: lines.0.description`); kept on the order. */
  flags?: string[] | undefined;
}

/**
 * What a store webhook means for intake: an order to take in (new, or a repeat that intake dedupes on
 * (source, externalId)), a whole-order cancellation, or something O2C deliberately does not act on (kept with
 * the reason so the delivery log explains itself).
 */
export type StoreWebhookResult =
  | { kind: 'order'; order: CanonicalOrder }
  | { kind: 'cancellation'; externalId: string; reason: string }
  /**
   * `unproven`: the topic header claimed a change to this order (a cancellation, a deletion) that the signed body
   * does not prove; only what the signature covers acts, so nothing changes and the refusal is audited.
   */
  | { kind: 'ignored'; reason: string; unproven?: { externalId: string } | undefined };

export interface OrderLine extends OrderLineInput {
  discountMinor: number;
  /** Line amount after discounts, before tax. */
  netMinor: number;
  taxMinor: number;
}

export interface Order {
  id: string;
  source: OrderSource;
  externalId: string;
  storeOrderNumber?: string | undefined;
  customerId: string;
  status: OrderStatus;
  currency: string;
  orderedAt: string;
  lines: OrderLine[];
  taxesIncluded: boolean;
  /** Shipping before tax. */
  shippingMinor: number;
  shippingTaxMinor: number;
  shippingTaxRatePpm: number;
  discountMinor: number;
  /** Lines after discounts, before tax. */
  netMinor: number;
  /** Lines' tax plus shipping tax. */
  taxMinor: number;
  totalMinor: number;
  storeTotals?: StoreTotals | undefined;
  /** What the store collected at checkout, and the part of it that prepays this order's invoices (≤ total). */
  payment?: StorePayment | undefined;
  prepaidMinor?: number | undefined;
  /** The buyer's VAT id as this order gave it (EN 16931 BT-48); printed on its invoices before the customer's. */
  buyerVatId?: string | undefined;
  billingAddress?: Address | undefined;
  shippingAddress?: Address | undefined;
  holdReasons: string[];
  /**
   * While ON_HOLD: the SKUs whose catalogue entry holds the order (unknown, inactive, another currency). Creating or
   * fixing one of these products re-checks the order; the store keeps a marker per SKU for that (keys.heldOrder).
   */
  heldSkus?: string[] | undefined;
  /** The credit decision, once made: by the policy or by a credit manager. */
  credit?: OrderCredit | undefined;
  /** Units reserved in stock and not yet shipped, by SKU. */
  reservedQuantities: Record<string, number>;
  shippedQuantities: Record<string, number>;
  /**
   * Running totals of what was invoiced: per order line (by index) units and net; shipping (invoiced once); the
   * part of the store's prepayment already set against invoices.
   */
  invoiced?: { quantities: number[]; netMinor: number[]; shipping: boolean; invoiceIds: string[]; prepaidMinor?: number | undefined } | undefined;
  cancelReason?: string | undefined;
  /** Things a person should look at that do not stop the order (e.g. the store's total differs from ours). */
  flags: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface OrderCredit {
  outcome: 'APPROVED' | 'CREDIT_REVIEW' | 'REJECTED';
  reasons: string[];
  decidedBy: string;
  decidedAt: string;
  /** What this order added to the customer's exposure (its total less any prepayment); released if the order is cancelled before invoicing. */
  exposureMinor: number;
}

/** Units of each SKU in the order, summed over lines (an order may list a SKU twice). */
export function quantitiesBySku(lines: readonly Pick<OrderLineInput, 'sku' | 'quantity'>[]): Record<string, number> {
  const quantities: Record<string, number> = {};
  for (const line of lines) quantities[line.sku] = (quantities[line.sku] ?? 0) + line.quantity;
  return quantities;
}

/**
 * Prices an order under O2C's one rounding policy (README, "Money and rounding"): each line is quantity × unit
 * price − discounts; tax is rounded once per tax rate over the whole order (lines and shipping of that rate
 * together, EN 16931 BR-CO-17 style), half away from zero: on the net for net prices, or as the part of the gross
 * for tax-inclusive prices, so net + tax is exactly what the buyer saw. A tax the store charged and we cannot
 * reproduce from a rate (`storeTaxMinor`) is kept as charged. Each line's tax is its running share of its rate's
 * tax, so the lines add up to the rate's tax to the cent and partial invoices can take their shares of them.
 */
export function priceOrder(
  lines: readonly OrderLineInput[],
  shipping: { amountMinor: number; taxRatePpm: number; storeTaxMinor?: number | undefined },
  taxesIncluded: boolean,
): { lines: OrderLine[]; shipping: { netMinor: number; taxMinor: number } } {
  const members = [
    ...lines.map((line) => ({ amount: line.quantity * line.unitPriceMinor - (line.discountMinor ?? 0), ratePpm: line.taxRatePpm, storeTaxMinor: line.storeTaxMinor })),
    { amount: shipping.amountMinor, ratePpm: shipping.taxRatePpm, storeTaxMinor: shipping.storeTaxMinor },
  ];
  const taxes = new Array<number>(members.length).fill(0);
  for (const ratePpm of new Set(members.map((member) => member.ratePpm))) {
    const computed = members.map((member, index) => ({ ...member, index })).filter((member) => member.ratePpm === ratePpm && member.storeTaxMinor === undefined);
    const basis = computed.reduce((sum, member) => sum + member.amount, 0);
    const rateTax = taxOf(basis, ratePpm, taxesIncluded);
    let before = 0;
    for (const member of computed) {
      taxes[member.index] = runningShare(rateTax, basis, before, before + member.amount);
      before += member.amount;
    }
  }
  const priced = members.map((member, index) => {
    const taxMinor = member.storeTaxMinor ?? taxes[index]!;
    return { netMinor: taxesIncluded ? member.amount - taxMinor : member.amount, taxMinor };
  });
  return {
    lines: lines.map((line, index) => ({ ...line, discountMinor: line.discountMinor ?? 0, ...priced[index]! })),
    shipping: priced[members.length - 1]!,
  };
}

export function newOrder(input: CanonicalOrder, ids: { orderId: string; customerId: string }, now: string): Order {
  const taxesIncluded = input.taxesIncluded ?? false;
  const shippingTaxRatePpm = input.shippingTaxRatePpm ?? 0;
  const { lines, shipping } = priceOrder(input.lines, { amountMinor: input.shippingMinor, taxRatePpm: shippingTaxRatePpm, storeTaxMinor: input.shippingStoreTaxMinor }, taxesIncluded);
  const netMinor = lines.reduce((sum, line) => sum + line.netMinor, 0);
  const taxMinor = lines.reduce((sum, line) => sum + line.taxMinor, 0) + shipping.taxMinor;
  const totalMinor = netMinor + shipping.netMinor + taxMinor;
  const flags: string[] = [...(input.flags ?? [])];
  if (input.storeTotals && input.storeTotals.totalMinor !== totalMinor)
    flags.push(`store total ${input.storeTotals.totalMinor} differs from the recomputed ${totalMinor} (${input.currency} minor units)`);
  const captured = input.payment?.capturedMinor ?? 0;
  if (captured > totalMinor) flags.push(`the store captured ${captured}, more than the order's total ${totalMinor} (${input.currency} minor units): the difference is the store's to refund`);
  return {
    id: ids.orderId,
    source: input.source,
    externalId: input.externalId,
    storeOrderNumber: input.storeOrderNumber,
    customerId: ids.customerId,
    status: 'NEW',
    currency: input.currency,
    orderedAt: input.orderedAt,
    lines,
    taxesIncluded,
    shippingMinor: shipping.netMinor,
    shippingTaxMinor: shipping.taxMinor,
    shippingTaxRatePpm,
    discountMinor: lines.reduce((sum, line) => sum + line.discountMinor, 0),
    netMinor,
    taxMinor,
    totalMinor,
    storeTotals: input.storeTotals,
    payment: input.payment,
    prepaidMinor: Math.min(captured, totalMinor),
    buyerVatId: input.customer.vatId,
    billingAddress: input.billingAddress,
    shippingAddress: input.shippingAddress,
    holdReasons: [],
    reservedQuantities: {},
    shippedQuantities: {},
    flags,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** What an order adds to its customer's credit exposure: its total less what the store already collected. */
export const exposureOf = (order: Pick<Order, 'totalMinor' | 'prepaidMinor'>) => order.totalMinor - (order.prepaidMinor ?? 0);

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

/** What the catalogue says against one line of an order: the SKU and the reason, in line order. */
export interface CatalogueProblem {
  sku: string;
  reason: string;
}

/** Every line whose SKU is unknown, no longer sold, or sold in another currency than the order's. */
export function catalogueProblems(
  order: { currency: string; lines: readonly Pick<OrderLineInput, 'sku'>[] },
  catalogue: ReadonlyMap<string, CatalogueProduct>,
): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  for (const [index, line] of order.lines.entries()) {
    const product = catalogue.get(line.sku);
    if (!product) problems.push({ sku: line.sku, reason: `lines[${index}]: unknown SKU ${line.sku}` });
    else if (!product.active) problems.push({ sku: line.sku, reason: `lines[${index}]: SKU ${line.sku} is no longer sold` });
    else if (product.currency !== order.currency)
      problems.push({ sku: line.sku, reason: `lines[${index}]: SKU ${line.sku} is priced in ${product.currency}, the order is in ${order.currency}` });
  }
  return problems;
}

/** An order is RECEIVED when every SKU is an active catalogue product sold in the order's currency. */
export function checkAgainstCatalogue(
  order: { currency: string; lines: readonly Pick<OrderLineInput, 'sku'>[] },
  catalogue: ReadonlyMap<string, CatalogueProduct>,
): CatalogueCheck {
  const reasons = catalogueProblems(order, catalogue).map((problem) => problem.reason);
  return { status: reasons.length === 0 ? 'RECEIVED' : 'ON_HOLD', reasons };
}

/** Distinct SKUs one order may hold: reservation and release are single DynamoDB transactions (100 items). */
export const MAX_RESERVABLE_SKUS = 95;

/** The next version of an order: the given changes, a bumped version and the time of the change. */
export function revise(order: Order, changes: Partial<Omit<Order, 'id' | 'version'>>, now: string): Order {
  return { ...order, ...changes, updatedAt: now, version: order.version + 1 };
}

/** Units of each SKU still to ship. */
export function outstandingQuantities(order: Pick<Order, 'reservedQuantities'>): Record<string, number> {
  return Object.fromEntries(Object.entries(order.reservedQuantities).filter(([, quantity]) => quantity > 0));
}
