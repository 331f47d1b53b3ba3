import { shopifyWebhookToIntake } from '#schemas/shopify';
import { storeWebhookHandler } from '#shared/store-webhook-handler';

/** `POST /webhooks/shopify`: orders/create, orders/paid, orders/cancelled (others are acknowledged and ignored). */
export const handler = storeWebhookHandler('shopify', shopifyWebhookToIntake);
