/**
 * Cash application's read capacity per bank file at two ledger sizes (issue 16): a file's entries read the open
 * invoices they can match (by number, RF reference, digits, payer), so what a file reads should grow with its
 * entries, not with the ledger.
 *
 * For each ledger size (`O2C_BENCH_RECONCILE_SIZES=10000,100000` open invoices, 10 per customer): a fresh table on
 * DynamoDB Local, created as the runtime creates it (`provisionTable`), seeded with the items issuing writes (the
 * production mappers: `invoiceItem`, `invoiceSearchItems`, `customerItem`) by parallel BatchWrite; then bank files of
 * N entries (`O2C_BENCH_RECONCILE_ENTRIES=10,100,1000`) reconciled one after the other through the real use case
 * (`receiveBankFile`) and the real adapters, each entry paying a different open invoice: 40 % name it by number, 20 %
 * by RF reference, 10 % by its digits alone, 20 % pay its exact amount from a payer known by name, 10 % come from
 * nobody we know. A middleware asks every request for `ReturnConsumedCapacity: 'TOTAL'` (test/support/capacity-meter.ts).
 * DynamoDB Local reports 0 units for a read that finds nothing, where AWS bills 0.5 (eventually consistent): those
 * requests are counted and priced at AWS's minimum in the "AWS" column.
 *
 * `npx tsx bench/reconcile-reads.ts` runs it alone; `benchReconcileReads()` returns the text for `bench/run.ts`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from '#adapters/dynamo-items';
import { dynamoOpenItems } from '#adapters/payment-store';
import type { BankEntry } from '#domain/bank-statement';
import { openItemKeys } from '#domain/cash-matching';
import { creditorReferenceFor, formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import type { Invoice } from '#domain/invoice';
import { keys } from '#domain/keys';
import { table } from '#shared/topology';
import { freePort, localCredentials } from '../local/engines/engine.ts';
import { startDynamoDb } from '../local/engines/dynamodb.ts';
import { provisionTable } from '../local/provision.ts';
import { meteredClient, seedItems, type Usage } from '../test/support/capacity-meter.ts';
import { markdownTable, Random } from '../test/support/cash-ledger.ts';
import { bankEntry, bankFileOf, customerItems, invoiceItems, openInvoice, reconcileHarness } from '../test/support/reconcile-harness.ts';

const SEED = 20260616;
const CURRENCY = 'EUR';
const INVOICES_PER_CUSTOMER = 10;
/** A ledger is within this factor of the smaller one's reads for the same file size: reads follow the file. */
const SAME_FACTOR = 1.5;
const progress = (message: string) => process.stderr.write(`[reconcile-reads ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const fmt = (value: number) => value.toLocaleString('en-US');
const units = (value: number) => (Number.isInteger(value) ? fmt(value) : value.toFixed(1));
/** What AWS would bill: the units reported, plus its minimum of 0.5 for each read that found nothing. */
const awsUnits = (usage: Usage) => usage.readUnits + 0.5 * usage.emptyReads;

interface Ledger {
  items: Item[];
  invoices: Invoice[];
  customerNames: Map<string, string>;
}

/** `size` open invoices of `size / 10` customers, as issuing writes them (duplicate link items written once). */
function generateLedger(size: number): Ledger {
  const random = new Random(SEED + size);
  const customerCount = Math.max(1, Math.round(size / INVOICES_PER_CUSTOMER));
  const customers = Array.from({ length: customerCount }, (_, index) => ({ id: `C-${String(index + 1).padStart(6, '0')}`, name: `${random.pick(['Nordwind', 'Sonnen', 'Alpen', 'Hansa', 'Rhein', 'Isar'])} ${random.pick(['Handel', 'Technik', 'Bau', 'Logistik'])} ${index + 1} GmbH`, currency: CURRENCY }));
  const invoices = Array.from({ length: size }, (_, index) => {
    const customer = customers[index % customerCount] as (typeof customers)[number];
    return openInvoice({ id: `I${String(index + 1).padStart(7, '0')}`, number: `INV-2026-${String(index + 1).padStart(6, '0')}`, customerId: customer.id, customerName: customer.name, currency: CURRENCY, openMinor: random.int(100_00, 20_000_00) + index, dueDate: `2026-0${random.int(5, 9)}-15` });
  });
  const unique = new Map<string, Item>();
  for (const item of [...customers.flatMap(customerItems), ...invoices.flatMap(invoiceItems)]) unique.set(`${String(item.pk)}\u0000${String(item.sk)}`, item);
  return { items: [...unique.values()], invoices, customerNames: new Map(customers.map((customer) => [customer.id, customer.name])) };
}

/** N entries, each paying a different invoice of `pool` (taken from its end), in the mix the module comment gives. */
function bankFile(random: Random, pool: Invoice[], count: number, tag: string, names: Map<string, string>): BankEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const invoice = pool.pop() as Invoice;
    const number = invoice.document.number;
    const id = `${tag}-${index + 1}`;
    const stranger = { name: `Person ${index}`, account: `GB33BUKB2020155555${String(index).padStart(4, '0')}` };
    const roll = random.int(0, 9);
    const fields: Partial<BankEntry> =
      roll < 4
        ? { remittance: `Invoice ${number} thank you`, counterparty: stranger }
        : roll < 6
          ? { remittance: formatCreditorReferenceForPrint(creditorReferenceFor(number)), counterparty: stranger }
          : roll < 7
            ? { remittance: `RE${number.replace(/[^0-9]/g, '')}`, counterparty: stranger }
            : roll < 9
              ? { remittance: 'Zahlung', counterparty: { name: names.get(invoice.customerId) } }
              : { remittance: 'payment', counterparty: stranger };
    return bankEntry(id, invoice.openMinor, { currency: CURRENCY, ...fields });
  });
}

interface FileResult {
  entries: number;
  file: Usage;
  openItems: Usage;
  read: number;
  applied: number;
  ms: number;
}

interface SizeResult {
  size: number;
  items: number;
  seedMs: number;
  /** The whole-currency read, scaled from its first page. */
  wholeCurrency: { readUnits: number; pages: number };
  files: FileResult[];
}

async function benchSize(endpoint: string, size: number, fileSizes: readonly number[]): Promise<SizeResult> {
  const admin = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  await provisionTable(admin);
  const ledger = generateLedger(size);
  const seeding = DynamoDBDocumentClient.from(admin, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });
  progress(`${fmt(size)}: seeding ${fmt(ledger.items.length)} items`);
  const started = performance.now();
  await seedItems(seeding, table.localName, ledger.items, { parallel: 8, progress: (done) => progress(`${fmt(size)}: seeded ${fmt(done)} of ${fmt(ledger.items.length)}`) });
  const seedMs = performance.now() - started;
  progress(`${fmt(size)}: seeded in ${(seedMs / 1000).toFixed(0)} s`);

  const meter = meteredClient(endpoint);
  const tableName = table.localName;
  // What the engine read before issue 16: every open invoice of the currency (gsi2, every page). Paging through 100 000
  // takes DynamoDB Local many minutes, so the first 1 MB page is read and its units scaled to the ledger (same items).
  const firstPage = await meter.measure(() => meter.documents.send(new QueryCommand({ TableName: tableName, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': keys.openInvoicesPartition(CURRENCY) } })));
  const wholeCurrency = { readUnits: Math.ceil((firstPage.usage.readUnits / Math.max(1, firstPage.result.Items?.length ?? 0)) * size * 2) / 2, pages: Math.ceil(size / Math.max(1, firstPage.result.Items?.length ?? 0)) };
  const harness = reconcileHarness(meter.documents, tableName);
  const openItems = dynamoOpenItems(meter.documents, tableName);
  const random = new Random(SEED);
  const pool = [...ledger.invoices];
  const files: FileResult[] = [];
  for (const count of fileSizes) {
    progress(`${fmt(size)}: a file of ${fmt(count)} entries`);
    const entries = bankFile(random, pool, count, `F${size}-${count}`, ledger.customerNames);
    const reads = await meter.measure(async () => openItems.find(openItemKeys(entries)));
    const file = await meter.measure(() => harness.reconcile(bankFileOf(entries, CURRENCY)));
    const applied = file.result.status === 'applied' ? (file.result.counts.applied ?? 0) : 0;
    files.push({ entries: count, file: file.usage, openItems: reads.usage, read: reads.result.length, applied, ms: file.ms });
  }
  meter.destroy();
  admin.destroy();
  return { size, items: ledger.items.length, seedMs, wholeCurrency, files };
}

export async function benchReconcileReads(): Promise<string> {
  const sizes = (process.env.O2C_BENCH_RECONCILE_SIZES ?? '10000,100000').split(',').map(Number);
  const fileSizes = (process.env.O2C_BENCH_RECONCILE_ENTRIES ?? '10,100,1000').split(',').map(Number);
  if (sizes.length !== 2 || [...sizes, ...fileSizes].some((value) => !Number.isSafeInteger(value) || value < 1)) throw new Error('O2C_BENCH_RECONCILE_SIZES must be two whole numbers of open invoices (e.g. 10000,100000), O2C_BENCH_RECONCILE_ENTRIES whole numbers of entries');
  if (fileSizes.reduce((sum, count) => sum + count, 0) > Math.min(...sizes)) throw new Error('the files pay more invoices than the smaller ledger has');
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'o2c-bench-reconcile-'));
    const engine = await startDynamoDb({ port: await freePort(), dataDir });
    try {
      results.push(await benchSize(engine.endpoint, size, fileSizes));
    } finally {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const [small, large] = results as [SizeResult, SizeResult];
  const label = (result: SizeResult) => `${fmt(result.size)} open`;
  const rows = fileSizes.map((count, index) => {
    const [a, b] = [small.files[index] as FileResult, large.files[index] as FileResult];
    const ratio = awsUnits(b.file) / Math.max(awsUnits(a.file), 0.5);
    return [
      fmt(count),
      `${units(a.file.readUnits)} (AWS ${units(awsUnits(a.file))}) / ${fmt(a.file.readRequests)} req`,
      `${units(b.file.readUnits)} (AWS ${units(awsUnits(b.file))}) / ${fmt(b.file.readRequests)} req`,
      `${units(awsUnits(a.openItems))} / ${units(awsUnits(b.openItems))} (${fmt(a.read)} / ${fmt(b.read)} items)`,
      `${fmt(a.applied)} / ${fmt(b.applied)}`,
      `×${ratio.toFixed(2)} ${ratio <= SAME_FACTOR ? 'PASS' : 'FAIL'}`,
    ];
  });
  const passed = rows.every((row) => String(row.at(-1)).endsWith('PASS'));
  const perEntry = (result: SizeResult) => {
    const last = result.files.at(-1) as FileResult;
    return awsUnits(last.file) / last.entries;
  };
  return [
    `Cash application read capacity per bank file (DynamoDB Local, ConsumedCapacity TOTAL of every request through receiveBankFile; seed ${SEED}; ${INVOICES_PER_CUSTOMER} open invoices per customer)`,
    markdownTable(['entries', `file reads, ${label(small)}: RCU (AWS) / requests`, `file reads, ${label(large)}: RCU (AWS) / requests`, 'of which open items, AWS RCU (items read)', 'applied', `${label(large)} ÷ ${label(small)} (goal ≤ ×${SAME_FACTOR})`], rows),
    `- Goal "reads grow with N, not with the ledger": ${passed ? 'PASS' : 'FAIL'} — about ${perEntry(small).toFixed(1)} / ${perEntry(large).toFixed(1)} AWS RCU per entry at ${fmt(fileSizes.at(-1) as number)} entries.`,
    `- Before issue 16 each file first read every open invoice of its currency, whatever its size: ≈ ${units(small.wholeCurrency.readUnits)} RCU / ${fmt(small.wholeCurrency.pages)} pages at ${label(small)}, ≈ ${units(large.wholeCurrency.readUnits)} RCU / ${fmt(large.wholeCurrency.pages)} pages at ${label(large)} (the first 1 MB page of gsi2 measured, scaled to the ledger).`,
    `- "file reads" is everything the use case reads (the file record, payments already recorded, learned payers, the open items, each invoice and customer it changes); "AWS" adds 0.5 for each of the ${fmt(small.files.reduce((sum, file) => sum + file.file.emptyReads, 0))} / ${fmt(large.files.reduce((sum, file) => sum + file.file.emptyReads, 0))} reads that found nothing (DynamoDB Local reports 0 for them).`,
    ...results.map((result) => `- ${label(result)}: ${fmt(result.items)} items seeded in ${(result.seedMs / 1000).toFixed(0)} s; files took ${result.files.map((file) => `${(file.ms / 1000).toFixed(1)} s`).join(', ')}.`),
  ].join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) {
  process.stdout.write(`${await benchReconcileReads()}\n`);
}
