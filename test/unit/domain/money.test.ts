import { describe, expect, it } from 'vitest';
import { applyRateHalfUp, formatMinor, isCurrency, minorUnitDigits } from '#domain/money';

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
    [3998, 1900, 760], // 759.62 → 760
    [1050, 1000, 105],
    [5, 1000, 1], // 0.5 → 1 (half up)
    [4, 1000, 0], // 0.4 → 0
    [-5, 1000, -1], // half away from zero for credits
    [1999, 770, 154], // 7.7 %: 153.923 → 154
  ])('given %i minor units at %i bp, when tax is applied, then it rounds half-up to %i', (amount, rate, expected) => {
    expect(applyRateHalfUp(amount, rate)).toBe(expected);
  });

  it('given amounts near the top of the accepted range, when a rate is applied, then no precision is lost', () => {
    expect(applyRateHalfUp(999_999_999_999, 1900)).toBe(190_000_000_000);
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
