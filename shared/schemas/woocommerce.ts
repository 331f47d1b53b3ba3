import * as z from '#schemas/zod';
import { EmailAddress } from './text.ts';
import { divideHalfUp, isCurrency, minorUnitDigits } from '#domain/money';
import type { Address, CanonicalOrder, CustomerInput, OrderLineInput, StorePayment, StoreTotals } from '#domain/order';
import { MAX_ORDER_LINES } from './generic-order.ts';
import { checkOrderLimits } from '#domain/order-limits';
import {
  COUNTRY_CODE,
  FieldIssues,
  guestCustomerId,
  parseStorePayload,
  reviewTaxRate,
  roundToTotal,
  textOrUndefined,
  unitPriceOf,
  vatIdOrUndefined,
  type ExactDecimal,
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
const RateId = z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d+$/))]);
const Text = z.nullish(z.string());

/** A line's tax per rate: `{ id: <rate_id>, total, subtotal }`, with `""` for a rate that did not apply. */
const WooLineTax = z.looseObject({ id: RateId, total: z.nullish(Amount), subtotal: z.nullish(Amount) });

const WooLineItem = z.looseObject({
  name: Text,
  product_id: z.nullish(z.number().check(z.int(), z.gte(0))),
  variation_id: z.nullish(z.number().check(z.int(), z.gte(0))),
  sku: Text,
  quantity: z.number().check(z.int('must be a whole number'), z.gte(1, 'must be at least 1'), z.lte(1_000_000)),
  subtotal: Amount,
  subtotal_tax: Amount,
  total: Amount,
  total_tax: Amount,
  taxes: z._default(z.array(WooLineTax), []),
});

const WooTaxLine = z.looseObject({
  rate_id: RateId,
  /** The rate's tax on items and on shipping, rounded once for the whole order. */
  tax_total: z.nullish(Amount),
  shipping_tax_total: z.nullish(Amount),
  /** Stored on the order since WooCommerce 3.7 (PR #23268), so the rate is the one charged, not today's. */
  rate_percent: z.nullish(z.union([z.number(), z.string()])),
  label: Text,
});

const WooShippingLine = z.looseObject({ total: Amount, total_tax: z.nullish(Amount), taxes: z._default(z.array(WooLineTax), []) });

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
  id: z.number().check(z.int(), z.gt(0)),
  number: z.nullish(z.union([z.string(), z.number()])),
  status: z.string(),
  currency: z.string().check(z.refine(isCurrency, 'unknown ISO 4217 currency')),
  date_created_gmt: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:MM:SS (GMT)')),
  prices_include_tax: z.boolean(),
  customer_id: z.number().check(z.int(), z.gte(0)),
  billing: WooAddress,
  shipping: z.nullish(WooAddress),
  line_items: z.array(WooLineItem).check(z.minLength(1, 'an order needs at least one line'), z.maxLength(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`)),
  tax_lines: z._default(z.array(WooTaxLine), []),
  shipping_lines: z._default(z.array(WooShippingLine), []),
  discount_total: Amount,
  shipping_total: Amount,
  total_tax: Amount,
  total: Amount,
  /** Set when the order was paid (WooCommerce `payment_complete`); `set_paid` is the REST create request's flag. */
  date_paid: Text,
  date_paid_gmt: Text,
  set_paid: z.nullish(z.boolean()),
  payment_method: Text,
  meta_data: z.nullish(z.array(z.looseObject({ key: z.string(), value: z.unknown() }))),
});
export type WooCommerceOrderBody = z.infer<typeof WooCommerceOrderBody>;

/** Enough of the body to route a topic: status changes and deletions need no more than this. */
const WooOrderHead = z.looseObject({ id: z.number().check(z.int(), z.gt(0)), status: z.optional(z.string()) });

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
  else if (!EmailAddress.safeParse(email).success) issues.add(['billing', 'email'], `"${email}" is not an email address`);

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
  const vatId = buyerVatId(order);
  return { externalId, name, email: email ?? '', country: country ?? '', ...(vatId ? { vatId } : {}) };
}

/** Order meta keys EU VAT plugins write the buyer's VAT number under (WooCommerce EU VAT Number, Aelia, German Market, …). */
const VAT_META_KEYS = ['_billing_vat_number', 'billing_vat_number', '_vat_number', 'vat_number', '_billing_vat', 'billing_vat'];

/** The buyer's VAT id from the order meta, when a VAT plugin recorded one that is clearly a VAT id. */
function buyerVatId(order: WooCommerceOrderBody): string | undefined {
  for (const key of VAT_META_KEYS) {
    const vatId = vatIdOrUndefined(order.meta_data?.find((meta) => meta.key === key)?.value);
    if (vatId) return vatId;
  }
  return undefined;
}

/**
 * What the store collected at checkout: the whole `total` once the order is paid (`date_paid` set by the gateway's
 * payment_complete, or `set_paid` on a REST-created order), else nothing (cash on delivery, bank transfer awaited).
 */
function toPayment(order: WooCommerceOrderBody, totalMinor: number): StorePayment {
  const paid = textOrUndefined(order.date_paid_gmt) !== undefined || textOrUndefined(order.date_paid) !== undefined || order.set_paid === true;
  return { status: order.status, capturedMinor: paid ? totalMinor : 0, gateway: textOrUndefined(order.payment_method) };
}

/** One line's (or shipping line's) tax as the store sent it: exact amounts per rate id, however many decimals. */
interface StoreLineTax {
  /** Tax per rate id (`""` when the line had no `taxes` and only a `total_tax`), after discounts. */
  totals: Map<string, ExactDecimal>;
  /** Rate ids that applied: a non-zero total or subtotal (a coupon can take a taxed line down to 0.00). */
  applied: string[];
  /** Where each rate id first appears in `taxes[]`, to name it in a refusal. */
  at: Map<string, number>;
  /** The line's tax before and after discounts, exactly (for the discount of tax-inclusive lines). */
  subtotal: ExactDecimal;
  total: ExactDecimal;
}

function addExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale), scale };
}

/**
 * Reads a line's taxes exactly. WooCommerce reports tax per rate id in `taxes[]`, never as a rate, and unrounded
 * when the store rounds at subtotal (`"0.4545"`); only the line's `total_tax` is rounded, by the REST `dp`.
 */
function readLineTax(
  taxes: readonly z.infer<typeof WooLineTax>[],
  lineTotalTax: string | number | null | undefined,
  lineSubtotalTax: string | number | null | undefined,
  path: Path,
  issues: FieldIssues,
): StoreLineTax {
  const totals = new Map<string, ExactDecimal>();
  const applied: string[] = [];
  const at = new Map<string, number>();
  let subtotal: ExactDecimal = { units: 0n, scale: 0 };
  let total: ExactDecimal = { units: 0n, scale: 0 };
  for (const [index, tax] of taxes.entries()) {
    const id = String(tax.id);
    const taxTotal = issues.exactTax([...path, 'taxes', index, 'total'], tax.total);
    const taxSubtotal = issues.exactTax([...path, 'taxes', index, 'subtotal'], tax.subtotal);
    totals.set(id, addExact(totals.get(id) ?? { units: 0n, scale: 0 }, taxTotal));
    if (!at.has(id)) at.set(id, index);
    if ((taxTotal.units !== 0n || taxSubtotal.units !== 0n) && !applied.includes(id)) applied.push(id);
    subtotal = addExact(subtotal, taxSubtotal);
    total = addExact(total, taxTotal);
  }
  const lineTotal = issues.exactTax([...path, 'total_tax'], lineTotalTax);
  const lineSubtotal = issues.exactTax([...path, 'subtotal_tax'], lineSubtotalTax);
  if (taxes.length === 0) {
    // Only the line's own tax amounts: the rate has to be derived from them.
    if (lineTotal.units !== 0n || lineSubtotal.units !== 0n) applied.push('');
    totals.set('', lineTotal);
    return { totals, applied, at, subtotal: lineSubtotal, total: lineTotal };
  }
  return { totals, applied, at, subtotal, total };
}

/**
 * Each line's tax in minor units. Per rate id (and separately for items and shipping, as WooCommerce totals them),
 * the exact line taxes are rounded so they add up to the rate's own rounded total on the order (`tax_lines[].tax_total`,
 * `shipping_tax_total`), by largest remainder; taxes that already fit the currency stay as sent.
 */
function roundLineTaxes(order: WooCommerceOrderBody, lines: readonly StoreLineTax[], kind: 'items' | 'shipping', issues: FieldIssues): number[] {
  const rounded = lines.map(() => 0);
  const ids = [...new Set(lines.flatMap((line) => [...line.totals.keys()]))];
  for (const id of ids) {
    const taxLineIndex = id === '' ? -1 : order.tax_lines.findIndex((taxLine) => String(taxLine.rate_id) === id);
    const taxLine = order.tax_lines[taxLineIndex];
    const stated = kind === 'items' ? taxLine?.tax_total : taxLine?.shipping_tax_total;
    const statedMinor =
      stated === null || stated === undefined
        ? undefined
        : issues.minorOrZero(['tax_lines', taxLineIndex, kind === 'items' ? 'tax_total' : 'shipping_tax_total'], stated, order.currency);
    const amounts = lines.map((line) => line.totals.get(id) ?? { units: 0n, scale: 0 });
    roundToTotal(amounts, order.currency, statedMinor).forEach((minor, index) => (rounded[index]! += minor));
  }
  return rounded;
}

/**
 * The rate the order recorded for the rate ids that applied (`tax_lines[].rate_percent`, summed), or undefined when
 * one of them has none (stores before WooCommerce 3.7, and the REST documentation's own examples): the rate is then
 * derived from the amounts.
 */
function statedRate(order: WooCommerceOrderBody, tax: StoreLineTax, path: Path, issues: FieldIssues): number | undefined {
  let ppm: number | undefined = 0;
  for (const id of tax.applied) {
    if (id === '') return undefined;
    const taxLineIndex = order.tax_lines.findIndex((taxLine) => String(taxLine.rate_id) === id);
    const taxLine = order.tax_lines[taxLineIndex];
    if (!taxLine) {
      issues.add([...path, 'taxes', tax.at.get(id) ?? 0, 'id'], `no tax_lines entry with rate_id ${id}`);
      continue;
    }
    if (taxLine.rate_percent === null || taxLine.rate_percent === undefined || taxLine.rate_percent === '') ppm = undefined;
    else if (ppm !== undefined) ppm += issues.percentRate(['tax_lines', taxLineIndex, 'rate_percent'], taxLine.rate_percent);
  }
  return ppm;
}

/**
 * One line, tax-inclusive when the store's prices are (`prices_include_tax`), so the canonical order is in the
 * same terms the buyer saw. The discount is `subtotal − total` (coupons, line and order level, are already spread
 * over the lines). WooCommerce reports line amounts, not a unit price: a total that does not divide by the
 * quantity is rounded up per unit and the remainder carried as discount, so the line total stays the store's.
 * The rate is set afterwards, for all lines taxed by the same rate ids together (`reviewLineRates`).
 */
function toLine(
  order: WooCommerceOrderBody,
  item: z.infer<typeof WooLineItem>,
  index: number,
  tax: StoreLineTax,
  taxMinor: number,
  issues: FieldIssues,
): OrderLineInput {
  const path = ['line_items', index];
  const { currency } = order;
  const subtotal = issues.minor([...path, 'subtotal'], item.subtotal, currency);
  const total = issues.minor([...path, 'total'], item.total, currency);
  let beforeDiscount = subtotal;
  let afterDiscount = total;
  if (order.prices_include_tax) {
    // Gross after discount is the net plus the line's (rounded) tax; the discount is the exact gross difference,
    // rounded half-up, so an undiscounted line never gets a discount out of rounding alone.
    afterDiscount = total + taxMinor;
    const digits = minorUnitDigits(currency);
    const grossBefore = addExact({ units: BigInt(subtotal), scale: digits }, tax.subtotal);
    const grossAfter = addExact({ units: BigInt(total), scale: digits }, tax.total);
    const scale = Math.max(grossBefore.scale, grossAfter.scale);
    const difference = grossBefore.units * 10n ** BigInt(scale - grossBefore.scale) - grossAfter.units * 10n ** BigInt(scale - grossAfter.scale);
    beforeDiscount = afterDiscount + divideHalfUp(difference, 10n ** BigInt(scale - digits));
  }
  if (afterDiscount > beforeDiscount) issues.add([...path, 'total'], 'line total exceeds its subtotal');
  const { unitPriceMinor, roundingMinor } = unitPriceOf(beforeDiscount, item.quantity);
  return {
    sku: lineSku(item, path, issues),
    description: textOrUndefined(item.name),
    quantity: item.quantity,
    unitPriceMinor,
    taxRatePpm: 0,
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

/**
 * Sets each line's rate: lines taxed by the same rate ids share one rate, the recorded one or one derived from their
 * amounts (`reviewTaxRate`); a line whose tax that rate does not reproduce keeps the store's tax in `storeTaxMinor`.
 */
function reviewLineRates(order: WooCommerceOrderBody, lines: OrderLineInput[], taxes: readonly StoreLineTax[], taxMinor: readonly number[], issues: FieldIssues): void {
  const groups = new Map<string, number[]>();
  for (const [index, tax] of taxes.entries()) {
    const key = [...tax.applied].sort().join('+');
    groups.set(key, [...(groups.get(key) ?? []), index]);
  }
  for (const [key, members] of groups) {
    const first = members[0]!;
    const stated = key === '' ? 0 : statedRate(order, taxes[first]!, ['line_items', first], issues);
    const charged = members.map((index) => ({ amountMinor: lineAmount(lines[index]!), taxMinor: taxMinor[index]! }));
    const { ratePpm, reproduced } = reviewTaxRate(charged, order.prices_include_tax, stated);
    members.forEach((index, at) => {
      lines[index]!.taxRatePpm = ratePpm;
      if (!reproduced[at]) lines[index]!.storeTaxMinor = taxMinor[index]!;
    });
  }
}

/** The amount the domain prices for a line: quantity × unit price − discounts. */
function lineAmount(line: OrderLineInput): number {
  return line.quantity * line.unitPriceMinor - (line.discountMinor ?? 0);
}

/**
 * Shipping as charged (WooCommerce coupons never discount shipping lines), at one rate: the recorded one when every
 * taxed shipping line names the same rate ids, else one derived from the amounts. The store's shipping tax is kept
 * in `shippingStoreTaxMinor` when that rate does not reproduce it.
 */
function toShipping(
  order: WooCommerceOrderBody,
  issues: FieldIssues,
): { shippingMinor: number; shippingTaxRatePpm: number; shippingStoreTaxMinor?: number } {
  const taxes = order.shipping_lines.map((line, index) => readLineTax(line.taxes, line.total_tax, undefined, ['shipping_lines', index], issues));
  const taxMinor = roundLineTaxes(order, taxes, 'shipping', issues);
  const net = order.shipping_lines.reduce((sum, line, index) => sum + issues.minor(['shipping_lines', index, 'total'], line.total, order.currency), 0);
  const tax = taxMinor.reduce((sum, minor) => sum + minor, 0);
  const keys = new Set(taxes.filter((line) => line.applied.length > 0).map((line) => [...line.applied].sort().join('+')));
  const taxed = taxes.find((line) => line.applied.length > 0);
  const stated = keys.size === 0 ? 0 : keys.size === 1 && taxed ? statedRate(order, taxed, ['shipping_lines', taxes.indexOf(taxed)], issues) : undefined;
  const shippingMinor = order.prices_include_tax ? net + tax : net;
  const { ratePpm, reproduced } = reviewTaxRate([{ amountMinor: shippingMinor, taxMinor: tax }], order.prices_include_tax, stated);
  return { shippingMinor, shippingTaxRatePpm: ratePpm, ...(reproduced[0] ? {} : { shippingStoreTaxMinor: tax }) };
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
  const storeTotals = toStoreTotals(order, issues);
  const lineTaxes = order.line_items.map((item, index) => readLineTax(item.taxes, item.total_tax, item.subtotal_tax, ['line_items', index], issues));
  const lineTaxMinor = roundLineTaxes(order, lineTaxes, 'items', issues);
  const lines = order.line_items.map((item, index) => toLine(order, item, index, lineTaxes[index]!, lineTaxMinor[index]!, issues));
  reviewLineRates(order, lines, lineTaxes, lineTaxMinor, issues);
  const canonical: CanonicalOrder = {
    source: 'woocommerce',
    externalId,
    storeOrderNumber: storeOrderNumber === externalId ? undefined : storeOrderNumber,
    orderedAt: isRealDate ? new Date(`${order.date_created_gmt}Z`).toISOString() : '',
    currency: order.currency,
    customer: toCustomer(order, issues),
    lines,
    ...toShipping(order, issues),
    taxesIncluded: order.prices_include_tax,
    billingAddress: toAddress(order.billing),
    shippingAddress: toAddress(order.shipping),
    storeTotals,
    payment: toPayment(order, storeTotals.totalMinor),
  };
  issues.throwIfAny(INVALID_ORDER);
  return checkOrderLimits(canonical, INVALID_ORDER);
}

/** The status a trashed order carries; trashing is how a WooCommerce order is deleted (and may be restored). */
const TRASH_STATUS = 'trash';

/** A cancellation or deletion the signed body proves, from its status; undefined for any other status. */
function cancellationIn(id: number, status: string): StoreWebhookResult | undefined {
  if (CANCELLED_STATUSES.has(status)) return { kind: 'cancellation', externalId: String(id), reason: `WooCommerce status ${status}` };
  if (status === TRASH_STATUS) return { kind: 'cancellation', externalId: String(id), reason: `deleted in WooCommerce (status ${TRASH_STATUS})` };
  return undefined;
}

/**
 * What a WooCommerce webhook (`X-WC-Webhook-Topic`, body already JSON-parsed) means for intake. WooCommerce signs
 * the body only, never the topic header, so the topic picks the mapper and the body's `status` decides:
 * `pending`, `on-hold`, `processing`, `completed` → order (`order.created`/`order.updated`); `cancelled`, `refunded`,
 * `failed` → cancellation, and `trash` → cancellation as a deletion (on any of the three order topics); any other
 * status (drafts, custom statuses) → ignored. `order.deleted` is acted on only when its body proves it: WooCommerce
 * sends just `{"id"}` there, the same bytes it signs for a deleted coupon, product or customer, so an id-only body,
 * or one whose status is live, is ignored and marked `unproven`. Other topics → ignored.
 */
export function wooCommerceWebhookToIntake(topic: string, body: unknown): StoreWebhookResult {
  const normalisedTopic = topic.trim().toLowerCase();
  if (normalisedTopic === 'order.deleted') {
    const { id, status } = parseStorePayload(WooOrderHead, body, INVALID_ORDER);
    const proven = status === undefined ? undefined : cancellationIn(id, status);
    if (proven) return proven;
    const said =
      status === undefined
        ? 'has no status: WooCommerce signs the same {"id"} for a deleted coupon, product or customer, so it does not prove the order was deleted'
        : `says status ${status}: not a deletion`;
    return { kind: 'ignored', reason: `the X-WC-Webhook-Topic header says order.deleted, but the signed body ${said}`, unproven: { externalId: String(id) } };
  }
  if (normalisedTopic !== 'order.created' && normalisedTopic !== 'order.updated')
    return { kind: 'ignored', reason: `WooCommerce topic "${topic}" is not one O2C acts on` };
  const { id, status } = parseStorePayload(z.required(WooOrderHead, { status: true }), body, INVALID_ORDER);
  const cancellation = cancellationIn(id, status);
  if (cancellation) return cancellation;
  if (ORDER_STATUSES.has(status)) return { kind: 'order', order: wooCommerceOrderToCanonical(body) };
  return { kind: 'ignored', reason: `WooCommerce status "${status}" is neither a live nor a cancelled order` };
}
