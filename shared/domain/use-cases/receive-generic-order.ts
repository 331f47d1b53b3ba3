import { InvalidRequest, InvalidSignature } from '../errors.ts';
import type { Clock, DeliveryLog, OrderQueue } from '../ports.ts';
import { verifyGenericWebhook } from '../webhook-signature.ts';
import { epochSeconds } from '../dates.ts';
import type { CanonicalOrder } from '../order.ts';

/** API Gateway would take 10 MB; an order webhook over this is a client mistake. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface ReceiveGenericOrderDeps {
  secret: string;
  /** Wall clock for the replay window (transport security does not follow the simulated business clock). */
  wallClock: Clock;
  clock: Clock;
  deliveries: DeliveryLog;
  queue: OrderQueue;
  /** Reads the parsed JSON as our generic order (`#schemas/generic-order`), or throws InvalidRequest naming the fields. */
  readOrder: (json: unknown) => CanonicalOrder;
}

export type WebhookOutcome = { status: 'accepted' | 'duplicate'; deliveryId: string };

/**
 * Checks size, signature and shape (in that order, so unauthenticated callers learn nothing about validation),
 * then enqueues each order once. Enqueue comes before the dedupe mark: a crash in between re-enqueues on the
 * store's retry, which intake absorbs, whereas the other order could lose the order.
 */
export async function receiveGenericOrder(
  request: { rawBody: string; signatureHeader: string | undefined },
  deps: ReceiveGenericOrderDeps,
): Promise<WebhookOutcome> {
  if (Buffer.byteLength(request.rawBody, 'utf8') > MAX_WEBHOOK_BODY_BYTES)
    throw new InvalidRequest(`body is larger than ${MAX_WEBHOOK_BODY_BYTES / 1024} KB`);

  const signature = verifyGenericWebhook(request.signatureHeader, request.rawBody, deps.secret, epochSeconds(deps.wallClock.now()));
  if (!signature.ok) throw new InvalidSignature(signature.reason);

  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    throw new InvalidRequest('body is not valid JSON');
  }
  const order = deps.readOrder(json);
  const deliveryId = order.externalId;
  if (await deps.deliveries.has(order.source, deliveryId)) return { status: 'duplicate', deliveryId };

  const receivedAt = deps.clock.now();
  await deps.queue.enqueue({ kind: 'order', deliveryId, receivedAt: receivedAt.toISOString(), order });
  await deps.deliveries.record(order.source, deliveryId, receivedAt);
  return { status: 'accepted', deliveryId };
}
