import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#shared/state-machine-definitions';
import { verifyDevToken } from '../../local/dev-tokens.ts';

const o2c = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin/o2c.js'), ...args], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });

describe('the o2c command', () => {
  it('given a role, when minting a token, then it prints a JWT the local gateway accepts with that role', async () => {
    const result = o2c('token', '--role', 'credit-manager');

    expect(result.status).toBe(0);
    const claims = await verifyDevToken(`Bearer ${result.stdout.trim()}`);
    expect(claims?.['cognito:groups']).toEqual(['credit-manager']);
  });

  it('given an unknown role, when minting a token, then it exits 1 naming the roles', () => {
    const result = o2c('token', '--role', 'owner');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/viewer, ar-clerk, credit-manager, admin/);
  });

  it('given ship without an order id, when run, then it exits 1 saying what is missing', () => {
    const result = o2c('ship');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ship needs an ORDER_ID/);
  });

  it('given a real camt.053 file, when parsed with --json, then the normalized statements come out on stdout', () => {
    const result = o2c('bank', 'parse', join(repoRoot, 'test/fixtures/bank/camt053/kedder-simple-dnb-v02.xml'), '--json');

    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as { format: string; statements: { openingMinor: number; closingMinor: number; entries: unknown[] }[] };
    expect(parsed.format).toBe('camt053');
    expect(parsed.statements[0]).toMatchObject({ openingMinor: 30653, closingMinor: 12552 });
    expect(parsed.statements[0]!.entries).toHaveLength(4);
  });

  it('given a file that is not camt.053, when parsed as camt053, then it exits 1 with the reason', () => {
    const result = o2c('bank', 'parse', join(repoRoot, 'test/fixtures/orders/generic-order.json'), '--format', 'camt053');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is not a valid camt053 file: .*not well-formed XML/);
  });

  it('given open invoices and a statement, when reconciling with --json, then the DESIGN §4 report of what would be applied, and nothing else happens', () => {
    const fixture = (name: string) => join(repoRoot, 'test/fixtures/bank/reconcile', name);
    const result = o2c('reconcile', '--invoices', fixture('open-invoices.json'), '--statement', fixture('statement.camt053.xml'), '--json');

    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, { bankReference: string; invoiceId?: string; amountMinor: number; rule?: string; kind?: string }[]>;
    expect(report.allocations?.map(({ bankReference, invoiceId, amountMinor, rule }) => [bankReference, invoiceId, amountMinor, rule])).toEqual([
      ['BR-1', 'inv-1', 11900, 'rf-reference'],
      ['BR-2', 'inv-3', 98000, 'invoice-number'],
      ['BR-3', 'inv-2', 5000, 'amount-exact'],
      ['BR-4', 'inv-4', 2500, 'invoice-number'],
    ]);
    expect(report.adjustments).toMatchObject([{ bankReference: 'BR-2', invoiceId: 'inv-3', kind: 'discount', amountMinor: 2000 }]);
    expect(report.unapplied).toMatchObject([{ bankReference: 'BR-4', amountMinor: 500 }]);
    expect(report.unmatched).toMatchObject([{ bankReference: 'BR-5' }]);
    expect(report.ignored).toMatchObject([{ bankReference: 'BR-6', amountMinor: -1250 }]);
  });

  it('given an invoices file with a float amount, when reconciling, then it exits 1 naming the field', () => {
    const result = o2c('reconcile', '--invoices', join(repoRoot, 'test/fixtures/orders/generic-order.json'), '--statement', join(repoRoot, 'test/fixtures/bank/reconcile/statement.camt053.xml'));

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/generic-order\.json: .*expected array/);
  });

  it('given a CSV export and its column profile, when parsed, then the entries come out signed in minor units', () => {
    const csv = join(repoRoot, 'test/fixtures/bank/csv/ofxdutch-ing_ok.csv');
    const result = o2c('bank', 'parse', csv, '--format', 'csv', '--profile', csv.replace(/\.csv$/, '.profile.json'), '--json');
    const withoutProfile = o2c('bank', 'parse', csv, '--account', 'NL99INGB9999999999', '--json');

    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { format: string }).format).toBe('csv');
    expect(withoutProfile.status).toBe(0);
    const inferred = JSON.parse(withoutProfile.stdout) as { format: string; inferredProfile: { account: string; amount: unknown }; statements: { entries: { amountMinor: number }[] }[] };
    expect(inferred.format).toBe('csv');
    expect(inferred.inferredProfile).toMatchObject({ account: 'NL99INGB9999999999', amount: { column: 'Bedrag (EUR)', indicator: { column: 'Af Bij' } } });
    expect(inferred.statements[0]?.entries.map((entry) => entry.amountMinor)).toEqual((JSON.parse(result.stdout) as typeof inferred).statements[0]?.entries.map((entry) => entry.amountMinor));
  });

  it('given a CSV whose dates read as DD/MM and MM/DD alike, when parsed without a profile, then it exits 1 naming the columns and asking for --profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'o2c-csv-'));
    const csv = join(dir, 'us.csv');
    writeFileSync(csv, 'Date,Description,Amount,Currency\n01/02/2026,INV-1,19.99,USD\n');
    const result = o2c('bank', 'parse', csv);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DD\/MM\/YYYY or MM\/DD\/YYYY .*"Date", "Description", "Amount", "Currency".*--profile/);
  });

  it('given no command, when run, then it prints the usage', () => {
    expect(o2c().stdout).toMatch(/Usage: o2c <command>/);
  });
});
