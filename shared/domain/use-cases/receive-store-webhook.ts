import { InvalidRequest, InvalidSignature } from '../errors.ts';
import type { OrderSource } from '../order.ts';
import { auditTrail } from '../audit.ts';
import type { Clock, DeliveryLog, IdGenerator, OrderQueue, OrderStore } from '../ports.ts';
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
  /** Where a refused topic header is audited when its order is stored. */
  orders: Pick<OrderStore, 'findIdByRef' | 'get' | 'appendAudit'>;
  ids: IdGenerator;
  /** Where a refused topic header is recorded when its order is not stored (yet): a warning log line. */
  warn: (message: string, fields: Record<string, string>) => void;
}

export type StoreWebhookOutcome =
  | { status: 'accepted'; deliveryId: string; intake: 'order' | 'cancellation' }
  | { status: 'duplicate'; deliveryId: string }
  | { status: 'ignored'; deliveryId: string; reason: string }
  | { status: 'ping' };

/** WooCommerce's "is this URL alive?" call when a webhook is saved: a form body with only the webhook id. */
const WOOCOMMERCE_PING = /^webhook_id=\d+$/;

/**
 * Shopify and WooCommerce webhooks: signature (base64 HMAC-SHA256 of the raw body, constant time) first, then
 * the platform's payload mapped to our order or cancellation, queued once per delivery id. Replays are refused by
 * the delivery id (kept 30 days), not by a time window: both platforms retry old deliveries for up to two days.
 * Both platforms sign the body, not the topic header: the topic picks the mapper, and a topic claiming what the
 * body does not prove is answered `ignored` and recorded (`recordRefusedClaim`), nothing else written.
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
  if (result.kind === 'ignored') {
    if (result.unproven) await recordRefusedClaim(request.source, request.topic, deliveryId, result.unproven.externalId, result.reason, deps);
    return { status: 'ignored', deliveryId, reason: result.reason };
  }
  if (await deps.deliveries.has(request.source, deliveryId)) return { status: 'duplicate', deliveryId };

  const receivedAt = deps.clock.now();
  await deps.queue.enqueue(
    result.kind === 'order'
      ? { kind: 'order', deliveryId, receivedAt: receivedAt.toISOString(), order: result.order }
      : { kind: 'cancellation', deliveryId, receivedAt: receivedAt.toISOString(), source: request.source, externalId: result.externalId, reason: result.reason },
  );
  await deps.deliveries.record(request.source, deliveryId, receivedAt);
  return { status: 'accepted', deliveryId, intake: result.kind };
}

/**
 * A topic header that claimed a change the signed body does not prove (a captured delivery replayed under another
 * topic): nothing changes, and the refusal is kept once per delivery id, as a `StoreWebhookRefused` audit event on
 * the order when it is stored, or as a warning log line with the delivery id when it is not.
 */
async function recordRefusedClaim(
  source: StoreWebhookRequest['source'],
  topic: string,
  deliveryId: string,
  externalId: string,
  reason: string,
  deps: ReceiveStoreWebhookDeps,
): Promise<void> {
  if (await deps.deliveries.has(source, deliveryId)) return;
  const at = deps.clock.now();
  const orderId = await deps.orders.findIdByRef(source, externalId);
  const order = orderId ? await deps.orders.get(orderId) : undefined;
  const why = `${source} delivery ${deliveryId} (topic ${topic}) refused: ${reason}`;
  if (order) {
    const audit = auditTrail(deps, { actor: source, at: at.toISOString() });
    await deps.orders.appendAudit(audit({ entity: 'order', entityId: order.id, customerId: order.customerId, type: 'StoreWebhookRefused', reason: why }));
  } else {
    deps.warn('store webhook refused: its topic claims a change the signed body does not prove', { source, deliveryId, topic, externalId, reason });
  }
  await deps.deliveries.record(source, deliveryId, at);
}
