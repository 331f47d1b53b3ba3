import { wooCommerceWebhookToIntake } from '#schemas/woocommerce';
import { storeWebhookHandler } from '#shared/store-webhook-handler';

/** `POST /webhooks/woocommerce`: order.created, order.updated, order.deleted, and WooCommerce's ping. */
export const handler = storeWebhookHandler('woocommerce', wooCommerceWebhookToIntake);
