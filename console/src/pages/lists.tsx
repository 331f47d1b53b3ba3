/**
 * The lists across customers (`GET /invoices`, `/orders`, `/customers`, `/disputes`) with the filters the API
 * takes, a page at a time (its cursor), and the page as CSV. The API gives each list in one order (invoices by due
 * date, orders by order date, customers by name, disputes oldest first); a column heading sorts the page shown.
 */
import { useMemo, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { invoiceStatuses } from '#domain/invoice';
import { orderSources, orderStatuses } from '#domain/order';
import { disputeReasons, type Dispute } from '#domain/ports';
import type { browseCustomers, browseInvoices, browseOrders } from '#domain/use-cases/browse';
import { day, money } from '../format.ts';
import { Loading } from '../load.tsx';
import { EntityLink, ExportCsvButton, Pager, usePaged, when } from '../view-parts.tsx';

type InvoiceItem = Awaited<ReturnType<typeof browseInvoices>>['items'][number];
type OrderItem = Awaited<ReturnType<typeof browseOrders>>['items'][number];
type CustomerItem = Awaited<ReturnType<typeof browseCustomers>>['items'][number];

const PAGE_SIZE = 25;

interface Column<T> {
  label: string;
  /** What the column sorts by (numbers as numbers, text as text); none: not sortable. */
  sortBy?: (item: T) => string | number;
  render: (item: T) => preact.ComponentChildren;
}

interface FilterField {
  name: string;
  label: string;
  kind: 'select' | 'text' | 'date' | 'checkbox';
  options?: readonly string[];
  /** A select may be left empty (no filter); a required one always sends a value. */
  required?: boolean;
  placeholder?: string;
}

interface ListDefinition<T> {
  title: string;
  path: string;
  order: string;
  filters: FilterField[];
  defaults: Record<string, string>;
  key: (item: T) => string;
  columns: Column<T>[];
}

const invoices: ListDefinition<InvoiceItem> = {
  title: 'Invoices',
  path: '/invoices',
  order: 'by due date',
  filters: [
    { name: 'status', label: 'Status', kind: 'select', options: invoiceStatuses, required: true },
    { name: 'kind', label: 'Kind', kind: 'select', options: ['invoice', 'credit-note'], required: true },
    { name: 'currency', label: 'Currency', kind: 'text', placeholder: 'EUR' },
    { name: 'dueFrom', label: 'Due from', kind: 'date' },
    { name: 'dueTo', label: 'Due to', kind: 'date' },
    { name: 'overdue', label: 'Overdue only', kind: 'checkbox' },
  ],
  defaults: { status: 'OPEN', kind: 'invoice' },
  key: (item) => item.id,
  columns: [
    { label: 'Number', sortBy: (item) => item.number, render: (item) => <EntityLink entity="invoice" id={item.id}>{item.number}</EntityLink> },
    { label: 'Customer', render: (item) => <EntityLink entity="customer" id={item.customerId} /> },
    { label: 'Order', render: (item) => <EntityLink entity="order" id={item.orderId} /> },
    { label: 'Status', sortBy: (item) => item.status, render: (item) => item.status },
    { label: 'Issued', sortBy: (item) => item.issueDate, render: (item) => item.issueDate },
    { label: 'Due', sortBy: (item) => item.dueDate, render: (item) => item.dueDate },
    { label: 'Total', sortBy: (item) => item.totalMinor, render: (item) => money(item.totalMinor, item.currency) },
    { label: 'Open', sortBy: (item) => item.openMinor, render: (item) => money(item.openMinor, item.currency) },
  ],
};

const orders: ListDefinition<OrderItem> = {
  title: 'Orders',
  path: '/orders',
  order: 'by order date',
  filters: [
    { name: 'status', label: 'Status', kind: 'select', options: orderStatuses, required: true },
    { name: 'source', label: 'Source', kind: 'select', options: orderSources },
    { name: 'from', label: 'Ordered from', kind: 'date' },
    { name: 'to', label: 'Ordered to', kind: 'date' },
  ],
  defaults: { status: 'AWAITING_SHIPMENT' },
  key: (item) => item.id,
  columns: [
    { label: 'Order', sortBy: (item) => item.id, render: (item) => <EntityLink entity="order" id={item.id} /> },
    { label: 'Store reference', sortBy: (item) => `${item.source} ${item.storeOrderNumber ?? item.externalId}`, render: (item) => `${item.source} ${item.storeOrderNumber ?? item.externalId}` },
    { label: 'Customer', render: (item) => <EntityLink entity="customer" id={item.customerId} /> },
    { label: 'Status', sortBy: (item) => item.status, render: (item) => item.status },
    { label: 'Ordered', sortBy: (item) => item.orderedAt, render: (item) => when(item.orderedAt) },
    { label: 'Total', sortBy: (item) => item.totalMinor, render: (item) => money(item.totalMinor, item.currency) },
  ],
};

const customers: ListDefinition<CustomerItem> = {
  title: 'Customers',
  path: '/customers',
  order: 'by name',
  filters: [
    { name: 'namePrefix', label: 'Name starts with', kind: 'text', placeholder: 'muel finds Müller' },
    { name: 'onCreditHold', label: 'On credit hold', kind: 'checkbox' },
    { name: 'overLimit', label: 'Over their limit', kind: 'checkbox' },
  ],
  defaults: {},
  key: (item) => item.id,
  columns: [
    { label: 'Name', sortBy: (item) => item.name, render: (item) => <EntityLink entity="customer" id={item.id}>{item.name}</EntityLink> },
    { label: 'Customer no.', sortBy: (item) => item.externalId, render: (item) => `${item.externalId} (${item.source})` },
    { label: 'Credit limit', sortBy: (item) => item.creditLimitMinor, render: (item) => money(item.creditLimitMinor, item.currency) },
    { label: 'Exposure', sortBy: (item) => item.exposureMinor, render: (item) => money(item.exposureMinor, item.currency) },
    { label: 'Available', sortBy: (item) => item.availableCreditMinor, render: (item) => money(item.availableCreditMinor, item.currency) },
    { label: 'Credit hold', sortBy: (item) => (item.onCreditHold ? 1 : 0), render: (item) => (item.onCreditHold ? `yes${item.creditHoldReason ? `: ${item.creditHoldReason}` : ''}` : 'no') },
    { label: 'Risk', sortBy: (item) => item.riskClass, render: (item) => item.riskClass },
  ],
};

const disputes: ListDefinition<Dispute> = {
  title: 'Disputes',
  path: '/disputes',
  order: 'oldest first',
  filters: [
    { name: 'status', label: 'Status', kind: 'select', options: ['open', 'resolved', 'rejected'], required: true },
    { name: 'reason', label: 'Reason', kind: 'select', options: disputeReasons },
  ],
  defaults: { status: 'open' },
  key: (item) => item.id,
  columns: [
    { label: 'Opened', sortBy: (item) => item.openedAt, render: (item) => when(item.openedAt) },
    { label: 'Invoice', render: (item) => <EntityLink entity="invoice" id={item.invoiceId} /> },
    { label: 'Customer', render: (item) => <EntityLink entity="customer" id={item.customerId} /> },
    { label: 'Reason', sortBy: (item) => item.reasonCode, render: (item) => `${item.reasonCode}: ${item.note}` },
    { label: 'Status', sortBy: (item) => item.status, render: (item) => item.status },
    { label: 'Opened by', sortBy: (item) => item.openedBy, render: (item) => item.openedBy },
    { label: 'Resolution', render: (item) => (item.resolution ? `${item.resolution.reason} (${item.resolution.by}, ${day(item.resolution.at)})` : '—') },
  ],
};

const LISTS = { invoices, orders, customers, disputes } as const;
export type ListKind = keyof typeof LISTS;
export const listKinds = Object.keys(LISTS) as ListKind[];

export function ListsPage({ kind }: { kind: string }) {
  const known = (listKinds as string[]).includes(kind) ? (kind as ListKind) : undefined;
  return (
    <>
      <h1>Lists{known ? `: ${LISTS[known].title}` : ''}</h1>
      <nav aria-label="Lists" class="tabs">
        {listKinds.map((name) => (
          <Link key={name} href={`/lists/${name}`} aria-current={name === known ? 'page' : undefined}>
            {LISTS[name].title}
          </Link>
        ))}
      </nav>
      {known ? <ListView key={known} kind={known} definition={LISTS[known] as ListDefinition<unknown>} /> : <p>There is no list {kind}.</p>}
    </>
  );
}

const queryOf = (values: Record<string, string>) =>
  Object.entries(values)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');

function ListView<T>({ kind, definition }: { kind: ListKind; definition: ListDefinition<T> }) {
  const [draft, setDraft] = useState<Record<string, string>>(definition.defaults);
  const [applied, setApplied] = useState<Record<string, string>>(definition.defaults);
  const [sort, setSort] = useState<{ column: number; descending: boolean } | undefined>();
  const listPath = `${definition.path}?${queryOf({ ...applied, limit: String(PAGE_SIZE) })}`;
  const paged = usePaged<T>(listPath);
  const sortItems = useMemo(
    () => (items: T[]) => {
      const by = sort && definition.columns[sort.column]?.sortBy;
      if (!sort || !by) return items;
      return [...items].sort((a, b) => {
        const [x, y] = [by(a), by(b)];
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return sort.descending ? -order : order;
      });
    },
    [sort, definition],
  );
  return (
    <>
      <form
        class="filters"
        aria-label={`Filter ${definition.title.toLowerCase()}`}
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ ...draft });
        }}
      >
        {definition.filters.map((field) => {
          const id = `filter-${kind}-${field.name}`;
          const value = draft[field.name] ?? '';
          const set = (next: string) => setDraft((current) => ({ ...current, [field.name]: next }));
          return (
            <span class="field" key={field.name}>
              <label for={id}>{field.label}</label>
              {field.kind === 'select' ? (
                <select id={id} value={value} onChange={(event) => set(event.currentTarget.value)}>
                  {!field.required && <option value="">any</option>}
                  {(field.options ?? []).map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </select>
              ) : field.kind === 'checkbox' ? (
                <input id={id} type="checkbox" checked={value === 'true'} onChange={(event) => set(event.currentTarget.checked ? 'true' : '')} />
              ) : (
                <input id={id} type={field.kind} value={value} placeholder={field.placeholder} onInput={(event) => set(event.currentTarget.value)} />
              )}
            </span>
          );
        })}
        <button type="submit">Show</button>
      </form>
      <p>
        The API lists {definition.title.toLowerCase()} {definition.order}, {PAGE_SIZE} to a page (a filter may leave a page shorter: follow “Next page”). Sorting by a column heading sorts the page shown only; Export CSV saves the page shown, as the API writes it.{' '}
        <ExportCsvButton path={paged.pagePath ?? listPath} filename={`${kind}.csv`} />
      </p>
      <Loading load={paged.load}>
        {({ items, cursor }) => (
          <>
            {items.length === 0 ? (
              <p>Nothing on this page.</p>
            ) : (
              <table class="list" data-list={kind}>
                <thead>
                  <tr>
                    {definition.columns.map((column, index) => (
                      <th scope="col" key={column.label} aria-sort={sort?.column === index ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                        {column.sortBy ? (
                          <button type="button" class="sort" onClick={() => setSort({ column: index, descending: sort?.column === index ? !sort.descending : false })}>
                            {column.label}
                            <span aria-hidden="true">{sort?.column === index ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                          </button>
                        ) : (
                          column.label
                        )}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {sortItems(items).map((item) => (
                    <tr key={definition.key(item)} data-entity={definition.key(item)}>
                      {definition.columns.map((column) => (
                        <td key={column.label}>{column.render(item)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager cursor={cursor} pageNumber={paged.pageNumber} onNext={paged.next} onFirst={paged.first} />
          </>
        )}
      </Loading>
    </>
  );
}
