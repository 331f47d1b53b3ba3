import * as z from '#schemas/zod';
import { EmailAddress } from './text.ts';
import { applyRateHalfUp, isCurrency, taxIncludedIn } from '#domain/money';
import type { Address, CanonicalOrder, CustomerInput, OrderLineInput, StorePayment, StoreTotals } from '#domain/order';
import { MAX_ORDER_LINES } from './generic-order.ts';
import { checkOrderLimits } from '#domain/order-limits';
import { cleanText } from '#domain/text';
import {
  COUNTRY_CODE,
  FieldIssues,
  guestCustomerId,
  parseStorePayload,
  textOrUndefined,
  vatIdOrUndefined,
  type StoreWebhookResult,
} from './store-webhook.ts';

/**
 * Shopify order webhooks (`orders/create`, `orders/paid`, `orders/cancelled`) and refunds (`refunds/create`).
 * Only the fields O2C needs are described; every object is loose, so the hundred-odd other fields (and new ones
 * in later API versions) pass through untouched. Amounts are Shopify's decimal strings in the shop currency
 * (`currency`, not `presentment_currency`) and are only ever read through `parseDecimalMinor`.
 */

const INVALID_ORDER = 'invalid shopify order';
const INVALID_REFUND = 'invalid shopify refund';

/** Shopify sends money as strings (`"19.99"`); refund line subtotals come as JSON numbers (`89.99`). */
const Amount = z.union([z.string(), z.number()]);
/**
 * Ids are JSON numbers, and the documented examples use ids beyond 2^53 that `JSON.parse` silently rounds. A
 * plain number is accepted here; whether its digits survived is decided in `storeId`.
 */
const Id = z.union([z.number(), z.string().check(z.regex(/^\d+$/, 'expected a numeric id'))]);
const Text = z.nullish(z.string());

const ShopifyTaxLine = z.looseObject({ price: Amount, rate: z.union([z.number(), z.string()]) });
const ShopifyDiscountAllocation = z.looseObject({ amount: Amount });

const ShopifyLineItem = z.looseObject({
  sku: Text,
  variant_id: z.nullish(Id),
  product_id: z.nullish(Id),
  name: Text,
  title: Text,
  quantity: z.number().check(z.int('must be a whole number'), z.gte(1, 'must be at least 1'), z.lte(1_000_000)),
  price: Amount,
  tax_lines: z._default(z.array(ShopifyTaxLine), []),
  discount_allocations: z._default(z.array(ShopifyDiscountAllocation), []),
});

const ShopifyShippingLine = z.looseObject({
  price: Amount,
  tax_lines: z._default(z.array(ShopifyTaxLine), []),
  discount_allocations: z._default(z.array(ShopifyDiscountAllocation), []),
});

const ShopifyAddress = z.looseObject({
  first_name: Text,
  last_name: Text,
  name: Text,
  company: Text,
  address1: Text,
  address2: Text,
  city: Text,
  zip: Text,
  province: Text,
  province_code: Text,
  country_code: Text,
  phone: Text,
});

const ShopifyCustomer = z.looseObject({
  id: Id,
  admin_graphql_api_id: Text,
  email: Text,
  first_name: Text,
  last_name: Text,
  default_address: z.nullish(ShopifyAddress),
});

/** The parts of Shopify's order JSON (webhook body = REST `Order` resource) that O2C reads. */
export const ShopifyOrderBody = z.looseObject({
  id: Id,
  admin_graphql_api_id: Text,
  name: Text,
  created_at: z.iso.datetime({ offset: true }),
  currency: z.string().check(z.refine(isCurrency, 'unknown ISO 4217 currency')),
  email: Text,
  contact_email: Text,
  taxes_included: z.boolean(),
  customer: z.nullish(ShopifyCustomer),
  billing_address: z.nullish(ShopifyAddress),
  shipping_address: z.nullish(ShopifyAddress),
  line_items: z.array(ShopifyLineItem).check(z.minLength(1, 'an order needs at least one line'), z.maxLength(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`)),
  shipping_lines: z._default(z.array(ShopifyShippingLine), []),
  subtotal_price: z.nullish(Amount),
  total_discounts: z.nullish(Amount),
  total_tax: z.nullish(Amount),
  total_price: Amount,
  total_shipping_price_set: z.nullish(z.looseObject({ shop_money: z.looseObject({ amount: Amount }) })),
  /** pending, authorized, partially_paid, paid, partially_refunded, refunded, voided. */
  financial_status: Text,
  /** What the order still waits for, against `current_total_price` (after edits and refunds). */
  total_outstanding: z.nullish(Amount),
  current_total_price: z.nullish(Amount),
  gateway: Text,
  payment_gateway_names: z.nullish(z.array(z.string())),
  note_attributes: z.nullish(z.array(z.looseObject({ name: z.nullish(z.string()), value: z.unknown() }))),
});
export type ShopifyOrderBody = z.infer<typeof ShopifyOrderBody>;

/** Shopify signs the body only, never the topic header: `cancelled_at` is what proves the cancellation. */
const ShopifyCancelledOrder = z.looseObject({ id: Id, admin_graphql_api_id: Text, cancel_reason: Text, cancelled_at: Text });

/** A refund (`refunds/create`): what it returns, never the order's other lines. */
const ShopifyRefundBody = z.looseObject({
  id: Id,
  admin_graphql_api_id: Text,
  order_id: Id,
  refund_line_items: z._default(z.array(z.looseObject({ quantity: z.number() })), []),
  transactions: z._default(z.array(z.looseObject({ amount: Amount, kind: Text, status: Text })), []),
});

/**
 * Shopify's id as a string with every digit. `admin_graphql_api_id` (`gid://shopify/Order/820982911946154508`)
 * is a string and keeps them; the numeric `id` is only trusted while it is a safe integer. An id that lost
 * digits would silently merge two orders under one external id, so it is refused instead.
 */
function storeId(issues: FieldIssues, path: readonly (string | number)[], id: number | string, gid: string | null | undefined): string {
  const fromGid = gid ? /\/(\d+)$/.exec(gid)?.[1] : undefined;
  if (fromGid) return fromGid;
  if (typeof id === 'string') return id;
  if (Number.isSafeInteger(id) && id > 0) return String(id);
  issues.add(path, `${id} is not an id O2C can keep exactly (beyond 2^53, its digits were lost when the JSON was parsed)`);
  return '';
}

function toAddress(address: z.infer<typeof ShopifyAddress> | null | undefined): Address | undefined {
  if (!address) return undefined;
  const name = textOrUndefined(address.name) ?? textOrUndefined([address.first_name, address.last_name].filter(Boolean).join(' '));
  return {
    name,
    company: textOrUndefined(address.company),
    line1: textOrUndefined(address.address1),
    line2: textOrUndefined(address.address2),
    city: textOrUndefined(address.city),
    postalCode: textOrUndefined(address.zip),
    region: textOrUndefined(address.province_code) ?? textOrUndefined(address.province),
    country: textOrUndefined(address.country_code),
    phone: textOrUndefined(address.phone),
  };
}

function toCustomer(order: ShopifyOrderBody, issues: FieldIssues): CustomerInput {
  const customer = order.customer ?? undefined;
  const billing = order.billing_address ?? undefined;
  const emailPath = customer && textOrUndefined(customer.email) ? ['customer', 'email'] : ['email'];
  // The customer record's email matches the customer id; a guest has only the order's own email.
  const email = textOrUndefined(customer?.email) ?? textOrUndefined(order.email) ?? textOrUndefined(order.contact_email);
  if (!email) issues.add(['email'], 'no email on the order or its customer');
  else if (!EmailAddress.safeParse(email).success) issues.add(emailPath, `"${email}" is not an email address`);

  const country =
    textOrUndefined(billing?.country_code) ??
    textOrUndefined(order.shipping_address?.country_code) ??
    textOrUndefined(customer?.default_address?.country_code);
  if (!country) issues.add(['billing_address', 'country_code'], 'no country on the billing or shipping address');
  else if (!COUNTRY_CODE.test(country)) issues.add(['billing_address', 'country_code'], `"${country}" is not an ISO 3166-1 alpha-2 country code`);

  const personName = (first: string | null | undefined, last: string | null | undefined) =>
    textOrUndefined([first, last].map((part) => part?.trim()).filter(Boolean).join(' '));
  const name =
    textOrUndefined(billing?.company) ??
    personName(customer?.first_name, customer?.last_name) ??
    personName(billing?.first_name, billing?.last_name) ??
    textOrUndefined(billing?.name) ??
    email ??
    '';

  const externalId = customer ? storeId(issues, ['customer', 'id'], customer.id, customer.admin_graphql_api_id) : guestCustomerId(email ?? '');
  const vatId = buyerVatId(order);
  return { externalId, name, email: email ?? '', country: country ?? '', ...(vatId ? { vatId } : {}) };
}

/**
 * The buyer's VAT id. Shopify's order has no field for it (customer `tax_exemptions` name an exemption, never a
 * number), so it is read only from a cart/checkout attribute (`note_attributes`) named for it, as VAT apps add
 * one, and only when the value is clearly a VAT id.
 */
function buyerVatId(order: ShopifyOrderBody): string | undefined {
  for (const attribute of order.note_attributes ?? []) {
    const name = (attribute.name ?? '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();
    if (!/^(vat|vat number|vat id|vat no|vatin|vat reg no|vat registration number|eu vat number|eu vat id)$/.test(name)) continue;
    const vatId = vatIdOrUndefined(attribute.value);
    if (vatId) return vatId;
  }
  return undefined;
}

/** Sum of the rates of the tax lines that charged something (a 0.00 line at 10 % means the tax did not apply). */
function chargedRate(
  taxLines: readonly z.infer<typeof ShopifyTaxLine>[],
  path: readonly (string | number)[],
  currency: string,
  issues: FieldIssues,
): number {
  let ppm = 0;
  for (const [index, taxLine] of taxLines.entries()) {
    const charged = issues.minor([...path, index, 'price'], taxLine.price, currency);
    if (charged !== 0) ppm += issues.fractionRate([...path, index, 'rate'], taxLine.rate);
  }
  return ppm;
}

function toLines(order: ShopifyOrderBody, issues: FieldIssues): OrderLineInput[] {
  const { currency } = order;
  return order.line_items.map((item, index) => {
    const path = ['line_items', index];
    const unitPriceMinor = issues.minor([...path, 'price'], item.price, currency);
    // Shopify allocates order-level discounts (codes, automatic discounts) to lines; these are all of them.
    const discountMinor = item.discount_allocations.reduce(
      (sum, allocation, at) => sum + issues.minor([...path, 'discount_allocations', at, 'amount'], allocation.amount, currency),
      0,
    );
    if (discountMinor > unitPriceMinor * item.quantity) issues.add([...path, 'discount_allocations'], 'discounts exceed the line amount');
    const taxRatePpm = chargedRate(item.tax_lines, [...path, 'tax_lines'], currency, issues);
    const storeTaxMinor = storeTaxIfNotOurs(unitPriceMinor * item.quantity - discountMinor, taxRatePpm, item.tax_lines, [...path, 'tax_lines'], order, issues);
    return {
      sku: lineSku(item, path, issues),
      description: textOrUndefined(item.name) ?? textOrUndefined(item.title),
      quantity: item.quantity,
      unitPriceMinor,
      taxRatePpm,
      discountMinor,
      ...(storeTaxMinor === undefined ? {} : { storeTaxMinor }),
    };
  });
}

/** The SKU, or a stand-in the catalogue check will not know, so the order is held with a reason instead of lost. */
function lineSku(item: z.infer<typeof ShopifyLineItem>, path: readonly (string | number)[], issues: FieldIssues): string {
  const sku = textOrUndefined(item.sku);
  if (sku) return sku;
  if (item.variant_id !== null && item.variant_id !== undefined) return `variant:${storeId(issues, [...path, 'variant_id'], item.variant_id, undefined)}`;
  if (item.product_id !== null && item.product_id !== undefined) return `product:${storeId(issues, [...path, 'product_id'], item.product_id, undefined)}`;
  issues.add([...path, 'sku'], 'no SKU, variant_id or product_id to identify the product');
  return '';
}

/** The tax Shopify charged on an amount (its `tax_lines[].price`, summed). */
function chargedTax(taxLines: readonly z.infer<typeof ShopifyTaxLine>[], path: readonly (string | number)[], currency: string, issues: FieldIssues): number {
  return taxLines.reduce((sum, taxLine, index) => sum + issues.minor([...path, index, 'price'], taxLine.price, currency), 0);
}

/**
 * Shopify's own tax on an amount when ours differs: ours is the rate applied to the amount half-up (or the tax inside a
 * tax-inclusive amount), Shopify may round per unit, per rate or across the order. Undefined when they agree.
 */
function storeTaxIfNotOurs(
  amountMinor: number,
  ratePpm: number,
  taxLines: readonly z.infer<typeof ShopifyTaxLine>[],
  path: readonly (string | number)[],
  order: ShopifyOrderBody,
  issues: FieldIssues,
): number | undefined {
  const charged = chargedTax(taxLines, path, order.currency, issues);
  const ours = order.taxes_included ? taxIncludedIn(amountMinor, ratePpm) : applyRateHalfUp(amountMinor, ratePpm);
  return charged === ours ? undefined : charged;
}

/**
 * Shipping after shipping discounts, at one tax rate (the first charged one), with Shopify's shipping tax kept in
 * `shippingStoreTaxMinor` when that rate does not reproduce it (rounded per line, or lines at different rates).
 */
function toShipping(order: ShopifyOrderBody, issues: FieldIssues): { shippingMinor: number; shippingTaxRatePpm: number; shippingStoreTaxMinor?: number } {
  let shippingMinor = 0;
  let shippingTaxMinor = 0;
  let rate: { ppm: number; index: number } | undefined;
  for (const [index, line] of order.shipping_lines.entries()) {
    const path = ['shipping_lines', index];
    const discount = line.discount_allocations.reduce(
      (sum, allocation, at) => sum + issues.minor([...path, 'discount_allocations', at, 'amount'], allocation.amount, order.currency),
      0,
    );
    const charged = issues.minor([...path, 'price'], line.price, order.currency) - discount;
    shippingMinor += charged;
    shippingTaxMinor += chargedTax(line.tax_lines, [...path, 'tax_lines'], order.currency, issues);
    const ppm = chargedRate(line.tax_lines, [...path, 'tax_lines'], order.currency, issues);
    if (charged !== 0 && ppm !== 0 && rate === undefined) rate = { ppm, index };
  }
  const shippingTaxRatePpm = rate?.ppm ?? 0;
  const ours = order.taxes_included ? taxIncludedIn(shippingMinor, shippingTaxRatePpm) : applyRateHalfUp(shippingMinor, shippingTaxRatePpm);
  return { shippingMinor, shippingTaxRatePpm, ...(ours === shippingTaxMinor ? {} : { shippingStoreTaxMinor: shippingTaxMinor }) };
}

/**
 * The store's own totals, kept for the domain to compare with its recomputation. `totalMinor` is `total_price`,
 * the total when the order was placed: O2C prices `line_items[].quantity` (the quantities ordered), and
 * `current_total_price` subtracts later refunds and edits that reach O2C as their own events.
 */
function toStoreTotals(order: ShopifyOrderBody, issues: FieldIssues): StoreTotals {
  const optional = (field: string, amount: string | number | null | undefined) =>
    amount === null || amount === undefined ? undefined : issues.minor([field], amount, order.currency);
  const shippingAmount = order.total_shipping_price_set?.shop_money.amount;
  return {
    subtotalMinor: optional('subtotal_price', order.subtotal_price),
    discountMinor: optional('total_discounts', order.total_discounts),
    shippingMinor:
      shippingAmount === undefined ? undefined : issues.minor(['total_shipping_price_set', 'shop_money', 'amount'], shippingAmount, order.currency),
    taxMinor: optional('total_tax', order.total_tax),
    totalMinor: issues.minor(['total_price'], order.total_price, order.currency),
  };
}

/**
 * Maps Shopify's order JSON to the canonical order. Throws `InvalidRequest('invalid shopify order', details)`
 * naming every bad field (missing fields, unknown currency, zero quantities, more decimals than the currency,
 * ids that lost digits); never a `ZodError` or `RangeError`.
 */
export function shopifyOrderToCanonical(body: unknown): CanonicalOrder {
  const order = parseStorePayload(ShopifyOrderBody, body, INVALID_ORDER);
  const issues = new FieldIssues();
  const externalId = storeId(issues, ['id'], order.id, order.admin_graphql_api_id);
  const storeTotals = toStoreTotals(order, issues);
  const canonical: CanonicalOrder = {
    source: 'shopify',
    externalId,
    storeOrderNumber: textOrUndefined(order.name),
    orderedAt: new Date(order.created_at).toISOString(),
    currency: order.currency,
    customer: toCustomer(order, issues),
    lines: toLines(order, issues),
    ...toShipping(order, issues),
    taxesIncluded: order.taxes_included,
    billingAddress: toAddress(order.billing_address),
    shippingAddress: toAddress(order.shipping_address),
    storeTotals,
    payment: toPayment(order, storeTotals.totalMinor, issues),
  };
  issues.throwIfAny(INVALID_ORDER);
  return checkOrderLimits(canonical, INVALID_ORDER);
}

/** Statuses whose money the store holds in full or in part, read from the amounts; every other status holds none. */
const HOLDING_STATUSES = new Set(['partially_paid', 'partially_refunded']);

/**
 * What Shopify collected at checkout, by `financial_status`: `paid` → `total_price`, the order's total as charged;
 * `partially_paid` and `partially_refunded` → what the store still holds, `current_total_price − total_outstanding`
 * (never more than `total_price`, never below 0; 0 when the payload lacks the two amounts); `pending` and
 * `authorized` (nothing captured), `voided` (the authorization released) and `refunded` (all of it returned) → 0.
 * No `financial_status`, no payment.
 */
function toPayment(order: ShopifyOrderBody, totalMinor: number, issues: FieldIssues): StorePayment | undefined {
  const status = textOrUndefined(order.financial_status);
  if (!status) return undefined;
  const gateway = textOrUndefined(order.gateway) ?? textOrUndefined((order.payment_gateway_names ?? []).join(', '));
  let capturedMinor = 0;
  if (status === 'paid') capturedMinor = totalMinor;
  else if (HOLDING_STATUSES.has(status) && order.total_outstanding !== null && order.total_outstanding !== undefined) {
    const current = order.current_total_price === null || order.current_total_price === undefined ? totalMinor : issues.minor(['current_total_price'], order.current_total_price, order.currency);
    const held =
      current -
      issues.signedMinor(['total_outstanding'], order.total_outstanding, order.currency);
    capturedMinor = Math.min(totalMinor, Math.max(0, held));
  }
  return { status, capturedMinor, gateway };
}

function cancellation(body: unknown): StoreWebhookResult {
  const order = parseStorePayload(ShopifyCancelledOrder, body, INVALID_ORDER);
  const issues = new FieldIssues();
  const externalId = storeId(issues, ['id'], order.id, order.admin_graphql_api_id);
  issues.throwIfAny(INVALID_ORDER);
  if (!textOrUndefined(order.cancelled_at))
    return {
      kind: 'ignored',
      reason: 'the X-Shopify-Topic header says orders/cancelled, but the signed body has no cancelled_at: not a cancellation',
      unproven: { externalId },
    };
  const cancelReason = textOrUndefined(order.cancel_reason && cleanText(order.cancel_reason));
  return { kind: 'cancellation', externalId, reason: `cancelled in Shopify (${cancelReason ?? 'no reason given'})` };
}

/**
 * A refund never cancels the order here. Shopify's refund payload lists only the lines and money it returns, not
 * the order's other lines or its total, so it cannot show that the whole order was refunded (Shopify's own
 * documented example refunds every listed line in full yet returns 85.00 of a 404.95 order). Cancelling on a
 * guess would drop revenue silently; a whole-order cancellation arrives as `orders/cancelled`.
 */
function refund(body: unknown): StoreWebhookResult {
  const payload = parseStorePayload(ShopifyRefundBody, body, INVALID_REFUND);
  const issues = new FieldIssues();
  const refundId = storeId(issues, ['id'], payload.id, payload.admin_graphql_api_id);
  issues.throwIfAny(INVALID_REFUND);
  const units = payload.refund_line_items.reduce((sum, line) => sum + line.quantity, 0);
  return {
    kind: 'ignored',
    reason:
      `refund ${refundId} (${units} unit(s) on ${payload.refund_line_items.length} line(s)) not acted on: a Shopify refund ` +
      'lists only what it returns, so it cannot show that the whole order was refunded; whole-order cancellations arrive as orders/cancelled',
  };
}

/**
 * What a Shopify webhook (`X-Shopify-Topic`, body already JSON-parsed) means for intake: `orders/create` and
 * `orders/paid` are orders (a repeat is deduped by intake; what was paid is read from the body's
 * `financial_status`, never from the topic), `orders/cancelled` a cancellation with Shopify's `cancel_reason` only
 * when the body's `cancelled_at` is set (Shopify's HMAC covers the body, not the topic header, so a captured
 * `orders/create` replayed under `orders/cancelled` is ignored and marked `unproven`), `refunds/create` and every
 * other topic are ignored with the reason. The topic picks the mapper; only the signed body changes state.
 */
export function shopifyWebhookToIntake(topic: string, body: unknown): StoreWebhookResult {
  switch (topic.trim().toLowerCase()) {
    case 'orders/create':
    case 'orders/paid':
      return { kind: 'order', order: shopifyOrderToCanonical(body) };
    case 'orders/cancelled':
      return cancellation(body);
    case 'refunds/create':
      return refund(body);
    default:
      return { kind: 'ignored', reason: `Shopify topic "${topic}" is not one O2C acts on` };
  }
}
