import { readSecret } from '#adapters/secrets';
import { InvalidSignature } from '#domain/errors';
import { confirmShipment } from '#domain/use-cases/confirm-shipment';
import { verifyGenericWebhook } from '#domain/webhook-signature';
import { ShipmentBody } from '#schemas/shipment';
import { wallClock } from '#shared/clock';
import { header, httpHandler, json, parseBody, rawBody } from '#shared/http';
import { invoicingQueue, tableDeps } from '#shared/wiring';
import { epochSeconds } from '#domain/dates';

const deps = tableDeps();
const invoicing = invoicingQueue();

/** `POST /shipments`: a carrier's or 3PL's signed confirmation (same signature scheme as the generic webhook). */
export const handler = httpHandler('POST /shipments', async (event) => {
  const signature = verifyGenericWebhook(header(event, 'x-o2c-signature'), rawBody(event), await readSecret('webhook'), epochSeconds(wallClock.now()));
  if (!signature.ok) throw new InvalidSignature(signature.reason);
  const shipment = parseBody(event, ShipmentBody);
  const outcome = await confirmShipment(shipment, deps);
  // Also on a duplicate: if the first delivery died before queueing, the carrier's retry queues it (invoicing is idempotent).
  if (outcome.status !== 'delivered') await invoicing.enqueue({ orderId: outcome.orderId, shipmentKey: `${shipment.carrier}#${shipment.trackingNumber}` });
  return json(outcome.status === 'recorded' ? 201 : 200, outcome);
});
