import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signBase64Hmac } from '#domain/store-signatures';
import { repoRoot } from '#shared/state-machine-definitions';
import { secrets } from '#shared/topology';
import { baseUrl, createProduct, eventually, getAs, itemsMentioning, orderByExternalId, orderInStatus, postSigned, productStock, uniqueId } from './support.ts';

const fixture = (path: string) => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures', path), 'utf8')) as Record<string, unknown>;

/** A real Shopify delivery: raw body, base64 HMAC of it, topic and webhook id headers. */
function shopify(topic: string, body: unknown, webhookId: string, secret: string = secrets.shopify.devDefault) {
  const text = JSON.stringify(body);
  return fetch(`${baseUrl()}/webhooks/shopify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-webhook-id': webhookId, 'x-shopify-hmac-sha256': signBase64Hmac(text, secret), 'x-shopify-shop-domain': 'o2c-test.myshopify.com' },
    body: text,
  });
}

function woocommerce(topic: string | undefined, body: string, deliveryId: string, secret: string = secrets.woocommerce.devDefault) {
  return fetch(`${baseUrl()}/webhooks/woocommerce`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(topic ? { 'x-wc-webhook-topic': topic } : {}),
      'x-wc-webhook-delivery-id': deliveryId,
      'x-wc-webhook-signature': signBase64Hmac(body, secret),
      'x-wc-webhook-source': 'https://shop.example/',
    },
    body,
  });
}

/** The AUD development-store order with fresh ids, so each test owns its order and its new customer. */
function audOrder(): Record<string, unknown> & { id: number; line_items: Record<string, unknown>[] } {
  const id = String(Date.now()) + String(Math.floor(Math.random() * 1000));
  const order = fixture('shopify/dev-store-aud-gst.json');
  return { ...(order as { line_items: Record<string, unknown>[] }), id: Number(id), admin_graphql_api_id: `gid://shopify/Order/${id}`, customer: { ...(order.customer as object), id: Number(id) + 1, admin_graphql_api_id: `gid://shopify/Customer/${Number(id) + 1}` } };
}

/** What a refused delivery must leave as it was (the workflow may still add its own steps to the history meanwhile). */
const unchangedPart = ({ status, cancelReason, flags, holdReasons, totalMinor, reservedQuantities }: Record<string, unknown>) => ({ status, cancelReason, flags, holdReasons, totalMinor, reservedQuantities });

/** The AUD order with a stocked SKU of its own, created in Shopify and waiting for shipment here; the body it was sent with. */
async function reservedShopifyOrder(stock = 3) {
  const order = audOrder();
  const sku = uniqueId('AUD');
  const withSku = { ...order, line_items: order.line_items.map((line) => ({ ...line, sku })) };
  await createProduct(sku, stock, 4495, 'AUD');
  await shopify('orders/create', withSku, uniqueId('shopify'));
  const stored = await eventually(async () => orderByExternalId(String(order.id)));
  const reserved = await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
  return { order, sku, withSku, stored, reserved };
}

describe('Shopify webhooks', () => {
  it('given a real orders/create delivered twice and again as orders/paid, when processed, then one order with the store total to the cent', async () => {
    const order = audOrder();
    const webhookId = uniqueId('shopify');

    const first = await shopify('orders/create', order, webhookId);
    const again = await shopify('orders/create', order, webhookId);
    const paid = await shopify('orders/paid', order, uniqueId('shopify'));

    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: 'accepted', deliveryId: webhookId });
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    expect(paid.status).toBe(202);
    const stored = await eventually(async () => orderByExternalId(String(order.id)));
    const settled = await orderInStatus(String(stored.id), ['ON_HOLD']);
    expect(settled).toMatchObject({ source: 'shopify', currency: 'AUD', totalMinor: 5945, storeTotals: { totalMinor: 5945 }, flags: [] });
    // The store's line has no SKU: held with the reason, not dropped.
    expect(settled.holdReasons).toEqual(['lines[0]: unknown SKU variant:37319198802069']);
    const orders = (await itemsMentioning(`ORDERREF#shopify#${String(order.id)}`)).filter((item) => item.entityType === 'OrderRef');
    expect(orders).toHaveLength(1);
  });

  it('given a reserved Shopify order, when orders/cancelled arrives, then it is CANCELLED and its stock and exposure are released', async () => {
    const { sku, withSku, stored } = await reservedShopifyOrder();
    expect(await productStock(sku)).toMatchObject({ reserved: 1 });

    const cancelled = await shopify('orders/cancelled', { ...withSku, cancel_reason: 'customer', cancelled_at: new Date().toISOString() }, uniqueId('shopify'));

    expect(cancelled.status).toBe(202);
    const after = await orderInStatus(String(stored.id), ['CANCELLED']);
    expect(after.cancelReason).toMatch(/cancelled by shopify: .*customer/);
    expect(await productStock(sku)).toMatchObject({ reserved: 0, available: 3 });
    const customer = (await (await fetch(`${baseUrl()}/customers/${String(stored.customerId)}`, { headers: { authorization: `Bearer ${await (await import('../../local/dev-tokens.ts')).mintDevToken('viewer')}` } })).json()) as { exposureMinor: number };
    expect(customer.exposureMinor).toBe(0);
  });

  it('given a reserved Shopify order, when its captured orders/create is replayed as orders/cancelled with a new webhook id, then 202 ignored, the order and its stock as they were, and the refused header audited on the order', async () => {
    const { sku, withSku, stored, reserved: before } = await reservedShopifyOrder();
    const replayId = uniqueId('shopify');

    const replayed = await shopify('orders/cancelled', withSku, replayId);

    expect(replayed.status).toBe(202);
    expect(await replayed.json()).toEqual({ status: 'ignored', deliveryId: replayId, reason: expect.stringContaining('no cancelled_at') });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
    expect(unchangedPart(after)).toEqual(unchangedPart(before));
    expect(await productStock(sku)).toMatchObject({ reserved: 1 });
    const refused = (await itemsMentioning(String(stored.id))).filter((item) => item.entityType === 'AuditEvent' && item.type === 'StoreWebhookRefused');
    expect(refused).toEqual([expect.objectContaining({ entity: 'order', actor: 'shopify', reason: expect.stringContaining(replayId) })]);
  });

  it('given a forged signature, when delivered, then 401 and nothing is written', async () => {
    const order = audOrder();

    const response = await shopify('orders/create', order, uniqueId('shopify'), 'not-the-secret');

    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await itemsMentioning(String(order.id))).toEqual([]);
  });

  it('given a payload missing its line items, when delivered, then 400 naming the field', async () => {
    const { line_items: _dropped, ...order } = audOrder();

    const response = await shopify('orders/create', order, uniqueId('shopify'));

    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('line_items');
  });

  it('given a Shopify order paid at checkout, when shipped and invoiced, then the invoice is prepaid and PAID at issue, never queued for dunning, the order PAID and exposure untouched', async () => {
    const { stored, reserved: approved } = await reservedShopifyOrder(2);
    expect(approved.credit).toMatchObject({ outcome: 'APPROVED', reasons: ['paid in full at checkout: no credit needed'] });

    await postSigned('/shipments', { orderId: stored.id, carrier: 'AusPost', trackingNumber: uniqueId('AP'), shippedAt: new Date().toISOString() });

    const invoice = await eventually(async () => {
      const { items } = (await (await getAs('viewer', `/invoices?orderId=${String(stored.id)}`)).json()) as { items: { id: string; status: string; openMinor: number; totalMinor: number }[] };
      return items[0];
    }, 30_000);
    expect(invoice).toMatchObject({ status: 'PAID', openMinor: 0, totalMinor: 5945 });
    expect(await orderInStatus(String(stored.id), ['PAID'])).toMatchObject({ status: 'PAID' });
    const invoiceItems = await itemsMentioning(invoice.id);
    const item = invoiceItems.find((candidate) => candidate.entityType === 'Invoice');
    // The document as issued is its own item, beside the invoice item.
    expect(item).toMatchObject({ paidMinor: 5945 });
    expect(invoiceItems.find((candidate) => candidate.entityType === 'InvoiceDocument')).toMatchObject({ document: { prepaidMinor: 5945, payableMinor: 0 } });
    expect(item!.gsi3pk).toBeUndefined();
    const customer = (await (await getAs('viewer', `/customers/${String(stored.customerId)}`)).json()) as { exposureMinor: number };
    expect(customer.exposureMinor).toBe(0);
  });
});

describe('WooCommerce webhooks', () => {
  it('given the documented order delivered twice, when processed, then one order with the store total to the cent', async () => {
    const order = { ...fixture('woocommerce/rest-docs-order-727.json'), id: Number(String(Date.now()).slice(-9)) };
    const body = JSON.stringify(order);
    const deliveryId = uniqueId('wc');

    const first = await woocommerce('order.created', body, deliveryId);
    const again = await woocommerce('order.created', body, deliveryId);

    expect(first.status).toBe(202);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const stored = await eventually(async () => orderByExternalId(String(order.id), 'woocommerce'));
    expect(stored).toMatchObject({ source: 'woocommerce', currency: 'USD', totalMinor: 2935, storeTotals: { totalMinor: 2935 } });
  });

  it('given a stored WooCommerce order, when its captured order.created (status processing) is replayed as order.deleted, then 202 ignored, the order as it was and the refused header audited on it', async () => {
    const order = { ...fixture('woocommerce/rest-docs-order-727.json'), id: Number(String(Date.now()).slice(-9)), status: 'processing' };
    const body = JSON.stringify(order);
    await woocommerce('order.created', body, uniqueId('wc'));
    const stored = await eventually(async () => orderByExternalId(String(order.id), 'woocommerce'));
    const before = await orderInStatus(String(stored.id), ['ON_HOLD', 'AWAITING_SHIPMENT', 'REJECTED']);
    const replayId = uniqueId('wc');

    const replayed = await woocommerce('order.deleted', body, replayId);

    expect(replayed.status).toBe(202);
    expect(await replayed.json()).toEqual({ status: 'ignored', deliveryId: replayId, reason: expect.stringContaining('status processing') });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await orderInStatus(String(stored.id), [String(before.status)]);
    expect(unchangedPart(after)).toEqual(unchangedPart(before));
    const refused = (await itemsMentioning(String(stored.id))).filter((item) => item.entityType === 'AuditEvent' && item.type === 'StoreWebhookRefused');
    expect(refused).toEqual([expect.objectContaining({ entity: 'order', actor: 'woocommerce', reason: expect.stringContaining(replayId) })]);
  });

  it('given WooCommerce saving a webhook, when it pings with its webhook id, then 200', async () => {
    const response = await woocommerce(undefined, 'webhook_id=42', uniqueId('wc'));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ping' });
  });

  it('given a signature made with another secret, when delivered, then 401', async () => {
    const response = await woocommerce('order.created', JSON.stringify(fixture('woocommerce/rest-docs-order-727.json')), uniqueId('wc'), 'wrong');

    expect(response.status).toBe(401);
  });
});
