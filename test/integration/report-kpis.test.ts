/**
 * KPI and forecast reports (issue 13): they read the report job's aggregates, reproduce the published worked
 * examples, and every figure can be recomputed from the inputs it returns.
 */
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { fraction, decimalOf } from '../../shared/domain/figures.ts';
import { batchWrite, getAs, invoicedOrder, sendAs } from './support.ts';

interface DaysFigure {
  days: string | null;
  exact: { numerator: string; denominator: string } | null;
}
interface Share {
  part: number;
  whole: number;
  percent: string | null;
}
interface KpiReport {
  currency: string;
  missingMonths: string[];
  dso: { standard: DaysFigure & { inputs: { endingArMinor: number; creditSalesMinor: number; days: number } }; countBack: DaysFigure & { inputs: { endingArMinor: number; months: { month: string; creditSalesMinor: number; days: number }[] } } };
  bpdso: DaysFigure & { inputs: { currentArMinor: number; creditSalesMinor: number; days: number } };
  add: DaysFigure;
  cei: { percent: string | null; inputs: { openingArMinor: number | null; creditSalesMinor: number; months: number; closingArMinor: number | null; closingCurrentArMinor: number | null } };
  cashApplication: { envelope: { byCount: Share; byAmount: Share }; inputs: { entries: { count: number } } };
  orders: { touchless: Share };
  months: { month: string; creditSalesMinor: number; invoicesIssued: { count: number; amountMinor: number } }[];
}

const kpis = async (query: string) => {
  const response = await getAs('viewer', `/reports/kpis?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as KpiReport;
};

/** A currency no other test books in, so the seeded aggregates are the only ones read. */
const SEEDED = 'CHF';

const month = (currency: string, name: string, creditSalesMinor: number) => ({
  PutRequest: {
    Item: {
      pk: `REPORT#${currency}`,
      sk: `MONTH#${name}`,
      entityType: 'MonthFigures',
      currency,
      month: name,
      through: `${name}-${String(new Date(Date.UTC(Number(name.slice(0, 4)), Number(name.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}`,
      computedAt: '2026-04-01T00:00:00.000Z',
      creditSalesMinor,
      invoicesIssued: { count: 1, amountMinor: creditSalesMinor },
      creditNotesIssued: { count: 0, amountMinor: 0 },
      cash: { entries: { count: 4, amountMinor: 400 }, autoApplied: { count: 3, amountMinor: 250 }, straightThrough: { count: 2, amountMinor: 200 }, lines: { count: 3, amountMinor: 250 }, autoLines: { count: 3, amountMinor: 250 }, byFormat: { camt053: { entries: { count: 4, amountMinor: 400 }, autoApplied: { count: 3, amountMinor: 250 }, straightThrough: { count: 2, amountMinor: 200 } } }, byRule: { reference: { count: 3, amountMinor: 250 } }, exceptions: { raised: 1, open: 1, resolved: 0, resolvedPerDay: [], ageAtResolution: { count: 0, seconds: [] }, openAge: { count: 1, seconds: [3600] } } },
      collections: { promises: { kept: 1, broken: 1, pending: 0, keptAmountMinor: 100, judgedAmountMinor: 300 }, disputes: { issued: { count: 1, amountMinor: creditSalesMinor }, disputed: { count: 0, amountMinor: 0 }, resolvedIn: { count: 0, seconds: [] }, openFor: { count: 0, seconds: [] } }, reminders: [] },
      orders: { orders: 2, invoiced: 2, touchless: 1, cycle: { orderedToApproved: { count: 2, seconds: [60, 120] }, approvedToShipped: { count: 0, seconds: [] }, shippedToInvoiced: { count: 0, seconds: [] }, invoicedToPaid: { count: 0, seconds: [] }, orderedToPaid: { count: 0, seconds: [] } }, credit: { decided: 2, approved: 2, review: 0, rejected: 0, reviewApproved: 0, reviewRejected: 0, reviewPending: 0 } },
    },
  },
});
const snapshot = (currency: string, date: string, openArMinor: number, currentArMinor: number) => ({
  PutRequest: { Item: { pk: `REPORT#${currency}`, sk: `AR#${date}`, entityType: 'ArSnapshot', currency, date, takenAt: `${date}T23:00:00.000Z`, openArMinor, currentArMinor, invoices: 1 } },
});

/** days = numerator / denominator, exactly as returned, rendered as the report renders it. */
const recomputed = (numerator: bigint, denominator: bigint) => decimalOf(fraction(numerator, denominator)!);

describe('GET /reports/kpis', () => {
  it('given the aggregates of January to March (31, 28, 31 days), when asked, then count-back DSO and CEI reproduce the published worked examples', async () => {
    // Count-back: AR 2,100,000 over March 900,000, February 800,000, January 700,000 → 31 + 28 + 400/700 × 31 = 76.71 days.
    await batchWrite(inject('o2cTable'), [month(SEEDED, '2025-01', 700_000_00), month(SEEDED, '2025-02', 800_000_00), month(SEEDED, '2025-03', 900_000_00), snapshot(SEEDED, '2025-03-31', 2_100_000_00, 1_000_000_00)]);

    const report = await kpis(`currency=${SEEDED}&from=2025-01&to=2025-03`);

    expect(report.dso.countBack.days).toBe('76.71');
    expect(report.dso.countBack.inputs).toEqual({ endingArMinor: 2_100_000_00, months: [{ month: '2025-03', creditSalesMinor: 900_000_00, days: 31 }, { month: '2025-02', creditSalesMinor: 800_000_00, days: 28 }, { month: '2025-01', creditSalesMinor: 700_000_00, days: 31 }] });
    expect(report.missingMonths).toEqual([]);

    // CEI (CreditGuru's 55.9 %): opening 6,200, sales 10,890 over 3 months, closing 6,340 of which 3,590 current.
    await batchWrite(inject('o2cTable'), [month('SEK', '2025-01', 3_630), month('SEK', '2025-02', 3_630), month('SEK', '2025-03', 3_630), snapshot('SEK', '2024-12-31', 6_200, 6_200), snapshot('SEK', '2025-03-31', 6_340, 3_590)]);
    const cei = await kpis('currency=SEK&from=2025-01&to=2025-03');
    expect(cei.cei.percent).toBe('55.93');
    expect(cei.cei.inputs).toEqual({ openingArMinor: 6_200, creditSalesMinor: 10_890, months: 3, closingArMinor: 6_340, closingCurrentArMinor: 3_590 });
  });

  it('given a month with AR 15,000 of which 4,000 current and sales 10,000 in 30 days, then DSO 45, BPDSO 12 and ADD 33, each recomputed from its inputs', async () => {
    await batchWrite(inject('o2cTable'), [month('NOK', '2025-06', 10_000), snapshot('NOK', '2025-06-30', 15_000, 4_000)]);

    const report = await kpis('currency=NOK&from=2025-06&to=2025-06');

    expect([report.dso.standard.days, report.bpdso.days, report.add.days]).toEqual(['45.00', '12.00', '33.00']);
    const { endingArMinor, creditSalesMinor, days } = report.dso.standard.inputs;
    expect(recomputed(BigInt(endingArMinor * days), BigInt(creditSalesMinor))).toBe(report.dso.standard.days);
    expect(recomputed(BigInt(report.bpdso.inputs.currentArMinor * report.bpdso.inputs.days), BigInt(report.bpdso.inputs.creditSalesMinor))).toBe(report.bpdso.days);
    expect(report.cashApplication.envelope.byCount).toEqual({ part: 3, whole: 4, percent: '75.00' });
  });

  it('given a new invoice this month, when an admin runs the report job, then this month counts its sale, and every figure recomputes from its inputs', async () => {
    const invoice = await invoicedOrder(1);
    expect((await sendAs('viewer', 'POST', '/reports/snapshots', {})).status).toBe(403);

    const run = await sendAs('admin', 'POST', '/reports/snapshots', {});
    expect(run.status).toBe(200);
    const summary = (await run.json()) as { currencies: string[]; date: string };
    expect(summary.currencies).toContain('EUR');

    const report = await kpis('currency=EUR');
    const thisMonth = report.months[0]!;
    expect(thisMonth.month).toBe(summary.date.slice(0, 7));
    expect(thisMonth.invoicesIssued.count).toBeGreaterThanOrEqual(1);
    expect(thisMonth.invoicesIssued.amountMinor).toBeGreaterThanOrEqual(invoice.totalMinor);
    const { endingArMinor, creditSalesMinor, days } = report.dso.standard.inputs;
    expect(creditSalesMinor).toBe(report.months.reduce((sum, item) => sum + item.creditSalesMinor, 0));
    expect(days).toBe(report.dso.countBack.inputs.months.reduce((sum, item) => sum + item.days, 0));
    expect(endingArMinor).toBeGreaterThanOrEqual(invoice.totalMinor);
    expect(recomputed(BigInt(endingArMinor) * BigInt(days), BigInt(creditSalesMinor))).toBe(report.dso.standard.days);
    const { openingArMinor, months, closingArMinor, closingCurrentArMinor } = report.cei.inputs;
    if (openingArMinor === null) {
      // No snapshot of the month before: CEI has no value rather than a made-up opening of 0.
      expect(report.cei.percent).toBeNull();
    } else {
      const n = BigInt(months);
      const available = n * BigInt(openingArMinor) + BigInt(report.cei.inputs.creditSalesMinor);
      const collectible = available - n * BigInt(closingCurrentArMinor!);
      expect(collectible > 0n ? recomputed(100n * (available - n * BigInt(closingArMinor!)), collectible) : null).toBe(report.cei.percent);
    }
    const envelope = report.cashApplication.envelope.byCount;
    if (envelope.whole > 0) expect(recomputed(BigInt(envelope.part) * 100n, BigInt(envelope.whole))).toBe(envelope.percent);
  });

  it('given CSV asked for, then one row per figure with its value', async () => {
    const response = await getAs('viewer', `/reports/kpis?currency=NOK&from=2025-06&to=2025-06&format=csv`);
    const [header, ...rows] = (await response.text()).trim().split('\r\n');

    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(header!.split(',')).toEqual(expect.arrayContaining(['figure', 'value', 'endingAr', 'creditSales']));
    expect(rows.find((row) => row.startsWith('NOK,2025-06,2025-06,DSO (standard),45.00'))).toBeDefined();
  });

  it.each([
    ['no currency', 'from=2025-01'],
    ['a month that is no month', 'currency=EUR&from=2025-13'],
    ['from after to', 'currency=EUR&from=2025-05&to=2025-01'],
    ['more than 24 months', 'currency=EUR&from=2020-01&to=2025-01'],
    ['a month 13 and no from', 'currency=EUR&to=2026-13'],
    ['a month after this one', 'currency=EUR&to=2999-01'],
  ])('given %s, then 400', async (_case, query) => {
    expect((await getAs('viewer', `/reports/kpis?${query}`)).status).toBe(400);
  });
});

describe('GET /reports/forecast', () => {
  interface Forecast {
    asOf: string;
    method: string;
    weeks: { weekStart: string; expectedMinor: number; lowMinor: number; highMinor: number }[];
    afterMinor: number;
    heldMinor: number;
    byBasis: Record<string, { count: number; amountMinor: number }>;
    accuracy: { method: { accuracy: { percent: string | null } }; baseline: { accuracy: { percent: string | null } } } | null;
  }

  it('given the report job ran, when asked for 4 weeks, then 4 Monday weeks with low ≤ expected ≤ high, adding up with what comes after and what is held', async () => {
    await invoicedOrder(1);
    expect((await sendAs('admin', 'POST', '/reports/snapshots', {})).status).toBe(200);

    const [four, all] = await Promise.all(
      ['weeks=4', 'weeks=26'].map(async (weeks) => {
        const response = await getAs('viewer', `/reports/forecast?currency=EUR&${weeks}`);
        expect(response.status).toBe(200);
        return (await response.json()) as Forecast;
      }),
    );

    expect(four!.method).toBe('customer-history');
    expect(four!.weeks).toHaveLength(4);
    for (const week of four!.weeks) {
      expect(new Date(`${week.weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(week.lowMinor).toBeLessThanOrEqual(week.expectedMinor);
      expect(week.expectedMinor).toBeLessThanOrEqual(week.highMinor);
    }
    const total = (forecast: Forecast) => forecast.weeks.reduce((sum, week) => sum + week.expectedMinor, 0) + forecast.afterMinor;
    expect(total(four!)).toBe(total(all!));
    expect(total(all!)).toBe(Object.values(all!.byBasis).reduce((sum, basis) => sum + basis.amountMinor, 0));
  });

  it('given CSV, then one row per week; given bad weeks, then 400', async () => {
    const response = await getAs('viewer', '/reports/forecast?currency=EUR&weeks=3&format=csv');
    const [header, ...rows] = (await response.text()).trim().split('\r\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['weekStart', 'expected', 'low', 'high']));
    expect(rows.length === 3 || rows.length === 0).toBe(true);
    for (const weeks of ['0', '27', 'x', '1.5']) expect((await getAs('viewer', `/reports/forecast?currency=EUR&weeks=${weeks}`)).status).toBe(400);
  });
});
