/**
 * The one catalogue of O2C's business metrics: their names, units and dimensions. The handlers emit them through
 * Powertools Metrics (`#shared/observability`) and the CloudWatch dashboard (`infra/constructs/dashboard.ts`) draws
 * them from here, so a name cannot drift between the two.
 *
 * These are operational signals: EMF is delivered at least once and a retried step can count an event twice, so a
 * figure anyone books or reports on (what was invoiced, DSO) comes from the ledger, never from these counters.
 *
 * Pure data and small helpers: no Powertools, SDK or CDK imports.
 */
import type { CreditOutcome } from '#domain/credit';

/** Where the handlers publish (POWERTOOLS_METRICS_NAMESPACE, set on every function by CDK). */
export const METRICS_NAMESPACE = 'O2C';
/** Where the daily report job publishes the KPIs it computes from the ledger. */
export const REPORTS_NAMESPACE = 'O2C/Reports';
/** Powertools adds the service as a dimension of every metric; ours is one service, so the value is fixed. */
export const SERVICE_DIMENSION = 'service';
export const METRICS_SERVICE = 'o2c';

/** The CloudWatch units these metrics use (a subset of Powertools' `MetricUnit` values). */
export type MetricUnitName = 'Count' | 'None' | 'Percent';

export interface MetricSpec {
  readonly name: string;
  readonly unit: MetricUnitName;
  /** Dimensions besides `service`, in the order the SEARCH schema lists them. */
  readonly dimensions: readonly string[];
  /** What one unit means and who emits it; the dashboard shows it under the widget. */
  readonly description: string;
}

/** Metrics the handlers emit, each from the handler whose use case caused the event, once it returned. */
export const businessMetrics = {
  ordersAccepted: {
    name: 'OrdersAccepted',
    unit: 'Count',
    dimensions: ['Source'],
    description: 'Orders a webhook verified and queued (generic, shopify, woocommerce); duplicates, cancellations and ignored topics are not counted.',
  },
  creditDecisions: {
    name: 'CreditDecisions',
    unit: 'Count',
    dimensions: ['Outcome', 'DecidedBy'],
    description: 'Credit outcomes: APPROVED, CREDIT_REVIEW or REJECTED by the policy (check-credit), APPROVED or REJECTED by a credit manager (decide-credit).',
  },
  invoicesIssued: {
    name: 'InvoicesIssued',
    unit: 'Count',
    dimensions: ['Currency'],
    description: 'Invoices numbered and stored (issue-invoices), per currency.',
  },
  invoicedAmount: {
    name: 'InvoicedAmountMinor',
    unit: 'None',
    dimensions: ['Currency'],
    description: "Invoice totals (gross) in minor units of their currency (cents for EUR), per currency: an operational signal, the ledger's figure is the invoices themselves.",
  },
  paymentsApplied: {
    name: 'PaymentsApplied',
    unit: 'Count',
    dimensions: ['Rule'],
    description: 'Bank entries applied automatically (reconcile-bank-files), by the matching rule of their first allocation (on-account: cash of a known payer no open invoice took).',
  },
  cashApplicationExceptions: {
    name: 'CashApplicationExceptions',
    unit: 'Count',
    dimensions: ['Kind'],
    description: 'Work cash application left to a person (reconcile-bank-files): unmatched-payment (the exceptions queue), quarantined-file (unreadable or unbalanced bank file).',
  },
  remindersSent: {
    name: 'RemindersSent',
    unit: 'Count',
    dimensions: ['Level'],
    description: 'Invoices reminded by the daily dunning run (run-dunning), by dunning level (1 = the first reminder).',
  },
  emailsFailed: {
    name: 'EmailsFailed',
    unit: 'Count',
    dimensions: ['Kind'],
    description: 'Invoice emails that failed: send (an attempt of send-invoice-email failed; the workflow retries it), resend (a person\'s retry through resend-invoice-email failed), bounce, complaint or reject (SES said so, record-email-events).',
  },
} as const satisfies Record<string, MetricSpec>;
export type BusinessMetricKey = keyof typeof businessMetrics;

/**
 * KPIs computed from the ledger by the daily report job and published once a day, per currency: the dashboard
 * shows them beside the operational counters. Until the job publishes, their widgets stay empty.
 */
export const reportMetrics = {
  dso: {
    name: 'DsoDays',
    unit: 'None',
    dimensions: ['Currency'],
    description: 'Days sales outstanding (countback) at the close of the business day, from the ledger.',
  },
  matchRate: {
    name: 'MatchRatePercent',
    unit: 'Percent',
    dimensions: ['Currency'],
    description: 'Bank entries cash application applied without a person, as a percentage of all entries, by count, from the ledger.',
  },
} as const satisfies Record<string, MetricSpec>;

/** Values the handlers give some dimensions; free-form ones (Currency, Rule, Level) come from the data. */
export const creditDeciders = { policy: 'policy', review: 'review' } as const;
const creditOutcomes: readonly CreditOutcome[] = ['APPROVED', 'CREDIT_REVIEW', 'REJECTED'];
/** A workflow step's status that is a credit outcome (a replayed step answers the order's later status instead). */
export const isCreditOutcome = (status: string): status is CreditOutcome => (creditOutcomes as readonly string[]).includes(status);

/** One observation of a metric, with a value for each of its dimensions. */
export interface MetricPoint {
  readonly metric: MetricSpec;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A point of `metric`; the compiler asks for exactly its dimensions. */
export function point<Metric extends MetricSpec>(
  metric: Metric,
  dimensions: { readonly [Name in Metric['dimensions'][number]]: string },
  value = 1,
): MetricPoint {
  return { metric, dimensions, value };
}

/** Points of a count: one per key whose count is above zero (`{ '1': 3 }` → three level-1 reminders). */
export function pointsOf<Metric extends MetricSpec & { dimensions: readonly [string] }>(metric: Metric, counts: Readonly<Record<string, number>>): MetricPoint[] {
  const [dimension] = metric.dimensions;
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ metric, dimensions: { [dimension]: value }, value: count }));
}

export interface DimensionGroup {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly metrics: readonly { readonly metric: MetricSpec; readonly value: number }[];
}

/**
 * Points grouped by their dimension values, values of the same metric summed: EMF gives one document one set of
 * dimension values, so each group is one document. Groups and metrics keep the order they first appear in.
 */
export function byDimensions(points: readonly MetricPoint[]): DimensionGroup[] {
  const groups = new Map<string, { dimensions: Readonly<Record<string, string>>; metrics: Map<string, { metric: MetricSpec; value: number }> }>();
  for (const { metric, dimensions, value } of points) {
    const key = JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
    const group = groups.get(key) ?? { dimensions, metrics: new Map() };
    groups.set(key, group);
    const sum = group.metrics.get(metric.name);
    group.metrics.set(metric.name, { metric, value: (sum?.value ?? 0) + value });
  }
  return [...groups.values()].map(({ dimensions, metrics }) => ({ dimensions, metrics: [...metrics.values()] }));
}

/** Every dimension a published metric carries: `service` first, then its own. */
export const dimensionNames = (metric: MetricSpec): string[] => [SERVICE_DIMENSION, ...metric.dimensions];

/**
 * The CloudWatch metric-math SEARCH that finds every series of a metric, whatever its dimension values (a new
 * currency or matching rule shows up by itself): `SEARCH('{O2C,service,Source} MetricName="OrdersAccepted"', 'Sum', 3600)`.
 */
export function searchExpression(namespace: string, metric: MetricSpec, statistic: 'Sum' | 'Average' | 'Maximum', periodSeconds: number): string {
  return `SEARCH('{${[namespace, ...dimensionNames(metric)].join(',')}} MetricName="${metric.name}"', '${statistic}', ${periodSeconds})`;
}
