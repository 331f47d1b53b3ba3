import { describe, expect, it } from 'vitest';
import { detectBankFileFormat, parseBankFile } from '#shared/bank/parse';

describe('bank file format detection', () => {
  it.each([
    ['<?xml version="1.0"?><Document>', 'camt053'],
    ['\uFEFF  <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">', 'camt053'],
    ['01,122099999,123456789,150623,0200,1,,,2/', 'bai2'],
    ['{1:F01ABNANL2AXXX0000000000}{2:I940ABNANL2AXXXN}{4:\r\n:20:ABN AMRO BANK NV', 'mt940'],
    [':20:STARTUMS\n:25:12345678/0001234567\n:61:', 'mt940'],
    ['date;amount;text\n2026-11-23;12,50;x', 'csv'],
  ])('given a file starting %j, when detected, then %s', (start, format) => {
    expect(detectBankFileFormat(start)).toBe(format);
  });

  it('given a CSV without a mapping profile, when parsed, then it is refused with what to do', () => {
    expect(() => parseBankFile('date;amount\n2026-11-23;1,00')).toThrow(/column-mapping profile/);
  });
});
