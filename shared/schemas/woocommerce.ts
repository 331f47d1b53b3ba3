import { z } from 'zod';
import { isCurrency } from '#domain/money';
import type { Address, CanonicalOrder, CustomerInput, OrderLineInput, StoreTotals } from '#domain/order';
import { MAX_ORDER_LINES } from './generic-order.ts';
import {
  COUNTRY_CODE,
  FieldIssues,
  guestCustomerId,
  parseStorePayload,
  textOrUndefined,
  unitPriceOf,
  type StoreWebhookResult,
} from './store-webhook.ts';

/**
 * WooCommerce order webhooks (`X-WC-Webhook-Topic: order.created | order.updated | order.deleted`). The body is
 * the REST API v3 order, whose amounts are decimal strings rounded to the store's price decimals (the REST `dp`
 * default). Line `subtotal`/`total` and shipping `total` are always net of tax, with the tax beside them;
 * the order `total` is gross. Only the fields O2C reads are described and every object is loose.
 *
 * Not modelled: `fee_lines` (surcharges added by plugins) are not turned into order lines, so an order with fees
 * keeps the store's `total` and the domain flags the difference for a person; compound tax rates are summed like
 * simple ones, which the same comparison flags.
 */

const INVALID_ORDER = 'invalid woocommerce order';

/** Statuses whose order O2C should take in; `order.updated` of a known order is deduped by intake. */
const ORDER_STATUSES = new Set(['pending', 'on-hold', 'processing', 'completed']);
/** Statuses that mean the sale is off: cancelled by someone, refunded in full, or never paid. */
const CANCELLED_STATUSES = new Set(['cancelled', 'refunded', 'failed']);

const Amount = z.union([z.string(), z.number()]);
/** The docs type `rate_id` as a string; stores send an integer. Both are compared as text. */
const RateId = z.union([z.number().int(), z.string().regex(/^\d+$/)]);
const Text = z.string().nullish();

/** A line's tax per rate: `{ id: <rate_id>, total, subtotal }`, with `""` for a rate that did not apply. */
const WooLineTax = z.looseObject({ id: RateId, total: Amount.nullish(), subtotal: Amount.nullish() });

const WooLineItem = z.looseObject({
  name: Text,
  product_id: z.number().int().nonnegative().nullish(),
  variation_id: z.number().int().nonnegative().nullish(),
  sku: Text,
  quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
  subtotal: Amount,
  subtotal_tax: Amount,
  total: Amount,
  total_tax: Amount,
  taxes: z.array(WooLineTax).default([]),
});

const WooTaxLine = z.looseObject({
  rate_id: RateId,
  /** Stored on the order since WooCommerce 3.7 (PR #23268), so the rate is the one charged, not today's. */
  rate_percent: z.union([z.number(), z.string()]).nullish(),
  label: Text,
});

const WooShippingLine = z.looseObject({ total: Amount, total_tax: Amount.nullish(), taxes: z.array(WooLineTax).default([]) });

const WooAddress = z.looseObject({
  first_name: Text,
  last_name: Text,
  company: Text,
  address_1: Text,
  address_2: Text,
  city: Text,
  state: Text,
  postcode: Text,
  country: Text,
  email: Text,
  phone: Text,
});

/** The parts of WooCommerce's REST v3 order JSON (the webhook body) that O2C reads. */
export const WooCommerceOrderBody = z.looseObject({
  id: z.number().int().positive(),
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string(),
  currency: z.string().refine(isCurrency, 'unknown ISO 4217 currency'),
  date_created_gmt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:MM:SS (GMT)'),
  prices_include_tax: z.boolean(),
  customer_id: z.number().int().nonnegative(),
  billing: WooAddress,
  shipping: WooAddress.nullish(),
  line_items: z.array(WooLineItem).min(1, 'an order needs at least one line').max(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`),
  tax_lines: z.array(WooTaxLine).default([]),
  shipping_lines: z.array(WooShippingLine).default([]),
  discount_total: Amount,
  shipping_total: Amount,
  total_tax: Amount,
  total: Amount,
});
export type WooCommerceOrderBody = z.infer<typeof WooCommerceOrderBody>;

/** Enough of the body to route a topic: status changes and deletions need no more than this. */
const WooOrderHead = z.looseObject({ id: z.number().int().positive(), status: z.string().optional() });

type Path = readonly (string | number)[];

function toAddress(address: z.infer<typeof WooAddress> | null | undefined): Address | undefined {
  if (!address) return undefined;
  return {
    name: textOrUndefined([address.first_name, address.last_name].map((part) => part?.trim()).filter(Boolean).join(' ')),
    company: textOrUndefined(address.company),
    line1: textOrUndefined(address.address_1),
    line2: textOrUndefined(address.address_2),
    city: textOrUndefined(address.city),
    postalCode: textOrUndefined(address.postcode),
    region: textOrUndefined(address.state),
    country: textOrUndefined(address.country),
    phone: textOrUndefined(address.phone),
  };
}

function toCustomer(order: WooCommerceOrderBody, issues: FieldIssues): CustomerInput {
  const { billing } = order;
  const email = textOrUndefined(billing.email);
  if (!email) issues.add(['billing', 'email'], 'no billing email');
  else if (!z.email().safeParse(email).success) issues.add(['billing', 'email'], `"${email}" is not an email address`);

  const country = textOrUndefined(billing.country) ?? textOrUndefined(order.shipping?.country);
  if (!country) issues.add(['billing', 'country'], 'no country on the billing or shipping address');
  else if (!COUNTRY_CODE.test(country)) issues.add(['billing', 'country'], `"${country}" is not an ISO 3166-1 alpha-2 country code`);

  const name =
    textOrUndefined(billing.company) ??
    textOrUndefined([billing.first_name, billing.last_name].map((part) => part?.trim()).filter(Boolean).join(' ')) ??
    email ??
    '';
  // customer_id 0 is WooCommerce's guest checkout.
  const externalId = order.customer_id > 0 ? String(order.customer_id) : guestCustomerId(email ?? '');
  return { externalId, name, email: email ?? '', country: country ?? '' };
}

/**
 * Rate ids of the taxes that applied (a non-zero total or subtotal), summed as the rates the order recorded in
 * `tax_lines[].rate_percent`. WooCommerce reports a line's tax as amounts per rate id, never as a rate.
 */
function appliedRate(order: WooCommerceOrderBody, taxes: readonly z.infer<typeof WooLineTax>[], path: Path, issues: FieldIssues): number {
  let ppm = 0;
  for (const [index, tax] of taxes.entries()) {
    const total = issues.minorOrZero([...path, index, 'total'], tax.total, order.currency);
    const subtotal = issues.minorOrZero([...path, index, 'subtotal'], tax.subtotal, order.currency);
    if (total === 0 && subtotal === 0) continue;
    const taxLineIndex = order.tax_lines.findIndex((taxLine) => String(taxLine.rate_id) === String(tax.id));
    const taxLine = order.tax_lines[taxLineIndex];
    if (!taxLine) {
      issues.add([...path, index, 'id'], `no tax_lines entry with rate_id ${tax.id}`);
      continue;
    }
    if (taxLine.rate_percent === null || taxLine.rate_percent === undefined) {
      issues.add(['tax_lines', taxLineIndex, 'rate_percent'], 'missing: the rate charged is needed (WooCommerce 3.7+ records it on the order)');
      continue;
    }
    ppm += issues.percentRate(['tax_lines', taxLineIndex, 'rate_percent'], taxLine.rate_percent);
  }
  return ppm;
}

/**
 * One line, tax-inclusive when the store's prices are (`prices_include_tax`), so the canonical order is in the
 * same terms the buyer saw. The discount is `subtotal − total` (coupons, line and order level, are already spread
 * over the lines). WooCommerce reports line amounts, not a unit price: a total that does not divide by the
 * quantity is rounded up per unit and the remainder carried as discount, so the line total stays the store's.
 */
function toLine(order: WooCommerceOrderBody, item: z.infer<typeof WooLineItem>, index: number, issues: FieldIssues): OrderLineInput {
  const path = ['line_items', index];
  const { currency } = order;
  // Every amount is checked, whichever ones the store's tax mode then uses.
  const subtotal = issues.minor([...path, 'subtotal'], item.subtotal, currency);
  const subtotalTax = issues.minor([...path, 'subtotal_tax'], item.subtotal_tax, currency);
  const total = issues.minor([...path, 'total'], item.total, currency);
  const totalTax = issues.minor([...path, 'total_tax'], item.total_tax, currency);
  const beforeDiscount = order.prices_include_tax ? subtotal + subtotalTax : subtotal;
  const afterDiscount = order.prices_include_tax ? total + totalTax : total;
  if (afterDiscount > beforeDiscount) issues.add([...path, 'total'], 'line total exceeds its subtotal');
  const { unitPriceMinor, roundingMinor } = unitPriceOf(beforeDiscount, item.quantity);
  return {
    sku: lineSku(item, path, issues),
    description: textOrUndefined(item.name),
    quantity: item.quantity,
    unitPriceMinor,
    taxRatePpm: appliedRate(order, item.taxes, [...path, 'taxes'], issues),
    discountMinor: Math.max(0, beforeDiscount - afterDiscount) + roundingMinor,
  };
}

/** The SKU, or a stand-in the catalogue check will not know, so the order is held with a reason instead of lost. */
function lineSku(item: z.infer<typeof WooLineItem>, path: Path, issues: FieldIssues): string {
  const sku = textOrUndefined(item.sku);
  if (sku) return sku;
  if (item.variation_id) return `variant:${item.variation_id}`;
  if (item.product_id) return `product:${item.product_id}`;
  issues.add([...path, 'sku'], 'no SKU, variation_id or product_id to identify the product');
  return '';
}

/** Shipping as charged (WooCommerce coupons never discount shipping lines), and the one rate it was taxed at. */
function toShipping(order: WooCommerceOrderBody, issues: FieldIssues): { shippingMinor: number; shippingTaxRatePpm: number } {
  let shippingMinor = 0;
  let rate: { ppm: number; index: number } | undefined;
  for (const [index, line] of order.shipping_lines.entries()) {
    const path = ['shipping_lines', index];
    const net = issues.minor([...path, 'total'], line.total, order.currency);
    const tax = issues.minorOrZero([...path, 'total_tax'], line.total_tax, order.currency);
    shippingMinor += order.prices_include_tax ? net + tax : net;
    const ppm = appliedRate(order, line.taxes, [...path, 'taxes'], issues);
    if (net === 0 || ppm === 0) continue;
    if (rate === undefined) rate = { ppm, index };
    else if (rate.ppm !== ppm)
      issues.add([...path, 'taxes'], `taxed at ${ppm} ppm where shipping_lines.${rate.index} is taxed at ${rate.ppm} ppm; an order carries one shipping rate`);
  }
  return { shippingMinor, shippingTaxRatePpm: rate?.ppm ?? 0 };
}

/**
 * The store's totals as reported: `total` (gross, what the buyer paid) is the one the domain compares with its
 * recomputation; `discount_total` and `shipping_total` are net of tax, as WooCommerce reports them. WooCommerce
 * has no order-level subtotal field, so none is carried.
 */
function toStoreTotals(order: WooCommerceOrderBody, issues: FieldIssues): StoreTotals {
  return {
    discountMinor: issues.minor(['discount_total'], order.discount_total, order.currency),
    shippingMinor: issues.minor(['shipping_total'], order.shipping_total, order.currency),
    taxMinor: issues.minor(['total_tax'], order.total_tax, order.currency),
    totalMinor: issues.minor(['total'], order.total, order.currency),
  };
}

/**
 * Maps WooCommerce's order JSON to the canonical order. Throws `InvalidRequest('invalid woocommerce order',
 * details)` naming every bad field (missing fields, unknown currency, zero quantities, more decimals than the
 * currency, tax rates without `rate_percent`); never a `ZodError` or `RangeError`.
 */
export function wooCommerceOrderToCanonical(body: unknown): CanonicalOrder {
  const order = parseStorePayload(WooCommerceOrderBody, body, INVALID_ORDER);
  const issues = new FieldIssues();
  // The calendar check is zod's (JavaScript's Date would roll 2017-02-30 over into March).
  const isRealDate = z.iso.datetime().safeParse(`${order.date_created_gmt}Z`).success;
  if (!isRealDate) issues.add(['date_created_gmt'], `"${order.date_created_gmt}" is not a date`);
  const externalId = String(order.id);
  const storeOrderNumber = order.number === null || order.number === undefined ? undefined : String(order.number);
  const canonical: CanonicalOrder = {
    source: 'woocommerce',
    externalId,
    storeOrderNumber: storeOrderNumber === externalId ? undefined : storeOrderNumber,
    orderedAt: isRealDate ? new Date(`${order.date_created_gmt}Z`).toISOString() : '',
    currency: order.currency,
    customer: toCustomer(order, issues),
    lines: order.line_items.map((item, index) => toLine(order, item, index, issues)),
    ...toShipping(order, issues),
    taxesIncluded: order.prices_include_tax,
    billingAddress: toAddress(order.billing),
    shippingAddress: toAddress(order.shipping),
    storeTotals: toStoreTotals(order, issues),
  };
  issues.throwIfAny(INVALID_ORDER);
  return canonical;
}

/**
 * What a WooCommerce webhook (`X-WC-Webhook-Topic`, body already JSON-parsed) means for intake.
 * `order.created`/`order.updated`: `pending`, `on-hold`, `processing`, `completed` → order; `cancelled`,
 * `refunded`, `failed` → cancellation; any other status (drafts, custom statuses) → ignored. `order.deleted`
 * (trash or delete; the body is just `{"id"}`) → cancellation. Other topics → ignored.
 */
export function wooCommerceWebhookToIntake(topic: string, body: unknown): StoreWebhookResult {
  const normalisedTopic = topic.trim().toLowerCase();
  if (normalisedTopic === 'order.deleted') {
    const { id } = parseStorePayload(WooOrderHead, body, INVALID_ORDER);
    return { kind: 'cancellation', externalId: String(id), reason: 'deleted in WooCommerce' };
  }
  if (normalisedTopic !== 'order.created' && normalisedTopic !== 'order.updated')
    return { kind: 'ignored', reason: `WooCommerce topic "${topic}" is not one O2C acts on` };
  const { id, status } = parseStorePayload(WooOrderHead.required({ status: true }), body, INVALID_ORDER);
  if (CANCELLED_STATUSES.has(status)) return { kind: 'cancellation', externalId: String(id), reason: `WooCommerce status ${status}` };
  if (ORDER_STATUSES.has(status)) return { kind: 'order', order: wooCommerceOrderToCanonical(body) };
  return { kind: 'ignored', reason: `WooCommerce status "${status}" is neither a live nor a cancelled order` };
}
