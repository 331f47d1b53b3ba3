/**
 * Report read capacity at two ledger sizes (issue 13): the KPI and forecast reports read the report job's
 * aggregates, so what they cost should not depend on how big the ledger is; the ageing reads the open invoices, so
 * it grows with what is open (an item-level report, by design).
 *
 * For each size (`O2C_BENCH_REPORT_SIZES=2000,20000` invoices): a fresh table on DynamoDB Local, created as the
 * local runtime creates it (`provisionTable`, from `shared/topology.ts`); a year of generated ledger written with
 * the production entity mappers (customers, orders with their audit trail, invoices, payments, disputes, bank-file
 * records), so every index key is what production writes; then the report job (`snapshotReports`, real adapters)
 * for the last day of three month ends, so the three months a KPI report reads and its opening snapshot exist; then
 * `reportKpis` (three months), `reportForecast` and `reportAgeing`. A middleware on the DynamoDB client asks every
 * read and write for `ReturnConsumedCapacity: 'TOTAL'` and adds up the units DynamoDB returns (DynamoDB Local
 * returns them as DynamoDB prices them: 4 KB read units, halved for eventually consistent reads).
 *
 * `npx tsx bench/report-reads.ts` runs it alone (`BENCH_SKIP_REPORTS=true` leaves it out of `npm run bench`);
 * `benchReportReads()` returns the text for `bench/run.ts`, and `failed` when a report that should cost the same at
 * both sizes did not. Capacity units do not vary with the machine (seeded ledger), so that goal is judged PASS or
 * FAIL in the table; like every bench, it is printed, never turned into an exit code.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoBrowse } from '#adapters/browse';
import { dynamoDunningStore } from '#adapters/dunning-store';
import { disputeItem, customerItem, invoiceDocumentItem, invoiceItem, orderDetailItem, orderItem, paymentItem } from '#adapters/entities';
import { auditItem, queryAll, type Item } from '#adapters/dynamo-items';
import { dynamoReportSource, dynamoReportStore } from '#adapters/report-store';
import { CASH_APPLICATION_ACTOR, type AuditEvent } from '#domain/audit';
import { newCustomer } from '#domain/customer';
import { addDays } from '#domain/dates';
import type { Invoice } from '#domain/invoice';
import { keys } from '#domain/keys';
import { newOrder, type Order } from '#domain/order';
import type { Payment } from '#domain/payment';
import type { Clock, Dispute } from '#domain/ports';
import { reportForecast, reportKpis, snapshotReports } from '#domain/use-cases/report-snapshots';
import { reportAgeing } from '#domain/use-cases/reports';
import { table } from '#shared/topology';
import { freePort, localCredentials } from '../local/engines/engine.ts';
import { startDynamoDb } from '../local/engines/dynamodb.ts';
import { provisionTable } from '../local/provision.ts';
import { meteredClient, seedItems, type Usage } from '../test/support/capacity-meter.ts';
import { markdownTable, Random } from '../test/support/cash-ledger.ts';
import { storedInvoice } from '../test/support/receivables-ledger.ts';

const SEED = 20260630;
/** Where the bench is, on stderr (the results go to stdout). */
const progress = (message: string) => process.stderr.write(`[report-reads ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
/** The job's day: the ledger is a year of business up to it. */
const TODAY = '2026-06-30';
/** The job runs daily; these are the runs whose items a three-month report (April–June, opened by March 31) reads. */
const JOB_DAYS = ['2026-03-31', '2026-05-31', TODAY] as const;
const KPI_MONTHS = { from: '2026-04', to: '2026-06' } as const;
const CURRENCY = 'EUR';
/** The first day any run of the job reads audit events of: the first of the month before its first run. */
const AUDIT_FROM = '2026-02-01';
const clock: Clock = { now: () => new Date(`${addDays(TODAY, 1)}T01:00:00.000Z`) };

// ---------------------------------------------------------------------------------------------------------------
// The ledger
// ---------------------------------------------------------------------------------------------------------------

interface Ledger {
  items: Item[];
  counts: Record<string, number>;
}

const fmt = (value: number) => value.toLocaleString('en-US');
const at = (date: string, hour: number) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/**
 * A year of business up to `TODAY`: `size` invoices issued evenly over 365 days, one order each (placed three days
 * before, with the audit trail intake, credit, shipping, billing and cash application write), 30-day terms; each
 * paid by one bank entry some days around its due date (a tenth in two parts), what is not paid by today open, 2 %
 * disputed; 3 % of bank entries left unmatched; 1 customer per 20 invoices; one camt.053 file per booking day.
 */
function generateLedger(size: number): Ledger {
  const random = new Random(SEED + size);
  const customerCount = Math.max(20, Math.round(size / 20));
  const items: Item[] = [];
  const counts: Record<string, number> = { customers: customerCount, orders: 0, 'order audit events': 0, invoices: 0, payments: 0, disputes: 0, 'bank files': 0 };
  const customerIds = Array.from({ length: customerCount }, (_, index) => `C-${String(index + 1).padStart(6, '0')}`);
  for (const id of customerIds)
    items.push(customerItem(newCustomer({ id, source: 'generic', externalId: `ext-${id}`, name: `Buyer ${id} GmbH`, email: `ap@${id.toLowerCase()}.example`, country: 'DE', currency: CURRENCY }, 50_000_00, at(addDays(TODAY, -400), 9))));
  const bankFiles = new Set<string>();
  const bankFile = (date: string) => {
    const sha256 = `${date.replace(/-/g, '')}`.padEnd(64, '0');
    bankFiles.add(sha256);
    return { bankFile: sha256, fileKey: `inbound/camt053-${date}.xml` };
  };
  let paymentNumber = 0;
  const payment = (invoice: Invoice | undefined, customerId: string, date: string, amountMinor: number): Payment => {
    const id = `PAY-${String(++paymentNumber).padStart(8, '0')}`;
    const source = { ...bankFile(date), entryId: `${date}:${paymentNumber}` };
    const base = {
      id,
      account: 'DE02120300000000202051',
      currency: CURRENCY,
      amountMinor,
      bookingDate: date,
      valueDate: date,
      bankReference: `BR${paymentNumber}`,
      references: invoice ? [invoice.document.number] : [],
      remittance: invoice ? `Invoice ${invoice.document.number}` : 'payment',
      counterparty: { name: `Buyer ${customerId} GmbH`, account: `DE89370400440532${String(paymentNumber % 1_000_000).padStart(6, '0')}` },
      source,
      adjustments: [],
      candidates: [],
      createdAt: at(date, 18),
      updatedAt: at(date, 18),
      version: 1,
    };
    return invoice
      ? { ...base, status: 'APPLIED', customerId, allocations: [{ invoiceId: invoice.id, invoiceNumber: invoice.document.number, amountMinor, rule: 'invoice-number', reason: 'number in the remittance', by: CASH_APPLICATION_ACTOR, at: at(date, 18) }], unappliedMinor: 0, reason: 'matched by invoice number' }
      : { ...base, status: 'UNMATCHED', allocations: [], unappliedMinor: amountMinor, reason: 'no invoice found' };
  };

  for (let index = 0; index < size; index++) {
    const id = `I${String(index + 1).padStart(7, '0')}`;
    const customerId = random.pick(customerIds);
    const issueDate = addDays(TODAY, -Math.floor((index * 365) / size));
    const dueDate = addDays(issueDate, 30);
    const totalMinor = random.int(100_00, 20_000_00);
    const delay = random.int(-5, 45);
    const paidOn = addDays(dueDate, delay) < issueDate ? issueDate : addDays(dueDate, delay);
    const inTwoParts = random.chance(0.1);
    const firstMinor = inTwoParts ? Math.round(totalMinor / 2) : totalMinor;
    const firstOn = inTwoParts ? addDays(dueDate, random.int(-3, 3)) : paidOn;
    const receipts = [
      ...(firstOn <= TODAY ? [{ date: firstOn, amountMinor: firstMinor }] : []),
      ...(inTwoParts && paidOn <= TODAY && firstOn <= TODAY && paidOn > firstOn ? [{ date: paidOn, amountMinor: totalMinor - firstMinor }] : []),
    ];
    const paidMinor = receipts.reduce((sum, receipt) => sum + receipt.amountMinor, 0);
    const openMinor = totalMinor - paidMinor;
    const disputed = openMinor > 0 && random.chance(0.02);
    const status = disputed ? 'DISPUTED' : openMinor === 0 ? 'PAID' : paidMinor > 0 ? 'PARTIALLY_PAID' : 'OPEN';
    const invoice: Invoice = { ...storedInvoice({ id, customerId, currency: CURRENCY, issueDate, dueDate, totalMinor, openMinor, status }), ...(paidMinor > 0 ? { paidMinor } : {}) };
    const disputeRecord: Dispute | undefined = disputed
      ? { id: `D-${id}`, invoiceId: id, customerId, reasonCode: 'pricing', note: 'price differs from the quote', attachments: [], status: 'OPEN', openedBy: 'clerk', openedAt: at(addDays(issueDate, 10), 10), version: 1 }
      : undefined;
    items.push(invoiceItem(disputeRecord ? { ...invoice, dispute: { id: disputeRecord.id, openedAt: disputeRecord.openedAt, statusBefore: paidMinor > 0 ? 'PARTIALLY_PAID' : 'OPEN' } } : invoice), invoiceDocumentItem(invoice));
    counts.invoices! += 1;
    if (disputeRecord) {
      items.push(disputeItem(disputeRecord));
      counts.disputes! += 1;
    }
    for (const receipt of receipts) {
      items.push(paymentItem(payment(invoice, customerId, receipt.date, receipt.amountMinor)));
      counts.payments! += 1;
    }
    if (random.chance(0.03)) {
      items.push(paymentItem(payment(undefined, customerId, addDays(issueDate, random.int(0, 30)) > TODAY ? TODAY : addDays(issueDate, random.int(0, 30)), random.int(10_00, 5_000_00))));
      counts.payments! += 1;
    }

    // The order behind the invoice, and the audit trail of its life (what the order KPIs trace).
    const orderedOn = addDays(issueDate, -3);
    const orderId = `O-${id}`;
    const order: Order = {
      ...newOrder(
        { source: 'generic', externalId: `web-${id}`, orderedAt: at(orderedOn, 8), currency: CURRENCY, customer: { externalId: `ext-${customerId}`, name: `Buyer ${customerId} GmbH`, email: 'ap@buyer.example', country: 'DE' }, lines: [{ sku: 'SKU-1', quantity: 1, unitPriceMinor: totalMinor, taxRatePpm: 0 }], shippingMinor: 0 },
        { orderId, customerId },
        at(orderedOn, 8),
      ),
      status: openMinor === 0 ? 'PAID' : 'INVOICED',
    };
    items.push(orderItem(order), orderDetailItem(order));
    counts.orders! += 1;
    const trail: [string, string, string][] = [
      ['OrderStored', 'RECEIVED', at(orderedOn, 8)],
      ['CreditApproved', 'APPROVED', at(orderedOn, 9)],
      ['OrderShipped', 'SHIPPED', at(addDays(orderedOn, 2), 14)],
      ['InvoiceIssued', 'INVOICED', at(issueDate, 6)],
      ...(openMinor === 0 ? ([['OrderPaid', 'PAID', at(paidOn, 18)]] as [string, string, string][]) : []),
    ];
    // Only the runs' windows (from the first of the month before the first run) are ever read: older trails are left out to keep seeding short.
    if (orderedOn >= AUDIT_FROM)
      trail.forEach(([type, after, when], step) => {
      const event: AuditEvent = { id: `${orderId}-${step}`, entity: 'order', entityId: orderId, customerId, type, actor: step === 0 ? 'intake' : 'system', at: when, after };
      items.push(auditItem(event));
      counts['order audit events']! += 1;
    });
  }
  for (const sha256 of bankFiles) items.push({ ...keys.bankFile(sha256), entityType: 'BankFile', sha256, fileKey: `inbound/${sha256}.xml`, status: 'APPLIED', format: 'camt053' });
  counts['bank files'] = bankFiles.size;
  return { items, counts };
}

/** Writes the items with BatchWrite, a few batches at once, retrying what DynamoDB leaves unprocessed. */
const seed = (documents: DynamoDBDocumentClient, items: readonly Item[]) => seedItems(documents, table.localName, items, { progress: (done) => progress(`seeded ${fmt(done)} of ${fmt(items.length)} items`) });

// ---------------------------------------------------------------------------------------------------------------
// One size
// ---------------------------------------------------------------------------------------------------------------

interface SizeResult {
  size: number;
  counts: Record<string, number>;
  items: number;
  seedMs: number;
  job: Usage & { ms: number };
  kpis: Usage;
  forecast: Usage;
  ageing: Usage & { openInvoices: number };
  /** The stored size of each aggregate the KPI and forecast reports read, by sort key (`itemBytes`). */
  aggregateBytes: Record<string, number>;
}

async function benchSize(endpoint: string, size: number): Promise<SizeResult> {
  const admin = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  await provisionTable(admin);
  const ledger = generateLedger(size);
  const seeding = DynamoDBDocumentClient.from(admin, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });
  const started = performance.now();
  await seed(seeding, ledger.items);
  const seedMs = performance.now() - started;

  const meter = meteredClient(endpoint);
  const { documents } = meter;
  const tableName = table.localName;
  const jobDeps = { source: dynamoReportSource(documents, tableName), store: dynamoReportStore(documents, tableName), dunning: dynamoDunningStore(documents, tableName), clock };
  let job: SizeResult['job'] | undefined;
  for (const day of JOB_DAYS) {
    progress(`${fmt(size)}: the report job for ${day}`);
    // Each run as the schedule makes it: at 01:00 the next day, for the day that closed.
    const run = await meter.measure(() => snapshotReports({ date: day }, { ...jobDeps, clock: { now: () => new Date(`${addDays(day, 1)}T01:00:00.000Z`) } }));
    if (day === TODAY) job = { ...run.usage, ms: run.ms };
  }
  const store = dynamoReportStore(documents, tableName);
  progress(`${fmt(size)}: the reports`);
  const kpis = await meter.measure(() => reportKpis({ currency: CURRENCY, ...KPI_MONTHS }, { store, clock }));
  if (kpis.result.missingMonths.length > 0 || !kpis.result.asOf.openingSnapshot || !kpis.result.asOf.closingSnapshot) throw new Error(`the KPI report did not read every aggregate: ${JSON.stringify(kpis.result.asOf)}`);
  progress(`${fmt(size)}: forecast`);
  const forecast = await meter.measure(() => reportForecast({ currency: CURRENCY }, { store }));
  if (forecast.result.asOf !== TODAY) throw new Error(`the forecast report read no forecast of ${TODAY}`);
  progress(`${fmt(size)}: ageing`);
  const ageing = await meter.measure(() => reportAgeing({ currency: CURRENCY, asOf: TODAY }, { browse: dynamoBrowse(documents, tableName), clock }));
  const aggregates = await queryAll(seeding, { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.reportPartition(CURRENCY) } });
  const read = new Set([...['04', '05', '06'].map((month) => `MONTH#2026-${month}`), `AR#${TODAY}`, `AR#${JOB_DAYS[0]}`, `FORECAST#${TODAY}`]);
  const aggregateBytes = Object.fromEntries(aggregates.filter((item) => read.has(String(item.sk))).map((item) => [String(item.sk), itemBytes(item)]));
  meter.destroy();
  admin.destroy();
  return { size, counts: ledger.counts, items: ledger.items.length, seedMs, job: job as SizeResult['job'], kpis: kpis.usage, forecast: forecast.usage, ageing: { ...ageing.usage, openInvoices: ageing.result.count }, aggregateBytes };
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

/** DynamoDB's item size: attribute names, strings as UTF-8, numbers ≈ digits ÷ 2 + 1, 3 bytes + 1 per element for lists and maps. */
function itemBytes(item: Item): number {
  const size = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value);
    if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.e+-]/g, '').replace(/^0+|0+$/g, '').length / 2) + 1;
    if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + size(element), 0);
    if (value !== null && typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + size(element), 0);
    return 1;
  };
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + size(value), 0);
}

/** Why the KPI read grew: the month items' growth per order of the month, and where it meets the 400 KB item limit. */
function monthGrowth(small: SizeResult, large: SizeResult): string {
  const month = `MONTH#${KPI_MONTHS.to}`;
  const [smallBytes, largeBytes] = [small.aggregateBytes[month] ?? 0, large.aggregateBytes[month] ?? 0];
  // Invoices are issued evenly over the year, one order each: a 30-day month holds 30/365 of them.
  const ordersOf = (result: SizeResult) => (result.size * 30) / 365;
  const perOrder = (largeBytes - smallBytes) / (ordersOf(large) - ordersOf(small));
  const limitOrders = perOrder > 0 ? (400 * 1024 - smallBytes) / perOrder + ordersOf(small) : Infinity;
  return (
    `- The KPI read grows because the month items do: ${month} is ${(smallBytes / 1024).toFixed(1)} KB with ${fmt(Math.round(ordersOf(small)))} orders in the month and ${(largeBytes / 1024).toFixed(1)} KB with ${fmt(Math.round(ordersOf(large)))}, ` +
    `≈ ${perOrder.toFixed(1)} bytes per order (each keeps its duration samples: order cycle stretches, exception ages, dispute times)` +
    (Number.isFinite(limitOrders) ? `; at that rate a month item passes DynamoDB's 400 KB item limit at ≈ ${fmt(Math.round(limitOrders / 1000) * 1000)} orders a month, where the job's write would fail.` : '.')
  );
}

const units = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const reads = (usage: Usage) => `${units(usage.readUnits)} RCU / ${usage.readRequests} req`;

export async function benchReportReads(): Promise<{ text: string; failed: boolean }> {
  const sizes = (process.env.O2C_BENCH_REPORT_SIZES ?? '2000,20000').split(',').map(Number);
  if (sizes.length !== 2 || sizes.some((size) => !Number.isSafeInteger(size) || size < 1)) throw new Error(`O2C_BENCH_REPORT_SIZES must be two whole numbers of invoices, e.g. 2000,20000; got ${process.env.O2C_BENCH_REPORT_SIZES}`);
  // DynamoDB Local keeps its SQLite file here: in memory when the machine has /dev/shm (seeding is disk-bound otherwise).
  // A fresh DynamoDB Local per size: in one instance, a deleted table's stream records slow every later write.
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'o2c-bench-reports-'));
    const engine = await startDynamoDb({ port: await freePort(), dataDir });
    try {
      results.push(await benchSize(engine.endpoint, size));
    } finally {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const [small, large] = results as [SizeResult, SizeResult];
  // Same within rounding: DynamoDB prices reads in 0.5-unit steps, so equal means equal.
  const same = (pick: (result: SizeResult) => Usage) => Math.abs(pick(small).readUnits - pick(large).readUnits) < 0.25;
  const kpisSame = same((result) => result.kpis);
  const forecastSame = same((result) => result.forecast);
  const label = (result: SizeResult) => `${fmt(result.size)} invoices`;
  const rows = [
    ['GET /reports/kpis (3 months)', reads(small.kpis), reads(large.kpis), `same at both sizes: ${kpisSame ? 'PASS' : 'FAIL'}`],
    ['GET /reports/forecast', reads(small.forecast), reads(large.forecast), `same at both sizes: ${forecastSame ? 'PASS' : 'FAIL'}`],
    [`GET /reports/ageing`, `${reads(small.ageing)} (${fmt(small.ageing.openInvoices)} open)`, `${reads(large.ageing)} (${fmt(large.ageing.openInvoices)} open)`, 'grows with open invoices (item-level report)'],
    ['report job, one daily run: reads', reads(small.job), reads(large.job), 'information: grows with the window’s activity, once a day'],
    ['report job, one daily run: writes', `${units(small.job.writeUnits)} WCU / ${small.job.writeRequests} req`, `${units(large.job.writeUnits)} WCU / ${large.job.writeRequests} req`, 'information'],
  ];
  const unmetered = results.reduce((sum, result) => sum + result.job.unmetered + result.kpis.unmetered + result.forecast.unmetered + result.ageing.unmetered, 0);
  const text = [
    `Report read capacity (DynamoDB Local, ConsumedCapacity TOTAL of every request; ledger of a year to ${TODAY}, seed ${SEED})`,
    markdownTable(['report', label(small), label(large), 'goal'], rows),
    ...results.map((result) => `- ${label(result)}: ${fmt(result.items)} items (${Object.entries(result.counts).map(([name, count]) => `${fmt(count)} ${name}`).join(', ')}) seeded in ${(result.seedMs / 1000).toFixed(0)} s; the job's daily run took ${(result.job.ms / 1000).toFixed(1)} s.`),
    ...results.map((result) => `- ${label(result)}: the KPI report's requests ${result.kpis.log.map((entry) => `${entry.command} ${units(entry.units)}`).join(', ')}; the aggregates it and the forecast read (≈ DynamoDB item size): ${Object.entries(result.aggregateBytes).map(([key, bytes]) => `${key} ${(bytes / 1024).toFixed(1)} KB`).join(', ')}.`),
    ...(kpisSame ? [] : [monthGrowth(small, large)]),
    `- KPIs: from ${KPI_MONTHS.from} to ${KPI_MONTHS.to} (three month items, the closing and the opening AR snapshot), after the job ran for ${JOB_DAYS.join(', ')}; ageing as of ${TODAY}.`,
    ...(unmetered > 0 ? [`- ${unmetered} request(s) returned no ConsumedCapacity: their units are missing above.`] : []),
  ].join('\n');
  return { text, failed: !kpisSame || !forecastSame };
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) {
  process.stdout.write(`${(await benchReportReads()).text}\n`);
}
