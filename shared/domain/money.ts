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

/** `numerator / denominator` rounded half away from zero, in integers only. */
export function divideHalfUp(numerator: bigint, denominator: bigint): number {
  return Number(divideHalfUpExact(numerator, denominator));
}

/** `numerator / denominator` rounded half away from zero, as a bigint: no size limit, for exact ratios. */
export function divideHalfUpExact(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const sign = numerator < 0n ? -1n : 1n;
  const magnitude = numerator * sign;
  return ((magnitude * 2n + denominator) / (2n * denominator)) * sign;
}

/**
 * The share of `totalMinor` that belongs to `part` of `whole`, half-up: `total × part / whole`. A part equal to the
 * whole carries the total exactly, and the share never falls as the part grows.
 */
export function prorate(totalMinor: number, part: number, whole: number): number {
  if (whole === 0) return 0;
  return divideHalfUp(BigInt(totalMinor) * BigInt(part), BigInt(whole));
}

/**
 * The next piece of a running total. When a whole is taken in pieces (units of a line shipped, net of a rate
 * credited), the piece between the running totals `before` and `after` carries `prorate(total, after) −
 * prorate(total, before)`: the pieces add up to `total` exactly, each is within one minor unit of its exact
 * share, and the piece that completes the whole takes the remainder. Every partial document (an invoice for a
 * shipment, a credit note for part of an invoice) takes its amounts this way, never by a fresh computation.
 */
export function runningShare(totalMinor: number, whole: number, before: number, after: number): number {
  return prorate(totalMinor, after, whole) - prorate(totalMinor, before, whole);
}

/** `numerator / denominator` rounded up, in integers only (denominator positive). */
export function divideCeil(numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError('denominator must be positive');
  const quotient = BigInt(numerator) / BigInt(denominator);
  return Number(BigInt(numerator) % BigInt(denominator) > 0n ? quotient + 1n : quotient);
}

/**
 * Rates are integers in parts per million of the amount: 19 % = 190 000, 7.7 % = 77 000, New York's 8.875 % =
 * 88 750. Fine enough for every published sales-tax rate, and exact.
 */
const PPM = 1_000_000n;

/** `amount × rate` rounded half away from zero, in integers only. */
export function applyRateHalfUp(amountMinor: number, ratePpm: number): number {
  return divideHalfUp(BigInt(amountMinor) * BigInt(ratePpm), PPM);
}

/** The tax inside a tax-inclusive gross amount: gross − gross / (1 + rate), the net rounded half-up. */
export function taxIncludedIn(grossMinor: number, ratePpm: number): number {
  const net = divideHalfUp(BigInt(grossMinor) * PPM, PPM + BigInt(ratePpm));
  return grossMinor - net;
}

/** Renders minor units for people, e.g. `1999 EUR` → `19.99 EUR`; string arithmetic, never floats. */
export function formatMinor(amountMinor: number, currency: string): string {
  return `${minorToDecimalString(amountMinor, currency)} ${currency}`;
}

/**
 * Parses a decimal amount as stores send it (`"19.99"`, `"1200"`, `"2.750"`, `"-3.5"`) into minor units of
 * `currency` with string arithmetic only. More decimals than the currency has are refused, not rounded: a store
 * that sends `19.999 EUR` has a problem we must not hide.
 */
export function parseDecimalMinor(amount: string | number, currency: string): number {
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  const digits = minorUnitDigits(currency);
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > digits) throw new RangeError(`"${text}" has more decimals than ${currency} allows (${digits})`);
  const minor = Number(`${whole}${significant.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor) || minor > MAX_AMOUNT_MINOR) throw new RangeError(`"${text}" is out of range`);
  return sign === '-' ? -minor : minor;
}

/** JSON numbers from a store (`19.99`) in their shortest round-trip form, never exponent notation. */
function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not an amount`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  throw new RangeError(`${text} is not a plain decimal amount`);
}

/** A percentage as stores send it (`19`, `"7.5"`, `"8.8750"`) → parts per million (190 000, 75 000, 88 750). */
export function percentToPpm(percent: string | number): number {
  return decimalToScaledInteger(percent, 4, 'percentage');
}

/** A rate as a fraction (`0.19`, `0.08875`) → parts per million (190 000, 88 750). */
export function fractionToPpm(rate: string | number): number {
  return decimalToScaledInteger(rate, 6, 'rate');
}

function decimalToScaledInteger(value: string | number, decimals: number, what: string): number {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a ${what}`);
  const [, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > decimals) throw new RangeError(`"${text}" is finer than a millionth`);
  return Number(`${whole}${significant.padEnd(decimals, '0')}`);
}

export function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/** Places a decimal point `digits` places from the right of an integer's digits: (-5, 3) → `-0.005`. */
function scaledIntegerToDecimal(value: number | bigint, digits: number): { sign: string; whole: string; fraction: string } {
  const exact = BigInt(value);
  const text = (exact < 0n ? -exact : exact).toString().padStart(digits + 1, '0');
  return {
    sign: exact < 0n ? '-' : '',
    whole: digits === 0 ? text : text.slice(0, -digits),
    fraction: digits === 0 ? '' : text.slice(-digits),
  };
}

/**
 * Minor units as the plain decimal string UBL amounts need, with exactly the currency's ISO 4217 exponent:
 * `(1999, 'EUR')` → `19.99`, `(1500, 'JPY')` → `1500`, `(12345, 'KWD')` → `12.345`, `(-5, 'EUR')` → `-0.05`.
 * No grouping, no currency code: a receiving system must parse it back to the same minor units.
 */
export function minorToDecimalString(minor: number, currency: string): string {
  assertSafeInteger(minor, 'amount');
  return scaledToDecimalString(BigInt(minor), minorUnitDigits(currency));
}

/** An integer scaled by 10^`digits` as a plain decimal with exactly that many decimals: (7371n, 2) → `73.71`, (-5n, 2) → `-0.05`. */
export function scaledToDecimalString(scaled: bigint, digits: number): string {
  const { sign, whole, fraction } = scaledIntegerToDecimal(scaled, digits);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A rate in parts per million as the shortest exact percent string, as UBL `cbc:Percent` and the PDF show it:
 * 190 000 → `19`, 70 000 → `7`, 77 000 → `7.7`, 88 750 → `8.875`, 0 → `0`, 5 → `0.0005`.
 */
export function ppmToPercentString(ppm: number): string {
  assertSafeInteger(ppm, 'rate');
  const { sign, whole, fraction } = scaledIntegerToDecimal(ppm, 4);
  const significant = fraction.replace(/0+$/, '');
  return `${sign}${whole}${significant ? `.${significant}` : ''}`;
}

/** True when an exact amount (a product or sum taken in bigint) is one we accept: 0 ≤ amount ≤ `MAX_AMOUNT_MINOR`. */
export function isWithinAmountLimit(amountMinor: bigint): boolean {
  return amountMinor >= 0n && amountMinor <= BigInt(MAX_AMOUNT_MINOR);
}
