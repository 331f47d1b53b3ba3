import type { z } from 'zod';
import { InvalidRequest } from '#domain/errors';
import { fractionToPpm, parseDecimalMinor, percentToPpm } from '#domain/money';
import type { CanonicalOrder } from '#domain/order';
import { describeIssues } from './generic-order.ts';

/**
 * What a store webhook means for intake: an order to take in (new, or a repeat that intake dedupes on
 * (source, externalId)), a whole-order cancellation, or something O2C deliberately does not act on (kept with
 * the reason so the delivery log explains itself).
 */
export type StoreWebhookResult =
  | { kind: 'order'; order: CanonicalOrder }
  | { kind: 'cancellation'; externalId: string; reason: string }
  | { kind: 'ignored'; reason: string };

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
export function parseStorePayload<Schema extends z.ZodType>(schema: Schema, body: unknown, message: string): z.output<Schema> {
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
