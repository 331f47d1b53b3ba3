/**
 * Worklists (issue 13): every manual step in one place, counted as work enters and leaves, and each item gone from
 * its list in the same request that resolves it.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { dynamoInvoiceStore } from '#adapters/invoice-store';
import { recordEmailEvent } from '#domain/use-cases/billing';
import { buckets } from '#shared/topology';
import { genericOrder } from '../support/fixtures.ts';
import { camt053, germanIban } from '../support/camt053.ts';
import { mintDevToken } from '../../local/dev-tokens.ts';
import { awsConfig, baseUrl, createProduct, directDeps, eventually, getAs, invoicedOrder, newTestCustomer, orderByExternalId, orderInStatus, postOrder, sendAs, uniqueId } from './support.ts';

const s3 = new S3Client({ ...awsConfig('s3'), forcePathStyle: true });
const invoiceStore = () => dynamoInvoiceStore(DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } }), inject('o2cTable'));

interface SentEmail {
  subject: string;
  destination: { to: string[] };
  attachments: { filename: string }[];
}
/** The invoice emails in the local SES store that carry `number`. */
const emailsOf = async (number: string) => ((await (await fetch(`${baseUrl()}/_local/emails`)).json()) as { emails: SentEmail[] }).emails.filter((email) => email.subject.includes(number));

interface WorkItem {
  kind: string;
  entityId: string;
  since: string;
  amountMinor?: number;
  currency?: string;
  summary: string;
  resolve: { method: string; path: string };
  details: string;
}
interface Summary {
  kind: string;
  count: number;
  oldestAt: string | null;
  amounts: { currency: string; amountMinor: number }[];
}

const summaries = async () => ((await (await getAs('viewer', '/worklists')).json()) as { items: Summary[] }).items;
const countOf = async (kind: string) => (await summaries()).find((summary) => summary.kind === kind)?.count ?? -1;

async function itemsOf(kind: string): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  let cursor: string | null = null;
  do {
    const response = await getAs('viewer', `/worklists/${kind}?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: WorkItem[]; cursor: string | null };
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}
const itemOf = async (kind: string, entityId: string) => (await itemsOf(kind)).find((item) => item.entityId === entityId);

describe('GET /worklists', () => {
  it('given any ledger, then every kind is listed with a count, the oldest item and amounts per currency that agree with its items', async () => {
    const all = await summaries();

    expect(all.map((summary) => summary.kind)).toEqual(['credit-review', 'on-hold', 'backordered', 'unmatched-payments', 'deductions', 'disputes', 'broken-promises', 'email-failures', 'quarantined-files', 'dead-letters']);
    // Other test files change the worklists meanwhile: a summary and its items must agree when read back to back.
    // (Dead letters are one item per queue with its count; dead-letters.test.ts checks them.)
    for (const { kind } of all.filter((summary) => summary.kind !== 'dead-letters')) {
      const agreed = await eventually(async () => {
        const summary = (await summaries()).find((candidate) => candidate.kind === kind)!;
        const items = await itemsOf(kind);
        const euros = items.filter((item) => item.currency === 'EUR').reduce((sum, item) => sum + (item.amountMinor ?? 0), 0);
        const agrees = summary.count === items.length && summary.oldestAt === (items[0]?.since ?? null) && (summary.amounts.find((amount) => amount.currency === 'EUR')?.amountMinor ?? 0) === euros;
        return agrees ? true : undefined;
      });
      expect(agreed).toBe(true);
    }
  });

  it('given an unknown kind, then 400 naming the kinds', async () => {
    const response = await getAs('viewer', '/worklists/coffee');

    expect(response.status).toBe(400);
  });
});

describe('an item leaves its worklist in the request that resolves it', () => {
  it('given an order held for credit review, when a credit manager approves it, then it leaves credit-review at once', async () => {
    const sku = uniqueId('WL');
    await createProduct(sku, 5, 250_000);
    // A new customer's large first order is held for review by the default credit policy.
    const order = genericOrder({ customer: newTestCustomer(), lines: [{ sku, quantity: 1, unitPriceMinor: 250_000, taxRatePercent: 19 }], shippingMinor: 0 });
    await postOrder(JSON.stringify(order));
    const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
    await orderInStatus(String(stored.id), ['CREDIT_REVIEW']);
    const item = await eventually(() => itemOf('credit-review', String(stored.id)));
    expect(item).toMatchObject({ amountMinor: 297_500, currency: 'EUR', resolve: { method: 'POST', path: `/orders/${String(stored.id)}/credit-decision` } });

    const decided = await sendAs('credit-manager', 'POST', item.resolve.path, { decision: 'approve', reason: 'references checked' });

    expect(decided.status).toBe(200);
    expect(await itemOf('credit-review', String(stored.id))).toBeUndefined();
  });

  it('given a disputed invoice, when the dispute is rejected, then it leaves disputes at once', async () => {
    const invoice = await invoicedOrder(1);
    const opened = (await (await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'pricing', note: 'thought it was cheaper' })).json()) as { disputeId: string };
    const before = await countOf('disputes');
    const item = await itemOf('disputes', invoice.id);
    expect(item).toMatchObject({ amountMinor: 2_379, resolve: { path: `/disputes/${opened.disputeId}/resolution` } });

    const resolved = await sendAs('ar-clerk', 'POST', item!.resolve.path, { outcome: 'reject', reason: 'price list attached' });

    expect(resolved.status).toBe(200);
    expect(await itemOf('disputes', invoice.id)).toBeUndefined();
    expect(await countOf('disputes')).toBeLessThan(before);
  });

  it('given a payment nobody can match, when a clerk allocates it, then it leaves unmatched-payments at once', async () => {
    const invoice = await invoicedOrder(1);
    const run = uniqueId('wl');
    const key = `inbound/${run}/statement.xml`;
    const entry = { amountMinor: 2_379, bankReference: `${run}-1`, bookingDate: '2026-11-20', debtorName: 'Nobody We Know', debtorAccount: germanIban(Math.floor(Math.random() * 1e9)), remittance: 'thanks' };
    await s3.send(new PutObjectCommand({ Bucket: buckets.bankFiles.localName, Key: key, Body: camt053({ statementId: run, account: 'DE02120300000000202051', openingMinor: 0, entries: [entry] }) }));
    const payment = await eventually(async () => {
      const { items } = (await (await getAs('viewer', '/search?q=' + encodeURIComponent(`${run}-1`))).json()) as { items: { entity: string; id: string }[] };
      return items.find((hit) => hit.entity === 'payment');
    }, 30_000);
    const item = await eventually(() => itemOf('unmatched-payments', payment.id));
    expect(item).toMatchObject({ amountMinor: 2_379, since: '2026-11-20', resolve: { method: 'POST', path: `/payments/${payment.id}/allocations` } });

    const allocated = await sendAs('ar-clerk', 'POST', item.resolve.path, { allocations: [{ invoiceId: invoice.id, amountMinor: 2_379 }] });

    expect(allocated.status).toBe(200);
    expect(await itemOf('unmatched-payments', item.entityId)).toBeUndefined();
  });

  it('given an unreadable bank file, when it is quarantined, then it is on quarantined-files with its reason', async () => {
    const run = uniqueId('wl');
    const key = `inbound/${run}/broken.xml`;

    await s3.send(new PutObjectCommand({ Bucket: buckets.bankFiles.localName, Key: key, Body: '<Document><BkToCstmrStmt>' }));

    const item = await eventually(async () => (await itemsOf('quarantined-files')).find((candidate) => candidate.summary.includes(run)), 30_000);
    expect(item.summary).toContain(key);
  });
});

describe('GET /bank-files/{sha256}: a quarantined file\'s report, where its worklist entry points', () => {
  it('given a statement that does not add up, when uploaded it is refused with nothing stored, and when dropped in inbound/ as the bank would it is quarantined: then its entry leads to its record and report (message, place, where the file is kept), which a viewer may read', async () => {
    const run = uniqueId('bf');
    const good = camt053({ statementId: run, account: 'DE02120300000000202051', openingMinor: 0, entries: [{ amountMinor: 500, bankReference: `${run}-1`, bookingDate: '2026-11-20' }] });
    const text = good.replace('<Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>', '<Amt Ccy="EUR">6.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>');
    const sha256 = createHash('sha256').update(text).digest('hex');
    const upload = await fetch(`${baseUrl()}/bank-files?name=unbalanced.xml`, { method: 'POST', headers: { authorization: `Bearer ${await mintDevToken('ar-clerk')}`, 'content-type': 'application/xml' }, body: text });
    expect(upload.status).toBe(400);
    const refused = ((await upload.json()) as { error: { message: string; details: { location: string } } }).error;
    expect((await getAs('viewer', `/bank-files/${sha256}`)).status).toBe(404);

    const key = `inbound/${run}/unbalanced.xml`;
    await s3.send(new PutObjectCommand({ Bucket: buckets.bankFiles.localName, Key: key, Body: text }));
    const item = await eventually(() => itemOf('quarantined-files', sha256), 30_000);
    expect(item.details).toBe(`/bank-files/${sha256}`);

    const response = await getAs('viewer', item.details);

    expect(response.status).toBe(200);
    const file = (await response.json()) as { error: { message: string; location: string }; report: { error: { message: string; location: string } } };
    const error = { message: expect.stringContaining('≠ closing 600'), location: `statement ${run}` };
    expect(file).toMatchObject({ sha256, fileKey: key, status: 'QUARANTINED', quarantinedAs: `quarantine/${run}/unbalanced.xml`, error, reportKey: `quarantine/${run}/unbalanced.xml.report.json` });
    expect(file.report).toMatchObject({ file: key, quarantinedAs: `quarantine/${run}/unbalanced.xml`, sha256, applied: 0, error: file.error });
    // The upload refused it for the same reason, at the same place.
    expect(refused).toEqual({ code: 'INVALID_REQUEST', message: `not a readable bank file: ${file.error.message}`, details: { location: file.error.location } });
  });

  it('given a SHA-256 nobody sent, then 404; given something that is no SHA-256, then 400; without a token, 401', async () => {
    expect((await getAs('viewer', `/bank-files/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await getAs('viewer', '/bank-files/statement.xml')).status).toBe(400);
    expect((await getAs(undefined, `/bank-files/${'0'.repeat(64)}`)).status).toBe(401);
  });
});

describe('POST /invoices/{id}/email: a failed invoice email sent again', () => {
  it('given an invoice email that bounced, when a clerk corrects the address and takes the entry\'s resolve route, then one email with the PDF and UBL to the new address, the email SENT, the entry gone and the retry audited; a second retry sends nothing; a viewer may not', async () => {
    const invoice = await invoicedOrder(1);
    const invoices = invoiceStore();
    const { messageId } = (await invoices.get(invoice.id))!.email;
    await recordEmailEvent({ messageId: messageId!, kind: 'bounce', bounceType: 'Permanent', detail: 'smtp; 550 5.1.1 user unknown', at: new Date().toISOString() }, { ...directDeps(), invoices });
    const item = await itemOf('email-failures', invoice.id);
    expect(item).toMatchObject({ summary: `invoice ${invoice.number}: email bounced`, resolve: { method: 'POST', path: `/invoices/${invoice.id}/email` }, details: `/invoices/${invoice.id}` });
    const address = `${uniqueId('fixed')}@buyer.example`;
    expect((await sendAs('ar-clerk', 'PUT', `/customers/${invoice.customerId}`, { email: address })).status).toBe(200);
    expect((await sendAs('viewer', 'POST', item!.resolve.path, {})).status).toBe(403);

    const retried = await sendAs('ar-clerk', 'POST', item!.resolve.path, {});

    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ invoiceId: invoice.id, number: invoice.number, outcome: 'sent', to: [address], email: { status: 'SENT', attempts: 2 } });
    const resent = (await emailsOf(invoice.number)).filter((email) => email.destination.to.includes(address));
    expect(resent).toHaveLength(1);
    expect(resent[0]!.attachments.map((attachment) => attachment.filename).sort()).toEqual([`${invoice.number}.pdf`, `${invoice.number}.xml`]);
    const detail = (await (await getAs('viewer', `/invoices/${invoice.id}`)).json()) as { email: { status: string; lastError?: string }; history: { type: string; actor: string; before?: string; after?: string }[] };
    expect(detail.email).toMatchObject({ status: 'SENT' });
    expect(detail.email.lastError).toBeUndefined();
    expect(detail.history.find((event) => event.type === 'InvoiceEmailResent')).toMatchObject({ actor: 'dev-ar-clerk', before: 'BOUNCED', after: 'SENT' });
    expect(await itemOf('email-failures', invoice.id)).toBeUndefined();

    const again = await sendAs('ar-clerk', 'POST', item!.resolve.path, {});

    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: 'already-sent', email: { status: 'SENT' } });
    expect((await emailsOf(invoice.number)).filter((email) => email.destination.to.includes(address))).toHaveLength(1);
  });

  it('given an email the workflow gave up on (FAILED), when two people send it again at once, then one email goes out and the other is told it is being sent or was sent', async () => {
    const invoice = await invoicedOrder(1);
    const invoices = invoiceStore();
    const before = (await invoices.get(invoice.id))!;
    // As the billing step records its last failed attempt before the workflow gives up.
    const failed = { ...before, email: { ...before.email, status: 'FAILED' as const, failedAt: new Date().toISOString(), lastError: 'Throttling: Maximum sending rate exceeded' }, version: before.version + 1 };
    expect(await invoices.update(before, failed)).toBe(true);
    await itemOf('email-failures', invoice.id).then((item) => expect(item).toMatchObject({ summary: `invoice ${invoice.number}: email failed` }));
    const sentBefore = (await emailsOf(invoice.number)).length;

    const answers = await Promise.all([sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/email`, {}), sendAs('admin', 'POST', `/invoices/${invoice.id}/email`, {})]);

    const outcomes = await Promise.all(answers.map(async (answer) => [answer.status, ((await answer.json()) as { outcome?: string }).outcome ?? 'refused'] as const));
    expect(outcomes.filter(([, outcome]) => outcome === 'sent')).toHaveLength(1);
    expect(outcomes.filter(([, outcome]) => outcome !== 'sent').map(([status]) => status)).toEqual([expect.toSatisfy((status: number) => status === 409 || status === 200)]);
    expect((await emailsOf(invoice.number)).length).toBe(sentBefore + 1);
    expect(await itemOf('email-failures', invoice.id)).toBeUndefined();
  });

  it('given an invoice that does not exist, then 404', async () => {
    expect((await sendAs('ar-clerk', 'POST', '/invoices/01NOSUCHINVOICE00000000000/email', {})).status).toBe(404);
  });
});
