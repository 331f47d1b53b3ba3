/**
 * Deductions end to end (issue 12): a payer short-pays an invoice and says why; cash application records the
 * deduction, dunning leaves it out, the statement shows it, and a person accepts it (write-off or credit note) or
 * rejects it (back to collections), once.
 */
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { buckets } from '#shared/topology';
import { camt053, germanIban, type CamtEntry } from '../support/camt053.ts';
import { awsConfig, eventually, getAs, invoicedOrder, newTestCustomer, sendAs, uniqueId, type InvoiceView } from './support.ts';

const s3 = new S3Client({ ...awsConfig('s3'), forcePathStyle: true });
const bucket = buckets.bankFiles.localName;
const ourAccount = 'DE02120300000000202051';

interface DeductionView {
  id: string;
  invoiceId: string;
  amountMinor: number;
  reason: string;
  status: string;
  paymentId: string;
  resolution?: { decision: string; settledBy?: string; creditNoteId?: string };
}

type InvoiceNow = InvoiceView & { dunning?: { deductedMinor?: number }; history?: { type: string }[] };
const invoiceNow = async (id: string) => (await (await getAs('viewer', `/invoices/${id}`)).json()) as InvoiceNow;
const keysUnder = async (prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((object) => object.Key as string);

async function openDeductionOf(invoiceId: string): Promise<DeductionView | undefined> {
  let cursor: string | null = null;
  do {
    const page = (await (await getAs('viewer', `/deductions?status=open&limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: DeductionView[]; cursor: string | null };
    const found = page.items.find((deduction) => deduction.invoiceId === invoiceId);
    if (found) return found;
    cursor = page.cursor;
  } while (cursor);
  return undefined;
}

/** Drops a one-statement camt file and waits until it has been processed. */
async function dropStatement(run: string, name: string, entries: CamtEntry[], openingMinor = 0) {
  const key = `inbound/${run}/${name}.xml`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: camt053({ statementId: `${run}-${name}`, account: ourAccount, openingMinor, entries }) }));
  await eventually(async () => ((await keysUnder(key)).length === 0 ? true : undefined), 30_000);
}

/** 3 × 19.99 at 19 % (71.36 EUR) paid less 10.00 "damaged goods", by a bank file; the deduction as listed. */
async function shortPaidInvoice(): Promise<{ invoice: InvoiceView; deduction: DeductionView; payment: CamtEntry; run: string }> {
  const invoice = await invoicedOrder(3);
  const run = uniqueId('ded');
  const payment = { amountMinor: 7_136 - 1_000, bankReference: `${run}-1`, bookingDate: '2026-11-20', endToEndId: `${run}-E2E`, debtorName: 'Credit Test AG', debtorAccount: germanIban(Math.floor(Math.random() * 1e9)), remittance: `${invoice.number} less damaged goods 10.00` };
  await dropStatement(run, 'statement', [payment]);
  const deduction = await eventually(() => openDeductionOf(invoice.id), 30_000);
  return { invoice, deduction, payment, run };
}

describe('given a transfer whose structured remittance advice splits it over two invoices, one short by a coded deduction', () => {
  it('when cash application runs, then each invoice gets what the payer gave it and the deduction waits for a person', async () => {
    const customer = newTestCustomer();
    const first = await invoicedOrder(1, customer);
    const second = await invoicedOrder(3, customer);
    const run = uniqueId('advice');
    const key = `inbound/${run}/statement.xml`;
    const documents = [
      { number: first.number, dueMinor: 2_379, paidMinor: 2_379 },
      { number: second.number, dueMinor: 7_136, adjustments: [{ amountMinor: 1_136, code: 'DAMG', text: 'two units damaged' }], paidMinor: 6_000 },
    ];
    const entry = { amountMinor: 8_379, bankReference: `${run}-1`, bookingDate: '2026-11-20', debtorName: 'Credit Test AG', documents };

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: camt053({ statementId: run, account: ourAccount, openingMinor: 0, entries: [entry] }) }));
    await eventually(async () => ((await keysUnder(key)).length === 0 ? true : undefined), 30_000);

    expect(await invoiceNow(first.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
    expect(await invoiceNow(second.id)).toMatchObject({ status: 'PARTIALLY_PAID', openMinor: 1_136, dunning: { deductedMinor: 1_136 } });
    const deduction = await eventually(() => openDeductionOf(second.id), 30_000);
    expect(deduction).toMatchObject({ amountMinor: 1_136, status: 'OPEN' });
    expect(deduction.reason).toContain('two units damaged');
  });
});

const resolve = (role: 'ar-clerk' | 'credit-manager', deductionId: string, body: unknown) => sendAs(role, 'POST', `/deductions/${deductionId}/resolution`, body);

describe('given a payment short by a deduction stated in its remittance', () => {
  it('when cash application runs, then the cash is applied, the deduction is listed and held out of dunning, and the statement shows it', async () => {
    const { invoice, deduction } = await shortPaidInvoice();

    expect(deduction).toMatchObject({ amountMinor: 1_000, status: 'OPEN' });
    expect(deduction.reason).toContain('damaged goods');
    const now = await invoiceNow(invoice.id);
    expect(now).toMatchObject({ status: 'PARTIALLY_PAID', openMinor: 1_000, dunning: { deductedMinor: 1_000 } });
    const statement = (await (await getAs('viewer', `/customers/${invoice.customerId}/statement`)).json()) as { items: { invoiceId?: string; deductedMinor: number }[]; totals: { deductedMinor: number }[] };
    expect(statement.items.find((item) => item.invoiceId === invoice.id)?.deductedMinor).toBe(1_000);
    expect(statement.totals[0]?.deductedMinor).toBeGreaterThanOrEqual(1_000);
  });

  it('when a clerk rejects it, then it goes back to collections and cannot be decided again', async () => {
    const { invoice, deduction } = await shortPaidInvoice();

    const rejected = await resolve('ar-clerk', deduction.id, { decision: 'reject', reason: 'goods were fine on delivery' });
    const again = await resolve('ar-clerk', deduction.id, { decision: 'reject', reason: 'goods were fine on delivery' });

    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({ status: 'REJECTED', invoiceOpenMinor: 1_000 });
    expect(again.status).toBe(409);
    const now = await invoiceNow(invoice.id);
    expect(now).toMatchObject({ openMinor: 1_000 });
    expect(now.dunning?.deductedMinor).toBeUndefined();
    expect(await openDeductionOf(invoice.id)).toBeUndefined();
  });

  it('when a clerk accepts it as a write-off within the limit, then the invoice and its order are settled and exposure falls by it', async () => {
    const { invoice, deduction } = await shortPaidInvoice();
    const exposure = async () => ((await (await getAs('viewer', `/customers/${invoice.customerId}`)).json()) as { exposureMinor: number }).exposureMinor;
    const before = await exposure();

    const accepted = await resolve('ar-clerk', deduction.id, { decision: 'accept', settleBy: 'write-off', reason: 'damage confirmed by the carrier' });

    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ status: 'ACCEPTED', settledBy: 'write-off', invoiceOpenMinor: 0, invoiceStatus: 'PAID' });
    expect(before - (await exposure())).toBe(1_000);
    const { orderId } = (await (await getAs('viewer', `/invoices/${invoice.id}`)).json()) as { orderId: string };
    expect(((await (await getAs('viewer', `/orders/${orderId}`)).json()) as { status: string }).status).toBe('PAID');
  });

  it('when a credit manager accepts it by a credit note, then one credit note of exactly the deduction is issued with the decision', async () => {
    const { invoice, deduction } = await shortPaidInvoice();

    const accepted = await resolve('credit-manager', deduction.id, { decision: 'accept', settleBy: 'credit-note', reason: 'price error on our side' });
    const again = await resolve('credit-manager', deduction.id, { decision: 'accept', settleBy: 'credit-note', reason: 'price error on our side' });

    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as { creditNote: { creditNoteId: string; totalMinor: number } };
    expect(body.creditNote.totalMinor).toBe(1_000);
    expect(again.status).toBe(409);
    expect(await invoiceNow(invoice.id)).toMatchObject({ openMinor: 0 });
    const credits = ((await (await getAs('viewer', `/invoices?orderId=${(await invoiceNow(invoice.id) as unknown as { orderId: string }).orderId}`)).json()) as { items: { id: string; totalMinor: number }[] }).items;
    expect(credits.filter((document) => document.id === body.creditNote.creditNoteId)).toHaveLength(1);
  });

  it('when the bank returns the payment, then its deduction is cancelled, leaves the worklist, and collections chase the whole invoice again', async () => {
    const { invoice, deduction, payment, run } = await shortPaidInvoice();

    await dropStatement(run, 'return', [{ ...payment, amountMinor: -payment.amountMinor, bankReference: `${run}-R`, bookingDate: '2026-11-23', reversal: true, returnReason: 'AC04' }], payment.amountMinor);

    const now = await eventually(async () => {
      const current = await invoiceNow(invoice.id);
      return current.openMinor === 7_136 ? current : undefined;
    }, 30_000);
    expect(now.dunning?.deductedMinor).toBeUndefined();
    expect(await openDeductionOf(invoice.id)).toBeUndefined();
    const cancelled = ((await (await getAs('viewer', '/deductions?status=cancelled&limit=100')).json()) as { items: DeductionView[] }).items;
    expect(cancelled.find((item) => item.id === deduction.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it.each([
    ['a viewer', 'viewer', { decision: 'reject', reason: 'no' }, 403],
    ['an unknown decision', 'ar-clerk', { decision: 'maybe', reason: 'not sure' }, 400],
    ['no reason', 'ar-clerk', { decision: 'reject' }, 400],
  ] as const)('when %s asks, then %i and nothing changes', async (_case, role, body, status) => {
    const response = await sendAs(role as 'ar-clerk', 'POST', '/deductions/DED-NOPE-1/resolution', body);

    expect(response.status).toBe(status);
  });
});
