/**
 * Reports (issue 13): the ageing across customers adds up exactly, and every figure can be re-added from its rows.
 */
import { describe, expect, it } from 'vitest';
import { getAs, invoicedOrder, sendAs } from './support.ts';

interface Bucket {
  label: string;
  fromDays: number | null;
  toDays: number | null;
  amountMinor: number;
  count: number;
  disputedMinor: number;
}
interface Ageing {
  asOf: string;
  currency: string;
  totalOpenMinor: number;
  count: number;
  disputedMinor: number;
  buckets: Bucket[];
  customers: { customerId: string; totalOpenMinor: number; buckets: Bucket[] }[];
  items?: { invoiceId: string; openMinor: number; bucket: string; disputed: boolean }[];
}

const ageing = async (query: string) => {
  const response = await getAs('viewer', `/reports/ageing?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Ageing;
};

describe('GET /reports/ageing', () => {
  it('given open invoices, one disputed, when aged, then Σ buckets = total = Σ open invoices, per customer too, with not-due first and the dispute shown', async () => {
    const [plain, disputed] = await Promise.all([invoicedOrder(1), invoicedOrder(2)]);
    await sendAs('ar-clerk', 'POST', `/invoices/${disputed.id}/disputes`, { reasonCode: 'pricing', note: 'list price was lower' });

    const report = await ageing('currency=EUR&items=true');

    expect(report.buckets.map((bucket) => bucket.label)).toEqual(['not-due', 'due-today', '1-30', '31-60', '61-90', '90+']);
    expect(report.buckets.reduce((sum, bucket) => sum + bucket.amountMinor, 0)).toBe(report.totalOpenMinor);
    expect(report.items!.reduce((sum, item) => sum + item.openMinor, 0)).toBe(report.totalOpenMinor);
    expect(report.items!.length).toBe(report.count);
    for (const customer of report.customers) expect(customer.buckets.reduce((sum, bucket) => sum + bucket.amountMinor, 0)).toBe(customer.totalOpenMinor);
    expect(report.customers.reduce((sum, customer) => sum + customer.totalOpenMinor, 0)).toBe(report.totalOpenMinor);
    expect(report.items!.find((item) => item.invoiceId === plain.id)).toMatchObject({ openMinor: 2_379, bucket: 'not-due', disputed: false });
    expect(report.items!.find((item) => item.invoiceId === disputed.id)).toMatchObject({ openMinor: 4_758, disputed: true });
    expect(report.disputedMinor).toBeGreaterThanOrEqual(4_758);
  });

  it('given custom buckets and a later asOf, when aged, then the invoices move into the overdue ranges asked for, and it still adds up', async () => {
    const invoice = await invoicedOrder(1);
    const { dueDate } = (await (await getAs('viewer', `/invoices/${invoice.id}`)).json()) as { dueDate: string };
    const later = new Date(Date.parse(`${dueDate}T00:00:00Z`) + 45 * 86_400_000).toISOString().slice(0, 10);

    const report = await ageing(`currency=EUR&asOf=${later}&buckets=15,45&items=true`);

    expect(report.buckets.map((bucket) => bucket.label)).toEqual(['not-due', 'due-today', '1-15', '16-45', '45+']);
    expect(report.items!.find((item) => item.invoiceId === invoice.id)?.bucket).toBe('16-45');
    expect(report.buckets.reduce((sum, bucket) => sum + bucket.amountMinor, 0)).toBe(report.totalOpenMinor);
  });

  it('given CSV asked for, then one row per bucket with amounts in decimals', async () => {
    const response = await getAs('viewer', '/reports/ageing?currency=EUR&format=csv');
    const [header, ...rows] = (await response.text()).trim().split('\r\n');

    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(header!.split(',')).toEqual(expect.arrayContaining(['label', 'amount', 'count']));
    expect(rows).toHaveLength(6);
  });

  it.each([
    ['no currency', ''],
    ['a made-up currency', 'currency=EURO'],
    ['an asOf that is no date', 'currency=EUR&asOf=2026-02-30'],
    ['buckets out of order', 'currency=EUR&buckets=60,30'],
  ])('given %s, then 400', async (_case, query) => {
    expect((await getAs('viewer', `/reports/ageing?${query}`)).status).toBe(400);
  });
});
