import type { InvoicingOutbox, InvoicingQueue, PendingInvoicing } from '../ports.ts';

export interface RelayInvoicingDeps {
  queue: InvoicingQueue;
  outbox: InvoicingOutbox;
}

/** The key billing knows a shipment by (one invoice per key). */
export const shipmentKeyOf = (shipment: Pick<PendingInvoicing, 'carrier' | 'trackingNumber'>): string => `${shipment.carrier}#${shipment.trackingNumber}`;

/**
 * Queues one shipment's invoicing request, then clears its pending mark. A crash in between sends it again on the
 * next relay; the queue's deduplication id and `issueInvoice`'s one-invoice-per-shipment make that harmless.
 */
export async function relayInvoicingRequest(shipment: PendingInvoicing, deps: RelayInvoicingDeps): Promise<void> {
  await deps.queue.enqueue({ orderId: shipment.orderId, shipmentKey: shipmentKeyOf(shipment) });
  await deps.outbox.markSent(shipment);
}

/** The outbox relay: sends every request a shipment's own sender did not (it died, or SQS refused it then). */
export async function relayPendingInvoicingRequests(deps: RelayInvoicingDeps): Promise<{ relayed: number }> {
  let relayed = 0;
  for await (const shipment of deps.outbox.pending()) {
    await relayInvoicingRequest(shipment, deps);
    relayed += 1;
  }
  return { relayed };
}
