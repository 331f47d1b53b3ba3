/**
 * How much of the cash that arrives O2C applies by itself, and how long the rest waits for a person. Computed from
 * the payments as stored (`payment.ts`): an allocation made by cash application carries `by: 'cash-application'`,
 * one made by a person carries their user name.
 *
 * The words, for one currency (amounts of two currencies are never added):
 * - an entry is a payment that brought money in and asked to be applied: APPLIED, UNMATCHED, or REVERSED (applied,
 *   then returned by the bank); debits, ignored entries and the returns themselves are no entries;
 * - auto-applied: cash application allocated (some of) it to invoices by itself;
 * - straight-through: auto-applied and nobody touched it: every allocation and adjustment by cash application,
 *   nothing left unapplied, no deduction for a person to decide;
 * - exception: cash application allocated none of it; it waits in the unmatched queue until a person allocates it
 *   (resolved, at the time of their first allocation).
 * Rates are `Share`s (part, whole, percent), by count of entries (or lines) and by amount.
 *
 * Pure: the caller passes the payments in scope (e.g. booked in the report's months) and `at`; no clock, no I/O.
 */
import { CASH_APPLICATION_ACTOR } from './audit.ts';
import { durationStats, secondsBetween, share, type DurationStats, type Share } from './figures.ts';
import type { Payment } from './payment.ts';
import { compareText } from './text.ts';

/** What the rates read of a payment (a stored `Payment` fits). */
export type KpiPayment = Pick<Payment, 'id' | 'status' | 'currency' | 'amountMinor' | 'createdAt' | 'allocations' | 'adjustments' | 'deductions' | 'unappliedMinor' | 'source'>;

export interface CountAndAmount {
  byCount: Share;
  byAmount: Share;
}

/** One entry as the rates classed it: the inputs of every rate. */
export interface ClassifiedEntry {
  paymentId: string;
  format: string;
  amountMinor: number;
  autoApplied: boolean;
  straightThrough: boolean;
  exception: boolean;
  /** When a person first allocated it (an exception resolved). */
  resolvedAt?: string | undefined;
}

export interface CashApplicationKpis {
  currency: string;
  at: string;
  /** Entries auto-applied ÷ all entries. */
  envelope: CountAndAmount;
  /** Allocation lines made by cash application ÷ all allocation lines of the entries. */
  line: CountAndAmount;
  /** Entries applied straight through ÷ all entries. */
  straightThrough: CountAndAmount;
  /** Per bank file format (`camt053`, `bai2`, `mt940`, `csv`; `unknown` when the file's format was not given). */
  byFormat: { format: string; entries: number; envelope: CountAndAmount; straightThrough: CountAndAmount }[];
  /** Per matching rule: its allocation lines ÷ all lines, by count and amount; `manual` is a person's. */
  byRule: { rule: string; lines: Share; amount: Share }[];
  exceptions: {
    raised: number;
    open: number;
    resolved: number;
    /** By the UTC day of the first manual allocation. */
    resolvedPerDay: { date: string; count: number; amountMinor: number }[];
    /** From the entry's arrival to its first manual allocation. */
    ageAtResolution: DurationStats;
    /** Of those still open, from arrival to `at`. */
    openAge: DurationStats;
  };
  entries: ClassifiedEntry[];
}

const ENTRY_STATUSES: ReadonlySet<string> = new Set(['APPLIED', 'UNMATCHED', 'REVERSED']);

const byAutomation = <T extends { by: string }>(items: readonly T[]) => items.filter((item) => item.by === CASH_APPLICATION_ACTOR);

/** Whether a payment is an entry cash application was asked to apply (see the module's words). */
export const isCashEntry = (payment: Pick<KpiPayment, 'status' | 'amountMinor'>): boolean => payment.amountMinor > 0 && ENTRY_STATUSES.has(payment.status);

/** Classes one entry: auto-applied, straight-through, exception (and when it was resolved). */
export function classifyEntry(payment: KpiPayment, formatByFile: Readonly<Record<string, string>> = {}): ClassifiedEntry {
  const automatic = byAutomation(payment.allocations);
  const autoApplied = automatic.length > 0;
  const untouched = automatic.length === payment.allocations.length && byAutomation(payment.adjustments).length === payment.adjustments.length;
  const straightThrough = autoApplied && untouched && payment.unappliedMinor === 0 && (payment.deductions ?? []).length === 0;
  const manualTimes = payment.allocations.filter((allocation) => allocation.by !== CASH_APPLICATION_ACTOR).map((allocation) => allocation.at).sort(compareText);
  return {
    paymentId: payment.id,
    format: formatByFile[payment.source.bankFile] ?? 'unknown',
    amountMinor: payment.amountMinor,
    autoApplied,
    straightThrough,
    exception: !autoApplied,
    resolvedAt: !autoApplied ? manualTimes[0] : undefined,
  };
}

function rates(entries: readonly ClassifiedEntry[], pick: (entry: ClassifiedEntry) => boolean): CountAndAmount {
  const picked = entries.filter(pick);
  const amount = (list: readonly ClassifiedEntry[]) => list.reduce((sum, entry) => sum + entry.amountMinor, 0);
  return { byCount: share(picked.length, entries.length), byAmount: share(amount(picked), amount(entries)) };
}

/**
 * The cash application rates of the entries among `payments` in `currency`, and the exceptions' flow and age as
 * of the instant `at`. `formatByFile` names the format of each bank file by its SHA-256 (`Payment.source.bankFile`).
 */
export function cashApplicationKpis(input: { payments: readonly KpiPayment[]; currency: string; at: string; formatByFile?: Readonly<Record<string, string>> | undefined }): CashApplicationKpis {
  const payments = input.payments.filter((payment) => payment.currency === input.currency && isCashEntry(payment));
  const entries = payments.map((payment) => classifyEntry(payment, input.formatByFile));

  const lines = payments.flatMap((payment) => payment.allocations);
  const lineAmount = (list: readonly { amountMinor: number }[]) => list.reduce((sum, line) => sum + line.amountMinor, 0);
  const automaticLines = byAutomation(lines);
  const rules = [...new Set(lines.map((line) => line.rule))].sort(compareText);

  const formats = [...new Set(entries.map((entry) => entry.format))].sort(compareText);
  const byFormat = formats.map((format) => {
    const ofFormat = entries.filter((entry) => entry.format === format);
    return { format, entries: ofFormat.length, envelope: rates(ofFormat, (entry) => entry.autoApplied), straightThrough: rates(ofFormat, (entry) => entry.straightThrough) };
  });

  const createdAt = new Map(payments.map((payment) => [payment.id, payment.createdAt]));
  const exceptions = entries.filter((entry) => entry.exception);
  const resolved = exceptions.filter((entry) => entry.resolvedAt !== undefined);
  const open = exceptions.filter((entry) => entry.resolvedAt === undefined);
  const perDay = new Map<string, { date: string; count: number; amountMinor: number }>();
  for (const entry of resolved) {
    const date = (entry.resolvedAt as string).slice(0, 10);
    const day = perDay.get(date) ?? perDay.set(date, { date, count: 0, amountMinor: 0 }).get(date)!;
    day.count += 1;
    day.amountMinor += entry.amountMinor;
  }

  return {
    currency: input.currency,
    at: input.at,
    envelope: rates(entries, (entry) => entry.autoApplied),
    line: { byCount: share(automaticLines.length, lines.length), byAmount: share(lineAmount(automaticLines), lineAmount(lines)) },
    straightThrough: rates(entries, (entry) => entry.straightThrough),
    byFormat,
    byRule: rules.map((rule) => {
      const ofRule = lines.filter((line) => line.rule === rule);
      return { rule, lines: share(ofRule.length, lines.length), amount: share(lineAmount(ofRule), lineAmount(lines)) };
    }),
    exceptions: {
      raised: exceptions.length,
      open: open.length,
      resolved: resolved.length,
      resolvedPerDay: [...perDay.values()].sort((a, b) => compareText(a.date, b.date)),
      ageAtResolution: durationStats(resolved.map((entry) => ({ id: entry.paymentId, seconds: secondsBetween(createdAt.get(entry.paymentId) as string, entry.resolvedAt as string) }))),
      openAge: durationStats(open.map((entry) => ({ id: entry.paymentId, seconds: secondsBetween(createdAt.get(entry.paymentId) as string, input.at) }))),
    },
    entries,
  };
}
