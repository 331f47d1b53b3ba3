/**
 * Shopify `orders/create` and WooCommerce `order.created` bodies for a simulator order, signed as the stores sign
 * them, so `o2c simulate` can place orders through all three webhooks. Pure: no clock, no network, no env reads
 * unless the caller passes an environment.
 *
 * The bodies follow the real deliveries in `test/fixtures/shopify` and `test/fixtures/woocommerce` (the fields O2C's
 * mappers read, plus the usual neighbours a store sends), with amounts chosen so the mapped order is, to the cent,
 * the order the generic webhook would make of the same lines:
 *
 * - O2C rounds tax once per rate over the whole order (README "Money and rounding"). Both mappers compare each
 *   line's charged tax with O2C's own half-up tax of that line and keep a different one as the store's
 *   (`storeTaxMinor`), which O2C then prices apart from its rate. So every line (and shipping) carries its own
 *   half-up tax, which both mappers accept as O2C's, and O2C re-rounds per rate exactly as for a generic order.
 * - The order-level figures (`total_price`/`total`, `total_tax`, the per-rate `tax_lines`) are O2C's per-rate
 *   totals, so the store's total equals O2C's and the order is not flagged. On an order where per-line and per-rate
 *   rounding differ, the line taxes then add up to a cent more or less than `total_tax`, as they do in stores that
 *   round tax at the order level.
 * - Prepaid means paid at checkout: Shopify `financial_status: "paid"` (captured = `total_price`), WooCommerce
 *   status `processing` with `date_paid` set (captured = `total`). O2C records that as the order's `prepaidMinor`,
 *   and its invoices are payable 0. Not prepaid: Shopify `pending` (manual payment), WooCommerce `on-hold` (bank
 *   transfer awaited), captured 0.
 *
 * - A taxed line (or shipping) whose own tax rounds to 0.00 (0.01 at 7 %) carries a 0.00 tax line, which both
 *   mappers read as "the tax did not apply": O2C records it at 0 % and its rate's total can then lose a cent
 *   (`untaxableAtTheirRate` lists such parts, so the driver can keep those orders on the generic webhook).
 *
 * Ids: O2C keys store orders and customers by (source, store id) and the Shopify mapper only keeps numeric ids, so
 * the store ids are derived from the simulator's own external ids by hashing (13 digits, like Shopify's, safe
 * integers); `storeOrderExternalId` and `storeCustomerExternalId` give what O2C stores, for
 * `GET /orders?source=<source>&externalId=<id>`. A customer ordering through two channels is two O2C customers.
 */
import { createHash } from 'node:crypto';
import { applyRateHalfUp, minorToDecimalString, percentToPpm, scaledToDecimalString } from '#domain/money';
import { priceOrder, type OrderLine } from '#domain/order';
import { signBase64Hmac } from '#domain/store-signatures';
import { secrets } from '#shared/topology';

export type StoreSource = 'shopify' | 'woocommerce';

/** A simulator order as the driver holds it (the generic webhook body's terms, plus whether it was paid at checkout). */
export interface StoreOrderInput {
  /** The simulator's own id; the store ids are derived from it. */
  externalId: string;
  /** ISO instant. */
  orderedAt: string;
  currency: string;
  customer: { externalId: string; name: string; email: string; country: string };
  lines: { sku: string; quantity: number; unitPriceMinor: number; taxRatePercent: number; description?: string | undefined }[];
  shippingMinor: number;
  /** The tax rate on shipping; 0 when omitted, as the generic webhook's `shippingTaxRatePercent`. */
  shippingTaxRatePercent?: number | undefined;
  /** Paid at checkout: O2C records the store's capture as the order's prepayment. */
  prepaid: boolean;
}

export interface StorePayloadOptions {
  /** The store's order id; derived from `order.externalId` when omitted (see `storeOrderId`). */
  orderId?: number | undefined;
  /** The human order number (Shopify `#1001`, WooCommerce `number`); derived from the id when omitted. */
  orderNumber?: number | undefined;
}

/** A signed delivery, ready for `fetch(baseUrl + path, { method: 'POST', headers, body })`. */
export interface SignedStoreRequest {
  path: string;
  headers: Record<string, string>;
  /** The exact bytes that were signed: send them untouched. */
  body: string;
}

/** Store ids are 13 digits (Shopify's ids today), far below 2^53 so `JSON.parse` keeps every digit. */
const ID_FLOOR = 1_000_000_000_000n;
const ID_SPAN = 9_000_000_000_000n;

function hashedId(kind: string, key: string): number {
  const digest = createHash('sha256').update(`${kind}\u001f${key}`).digest('hex');
  return Number(ID_FLOOR + (BigInt(`0x${digest.slice(0, 15)}`) % ID_SPAN));
}

/** The store's numeric order id for a simulator order id: the same every run, distinct per source. */
export function storeOrderId(source: StoreSource, externalId: string): number {
  return hashedId(`${source}:order`, externalId);
}

/** The store's numeric customer id for a simulator customer. */
export function storeCustomerId(source: StoreSource, customerExternalId: string): number {
  return hashedId(`${source}:customer`, customerExternalId);
}

/**
 * The external id O2C stores for the order (`GET /orders?source=<source>&externalId=<this>`): Shopify's order id
 * (O2C reads it from `admin_graphql_api_id`, which carries the same digits), WooCommerce's `id`, as text.
 */
export function storeOrderExternalId(source: StoreSource, externalId: string, options: Pick<StorePayloadOptions, 'orderId'> = {}): string {
  return String(options.orderId ?? storeOrderId(source, externalId));
}

/** The external id O2C gives the customer of such an order (the store's customer id; customers are per source). */
export function storeCustomerExternalId(source: StoreSource, customerExternalId: string): string {
  return String(storeCustomerId(source, customerExternalId));
}

/** The human order number: Shopify counts from #1001; a number derived from the id stays stable across runs. */
function orderNumberOf(orderId: number, options: StorePayloadOptions): number {
  return options.orderNumber ?? 1001 + (orderId % 900_000);
}

interface PricedStoreOrder {
  lines: { input: StoreOrderInput['lines'][number]; ratePpm: number; amountMinor: number; lineTaxMinor: number; priced: OrderLine }[];
  shipping: { amountMinor: number; ratePpm: number; lineTaxMinor: number };
  /** O2C's tax per rate (lines and shipping together), in ascending rate order. */
  taxByRate: { ratePpm: number; itemsTaxMinor: number; shippingTaxMinor: number; taxMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** The order priced by O2C's own policy (`priceOrder`), plus each line's own half-up tax for the store's line fields. */
function priceStoreOrder(order: StoreOrderInput): PricedStoreOrder {
  const shippingRatePpm = percentToPpm(order.shippingTaxRatePercent ?? 0);
  const inputs = order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, taxRatePpm: percentToPpm(line.taxRatePercent) }));
  const priced = priceOrder(inputs, { amountMinor: order.shippingMinor, taxRatePpm: shippingRatePpm }, false);
  const lines = order.lines.map((input, index) => {
    const { taxRatePpm, quantity, unitPriceMinor } = inputs[index]!;
    const amountMinor = quantity * unitPriceMinor;
    return { input, ratePpm: taxRatePpm, amountMinor, lineTaxMinor: applyRateHalfUp(amountMinor, taxRatePpm), priced: priced.lines[index]! };
  });
  const shipping = { amountMinor: order.shippingMinor, ratePpm: shippingRatePpm, lineTaxMinor: applyRateHalfUp(order.shippingMinor, shippingRatePpm) };
  const rates = [...new Set([...lines.map((line) => line.ratePpm), ...(order.shippingMinor > 0 ? [shippingRatePpm] : [])])].filter((ppm) => ppm > 0).sort((a, b) => a - b);
  const taxByRate = rates.map((ratePpm) => {
    const shippingTaxMinor = shipping.ratePpm === ratePpm ? priced.shipping.taxMinor : 0;
    const itemsTaxMinor = lines.filter((line) => line.ratePpm === ratePpm).reduce((sum, line) => sum + line.priced.taxMinor, 0);
    return { ratePpm, itemsTaxMinor, shippingTaxMinor, taxMinor: itemsTaxMinor + shippingTaxMinor };
  });
  const subtotalMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  const taxMinor = taxByRate.reduce((sum, rate) => sum + rate.taxMinor, 0);
  return { lines, shipping, taxByRate, subtotalMinor, taxMinor, totalMinor: subtotalMinor + order.shippingMinor + taxMinor };
}

/**
 * The parts of the order a store payload cannot carry at their rate: a taxed line or shipping whose own half-up tax
 * is 0.00 is read by both mappers as untaxed (a 0.00 tax line "did not apply"), so O2C would record it at 0 %.
 * Empty for every order whose store payload maps to exactly the generic order.
 */
export function untaxableAtTheirRate(order: StoreOrderInput): string[] {
  const lost = order.lines.flatMap((line, index) => {
    const ppm = percentToPpm(line.taxRatePercent);
    return ppm > 0 && applyRateHalfUp(line.quantity * line.unitPriceMinor, ppm) === 0 ? [`lines[${index}] (${line.sku}): ${line.quantity} × ${line.unitPriceMinor} at ${line.taxRatePercent} % is taxed 0.00`] : [];
  });
  const shippingPpm = percentToPpm(order.shippingTaxRatePercent ?? 0);
  if (order.shippingMinor > 0 && shippingPpm > 0 && applyRateHalfUp(order.shippingMinor, shippingPpm) === 0) lost.push(`shipping ${order.shippingMinor} at ${order.shippingTaxRatePercent} % is taxed 0.00`);
  return lost;
}

/** A rate in ppm as Shopify writes it, a fraction: 190 000 → 0.19. */
const fraction = (ppm: number) => Number(scaledToDecimalString(BigInt(ppm), 6));
/** A rate in ppm as WooCommerce writes `rate_percent`: 190 000 → 19, 75 000 → 7.5. */
const percent = (ppm: number) => Number(scaledToDecimalString(BigInt(ppm), 4));
const rateTitle = (ppm: number) => `MwSt ${percent(ppm)}%`;

/** The billing and shipping address parts a store always has; the simulator's customers have a name and a country only. */
function addressOf(customer: StoreOrderInput['customer']) {
  const house = (hashedId('address', customer.externalId) % 120) + 1;
  return { company: customer.name, address1: `Simulated Street ${house}`, address2: '', city: 'Simulation City', zip: String(10_000 + (house * 37) % 89_999), country_code: customer.country };
}

/** `2026-11-23T09:00:00.000Z` → `2026-11-23T09:00:00Z` (Shopify writes seconds and an offset). */
const shopifyInstant = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;
/** WooCommerce's `date_created_gmt`: GMT without a zone. */
const wooInstant = (iso: string) => new Date(iso).toISOString().slice(0, 19);

/**
 * A Shopify `orders/create` body (REST Order resource, API 2024-10 shape) for the order. Prepaid: `financial_status`
 * `paid` through Shopify Payments; otherwise `pending` through a manual (bank deposit) gateway.
 */
export function shopifyOrderPayload(order: StoreOrderInput, options: StorePayloadOptions = {}): Record<string, unknown> {
  const id = options.orderId ?? storeOrderId('shopify', order.externalId);
  const number = orderNumberOf(id, options);
  const customerId = storeCustomerId('shopify', order.customer.externalId);
  const { currency } = order;
  const money = (minor: number) => minorToDecimalString(minor, currency);
  const set = (minor: number) => ({ shop_money: { amount: money(minor), currency_code: currency }, presentment_money: { amount: money(minor), currency_code: currency } });
  const taxLine = (minor: number, ppm: number) => ({ title: rateTitle(ppm), price: money(minor), rate: fraction(ppm), price_set: set(minor) });
  const priced = priceStoreOrder(order);
  const gateway = order.prepaid ? 'shopify_payments' : 'Bank Deposit';
  const created = shopifyInstant(order.orderedAt);
  const address = addressOf(order.customer);
  const [firstName = '', ...rest] = order.customer.name.split(' ');
  const person = { first_name: firstName, last_name: rest.join(' ') };
  const shopifyAddress = { ...person, name: order.customer.name, ...address, province: null, province_code: null, country: order.customer.country, phone: null, latitude: null, longitude: null };
  const lineItemBase = id % 1_000_000_000;

  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    app_id: 580111,
    browser_ip: '192.0.2.1',
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    cart_token: null,
    checkout_id: id + 1,
    closed_at: null,
    confirmed: true,
    contact_email: order.customer.email,
    created_at: created,
    currency,
    current_subtotal_price: money(priced.subtotalMinor),
    current_total_discounts: '0.00',
    current_total_price: money(priced.totalMinor),
    current_total_price_set: set(priced.totalMinor),
    current_total_tax: money(priced.taxMinor),
    customer_locale: 'de',
    discount_applications: [],
    discount_codes: [],
    email: order.customer.email,
    estimated_taxes: false,
    financial_status: order.prepaid ? 'paid' : 'pending',
    fulfillment_status: null,
    gateway,
    name: `#${number}`,
    note: null,
    note_attributes: [],
    number: number - 1000,
    order_number: number,
    payment_gateway_names: [gateway],
    presentment_currency: currency,
    processed_at: created,
    source_name: 'web',
    subtotal_price: money(priced.subtotalMinor),
    subtotal_price_set: set(priced.subtotalMinor),
    tags: '',
    tax_lines: priced.taxByRate.map((rate) => taxLine(rate.taxMinor, rate.ratePpm)),
    taxes_included: false,
    test: false,
    total_discounts: '0.00',
    total_discounts_set: set(0),
    total_line_items_price: money(priced.subtotalMinor),
    total_line_items_price_set: set(priced.subtotalMinor),
    total_outstanding: money(order.prepaid ? 0 : priced.totalMinor),
    total_price: money(priced.totalMinor),
    total_price_set: set(priced.totalMinor),
    total_shipping_price_set: set(order.shippingMinor),
    total_tax: money(priced.taxMinor),
    total_tax_set: set(priced.taxMinor),
    total_tip_received: '0.00',
    total_weight: 0,
    updated_at: created,
    billing_address: shopifyAddress,
    shipping_address: shopifyAddress,
    customer: {
      id: customerId,
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
      email: order.customer.email,
      ...person,
      created_at: created,
      updated_at: created,
      state: 'enabled',
      tax_exempt: false,
      currency,
      default_address: { id: customerId + 1, customer_id: customerId, ...shopifyAddress, default: true },
    },
    fulfillments: [],
    refunds: [],
    line_items: priced.lines.map((line, index) => ({
      id: lineItemBase * 100 + index,
      admin_graphql_api_id: `gid://shopify/LineItem/${lineItemBase * 100 + index}`,
      variant_id: hashedId('shopify:variant', line.input.sku),
      product_id: hashedId('shopify:product', line.input.sku),
      sku: line.input.sku,
      title: line.input.description ?? line.input.sku,
      name: line.input.description ?? line.input.sku,
      variant_title: null,
      vendor: 'O2C Simulated Supply',
      quantity: line.input.quantity,
      current_quantity: line.input.quantity,
      fulfillable_quantity: line.input.quantity,
      fulfillment_service: 'manual',
      fulfillment_status: null,
      gift_card: false,
      grams: 0,
      price: money(line.input.unitPriceMinor),
      price_set: set(line.input.unitPriceMinor),
      product_exists: true,
      properties: [],
      requires_shipping: true,
      taxable: line.ratePpm > 0,
      total_discount: '0.00',
      total_discount_set: set(0),
      discount_allocations: [],
      duties: [],
      tax_lines: line.ratePpm > 0 ? [taxLine(line.lineTaxMinor, line.ratePpm)] : [],
    })),
    shipping_lines:
      order.shippingMinor > 0
        ? [
            {
              id: lineItemBase * 100 + 99,
              title: 'Standard',
              code: 'Standard',
              source: 'shopify',
              price: money(order.shippingMinor),
              price_set: set(order.shippingMinor),
              discounted_price: money(order.shippingMinor),
              discounted_price_set: set(order.shippingMinor),
              discount_allocations: [],
              tax_lines: priced.shipping.ratePpm > 0 ? [taxLine(priced.shipping.lineTaxMinor, priced.shipping.ratePpm)] : [],
            },
          ]
        : [],
  };
}

/**
 * A WooCommerce `order.created` body (REST API v3 order) for the order. Prepaid: status `processing`, paid by card
 * (`date_paid` set); otherwise `on-hold`, awaiting a direct bank transfer (`bacs`), `date_paid` null.
 */
export function wooCommerceOrderPayload(order: StoreOrderInput, options: StorePayloadOptions = {}): Record<string, unknown> {
  const id = options.orderId ?? storeOrderId('woocommerce', order.externalId);
  const number = options.orderNumber ?? id;
  const customerId = storeCustomerId('woocommerce', order.customer.externalId);
  const { currency } = order;
  const money = (minor: number) => minorToDecimalString(minor, currency);
  const priced = priceStoreOrder(order);
  // WooCommerce numbers its tax rates in the shop's settings; one id per rate the order uses.
  const rateIdOf = (ppm: number) => 1 + priced.taxByRate.findIndex((rate) => rate.ratePpm === ppm);
  const created = wooInstant(order.orderedAt);
  const address = addressOf(order.customer);
  const [firstName = '', ...rest] = order.customer.name.split(' ');
  const billing = { first_name: firstName, last_name: rest.join(' '), company: address.company, address_1: address.address1, address_2: '', city: address.city, state: '', postcode: address.zip, country: address.country_code };
  const shippingTaxMinor = priced.taxByRate.reduce((sum, rate) => sum + rate.shippingTaxMinor, 0);
  const lineBase = id % 100_000;

  return {
    id,
    parent_id: 0,
    number: String(number),
    order_key: `wc_order_${createHash('sha256').update(String(id)).digest('hex').slice(0, 13)}`,
    created_via: 'checkout',
    version: '9.4.2',
    status: order.prepaid ? 'processing' : 'on-hold',
    currency,
    date_created: created,
    date_created_gmt: created,
    date_modified: created,
    date_modified_gmt: created,
    discount_total: '0.00',
    discount_tax: '0.00',
    shipping_total: money(order.shippingMinor),
    shipping_tax: money(shippingTaxMinor),
    cart_tax: money(priced.taxMinor - shippingTaxMinor),
    total: money(priced.totalMinor),
    total_tax: money(priced.taxMinor),
    prices_include_tax: false,
    customer_id: customerId,
    customer_ip_address: '192.0.2.1',
    customer_user_agent: 'Mozilla/5.0 (o2c simulate)',
    customer_note: '',
    billing: { ...billing, email: order.customer.email, phone: '' },
    shipping: { ...billing, phone: '' },
    payment_method: order.prepaid ? 'stripe' : 'bacs',
    payment_method_title: order.prepaid ? 'Credit Card (Stripe)' : 'Direct bank transfer',
    transaction_id: order.prepaid ? `ch_${createHash('sha256').update(`charge:${id}`).digest('hex').slice(0, 24)}` : '',
    date_paid: order.prepaid ? created : null,
    date_paid_gmt: order.prepaid ? created : null,
    date_completed: null,
    date_completed_gmt: null,
    cart_hash: createHash('md5').update(order.externalId).digest('hex'),
    meta_data: [],
    line_items: priced.lines.map((line, index) => {
      const tax = money(line.lineTaxMinor);
      return {
        id: lineBase * 100 + index,
        name: line.input.description ?? line.input.sku,
        product_id: hashedId('woocommerce:product', line.input.sku) % 100_000,
        variation_id: 0,
        quantity: line.input.quantity,
        tax_class: line.ratePpm > 0 && line.ratePpm < 190_000 ? 'reduced-rate' : '',
        subtotal: money(line.amountMinor),
        subtotal_tax: tax,
        total: money(line.amountMinor),
        total_tax: tax,
        taxes: line.ratePpm > 0 ? [{ id: rateIdOf(line.ratePpm), total: tax, subtotal: tax }] : [],
        meta_data: [],
        sku: line.input.sku,
        price: Number(money(line.input.unitPriceMinor)),
      };
    }),
    tax_lines: priced.taxByRate.map((rate, index) => ({
      id: lineBase * 100 + 50 + index,
      rate_code: `DE-MWST ${percent(rate.ratePpm)}%-${index + 1}`,
      rate_id: index + 1,
      label: rateTitle(rate.ratePpm),
      compound: false,
      tax_total: money(rate.itemsTaxMinor),
      shipping_tax_total: money(rate.shippingTaxMinor),
      rate_percent: percent(rate.ratePpm),
      meta_data: [],
    })),
    shipping_lines:
      order.shippingMinor > 0
        ? [
            {
              id: lineBase * 100 + 99,
              method_title: 'Flat rate',
              method_id: 'flat_rate',
              instance_id: '1',
              total: money(order.shippingMinor),
              total_tax: money(priced.shipping.lineTaxMinor),
              taxes: priced.shipping.ratePpm > 0 ? [{ id: rateIdOf(priced.shipping.ratePpm), total: money(priced.shipping.lineTaxMinor), subtotal: '' }] : [],
              meta_data: [],
            },
          ]
        : [],
    fee_lines: [],
    coupon_lines: [],
    refunds: [],
  };
}

/** The store's webhook payload for the order, by source. */
export function storeOrderPayload(source: StoreSource, order: StoreOrderInput, options: StorePayloadOptions = {}): Record<string, unknown> {
  return source === 'shopify' ? shopifyOrderPayload(order, options) : wooCommerceOrderPayload(order, options);
}

/**
 * The shared secret O2C checks a store's signature with: the env var the local runtime reads
 * (`O2C_SHOPIFY_SECRET`, `O2C_WOOCOMMERCE_SECRET`), else the development default both sides fall back to.
 */
export function storeWebhookSecret(source: StoreSource, environment: Readonly<Record<string, string | undefined>> = {}): string {
  const spec = secrets[source];
  return environment[spec.localEnvVar] ?? spec.devDefault;
}

/**
 * The delivery as the store makes it: the body serialised once and signed (base64 HMAC-SHA256 of those bytes), the
 * topic, the delivery id O2C dedupes on, and the headers the platform adds. Shopify topic `orders/create`,
 * WooCommerce `order.created` unless `options.topic` says otherwise. Pass `options.environment` (e.g.
 * `process.env`) to sign with the secret the local runtime was given, or `options.secret` outright.
 */
export function signedStoreRequest(
  source: StoreSource,
  body: unknown,
  deliveryId: string,
  options: { topic?: string | undefined; secret?: string | undefined; environment?: Readonly<Record<string, string | undefined>> | undefined } = {},
): SignedStoreRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = signBase64Hmac(text, options.secret ?? storeWebhookSecret(source, options.environment));
  if (source === 'shopify') {
    return {
      path: '/webhooks/shopify',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': options.topic ?? 'orders/create',
        'x-shopify-webhook-id': deliveryId,
        'x-shopify-hmac-sha256': signature,
        'x-shopify-shop-domain': 'o2c-simulated.myshopify.com',
        'x-shopify-api-version': '2024-10',
      },
      body: text,
    };
  }
  const topic = options.topic ?? 'order.created';
  const [resource = 'order', event = 'created'] = topic.split('.');
  return {
    path: '/webhooks/woocommerce',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': resource,
      'x-wc-webhook-event': event,
      'x-wc-webhook-delivery-id': deliveryId,
      'x-wc-webhook-signature': signature,
      'x-wc-webhook-source': 'https://shop.simulated.example/',
      'x-wc-webhook-id': '1',
    },
    body: text,
  };
}
