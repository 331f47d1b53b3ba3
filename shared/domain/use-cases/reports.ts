import { ageingReport, parseAgeingEdges, type AgeingReport } from '../ageing.ts';
import { epochDay } from '../dates.ts';
import { InvalidRequest } from '../errors.ts';
import type { Invoice, InvoiceStatus } from '../invoice.ts';
import { isCurrency } from '../money.ts';
import type { Clock } from '../ports.ts';
import type { Browse } from './browse.ts';

const OUTSTANDING: readonly InvoiceStatus[] = ['OPEN', 'PARTIALLY_PAID', 'DISPUTED'];
const PAGE = 500;

/**
 * `GET /reports/ageing?currency=EUR[&asOf=][&buckets=30,60,90][&items=true]`: the open receivables of one currency
 * across customers, aged as of the business date (or `asOf`), with a `not-due` and a `due-today` bucket; Σ buckets =
 * `totalOpenMinor` = Σ open invoices, disputed and deducted amounts shown apart, a row per customer, and with
 * `items=true` every invoice it aged. It reads the open invoices of the currency (the gsi4 lists of the outstanding
 * statuses), so it costs what is open, not the whole ledger; the amounts are today's, aged to `asOf`.
 */
export async function reportAgeing(query: { currency?: string | undefined; asOf?: string | undefined; buckets?: string | undefined; items?: string | undefined }, deps: { browse: Browse; clock: Clock }): Promise<AgeingReport | Omit<AgeingReport, 'items'>> {
  const currency = query.currency?.toUpperCase();
  if (!currency || !isCurrency(currency)) throw new InvalidRequest('currency must be an ISO 4217 code, e.g. EUR: amounts of two currencies are never added');
  const asOf = query.asOf ?? deps.clock.now().toISOString().slice(0, 10);
  let edges: number[] | undefined;
  try {
    epochDay(asOf, 'asOf');
    edges = query.buckets === undefined ? undefined : parseAgeingEdges(query.buckets);
  } catch (error) {
    throw new InvalidRequest((error as Error).message);
  }
  const invoices: Invoice[] = [];
  for (const status of OUTSTANDING) {
    let cursor: string | undefined;
    do {
      const page = await deps.browse.invoices({ kind: 'invoice', status, currency, limit: PAGE, cursor });
      invoices.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
  }
  const report = ageingReport({ invoices, currency, asOf, edges });
  if (query.items === 'true') return report;
  const { items: _items, ...summary } = report;
  return summary;
}
