/**
 * The situations the worklists are made of, each created for one test through the public API (or, where the cause
 * is an outside event — a bank file dropped in S3, SES reporting a bounce, the daily dunning run finding a promise
 * broken — the way that event arrives), unique per call: the runtime is shared with every other test file.
 */
import { createHash } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { dynamoInvoiceStore } from '#adapters/invoice-store';
import { recordEmailEvent } from '#domain/use-cases/billing';
import { buckets } from '#shared/topology';
import { camt053, germanIban, type CamtEntry } from '../../support/camt053.ts';
import { genericOrder } from '../../support/fixtures.ts';
import { awsConfig, baseUrl, createProduct, directDeps, eventually, getAs, invoicedOrder, newTestCustomer, orderByExternalId, orderInStatus, postOrder, sendAs, sqsConfig, uniqueId, type InvoiceView, type TestCustomer } from '../../integration/support.ts';

export const OUR_ACCOUNT = 'DE02120300000000202051';
const s3 = () => new S3Client({ ...awsConfig('s3'), forcePathStyle: true });
const bucket = buckets.bankFiles.localName;

export const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;
export const invoiceNow = (id: string) => json<InvoiceView & { dunning?: { promise?: { date: string; amountMinor: number } }; creditNoteIds: string[]; dueDate: string }>(getAs('viewer', `/invoices/${id}`));
export const paymentNow = (id: string) =>
  json<{ id: string; status: string; unappliedMinor: number; customerId?: string; allocations: { invoiceId: string; amountMinor: number; rule: string }[]; adjustments: { invoiceId: string; kind: string; amountMinor: number }[]; candidates: { invoiceId: string }[] }>(
    getAs('viewer', `/payments/${id}`),
  );
export const businessDate = async () => (await json<{ now: string }>(fetch(`${baseUrl()}/_local/clock`))).now.slice(0, 10);

/** Whether a worklist holds the entity now, every page read. */
export async function onWorklist(kind: string, entityId: string): Promise<boolean> {
  let cursor: string | null = null;
  do {
    const page: { items: { entityId: string }[]; cursor: string | null } = await json(getAs('viewer', `/worklists/${kind}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    if (page.items.some((item) => item.entityId === entityId)) return true;
    cursor = page.cursor;
  } while (cursor);
  return false;
}

const processed = (key: string) => eventually(async () => (((await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }))).Contents ?? []).length === 0 ? true : undefined), 30_000);

/** Drops a one-statement camt.053 file in `inbound/` as the bank's transfer would, and waits until it was read. */
export async function dropStatement(entries: CamtEntry[]): Promise<void> {
  const run = uniqueId('cw');
  const key = `inbound/${run}/statement.xml`;
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: camt053({ statementId: run, account: OUR_ACCOUNT, openingMinor: 0, entries }) }));
  await processed(key);
}

/** The payment a bank reference became, once it was read. */
export const paymentByReference = (bankReference: string) =>
  eventually(async () => (await json<{ items: { entity: string; id: string }[] }>(getAs('viewer', `/search?q=${encodeURIComponent(bankReference)}`))).items.find((hit) => hit.entity === 'payment'), 30_000);

/** A customer with a name nobody else has, so a payment in that name identifies them. */
export const namedCustomer = (): TestCustomer => ({ ...newTestCustomer(), name: `Console ${uniqueId('Buyer').replace(/-/g, ' ')} GmbH` });

/** Two 23.79 EUR invoices of one customer and a 23.79 transfer in the customer's name: two candidates, no choice. */
export async function paymentWithTwinCandidates() {
  const customer = namedCustomer();
  const first = await invoicedOrder(1, customer);
  const second = await invoicedOrder(1, customer);
  const bankReference = uniqueId('TWIN');
  await dropStatement([{ amountMinor: 2_379, bankReference, bookingDate: '2026-11-20', debtorName: customer.name, debtorAccount: germanIban(Math.floor(Math.random() * 1e9)), remittance: 'thanks' }]);
  const payment = await paymentByReference(bankReference);
  return { customer, invoices: [first, second], paymentId: payment.id, bankReference };
}

/** A transfer from a payer nobody knows, with a remittance that names nothing: no candidate at all. */
export async function paymentFromNobody(amountMinor: number, payerAccount = germanIban(Math.floor(Math.random() * 1e9))) {
  const bankReference = uniqueId('NOBODY');
  await dropStatement([{ amountMinor, bankReference, bookingDate: '2026-11-20', debtorName: `Nobody ${uniqueId('N')}`, debtorAccount: payerAccount, remittance: 'see you' }]);
  return { paymentId: (await paymentByReference(bankReference)).id, payerAccount };
}

/** An invoice the customer disputes: on the disputes list under the invoice's id. */
export async function disputedInvoice() {
  const invoice = await invoicedOrder(1);
  const opened = await sendAs('ar-clerk', 'POST', `/invoices/${invoice.id}/disputes`, { reasonCode: 'pricing', note: 'thought it was cheaper' });
  if (opened.status !== 201) throw new Error(`dispute: ${opened.status} ${await opened.text()}`);
  return { invoice, disputeId: ((await opened.json()) as { disputeId: string }).disputeId };
}

/** 3 × 19.99 at 19 % (71.36 EUR) paid less "damaged goods 10.00": a deduction waiting for a person. */
export async function openDeduction() {
  const invoice = await invoicedOrder(3);
  const bankReference = uniqueId('DED');
  await dropStatement([{ amountMinor: 7_136 - 1_000, bankReference, bookingDate: '2026-11-20', debtorName: 'Credit Test AG', debtorAccount: germanIban(Math.floor(Math.random() * 1e9)), remittance: `${invoice.number} less damaged goods 10.00` }]);
  const deduction = await eventually(async () => {
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { items: { id: string; invoiceId: string; status: string }[]; cursor: string | null } = await json(getAs('viewer', `/deductions?status=open&limit=100${cursor ? `&cursor=${cursor}` : ''}`));
      const found = page.items.find((candidate) => candidate.invoiceId === invoice.id);
      if (found) return found;
      cursor = page.cursor;
    }
    return undefined;
  }, 30_000);
  return { invoice, deductionId: deduction.id };
}

const invoiceStore = () => dynamoInvoiceStore(DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } }), inject('o2cTable'));

/** An invoice whose promise to pay was not kept, as the daily dunning run records it (its store write, markers included). */
export async function brokenPromise() {
  const invoice = await invoicedOrder(1);
  const store = invoiceStore();
  const before = (await store.get(invoice.id))!;
  const today = await businessDate();
  const after = { ...before, dunning: { ...(before.dunning ?? { level: 0 }), brokenPromise: { date: today, amountMinor: before.openMinor, detectedOn: today } }, version: before.version + 1 };
  if (!(await store.update(before, after))) throw new Error('the invoice changed meanwhile');
  return invoice;
}

/** An emailed invoice whose message SES reports as permanently bounced (as its EventBridge event would). */
export async function bouncedInvoice() {
  const invoice = await invoicedOrder(1);
  const invoices = invoiceStore();
  const messageId = (await invoices.get(invoice.id))!.email.messageId!;
  await recordEmailEvent({ messageId, kind: 'bounce', bounceType: 'Permanent', detail: 'smtp; 550 5.1.1 user unknown', at: new Date().toISOString() }, { ...directDeps(), invoices });
  return invoice;
}

const line = (sku: string, quantity: number) => ({ sku, quantity, unitPriceMinor: 1999, taxRatePercent: 19 });

async function placeOrder(sku: string, quantity: number, statuses: string[]) {
  const order = genericOrder({ customer: newTestCustomer(), lines: [line(sku, quantity)], shippingMinor: 0 });
  await postOrder(JSON.stringify(order));
  const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
  return orderInStatus(String(stored.id), statuses);
}

/** An order held for a SKU no longer sold; `sellAgain` puts it back on sale behind the API's back (an import). */
export async function orderOnHoldForRetiredSku() {
  const sku = uniqueId('RETIRED');
  await createProduct(sku, 4);
  const retired = await sendAs('admin', 'PUT', `/products/${sku}`, { active: false });
  if (retired.status !== 200) throw new Error(`retire ${sku}: ${retired.status}`);
  const order = await placeOrder(sku, 1, ['ON_HOLD']);
  const sellAgain = async () => {
    const deps = directDeps();
    const product = (await deps.catalogue.get(sku))!;
    await deps.catalogue.save(product, { ...product, active: true, version: product.version + 1 }, { id: deps.ids.next(), entity: 'product', entityId: sku, type: 'ProductChanged', actor: 'test', at: new Date().toISOString() });
  };
  return { orderId: String(order.id), sku, sellAgain };
}

/** An order of 3 of a SKU with 1 in stock: backordered. */
export async function backorderedOrder() {
  const sku = uniqueId('SHORT');
  await createProduct(sku, 1, 1999);
  const order = await placeOrder(sku, 3, ['BACKORDERED']);
  return { orderId: String(order.id), sku };
}

/** ING's CSV export with "Datum" renamed, so no profile can be inferred: quarantined for want of a column profile. */
export async function quarantinedCsv(readFixture: (name: string) => string) {
  const account = `NL${String(Date.now()).slice(-10)}INGB00`;
  const text = readFixture('ofxdutch-ing_ok.csv').replaceAll('NL99INGB9999999999', account).replace('"Datum"', '"Dag"');
  const profile = { ...(JSON.parse(readFixture('ofxdutch-ing_ok.profile.json')) as { columns: object }), account };
  profile.columns = { ...profile.columns, bookingDate: 'Dag' };
  const key = `inbound/csv/${account}/${uniqueId('q')}/ing.csv`;
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }));
  await processed(key);
  return { account, text, profile, key, sha256: createHash('sha256').update(text).digest('hex') };
}

/** A good order message in the orders dead-letter queue (what intake gave up on), and its external id. */
export async function orderDeadLetter() {
  const order = genericOrder();
  const message = { deliveryId: String(order.externalId), receivedAt: new Date().toISOString(), order: { ...order, source: 'generic', lines: [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 1999, taxRatePpm: 190000 }] } };
  await new SQSClient(sqsConfig()).send(new SendMessageCommand({ QueueUrl: inject('o2cQueues')['orders-dlq']!.url, MessageBody: JSON.stringify(message) }));
  return { externalId: String(order.externalId) };
}
