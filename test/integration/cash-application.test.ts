import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { keys } from '#domain/keys';
import { buckets } from '#shared/topology';
import { camt053, germanIban } from '../support/camt053.ts';
import { awsConfig, baseUrl, eventually, getAs, invoicedOrder, newTestCustomer, sendAs, uniqueId, type InvoiceView } from './support.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';

const s3 = new S3Client({ ...awsConfig('s3'), forcePathStyle: true });
const bucket = buckets.bankFiles.localName;
const ourAccount = 'DE02120300000000202051';

interface PaymentView {
  id: string;
  status: string;
  bankReference: string;
  amountMinor: number;
  unappliedMinor: number;
  customerId?: string;
  allocations: { invoiceId: string; amountMinor: number; rule: string; reason: string }[];
  adjustments: { invoiceId: string; kind: string; amountMinor: number }[];
  candidates: { invoiceId: string }[];
  reason: string;
}

const invoiceNow = async (id: string) => (await (await getAs('viewer', `/invoices/${id}`)).json()) as InvoiceView & { reference: string; paidMinor?: number };
const orderStatusOf = async (invoice: { id: string }) => {
  const { orderId } = (await (await getAs('viewer', `/invoices/${invoice.id}`)).json()) as { orderId: string };
  return ((await (await getAs('viewer', `/orders/${orderId}`)).json()) as { status: string }).status;
};
const exposureOf = async (customerId: string) => ((await (await getAs('viewer', `/customers/${customerId}`)).json()) as { exposureMinor: number }).exposureMinor;
const drop = async (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const keysUnder = async (prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((object) => object.Key as string);

async function paymentsWith(status: string, bankReference: string): Promise<PaymentView[]> {
  const found: PaymentView[] = [];
  let cursor: string | null = null;
  do {
    const response = await getAs('viewer', `/payments?status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    const page = (await response.json()) as { items: PaymentView[]; cursor: string | null };
    found.push(...page.items.filter((payment) => payment.bankReference === bankReference));
    cursor = page.cursor;
  } while (cursor);
  return found;
}

/** Waits until the file has left `inbound/`: processed or quarantined. */
const processed = (key: string) => eventually(async () => ((await keysUnder(key)).length === 0 ? true : undefined), 30_000);

describe('cash application from bank files dropped in S3', () => {
  let invoiceA: InvoiceView & { reference: string };
  let invoiceB: InvoiceView;
  let invoiceC: InvoiceView;
  const run = uniqueId('cash');
  const payerA = germanIban(Math.floor(Math.random() * 1e9));
  const unknownPayer = germanIban(Math.floor(Math.random() * 1e9));
  const ref = (name: string) => `${run}-${name}`;
  const payA = { amountMinor: 2379, bankReference: ref('A'), bookingDate: '2026-11-20', endToEndId: ref('E2E-A'), debtorName: 'Credit Test AG', debtorAccount: payerA };
  /** Pays A in full by RF, B in part by its number written without separators, and 777 from a payer nobody knows. */
  const statementOne = () =>
    camt053({
      statementId: ref('S1'),
      account: ourAccount,
      openingMinor: 100_000,
      entries: [
        { ...payA, remittance: `Payment ${invoiceA.reference}` },
        { amountMinor: 1000, bankReference: ref('B1'), bookingDate: '2026-11-20', remittance: `Rechnung ${invoiceB.number.replace(/-/g, '')} Teilzahlung` },
        { amountMinor: 777, bankReference: ref('U1'), bookingDate: '2026-11-20', debtorName: 'Nobody We Know', debtorAccount: unknownPayer, remittance: 'thanks' },
      ],
    });

  beforeAll(async () => {
    const [a, b, c] = await Promise.all([invoicedOrder(1), invoicedOrder(1), invoicedOrder(3)]);
    invoiceA = await invoiceNow(a.id);
    invoiceB = b;
    invoiceC = c;
  }, 90_000);

  it('given a statement paying by RF reference, by invoice number in part, and from an unknown payer, when dropped in inbound/, then each is applied or queued once', async () => {
    const exposureBefore = await exposureOf(invoiceA.customerId);
    const file = statementOne();
    const key = `inbound/${run}/statement-1.xml`;

    await drop(key, file);
    await processed(key);

    expect(await invoiceNow(invoiceA.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
    expect(await orderStatusOf(invoiceA)).toBe('PAID');
    expect(await invoiceNow(invoiceB.id)).toMatchObject({ status: 'PARTIALLY_PAID', openMinor: 2379 - 1000, paidMinor: 1000 });
    expect(await orderStatusOf(invoiceB)).toBe('INVOICED');
    expect(exposureBefore - (await exposureOf(invoiceA.customerId))).toBe(2379);
    const [applied] = await paymentsWith('applied', ref('A'));
    expect(applied?.allocations).toMatchObject([{ invoiceId: invoiceA.id, amountMinor: 2379, rule: 'rf-reference' }]);
    const [unmatched] = await paymentsWith('unmatched', ref('U1'));
    expect(unmatched).toMatchObject({ status: 'UNMATCHED', amountMinor: 777, unappliedMinor: 777 });
    expect(await keysUnder(`processed/${run}/statement-1.xml`)).toHaveLength(1);
  });

  it('given the same file dropped again, when processed, then it is a duplicate and nothing is applied twice', async () => {
    const before = await invoiceNow(invoiceB.id);
    const file = statementOne();
    const key = `inbound/${run}/statement-1-again.xml`;

    await drop(key, file);
    await processed(key);

    expect(await invoiceNow(invoiceB.id)).toMatchObject({ status: before.status, openMinor: before.openMinor });
    expect(await paymentsWith('applied', ref('B1'))).toHaveLength(1);
    expect(await paymentsWith('unmatched', ref('U1'))).toHaveLength(1);
  });

  it('given an overlapping statement repeating one entry and adding the rest of invoice B, when processed, then only the new entry is applied', async () => {
    const file = camt053({
      statementId: ref('S2'),
      account: ourAccount,
      openingMinor: 100_000 + 2379,
      entries: [
        { amountMinor: 1000, bankReference: ref('B1'), bookingDate: '2026-11-20', remittance: `Rechnung ${invoiceB.number.replace(/-/g, '')} Teilzahlung` },
        { amountMinor: 1379, bankReference: ref('B2'), bookingDate: '2026-11-21', remittance: `Rest ${invoiceB.number}` },
      ],
    });
    const key = `inbound/${run}/statement-2.xml`;

    await drop(key, file);
    await processed(key);

    expect(await invoiceNow(invoiceB.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
    const [rest] = await paymentsWith('applied', ref('B2'));
    expect(rest).toMatchObject({ unappliedMinor: 0, allocations: [{ invoiceId: invoiceB.id, amountMinor: 1379 }] });
  });

  it('given the unmatched payment, when an ar-clerk allocates it, then the invoice is part-paid and the payer is matched automatically next time', async () => {
    const [unmatched] = await paymentsWith('unmatched', ref('U1'));
    const tooMuchWriteOff = await sendAs('ar-clerk', 'POST', `/payments/${unmatched!.id}/allocations`, { allocations: [{ invoiceId: invoiceC.id, amountMinor: 777 }], writeOffs: [{ invoiceId: invoiceC.id, amountMinor: 7136 - 777, reason: 'goodwill' }] });
    const allocated = await sendAs('ar-clerk', 'POST', `/payments/${unmatched!.id}/allocations`, { allocations: [{ invoiceId: invoiceC.id, amountMinor: 777 }], note: 'customer called' });
    const again = await sendAs('ar-clerk', 'POST', `/payments/${unmatched!.id}/allocations`, { allocations: [{ invoiceId: invoiceC.id, amountMinor: 777 }] });

    expect(tooMuchWriteOff.status).toBe(403);
    expect(allocated.status).toBe(200);
    expect(await allocated.json()).toMatchObject({ status: 'APPLIED', unappliedMinor: 0, customerId: invoiceC.customerId, allocations: [{ invoiceId: invoiceC.id, rule: 'manual' }] });
    expect(again.status).toBe(409);
    expect(await invoiceNow(invoiceC.id)).toMatchObject({ status: 'PARTIALLY_PAID', openMinor: 7136 - 777 });

    const key = `inbound/${run}/statement-3.xml`;
    await drop(key, camt053({ statementId: ref('S3'), account: ourAccount, openingMinor: 0, entries: [{ amountMinor: 7136 - 777, bankReference: ref('U2'), bookingDate: '2026-11-22', debtorName: 'Nobody We Know', debtorAccount: unknownPayer }] }));
    await processed(key);

    expect(await invoiceNow(invoiceC.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
    expect((await paymentsWith('applied', ref('U2')))[0]?.allocations).toMatchObject([{ invoiceId: invoiceC.id, rule: 'amount-exact' }]);
  });

  it('given a return of the RF payment, when processed, then the invoice is open again and the payment is reversed', async () => {
    const exposureBefore = await exposureOf(invoiceA.customerId);
    const key = `inbound/${run}/statement-4.xml`;

    await drop(key, camt053({ statementId: ref('S4'), account: ourAccount, openingMinor: 10_000, entries: [{ ...payA, amountMinor: -2379, bankReference: ref('R1'), bookingDate: '2026-11-23', reversal: true, returnReason: 'AC04' }] }));
    await processed(key);

    expect(await invoiceNow(invoiceA.id)).toMatchObject({ status: 'OPEN', openMinor: 2379 });
    expect(await orderStatusOf(invoiceA)).toBe('INVOICED');
    expect(await paymentsWith('reversed', ref('A'))).toHaveLength(1);
    expect((await exposureOf(invoiceA.customerId)) - exposureBefore).toBe(2379);
  });
});

describe('cash application never creates money, and one entry never stops a file', () => {
  const run = uniqueId('money');
  const ref = (name: string) => `${run}-${name}`;
  let big: InvoiceView;
  let small: InvoiceView;
  let stale: InvoiceView;
  let later: InvoiceView;

  beforeAll(async () => {
    const customer = newTestCustomer();
    // Sequential: `small` gets the higher number, so it sorts last among the two named invoices (same due date).
    big = await invoicedOrder(3, customer);
    small = await invoicedOrder(1, customer);
    [stale, later] = await Promise.all([invoicedOrder(1), invoicedOrder(1)]);
  }, 120_000);

  it('given a remittance naming 71.36 and 1.00 still open and paying 3.00 less, then an entry whose invoice was credited meanwhile, then a good one, when the file is processed, then the first settles within the open amounts, the second waits with its reason, and the last is applied', async () => {
    // The open-items index still lists `stale` as open, as it would while a credit note's write is on its way.
    await DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb'))).send(
      new UpdateCommand({ TableName: inject('o2cTable'), Key: keys.invoice(stale.id), UpdateExpression: 'SET #status = :credited', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':credited': 'CREDITED' } }),
    );
    const key = `inbound/${run}/statement.xml`;
    await drop(
      key,
      camt053({
        statementId: ref('S'),
        account: ourAccount,
        openingMinor: 0,
        entries: [
          // Two part payments leave 1.00 open on `small` (too much of 13.79 to be written off as charges).
          { amountMinor: 1000, bankReference: ref('P0'), bookingDate: '2026-11-20', remittance: `Teilzahlung ${small.number}` },
          { amountMinor: 1279, bankReference: ref('P1'), bookingDate: '2026-11-20', remittance: `Teilzahlung ${small.number}` },
          // 7 136 + 100 open, 300 short: bank charges within the tolerance (5 % of 7 236), but three times what `small` has open.
          { amountMinor: 7136 + 100 - 300, bankReference: ref('P2'), bookingDate: '2026-11-20', remittance: `${big.number} ${small.number}` },
          { amountMinor: 2379, bankReference: ref('P3'), bookingDate: '2026-11-20', remittance: stale.number },
          { amountMinor: 2379, bankReference: ref('P4'), bookingDate: '2026-11-20', remittance: later.number },
        ],
      }),
    );
    await processed(key);

    expect(await keysUnder(`processed/${run}/statement.xml`)).toHaveLength(1);
    const [both] = await paymentsWith('applied', ref('P2'));
    expect(both!.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0)).toBe(6936);
    expect(both!.adjustments).toMatchObject([{ invoiceId: big.id, kind: 'write-off', amountMinor: 300 }]);
    expect(await invoiceNow(big.id)).toMatchObject({ status: 'PAID', openMinor: 0, paidMinor: 7136 - 300 });
    expect(await invoiceNow(small.id)).toMatchObject({ status: 'PAID', openMinor: 0, paidMinor: 2379 });
    const [refused] = await paymentsWith('unmatched', ref('P3'));
    expect(refused).toMatchObject({ status: 'UNMATCHED', unappliedMinor: 2379, allocations: [] });
    expect(refused!.reason).toContain('not open to this payment');
    expect(await invoiceNow(stale.id)).toMatchObject({ status: 'CREDITED', openMinor: 2379 });
    expect(await invoiceNow(later.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
    await DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb'))).send(
      new UpdateCommand({ TableName: inject('o2cTable'), Key: keys.invoice(stale.id), UpdateExpression: 'SET #status = :open', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':open': 'OPEN' } }),
    );
  });
});

describe('bad bank files', () => {
  it('given a truncated camt file, when uploaded, then 400 names the place and nothing is stored', async () => {
    const response = await fetch(`${baseUrl()}/bank-files?name=broken.xml`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await mintDevToken('ar-clerk')}`, 'content-type': 'application/xml' },
      body: camt053({ statementId: uniqueId('T'), account: ourAccount, openingMinor: 0, entries: [{ amountMinor: 100, bankReference: uniqueId('X'), bookingDate: '2026-11-20' }] }).slice(0, 600),
    });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toMatch(/not a readable bank file/);
  });

  it('given a statement that does not add up, when dropped, then it is quarantined with a machine-readable report and nothing applied', async () => {
    const run = uniqueId('bad');
    const good = camt053({ statementId: run, account: ourAccount, openingMinor: 0, entries: [{ amountMinor: 500, bankReference: `${run}-1`, bookingDate: '2026-11-20' }] });
    const key = `inbound/${run}/unbalanced.xml`;

    await drop(key, good.replace('<Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>', '<Amt Ccy="EUR">6.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>'));
    await processed(key);

    const report = await eventually(async () => {
      const response = await fetch(`${awsConfig('s3').endpoint}/${bucket}/quarantine/${run}/unbalanced.xml.report.json`);
      return response.ok ? ((await response.json()) as { error: { message: string; location: string }; applied: number }) : undefined;
    });
    expect(report).toMatchObject({ applied: 0, error: { location: `statement ${run}` } });
    expect(report.error.message).toContain('≠ closing 600');
    expect(await paymentsWith('unmatched', `${run}-1`)).toHaveLength(0);
  });

  it('given a valid file, when uploaded through the API, then 202 and it is applied like a dropped one; a second upload is a duplicate', async () => {
    const run = uniqueId('api');
    const body = camt053({ statementId: run, account: ourAccount, openingMinor: 0, entries: [{ amountMinor: 4242, bankReference: `${run}-1`, bookingDate: '2026-11-20', remittance: 'no idea' }] });
    const token = await mintDevToken('ar-clerk');
    const upload = () => fetch(`${baseUrl()}/bank-files?name=statement.xml`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body });

    const first = await upload();
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ status: 'received', format: 'camt053', statements: [{ id: run, entries: 1, balanced: true }] });
    const payment = await eventually(async () => (await paymentsWith('unmatched', `${run}-1`))[0], 30_000);
    expect(payment.amountMinor).toBe(4242);
    const second = await eventually(async () => {
      const response = await upload();
      return response.status === 200 ? response : undefined;
    });
    expect(await second.json()).toMatchObject({ status: 'duplicate' });
  });
});

describe('CSV bank files', () => {
  it('given an ING CSV export whose layout cannot be inferred, when uploaded before and after its account has a column profile, then 400 saying what is missing, then 202 and its entries recorded', async () => {
    const fixture = (name: string) => readFileSync(new URL(`../fixtures/bank/csv/${name}`, import.meta.url), 'utf8');
    // A run-specific account, so the file's entries are new payments in this run.
    const account = `NL${String(Date.now()).slice(-10)}INGB00`;
    // "Datum" renamed: no column names the booking date, so no profile can be inferred and the saved one is needed.
    const csv = fixture('ofxdutch-ing_ok.csv').replaceAll('NL99INGB9999999999', account).replace('"Datum"', '"Dag"');
    const profile = { ...(JSON.parse(fixture('ofxdutch-ing_ok.profile.json')) as { columns: object }), account };
    profile.columns = { ...profile.columns, bookingDate: 'Dag' };
    const token = await mintDevToken('admin');
    const upload = () => fetch(`${baseUrl()}/bank-files?name=ing.csv&account=${account}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });

    const withoutProfile = await upload();
    const saved = await sendAs('admin', 'PUT', `/bank-accounts/${account}/csv-profile`, profile);
    const clerkSaving = await sendAs('ar-clerk', 'PUT', `/bank-accounts/${account}/csv-profile`, profile);
    const accepted = await upload();

    expect(withoutProfile.status).toBe(400);
    expect(((await withoutProfile.json()) as { error: { message: string } }).error.message).toContain(`PUT /bank-accounts/${account}/csv-profile`);
    expect(saved.status).toBe(200);
    expect(clerkSaving.status).toBe(403);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ format: 'csv', statements: [{ account, entries: 6 }] });
    // The 0,00 row is ignored, the debits too; the three credits from unknown payers wait for a person.
    const ignored = await eventually(async () => {
      const response = await getAs('viewer', '/payments?status=ignored&limit=100');
      const { items } = (await response.json()) as { items: { account: string }[] };
      const ours = items.filter((payment) => payment.account === account);
      return ours.length > 0 ? ours : undefined;
    }, 30_000);
    expect(ignored.length).toBeGreaterThan(0);
  });
});
