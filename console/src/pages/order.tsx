/**
 * One order: lines and totals, its credit decision and holds, what is reserved and shipped (the shipments are its
 * `OrderShipped` events: carrier, tracking number and what went), its invoices, and its status history.
 */
import type { findInvoices } from '#domain/use-cases/read-invoices';
import type { getOrder } from '#domain/use-cases/read-orders';
import { money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { EntityLink, Facts, HistoryTable, InvoiceTable, when } from '../view-parts.tsx';

type OrderView = Awaited<ReturnType<typeof getOrder>>;
type InvoiceItem = Awaited<ReturnType<typeof findInvoices>>['items'][number];

export function OrderPage({ id }: { id: string }) {
  const order = useLoad<OrderView>(`/orders/${encodeURIComponent(id)}`);
  const invoices = useLoad<{ items: InvoiceItem[] }>(`/invoices?orderId=${encodeURIComponent(id)}`);
  return (
    <Loading load={order}>
      {(view) => (
        <>
          <h1>
            Order {view.storeOrderNumber ?? view.externalId} <small data-status={view.status}>{view.status}</small>
          </h1>
          <Facts
            label="Order"
            items={[
              ['Order id', <code>{view.id}</code>],
              ['Store', `${view.source} ${view.externalId}`],
              ['Customer', <EntityLink entity="customer" id={view.customerId} />],
              ['Ordered', when(view.orderedAt)],
              ['Received', when(view.createdAt)],
              ['Prices', view.taxesIncluded ? 'include tax (as the store sent them)' : 'exclude tax'],
              ['Holds', view.holdReasons.length ? view.holdReasons.join('; ') : 'none'],
              ['Flags', view.flags.length ? view.flags.join(', ') : 'none'],
              ['Credit', view.credit ? `${view.credit.outcome} by ${view.credit.decidedBy} ${when(view.credit.decidedAt)}${view.credit.reasons.length ? `: ${view.credit.reasons.join('; ')}` : ''}` : 'not decided yet'],
              ...(view.cancelReason ? ([['Cancelled because', view.cancelReason]] as [string, string][]) : []),
            ]}
          />
          <section aria-labelledby="order-lines-heading">
            <h2 id="order-lines-heading">Lines</h2>
            <table class="lines">
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col">Description</th>
                  <th scope="col">Quantity</th>
                  <th scope="col">Reserved</th>
                  <th scope="col">Shipped</th>
                  <th scope="col">Unit price</th>
                  <th scope="col">Discount</th>
                  <th scope="col">Net</th>
                  <th scope="col">Tax</th>
                </tr>
              </thead>
              <tbody>
                {view.lines.map((line, index) => (
                  <tr key={`${line.sku}:${index}`}>
                    <td>{line.sku}</td>
                    <td>{line.description}</td>
                    <td>{line.quantity}</td>
                    <td>{view.reservedQuantities[line.sku] ?? 0}</td>
                    <td>{view.shippedQuantities[line.sku] ?? 0}</td>
                    <td>{money(line.unitPriceMinor, view.currency)}</td>
                    <td>{money(line.discountMinor, view.currency)}</td>
                    <td>{money(line.netMinor, view.currency)}</td>
                    <td>
                      {money(line.taxMinor, view.currency)} ({line.taxRatePercent} %)
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Facts
              label="Totals"
              items={[
                ['Net', money(view.netMinor, view.currency)],
                ['Discount', money(view.discountMinor, view.currency)],
                ['Shipping', money(view.shippingMinor, view.currency)],
                ['Tax', money(view.taxMinor, view.currency)],
                ['Total', <span data-figure="total">{money(view.totalMinor, view.currency)}</span>],
                ['Prepaid at checkout', money(view.prepaidMinor, view.currency)],
              ]}
            />
          </section>
          <section aria-labelledby="shipments-heading">
            <h2 id="shipments-heading">Shipments</h2>
            <HistoryTable events={view.history.filter((event) => event.type === 'OrderShipped' || event.type === 'ShipmentDelivered' || event.type === 'ShipmentRequested')} caption="Shipment requests, confirmations (carrier, tracking number, units by SKU) and deliveries" />
          </section>
          <section aria-labelledby="order-invoices-heading">
            <h2 id="order-invoices-heading">Invoices</h2>
            <Loading load={invoices}>
              {({ items }) =>
                items.length === 0 ? (
                  <p>Not invoiced yet.</p>
                ) : (
                  <InvoiceTable invoices={items} />
                )
              }
            </Loading>
          </section>
          <section aria-labelledby="order-history-heading">
            <h2 id="order-history-heading">Status history</h2>
            <HistoryTable events={view.history} caption="Oldest first" />
          </section>
        </>
      )}
    </Loading>
  );
}
