import { describe, expect, it } from 'vitest';
import { applyRateHalfUp, formatMinor, fractionToPpm, isCurrency, minorUnitDigits, parseDecimalMinor, percentToPpm, taxIncludedIn } from '#domain/money';

describe('money', () => {
  it.each([
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['USD', 2],
  ])('given %s, when asked for its exponent, then ISO 4217 says %i', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });

  it('given codes that are not ISO 4217 currencies, when checked, then they are refused', () => {
    expect(isCurrency('XYZ')).toBe(false);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('EUR')).toBe(true);
  });

  it.each([
    [3998, 190_000, 760], // 759.62 → 760
    [1050, 100_000, 105],
    [5, 100_000, 1], // 0.5 → 1 (half up)
    [4, 100_000, 0], // 0.4 → 0
    [-5, 100_000, -1], // half away from zero for credits
    [1999, 77_000, 154], // 7.7 %: 153.923 → 154
    [10_000, 88_750, 888], // New York 8.875 %: 887.5 → 888
  ])('given %i minor units at %i ppm, when tax is applied, then it rounds half-up to %i', (amount, rate, expected) => {
    expect(applyRateHalfUp(amount, rate)).toBe(expected);
  });

  it('given amounts near the top of the accepted range, when a rate is applied, then no precision is lost', () => {
    expect(applyRateHalfUp(999_999_999_999, 190_000)).toBe(190_000_000_000);
  });

  it.each([
    [1999, 'EUR', '19.99 EUR'],
    [5, 'EUR', '0.05 EUR'],
    [1200, 'JPY', '1200 JPY'],
    [2750, 'KWD', '2.750 KWD'],
    [-150, 'EUR', '-1.50 EUR'],
  ])('given %i %s, when formatted, then it reads %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency)).toBe(text);
  });
});

describe('parsing store amounts', () => {
  it.each([
    ['19.99', 'EUR', 1999],
    ['19.9', 'EUR', 1990],
    ['19.990', 'EUR', 1999],
    ['1200', 'JPY', 1200],
    ['1200.00', 'JPY', 1200],
    ['2.750', 'KWD', 2750],
    ['0.005', 'BHD', 5],
    ['-3.50', 'EUR', -350],
  ])('given "%s" %s, when parsed, then %i minor units', (text, currency, minor) => {
    expect(parseDecimalMinor(text, currency)).toBe(minor);
  });

  it.each([['19.999', 'EUR'], ['1200.5', 'JPY'], ['1e3', 'EUR'], ['', 'EUR'], ['12,50', 'EUR']])('given "%s" %s, when parsed, then it is refused rather than rounded', (text, currency) => {
    expect(() => parseDecimalMinor(text, currency)).toThrow(RangeError);
  });

  it.each([
    ['0.19', 190_000],
    [0.077, 77_000],
    ['0.08875', 88_750],
  ])('given the rate %s as a fraction, when converted, then %i ppm', (rate, ppm) => {
    expect(fractionToPpm(rate)).toBe(ppm);
  });

  it.each([
    ['19.0000', 190_000],
    [7.7, 77_000],
    ['8.875', 88_750],
    ['8.87501', undefined],
  ])('given %s percent, when converted, then %s ppm', (percent, ppm) => {
    if (ppm === undefined) expect(() => percentToPpm(percent)).toThrow(RangeError);
    else expect(percentToPpm(percent)).toBe(ppm);
  });

  it('given tax-inclusive 19.99 at 19 %, when the tax is extracted, then 3.19 (net 16.80 rounded half-up)', () => {
    expect(taxIncludedIn(1999, 190_000)).toBe(319);
  });
});
