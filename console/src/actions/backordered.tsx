/**
 * Backordered orders have no action here: they wait for stock. What they wait for: each line's SKU, how many the
 * order wants and has reserved, and what the catalogue has available now (`GET /products/{sku}`). Raising stock
 * (`PUT /products/{sku}`, the entry's `resolve`) resumes the oldest backordered orders by itself.
 */
import type { orderView } from '#domain/order-view';
import type { WorkEntry } from '#domain/worklists';
import { Loading, useLoad } from '../load.tsx';

type OrderView = ReturnType<typeof orderView>;

export function BackorderedDetails({ entry }: { entry: WorkEntry }) {
  const order = useLoad<OrderView>(entry.details);
  return (
    <Loading load={order}>
      {(view) => (
        <>
          <p>{view.holdReasons.length > 0 ? `Waiting: ${view.holdReasons.join('; ')}.` : 'Waiting for stock.'} A restock of these SKUs resumes it; there is nothing to do here.</p>
          <table>
            <caption>What order {view.externalId} waits for</caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Description</th>
                <th scope="col">Ordered</th>
                <th scope="col">Reserved</th>
                <th scope="col">Available now</th>
              </tr>
            </thead>
            <tbody>
              {view.lines.map((line, index) => (
                <tr key={`${line.sku}-${index}`} data-sku={line.sku}>
                  <td>
                    <code>{line.sku}</code>
                  </td>
                  <td>{line.description}</td>
                  <td>{line.quantity}</td>
                  <td>{view.reservedQuantities[line.sku] ?? 0}</td>
                  <td>
                    <Available sku={line.sku} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Loading>
  );
}

function Available({ sku }: { sku: string }) {
  const product = useLoad<{ available: number; onHand: number }>(`/products/${encodeURIComponent(sku)}`);
  return <Loading load={product}>{(found) => <>{`${found.available} (on hand ${found.onHand})`}</>}</Loading>;
}
