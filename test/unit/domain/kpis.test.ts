import { describe, expect, it } from 'vitest';
import { fraction, fractionOf, decimalOf, share, nearestRank, type Exact } from '#domain/figures';
import {
  averageDaysDelinquent,
  bestPossibleDso,
  collectionEffectivenessIndex,
  countBackDso,
  creditSalesByMonth,
  monthsBack,
  standardDso,
  standardDsoOverMonths,
  type MonthSales,
} from '#domain/kpis';
import { daysInMonth, isoWeekStart } from '#domain/dates';
import { Random, storedInvoice } from '../../support/receivables-ledger.ts';

/** Whole currency units of the published examples, in EUR cents. */
const eur = (units: number) => units * 100;
const value = (exact: Exact | null) => (exact ? fractionOf(exact) : undefined);

describe('DSO, standard: ending AR / credit sales × days (docs/kpis.md)', () => {
  it('given AR 200,000 and credit sales 2,000,000 over 365 days, when DSO is computed, then it is 36.50 days', () => {
    const dso = standardDso({ endingArMinor: eur(200_000), creditSalesMinor: eur(2_000_000), days: 365 });
    expect(dso).toMatchObject({ days: '36.50', exact: { numerator: '73', denominator: '2' }, inputs: { endingArMinor: eur(200_000), creditSalesMinor: eur(2_000_000), days: 365 } });
  });

  it('given AR 15,000 and credit sales 10,000 over 30 days, when DSO is computed, then it is 45 days', () => {
    expect(standardDso({ endingArMinor: eur(15_000), creditSalesMinor: eur(10_000), days: 30 }).days).toBe('45.00');
  });

  it('given no credit sales, when DSO is computed, then it has no value rather than 0 or Infinity', () => {
    expect(standardDso({ endingArMinor: eur(100), creditSalesMinor: 0, days: 30 })).toMatchObject({ days: null, exact: null });
  });

  it.each([
    [{ endingArMinor: 1.5, creditSalesMinor: 1, days: 30 }],
    [{ endingArMinor: 1, creditSalesMinor: 1, days: 0 }],
    [{ endingArMinor: 1, creditSalesMinor: Number.MAX_SAFE_INTEGER + 1, days: 30 }],
  ])('given inputs that are no amounts or day counts (%j), when DSO is computed, then it is refused', (inputs) => {
    expect(() => standardDso(inputs)).toThrow(RangeError);
  });
});

describe('DSO, count-back: peel whole months off the ending AR, pro-rate the last (docs/kpis.md)', () => {
  it('given AR 212,000 over sales 100,000 / 80,000 / 70,000 in 30-day months, when counted back, then 30 + 30 + 32/70 × 30 = 73.71 days', () => {
    const dso = countBackDso({
      endingArMinor: eur(212_000),
      months: [
        { month: '2026-03', creditSalesMinor: eur(100_000), days: 30 },
        { month: '2026-02', creditSalesMinor: eur(80_000), days: 30 },
        { month: '2026-01', creditSalesMinor: eur(70_000), days: 30 },
      ],
    });
    expect(dso).toMatchObject({ days: '73.71', exact: { numerator: '516', denominator: '7' }, exhausted: false });
    expect(dso.steps.map((step) => [step.month, step.arBeforeMinor, step.counted, step.days.days])).toEqual([
      ['2026-03', eur(212_000), 'whole', '30.00'],
      ['2026-02', eur(112_000), 'whole', '30.00'],
      ['2026-01', eur(32_000), 'part', '13.71'],
    ]);
  });

  it('given AR 2.1M over March 900k (31 d), February 800k (28 d), January 700k (31 d), when counted back, then 31 + 28 + 400/700 × 31 = 76.71 days', () => {
    const months = creditSalesByMonth({
      documents: [
        storedInvoice({ id: '1', customerId: 'C', currency: 'EUR', issueDate: '2026-03-10', dueDate: '2026-04-09', totalMinor: eur(900_000), openMinor: 0, status: 'PAID' }),
        storedInvoice({ id: '2', customerId: 'C', currency: 'EUR', issueDate: '2026-02-10', dueDate: '2026-03-12', totalMinor: eur(800_000), openMinor: 0, status: 'PAID' }),
        storedInvoice({ id: '3', customerId: 'C', currency: 'EUR', issueDate: '2026-01-10', dueDate: '2026-02-09', totalMinor: eur(700_000), openMinor: 0, status: 'PAID' }),
      ],
      currency: 'EUR',
      months: monthsBack('2026-03', 3),
    });
    expect(months).toEqual([
      { month: '2026-03', creditSalesMinor: eur(900_000), days: 31 },
      { month: '2026-02', creditSalesMinor: eur(800_000), days: 28 },
      { month: '2026-01', creditSalesMinor: eur(700_000), days: 31 },
    ]);
    expect(countBackDso({ endingArMinor: eur(2_100_000), months })).toMatchObject({ days: '76.71', exact: { numerator: '537', denominator: '7' } });
  });

  it('given an AR larger than every month\'s sales, when counted back, then all the days covered and flagged as exhausted', () => {
    const dso = countBackDso({ endingArMinor: eur(500), months: [{ month: '2026-02', creditSalesMinor: eur(100), days: 28 }, { month: '2026-01', creditSalesMinor: eur(100), days: 31 }] });
    expect(dso).toMatchObject({ days: '59.00', exhausted: true });
  });

  it('given a month with no sales, when counted back, then it counts in full and takes nothing off', () => {
    const dso = countBackDso({ endingArMinor: eur(50), months: [{ month: '2026-02', creditSalesMinor: 0, days: 28 }, { month: '2026-01', creditSalesMinor: eur(100), days: 31 }] });
    expect(dso).toMatchObject({ days: '43.50', exhausted: false });
  });

  it('given months not most recent first, when counted back, then it is refused', () => {
    expect(() => countBackDso({ endingArMinor: 1, months: [{ month: '2026-01', creditSalesMinor: 1, days: 31 }, { month: '2026-02', creditSalesMinor: 1, days: 28 }] })).toThrow(/most recent first/);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('given random months and AR (seed %i), when counted back, then the days never exceed the days covered, and equal standard DSO when every month is alike', (seed) => {
    const random = new Random(seed);
    for (let round = 0; round < 50; round++) {
      const months: MonthSales[] = monthsBack('2026-12', random.int(1, 12)).map((month) => ({ month, creditSalesMinor: random.chance(0.1) ? 0 : random.int(1, 10_000_000), days: random.int(28, 31) }));
      const endingArMinor = random.int(-1_000, 60_000_000);
      const dso = countBackDso({ endingArMinor, months });
      const covered = months.reduce((sum, month) => sum + month.days, 0);
      const days = value(dso.exact)!;
      expect(days.numerator <= BigInt(covered) * days.denominator).toBe(true);
      expect(days.numerator >= 0n).toBe(true);
      expect(dso.exhausted).toBe(endingArMinor > months.reduce((sum, month) => sum + month.creditSalesMinor, 0));
      if (dso.exhausted) expect(dso.exact).toEqual({ numerator: String(covered), denominator: '1' });

      const sales = random.int(1, 10_000_000);
      const alike = months.map((month) => ({ ...month, creditSalesMinor: sales, days: 30 }));
      const ar = random.int(0, sales * alike.length);
      expect(countBackDso({ endingArMinor: ar, months: alike }).exact).toEqual(standardDsoOverMonths({ endingArMinor: ar, months: alike }).exact);
    }
  });
});

describe('best possible DSO and average days delinquent (docs/kpis.md)', () => {
  it('given current AR 8,000 (10,000 open less 2,000 past due) and credit sales 30,000 in a 30-day month, when BPDSO is computed, then it is 8 days', () => {
    expect(bestPossibleDso({ currentArMinor: eur(8_000), creditSalesMinor: eur(30_000), days: 30 })).toMatchObject({ days: '8.00', exact: { numerator: '8', denominator: '1' } });
  });

  it('given the same figures over a 28-day month, when BPDSO is computed, then it is 7.47 days as published', () => {
    expect(bestPossibleDso({ currentArMinor: eur(8_000), creditSalesMinor: eur(30_000), days: 28 }).days).toBe('7.47');
  });

  it('given AR 15,000, of which 4,000 current, and credit sales 10,000 over 30 days, when ADD is computed, then DSO 45 − BPDSO 12 = 33 days', () => {
    const dso = standardDso({ endingArMinor: eur(15_000), creditSalesMinor: eur(10_000), days: 30 });
    const bpdso = bestPossibleDso({ currentArMinor: eur(4_000), creditSalesMinor: eur(10_000), days: 30 });
    expect(bpdso.days).toBe('12.00');
    expect(averageDaysDelinquent(dso, bpdso)).toMatchObject({ days: '33.00', exact: { numerator: '33', denominator: '1' }, inputs: { dso: { days: '45.00' }, bpdso: { days: '12.00' } } });
  });

  it('given figures whose rounded days would differ from the exact difference, when ADD is computed, then it comes from the exact values', () => {
    const dso = standardDso({ endingArMinor: 1, creditSalesMinor: 3, days: 1 }); // 0.333… → 0.33
    const bpdso = bestPossibleDso({ currentArMinor: 0, creditSalesMinor: 3, days: 1 });
    const add = averageDaysDelinquent(standardDso({ endingArMinor: 2, creditSalesMinor: 3, days: 1 }), dso); // 0.666… − 0.333… = 0.333…
    expect(add).toMatchObject({ days: '0.33', exact: { numerator: '1', denominator: '3' } });
    expect(averageDaysDelinquent(dso, { days: null, exact: null }).days).toBeNull();
    expect(averageDaysDelinquent(dso, bpdso).exact).toEqual(dso.exact);
  });

  it.each([21, 22, 23, 24, 25])('given random AR with a current part (seed %i), when DSO, BPDSO and ADD are computed, then ADD = DSO − BPDSO ≥ 0 and each recomputes from its inputs', (seed) => {
    const random = new Random(seed);
    for (let round = 0; round < 100; round++) {
      const endingArMinor = random.int(0, 1_000_000_000);
      const currentArMinor = random.int(0, endingArMinor);
      const creditSalesMinor = random.int(1, 1_000_000_000);
      const days = random.int(28, 366);
      const dso = standardDso({ endingArMinor, creditSalesMinor, days });
      const bpdso = bestPossibleDso({ currentArMinor, creditSalesMinor, days });
      const add = averageDaysDelinquent(dso, bpdso);
      expect(value(dso.exact)).toEqual(fraction(BigInt(dso.inputs.endingArMinor) * BigInt(dso.inputs.days), BigInt(dso.inputs.creditSalesMinor)));
      expect(value(add.exact)).toEqual(fraction(BigInt(endingArMinor - currentArMinor) * BigInt(days), BigInt(creditSalesMinor)));
      expect(value(add.exact)!.numerator >= 0n).toBe(true);
      expect(dso.days).toBe(decimalOf(value(dso.exact)!));
    }
  });
});

describe('collection effectiveness index (Credit Research Foundation; docs/kpis.md)', () => {
  it('given opening 6,200, sales 10,890 over 3 months, closing 6,340 of which 3,590 current, when CEI is computed, then it is 55.93 % (55.9 % as published)', () => {
    const cei = collectionEffectivenessIndex({ openingArMinor: eur(6_200), creditSalesMinor: eur(10_890), months: 3, closingArMinor: eur(6_340), closingCurrentArMinor: eur(3_590) });
    // (6,200 + 3,630 − 6,340) / (6,200 + 3,630 − 3,590) × 100 = 3,490 / 6,240 × 100
    expect(cei).toMatchObject({ percent: '55.93', exact: { numerator: '8725', denominator: '156' } });
    expect(value(cei.exact)).toEqual(fraction(3_490n * 100n, 6_240n));
  });

  it('given a quarter with opening 400,000, sales 1,200,000 as one period, closing 350,000 of which 280,000 current, when CEI is computed, then it is 94.70 %', () => {
    expect(collectionEffectivenessIndex({ openingArMinor: eur(400_000), creditSalesMinor: eur(1_200_000), months: 1, closingArMinor: eur(350_000), closingCurrentArMinor: eur(280_000) }).percent).toBe('94.70');
  });

  it('given nothing to collect, when CEI is computed, then it has no value', () => {
    expect(collectionEffectivenessIndex({ openingArMinor: 0, creditSalesMinor: 0, months: 1, closingArMinor: 0, closingCurrentArMinor: 0 })).toMatchObject({ percent: null, exact: null });
  });

  it.each([31, 32, 33, 34, 35])('given random balances with closing current ≤ closing (seed %i), when CEI is computed, then it is at most 100 %', (seed) => {
    const random = new Random(seed);
    for (let round = 0; round < 200; round++) {
      const closingArMinor = random.int(0, 500_000_000);
      const inputs = { openingArMinor: random.int(0, 500_000_000), creditSalesMinor: random.int(0, 900_000_000), months: random.int(1, 12), closingArMinor, closingCurrentArMinor: random.int(0, closingArMinor) };
      const cei = collectionEffectivenessIndex(inputs);
      if (!cei.exact) continue;
      const percent = value(cei.exact)!;
      expect(percent.numerator <= 100n * percent.denominator).toBe(true);
    }
  });
});

describe('figures: exact values and their rendering', () => {
  it.each([
    [516n, 7n, '73.71'],
    [1n, 200n, '0.01'], // 0.005 rounds half up
    [-1n, 200n, '-0.01'], // half away from zero
    [1n, 201n, '0.00'],
    [8n, 1n, '8.00'],
    [10n ** 30n, 3n, '333333333333333333333333333333.33'],
  ])('given %i / %i, when rendered, then %s', (numerator, denominator, text) => {
    expect(decimalOf(fraction(numerator, denominator)!)).toBe(text);
  });

  it('given a negative denominator, when reduced, then the sign moves to the numerator and the fraction is in lowest terms', () => {
    expect(fraction(6n, -4n)).toEqual({ numerator: -3n, denominator: 2n });
  });

  it('given parts of wholes, when shares are taken, then the inputs ride along and a zero whole has no percent', () => {
    expect(share(7, 8)).toEqual({ part: 7, whole: 8, percent: '87.50' });
    expect(share(0, 0)).toEqual({ part: 0, whole: 0, percent: null });
  });

  it('given samples, when nearest-rank percentiles are taken, then each is one of the samples', () => {
    expect(nearestRank([5, 1, 4, 2, 3, 6], 50)).toBe(3);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([], 50)).toBeUndefined();
  });
});

describe('calendar helpers the reports use', () => {
  it.each([
    ['2026-01', 31],
    ['2026-02', 28],
    ['2028-02', 29],
    ['2026-04', 30],
  ])('given the month %s, when its days are counted, then %i', (month, days) => {
    expect(daysInMonth(month)).toBe(days);
  });

  it.each([
    ['2026-06-08', '2026-06-08'], // a Monday
    ['2026-06-14', '2026-06-08'], // the Sunday after it
    ['2026-01-01', '2025-12-29'], // ISO week 1 of 2026 starts in 2025
    ['1970-01-01', '1969-12-29'],
  ])('given %s, when its ISO week is found, then it starts on Monday %s', (date, monday) => {
    expect(isoWeekStart(date)).toBe(monday);
  });

  it('given a month that is none, when its days are counted, then it is refused', () => {
    expect(() => daysInMonth('2026-13')).toThrow(RangeError);
    expect(() => monthsBack('2026-1', 2)).toThrow(RangeError);
  });
});
