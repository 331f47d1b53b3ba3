import { auditTrail } from '../audit.ts';
import { Conflict, InvalidRequest } from '../errors.ts';
import { outstandingQuantities, quantitiesBySku, revise } from '../order.ts';
import type { Clock, IdGenerator, OrderStore, ShipmentRecord } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';
import { refusedCharacter, refusedTextMessage } from '../text.ts';
import { relayInvoicingRequest, type RelayInvoicingDeps } from './relay-invoicing.ts';

export interface ConfirmShipmentInput {
  orderId: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  lines?: { sku: string; quantity: number }[] | undefined;
  deliveredAt?: string | undefined;
  proofOfDelivery?: { signedBy?: string | undefined; url?: string | undefined } | undefined;
}

export type ShipmentOutcome = { status: 'recorded' | 'duplicate' | 'delivered'; orderId: string; orderStatus: string; shipped: Record<string, number> };

export interface ConfirmShipmentDeps {
  orders: OrderStore;
  clock: Clock;
  ids: IdGenerator;
  invoicing: RelayInvoicingDeps;
}

/**
 * Records what a carrier shipped (everything outstanding when no lines are given): shipped units leave stock on
 * hand and the reservation, the order becomes PARTIALLY_SHIPPED or SHIPPED, and the shipment waits in the invoicing
 * outbox, in one transaction; then its invoicing request is relayed. The same (carrier, tracking number) again is a
 * duplicate (relayed again, in case the first sender died before the queue had it), or, with a delivery date, the
 * proof of delivery.
 */
export async function confirmShipment(input: ConfirmShipmentInput, deps: ConfirmShipmentDeps): Promise<ShipmentOutcome> {
  assertStorableText(input);
  // Billing updates the order when it invoices the previous shipment; a shipment racing it re-reads and tries again.
  const outcome = await retryOnChange(
    () => new Conflict(`order ${input.orderId} kept changing while the shipment was recorded; send it again`),
    async () => {
      const attempt = await tryConfirmShipment(input, deps);
      return attempt === 'order-changed' ? RETRY : attempt;
    },
    { attempts: MAX_ATTEMPTS },
  );
  if (outcome.status !== 'delivered') await relayInvoicingRequest({ orderId: outcome.orderId, carrier: input.carrier, trackingNumber: input.trackingNumber }, deps.invoicing);
  return outcome;
}

const MAX_ATTEMPTS = 5;

/**
 * The shipment's text goes into keys, the audit and the invoicing message: a character SQS or DynamoDB refuses is
 * a 400 before anything is written (otherwise the order is SHIPPED and its invoicing message refused, on every retry).
 */
function assertStorableText(input: ConfirmShipmentInput): void {
  const texts: [string, string | undefined][] = [
    ['orderId', input.orderId],
    ['carrier', input.carrier],
    ['trackingNumber', input.trackingNumber],
    ...(input.lines ?? []).map((line, index): [string, string] => [`lines.${index}.sku`, line.sku]),
    ['proofOfDelivery.signedBy', input.proofOfDelivery?.signedBy],
    ['proofOfDelivery.url', input.proofOfDelivery?.url],
  ];
  const issues = texts.flatMap(([path, text]) => {
    const character = text === undefined ? undefined : refusedCharacter(text);
    return character ? [{ path, message: refusedTextMessage(character) }] : [];
  });
  if (issues.length > 0) throw new InvalidRequest('invalid shipment', issues);
}

async function tryConfirmShipment(input: ConfirmShipmentInput, deps: ConfirmShipmentDeps): Promise<ShipmentOutcome | 'order-changed'> {
  const order = await deps.orders.get(input.orderId);
  if (!order) throw new Conflict(`order ${input.orderId} is unknown`);
  const at = deps.clock.now().toISOString();
  const audit = auditTrail(deps, { actor: `carrier:${input.carrier}`, at });

  const existing = await deps.orders.getShipment(order.id, input.carrier, input.trackingNumber);
  if (existing) return recordDelivery(existing, input, order.status, deps, audit);

  if (order.status !== 'AWAITING_SHIPMENT' && order.status !== 'PARTIALLY_SHIPPED')
    throw new Conflict(`order ${order.id} is ${order.status}: there is nothing to ship`);
  const outstanding = outstandingQuantities(order);
  const shipped = input.lines ? quantitiesBySku(input.lines) : outstanding;
  for (const [sku, quantity] of Object.entries(shipped)) {
    const open = outstanding[sku] ?? 0;
    if (open === 0) throw new InvalidRequest(`${sku} is not outstanding on order ${order.id}`);
    if (quantity > open) throw new InvalidRequest(`${quantity} units of ${sku} shipped but only ${open} outstanding`);
  }

  const reservedQuantities = { ...order.reservedQuantities };
  const shippedQuantities = { ...order.shippedQuantities };
  for (const [sku, quantity] of Object.entries(shipped)) {
    reservedQuantities[sku] = (reservedQuantities[sku] ?? 0) - quantity;
    if (reservedQuantities[sku] === 0) delete reservedQuantities[sku];
    shippedQuantities[sku] = (shippedQuantities[sku] ?? 0) + quantity;
  }
  const status = Object.keys(reservedQuantities).length === 0 ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
  const shipment: ShipmentRecord = {
    orderId: order.id,
    carrier: input.carrier,
    trackingNumber: input.trackingNumber,
    shippedAt: input.shippedAt,
    quantities: shipped,
    recordedAt: at,
    deliveredAt: input.deliveredAt,
    proofOfDelivery: input.proofOfDelivery,
  };
  const outcome = await deps.orders.recordShipment(
    order,
    revise(order, { status, reservedQuantities, shippedQuantities }, at),
    shipment,
    audit({ entity: 'order', entityId: order.id, customerId: order.customerId, type: 'OrderShipped', before: order.status, after: status, reason: `${input.carrier} ${input.trackingNumber}: ${JSON.stringify(shipped)}` }),
  );
  if (outcome === 'duplicate') return { status: 'duplicate', orderId: order.id, orderStatus: order.status, shipped };
  if (outcome === 'conflict') return 'order-changed';
  return { status: 'recorded', orderId: order.id, orderStatus: status, shipped };
}

async function recordDelivery(
  existing: ShipmentRecord,
  input: ConfirmShipmentInput,
  orderStatus: string,
  deps: { orders: OrderStore },
  audit: ReturnType<typeof auditTrail>,
): Promise<ShipmentOutcome> {
  if (!input.deliveredAt || existing.deliveredAt) return { status: 'duplicate', orderId: existing.orderId, orderStatus, shipped: existing.quantities };
  const delivered = { ...existing, deliveredAt: input.deliveredAt, proofOfDelivery: input.proofOfDelivery };
  await deps.orders.recordDelivery(
    delivered,
    audit({ entity: 'order', entityId: existing.orderId, type: 'ShipmentDelivered', reason: `${existing.carrier} ${existing.trackingNumber} delivered ${input.deliveredAt}${input.proofOfDelivery?.signedBy ? `, signed by ${input.proofOfDelivery.signedBy}` : ''}` }),
  );
  return { status: 'delivered', orderId: existing.orderId, orderStatus, shipped: existing.quantities };
}
