import { describe, expect, it } from 'vitest';
import { defaultMatchingPolicy } from '#domain/cash-matching';
import type { BankFileRecord, PaymentStore, PaymentWrite } from '#domain/ports';
import { receiveBankFile, type ReceiveBankFileDeps } from '#domain/use-cases/receive-bank-file';
import { parseBankFile } from '#shared/bank/parse';
import { camt053 } from '../../../support/camt053.ts';

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
    openItems: { list: async () => [] },
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

  it('given a good file, when it arrives twice, then its entries are written once and the second copy is a duplicate', async () => {
    const { deps, bucket, writes } = harness({ 'inbound/a.xml': statement, 'inbound/b.xml': statement });

    const first = await receiveBankFile({ fileKey: 'inbound/a.xml' }, deps);
    const second = await receiveBankFile({ fileKey: 'inbound/b.xml' }, deps);

    expect(first).toMatchObject({ status: 'applied', counts: { entries: 2, unmatched: 1, ignored: 1 } });
    expect(second.status).toBe('duplicate');
    expect(writes).toHaveLength(2);
    expect(writes.map((write) => ('created' in write.payment ? write.payment.created.status : ''))).toEqual(['UNMATCHED', 'IGNORED']);
    expect([...bucket.keys()].sort()).toEqual(['processed/a.xml', 'processed/b.xml']);
  });

  it('given an event for a file already moved, when it is redelivered, then nothing happens', async () => {
    const { deps, writes } = harness({});

    expect(await receiveBankFile({ fileKey: 'inbound/gone.xml' }, deps)).toEqual({ status: 'gone' });
    expect(writes).toEqual([]);
  });
});
