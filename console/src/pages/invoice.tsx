/**
 * One invoice or credit note: lines, totals, tax breakdown, its documents (presigned PDF and UBL links), the
 * payments and credit notes against it, its dispute and promise to pay, and its status history.
 *
 * The API has no list of an invoice's payments: they are read from its history (`PaymentApplied` and
 * `PaymentReturned` events name the payment) and each payment's allocations to this invoice.
 */
import type { Payment } from '#domain/payment';
import type { getInvoice } from '#domain/use-cases/read-invoices';
import { day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { EntityLink, Facts, HistoryTable, ratePercent, termsText, useLoadAll, when } from '../view-parts.tsx';

type InvoiceView = Awaited<ReturnType<typeof getInvoice>>;
type PaymentView = Payment & { allocatedMinor: number };

const PAYMENT_IN_REASON = /\bpayment (PAY-[0-9A-Z]+)/g;

/** The payments an invoice's history names (cash applied or returned), in the order they first appear. */
export const paymentIdsOf = (history: InvoiceView['history']) => [...new Set(history.filter((event) => event.type === 'PaymentApplied' || event.type === 'PaymentReturned').flatMap((event) => [...(event.reason ?? '').matchAll(PAYMENT_IN_REASON)].map((match) => match[1] as string)))];

export function InvoicePage({ id }: { id: string }) {
  const invoice = useLoad<InvoiceView>(`/invoices/${encodeURIComponent(id)}`);
  return <Loading load={invoice}>{(view) => <InvoiceDetails view={view} />}</Loading>;
}

function InvoiceDetails({ view }: { view: InvoiceView }) {
  const title = view.kind === 'credit-note' ? 'Credit note' : 'Invoice';
  const dunning = view.dunning;
  return (
    <>
      <h1>
        {title} {view.number} <small data-status={view.status}>{view.status}</small>
      </h1>
      <Facts
        label={title}
        items={[
          ['Customer', <EntityLink entity="customer" id={view.customerId} />],
          ['Order', <EntityLink entity="order" id={view.orderId} />],
          ['Issued', view.issueDate],
          ['Delivered', view.deliveryDate ?? '—'],
          ['Due', view.dueDate],
          ['Payment reference', <code>{view.reference}</code>],
          ['Terms', termsText(view.terms)],
          ['Email', `${view.email.status}${view.email.sentAt ? ` ${when(view.email.sentAt)}` : ''}${view.email.lastError ? `: ${view.email.lastError}` : ''}`],
          ...(view.precedingInvoice ? ([['Credits invoice', view.precedingInvoice.number]] as [string, string][]) : []),
          ...(view.replacesInvoiceId ? ([['Replaces', <EntityLink entity="invoice" id={view.replacesInvoiceId} />]] as [string, preact.ComponentChildren][]) : []),
          ...(view.replacedByInvoiceId ? ([['Replaced by', <EntityLink entity="invoice" id={view.replacedByInvoiceId} />]] as [string, preact.ComponentChildren][]) : []),
        ]}
      />
      <section aria-labelledby="documents-heading">
        <h2 id="documents-heading">Documents</h2>
        <ul class="documents">
          <li>{view.pdfUrl ? <a href={view.pdfUrl} target="_blank" rel="noopener noreferrer" data-document="pdf">PDF</a> : 'PDF not rendered yet'}</li>
          <li>{view.ublUrl ? <a href={view.ublUrl} target="_blank" rel="noopener noreferrer" data-document="ubl">UBL XML (EN 16931)</a> : 'UBL not rendered yet'}</li>
        </ul>
        <p>The links are valid for 15 minutes; reload the page for fresh ones.</p>
      </section>
      <section aria-labelledby="lines-heading">
        <h2 id="lines-heading">Lines</h2>
        <table class="lines">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">SKU</th>
              <th scope="col">Description</th>
              <th scope="col">Quantity</th>
              <th scope="col">Unit price</th>
              <th scope="col">Discount</th>
              <th scope="col">Net</th>
              <th scope="col">Tax rate</th>
            </tr>
          </thead>
          <tbody>
            {view.lines.map((line) => (
              <tr key={line.lineNumber} data-line={line.lineNumber}>
                <td>{line.lineNumber}</td>
                <td>{line.sku}</td>
                <td>{line.description}</td>
                <td>{line.quantity}</td>
                <td>{money(line.unitPriceMinor, view.currency)}</td>
                <td>{money(line.discountMinor, view.currency)}</td>
                <td>{money(line.netMinor, view.currency)}</td>
                <td>
                  {line.taxCategory} {ratePercent(line.taxRatePpm)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table class="tax-breakdown">
          <caption>Tax breakdown</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Rate</th>
              <th scope="col">Taxable</th>
              <th scope="col">Tax</th>
            </tr>
          </thead>
          <tbody>
            {view.taxBreakdown.map((group) => (
              <tr key={`${group.taxCategory}:${group.taxRatePpm}`} data-tax-rate={ratePercent(group.taxRatePpm)}>
                <td>{group.taxCategory}</td>
                <td>{ratePercent(group.taxRatePpm)}</td>
                <td>{money(group.taxableMinor, view.currency)}</td>
                <td>{money(group.taxMinor, view.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Facts
          label="Totals"
          items={[
            ['Net', money(view.netMinor, view.currency)],
            ['Tax', money(view.taxMinor, view.currency)],
            ['Total', <span data-figure="total">{money(view.totalMinor, view.currency)}</span>],
            ['Prepaid at checkout', money(view.prepaidMinor, view.currency)],
            ['Payable', money(view.payableMinor, view.currency)],
            ['Paid', money(view.paidMinor, view.currency)],
            ['Open', <span data-figure="open">{money(view.openMinor, view.currency)}</span>],
          ]}
        />
      </section>
      <section aria-labelledby="settlement-heading">
        <h2 id="settlement-heading">Payments and credit notes</h2>
        <Payments view={view} />
        <CreditNotes ids={view.creditNoteIds} />
      </section>
      <section aria-labelledby="collections-heading">
        <h2 id="collections-heading">Dispute and collections</h2>
        <Facts
          label="Collections"
          items={[
            ['Dispute', view.dispute ? `open since ${when(view.dispute.openedAt)} (${view.dispute.id}); status before it: ${view.dispute.statusBefore}` : 'none open'],
            ['Reminder level', dunning ? String(dunning.level) : '0'],
            ['Last reminder', when(dunning?.lastReminderAt)],
            ['Next step', dunning?.nextActionDate === null ? 'every level taken' : day(dunning?.nextActionDate)],
            ['Promise to pay', dunning?.promise ? `${money(dunning.promise.amountMinor, view.currency)} by ${dunning.promise.date} (recorded by ${dunning.promise.recordedBy} ${when(dunning.promise.recordedAt)})` : 'none'],
            ['Broken promise', dunning?.brokenPromise ? `${money(dunning.brokenPromise.amountMinor, view.currency)} due ${dunning.brokenPromise.date}, found ${dunning.brokenPromise.detectedOn}` : 'none'],
            ['Earlier promises', dunning?.pastPromises?.length ? dunning.pastPromises.map((promise) => `${money(promise.amountMinor, view.currency)} by ${promise.date}`).join('; ') : 'none'],
            ['Deducted, under review', money(dunning?.deductedMinor ?? 0, view.currency)],
          ]}
        />
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Status history</h2>
        <HistoryTable events={view.history} caption="Oldest first" />
      </section>
    </>
  );
}

function Payments({ view }: { view: InvoiceView }) {
  const ids = paymentIdsOf(view.history);
  const payments = useLoadAll<PaymentView>(ids.map((paymentId) => `/payments/${encodeURIComponent(paymentId)}`));
  if (ids.length === 0) return <p>No payments.</p>;
  return (
    <Loading load={payments}>
      {(items) => (
        <table class="payments">
          <caption>Payments</caption>
          <thead>
            <tr>
              <th scope="col">Payment</th>
              <th scope="col">Booked</th>
              <th scope="col">Payer</th>
              <th scope="col">Status</th>
              <th scope="col">On this invoice</th>
              <th scope="col">Adjusted</th>
              <th scope="col">How</th>
            </tr>
          </thead>
          <tbody>
            {items.map((payment) => {
              const allocations = payment.allocations.filter((allocation) => allocation.invoiceId === view.id);
              const adjustments = payment.adjustments.filter((adjustment) => adjustment.invoiceId === view.id);
              return (
                <tr key={payment.id} data-payment={payment.id}>
                  <td>
                    <EntityLink entity="payment" id={payment.id}>
                      {payment.bankReference || payment.id}
                    </EntityLink>
                  </td>
                  <td>{payment.bookingDate}</td>
                  <td>{payment.counterparty.name ?? '—'}</td>
                  <td>{payment.status}</td>
                  <td>{money(allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0), payment.currency)}</td>
                  <td>{adjustments.map((adjustment) => `${adjustment.kind} ${money(adjustment.amountMinor, payment.currency)}`).join(', ') || '—'}</td>
                  <td>{allocations.map((allocation) => `${allocation.rule} by ${allocation.by}`).join('; ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Loading>
  );
}

function CreditNotes({ ids }: { ids: readonly string[] }) {
  const notes = useLoadAll<InvoiceView>(ids.map((noteId) => `/invoices/${encodeURIComponent(noteId)}`));
  if (ids.length === 0) return <p>No credit notes.</p>;
  return (
    <Loading load={notes}>
      {(items) => (
        <table class="credit-notes">
          <caption>Credit notes</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Issued</th>
              <th scope="col">Total</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((note) => (
              <tr key={note.id}>
                <td>
                  <EntityLink entity="invoice" id={note.id}>
                    {note.number}
                  </EntityLink>
                </td>
                <td>{note.issueDate}</td>
                <td>{money(note.totalMinor, note.currency)}</td>
                <td>{note.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Loading>
  );
}
