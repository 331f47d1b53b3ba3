import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import {
  businessMetrics,
  byDimensions,
  dimensionNames,
  isCreditOutcome,
  METRICS_NAMESPACE,
  point,
  pointsOf,
  reportMetrics,
  REPORTS_NAMESPACE,
  searchExpression,
  type MetricSpec,
} from '#shared/metrics';

const catalogue: MetricSpec[] = [...Object.values(businessMetrics), ...Object.values(reportMetrics)];

describe('the metric catalogue', () => {
  it('given every metric, when their names are compared, then none is used twice (a name means one thing on the dashboard)', () => {
    const names = catalogue.map((metric) => metric.name);

    expect(new Set(names).size).toBe(names.length);
  });

  it.each(catalogue.map((metric) => [metric.name, metric] as const))('given %s, when checked against CloudWatch and Powertools, then its name, unit and dimensions are accepted', (_name, metric) => {
    expect(metric.name).toMatch(/^[A-Za-z][A-Za-z0-9]{0,254}$/);
    expect(Object.values(MetricUnit)).toContain(metric.unit);
    // Powertools adds `service`; EMF takes at most 30 dimensions, and a dimension named twice would overwrite itself.
    expect(new Set(dimensionNames(metric)).size).toBe(dimensionNames(metric).length);
    expect(dimensionNames(metric)[0]).toBe('service');
    expect(metric.description.length).toBeGreaterThan(30);
  });

  it('given the business and report metrics, when their namespaces are read, then the handlers publish to O2C and the report job to O2C/Reports', () => {
    expect(METRICS_NAMESPACE).toBe('O2C');
    expect(REPORTS_NAMESPACE).toBe('O2C/Reports');
    expect(Object.keys(reportMetrics).sort()).toEqual(['dso', 'matchRate']);
  });
});

describe('points and their EMF documents', () => {
  it('given a point without a value, when built, then it counts one', () => {
    expect(point(businessMetrics.ordersAccepted, { Source: 'shopify' })).toEqual({ metric: businessMetrics.ordersAccepted, dimensions: { Source: 'shopify' }, value: 1 });
  });

  it('given counts by a dimension value, when turned into points, then each count above zero is one point with that value', () => {
    const points = pointsOf(businessMetrics.remindersSent, { '1': 3, '2': 0, '4': 1 });

    expect(points).toEqual([
      { metric: businessMetrics.remindersSent, dimensions: { Level: '1' }, value: 3 },
      { metric: businessMetrics.remindersSent, dimensions: { Level: '4' }, value: 1 },
    ]);
  });

  it('given points of two currencies, when grouped, then each currency is one group whose count and amount are summed', () => {
    const eur = { Currency: 'EUR' };
    const usd = { Currency: 'USD' };

    const groups = byDimensions([
      point(businessMetrics.invoicesIssued, eur),
      point(businessMetrics.invoicedAmount, eur, 11_900),
      point(businessMetrics.invoicesIssued, usd),
      point(businessMetrics.invoicedAmount, usd, 500),
      point(businessMetrics.invoicesIssued, eur),
      point(businessMetrics.invoicedAmount, eur, 100),
    ]);

    expect(groups).toEqual([
      { dimensions: eur, metrics: [{ metric: businessMetrics.invoicesIssued, value: 2 }, { metric: businessMetrics.invoicedAmount, value: 12_000 }] },
      { dimensions: usd, metrics: [{ metric: businessMetrics.invoicesIssued, value: 1 }, { metric: businessMetrics.invoicedAmount, value: 500 }] },
    ]);
  });

  it('given the same dimension values written in another order, when grouped, then they are one group', () => {
    const groups = byDimensions([
      point(businessMetrics.creditDecisions, { Outcome: 'APPROVED', DecidedBy: 'policy' }),
      { metric: businessMetrics.creditDecisions, dimensions: { DecidedBy: 'policy', Outcome: 'APPROVED' }, value: 1 },
    ]);

    expect(groups).toEqual([{ dimensions: { Outcome: 'APPROVED', DecidedBy: 'policy' }, metrics: [{ metric: businessMetrics.creditDecisions, value: 2 }] }]);
  });

  it('given no points, when grouped, then there is nothing to publish', () => {
    expect(byDimensions([])).toEqual([]);
  });
});

describe('what the dashboard asks CloudWatch', () => {
  it('given a metric with one dimension, when searched, then the schema is the namespace, service and its dimension', () => {
    expect(searchExpression(METRICS_NAMESPACE, businessMetrics.ordersAccepted, 'Sum', 3600)).toBe(`SEARCH('{O2C,service,Source} MetricName="OrdersAccepted"', 'Sum', 3600)`);
  });

  it('given a report metric, when searched, then it is found in the reports namespace per currency', () => {
    expect(searchExpression(REPORTS_NAMESPACE, reportMetrics.dso, 'Maximum', 86_400)).toBe(`SEARCH('{O2C/Reports,service,Currency} MetricName="DsoDays"', 'Maximum', 86400)`);
  });
});

describe('credit outcomes', () => {
  it.each([
    ['APPROVED', true],
    ['CREDIT_REVIEW', true],
    ['REJECTED', true],
    ['RESERVED', false],
    ['AWAITING_SHIPMENT', false],
  ])('given a step that answered %s, when asked whether it is a credit outcome, then %s', (status, expected) => {
    expect(isCreditOutcome(status)).toBe(expected);
  });
});
