import { describe, expect, it } from 'vitest';
import { compactIdentifier, formatAmount, formatAmountIn, formatDateIn, formatMoney, formatMoneyIn, formatQuantity, groupInFours, minorToDecimalString, ppmToPercentString, taxLabel } from '../../../shared/documents/format.ts';

describe('document formatting', () => {
  it.each([
    [1999, 'EUR', '19.99'],
    [5, 'EUR', '0.05'],
    [-5, 'EUR', '-0.05'],
    [0, 'EUR', '0.00'],
    [10000, 'EUR', '100.00'],
    [1500, 'JPY', '1500'],
    [0, 'JPY', '0'],
    [12345, 'KWD', '12.345'],
    [7, 'KWD', '0.007'],
    [-12345, 'BHD', '-12.345'],
    [1_000_000_000_000, 'EUR', '10000000000.00'],
  ])('given %i minor units of %s, when written for UBL, then the decimal string is %s', (minor, currency, expected) => {
    expect(minorToDecimalString(minor, currency)).toBe(expected);
  });

  it('given a fractional or unsafe amount, when written, then it is refused rather than rounded', () => {
    expect(() => minorToDecimalString(19.99, 'EUR')).toThrow(RangeError);
    expect(() => minorToDecimalString(Number.MAX_SAFE_INTEGER + 1, 'EUR')).toThrow(RangeError);
    expect(() => minorToDecimalString(100, 'XYZ')).toThrow(RangeError);
  });

  it.each([
    [123456, 'EUR', '1,234.56'],
    [99, 'EUR', '0.99'],
    [-123456789, 'EUR', '-1,234,567.89'],
    [1500000, 'JPY', '1,500,000'],
    [1234567, 'KWD', '1,234.567'],
  ])('given %i minor units of %s, when formatted for people, then it reads %s', (minor, currency, expected) => {
    expect(formatAmount(minor, currency)).toBe(expected);
  });

  it('given an amount, when formatted with its code, then the code leads', () => {
    expect(formatMoney(35965, 'EUR')).toBe('EUR 359.65');
    expect(formatMoney(10470, 'KWD')).toBe('KWD 10.470');
  });

  it.each([
    [190_000, '19'],
    [70_000, '7'],
    [77_000, '7.7'],
    [88_750, '8.875'],
    [0, '0'],
    [5, '0.0005'],
    [1_000_000, '100'],
  ])('given a rate of %i ppm, when written as a percent, then it is %s', (ppm, expected) => {
    expect(ppmToPercentString(ppm)).toBe(expected);
  });

  it('given an IBAN or RF reference in any spacing, when grouped, then groups of four from the left', () => {
    expect(groupInFours('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    expect(groupInFours('de89 3704 0044 0532 0130 00')).toBe('DE89 3704 0044 0532 0130 00');
    expect(groupInFours('RF18539007547034')).toBe('RF18 5390 0754 7034');
    expect(compactIdentifier(' rf18 5390 0754 7034 ')).toBe('RF18539007547034');
  });

  it('given quantities, when printed, then plain decimals only', () => {
    expect(formatQuantity(3)).toBe('3');
    expect(formatQuantity(0.5)).toBe('0.5');
    expect(() => formatQuantity(1e21)).toThrow(RangeError);
    expect(() => formatQuantity(Number.NaN)).toThrow(RangeError);
  });

  it('given tax categories, when labelled, then rate and category read naturally', () => {
    expect(taxLabel('S', 190_000)).toBe('VAT 19 %');
    expect(taxLabel('AE', 0)).toBe('Reverse charge 0 %');
    expect(taxLabel('O', 0)).toBe('Not subject to VAT');
  });
});

describe('amounts and dates in the customer language', () => {
  it.each([
    [123_456, 'EUR', 'de', '1.234,56 €'],
    [123_456, 'EUR', 'en', 'EUR 1,234.56'],
    [1_708_000, 'JPY', 'de', '1.708.000 ¥'],
    [12_345, 'KWD', 'de', '12,345 KWD'],
    [12_345, 'KWD', 'en', 'KWD 12.345'],
    [5, 'EUR', 'de', '0,05 €'],
    [-3_569, 'EUR', 'de', '-35,69 €'],
    [900_719_925_474_099, 'EUR', 'de', '9.007.199.254.740,99 €'], // beyond what a float keeps to the cent
  ] as const)('given %i minor units of %s, when formatted for %s, then it reads %s', (minor, currency, language, expected) => {
    expect(formatMoneyIn(minor, currency, language)).toBe(expected);
  });

  it('given amounts without currency, when formatted for a table, then only the separators differ', () => {
    expect([formatAmountIn(123_456, 'EUR', 'de'), formatAmountIn(123_456, 'EUR', 'en'), formatAmountIn(0, 'JPY', 'de')]).toEqual(['1.234,56', '1,234.56', '0']);
  });

  it.each([
    ['2026-12-24', 'de', '24.12.2026'],
    ['2026-12-24', 'en', '24 Dec 2026'],
    ['2026-09-04', 'en', '4 Sep 2026'],
  ] as const)('given %s, when formatted for %s, then it reads %s', (date, language, expected) => {
    expect(formatDateIn(date, language)).toBe(expected);
  });

  it('given something that is not an ISO date, when formatted, then it is refused', () => {
    expect(() => formatDateIn('24.12.2026', 'de')).toThrow(RangeError);
  });
});
