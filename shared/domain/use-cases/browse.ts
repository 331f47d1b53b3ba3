import { addDays, epochDay } from '../dates.ts';
import type { Customer } from '../customer.ts';
import { InvalidRequest } from '../errors.ts';
import { invoiceStatuses, type Invoice, type InvoiceStatus } from '../invoice.ts';
import { orderSources, orderStatuses, type Order, type OrderSource, type OrderStatus } from '../order.ts';
import { orderView } from '../order-view.ts';
import { disputeReasons, type Clock, type Dispute, type Page } from '../ports.ts';
import { nameKey, numberKey, referenceBody } from '../search.ts';
import { customerView } from './customers.ts';
import { invoiceView } from './read-invoices.ts';

type PageQuery = { limit: number; cursor?: string | undefined };

export interface SearchHit {
  entity: 'invoice' | 'payment' | 'order' | 'customer';
  id: string;
  label: string;
}

/** Cross-customer lists (a page may hold fewer than `limit` items when a filter drops some; follow the cursor). */
export interface Browse {
  invoices(query: { kind: 'invoice' | 'credit-note'; status: InvoiceStatus; currency?: string | undefined; dueFrom?: string | undefined; dueTo?: string | undefined } & PageQuery): Promise<Page<Invoice>>;
  orders(query: { status: OrderStatus; source?: OrderSource | undefined; from?: string | undefined; to?: string | undefined } & PageQuery): Promise<Page<Order>>;
  customers(query: { namePrefix?: string | undefined; onCreditHold?: boolean | undefined; overLimit?: boolean | undefined } & PageQuery): Promise<Page<Customer>>;
  disputes(query: { status: Dispute['status']; reason?: string | undefined } & PageQuery): Promise<Page<Dispute>>;
  searchEntries(key: string): Promise<SearchHit[]>;
  refTarget(kind: 'order' | 'customer', source: OrderSource, externalId: string): Promise<string | undefined>;
}

function date(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    epochDay(value, name);
  } catch (error) {
    throw new InvalidRequest((error as Error).message);
  }
  return value;
}
function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined || !allowed.includes(value as T)) throw new InvalidRequest(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}
const flag = (value: string | undefined) => value === 'true' || value === '1';
function range(from: string | undefined, to: string | undefined, names: [string, string]): { from?: string | undefined; to?: string | undefined } {
  if (from !== undefined && to !== undefined && from > to) throw new InvalidRequest(`${names[0]} ${from} is after ${names[1]} ${to}`);
  return { from, to };
}

/** `GET /invoices?status=OPEN[&kind=credit-note][&currency=][&dueFrom=&dueTo=][&overdue=true]`, across customers, by due date. */
export async function browseInvoices(query: { status?: string | undefined; kind?: string | undefined; currency?: string | undefined; dueFrom?: string | undefined; dueTo?: string | undefined; overdue?: string | undefined } & PageQuery, deps: { browse: Browse; clock: Clock }) {
  const status = oneOf(query.status, invoiceStatuses, 'status');
  const kind = oneOf(query.kind, ['invoice', 'credit-note'] as const, 'kind', 'invoice');
  const yesterday = addDays(deps.clock.now().toISOString().slice(0, 10), -1);
  const dueTo = flag(query.overdue) ? [date(query.dueTo, 'dueTo') ?? yesterday, yesterday].sort()[0] : date(query.dueTo, 'dueTo');
  const due = range(date(query.dueFrom, 'dueFrom'), dueTo, ['dueFrom', flag(query.overdue) ? 'the overdue limit' : 'dueTo']);
  const page = await deps.browse.invoices({ kind, status, currency: query.currency?.toUpperCase(), dueFrom: due.from, dueTo: due.to, limit: query.limit, cursor: query.cursor });
  return { items: page.items.map((invoice) => invoiceView(invoice)), cursor: page.cursor };
}

/** `GET /orders?status=SHIPPED[&source=][&from=&to=]`, across customers, by order date. */
export async function browseOrders(query: { status?: string | undefined; source?: string | undefined; from?: string | undefined; to?: string | undefined } & PageQuery, deps: { browse: Browse }) {
  const status = oneOf(query.status, orderStatuses, 'status');
  const source = query.source === undefined ? undefined : oneOf(query.source, orderSources, 'source');
  const page = await deps.browse.orders({ status, source, ...range(date(query.from, 'from'), date(query.to, 'to'), ['from', 'to']), limit: query.limit, cursor: query.cursor });
  return { items: page.items.map((order) => orderView(order)), cursor: page.cursor };
}

/** `GET /customers?namePrefix=&onCreditHold=true&overLimit=true`, by name. */
export async function browseCustomers(query: { namePrefix?: string | undefined; onCreditHold?: string | undefined; overLimit?: string | undefined } & PageQuery, deps: { browse: Browse }) {
  if (query.namePrefix !== undefined && query.namePrefix.length > 200) throw new InvalidRequest('namePrefix is at most 200 characters');
  const prefix = query.namePrefix === undefined ? undefined : nameKey(query.namePrefix);
  const page = await deps.browse.customers({ namePrefix: prefix || undefined, onCreditHold: flag(query.onCreditHold), overLimit: flag(query.overLimit), limit: query.limit, cursor: query.cursor });
  return { items: page.items.map(customerView), cursor: page.cursor };
}

/** `GET /disputes?status=open|resolved|rejected[&reason=]`, oldest first. */
export async function browseDisputes(query: { status?: string | undefined; reason?: string | undefined } & PageQuery, deps: { browse: Browse }) {
  const statusBy = { open: 'OPEN', resolved: 'RESOLVED_WITH_CREDIT', rejected: 'REJECTED' } as const;
  const status = statusBy[oneOf(query.status?.toLowerCase(), ['open', 'resolved', 'rejected'] as const, 'status', 'open')];
  const reason = query.reason === undefined ? undefined : oneOf(query.reason, disputeReasons, 'reason');
  return deps.browse.disputes({ status, reason, limit: query.limit, cursor: query.cursor });
}

/**
 * `GET /search?q=`: an invoice or credit-note number, an RF reference, a store's order number, a customer's external
 * id or name (prefix), a payment's bank reference. Each hit names what it is and where to read it.
 */
export async function search(query: { q?: string | undefined }, deps: { browse: Browse }) {
  const q = query.q?.trim() ?? '';
  if (q.length < 2 || q.length > 200) throw new InvalidRequest('q must be 2 to 200 characters');
  const key = numberKey(q);
  const body = referenceBody(q);
  const [byNumber, byReference, refs, byName] = await Promise.all([
    key ? deps.browse.searchEntries(key) : [],
    body && body !== key ? deps.browse.searchEntries(body) : [],
    Promise.all(
      orderSources.flatMap((source) => [
        deps.browse.refTarget('order', source, q).then((id): SearchHit[] => (id ? [{ entity: 'order', id, label: `${source} order ${q}` }] : [])),
        deps.browse.refTarget('customer', source, q).then((id): SearchHit[] => (id ? [{ entity: 'customer', id, label: `${source} customer ${q}` }] : [])),
      ]),
    ),
    nameKey(q) ? deps.browse.customers({ namePrefix: nameKey(q), limit: 10 }) : { items: [], cursor: null },
  ]);
  const hits: SearchHit[] = [...byNumber, ...byReference, ...refs.flat(), ...byName.items.map((customer): SearchHit => ({ entity: 'customer', id: customer.id, label: customer.name }))];
  const unique = [...new Map(hits.map((hit) => [`${hit.entity}#${hit.id}`, hit])).values()];
  const paths = { invoice: '/invoices/', payment: '/payments/', order: '/orders/', customer: '/customers/' } as const;
  return { items: unique.map((hit) => ({ ...hit, path: `${paths[hit.entity]}${hit.id}` })) };
}
