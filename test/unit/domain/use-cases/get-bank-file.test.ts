import { describe, expect, it } from 'vitest';
import { BankFileError } from '#domain/bank-statement';
import { defaultMatchingPolicy } from '#domain/cash-matching';
import type { BankFileRecord } from '#domain/ports';
import { getBankFile } from '#domain/use-cases/payments';
import { receiveBankFile, type ReceiveBankFileDeps } from '#domain/use-cases/receive-bank-file';

const unreadable = new BankFileError('unexpected end of the XML document', 'line 12, column 3');

/** A bucket and a bank-file table in memory; files quarantined through the real use case, so the report is the one it writes. */
function harness(files: Record<string, string>) {
  const bucket = new Map(Object.entries(files));
  const records = new Map<string, BankFileRecord>();
  const payments = {
    getBankFile: async (sha256: string) => records.get(sha256),
    saveBankFile: async (record: BankFileRecord) => void records.set(record.sha256, record),
  };
  const filesPort = {
    read: async (key: string) => bucket.get(key),
    put: async (key: string, body: string) => void bucket.set(key, body),
    move: async (key: string, prefix: string) => {
      const target = `${prefix}${key.replace(/^inbound\//, '')}`;
      bucket.set(target, bucket.get(key) ?? '');
      bucket.delete(key);
      return target;
    },
  };
  const receive = {
    files: filesPort,
    payments,
    clock: { now: () => new Date('2026-11-23T08:00:00Z') },
    ids: { next: () => 'ID' },
    policy: defaultMatchingPolicy,
    parse: async () => {
      throw unreadable;
    },
    maxBytes: 1_000_000,
    prefixes: { processed: 'processed/', quarantine: 'quarantine/' },
  } as unknown as ReceiveBankFileDeps;
  return { bucket, records, receive, deps: { payments, files: filesPort } };
}

describe('getBankFile', () => {
  it('given a file quarantined as unreadable, when read by its SHA-256, then its record, where it is kept and its report with the message and the place', async () => {
    const { receive, deps, records } = harness({ 'inbound/2026-11-23/cut.xml': '<Document><BkToCstmrStmt>' });
    await receiveBankFile({ fileKey: 'inbound/2026-11-23/cut.xml' }, receive);
    const [sha256] = [...records.keys()];

    const file = await getBankFile(sha256!.toUpperCase(), deps);

    expect(file).toEqual({
      sha256,
      fileKey: 'inbound/2026-11-23/cut.xml',
      status: 'QUARANTINED',
      format: undefined,
      statements: undefined,
      counts: undefined,
      error: { message: unreadable.message, location: 'line 12, column 3' },
      quarantinedAs: 'quarantine/2026-11-23/cut.xml',
      receivedAt: '2026-11-23T08:00:00.000Z',
      processedAt: '2026-11-23T08:00:00.000Z',
      reportKey: 'quarantine/2026-11-23/cut.xml.report.json',
      report: {
        file: 'inbound/2026-11-23/cut.xml',
        quarantinedAs: 'quarantine/2026-11-23/cut.xml',
        sha256,
        error: { message: unreadable.message, location: 'line 12, column 3' },
        at: '2026-11-23T08:00:00.000Z',
        applied: 0,
      },
    });
  });

  it('given an applied file, when read, then its format, statements and counts, and no report', async () => {
    const { deps, records } = harness({});
    const sha256 = 'a'.repeat(64);
    records.set(sha256, {
      sha256,
      fileKey: 'inbound/a.xml',
      status: 'APPLIED',
      format: 'camt053',
      statements: [{ id: 'S-1', account: 'DE02120300000000202051', currency: 'EUR', openingMinor: 0, closingMinor: 500, balanced: true, entries: 1 }],
      counts: { entries: 1, applied: 1 },
      receivedAt: '2026-11-23T08:00:00.000Z',
      processedAt: '2026-11-23T08:00:01.000Z',
    });

    expect(await getBankFile(sha256, deps)).toMatchObject({ status: 'APPLIED', format: 'camt053', counts: { entries: 1, applied: 1 }, statements: [{ id: 'S-1', entries: 1 }], reportKey: null, report: null });
  });

  it('given a quarantined record from before quarantinedAs was kept, when read, then the record without a report rather than a guess', async () => {
    const { deps, records } = harness({});
    const sha256 = 'b'.repeat(64);
    records.set(sha256, { sha256, fileKey: 'inbound/old.xml', status: 'QUARANTINED', error: { message: 'bad' }, receivedAt: '2026-11-01T00:00:00Z', processedAt: '2026-11-01T00:00:00Z' });

    expect(await getBankFile(sha256, deps)).toMatchObject({ status: 'QUARANTINED', error: { message: 'bad' }, quarantinedAs: undefined, report: null });
  });

  it('given a SHA-256 never received, then 404; given something that is no SHA-256, then 400', async () => {
    const { deps } = harness({});

    await expect(getBankFile('c'.repeat(64), deps)).rejects.toMatchObject({ name: 'NotFound', httpStatus: 404 });
    await expect(getBankFile('not-a-hash', deps)).rejects.toMatchObject({ name: 'InvalidRequest', httpStatus: 400 });
  });
});
