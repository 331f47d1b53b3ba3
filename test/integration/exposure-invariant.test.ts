import { PutObjectCommand, S3Client, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { buckets } from '#shared/topology';
import { Random } from '../support/cash-ledger.ts';
import { camt053, germanIban, type CamtEntry } from '../support/camt053.ts';
import { genericOrder } from '../support/fixtures.ts';
import { awsConfig, createProduct, eventually, getAs, newTestCustomer, orderByExternalId, orderInStatus, postOrder, postSigned, sendAs, uniqueId } from './support.ts';

const s3 = new S3Client({ ...awsConfig('s3'), forcePathStyle: true });
const ourAccount = 'DE02120300000000202051';

interface InvoiceRow {
  id: string;
  kind: 'invoice' | 'credit-note';
  orderId: string;
  status: string;
  totalMinor: number;
  openMinor: number;
  reference: string;
  lines?: { lineNumber: number; quantity: number }[];
}
interface OrderRow {
  id: string;
  sku: string[];
  quantities: number[];
  shipped: number[];
}

const json = async <T>(path: string) => (await (await getAs('viewer', path)).json()) as T;
const invoicesOfOrder = async (orderId: string) => (await json<{ items: InvoiceRow[] }>(`/invoices?orderId=${orderId}&limit=100`)).items.filter((document) => document.kind === 'invoice');

/**
 * Exposure = accepted orders not yet invoiced + open receivables, exactly. Exposure rises by an order's total and
 * falls by cash and credit notes; any rounding gap between an order and its invoices, or a credit note that cannot
 * credit what it should, would leave a residue this check finds.
 */
async function expectExposureInvariant(customerId: string, orders: OrderRow[], step: string) {
  let uninvoiced = 0;
  let open = 0;
  for (const order of orders) {
    const view = await json<{ status: string; totalMinor: number }>(`/orders/${order.id}`);
    const invoices = await invoicesOfOrder(order.id);
    // A fully invoiced order owes nothing beyond its invoices: any gap between them and its total is a residue.
    const accepted = !['REJECTED', 'CANCELLED', 'CREDIT_REVIEW', 'INVOICED', 'PAID'].includes(view.status);
    if (accepted) uninvoiced += view.totalMinor - invoices.reduce((sum, invoice) => sum + invoice.totalMinor, 0);
    open += invoices.reduce((sum, invoice) => sum + invoice.openMinor, 0);
  }
  const { exposureMinor } = await json<{ exposureMinor: number }>(`/customers/${customerId}`);
  expect(exposureMinor, `after ${step}: uninvoiced ${uninvoiced} + open ${open}`).toBe(uninvoiced + open);
}

async function dropBankFile(entries: CamtEntry[], run: string): Promise<void> {
  const key = `inbound/${run}/${uniqueId('statement')}.xml`;
  await s3.send(new PutObjectCommand({ Bucket: buckets.bankFiles.localName, Key: key, Body: camt053({ statementId: uniqueId('S'), account: ourAccount, openingMinor: 1_000_000, entries }) }));
  await eventually(async () => (((await s3.send(new ListObjectsV2Command({ Bucket: buckets.bankFiles.localName, Prefix: key }))).Contents ?? []).length === 0 ? true : undefined), 30_000);
}

describe('exposure never drifts', () => {
  it('given a seeded random sequence of orders, partial shipments, credit notes, payments and returns, then after every step exposure = uninvoiced accepted orders + open receivables', async () => {
    const random = new Random(4242);
    const run = uniqueId('exposure');
    const customer = newTestCustomer();
    const payer = germanIban(random.int(1, 999_999_999));
    const orders: OrderRow[] = [];
    const payments: CamtEntry[] = [];
    let customerId = '';

    const placeOrder = async () => {
      const lines = Array.from({ length: random.int(1, 3) }, (_, index) => ({ sku: `${run}-${orders.length}-${index}`, quantity: random.int(1, 4), unitPriceMinor: random.pick([1999, 5555, 333, random.int(1, 9_999)]), taxRatePercent: random.pick([19, 7, 0]) }));
      for (const line of lines) await createProduct(line.sku, line.quantity, line.unitPriceMinor);
      const order = genericOrder({ customer, lines, shippingMinor: random.pick([0, 495, 333]) });
      await postOrder(JSON.stringify(order));
      const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
      customerId = String(stored.customerId);
      const decided = await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT', 'CREDIT_REVIEW', 'REJECTED']);
      if (decided.status === 'CREDIT_REVIEW') {
        await sendAs('credit-manager', 'POST', `/orders/${String(stored.id)}/credit-decision`, { decision: 'approve', reason: 'test' });
        await orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
      }
      orders.push({ id: String(stored.id), sku: lines.map((line) => line.sku), quantities: lines.map((line) => line.quantity), shipped: lines.map(() => 0) });
      return 'order';
    };

    const ship = async () => {
      const order = orders.find((candidate) => candidate.shipped.some((units, index) => units < candidate.quantities[index]!));
      if (!order) return placeOrder();
      const lines = order.sku.map((sku, index) => ({ sku, quantity: order.quantities[index]! - order.shipped[index]! })).filter((line) => line.quantity > 0).map((line) => ({ ...line, quantity: random.int(1, line.quantity) }));
      const before = (await invoicesOfOrder(order.id)).length;
      const response = await postSigned('/shipments', { orderId: order.id, carrier: 'GLS', trackingNumber: uniqueId('T'), shippedAt: new Date().toISOString(), lines });
      expect(response.status).toBeLessThan(300);
      for (const line of lines) order.shipped[order.sku.indexOf(line.sku)]! += line.quantity;
      await eventually(async () => ((await invoicesOfOrder(order.id)).length > before ? true : undefined), 30_000);
      return 'ship';
    };

    const openInvoices = async () => (await Promise.all(orders.map((order) => invoicesOfOrder(order.id)))).flat().filter((invoice) => invoice.openMinor > 0);

    const creditNote = async () => {
      const invoice = random.pick(await openInvoices().then((open) => (open.length > 0 ? open : [undefined])));
      if (!invoice) return ship();
      const body = random.chance(0.5) ? { lines: [{ lineNumber: 1, quantity: 1 }], reason: 'returned' } : { amountMinor: random.int(1, invoice.openMinor), reason: 'goodwill' };
      const response = await sendAs('credit-manager', 'POST', `/invoices/${invoice.id}/credit-notes`, body);
      expect([201, 400, 409], await response.clone().text()).toContain(response.status);
      return `credit note ${JSON.stringify(body)} → ${response.status}`;
    };

    const pay = async () => {
      const invoice = random.pick(await openInvoices().then((open) => (open.length > 0 ? open : [undefined])));
      if (!invoice) return ship();
      const amountMinor = random.chance(0.5) ? invoice.openMinor : random.int(1, invoice.openMinor);
      const entry: CamtEntry = { amountMinor, bankReference: uniqueId('B'), bookingDate: new Date().toISOString().slice(0, 10), endToEndId: uniqueId('E2E'), remittance: invoice.reference, debtorName: customer.name, debtorAccount: payer };
      await dropBankFile([entry], run);
      payments.push(entry);
      return `pay ${amountMinor} of ${invoice.openMinor}`;
    };

    const returnPayment = async () => {
      const payment = payments.shift();
      if (!payment) return pay();
      await dropBankFile([{ ...payment, amountMinor: -payment.amountMinor, bankReference: uniqueId('R'), reversal: true, returnReason: 'AC04' }], run);
      return `return ${payment.amountMinor}`;
    };

    await placeOrder();
    for (let step = 0; step < 14; step++) {
      const action = random.pick([placeOrder, ship, ship, ship, creditNote, creditNote, pay, pay, returnPayment]);
      const done = await action();
      await expectExposureInvariant(customerId, orders, `step ${step}: ${done}`);
    }
  }, 300_000);
});
