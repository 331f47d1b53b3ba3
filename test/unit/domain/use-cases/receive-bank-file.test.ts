import { describe, expect, it } from 'vitest';
import { BankFileError, type BankEntry, type ParsedBankFile } from '#domain/bank-statement';
import { defaultMatchingPolicy, openItemsReached, type OpenItem } from '#domain/cash-matching';
import type { Invoice } from '#domain/invoice';
import type { Payment } from '#domain/payment';
import type { BankFileRecord, PaymentStore, PaymentWrite } from '#domain/ports';
import { receiveBankFile, type ReceiveBankFileDeps } from '#domain/use-cases/receive-bank-file';
import { bankFileWork } from '#domain/worklists';
import { parseBankFile } from '#shared/bank/parse';
import { camt053 } from '../../../support/camt053.ts';
import { bankEntry, storedInvoice } from '../../../support/cash-fixtures.ts';

/** In-memory stand-ins for the bucket and the payment store: enough to see what the use case reads, moves and writes. */
function harness(files: Record<string, string>) {
  const bucket = new Map(Object.entries(files));
  const reads: string[] = [];
  const bankFiles = new Map<string, BankFileRecord>();
  const writes: PaymentWrite[] = [];
  const payments: PaymentStore = {
    getBankFile: async (sha256) => bankFiles.get(sha256),
    saveBankFile: async (record) => void bankFiles.set(record.sha256, record),
    recorded: async (ids) => new Set(writes.flatMap((write) => ('created' in write.payment ? [write.payment.created.id] : [])).filter((id) => ids.includes(id))),
    get: async () => undefined,
    listByStatus: async () => ({ items: [], cursor: null }),
    returnable: async () => [],
    payerAccounts: async () => ({}),
    write: async (change) => {
      writes.push(change);
      return 'written';
    },
  };
  const deps: ReceiveBankFileDeps = {
    files: {
      read: async (key) => {
        reads.push(key);
        return bucket.get(key);
      },
      put: async (key, body) => void bucket.set(key, body),
      move: async (key, prefix) => {
        const target = `${prefix}${key.replace(/^inbound\//, '')}`;
        const body = bucket.get(key);
        if (body !== undefined) bucket.set(target, body);
        bucket.delete(key);
        return target;
      },
    },
    payments,
    openItems: { find: async () => [] },
    invoices: { get: async () => undefined } as unknown as ReceiveBankFileDeps['invoices'],
    customers: { get: async () => undefined } as unknown as ReceiveBankFileDeps['customers'],
    receivables: { oldestOverdueDays: async () => 0, overdueInvoiceIds: async () => [] },
    orders: { get: async () => undefined },
    clock: { now: () => new Date('2026-11-23T08:00:00Z') },
    ids: { next: (() => { let n = 0; return () => `ID${++n}`; })() },
    policy: defaultMatchingPolicy,
    parse: async (text) => parseBankFile(text),
    maxBytes: 1_000_000,
    prefixes: { processed: 'processed/', quarantine: 'quarantine/' },
  };
  return { deps, bucket, reads, bankFiles, writes };
}

const statement = camt053({
  statementId: 'S-1',
  account: 'DE02120300000000202051',
  openingMinor: 0,
  entries: [
    { amountMinor: 500, bankReference: 'R-1', bookingDate: '2026-11-20', remittance: 'unknown' },
    { amountMinor: -200, bankReference: 'R-2', bookingDate: '2026-11-20', remittance: 'fees' },
  ],
});

describe('receiveBankFile', () => {
  it('given a 500 MB file, when it arrives, then it is quarantined with a report without being read, and nothing is applied', async () => {
    const { deps, bucket, reads, writes } = harness({ 'inbound/huge.xml': 'x' });

    const outcome = await receiveBankFile({ fileKey: 'inbound/huge.xml', sizeBytes: 500 * 1024 * 1024 }, deps);

    expect(outcome).toMatchObject({ status: 'quarantined', error: { message: expect.stringContaining('524288000 bytes') } });
    expect(reads).toEqual([]);
    expect(writes).toEqual([]);
    expect(JSON.parse(bucket.get('quarantine/huge.xml.report.json') ?? '{}')).toMatchObject({ file: 'inbound/huge.xml', applied: 0 });
    expect(bucket.has('inbound/huge.xml')).toBe(false);
  });

  it('given truncated XML, when it arrives, then the report names the place, the file record says QUARANTINED, and nothing is applied', async () => {
    const { deps, bucket, bankFiles, writes } = harness({ 'inbound/cut.xml': statement.slice(0, 700) });

    const outcome = await receiveBankFile({ fileKey: 'inbound/cut.xml' }, deps);

    expect(outcome.status).toBe('quarantined');
    const report = JSON.parse(bucket.get('quarantine/cut.xml.report.json') ?? '{}') as { error: { message: string } };
    expect(report.error.message).toMatch(/XML/);
    expect([...bankFiles.values()]).toMatchObject([{ status: 'QUARANTINED' }]);
    expect(writes).toEqual([]);
  });

  it('given truncated XML, when it is quarantined, then its record says where the file is kept and its worklist entry leads to the route that shows its report, not to a key beside the inbound file', async () => {
    const { deps, bucket, bankFiles } = harness({ 'inbound/2026-11-23/cut.xml': statement.slice(0, 700) });

    await receiveBankFile({ fileKey: 'inbound/2026-11-23/cut.xml' }, deps);

    const [record] = [...bankFiles.values()];
    expect(record).toMatchObject({ status: 'QUARANTINED', fileKey: 'inbound/2026-11-23/cut.xml', quarantinedAs: 'quarantine/2026-11-23/cut.xml' });
    expect(bucket.has('quarantine/2026-11-23/cut.xml.report.json')).toBe(true);
    expect(bucket.has('inbound/2026-11-23/cut.xml.report.json')).toBe(false);
    expect(bankFileWork(record!)).toMatchObject([{ kind: 'quarantined-files', entityId: record!.sha256, details: `/bank-files/${record!.sha256}` }]);
  });

  it('given a good file, when it arrives twice, then its entries are written once and the second copy is a duplicate', async () => {
    const { deps, bucket, writes } = harness({ 'inbound/a.xml': statement, 'inbound/b.xml': statement });

    const first = await receiveBankFile({ fileKey: 'inbound/a.xml' }, deps);
    const second = await receiveBankFile({ fileKey: 'inbound/b.xml' }, deps);

    expect(first).toMatchObject({ status: 'applied', counts: { entries: 2, unmatched: 1, ignored: 1 } });
    expect(first.status === 'applied' && first.appliedByRule).toEqual({});
    expect(second.status).toBe('duplicate');
    expect(writes).toHaveLength(2);
    expect(writes.map((write) => ('created' in write.payment ? write.payment.created.status : ''))).toEqual(['UNMATCHED', 'IGNORED']);
    expect([...bucket.keys()].sort()).toEqual(['processed/a.xml', 'processed/b.xml']);
  });

  it('given a file quarantined before (it could not be read then), when the same bytes arrive again and can be read now, then it is applied and its record says APPLIED', async () => {
    const { deps, bankFiles, writes } = harness({ 'inbound/a.csv': statement, 'inbound/again.csv': statement });
    const parse = deps.parse;
    deps.parse = async () => {
      throw new BankFileError('no CSV profile for this account', 'line 1');
    };
    const quarantined = await receiveBankFile({ fileKey: 'inbound/a.csv' }, deps);
    deps.parse = parse;

    const again = await receiveBankFile({ fileKey: 'inbound/again.csv' }, deps);

    expect(quarantined.status).toBe('quarantined');
    expect(again).toMatchObject({ status: 'applied' });
    expect([...bankFiles.values()].map((record) => record.status)).toEqual(['APPLIED']);
    expect(writes).toHaveLength(2);
  });

  it('given an event for a file already moved, when it is redelivered, then nothing happens', async () => {
    const { deps, writes } = harness({});

    expect(await receiveBankFile({ fileKey: 'inbound/gone.xml' }, deps)).toEqual({ status: 'gone' });
    expect(writes).toEqual([]);
  });
});

const invoice = storedInvoice;

/** The open-items index row of an invoice; `openMinor` may lag behind the invoice (the index is eventually consistent). */
const openItem = (invoice: Invoice, openMinor = invoice.openMinor): OpenItem => ({
  id: invoice.id,
  number: invoice.document.number,
  customerId: invoice.customerId,
  customerName: 'Acme GmbH',
  currency: invoice.document.currency,
  openMinor,
  issueDate: '2026-11-01',
  dueDate: invoice.document.dueDate,
});

const entryWith = (amountMinor: number, remittance: string, extra: Partial<BankEntry> = {}): BankEntry => bankEntry(amountMinor, { id: `S-9:${amountMinor}:${remittance}`, remittance, ...extra });

/** A harness whose invoice store holds `invoices` and whose open-items index shows `index`; the file parses to `entries`. */
function ledgerHarness(invoices: Invoice[], index: OpenItem[], entries: BankEntry[]) {
  const setup = harness({ 'inbound/file.xml': `file ${entries.map((entry) => entry.id).join(',')}` });
  const stored = new Map(invoices.map((item) => [item.id, item]));
  const parsed: ParsedBankFile = {
    format: 'camt053',
    statements: [{ id: 'S-9', account: 'DE02120300000000202051', currency: 'EUR', openingMinor: 0, closingMinor: entries.reduce((sum, entry) => sum + entry.amountMinor, 0), balanced: true, entries }],
  };
  setup.deps.parse = async () => parsed;
  setup.deps.invoices = { get: async (id: string) => stored.get(id) } as unknown as ReceiveBankFileDeps['invoices'];
  setup.deps.openItems = { find: async (keys) => openItemsReached(index, keys) };
  const created = () => setup.writes.flatMap((write) => ('created' in write.payment ? [write.payment.created] : []));
  const byRemittance = (text: string) => created().find((payment) => payment.remittance === text) as Payment;
  const invoiceAfter = (id: string) => setup.writes.flatMap((write) => write.invoices).filter(({ after }) => after.id === id).at(-1)?.after;
  return { ...setup, created, byRemittance, invoiceAfter };
}

describe('receiveBankFile: one entry that cannot be applied never stops the file', () => {
  it('given invoices of 1 000.00 and 5.00 named and 995.00 paid, when the file is applied, then 995.00 is allocated, 10.00 written off within the open amounts, and nothing throws', async () => {
    const big = invoice('INV-2026-000501', 100_000);
    const small = invoice('INV-2026-000502', 500, { dueDate: '2026-12-05' });
    const { deps, byRemittance, invoiceAfter } = ledgerHarness([big, small], [openItem(big), openItem(small)], [entryWith(99_500, 'INV-2026-000501 INV-2026-000502')]);

    const outcome = await receiveBankFile({ fileKey: 'inbound/file.xml' }, deps);

    expect(outcome).toMatchObject({ status: 'applied', counts: { applied: 1 } });
    const payment = byRemittance('INV-2026-000501 INV-2026-000502');
    expect(payment.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0)).toBe(99_500);
    expect(invoiceAfter(big.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
    expect(invoiceAfter(small.id)).toMatchObject({ status: 'PAID', openMinor: 0 });
  });

  it('given an entry whose plan settles more than the invoice has open (the index lagged), when the file is applied, then that entry is unmatched with the reason and the entries after it are applied, counted by their rule', async () => {
    const stale = invoice('INV-2026-000601', 500);
    const later = invoice('INV-2026-000602', 2_000);
    const entries = [entryWith(10_000, 'INV-2026-000601'), entryWith(2_000, 'INV-2026-000602')];
    // The index still shows 100.00 open on 601; the invoice itself has 5.00 left.
    const { deps, byRemittance, invoiceAfter, writes } = ledgerHarness([stale, later], [openItem(stale, 10_000), openItem(later)], entries);

    const outcome = await receiveBankFile({ fileKey: 'inbound/file.xml' }, deps);

    expect(outcome).toMatchObject({ status: 'applied', counts: { applied: 1, unmatched: 1 } });
    expect(outcome.status === 'applied' && outcome.appliedByRule).toEqual({ 'invoice-number': 1 });
    expect(byRemittance('INV-2026-000601')).toMatchObject({ status: 'UNMATCHED', allocations: [], adjustments: [], unappliedMinor: 10_000, candidates: [{ invoiceId: stale.id, openMinor: 500 }] });
    expect(byRemittance('INV-2026-000601').reason).toContain('more than the 500 open');
    expect(byRemittance('INV-2026-000602')).toMatchObject({ status: 'APPLIED', allocations: [{ invoiceId: later.id, amountMinor: 2_000 }] });
    expect(invoiceAfter(stale.id)).toBeUndefined();
    expect(invoiceAfter(later.id)).toMatchObject({ status: 'PAID' });
    expect(writes).toHaveLength(2);
  });

  it('given an entry naming an invoice that was credited meanwhile, when the file is applied, then it goes to exceptions and the rest applies', async () => {
    const credited = { ...invoice('INV-2026-000701', 3_000), status: 'CREDITED' as const, openMinor: 0 };
    const other = invoice('INV-2026-000702', 1_500);
    const { deps, byRemittance } = ledgerHarness([credited, other], [openItem(credited, 3_000), openItem(other)], [entryWith(3_000, 'INV-2026-000701'), entryWith(1_500, 'INV-2026-000702')]);

    await receiveBankFile({ fileKey: 'inbound/file.xml' }, deps);

    expect(byRemittance('INV-2026-000701')).toMatchObject({ status: 'UNMATCHED', unappliedMinor: 3_000 });
    expect(byRemittance('INV-2026-000701').reason).toContain('not open to this payment');
    expect(byRemittance('INV-2026-000702').status).toBe('APPLIED');
  });

  it('given a USD entry on a EUR statement naming a USD invoice, when the file is applied, then it is unmatched with the reason and the EUR entries apply', async () => {
    const dollars = invoice('INV-2026-000801', 5_000, { currency: 'USD' });
    const euros = invoice('INV-2026-000802', 5_000);
    const entries = [entryWith(5_000, 'INV-2026-000801', { currency: 'USD' }), entryWith(5_000, 'INV-2026-000802')];
    const { deps, byRemittance, invoiceAfter } = ledgerHarness([dollars, euros], [openItem(dollars), openItem(euros)], entries);

    const outcome = await receiveBankFile({ fileKey: 'inbound/file.xml' }, deps);

    expect(outcome).toMatchObject({ status: 'applied', counts: { applied: 1, unmatched: 1 } });
    expect(byRemittance('INV-2026-000801')).toMatchObject({ status: 'UNMATCHED', currency: 'USD', reason: 'entry in USD on a EUR statement', allocations: [] });
    expect(invoiceAfter(dollars.id)).toBeUndefined();
    expect(invoiceAfter(euros.id)).toMatchObject({ status: 'PAID' });
  });
});

describe('receiveBankFile: a payment too big for one transaction (adversarial review)', () => {
  it('given an entry whose write does not fit one transaction, when the file is applied, then it is kept as unmatched for a person and the file goes on', async () => {
    const first = invoice('INV-2026-000701', 1_000);
    const second = invoice('INV-2026-000702', 2_000);
    const { deps, writes, created } = ledgerHarness([first, second], [openItem(first), openItem(second)], [entryWith(1_000, 'INV-2026-000701'), entryWith(2_000, 'INV-2026-000702')]);
    const write = deps.payments.write;
    let refused = false;
    deps.payments.write = async (change) => {
      if (!refused && 'created' in change.payment && change.payment.created.remittance === 'INV-2026-000701') {
        refused = true;
        return 'too-large';
      }
      return write(change);
    };

    const outcome = await receiveBankFile({ fileKey: 'inbound/file.xml' }, deps);

    expect(outcome).toMatchObject({ status: 'applied', counts: { applied: 1, unmatched: 1 } });
    expect(created().find((payment) => payment.remittance === 'INV-2026-000701')).toMatchObject({ status: 'UNMATCHED', allocations: [], reason: expect.stringContaining('in parts') });
    expect(writes.filter((change) => change.invoices.some(({ after }) => after.id === first.id))).toEqual([]);
  });
});
