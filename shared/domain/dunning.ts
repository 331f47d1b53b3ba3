import { addDays, daysBetween } from './dates.ts';
import { divideHalfUp } from './money.ts';

/**
 * Collections: which dunning step an overdue invoice is due for, by a policy of levels at offsets from the due
 * date. Pure decisions; the daily run reads the due invoices, applies these and sends one email per customer.
 */

export const dunningTones = ['friendly', 'reminder', 'firm', 'final'] as const;
export type DunningTone = (typeof dunningTones)[number];
export const dunningLanguages = ['en', 'de'] as const;
export type DunningLanguage = (typeof dunningLanguages)[number];

/** Countries (ISO 3166 alpha-2) whose customers get German reminders and statements; every other country English. */
const GERMAN_SPEAKING = new Set(['DE', 'AT', 'CH', 'LI', 'LU']);

/** The language of everything a customer is sent (reminder, statement): picked by its country. */
export function languageOf(country: string): DunningLanguage {
  return GERMAN_SPEAKING.has(country.trim().toUpperCase()) ? 'de' : 'en';
}

export interface DunningLevel {
  /** A short name people see in history and emails, e.g. `first reminder`. */
  name: string;
  /** Days after the due date this step is taken (negative: a reminder before it). */
  offsetDays: number;
  /** Which wording the email uses. */
  tone: DunningTone;
  /** Reaching this level puts the customer on credit hold. */
  creditHold?: boolean | undefined;
  /** An explicit late fee per currency (minor units), listed as its own, waivable line: never added silently. */
  lateFeeMinor?: Readonly<Record<string, number>> | undefined;
  /** Interest on the open amount for the days overdue (simple, actual/365), in basis points a year; also its own line. */
  interestAnnualBasisPoints?: number | undefined;
}

export interface DunningTemplate {
  /** `{customer}`, `{count}`, `{total}` are filled in. */
  subject: string;
  intro: string;
}

export interface DunningPolicy {
  levels: DunningLevel[];
  /** Per customer: exempt (a key account handled by a person), or its own gentler levels, and/or fees and interest waived. */
  customerOverrides: Readonly<Record<string, { exempt: true } | { levels?: DunningLevel[] | undefined; waiveFees?: boolean | undefined }>>;
  templates: Readonly<Record<DunningTone, Readonly<Record<DunningLanguage, DunningTemplate>>>>;
}

/**
 * What a reminder calls its level, in the customer's language. Level names (`first reminder`) are the operators'
 * words for history and audit; the customer reads these, so a German reminder never shows an English level.
 */
export const toneLabels: Readonly<Record<DunningTone, Readonly<Record<DunningLanguage, string>>>> = {
  friendly: { en: 'friendly reminder', de: 'freundliche Erinnerung' },
  reminder: { en: 'payment reminder', de: 'Zahlungserinnerung' },
  firm: { en: 'overdue notice', de: 'Mahnung' },
  final: { en: 'final notice', de: 'letzte Mahnung' },
};

/** The earliest a level may come before the due date: invoices enter the work queue this many days before it. */
export const MAX_DAYS_BEFORE_DUE = 14;

export const defaultDunningPolicy: DunningPolicy = {
  levels: [
    { name: 'friendly reminder', offsetDays: -3, tone: 'friendly' },
    { name: 'first reminder', offsetDays: 1, tone: 'reminder' },
    { name: 'second reminder', offsetDays: 7, tone: 'reminder' },
    { name: 'firm reminder', offsetDays: 14, tone: 'firm' },
    { name: 'final notice', offsetDays: 30, tone: 'final' },
    { name: 'credit hold', offsetDays: 45, tone: 'final', creditHold: true },
  ],
  customerOverrides: {},
  templates: {
    friendly: {
      en: { subject: 'Friendly reminder: {count} invoice(s) due soon, {total}', intro: 'Dear {customer}, this is a friendly reminder that the invoices below fall due shortly.' },
      de: { subject: 'Freundliche Erinnerung: {count} Rechnung(en) bald fällig, {total}', intro: 'Sehr geehrte Damen und Herren von {customer}, die folgenden Rechnungen werden in Kürze fällig.' },
    },
    reminder: {
      en: { subject: 'Payment reminder: {count} overdue invoice(s), {total}', intro: 'Dear {customer}, we have not yet received payment for the invoices below. Please pay them at your earliest convenience.' },
      de: { subject: 'Zahlungserinnerung: {count} überfällige Rechnung(en), {total}', intro: 'Sehr geehrte Damen und Herren von {customer}, für die folgenden Rechnungen ist noch keine Zahlung eingegangen.' },
    },
    firm: {
      en: { subject: 'Overdue: {count} invoice(s) remain unpaid, {total}', intro: 'Dear {customer}, the invoices below are now well past due. Please pay them within 7 days or contact us.' },
      de: { subject: 'Mahnung: {count} Rechnung(en) weiterhin offen, {total}', intro: 'Sehr geehrte Damen und Herren von {customer}, die folgenden Rechnungen sind deutlich überfällig. Bitte zahlen Sie innerhalb von 7 Tagen.' },
    },
    final: {
      en: { subject: 'Final notice: {count} invoice(s), {total}', intro: 'Dear {customer}, this is our final notice. Without payment, further deliveries on credit will be stopped.' },
      de: { subject: 'Letzte Mahnung: {count} Rechnung(en), {total}', intro: 'Sehr geehrte Damen und Herren von {customer}, dies ist unsere letzte Mahnung. Ohne Zahlung liefern wir nicht mehr auf Rechnung.' },
    },
  },
};

/** A promise to pay: dunning of the invoice waits until its date; less paid by then breaks it. */
export interface PaymentPromise {
  date: string;
  amountMinor: number;
  /** What was open when it was made: kept if open ≤ this − amount after the date. */
  openAtPromiseMinor: number;
  recordedAt: string;
  recordedBy: string;
}

/** An invoice's dunning state, on the invoice. */
export interface DunningState {
  /** How many levels were taken (0: none yet). */
  level: number;
  /** When the next step is due; `null` when every level was taken. Absent: not yet scheduled. */
  nextActionDate?: string | null | undefined;
  lastReminderAt?: string | undefined;
  promise?: PaymentPromise | undefined;
  /** Promises made before the current one, oldest first: what the collections KPIs judge. */
  pastPromises?: PaymentPromise[] | undefined;
  /** Deducted by the payer and under review (`deduction.ts`): dunning pauses for this much of what is open. */
  deductedMinor?: number | undefined;
  /** A promise to pay that was not kept, found on `detectedOn`: a person follows it up (a new promise clears it). */
  brokenPromise?: { date: string; amountMinor: number; detectedOn: string } | undefined;
}

/** What the daily run knows of a due invoice (the work queue's projection). */
export interface DunningItem {
  id: string;
  customerId: string;
  invoiceNumber: string;
  currency: string;
  openMinor: number;
  dueDate: string;
  dunning?: DunningState | undefined;
}

export type DunningStep =
  | { kind: 'send'; levelIndex: number; level: DunningLevel; state: DunningState; reason: string }
  | { kind: 'wait'; state: DunningState; reason: string };

/** The date an invoice first enters the work queue, before any policy has looked at it. */
export const firstQueueDate = (dueDate: string) => addDays(dueDate, -MAX_DAYS_BEFORE_DUE);

/** The levels a customer is dunned by, or `undefined` when exempt. */
export function levelsFor(policy: DunningPolicy, customerId: string): DunningLevel[] | undefined {
  const override = policy.customerOverrides[customerId];
  if (!override) return policy.levels;
  return 'exempt' in override ? undefined : (override.levels ?? policy.levels);
}

/**
 * The fee and interest lines a level adds to a reminder for one invoice, unless the customer's fees are waived.
 * Interest is simple, on the open amount, for the days overdue, actual/365, rounded half up.
 */
export function chargesFor(policy: DunningPolicy, customerId: string, level: DunningLevel, invoice: Pick<DunningItem, 'currency' | 'openMinor' | 'dueDate'>, today: string) {
  const override = policy.customerOverrides[customerId];
  if (override && 'waiveFees' in override && override.waiveFees) return { lateFeeMinor: undefined, interestMinor: undefined };
  const days = daysBetween(invoice.dueDate, today);
  const rate = level.interestAnnualBasisPoints ?? 0;
  const interestMinor = rate > 0 && days > 0 ? divideHalfUp(BigInt(invoice.openMinor) * BigInt(rate) * BigInt(days), 10_000n * 365n) : 0;
  return { lateFeeMinor: level.lateFeeMinor?.[invoice.currency] || undefined, interestMinor: interestMinor || undefined };
}

/**
 * The step an invoice is due for `today`. Each level is taken on the day its offset from the due date arrives;
 * when several have arrived at once (the run did not happen for a while), only the highest is sent. A promise to
 * pay holds everything until the day after its date; a broken promise resumes at the next level at once.
 */
export function dunningStep(item: DunningItem, levels: readonly DunningLevel[], today: string): DunningStep {
  // What the steps do not decide is carried over: deductions under review and a broken promise not yet followed up.
  const carried: Partial<DunningState> = {
    ...(item.dunning?.deductedMinor ? { deductedMinor: item.dunning.deductedMinor } : {}),
    ...(item.dunning?.brokenPromise ? { brokenPromise: item.dunning.brokenPromise } : {}),
  };
  const deducted = carried.deductedMinor ?? 0;
  if (deducted > 0 && item.openMinor <= deducted) return { kind: 'wait', state: { ...item.dunning, level: item.dunning?.level ?? 0, nextActionDate: addDays(today, 1) }, reason: `deductions of ${deducted} under review cover what is open` };
  // Deductions under review are not chased: the steps see only the rest.
  const step = levelStep({ ...item, openMinor: item.openMinor - deducted }, levels, today);
  return { ...step, state: { ...carried, ...promiseHistory(item.dunning, step.state), ...step.state } };
}

/** The promises made before, kept on the invoice for the collections KPIs: a promise the step lets go joins them. */
function promiseHistory(before: DunningState | undefined, after: DunningState): Pick<DunningState, 'pastPromises'> {
  const past = before?.pastPromises ?? [];
  const released = before?.promise && !after.promise ? [before.promise] : [];
  return past.length + released.length > 0 ? { pastPromises: [...past, ...released] } : {};
}

function levelStep(item: DunningItem, levels: readonly DunningLevel[], today: string): DunningStep {
  const state: DunningState = { level: item.dunning?.level ?? 0, lastReminderAt: item.dunning?.lastReminderAt };
  const promise = item.dunning?.promise;
  const levelAt = (index: number) => levels[index] as DunningLevel;
  const scheduleNext = (level: number): string | null => (level < levels.length ? addDays(item.dueDate, levelAt(level).offsetDays) : null);

  if (promise) {
    if (today <= promise.date) return { kind: 'wait', state: { ...state, promise, nextActionDate: addDays(promise.date, 1) }, reason: `promise to pay ${promise.amountMinor} by ${promise.date}` };
    const kept = item.openMinor <= promise.openAtPromiseMinor - promise.amountMinor;
    if (!kept && state.level < levels.length) {
      const level = state.level + 1;
      return {
        kind: 'send',
        levelIndex: state.level,
        level: levelAt(state.level),
        state: { level, lastReminderAt: today, nextActionDate: nextAfter(item.dueDate, levels, level, today), brokenPromise: { date: promise.date, amountMinor: promise.amountMinor, detectedOn: today } },
        reason: `the promise to pay ${promise.amountMinor} by ${promise.date} was broken: resumes at ${levelAt(state.level).name}`,
      };
    }
  }
  if (state.level >= levels.length) return { kind: 'wait', state: { ...state, nextActionDate: null }, reason: 'every dunning level was taken' };
  let reached = -1;
  for (let index = state.level; index < levels.length; index++) if (addDays(item.dueDate, levelAt(index).offsetDays) <= today) reached = index;
  if (reached < 0) return { kind: 'wait', state: { ...state, nextActionDate: scheduleNext(state.level) }, reason: `${levelAt(state.level).name} is due on ${scheduleNext(state.level)}` };
  const level = reached + 1;
  return {
    kind: 'send',
    levelIndex: reached,
    level: levelAt(reached),
    state: { level, lastReminderAt: today, nextActionDate: nextAfter(item.dueDate, levels, level, today) },
    reason: `${levelAt(reached).name}: ${Math.abs(daysBetween(item.dueDate, today))} day(s) ${today < item.dueDate ? 'before' : 'after'} the due date`,
  };
}

/** The next level's date, but never today or earlier (a later level is taken on a later run). */
function nextAfter(dueDate: string, levels: readonly DunningLevel[], level: number, today: string): string | null {
  if (level >= levels.length) return null;
  const next = addDays(dueDate, (levels[level] as DunningLevel).offsetDays);
  return next > today ? next : addDays(today, 1);
}


/** Problems with a set of levels, for a 400 that says what to change (empty when fine). */
export function levelProblems(levels: readonly DunningLevel[], path = 'levels'): string[] {
  const problems: string[] = [];
  if (levels.length === 0) problems.push(`${path}: give at least one level`);
  levels.forEach((level, index) => {
    if (level.offsetDays < -MAX_DAYS_BEFORE_DUE) problems.push(`${path}[${index}].offsetDays: at most ${MAX_DAYS_BEFORE_DUE} days before the due date`);
    const previous = levels[index - 1];
    if (previous && level.offsetDays <= previous.offsetDays)
      problems.push(`${path}[${index}].offsetDays: levels must be in increasing order of offset without overlaps (${level.offsetDays} after ${previous.offsetDays})`);
  });
  const holds = levels.filter((level) => level.creditHold).length;
  if (holds > 1) problems.push(`${path}: only one level may put the customer on credit hold`);
  return problems;
}
