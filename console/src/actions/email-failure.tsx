/**
 * Failed or bounced invoice emails. The entry's `resolve` route, `POST /invoices/{id}/email`, sends the email again
 * (PDF and UBL attached) to the customer's address as it is then, so a wrong address is corrected first
 * (`PUT /customers/{id}`), then the email retried; once SENT the item leaves the list. An overdue invoice on this
 * list can take a promise to pay.
 */
import { useState } from 'preact/hooks';
import type { AgeingReport } from '#domain/ageing';
import type { customerView } from '#domain/use-cases/customers';
import type { resendInvoiceEmail } from '#domain/use-cases/billing';
import type { getInvoice } from '#domain/use-cases/read-invoices';
import type { WorkEntry } from '#domain/worklists';
import { post, put } from '../api.ts';
import { day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { PromiseForm } from './record-promise.tsx';
import { mayTake, type ActionProps } from './route.ts';

type InvoiceDetails = Awaited<ReturnType<typeof getInvoice>>;
type CustomerView = ReturnType<typeof customerView>;
type Resent = Awaited<ReturnType<typeof resendInvoiceEmail>>;

export function EmailFailure({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  const invoice = useLoad<InvoiceDetails>(entry.details);
  const customerPath = entry.customerId ? `/customers/${encodeURIComponent(entry.customerId)}` : undefined;
  const customer = useLoad<CustomerView>(customerPath);
  const asOf = useLoad<Pick<AgeingReport, 'asOf'>>(entry.currency ? `/reports/ageing?currency=${entry.currency}&items=false` : undefined);
  // The invoice's own route, whatever an entry written before it existed names as `resolve`.
  const retry = { method: 'POST' as const, path: `/invoices/${encodeURIComponent(entry.entityId)}/email` };
  return (
    <Loading load={invoice}>
      {(found) => (
        <>
          <dl class="facts">
            <dt>Document</dt>
            <dd>
              {found.kind === 'credit-note' ? 'credit note' : 'invoice'} {found.number}, {money(found.openMinor, found.currency)} open, due {day(found.dueDate)}
            </dd>
            <dt>Email</dt>
            <dd>
              {found.email.status} after {found.email.attempts} attempt{found.email.attempts === 1 ? '' : 's'}: {found.email.lastError ?? 'no error recorded'}
            </dd>
          </dl>
          {customerPath && mayTake({ method: 'PUT', path: customerPath }, session.roles) && (
            <Loading load={customer}>{(current) => <AddressForm path={customerPath} entry={entry} current={current} onDone={onDone} onFailed={onFailed} />}</Loading>
          )}
          {mayTake(retry, session.roles) && <RetryEmail path={retry.path} onDone={onDone} onFailed={onFailed} />}
          {found.kind === 'invoice' &&
            (found.status === 'OPEN' || found.status === 'PARTIALLY_PAID') &&
            asOf.data &&
            found.dueDate < asOf.data.asOf &&
            mayTake({ method: 'POST', path: `/invoices/${found.id}/promises` }, session.roles) && (
              <PromiseForm invoiceId={found.id} label={found.number} currency={found.currency} openMinor={found.openMinor} onDone={onDone} onFailed={onFailed} />
            )}
        </>
      )}
    </Loading>
  );
}

function AddressForm({ path, entry, current, onDone, onFailed }: { path: string; entry: WorkEntry; current: CustomerView; onDone: (text: string) => void; onFailed: (error: Error) => void }) {
  const [email, setEmail] = useState(current.email);
  const id = `email-${entry.entityId}`;
  const save = () =>
    put<CustomerView>(path, { email: email.trim() }).then(
      (saved) => onDone(`${saved.name}: email address changed to ${saved.email}. Retry the email to send it there.`),
      onFailed,
    );
  return (
    <form
      class="inline"
      aria-label={`Email address of ${current.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label for={id}>Customer's email address</label>
      <input id={id} type="email" required size={32} value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
      <button type="submit">Save address</button>
    </form>
  );
}

/** Sends the email again; says where it went (the item leaves the list), or that it had been sent already. */
function RetryEmail({ path, onDone, onFailed }: { path: string; onDone: (text: string) => void; onFailed: (error: Error) => void }) {
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try {
      const resent = await post<Resent>(path, {});
      onDone(
        resent.outcome === 'sent'
          ? `${resent.number}: email sent again to ${resent.to.join(', ')} (attempt ${resent.email.attempts}); it has left this list.`
          : `${resent.number}: the email had been sent already${resent.email.sentAt ? ` (${resent.email.sentAt})` : ''}; nothing sent again.`,
      );
    } catch (error) {
      onFailed(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="inline">
      <button type="button" disabled={busy} aria-busy={busy} onClick={() => void retry()}>
        Retry email
      </button>
    </div>
  );
}
