import { describe, expect, it } from 'vitest';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { baseUrl, getAs, invoicedOrder } from './support.ts';

describe('GET /customers/{id}/statement', () => {
  it('given an open invoice, when the statement is asked for, then it lists it as not yet due, and its buckets add up to the balance of open invoices less unapplied cash', async () => {
    const invoice = await invoicedOrder(2);

    const response = await getAs('viewer', `/customers/${invoice.customerId}/statement`);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { number: string; bucket: string; openMinor: number }[]; totals: { buckets: Record<string, number>; balanceMinor: number; openInvoicesMinor: number; unappliedMinor: number }[] };
    expect(body.items.find((item) => item.number === invoice.number)).toMatchObject({ bucket: 'not-due', openMinor: invoice.openMinor });
    for (const totals of body.totals) {
      expect(Object.values(totals.buckets).reduce((sum, amount) => sum + amount, 0)).toBe(totals.balanceMinor);
      expect(totals.balanceMinor).toBe(totals.openInvoicesMinor - totals.unappliedMinor);
    }
  });

  it('given the PDF is asked for, when rendered, then a PDF comes back', async () => {
    const invoice = await invoicedOrder(1);

    const response = await fetch(`${baseUrl()}/customers/${invoice.customerId}/statement?format=pdf`, { headers: { authorization: `Bearer ${await mintDevToken('ar-clerk')}` } });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });

  it('given an unknown customer, when asked, then 404', async () => {
    expect((await getAs('viewer', '/customers/01NOSUCHCUSTOMER0000000000/statement')).status).toBe(404);
  });
});
