import { readSecret } from '#adapters/secrets';
import { receiveStoreWebhook } from '#domain/use-cases/receive-store-webhook';
import { shopifyWebhookToIntake } from '#schemas/shopify';
import { header, httpHandler, json, rawBody } from '#shared/http';
import { orderQueue, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), queue: orderQueue(), toIntake: shopifyWebhookToIntake };

/** `POST /webhooks/shopify`: 202 within Shopify's 5-second timeout; the order is processed from the queue. */
export const handler = httpHandler('POST /webhooks/shopify', async (event) => {
  const outcome = await receiveStoreWebhook(
    {
      source: 'shopify',
      rawBody: rawBody(event),
      signatureHeader: header(event, 'x-shopify-hmac-sha256'),
      topic: header(event, 'x-shopify-topic'),
      deliveryId: header(event, 'x-shopify-webhook-id'),
    },
    { ...deps, secret: await readSecret('shopify') },
  );
  return json(outcome.status === 'ping' ? 200 : 202, outcome);
});
