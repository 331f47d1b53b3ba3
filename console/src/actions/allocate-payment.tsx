/**
 * Unmatched payments: the payment as the bank gave it, the engine's ranked candidates with why each, and an
 * allocation by hand (`POST /payments/{id}/allocations`, the entry's own route) to one or several invoices of one
 * customer — split amounts, a small difference written off within the role's limit (the API says when it is
 * above), the payer's account remembered for next time. What is not allocated stays on the customer's account.
 */
import { useState } from 'preact/hooks';
import { minorToDecimalString } from '#domain/money';
import type { paymentView } from '#domain/use-cases/payments';
import type { getInvoice } from '#domain/use-cases/read-invoices';
import type { WorkEntry } from '#domain/worklists';
import { get, post } from '../api.ts';
import { day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { mayTake, minorOf, type ActionProps } from './route.ts';

type PaymentView = ReturnType<typeof paymentView>;
type InvoiceDetails = Awaited<ReturnType<typeof getInvoice>>;

interface Row {
  invoiceId: string;
  number: string;
  customerId: string;
  openMinor: number;
  score?: number;
  why?: string;
  use: boolean;
  amount: string;
  writeOff: string;
}

export function AllocatePayment(props: ActionProps<WorkEntry>) {
  const payment = useLoad<PaymentView>(props.entry.details);
  return <Loading load={payment}>{(found) => <PaymentPanel {...props} payment={found} />}</Loading>;
}

function PaymentPanel({ entry, session, onDone, onFailed, payment }: ActionProps<WorkEntry> & { payment: PaymentView }) {
  const { currency } = payment;
  const canAllocate = mayTake(entry.resolve, session.roles) && payment.unappliedMinor > 0;
  const decimal = (minor: number) => minorToDecimalString(minor, currency);
  const [rows, setRows] = useState<Row[]>(() =>
    payment.candidates.map((candidate) => ({ ...candidate, use: false, amount: decimal(Math.min(candidate.openMinor, payment.unappliedMinor)), writeOff: '' })),
  );
  const [invoiceNumber, setInvoiceNumber] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [rememberPayer, setRememberPayer] = useState(true);
  const change = (index: number, patch: Partial<Row>) => setRows((current) => current.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  const used = rows.filter((row) => row.use);
  const cashMinor = used.reduce((sum, row) => sum + (minorOf(row.amount, currency) ?? 0), 0);
  const id = `pay-${payment.id}`;

  const addInvoice = async () => {
    const wanted = invoiceNumber.trim();
    if (!wanted) return;
    try {
      const { items } = await get<{ items: { entity: string; id: string }[] }>(`/search?q=${encodeURIComponent(wanted)}`);
      const hit = items.find((item) => item.entity === 'invoice');
      if (!hit) throw new Error(`no invoice found for "${wanted}"`);
      if (rows.some((row) => row.invoiceId === hit.id)) throw new Error(`${wanted} is listed already`);
      const invoice = await get<InvoiceDetails>(`/invoices/${encodeURIComponent(hit.id)}`);
      const left = Math.max(0, payment.unappliedMinor - cashMinor);
      setRows((current) => [...current, { invoiceId: invoice.id, number: invoice.number, customerId: invoice.customerId, openMinor: invoice.openMinor, use: true, amount: decimal(Math.min(invoice.openMinor, left)), writeOff: '' }]);
      setInvoiceNumber('');
    } catch (error) {
      onFailed(error as Error);
    }
  };

  const allocate = () => {
    const allocations: { invoiceId: string; amountMinor: number }[] = [];
    const writeOffs: { invoiceId: string; amountMinor: number; reason: string }[] = [];
    for (const row of used) {
      const amountMinor = minorOf(row.amount, currency);
      if (amountMinor === undefined) return onFailed(new Error(`${row.number}: "${row.amount}" is not an amount in ${currency}`));
      allocations.push({ invoiceId: row.invoiceId, amountMinor });
      if (row.writeOff.trim() === '') continue;
      const writeOffMinor = minorOf(row.writeOff, currency);
      if (writeOffMinor === undefined) return onFailed(new Error(`${row.number}: write-off "${row.writeOff}" is not an amount in ${currency}`));
      writeOffs.push({ invoiceId: row.invoiceId, amountMinor: writeOffMinor, reason: reason.trim() });
    }
    if (allocations.length === 0) return onFailed(new Error('choose at least one invoice to allocate to'));
    const writtenOff = writeOffs.reduce((sum, writeOff) => sum + writeOff.amountMinor, 0);
    return post<PaymentView>(entry.resolve.path, { allocations, writeOffs, rememberPayer, ...(note.trim() ? { note: note.trim() } : {}) }).then(
      (after) =>
        onDone(
          `Payment ${payment.bankReference}: ${money(cashMinor, currency)} allocated to ${used.map((row) => row.number).join(', ')}${writtenOff ? `, ${money(writtenOff, currency)} written off` : ''}${after.unappliedMinor ? `; ${money(after.unappliedMinor, currency)} stays on the customer's account` : ''}.`,
        ),
      onFailed,
    );
  };

  return (
    <section aria-label={`Payment ${payment.bankReference}`} class="panel">
      <dl class="facts">
        <dt>Amount</dt>
        <dd>
          {money(payment.amountMinor, currency)} booked {day(payment.bookingDate)}, {money(payment.unappliedMinor, currency)} unapplied
        </dd>
        <dt>Payer</dt>
        <dd>
          {payment.counterparty.name ?? 'no name'}
          {payment.counterparty.account ? `, ${payment.counterparty.account}` : ''}
        </dd>
        <dt>Remittance</dt>
        <dd>{[payment.remittance, ...payment.references].filter(Boolean).join(' · ') || '—'}</dd>
        <dt>Why it waits</dt>
        <dd>{payment.reason}</dd>
      </dl>
      {rows.length === 0 ? (
        <p>No candidates: the engine found nothing that points at an invoice.{canAllocate ? ' Add the invoice by its number.' : ''}</p>
      ) : (
        <table class="candidates">
          <caption>Candidates, most likely first, and invoices added</caption>
          <thead>
            <tr>
              {canAllocate && <th scope="col">Allocate</th>}
              <th scope="col">Invoice</th>
              <th scope="col">Open</th>
              <th scope="col">Score</th>
              <th scope="col">Why</th>
              {canAllocate && <th scope="col">Amount ({currency})</th>}
              {canAllocate && <th scope="col">Write-off ({currency})</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.invoiceId} data-invoice={row.invoiceId}>
                {canAllocate && (
                  <td>
                    <input id={`${id}-use-${index}`} type="checkbox" checked={row.use} onChange={(event) => change(index, { use: event.currentTarget.checked })} />
                    <label for={`${id}-use-${index}`} class="visually-hidden">
                      Allocate to {row.number}
                    </label>
                  </td>
                )}
                <th scope="row">{row.number}</th>
                <td>{money(row.openMinor, currency)}</td>
                <td>{row.score ?? '—'}</td>
                <td>{row.why ?? 'added by hand'}</td>
                {canAllocate && (
                  <td>
                    <label for={`${id}-amount-${index}`} class="visually-hidden">
                      Amount for {row.number}
                    </label>
                    <input id={`${id}-amount-${index}`} inputMode="decimal" size={9} value={row.amount} onInput={(event) => change(index, { amount: event.currentTarget.value })} />
                  </td>
                )}
                {canAllocate && (
                  <td>
                    <label for={`${id}-writeoff-${index}`} class="visually-hidden">
                      Write-off on {row.number}
                    </label>
                    <input id={`${id}-writeoff-${index}`} inputMode="decimal" size={7} value={row.writeOff} onInput={(event) => change(index, { writeOff: event.currentTarget.value })} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canAllocate && (
        <form
          class="allocation"
          aria-label={`Allocate payment ${payment.bankReference}`}
          onSubmit={(event) => {
            event.preventDefault();
            void allocate();
          }}
        >
          <div class="inline">
            <label for={`${id}-number`}>Another invoice (number)</label>
            <input id={`${id}-number`} value={invoiceNumber} onInput={(event) => setInvoiceNumber(event.currentTarget.value)} />
            <button type="button" onClick={() => void addInvoice()}>
              Add invoice
            </button>
          </div>
          <div class="inline">
            <label for={`${id}-reason`}>Write-off reason</label>
            <input id={`${id}-reason`} value={reason} size={28} onInput={(event) => setReason(event.currentTarget.value)} />
            <label for={`${id}-note`}>Note</label>
            <input id={`${id}-note`} value={note} size={28} onInput={(event) => setNote(event.currentTarget.value)} />
          </div>
          <div class="inline">
            <input id={`${id}-remember`} type="checkbox" checked={rememberPayer} disabled={!payment.counterparty.account} onChange={(event) => setRememberPayer(event.currentTarget.checked)} />
            <label for={`${id}-remember`}>Remember the payer's account for this customer</label>
          </div>
          <p data-allocation-total>
            {money(cashMinor, currency)} of {money(payment.unappliedMinor, currency)} allocated; {money(Math.max(0, payment.unappliedMinor - cashMinor), currency)} stays unapplied on the customer's account.
          </p>
          <button type="submit">Allocate</button>
        </form>
      )}
    </section>
  );
}
