import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bankParse } from '#local/bank-commands';

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/bank/${path}`, import.meta.url));

describe('o2c bank parse', () => {
  it('given a camt.053 file with structured remittance, when printed as text, then each entry with documents lists them with decimal amounts', () => {
    const lines = bankParse([fixture('camt053/o2c-remittance-v08.xml')]).split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'O2C-REMIT-20260312 DE89370400440532013000 EUR: 3 entries, opening 1000000, closing 1339000',
      '  O2C-REMIT-20260312:1 2740.00 EUR 2026-03-12 2026031200001: 4 remittance documents',
      '    INV-2026-0101 (CINV): paid 1176.00, due 1200.00, discount 24.00',
      '    INV-2026-0102 (CINV): paid 950.00, due 1000.00, deducted 50.00 (DAMG: 2 cartons damaged in transit)',
      '    INV-2026-0103 (CINV): paid 714.00, due 700.00, added 14.00 (INTR: late payment interest)',
      '    CN-2026-0007 (CREN): due 100.00',
      '  O2C-REMIT-20260312:2 500.00 EUR 2026-03-12 2026031200002: 1 remittance document',
      '    RF18539007547034',
    ]);
    // The third entry has unstructured remittance only: it is not listed.
    expect(lines.slice(8)).toEqual(['']);
  });

  it('given KWD and JPY statements, when printed as text, then amounts have the currency\'s decimals', () => {
    expect(bankParse([fixture('camt053/o2c-remittance-kwd-v04.xml')])).toContain('    INV-KW-0017 (CINV): paid 1234.567, due 1250.000, discount 15.433\n');
    expect(bankParse([fixture('camt053/o2c-remittance-jpy-v02.xml')])).toContain('    INV-J-0001 (CINV): paid 49000, due 50000, discount 1000\n');
  });

  it('given a file without structured remittance, when printed as text, then only the statement line as before', () => {
    expect(bankParse([fixture('camt053/oca-test-camt053-v02.xml')])).toBe('1234Test/1 NL77ABNA0574908765 EUR: 4 entries, opening 1556827, closing 1512112 (DOES NOT BALANCE)\n');
  });

  it('given --json, when printed, then the entries carry their remittanceDocuments in minor units', () => {
    const parsed = JSON.parse(bankParse([fixture('bai2/o2c-ach-remittance.bai'), '--json'])) as { statements: { entries: { remittanceDocuments?: unknown[] }[] }[] };
    const [statement] = parsed.statements;
    expect(statement?.entries[0]?.remittanceDocuments).toEqual([{ number: 'INV-2026-000118', kind: 'CINV', paidMinor: 124_000, dueMinor: 125_000, discountMinor: 1_000 }]);
    expect(statement?.entries[3]).not.toHaveProperty('remittanceDocuments');
  });

  it('given a CSV file with its profile, when printed as text, then the documents of each transfer are listed', () => {
    const text = bankParse([fixture('csv/o2c-lockbox-remittance.csv'), '--profile', fixture('csv/o2c-lockbox-remittance.profile.json')]);
    expect(text).toContain('    INV-2026-000131: paid 1190.00, due 1250.00, discount 10.00, deducted 50.00 (03: 2 cartons damaged)\n    INV-2026-000132: paid 2380.00, due 2380.00\n    CM-2026-0009 (CREN): paid 120.00, due 120.00\n');
  });
});
