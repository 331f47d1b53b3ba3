/**
 * Parts the record views and lists share: facts as a definition list, an audit history as a table, links from an
 * entity's id to its view, and a page of a list followed by its cursor.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { downloadCsv, get } from './api.ts';
import { day, money } from './format.ts';
import { Link } from 'wouter-preact';
import type { PaymentTerms } from '#domain/customer';

/** An instant as people read it, in UTC (what the API stores): `2026-12-03 06:16 UTC`. */
export const when = (iso: string | null | undefined) => (!iso ? '—' : iso.length <= 10 ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`);

/** `InvoiceIssued` → `Invoice issued`. */
export const eventLabel = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase()).replace(/ ([A-Z])/g, (_, letter: string) => ` ${letter.toLowerCase()}`);

/** Where the console shows an entity the API names (`order`, `invoice`, `payment`, `customer`). */
export const viewPath = (entity: string, id: string) => {
  const base = { order: '/orders/', invoice: '/invoices/', payment: '/payments/', customer: '/customers/' }[entity];
  return base ? `${base}${encodeURIComponent(id)}` : undefined;
};

export function EntityLink({ entity, id, children }: { entity: string; id: string | null | undefined; children?: preact.ComponentChildren }) {
  if (!id) return <>—</>;
  const path = viewPath(entity, id);
  return path ? <Link href={path}>{children ?? id}</Link> : <>{children ?? id}</>;
}

/** `net 30 days from the invoice date, 2 % if paid within 10 days`. */
export function termsText(terms: PaymentTerms | null | undefined): string {
  if (!terms) return '—';
  const net = terms.basis === 'end-of-month' ? `end of month + ${terms.days} days` : `net ${terms.days} days from the invoice date`;
  const discount = terms.earlyPaymentDiscount ? `, ${terms.earlyPaymentDiscount.rateBasisPoints / 100} % if paid within ${terms.earlyPaymentDiscount.days} days` : '';
  return `${net}${discount}`;
}

export const ratePercent = (ratePpm: number) => `${ratePpm / 10_000} %`;

export const percentText = (percent: string | null | undefined) => (percent === null || percent === undefined ? 'n/a' : `${percent} %`);

/** Facts about one record, label and value, as a definition list. */
export function Facts({ items, label }: { items: [string, preact.ComponentChildren][]; label?: string }) {
  return (
    <dl class="facts" aria-label={label}>
      {items.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface HistoryEvent {
  type: string;
  actor: string;
  at: string;
  before?: string | undefined;
  after?: string | undefined;
  reason?: string | undefined;
}

/** An entity's audit history, oldest first: when, what, who, the change and why. */
export function HistoryTable({ events, caption }: { events: readonly HistoryEvent[]; caption: string }) {
  if (events.length === 0) return <p>No history recorded.</p>;
  return (
    <table class="history">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Who</th>
          <th scope="col">Change</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event, index) => (
          <tr key={`${event.at}:${index}`} data-event-type={event.type}>
            <td>
              <time dateTime={event.at}>{when(event.at)}</time>
            </td>
            <td>{eventLabel(event.type)}</td>
            <td>{event.actor}</td>
            <td>{event.before || event.after ? `${event.before ?? '—'} → ${event.after ?? '—'}` : ''}</td>
            <td>{event.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Like `useLoad`, but what it answers is always for the path asked now: while another filter or page loads, it
 * shows loading rather than the rows of the one before.
 */
export function useLoadOf<T>(path: string | undefined): { data?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ path?: string; data?: T; error?: string }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!path) return undefined;
    let current = true;
    get<T>(path).then(
      (data) => current && setState({ path, data }),
      (error: Error) => current && setState({ path, error: error.message }),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return state.path === path ? { data: state.data, error: state.error, reload } : { reload };
}

/** Several GETs at once (a payment per id, a report per month): all their answers in order, or the first error. */
export function useLoadAll<T>(paths: readonly string[]): { data?: T[]; error?: string } {
  const [state, setState] = useState<{ key?: string; data?: T[]; error?: string }>({});
  const key = paths.join('\n');
  useEffect(() => {
    let current = true;
    Promise.all(paths.map((path) => get<T>(path))).then(
      (data) => current && setState({ key, data }),
      (error: Error) => current && setState({ key, error: error.message }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state.key === key ? { data: state.data, error: state.error } : {};
}

/**
 * A list the API pages with `{items, cursor}`: this page, "Next page" while there is a cursor, and "First page"
 * back. `path` carries the filters; changing it starts again from the first page.
 */
export function usePaged<T>(path: string | undefined) {
  const [state, setState] = useState<{ path: string | undefined; cursors: string[] }>({ path, cursors: [] });
  const cursors = state.path === path ? state.cursors : [];
  const cursor = cursors[cursors.length - 1];
  const pagePath = path === undefined ? undefined : `${path}${path.includes('?') ? '&' : '?'}${cursor ? `cursor=${encodeURIComponent(cursor)}` : ''}`.replace(/[?&]$/, '');
  const load = useLoadOf<{ items: T[]; cursor: string | null }>(pagePath);
  return {
    load,
    pagePath,
    pageNumber: cursors.length + 1,
    next: (next: string) => setState({ path, cursors: [...cursors, next] }),
    first: () => setState({ path, cursors: [] }),
  };
}

export function Pager({ cursor, pageNumber, onNext, onFirst }: { cursor: string | null; pageNumber: number; onNext: (cursor: string) => void; onFirst: () => void }) {
  return (
    <p class="pager">
      <span>Page {pageNumber}</span>{' '}
      {pageNumber > 1 && (
        <button type="button" onClick={onFirst}>
          First page
        </button>
      )}{' '}
      {cursor && (
        <button type="button" onClick={() => onNext(cursor)}>
          Next page
        </button>
      )}
    </p>
  );
}

/** The fields an invoice row shows (an invoice view from `GET /invoices` or `GET /invoices/{id}`). */
export interface InvoiceRow {
  id: string;
  number: string;
  kind: string;
  status: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  totalMinor: number;
  openMinor: number;
}

/** Invoices and credit notes as one table: number (linked), kind, status, dates, total and what is open. */
export function InvoiceTable({ invoices, caption }: { invoices: readonly InvoiceRow[]; caption?: string }) {
  return (
    <table>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">Number</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Issued</th>
          <th scope="col">Due</th>
          <th scope="col">Total</th>
          <th scope="col">Open</th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((invoice) => (
          <tr key={invoice.id}>
            <td>
              <EntityLink entity="invoice" id={invoice.id}>
                {invoice.number}
              </EntityLink>
            </td>
            <td>{invoice.kind}</td>
            <td>{invoice.status}</td>
            <td>{day(invoice.issueDate)}</td>
            <td>{day(invoice.dueDate)}</td>
            <td>{money(invoice.totalMinor, invoice.currency)}</td>
            <td>{money(invoice.openMinor, invoice.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Export CSV" of a list or report (the API's text/csv), with the API's refusal said beside it. */
export function ExportCsvButton({ path, filename }: { path: string; filename: string }) {
  const [error, setError] = useState<string | undefined>();
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setError(undefined);
          void downloadCsv(path, filename).catch((failure: Error) => setError(failure.message));
        }}
      >
        Export CSV
      </button>
      {error && (
        <span role="alert" class="error">
          {' '}
          {error}
        </span>
      )}
    </>
  );
}
