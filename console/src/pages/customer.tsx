/**
 * Customer 360: credit standing (limit, exposure, available credit, holds and why), terms, the statement's open
 * items with their ageing, the customer's orders and invoices, and a timeline of everything that happened to it and
 * its orders and invoices (the API's `history`, oldest first, paged by `historyCursor`).
 */
import { useEffect, useState } from 'preact/hooks';
import type { AuditEvent } from '#domain/audit';
import { isPersonActor } from '#domain/audit';
import { statementBuckets, type Statement } from '#domain/statement';
import type { getCustomer } from '#domain/use-cases/customers';
import type { findInvoices } from '#domain/use-cases/read-invoices';
import type { findOrders } from '#domain/use-cases/read-orders';
import { downloadDocument, get } from '../api.ts';
import { day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { EntityLink, eventLabel, Facts, InvoiceTable, Pager, termsText, usePaged, when } from '../view-parts.tsx';

type CustomerView = Awaited<ReturnType<typeof getCustomer>>;
type InvoiceItem = Awaited<ReturnType<typeof findInvoices>>['items'][number];
type OrderItem = Awaited<ReturnType<typeof findOrders>>['items'][number];

const HISTORY_PAGE = 25;

export function CustomerPage({ id }: { id: string }) {
  const customer = useLoad<CustomerView>(`/customers/${encodeURIComponent(id)}?limit=${HISTORY_PAGE}`);
  const statement = useLoad<Statement>(`/customers/${encodeURIComponent(id)}/statement`);
  const [pdfError, setPdfError] = useState<string | undefined>();
  return (
    <>
      <Loading load={customer}>
        {(view) => (
          <>
            <h1>
              Customer {view.name} <small>{view.externalId}</small>
            </h1>
            <Facts
              label="Customer"
              items={[
                ['Customer id', <code>{view.id}</code>],
                ['Source', view.source],
                ['Email', view.email],
                ['Country', view.country],
                ['VAT id', view.vatId ?? '—'],
                ['Risk class', view.riskClass],
                ['Customer since', day(view.createdAt)],
              ]}
            />
            <section aria-labelledby="credit-heading">
              <h2 id="credit-heading">Credit and terms</h2>
              <Facts
                label="Credit"
                items={[
                  ['Credit limit', <span data-figure="credit-limit">{money(view.creditLimitMinor, view.currency)}</span>],
                  ['Exposure', <span data-figure="exposure">{money(view.exposureMinor, view.currency)}</span>],
                  ['Available credit', <span data-figure="available-credit">{money(view.availableCreditMinor, view.currency)}</span>],
                  [
                    'Credit hold',
                    <span data-figure="credit-hold">
                      {view.onCreditHold ? `on hold${view.creditHoldSource ? ` (by ${view.creditHoldSource === 'dunning' ? 'collections' : 'a person'})` : ''}: ${view.creditHoldReason ?? 'no reason given'}` : 'no'}
                    </span>,
                  ],
                  ['Collections hold', view.collectionsHold ? `yes: ${view.collectionsHoldReason ?? 'no reason given'}` : 'no'],
                  ['Terms', termsText(view.terms)],
                ]}
              />
              {view.contacts.length > 0 && (
                <>
                  <h3>Contacts</h3>
                  <ul>
                    {view.contacts.map((contact) => (
                      <li key={`${contact.name}:${contact.email ?? ''}`}>
                        {[contact.name, contact.role, contact.email, contact.phone].filter(Boolean).join(' · ')}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          </>
        )}
      </Loading>
      <section aria-labelledby="statement-heading">
        <h2 id="statement-heading">Statement of account</h2>
        <p>
          <button
            type="button"
            onClick={() => {
              setPdfError(undefined);
              void downloadDocument(`/customers/${encodeURIComponent(id)}/statement`, `statement-${id}.pdf`, 'application/pdf').catch((error: Error) => setPdfError(error.message));
            }}
          >
            Download statement PDF
          </button>
        </p>
        {pdfError && (
          <p role="alert" class="error">
            {pdfError}
          </p>
        )}
        <Loading load={statement}>{(data) => <StatementTables statement={data} />}</Loading>
      </section>
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <Loading load={customer}>{(view) => <Timeline customerId={id} first={view} />}</Loading>
      </section>
      <CustomerInvoices customerId={id} />
      <CustomerOrders customerId={id} />
    </>
  );
}

function StatementTables({ statement }: { statement: Statement }) {
  return (
    <>
      <p>
        As of {statement.asOf}; credit {money(statement.credit.limitMinor, statement.credit.currency)}, exposure {money(statement.credit.exposureMinor, statement.credit.currency)}
        {statement.credit.overLimit ? ' (over the limit)' : ''}.
      </p>
      {statement.totals.length === 0 ? (
        <p>Nothing open.</p>
      ) : (
        <table class="ageing">
          <caption>Open items by age (credits held for the customer in their own column)</caption>
          <thead>
            <tr>
              <th scope="col">Currency</th>
              {statementBuckets.map((bucket) => (
                <th scope="col" key={bucket}>
                  {bucket}
                </th>
              ))}
              <th scope="col">Balance</th>
              <th scope="col">Overdue</th>
              <th scope="col">Disputed</th>
            </tr>
          </thead>
          <tbody>
            {statement.totals.map((totals) => (
              <tr key={totals.currency} data-currency={totals.currency}>
                <th scope="row">{totals.currency}</th>
                {statementBuckets.map((bucket) => (
                  <td key={bucket}>{money(totals.buckets[bucket], totals.currency)}</td>
                ))}
                <td data-figure="balance">{money(totals.balanceMinor, totals.currency)}</td>
                <td>{money(totals.overdueMinor, totals.currency)}</td>
                <td>{money(totals.disputedMinor, totals.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {statement.items.length > 0 && (
        <table class="open-items">
          <caption>Open items</caption>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Kind</th>
              <th scope="col">Issued</th>
              <th scope="col">Due</th>
              <th scope="col">Total</th>
              <th scope="col">Open</th>
              <th scope="col">Days overdue</th>
              <th scope="col">Age</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {statement.items.map((item) => (
              <tr key={`${item.kind}:${item.invoiceId ?? item.paymentId ?? item.number}`}>
                <td>{item.invoiceId ? <EntityLink entity="invoice" id={item.invoiceId}>{item.number}</EntityLink> : item.paymentId ? <EntityLink entity="payment" id={item.paymentId}>{item.number}</EntityLink> : item.number}</td>
                <td>{item.kind}</td>
                <td>{item.issueDate}</td>
                <td>{item.dueDate}</td>
                <td>{money(item.totalMinor, item.currency)}</td>
                <td>{money(item.openMinor, item.currency)}</td>
                <td>{item.daysOverdue}</td>
                <td>{item.bucket}</td>
                <td>{[item.disputed ? 'disputed' : '', item.deductedMinor ? `${money(item.deductedMinor, item.currency)} deducted` : '', item.appliedTo ? `set off against ${item.appliedTo}` : ''].filter(Boolean).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * Everything that happened, oldest first as the API pages it: orders, invoices, reminders, payments, disputes,
 * promises and decisions, each with who and when. "Later events" reads the next page and adds it below.
 */
function Timeline({ customerId, first }: { customerId: string; first: CustomerView }) {
  const [pages, setPages] = useState<{ events: AuditEvent[]; cursor: string | null }>({ events: first.history, cursor: first.historyCursor });
  const [loading, setLoading] = useState<{ busy: boolean; error?: string }>({ busy: false });
  useEffect(() => setPages({ events: first.history, cursor: first.historyCursor }), [first]);
  const more = (cursor: string) => {
    setLoading({ busy: true });
    get<CustomerView>(`/customers/${encodeURIComponent(customerId)}?limit=${HISTORY_PAGE}&cursor=${encodeURIComponent(cursor)}`).then(
      (next) => {
        setPages((current) => ({ events: [...current.events, ...next.history], cursor: next.historyCursor }));
        setLoading({ busy: false });
      },
      (error: Error) => setLoading({ busy: false, error: error.message }),
    );
  };
  const { events } = pages;
  if (events.length === 0) return <p>Nothing has happened yet.</p>;
  return (
    <>
      <p>Oldest first, {events.length} events shown{pages.cursor ? '; there are later ones' : ''}.</p>
      <ol class="timeline">
        {events.map((event) => (
          <li key={event.id} data-event-type={event.type} data-entity={event.entityId}>
            <time dateTime={event.at}>{when(event.at)}</time>{' '}
            <strong>{eventLabel(event.type)}</strong>{' '}
            <span class="entity">{event.entity === 'customer' ? 'this customer' : <>{event.entity} <EntityLink entity={event.entity} id={event.entityId} /></>}</span>{' '}
            <span class="actor">
              by {event.actor}
              {isPersonActor(event.actor) ? ' (a person)' : ''}
            </span>
            {event.before || event.after ? <span class="change"> · {`${event.before ?? '—'} → ${event.after ?? '—'}`}</span> : null}
            {event.reason ? <span class="reason"> · {event.reason}</span> : null}
          </li>
        ))}
      </ol>
      {loading.error && (
        <p role="alert" class="error">
          {loading.error}
        </p>
      )}
      {pages.cursor && (
        <button type="button" disabled={loading.busy} onClick={() => pages.cursor && more(pages.cursor)}>
          Later events
        </button>
      )}
    </>
  );
}

function CustomerInvoices({ customerId }: { customerId: string }) {
  const paged = usePaged<InvoiceItem>(`/invoices?customerId=${encodeURIComponent(customerId)}&limit=25`);
  return (
    <section aria-labelledby="customer-invoices-heading">
      <h2 id="customer-invoices-heading">Invoices and credit notes</h2>
      <Loading load={paged.load}>
        {({ items, cursor }) =>
          items.length === 0 ? (
            <p>None.</p>
          ) : (
            <>
              <InvoiceTable invoices={items} caption="By due date" />
              <Pager cursor={cursor} pageNumber={paged.pageNumber} onNext={paged.next} onFirst={paged.first} />
            </>
          )
        }
      </Loading>
    </section>
  );
}

function CustomerOrders({ customerId }: { customerId: string }) {
  const paged = usePaged<OrderItem>(`/orders?customerId=${encodeURIComponent(customerId)}&limit=25`);
  return (
    <section aria-labelledby="customer-orders-heading">
      <h2 id="customer-orders-heading">Orders</h2>
      <Loading load={paged.load}>
        {({ items, cursor }) =>
          items.length === 0 ? (
            <p>None.</p>
          ) : (
            <>
              <table>
                <caption>Oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Store reference</th>
                    <th scope="col">Status</th>
                    <th scope="col">Ordered</th>
                    <th scope="col">Total</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((order) => (
                    <tr key={order.id}>
                      <td>
                        <EntityLink entity="order" id={order.id} />
                      </td>
                      <td>
                        {order.source} {order.storeOrderNumber ?? order.externalId}
                      </td>
                      <td>{order.status}</td>
                      <td>{day(order.orderedAt)}</td>
                      <td>{money(order.totalMinor, order.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager cursor={cursor} pageNumber={paged.pageNumber} onNext={paged.next} onFirst={paged.first} />
            </>
          )
        }
      </Loading>
    </section>
  );
}
