import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { readSecret } from '#adapters/secrets';
import { receiveStoreWebhook, type StoreWebhookRequest } from '#domain/use-cases/receive-store-webhook';
import type { StoreWebhookResult } from '#schemas/store-webhook';
import { header, httpHandler, json, rawBody } from '#shared/http';
import { businessMetrics, point } from '#shared/metrics';
import { logger, metrics, recordMetrics } from '#shared/observability';
import { intakeTableDeps, orderQueue } from '#shared/wiring';

/** Where each platform puts its signature, topic and delivery id. */
const PLATFORM_HEADERS = {
  shopify: { signature: 'x-shopify-hmac-sha256', topic: 'x-shopify-topic', deliveryId: 'x-shopify-webhook-id' },
  woocommerce: { signature: 'x-wc-webhook-signature', topic: 'x-wc-webhook-topic', deliveryId: 'x-wc-webhook-delivery-id' },
} as const;

/**
 * `POST /webhooks/<platform>`: 202 at once (Shopify allows 5 s; WooCommerce disables webhooks that keep failing),
 * the order processed from the queue. The two platforms differ only in headers, secret and payload mapping.
 */
export function storeWebhookHandler(source: StoreWebhookRequest['source'], toIntake: (topic: string, body: unknown) => StoreWebhookResult) {
  const deps = { ...intakeTableDeps(), queue: orderQueue(), toIntake, warn: (message: string, fields: Record<string, string>) => logger.warn(message, fields) };
  const headers = PLATFORM_HEADERS[source];
  return httpHandler(`POST /webhooks/${source}`, async (event) => {
    const outcome = await receiveStoreWebhook(
      {
        source,
        rawBody: rawBody(event),
        signatureHeader: header(event, headers.signature),
        topic: header(event, headers.topic),
        deliveryId: header(event, headers.deliveryId),
      },
      { ...deps, secret: await readSecret(source) },
    );
    if (outcome.status !== 'accepted') return json(outcome.status === 'ping' ? 200 : 202, outcome);
    if (outcome.intake === 'order') recordMetrics([point(businessMetrics.ordersAccepted, { Source: source })]);
    // What was queued (an order or a cancellation) is for our metrics; the store's answer stays `{status, deliveryId}`.
    return json(202, { status: outcome.status, deliveryId: outcome.deliveryId });
  }).use(logMetrics(metrics));
}
