import { readSecret } from '#adapters/secrets';
import { receiveStoreWebhook } from '#domain/use-cases/receive-store-webhook';
import { wooCommerceWebhookToIntake } from '#schemas/woocommerce';
import { header, httpHandler, json, rawBody } from '#shared/http';
import { orderQueue, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), queue: orderQueue(), toIntake: wooCommerceWebhookToIntake };

/** `POST /webhooks/woocommerce`: 202 at once (WooCommerce disables webhooks that keep failing); processed from the queue. */
export const handler = httpHandler('POST /webhooks/woocommerce', async (event) => {
  const outcome = await receiveStoreWebhook(
    {
      source: 'woocommerce',
      rawBody: rawBody(event),
      signatureHeader: header(event, 'x-wc-webhook-signature'),
      topic: header(event, 'x-wc-webhook-topic'),
      deliveryId: header(event, 'x-wc-webhook-delivery-id'),
    },
    { ...deps, secret: await readSecret('woocommerce') },
  );
  return json(outcome.status === 'ping' ? 200 : 202, outcome);
});
