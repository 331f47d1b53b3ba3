/**
 * Failed or bounced invoice emails. The entry's `resolve` route is `PUT /customers/{id}`: correct the customer's
 * address. The API has no route that sends an invoice email again, and changing the address neither re-sends the
 * email nor clears its FAILED/BOUNCED status, so the console says so rather than pretending to retry. An overdue
 * invoice on this list can take a promise to pay.
 */
import { useState } from 'preact/hooks';
import type { AgeingReport } from '#domain/ageing';
import type { customerView } from '#domain/use-cases/customers';
import type { getInvoice } from '#domain/use-cases/read-invoices';
import type { WorkEntry } from '#domain/worklists';
import { put } from '../api.ts';
import { day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { PromiseForm } from './record-promise.tsx';
import { mayTake, type ActionProps } from './route.ts';

type InvoiceDetails = Awaited<ReturnType<typeof getInvoice>>;
type CustomerView = ReturnType<typeof customerView>;

export function EmailFailure({ entry, session, onDone, onFailed }: ActionProps<WorkEntry>) {
  const invoice = useLoad<InvoiceDetails>(entry.details);
  const customer = useLoad<CustomerView>(entry.customerId ? `/customers/${encodeURIComponent(entry.customerId)}` : undefined);
  const asOf = useLoad<Pick<AgeingReport, 'asOf'>>(entry.currency ? `/reports/ageing?currency=${entry.currency}&items=false` : undefined);
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
          {mayTake(entry.resolve, session.roles) && (
            <Loading load={customer}>{(current) => <AddressForm entry={entry} current={current} onDone={onDone} onFailed={onFailed} />}</Loading>
          )}
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

function AddressForm({ entry, current, onDone, onFailed }: { entry: WorkEntry; current: CustomerView; onDone: (text: string) => void; onFailed: (error: Error) => void }) {
  const [email, setEmail] = useState(current.email);
  const id = `email-${entry.entityId}`;
  const save = () =>
    put<CustomerView>(entry.resolve.path, { email: email.trim() }).then(
      (saved) => onDone(`${saved.name}: email address changed to ${saved.email}. The API has no route to send the invoice email again, so it stays on this list.`),
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
