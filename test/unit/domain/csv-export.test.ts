import { describe, expect, it } from 'vitest';
import { toCsv } from '#domain/csv-export';

describe('toCsv', () => {
  it('given rows in EUR, JPY and KWD, when exported, then money is a decimal string in each currency exponent under its name without Minor', () => {
    const csv = toCsv([
      { id: 'A', currency: 'EUR', openMinor: 7136 },
      { id: 'B', currency: 'JPY', openMinor: 1500 },
      { id: 'C', currency: 'KWD', openMinor: -5 },
    ]);

    expect(csv).toBe('id,currency,open\r\nA,EUR,71.36\r\nB,JPY,1500\r\nC,KWD,-0.005\r\n');
  });

  it('given text with commas, quotes, line breaks or a leading formula sign, when exported, then it is quoted and the formula defused', () => {
    const csv = toCsv([{ name: 'Acme, "the best"', note: '=HYPERLINK("x")', lines: [1, 2], at: 'two\nlines' }]);

    expect(csv).toBe('name,note,at\r\n"Acme, ""the best""","\'=HYPERLINK(""x"")","two\nlines"\r\n');
  });

  it('given rows with different fields, when exported, then the header is their union in order of appearance and missing cells are empty', () => {
    expect(toCsv([{ a: 1 }, { b: true }])).toBe('a,b\r\n1,\r\n,true\r\n');
  });
});
