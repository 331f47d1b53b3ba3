/** One payment as the bank booked it, and where its money went: allocations, adjustments, deductions, what is left. */
import type { getPayment } from '#domain/use-cases/payments';
import { money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { EntityLink, Facts, when } from '../view-parts.tsx';

type PaymentView = Awaited<ReturnType<typeof getPayment>>;

export function PaymentPage({ id }: { id: string }) {
  const payment = useLoad<PaymentView>(`/payments/${encodeURIComponent(id)}`);
  return (
    <Loading load={payment}>
      {(view) => (
        <>
          <h1>
            Payment {view.bankReference || view.id} <small data-status={view.status}>{view.status}</small>
          </h1>
          <Facts
            label="Payment"
            items={[
              ['Payment id', <code>{view.id}</code>],
              ['Amount', money(view.amountMinor, view.currency)],
              ['Allocated', money(view.allocatedMinor, view.currency)],
              ['Unapplied', money(view.unappliedMinor, view.currency)],
              ['Booked', view.bookingDate],
              ['Value date', view.valueDate],
              ['Our account', view.account],
              ['Payer', [view.counterparty.name, view.counterparty.account].filter(Boolean).join(', ') || '—'],
              ['Customer', <EntityLink entity="customer" id={view.customerId} />],
              ['Remittance', view.remittance || '—'],
              ['End-to-end id', view.endToEndId ?? '—'],
              ['Why this status', view.reason],
              ['Bank file', view.source.bankFile],
              ...(view.reverses ? ([['Reverses', <EntityLink entity="payment" id={view.reverses} />]] as [string, preact.ComponentChildren][]) : []),
              ...(view.reversedBy ? ([['Reversed by', <EntityLink entity="payment" id={view.reversedBy} />]] as [string, preact.ComponentChildren][]) : []),
            ]}
          />
          <h2>Allocations</h2>
          {view.allocations.length === 0 ? (
            <p>None.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Rule</th>
                  <th scope="col">By</th>
                  <th scope="col">When</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {view.allocations.map((allocation, index) => (
                  <tr key={`${allocation.invoiceId}:${index}`}>
                    <td>
                      <EntityLink entity="invoice" id={allocation.invoiceId}>
                        {allocation.invoiceNumber}
                      </EntityLink>
                    </td>
                    <td>{money(allocation.amountMinor, view.currency)}</td>
                    <td>{allocation.rule}</td>
                    <td>{allocation.by}</td>
                    <td>{when(allocation.at)}</td>
                    <td>{allocation.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {view.adjustments.length > 0 && (
            <>
              <h2>Adjustments</h2>
              <ul>
                {view.adjustments.map((adjustment, index) => (
                  <li key={`${adjustment.invoiceId}:${index}`}>
                    {adjustment.kind} {money(adjustment.amountMinor, view.currency)} on <EntityLink entity="invoice" id={adjustment.invoiceId} />: {adjustment.reason} ({adjustment.by}, {when(adjustment.at)})
                  </li>
                ))}
              </ul>
            </>
          )}
          {(view.deductions ?? []).length > 0 && (
            <>
              <h2>Deductions</h2>
              <ul>
                {(view.deductions ?? []).map((deduction, index) => (
                  <li key={`${deduction.invoiceId}:${index}`}>
                    {money(deduction.amountMinor, view.currency)} on <EntityLink entity="invoice" id={deduction.invoiceId} />: {deduction.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {view.status === 'UNMATCHED' && view.candidates.length > 0 && (
            <>
              <h2>Candidates</h2>
              <p>{view.candidates.length} open items cash application considered; the unmatched-payments worklist allocates it.</p>
            </>
          )}
        </>
      )}
    </Loading>
  );
}
