import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates';
import { chargesFor, defaultDunningPolicy, dunningStep, firstQueueDate, levelProblems, levelsFor, type DunningItem } from '#domain/dunning';

const levels = defaultDunningPolicy.levels; // −3, +1, +7, +14, +30, +45 (hold)
const due = '2026-12-01';
const item = (dunning?: DunningItem['dunning'], openMinor = 10_000): DunningItem => ({ id: 'I1', customerId: 'C1', invoiceNumber: 'INV-2026-000001', currency: 'EUR', openMinor, dueDate: due, dunning });

describe('dunningStep', () => {
  it('given an invoice first looked at a fortnight before its due date, when nothing is due, then it waits for the first level', () => {
    expect(dunningStep(item(), levels, firstQueueDate(due))).toMatchObject({ kind: 'wait', state: { level: 0, nextActionDate: addDays(due, -3) } });
  });

  it.each(levels.map((level, index) => [level.name, index, addDays(due, level.offsetDays)] as const))('given %s is due, when the run comes on its day, then it is sent and the next level is scheduled', (_name, index, today) => {
    const step = dunningStep(item({ level: index }), levels, today);
    expect(step).toMatchObject({ kind: 'send', levelIndex: index, state: { level: index + 1, lastReminderAt: today } });
    const next = levels[index + 1];
    expect(step.state.nextActionDate).toBe(next ? addDays(due, next.offsetDays) : null);
  });

  it('given several levels passed while no run happened, when the run comes, then only the highest is sent', () => {
    expect(dunningStep(item({ level: 1 }), levels, addDays(due, 20))).toMatchObject({ kind: 'send', levelIndex: 3, state: { level: 4, nextActionDate: addDays(due, 30) } });
  });

  it('given every level taken, when looked at, then it leaves the work queue', () => {
    expect(dunningStep(item({ level: levels.length }), levels, addDays(due, 90))).toMatchObject({ kind: 'wait', state: { nextActionDate: null } });
  });

  it('given a promise to pay, when its date has not passed, then dunning waits until the day after it', () => {
    const promise = { date: addDays(due, 10), amountMinor: 10_000, openAtPromiseMinor: 10_000, recordedAt: '', recordedBy: 'x' };
    expect(dunningStep(item({ level: 1, promise }), levels, addDays(due, 7))).toMatchObject({ kind: 'wait', state: { nextActionDate: addDays(due, 11), promise } });
  });

  it('given a broken promise, when the day after it comes, then dunning resumes at the next level at once', () => {
    const promise = { date: addDays(due, 10), amountMinor: 10_000, openAtPromiseMinor: 10_000, recordedAt: '', recordedBy: 'x' };
    const step = dunningStep(item({ level: 1, promise }, 6_000), levels, addDays(due, 11));
    expect(step).toMatchObject({ kind: 'send', levelIndex: 1, state: { level: 2 } });
    expect(step.state.promise).toBeUndefined();
  });

  it('given a promise the run lets go (broken, or kept), then it joins the earlier promises on the invoice, for the collections KPIs', () => {
    const earlier = { date: addDays(due, 2), amountMinor: 1_000, openAtPromiseMinor: 10_000, recordedAt: 'a', recordedBy: 'x' };
    const promise = { date: addDays(due, 10), amountMinor: 10_000, openAtPromiseMinor: 10_000, recordedAt: 'b', recordedBy: 'x' };
    expect(dunningStep(item({ level: 1, promise, pastPromises: [earlier] }, 6_000), levels, addDays(due, 11)).state.pastPromises).toEqual([earlier, promise]);
    expect(dunningStep(item({ level: 1, promise, pastPromises: [earlier] }, 6_000), levels, addDays(due, 7)).state).toMatchObject({ promise, pastPromises: [earlier] });
  });

  it('given a kept promise whose invoice is still part open, when the day after comes, then the normal schedule goes on from the level reached meanwhile', () => {
    const promise = { date: addDays(due, 10), amountMinor: 4_000, openAtPromiseMinor: 10_000, recordedAt: '', recordedBy: 'x' };
    const step = dunningStep(item({ level: 2, promise }, 6_000), levels, addDays(due, 11));
    expect(step).toMatchObject({ kind: 'send', levelIndex: 2, state: { level: 3, nextActionDate: addDays(due, 14) } });
    expect(step.reason).not.toContain('broken');
  });
});

describe('dunningStep with deductions under review (issue 12)', () => {
  it('given deductions covering everything open, when a level falls due, then nothing is sent and it looks again tomorrow', () => {
    const today = addDays(due, 8);
    expect(dunningStep(item({ level: 1, deductedMinor: 10_000 }), levels, today)).toMatchObject({ kind: 'wait', state: { level: 1, deductedMinor: 10_000, nextActionDate: addDays(today, 1) } });
  });

  it('given part of the invoice deducted, when a level falls due, then it is sent and the state still carries the deduction', () => {
    const step = dunningStep(item({ level: 1, deductedMinor: 4_000 }), levels, addDays(due, 7));
    expect(step).toMatchObject({ kind: 'send', levelIndex: 2, state: { level: 3, deductedMinor: 4_000 } });
  });
});

describe('levelProblems and overrides', () => {
  it('given the default levels, when checked, then there is nothing to say', () => {
    expect(levelProblems(levels)).toEqual([]);
  });

  it.each([
    ['unordered', [levels[1]!, levels[0]!], /levels\[1\]\.offsetDays: levels must be in increasing order/],
    ['overlapping', [levels[1]!, { ...levels[2]!, offsetDays: 1 }], /without overlaps \(1 after 1\)/],
    ['too early', [{ ...levels[0]!, offsetDays: -20 }], /at most 14 days before the due date/],
    ['two holds', [{ ...levels[0]!, creditHold: true }, { ...levels[1]!, creditHold: true }], /only one level may put the customer on credit hold/],
    ['empty', [], /at least one level/],
  ])('given %s levels, when checked, then the problem is named', (_name, given, problem) => {
    expect(levelProblems(given).join('; ')).toMatch(problem);
  });

  it('given an exempt key account and a gentler override, when choosing levels, then none and its own', () => {
    const policy = { ...defaultDunningPolicy, customerOverrides: { KEY: { exempt: true as const }, SOFT: { levels: [levels[4]!] } } };
    expect(levelsFor(policy, 'KEY')).toBeUndefined();
    expect(levelsFor(policy, 'SOFT')).toEqual([levels[4]]);
    expect(levelsFor(policy, 'ANY')).toBe(policy.levels);
  });
});

describe('chargesFor', () => {
  const level = { name: 'final', offsetDays: 30, tone: 'final' as const, lateFeeMinor: { EUR: 500 }, interestAnnualBasisPoints: 900 };

  it('given a level with a fee and 9 % interest, when an invoice of 1 000.00 EUR is 30 days overdue, then the fee and 7.40 interest (half up) are listed', () => {
    // 100 000 × 9 % × 30 / 365 = 739.73 → 740 minor units.
    expect(chargesFor(defaultDunningPolicy, 'C1', level, { currency: 'EUR', openMinor: 100_000, dueDate: due }, addDays(due, 30))).toEqual({ lateFeeMinor: 500, interestMinor: 740 });
  });

  it('given a currency without a fee and an invoice not yet overdue, when charged, then nothing is listed', () => {
    expect(chargesFor(defaultDunningPolicy, 'C1', level, { currency: 'USD', openMinor: 100_000, dueDate: due }, addDays(due, -3))).toEqual({ lateFeeMinor: undefined, interestMinor: undefined });
  });

  it('given a customer whose fees are waived, when charged, then nothing is listed but the levels stay the default', () => {
    const policy = { ...defaultDunningPolicy, customerOverrides: { C1: { waiveFees: true } } };
    expect(chargesFor(policy, 'C1', level, { currency: 'EUR', openMinor: 100_000, dueDate: due }, addDays(due, 30))).toEqual({ lateFeeMinor: undefined, interestMinor: undefined });
    expect(levelsFor(policy, 'C1')).toBe(policy.levels);
  });
});
