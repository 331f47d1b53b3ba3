/**
 * Money is an integer count of a currency's minor units (cents, fils, yen). The exponent comes from ISO 4217 as
 * shipped in the runtime's ICU data (`Intl`), so JPY has 0 decimals, EUR 2, KWD 3, with no table of our own to drift.
 */

const activeCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return activeCurrencies.has(code);
}

export function minorUnitDigits(currency: string): number {
  if (!isCurrency(currency)) throw new RangeError(`Unknown ISO 4217 currency ${currency}`);
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Largest amount we accept in minor units: keeps every sum of 500 lines far inside `Number.MAX_SAFE_INTEGER`. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

/** `amount × rate / 10 000` rounded half away from zero, in integers only (rate in basis points of a percent × 100). */
export function applyRateHalfUp(amountMinor: number, rateBasisPoints: number): number {
  const product = BigInt(amountMinor) * BigInt(rateBasisPoints);
  const divisor = 10_000n;
  const sign = product < 0n ? -1n : 1n;
  const magnitude = product * sign;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return Number(rounded * sign);
}

/** Renders minor units for people, e.g. `1999 EUR` → `19.99 EUR`; string arithmetic, never floats. */
export function formatMinor(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amountMinor < 0;
  const text = Math.abs(amountMinor).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction} ${currency}`;
}
