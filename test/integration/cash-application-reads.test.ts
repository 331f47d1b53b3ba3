/**
 * What reconciling a bank file reads (issue 16): the open invoices its entries can match, not every open invoice of
 * the currency. Capacity units are counts DynamoDB reports, not timings, so they are asserted.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '#adapters/dynamo-items';
import { creditorReferenceFor, formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import { meteredClient } from '../support/capacity-meter.ts';
import { bankEntry, bankFileOf, customerItems, invoiceItems, openInvoice, reconcileHarness } from '../support/reconcile-harness.ts';
import { batchWrite, endpoints } from './support.ts';

const CURRENCY = 'SEK';

describe('cash application reads what its entries can match', () => {
  const written: Item[] = [];
  const meter = meteredClient(endpoints().dynamodb);
  afterAll(async () => {
    meter.destroy();
    await batchWrite(inject('o2cTable'), written.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
  }, 180_000);

  it('given a 3-entry file, when 500 unrelated open invoices of its currency are added, then reconciling the same kind of file reads no more', async () => {
    const tableName = inject('o2cTable');
    const run = Date.now().toString(36).toUpperCase();
    const series = `R${run.slice(-7)}`;
    const write = async (all: Item[]) => {
      // An invoice's payer-name link is its customer's: the same item for every invoice of one customer.
      const seen = new Set(written.map((item) => `${String(item.pk)} ${String(item.sk)}`));
      const items = all.filter((item) => !seen.has(`${String(item.pk)} ${String(item.sk)}`) && seen.add(`${String(item.pk)} ${String(item.sk)}`));
      written.push(...items);
      await batchWrite(tableName, items.map((item) => ({ PutRequest: { Item: item } })));
    };
    // Given six open invoices of three customers: three paid by the first file, three by the second.
    const customers = [0, 1, 2].map((index) => ({ id: `${run}-C${index}`, name: `Reader ${run} Kunde ${index} AB`, currency: CURRENCY }));
    const invoices = Array.from({ length: 6 }, (_, index) => {
      const customer = customers[index % 3]!;
      return openInvoice({ id: `${run}-I${index}`, number: `${series}-2026-${String(index + 1).padStart(6, '0')}`, customerId: customer.id, customerName: customer.name, currency: CURRENCY, openMinor: 10_000 + index * 1_111 });
    });
    await write([...customers.flatMap(customerItems), ...invoices.flatMap(invoiceItems)]);
    const fileFor = (paid: typeof invoices, tag: string) =>
      bankFileOf(
        [
          bankEntry(`${run}-${tag}-1`, paid[0]!.openMinor, { currency: CURRENCY, remittance: `Ref ${formatCreditorReferenceForPrint(creditorReferenceFor(paid[0]!.document.number))}`, counterparty: { name: 'Somebody Else' } }),
          bankEntry(`${run}-${tag}-2`, paid[1]!.openMinor, { currency: CURRENCY, remittance: `Invoice ${paid[1]!.document.number} thanks` }),
          bankEntry(`${run}-${tag}-3`, paid[2]!.openMinor, { currency: CURRENCY, references: [paid[2]!.document.number] }),
        ],
        CURRENCY,
      );
    const { reconcile } = reconcileHarness(meter.documents, tableName);

    const first = await meter.measure(() => reconcile(fileFor(invoices.slice(0, 3), 'A')));

    // When 500 open invoices of other customers (a whole-currency read would grow by about 20 RCU) in the same currency are added…
    const unrelated = Array.from({ length: 500 }, (_, index) =>
      openInvoice({ id: `${run}-U${index}`, number: `${series}-2025-${String(index + 1).padStart(6, '0')}`, customerId: `${run}-OTHER${index % 100}`, customerName: `Other ${run} ${index % 100} AB`, currency: CURRENCY, openMinor: 50_000 + index }),
    );
    await write(unrelated.flatMap(invoiceItems));
    const second = await meter.measure(() => reconcile(fileFor(invoices.slice(3, 6), 'B')));

    // Then both files apply all three entries, and the second reads no more than the first.
    expect(first.result).toMatchObject({ status: 'applied', counts: { applied: 3 } });
    expect(second.result).toMatchObject({ status: 'applied', counts: { applied: 3 } });
    console.log(`cash application reads: ${first.usage.readUnits} RCU (${first.usage.readRequests} requests) before, ${second.usage.readUnits} RCU (${second.usage.readRequests} requests) with 500 more open invoices`);
    expect(second.usage.readUnits).toBeLessThanOrEqual(first.usage.readUnits + 1);
  }, 240_000);

  it('given an entry whose payer name and account are thousands of characters (signed by the bank, hostile all the same), when reconciled, then it is decided like any unknown payer: no read fails on a key too long for DynamoDB', async () => {
    const tableName = inject('o2cTable');
    const run = Date.now().toString(36).toUpperCase();
    const { reconcile } = reconcileHarness(meter.documents, tableName);
    const hostile = bankEntry(`${run}-LONG`, 12_345, { currency: CURRENCY, remittance: 'no reference at all', counterparty: { name: `${'Ärger Straße '.repeat(400)}\uFFFF AB`, account: `SE${'1'.repeat(3_000)}` } });

    const { result } = await meter.measure(() => reconcile(bankFileOf([hostile], CURRENCY)));

    expect(result).toMatchObject({ status: 'applied', counts: { applied: 0 } });
  });
});
