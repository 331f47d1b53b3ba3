import { applyRateHalfUp, prorate, taxIncludedIn } from './money.ts';

/**
 * O2C's one rounding policy for tax (README, "Money and rounding"), in one place for orders, invoices and credit
 * notes: tax is rounded once per rate over a whole order or document, half away from zero; a partial document
 * takes the running share of each rate's tax (`taxAtRunningTotal`), never a fresh computation.
 */

/** The tax in an amount of one rate: on top of a net amount, or inside a tax-inclusive one. */
export function taxOf(amountMinor: number, ratePpm: number, taxesIncluded: boolean): number {
  return taxesIncluded ? taxIncludedIn(amountMinor, ratePpm) : applyRateHalfUp(amountMinor, ratePpm);
}

/**
 * A rate's tax once `basisSoFar` of its `basisMinor` (net, or gross for tax-inclusive prices) has been taken by
 * earlier pieces. A tax we computed ourselves follows the rate (so each piece's tax is the rate's tax on it, give
 * or take the rounding of the running total); a tax we were given (the store's, an invoice's) is prorated. Both
 * start at 0, never fall, and reach the rate's tax exactly when the whole basis is taken, so the pieces'
 * taxes add up to it to the cent.
 */
export function taxAtRunningTotal(rate: { basisMinor: number; taxMinor: number }, ratePpm: number, taxesIncluded: boolean, basisSoFar: number): number {
  if (basisSoFar === rate.basisMinor) return rate.taxMinor;
  if (rate.taxMinor === taxOf(rate.basisMinor, ratePpm, taxesIncluded)) return taxOf(basisSoFar, ratePpm, taxesIncluded);
  return prorate(rate.taxMinor, basisSoFar, rate.basisMinor);
}
