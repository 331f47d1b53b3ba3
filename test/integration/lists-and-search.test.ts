/**
 * Cross-customer lists, search and CSV export (issue 13): a finance team finds any invoice, order, customer or dispute
 * without knowing its customer first, and takes any list to a spreadsheet.
 */
import { describe, expect, it } from 'vitest';
import { creditorReferenceFor } from '#domain/creditor-reference';
import { getAs, invoicedOrder, newTestCustomer, sendAs, uniqueId, type InvoiceView } from './support.ts';

async function everyPage<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const response = await getAs('viewer', `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: T[]; cursor: string | null };
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

describe('cross-customer lists', () => {
  it('given invoices of two customers, when listing OPEN EUR invoices, then both are there in due-date order, and a paid one is not', async () => {
    const [first, second] = await Promise.all([invoicedOrder(1), invoicedOrder(2)]);

    const open = await everyPage<InvoiceView & { dueDate: string; currency: string }>('/invoices?status=OPEN&currency=EUR');

    expect(open.map((invoice) => invoice.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(open.every((invoice) => invoice.status === 'OPEN' && invoice.currency === 'EUR')).toBe(true);
    expect(open.map((invoice) => invoice.dueDate)).toEqual([...open.map((invoice) => invoice.dueDate)].sort());
    expect((await everyPage<InvoiceView>('/invoices?status=PAID')).some((invoice) => invoice.id === first.id)).toBe(false);
  });

  it('given overdue=true, when listing, then only invoices due before today come back', async () => {
    const today = ((await (await fetch(`${(await import('./support.ts')).baseUrl()}/_local/clock`)).json()) as { now: string }).now.slice(0, 10);

    const overdue = await everyPage<{ dueDate: string }>('/invoices?status=OPEN&overdue=true');

    expect(overdue.every((invoice) => invoice.dueDate < today)).toBe(true);
  });

  it('given a status that does not exist, when listing invoices or orders, then 400 naming the statuses', async () => {
    expect((await getAs('viewer', '/invoices?status=LOST')).status).toBe(400);
    expect((await getAs('viewer', '/orders?status=LOST')).status).toBe(400);
    expect((await getAs('viewer', '/invoices')).status).toBe(400);
    expect((await getAs('viewer', '/invoices?status=OPEN&dueFrom=2026-12-31&dueTo=2026-01-01')).status).toBe(400);
    expect((await getAs('viewer', '/orders?status=NEW&from=2026-13-01')).status).toBe(400);
  });

  it('given an invoiced order, when listing INVOICED orders of the generic store, also from and to its order day, then it is there', async () => {
    const invoice = await invoicedOrder(1);
    const { orderId } = (await (await getAs('viewer', `/invoices/${invoice.id}`)).json()) as { orderId: string };
    const { orderedAt } = (await (await getAs('viewer', `/orders/${orderId}`)).json()) as { orderedAt: string };
    const day = orderedAt.slice(0, 10);

    const orders = await everyPage<{ id: string; source: string; status: string }>('/orders?status=INVOICED&source=generic');
    const thatDay = await everyPage<{ id: string }>(`/orders?status=INVOICED&from=${day}&to=${day}`);

    expect(orders.find((order) => order.id === orderId)).toMatchObject({ source: 'generic', status: 'INVOICED' });
    expect(thatDay.map((order) => order.id)).toContain(orderId);
  });

  it.each([
    ['a cursor made up', '/invoices?status=OPEN&cursor=e30'],
    ['a cursor of another list', '/invoices?status=OPEN&dueFrom=2026-06-01&cursor=' + Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi4pk: 'LIST#order#NEW', gsi4sk: '1#x' })).toString('base64url')],
    ['a name prefix of 1 100 letters', `/customers?namePrefix=${'a'.repeat(1_100)}`],
  ])('given %s, when listing, then 400 and not 500', async (_case, path) => {
    expect((await getAs('viewer', path)).status).toBe(400);
  });

  it('given customers, when listing by a name prefix typed another way and by credit hold, then the right ones come back', async () => {
    const customer = { ...newTestCustomer(), name: `Müller-${uniqueId('N')} & Söhne GmbH` };
    const invoice = await invoicedOrder(1, customer);
    await sendAs('credit-manager', 'PUT', `/customers/${invoice.customerId}`, { onCreditHold: true, creditHoldReason: 'cheque bounced' });
    const prefix = customer.name.slice(0, customer.name.indexOf('&')).replace('ü', 'ue').toUpperCase();

    const byName = await everyPage<{ id: string }>(`/customers?namePrefix=${encodeURIComponent(prefix)}`);
    const held = await everyPage<{ id: string; onCreditHold: boolean }>('/customers?onCreditHold=true');

    expect(byName.map((found) => found.id)).toEqual([invoice.customerId]);
    expect(held.find((found) => found.id === invoice.customerId)).toMatchObject({ onCreditHold: true });
    expect(held.every((found) => found.onCreditHold)).toBe(true);
  });

  it('given an open dispute, when listing open pricing disputes, then it is there, and not among the resolved', async () => {
    const invoice = await invoicedOrder(1);
    const { disputeId } = (await (await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'pricing', note: 'list price was lower' })).json()) as { disputeId: string };

    const open = await everyPage<{ id: string; invoiceId: string; reasonCode: string }>('/disputes?status=open&reason=pricing');

    expect(open.find((dispute) => dispute.id === disputeId)).toMatchObject({ invoiceId: invoice.id, reasonCode: 'pricing' });
    expect((await everyPage<{ id: string }>('/disputes?status=resolved')).some((dispute) => dispute.id === disputeId)).toBe(false);
  });
});

describe('GET /search', () => {
  it('given an invoice, when searching by its number in any spelling and by its RF reference, then the invoice is found with its path', async () => {
    const invoice = await invoicedOrder(1);
    const reference = creditorReferenceFor(invoice.number);
    const find = async (q: string) => ((await (await getAs('viewer', `/search?q=${encodeURIComponent(q)}`)).json()) as { items: { entity: string; id: string; path: string }[] }).items;

    for (const q of [invoice.number, invoice.number.toLowerCase().replace(/-/g, ' '), reference]) {
      expect(await find(q)).toContainEqual(expect.objectContaining({ entity: 'invoice', id: invoice.id, path: `/invoices/${invoice.id}` }));
    }
  });

  it('given a customer, when searching by the store number and a name prefix, then the customer is found', async () => {
    const customer = { ...newTestCustomer(), name: `Zebra ${uniqueId('Z')} Trading` };
    const invoice = await invoicedOrder(1, customer);
    const find = async (q: string) => ((await (await getAs('viewer', `/search?q=${encodeURIComponent(q)}`)).json()) as { items: { entity: string; id: string }[] }).items;

    expect(await find(customer.externalId)).toContainEqual(expect.objectContaining({ entity: 'customer', id: invoice.customerId }));
    expect(await find(customer.name.slice(0, 14))).toContainEqual(expect.objectContaining({ entity: 'customer', id: invoice.customerId }));
  });

  it('given a query of one character, then 400', async () => {
    expect((await getAs('viewer', '/search?q=a')).status).toBe(400);
  });
});

describe('CSV export', () => {
  it('given a list asked for as CSV, then one header row, one row per item, and money as decimal strings', async () => {
    const invoice = await invoicedOrder(1);

    const response = await getAs('viewer', `/invoices?customerId=${invoice.customerId}&format=csv`);
    const text = await response.text();

    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = text.trim().split('\r\n');
    const columns = header!.split(',');
    expect(columns).toEqual(expect.arrayContaining(['id', 'number', 'currency', 'total', 'open']));
    expect(rows).toHaveLength(1);
    const cells = rows[0]!.split(',');
    expect(cells[columns.indexOf('total')]).toBe('23.79');
    expect(cells[columns.indexOf('open')]).toBe('23.79');
  });
});
