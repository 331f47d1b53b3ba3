import type * as z from '#schemas/zod';
import { InvalidRequest } from '#domain/errors';
import { applyRateHalfUp, divideHalfUp, fractionToPpm, minorUnitDigits, parseDecimalMinor, percentToPpm, taxIncludedIn } from '#domain/money';
import { describeIssues } from './issues.ts';

export type { StoreWebhookResult } from '#domain/order';

/** One problem with one field of a store payload, as the `details` of a 400. */
export interface FieldIssue {
  path: string;
  message: string;
}

type FieldPath = readonly (string | number)[];

/** Same rendering as zod issues (`line_items.0.sku`), so every 400 names fields the same way. */
function renderPath(path: FieldPath): string {
  return path.length === 0 ? '(body)' : path.join('.');
}

/** zod's verdict as an `InvalidRequest` naming each bad field, so no `ZodError` escapes to the HTTP layer. */
export function parseStorePayload<Schema extends z.ZodMiniType>(schema: Schema, body: unknown, message: string): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InvalidRequest(message, describeIssues(parsed.error));
  return parsed.data;
}

/**
 * Collects every field problem found while mapping one payload (amounts that do not fit the currency, rates
 * finer than a basis point, ids that lost digits), so one 400 lists them all and no `RangeError` escapes. The
 * money helpers return 0 after recording an issue; `throwIfAny` must run before the result is used.
 */
export class FieldIssues {
  readonly #issues: FieldIssue[] = [];

  add(path: FieldPath, message: string): void {
    this.#issues.push({ path: renderPath(path), message });
  }

  /** `parseDecimalMinor`, with its refusal recorded at `path`. Store prices, taxes and totals are never negative. */
  minor(path: FieldPath, amount: string | number, currency: string): number {
    const minor = this.#attempt(path, () => parseDecimalMinor(amount, currency));
    if (minor >= 0) return minor;
    this.add(path, `"${amount}" must not be negative`);
    return 0;
  }

  /** Like `minor`, but an absent or empty amount (WooCommerce sends `""` for a rate that did not apply) is 0. */
  minorOrZero(path: FieldPath, amount: string | number | null | undefined, currency: string): number {
    if (amount === null || amount === undefined || (typeof amount === 'string' && amount.trim() === '')) return 0;
    return this.minor(path, amount, currency);
  }

  /** Like `minor`, but a negative amount is kept (Shopify's `total_outstanding` goes below zero when a buyer overpaid). */
  signedMinor(path: FieldPath, amount: string | number, currency: string): number {
    return this.#attempt(path, () => parseDecimalMinor(amount, currency));
  }

  /**
   * A non-negative tax amount exactly as the store sent it, however many decimals (WooCommerce keeps line taxes
   * unrounded when it rounds at subtotal: `"1.8987"`); absent or `""` is 0. Recorded at `path` when not a decimal.
   */
  exactTax(path: FieldPath, amount: string | number | null | undefined): ExactDecimal {
    if (amount === null || amount === undefined || (typeof amount === 'string' && amount.trim() === '')) return ZERO;
    try {
      return parseExactDecimal(amount);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      this.add(path, error.message);
      return ZERO;
    }
  }

  /** `fractionToPpm` (Shopify's `0.19`), with its refusal recorded at `path`. */
  fractionRate(path: FieldPath, rate: string | number): number {
    return this.#attempt(path, () => fractionToPpm(rate));
  }

  /** `percentToPpm` (WooCommerce's `19` or `"7.5"`), with its refusal recorded at `path`. */
  percentRate(path: FieldPath, rate: string | number): number {
    return this.#attempt(path, () => percentToPpm(rate));
  }

  /** Throws one `InvalidRequest` listing every recorded issue; does nothing when the payload was clean. */
  throwIfAny(message: string): void {
    if (this.#issues.length > 0) throw new InvalidRequest(message, [...this.#issues]);
  }

  #attempt(path: FieldPath, parse: () => number): number {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      this.add(path, error.message);
      return 0;
    }
  }
}

/**
 * `⌈amount / quantity⌉` in integers (amount ≥ 0), the unit price of a line the store only reports as a total, with the remainder
 * (`unit × quantity − amount`, at most quantity − 1 minor units) returned so the caller can carry it as discount
 * and keep the line total exactly the store's.
 */
export function unitPriceOf(lineAmountMinor: number, quantity: number): { unitPriceMinor: number; roundingMinor: number } {
  const remainder = lineAmountMinor % quantity;
  const unitPriceMinor = (lineAmountMinor - remainder) / quantity + (remainder > 0 ? 1 : 0);
  return { unitPriceMinor, roundingMinor: unitPriceMinor * quantity - lineAmountMinor };
}

/** A trimmed non-empty string, or undefined: stores send `null`, absent and `""` interchangeably for "none". */
export function textOrUndefined(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

/** ISO 3166-1 alpha-2, the only country form the customer record accepts. */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

/** Guest checkouts have no customer id: the email (lower-cased, so `Ann@x` and `ann@x` are one customer) stands in. */
export function guestCustomerId(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}

/** A non-negative decimal held exactly: `units / 10^scale` ("1.8987" → 18987n at scale 4). */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const ZERO: ExactDecimal = { units: 0n, scale: 0 };

/** A store's decimal as an exact value, string arithmetic only; negatives, exponents and non-numbers are refused. */
export function parseExactDecimal(amount: string | number): ExactDecimal {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const match = /^\+?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a non-negative decimal amount`);
  const [, whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 12) throw new RangeError(`"${text}" has more than 12 decimals`);
  return { units: BigInt(`${whole}${significant}`), scale: significant.length };
}

/** `value` in units of `10^-scale` (scale ≥ value.scale). */
function atScale(value: ExactDecimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/**
 * Rounds exact amounts to minor units of `currency` so that they add up to `targetMinor` (the store's own rounded
 * total): each amount is rounded down, and the units still missing go one each to the amounts with the largest
 * remainders (the earlier one first on a tie). Without a target, or with one no such rounding can reach (below the
 * rounded-down sum, or more units than amounts with a remainder), the target is the exact sum rounded half-up.
 * Amounts that already fit the currency are never changed. Integer arithmetic only.
 */
export function roundToTotal(amounts: readonly ExactDecimal[], currency: string, targetMinor?: number): number[] {
  const digits = minorUnitDigits(currency);
  const scale = Math.max(digits, ...amounts.map((amount) => amount.scale));
  const unit = 10n ** BigInt(scale - digits);
  const scaled = amounts.map((amount) => atScale(amount, scale));
  const floors = scaled.map((value) => value / unit);
  const remainders = scaled.map((value) => value % unit);
  const floorSum = Number(floors.reduce((sum, value) => sum + value, 0n));
  const withRemainder = remainders.filter((remainder) => remainder > 0n).length;
  const reachable = targetMinor !== undefined && targetMinor >= floorSum && targetMinor - floorSum <= withRemainder;
  const target = reachable ? targetMinor : divideHalfUp(scaled.reduce((sum, value) => sum + value, 0n), unit);
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .filter(({ remainder }) => remainder > 0n)
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const rounded = floors.map(Number);
  for (const { index } of order.slice(0, target - floorSum)) rounded[index]! += 1;
  return rounded;
}

/** An amount as the domain prices it (gross when taxes are included) and the tax the store charged on it. */
export interface ChargedTax {
  amountMinor: number;
  taxMinor: number;
}

/** The tax the domain computes on an amount at a rate (`priceLines`' split: half-up on net, or net half-up inside gross). */
function domainTax(amountMinor: number, ratePpm: number, taxesIncluded: boolean): number {
  return taxesIncluded ? taxIncludedIn(amountMinor, ratePpm) : applyRateHalfUp(amountMinor, ratePpm);
}

/** Steps a derived rate is tried at, coarsest first: whole percents down to 4 decimals of a percent (1 ppm). */
const RATE_STEPS_PPM = [10_000, 1_000, 100, 10, 1];
const MAX_RATE_PPM = 1_000_000;

/** The rates (ppm) at which the domain's tax on `amountMinor` is exactly `taxMinor`: an interval, as the tax only grows with the rate. */
function reproducingRates({ amountMinor, taxMinor }: ChargedTax, taxesIncluded: boolean): { low: number; high: number } {
  const firstWhere = (holds: (ppm: number) => boolean): number => {
    let [low, high] = [0, MAX_RATE_PPM + 1];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (holds(middle)) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  const low = firstWhere((ppm) => domainTax(amountMinor, ppm, taxesIncluded) >= taxMinor);
  const high = firstWhere((ppm) => domainTax(amountMinor, ppm, taxesIncluded) > taxMinor) - 1;
  return { low, high };
}

/** The plainest rate in [low, high]: the coarsest step with a multiple there, the multiple nearest `near`. */
function plainestRate(low: number, high: number, near: number): number | undefined {
  for (const step of RATE_STEPS_PPM) {
    const first = low % step === 0 ? low : low + step - (low % step);
    if (first > high) continue;
    const last = high - (high % step);
    const nearest = near - (near % step);
    const candidates = [nearest, nearest + step].filter((ppm) => ppm >= first && ppm <= last);
    if (candidates.length === 0) return near < first ? first : last;
    return candidates.reduce((best, ppm) => (Math.abs(ppm - near) < Math.abs(best - near) ? ppm : best));
  }
  return undefined;
}

/**
 * The one tax rate that reproduces every charged tax when the domain computes it per amount (half-up), and which
 * amounts it reproduces. A rate the store recorded (`statedPpm`) is taken as it is. Otherwise the rate is derived:
 * every rate that reproduces all the amounts is found exactly (the tax grows with the rate, so each amount admits
 * an interval of rates, and their intersection is the answer), and the plainest of them is stated: whole percents
 * first, then 1 to 4 decimals, nearest the order's own tax ÷ net. When no rate reproduces every amount, the rate
 * derived for the largest amount is the best we can state, and the caller keeps the store's tax on the amounts it
 * misses.
 */
export function reviewTaxRate(
  charged: readonly ChargedTax[],
  taxesIncluded: boolean,
  statedPpm?: number,
): { ratePpm: number; reproduced: boolean[] } {
  const reproducedAt = (ratePpm: number) => ({
    ratePpm,
    reproduced: charged.map(({ amountMinor, taxMinor }) => domainTax(amountMinor, ratePpm, taxesIncluded) === taxMinor),
  });
  if (statedPpm !== undefined) return reproducedAt(statedPpm);
  const taxed = charged.filter(({ amountMinor, taxMinor }) => taxMinor > 0 && amountMinor > 0);
  if (taxed.length === 0) return reproducedAt(0);
  const netOf = ({ amountMinor, taxMinor }: ChargedTax) => (taxesIncluded ? amountMinor - taxMinor : amountMinor);
  const ratio = (items: readonly ChargedTax[]) => {
    const net = items.reduce((sum, item) => sum + netOf(item), 0);
    return net > 0 ? Math.min(MAX_RATE_PPM, divideHalfUp(BigInt(items.reduce((sum, item) => sum + item.taxMinor, 0)) * 1_000_000n, BigInt(net))) : 0;
  };
  const ranges = charged.map((item) => reproducingRates(item, taxesIncluded));
  const low = Math.max(...ranges.map((range) => range.low));
  const high = Math.min(...ranges.map((range) => range.high));
  const common = low <= high ? plainestRate(low, high, ratio(taxed)) : undefined;
  if (common !== undefined) return reproducedAt(common);
  const largest = taxed.reduce((best, item) => (netOf(item) > netOf(best) ? item : best));
  const own = reproducingRates(largest, taxesIncluded);
  return reproducedAt((own.low <= own.high ? plainestRate(own.low, own.high, ratio([largest])) : undefined) ?? ratio([largest]));
}

/**
 * A VAT identification number as EN 16931 BT-48 wants it (ISO country prefix, then 2–13 letters or digits), from
 * what a buyer typed (`de 123 456 789` → `DE123456789`); undefined for anything that is not clearly one (no prefix,
 * a placeholder, free text), since a wrong VAT id on an invoice is worse than none.
 */
export function vatIdOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  return /^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(compact) && /\d/.test(compact) ? compact : undefined;
}
