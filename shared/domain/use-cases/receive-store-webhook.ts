import { InvalidRequest, InvalidSignature } from '../errors.ts';
import type { OrderSource } from '../order.ts';
import type { Clock, DeliveryLog, OrderQueue } from '../ports.ts';
import { verifyBase64Hmac } from '../store-signatures.ts';
import type { StoreWebhookResult } from '../order.ts';

/** Stores send whole orders with every field they have; 1 MB keeps the canonical message well inside SQS's limit. */
export const MAX_STORE_WEBHOOK_BYTES = 1024 * 1024;

export interface StoreWebhookRequest {
  source: Extract<OrderSource, 'shopify' | 'woocommerce'>;
  rawBody: string;
  signatureHeader: string | undefined;
  topic: string | undefined;
  deliveryId: string | undefined;
}

export interface ReceiveStoreWebhookDeps {
  secret: string;
  clock: Clock;
  deliveries: DeliveryLog;
  queue: OrderQueue;
  /** The platform's payload → our canonical order, cancellation, or a topic we do not act on. */
  toIntake: (topic: string, body: unknown) => StoreWebhookResult;
}

export type StoreWebhookOutcome =
  | { status: 'accepted' | 'duplicate'; deliveryId: string }
  | { status: 'ignored'; deliveryId: string; reason: string }
  | { status: 'ping' };

/** WooCommerce's "is this URL alive?" call when a webhook is saved: a form body with only the webhook id. */
const WOOCOMMERCE_PING = /^webhook_id=\d+$/;

/**
 * Shopify and WooCommerce webhooks: signature (base64 HMAC-SHA256 of the raw body, constant time) first, then
 * the platform's payload mapped to our order or cancellation, queued once per delivery id. Replays are refused by
 * the delivery id (kept 30 days), not by a time window: both platforms retry old deliveries for up to two days.
 */
export async function receiveStoreWebhook(request: StoreWebhookRequest, deps: ReceiveStoreWebhookDeps): Promise<StoreWebhookOutcome> {
  if (Buffer.byteLength(request.rawBody, 'utf8') > MAX_STORE_WEBHOOK_BYTES) throw new InvalidRequest('body is larger than 1 MB');
  const signature = verifyBase64Hmac(request.signatureHeader, request.rawBody, deps.secret);
  if (!signature.ok) throw new InvalidSignature(signature.reason);
  if (request.source === 'woocommerce' && !request.topic && WOOCOMMERCE_PING.test(request.rawBody.trim())) return { status: 'ping' };
  if (!request.topic) throw new InvalidRequest(`missing the ${request.source === 'shopify' ? 'X-Shopify-Topic' : 'X-WC-Webhook-Topic'} header`);
  if (!request.deliveryId) throw new InvalidRequest(`missing the ${request.source === 'shopify' ? 'X-Shopify-Webhook-Id' : 'X-WC-Webhook-Delivery-ID'} header`);

  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    throw new InvalidRequest('body is not valid JSON');
  }
  const result = deps.toIntake(request.topic, json);
  const deliveryId = request.deliveryId;
  if (result.kind === 'ignored') return { status: 'ignored', deliveryId, reason: result.reason };
  if (await deps.deliveries.has(request.source, deliveryId)) return { status: 'duplicate', deliveryId };

  const receivedAt = deps.clock.now();
  await deps.queue.enqueue(
    result.kind === 'order'
      ? { kind: 'order', deliveryId, receivedAt: receivedAt.toISOString(), order: result.order }
      : { kind: 'cancellation', deliveryId, receivedAt: receivedAt.toISOString(), source: request.source, externalId: result.externalId, reason: result.reason },
  );
  await deps.deliveries.record(request.source, deliveryId, receivedAt);
  return { status: 'accepted', deliveryId };
}
