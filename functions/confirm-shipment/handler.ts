import { readSecret } from '#adapters/secrets';
import { InvalidSignature } from '#domain/errors';
import { confirmShipment } from '#domain/use-cases/confirm-shipment';
import { verifyGenericWebhook } from '#domain/webhook-signature';
import { ShipmentBody } from '#schemas/shipment';
import { wallClock } from '#shared/clock';
import { header, httpHandler, json, parseBody, rawBody } from '#shared/http';
import { invoicingRelay, tableDeps } from '#shared/wiring';
import { epochSeconds } from '#domain/dates';

const deps = { ...tableDeps(), invoicing: invoicingRelay() };

/** `POST /shipments`: a carrier's or 3PL's signed confirmation (same signature scheme as the generic webhook). */
export const handler = httpHandler('POST /shipments', async (event) => {
  const signature = verifyGenericWebhook(header(event, 'x-o2c-signature'), rawBody(event), await readSecret('webhook'), epochSeconds(wallClock.now()));
  if (!signature.ok) throw new InvalidSignature(signature.reason);
  const outcome = await confirmShipment(parseBody(event, ShipmentBody), deps);
  return json(outcome.status === 'recorded' ? 201 : 200, outcome);
});
