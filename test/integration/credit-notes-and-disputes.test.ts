import { describe, expect, it } from 'vitest';
import { baseUrl, eventually, getAs, invoicedOrder, sendAs, type InvoiceView } from './support.ts';

const invoiceNow = async (id: string) => (await (await getAs('viewer', `/invoices/${id}`)).json()) as InvoiceView;

describe('credit notes', () => {
  it('given an invoice, when one of its three units is credited, then a CN-numbered credit note is emailed and the open amount and exposure drop by it', async () => {
    const invoice = await invoicedOrder(3);
    // Invoice: 3 × 19.99 = 59.97 net, 19 % = 11.3943 → 11.39, total 71.36. One unit: 19.99 net, 3.80 tax → 23.79.
    expect(invoice.totalMinor).toBe(7136);
    const exposureBefore = ((await (await getAs('viewer', `/customers/${invoice.customerId}`)).json()) as { exposureMinor: number }).exposureMinor;

    const response = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/credit-notes`, { lines: [{ lineNumber: 1, quantity: 1 }], reason: 'one unit arrived broken' });

    expect(response.status).toBe(201);
    const credit = (await response.json()) as { number: string; totalMinor: number; invoiceOpenMinor: number; invoiceStatus: string };
    expect(credit).toMatchObject({ totalMinor: 2379, invoiceOpenMinor: 7136 - 2379, invoiceStatus: 'OPEN' });
    expect(credit.number).toMatch(/^CN-\d{4}-\d{6}$/);
    expect((await invoiceNow(invoice.id)).openMinor).toBe(4757);
    const exposureAfter = ((await (await getAs('viewer', `/customers/${invoice.customerId}`)).json()) as { exposureMinor: number }).exposureMinor;
    expect(exposureBefore - exposureAfter).toBe(2379);
    await eventually(async () => {
      const { emails } = (await (await fetch(`${baseUrl()}/_local/emails`)).json()) as { emails: { subject: string }[] };
      return emails.find((email) => email.subject.includes(credit.number));
    });
  });

  it('given an invoice, when more than is open is credited, then 409 and the invoice is unchanged', async () => {
    const invoice = await invoicedOrder(1);

    const response = await sendAs('credit-manager', 'POST', `/invoices/${invoice.id}/credit-notes`, { amountMinor: invoice.openMinor + 1, reason: 'too much' });

    expect(response.status).toBe(409);
    expect(await invoiceNow(invoice.id)).toMatchObject({ openMinor: invoice.openMinor, status: 'OPEN' });
  });

  it('given an invoice above the clerk limit, when an ar-clerk credits it all, then 403; a credit manager may, and it becomes CREDITED', async () => {
    const invoice = await invoicedOrder(30);

    const clerk = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/credit-notes`, { reason: 'order returned' });
    const manager = await sendAs('credit-manager', 'POST', `/invoices/${invoice.id}/credit-notes`, { reason: 'order returned' });

    expect(clerk.status).toBe(403);
    expect(manager.status).toBe(201);
    expect(await invoiceNow(invoice.id)).toMatchObject({ openMinor: 0, status: 'CREDITED' });
  });

  it('given 3 × 19.99 at 19 % (71.36), when credited one unit at a time, then the third note is accepted too and the invoice is CREDITED with nothing open', async () => {
    const invoice = await invoicedOrder(3);
    const exposureOf = async () => ((await (await getAs('viewer', `/customers/${invoice.customerId}`)).json()) as { exposureMinor: number }).exposureMinor;
    const exposureBefore = await exposureOf();

    const notes = [];
    for (let unit = 0; unit < 3; unit++) notes.push(await sendAs('credit-manager', 'POST', `/invoices/${invoice.id}/credit-notes`, { lines: [{ lineNumber: 1, quantity: 1 }], reason: `unit ${unit + 1} returned` }));

    expect(notes.map((note) => note.status)).toEqual([201, 201, 201]);
    const totals = await Promise.all(notes.map(async (note) => ((await note.json()) as { totalMinor: number }).totalMinor));
    expect(totals.reduce((sum, total) => sum + total, 0)).toBe(7136);
    expect(await invoiceNow(invoice.id)).toMatchObject({ openMinor: 0, status: 'CREDITED' });
    expect(exposureBefore - (await exposureOf())).toBe(7136);
  });
});

describe('disputes', () => {
  it('given an open invoice, when disputed and resolved by a partial credit, then DISPUTED and back to OPEN with the open amount reduced', async () => {
    const invoice = await invoicedOrder(2);

    const opened = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'pricing', note: 'agreed 10 % off', attachments: [{ name: 'email.pdf' }] });
    const again = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'other', note: 'second try' });
    const { disputeId } = (await opened.json()) as { disputeId: string };
    const duringDispute = await invoiceNow(invoice.id);
    const resolved = await sendAs('credit-manager', 'POST', `/disputes/${disputeId}/resolution`, { outcome: 'credit', amountMinor: 476, reason: '10 % goodwill' });

    expect(opened.status).toBe(201);
    expect(again.status).toBe(409);
    expect(duringDispute.status).toBe('DISPUTED');
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'RESOLVED_WITH_CREDIT', invoiceStatus: 'OPEN', creditNote: { totalMinor: 476 } });
    expect(await invoiceNow(invoice.id)).toMatchObject({ status: 'OPEN', openMinor: invoice.openMinor - 476 });
  });

  it('given a dispute resolved by a partial credit, when answered, then every invoice status in the answer is the stored one', async () => {
    const invoice = await invoicedOrder(3);
    const { disputeId } = (await (await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'damaged', note: 'one of three broken' })).json()) as { disputeId: string };

    const resolved = (await (await sendAs('ar-clerk', 'POST', `/disputes/${disputeId}/resolution`, { outcome: 'credit', lines: [{ lineNumber: 1, quantity: 1 }], reason: 'one unit broken' })).json()) as {
      invoiceStatus: string;
      creditNote: { invoiceStatus: string; invoiceOpenMinor: number };
    };

    const stored = await invoiceNow(invoice.id);
    expect(stored.status).toBe('OPEN');
    expect([resolved.invoiceStatus, resolved.creditNote.invoiceStatus]).toEqual([stored.status, stored.status]);
    expect(resolved.creditNote.invoiceOpenMinor).toBe(stored.openMinor);
  });

  it('given a disputed invoice, when the dispute is rejected, then the invoice is OPEN again with nothing credited', async () => {
    const invoice = await invoicedOrder(1);
    const { disputeId } = (await (await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'not-received', note: 'says it never came' })).json()) as { disputeId: string };

    const rejected = await sendAs('ar-clerk', 'POST', `/disputes/${disputeId}/resolution`, { outcome: 'reject', reason: 'proof of delivery signed' });

    expect(await rejected.json()).toMatchObject({ status: 'REJECTED', invoiceStatus: 'OPEN' });
    expect(await invoiceNow(invoice.id)).toMatchObject({ status: 'OPEN', openMinor: invoice.openMinor });
  });

  it('given a credited invoice, when disputed, then 409', async () => {
    const invoice = await invoicedOrder(1);
    await sendAs('credit-manager', 'POST', `/invoices/${invoice.id}/credit-notes`, { reason: 'cancelled after shipping' });

    const response = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'damaged', note: 'too late' });

    expect(response.status).toBe(409);
  });
});

describe('corrected reissue', () => {
  it('given an open invoice with a wrong price, when reissued, then a credit note clears it and a new linked invoice carries the corrected price', async () => {
    const invoice = await invoicedOrder(2);
    // Original: 2 × 19.99 = 39.98 + 7.60 tax = 47.58. Corrected: 2 × 17.99 = 35.98 + 6.84 (6.8362) = 42.82.

    const response = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/reissue`, { reason: 'contract price is 17.99', lines: [{ lineNumber: 1, unitPriceMinor: 1799 }] });
    const again = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/reissue`, { reason: 'twice', lines: [{ lineNumber: 1, unitPriceMinor: 1 }] });

    expect(response.status).toBe(201);
    const reissue = (await response.json()) as { invoiceId: string; number: string; totalMinor: number; creditNote: { totalMinor: number } };
    expect(reissue).toMatchObject({ totalMinor: 4282, creditNote: { totalMinor: 4758 }, replaces: { invoiceId: invoice.id } });
    expect(again.status).toBe(409);
    expect(await invoiceNow(invoice.id)).toMatchObject({ status: 'CREDITED', openMinor: 0, replacedByInvoiceId: reissue.invoiceId });
    const replacement = await eventually(async () => {
      const current = await invoiceNow(reissue.invoiceId);
      return current.email.status === 'SENT' ? current : undefined;
    });
    expect(replacement).toMatchObject({ status: 'OPEN', openMinor: 4282, replacesInvoiceId: invoice.id });
  });
});
