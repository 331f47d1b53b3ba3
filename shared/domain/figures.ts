/**
 * How reports state a figure that is not an amount: a number of days (DSO), a percentage (CEI, a match rate) or a
 * duration. Every such figure is an exact rational computed in bigint, never a float, and is stated twice:
 * - as a decimal string with exactly two decimals, rounded half away from zero (`"73.71"`), for people and for
 *   dashboards; a string, because a JSON number invites a reader to do float arithmetic on it, and because
 *   `"8.00"` keeps the two decimals that a number would drop;
 * - as the exact fraction (`{numerator: "516", denominator: "7"}`, lowest terms, denominator positive, both integer
 *   strings so no size is lost), so a person or an acceptance check can recompute the figure from its inputs and
 *   compare exactly, without arguing about a rounding in the last place.
 *
 * A figure whose denominator is zero (no credit sales, nothing collectible) has no value: `null` in both places,
 * never 0 or Infinity, which would read as a real result.
 */
import { divideCeil, divideHalfUpExact, scaledToDecimalString } from './money.ts';

/** Decimals of every rendered day count and percentage. */
export const FIGURE_DECIMALS = 2;

/** An exact value: numerator / denominator in lowest terms, denominator > 0, both base-10 integers. */
export interface Exact {
  numerator: string;
  denominator: string;
}

/** A rational in bigint, reduced, denominator positive. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

/** `numerator / denominator` reduced, or `undefined` when the denominator is zero (the figure has no value). */
export function fraction(numerator: bigint, denominator: bigint): Fraction | undefined {
  if (denominator === 0n) return undefined;
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator);
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

export function sum(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator) as Fraction;
}

export function difference(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator) as Fraction;
}

export const exactOf = (value: Fraction): Exact => ({ numerator: value.numerator.toString(), denominator: value.denominator.toString() });

/** Reads an `Exact` back (to recompute or combine figures); refuses anything that is not one. */
export function fractionOf(exact: Exact): Fraction {
  if (!/^-?\d+$/.test(exact.numerator) || !/^\d+$/.test(exact.denominator)) throw new RangeError(`${JSON.stringify(exact)} is not an exact fraction`);
  const value = fraction(BigInt(exact.numerator), BigInt(exact.denominator));
  if (!value) throw new RangeError(`${JSON.stringify(exact)} has a zero denominator`);
  return value;
}

/** The fraction as a decimal string with `FIGURE_DECIMALS` decimals, half away from zero: 516/7 → `73.71`. */
export function decimalOf(value: Fraction): string {
  const scale = 10n ** BigInt(FIGURE_DECIMALS);
  return scaledToDecimalString(divideHalfUpExact(value.numerator * scale, value.denominator), FIGURE_DECIMALS);
}

/** A number of days, rendered and exact; both `null` when it has no value. */
export interface DaysFigure {
  days: string | null;
  exact: Exact | null;
}

/** A percentage, rendered and exact; both `null` when it has no value. */
export interface PercentFigure {
  percent: string | null;
  exact: Exact | null;
}

export const daysFigure = (value: Fraction | undefined): DaysFigure => ({ days: value ? decimalOf(value) : null, exact: value ? exactOf(value) : null });
export const percentFigure = (value: Fraction | undefined): PercentFigure => ({ percent: value ? decimalOf(value) : null, exact: value ? exactOf(value) : null });

/**
 * A part of a whole counted or summed from items (invoices, payments, orders): the two inputs and `part / whole`
 * as a percentage. `percent` is `null` when the whole is zero. The inputs are the exact value: part × 100 / whole.
 */
export interface Share {
  part: number;
  whole: number;
  percent: string | null;
}

export function share(part: number, whole: number): Share {
  const value = fraction(BigInt(part) * 100n, BigInt(whole));
  return { part, whole, percent: value ? decimalOf(value) : null };
}

/**
 * The nearest-rank percentile of `values` (any order): the smallest value with at least `percent` % of the values
 * at or below it. It is always one of the values (no interpolation, so no rounding), and the median of an even
 * count is the lower of the two middle values. `undefined` for no values.
 */
export function nearestRank(values: readonly number[], percent: number): number | undefined {
  if (values.length === 0) return undefined;
  if (!Number.isInteger(percent) || percent <= 0 || percent > 100) throw new RangeError(`a percentile is an integer in 1..100, got ${percent}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[divideCeil(percent * sorted.length, 100) - 1];
}

const SECONDS_PER_DAY = 86_400n;

/** A duration in whole seconds and, for people, in days with two decimals. */
export interface Duration {
  seconds: number;
  days: string;
}

export const durationOf = (seconds: number): Duration => ({ seconds, days: decimalOf(fraction(BigInt(seconds), SECONDS_PER_DAY) as Fraction) });

/** Whole seconds from one ISO instant to another (negative when `to` is earlier). */
export function secondsBetween(from: string, to: string): number {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError(`not ISO instants: ${JSON.stringify(from)}, ${JSON.stringify(to)}`);
  return Number((BigInt(end) - BigInt(start)) / 1000n);
}

/**
 * How long things took: the count, the nearest-rank median and 90th percentile, and every sample with the id of
 * what it measures, so each figure can be found again in the samples.
 */
export interface DurationStats {
  count: number;
  median: Duration | null;
  p90: Duration | null;
  samples: { id: string; seconds: number }[];
}

export function durationStats(samples: readonly { id: string; seconds: number }[]): DurationStats {
  const seconds = samples.map((sample) => sample.seconds);
  const median = nearestRank(seconds, 50);
  const p90 = nearestRank(seconds, 90);
  return { count: samples.length, median: median === undefined ? null : durationOf(median), p90: p90 === undefined ? null : durationOf(p90), samples: [...samples] };
}
