import type { DunningEmailInput } from '../emails.ts';
import { formatDateIn, formatMoneyIn } from '../locale.ts';
import { auditTrail, COLLECTIONS_ACTOR, type AuditEvent } from '../audit.ts';
import type { Customer } from '../customer.ts';
import { chargesFor, defaultDunningPolicy, dunningStep, languageOf, levelsFor, levelProblems, toneLabels, type DunningPolicy, type DunningStep } from '../dunning.ts';
import { dunnableOf } from '../deduction.ts';
import { Conflict, InvalidRequest, NotFound } from '../errors.ts';
import { isCollectible, type Invoice } from '../invoice.ts';
import type { Seller } from '../invoicing.ts';
import type { CashOnAccountReader, Clock, Customers, DueInvoice, DunningRun, DunningStore, IdGenerator, InvoiceStore, Mailer } from '../ports.ts';
import { buildStatement, statementFilename, type Statement } from '../statement.ts';
import { allInvoicesOf } from './statement.ts';
import { addDays, daysBetween } from '../dates.ts';

export interface DunningDeps {
  dunning: DunningStore;
  customers: Customers;
  invoices: InvoiceStore;
  seller: Seller;
  mailer: Mailer;
  clock: Clock;
  ids: IdGenerator;
  compose: (input: DunningEmailInput) => Promise<Uint8Array>;
  renderStatement: (statement: Statement) => Promise<Uint8Array>;
  /** The customer's cash on account for the statement attached (the run wires it; without it none is listed). */
  cashOnAccount?: CashOnAccountReader | undefined;
}

const ACTOR = COLLECTIONS_ACTOR;
/** One customer's run is one transaction (100 items): its invoice updates, their audit events, the marker, the customer. */
const MAX_INVOICES_PER_CUSTOMER_RUN = 45;
/** A customer whose collections are held by a person is looked at again a week later. */
const HOLD_RECHECK_DAYS = 7;

export interface DunningRunSummary {
  today: string;
  due: number;
  reminders: number;
  /** The reminders by dunning level (`{ '1': 4, '2': 1 }`): the level each invoice reached today. */
  remindersByLevel: Record<string, number>;
  emails: number;
  paused: number;
  creditHolds: number;
  skippedAlreadyRun: number;
  readCapacity: number;
}

/**
 * The daily collections run for `today`: reads only the invoices whose next step is due (the gsi3 work queue),
 * decides each by the policy, and per customer writes the new dunning states, the credit hold and a run marker
 * in one transaction before sending one consolidated email with the statement attached. A second run on the same
 * day finds nothing due (the states moved on) or the marker (and only resends an email that did not go out).
 */
export async function runDunning(input: { today: string }, deps: DunningDeps): Promise<DunningRunSummary> {
  const policy = (await deps.dunning.policy()) ?? defaultDunningPolicy;
  const { items, readCapacity } = await deps.dunning.due(input.today);
  const summary: DunningRunSummary = { today: input.today, due: items.length, reminders: 0, remindersByLevel: {}, emails: 0, paused: 0, creditHolds: 0, skippedAlreadyRun: 0, readCapacity };
  const byCustomer = new Map<string, DueInvoice[]>();
  for (const item of items) byCustomer.set(item.customerId, [...(byCustomer.get(item.customerId) ?? []), item]);
  for (const [customerId, invoices] of byCustomer) {
    const customer = await deps.customers.get(customerId);
    if (!customer) continue;
    await runForCustomer(customer, invoices.slice(0, MAX_INVOICES_PER_CUSTOMER_RUN), policy, input.today, deps, summary);
  }
  return summary;
}

async function runForCustomer(customer: Customer, invoices: DueInvoice[], policy: DunningPolicy, today: string, deps: DunningDeps, summary: DunningRunSummary) {
  const at = deps.clock.now().toISOString();
  const audit = auditTrail(deps, { actor: ACTOR, at });
  const levels = levelsFor(policy, customer.id);
  const steps: { invoice: DueInvoice; step: DunningStep }[] = invoices.map((invoice) => {
    if (!levels) return { invoice, step: { kind: 'wait', state: { ...(invoice.dunning ?? { level: 0 }), nextActionDate: addDays(today, HOLD_RECHECK_DAYS) }, reason: 'the customer is exempt from dunning' } };
    if (customer.collectionsHold) return { invoice, step: { kind: 'wait', state: { ...(invoice.dunning ?? { level: 0 }), nextActionDate: addDays(today, HOLD_RECHECK_DAYS) }, reason: `collections are on hold for the customer${customer.collectionsHoldReason ? `: ${customer.collectionsHoldReason}` : ''}` } };
    return { invoice, step: dunningStep(invoice, levels, today) };
  });

  const audits: AuditEvent[] = [];
  for (const { invoice, step } of steps) {
    if (step.kind === 'send') audits.push(audit({ entity: 'invoice', entityId: invoice.id, customerId: customer.id, type: 'DunningReminderSent', after: step.level.name, reason: step.reason }));
    else if (step.reason.startsWith('promise') || step.reason.includes('hold') || step.reason.includes('exempt')) {
      summary.paused += 1;
      audits.push(audit({ entity: 'invoice', entityId: invoice.id, customerId: customer.id, type: 'DunningPaused', reason: `${step.reason}; next look ${step.state.nextActionDate}` }));
    }
  }
  const sends = steps.flatMap(({ invoice, step }) => (step.kind === 'send' ? [{ invoice, step }] : []));
  const holdLevel = sends.find(({ step }) => step.level.creditHold);
  let customerChange: { before: Customer; after: Customer } | undefined;
  if (holdLevel && !customer.onCreditHold) {
    const reason = `dunning: ${holdLevel.invoice.invoiceNumber} reached "${holdLevel.step.level.name}" on ${today}`;
    customerChange = { before: customer, after: { ...customer, onCreditHold: true, creditHoldReason: reason, creditHoldSource: 'dunning', updatedAt: at, version: customer.version + 1 } };
    audits.push(audit({ entity: 'customer', entityId: customer.id, customerId: customer.id, type: 'CreditHoldPlaced', before: 'ACTIVE', after: 'ON_HOLD', reason }));
  }
  const run: DunningRun | undefined =
    sends.length > 0
      ? {
          date: today,
          customerId: customer.id,
          reminders: sends.map(({ invoice, step }) => ({
            invoiceId: invoice.id,
            invoiceNumber: invoice.invoiceNumber,
            level: step.state.level,
            levelName: step.level.name,
            currency: invoice.currency,
            openMinor: dunnableOf(invoice),
            dueDate: invoice.dueDate,
            paymentReference: invoice.paymentReference,
            ...chargesFor(policy, customer.id, step.level, { ...invoice, openMinor: dunnableOf(invoice) }, today),
          })),
          email: { status: customer.email ? 'PENDING' : 'NO_ADDRESS' },
          createdAt: at,
        }
      : undefined;

  const outcome = await deps.dunning.recordRun({ run, invoices: steps.map(({ invoice, step }) => ({ invoice, dunning: step.state, at })), customer: customerChange, audits });
  if (outcome === 'changed') return; // an invoice was paid or changed meanwhile: it is still due, and the next run decides it
  let pending = run;
  if (outcome === 'exists') {
    summary.skippedAlreadyRun += 1;
    pending = await deps.dunning.runOf(today, customer.id);
    if (pending?.email.status !== 'PENDING') return;
  } else {
    summary.reminders += sends.length;
    for (const { step } of sends) summary.remindersByLevel[step.state.level] = (summary.remindersByLevel[step.state.level] ?? 0) + 1;
    if (customerChange) summary.creditHolds += 1;
  }
  if (pending && pending.email.status === 'PENDING') {
    const messageId = await sendReminder(customer, pending, policy, deps);
    await deps.dunning.markRunEmailed(today, customer.id, messageId);
    summary.emails += 1;
  }
}

async function sendReminder(customer: Customer, run: DunningRun, policy: DunningPolicy, deps: DunningDeps): Promise<string> {
  const invoices = await allInvoicesOf(customer.id, deps.invoices);
  const cashOnAccount = deps.cashOnAccount ? await deps.cashOnAccount.ofCustomer(customer.id) : [];
  const statement = buildStatement({ customer, invoices, cashOnAccount, asOf: run.date, seller: deps.seller });
  const toneOrder = ['friendly', 'reminder', 'firm', 'final'] as const;
  const levels = levelsFor(policy, customer.id) ?? policy.levels;
  const tone = toneOrder[Math.max(...run.reminders.map((reminder) => toneOrder.indexOf(levels[reminder.level - 1]?.tone ?? 'reminder')))] ?? 'reminder';
  const language = languageOf(customer.country);
  const money = (minor: number, currency: string) => formatMoneyIn(minor, currency, language);
  const template = policy.templates[tone][language];
  const totals = new Map<string, number>();
  for (const reminder of run.reminders) totals.set(reminder.currency, (totals.get(reminder.currency) ?? 0) + reminder.openMinor + (reminder.lateFeeMinor ?? 0) + (reminder.interestMinor ?? 0));
  const total = [...totals].map(([currency, amount]) => money(amount, currency)).join(' + ');
  const fill = (text: string) => text.replaceAll('{customer}', customer.name).replaceAll('{count}', String(run.reminders.length)).replaceAll('{total}', total);
  const raw = await deps.compose({
    language,
    from: { name: deps.seller.party.name, address: deps.seller.email.fromAddress },
    to: [customer.email],
    replyTo: deps.seller.email.replyTo,
    subject: fill(template.subject),
    intro: fill(template.intro),
    rows: run.reminders.map((reminder) => ({
      number: reminder.invoiceNumber,
      dueDate: formatDateIn(reminder.dueDate, language),
      daysOverdue: daysBetween(reminder.dueDate, run.date),
      openFormatted: money(reminder.openMinor, reminder.currency),
      paymentReference: reminder.paymentReference,
      level: toneLabels[levels[reminder.level - 1]?.tone ?? 'reminder'][language],
      lateFeeFormatted: reminder.lateFeeMinor ? money(reminder.lateFeeMinor, reminder.currency) : undefined,
      interestFormatted: reminder.interestMinor ? money(reminder.interestMinor, reminder.currency) : undefined,
    })),
    totalFormatted: total,
    paymentInstructions: deps.seller.paymentInstructions,
    statementPdf: await deps.renderStatement(statement),
    statementFilename: statementFilename(statement),
    messageId: `<dunning-${run.date}-${customer.id}@o2c>`,
  });
  return deps.mailer.sendRaw({ from: deps.seller.email.fromAddress, to: [customer.email], raw });
}

/**
 * `POST /invoices/{id}/promises`: the customer promises to pay `amountMinor` by `date`. Dunning of the invoice
 * waits until the day after; if less was paid by then, it resumes at the next level.
 */
export async function recordPromise(input: { invoiceId: string; date: string; amountMinor: number; note?: string | undefined; caller: { actor: string } }, deps: { invoices: InvoiceStore; clock: Clock; ids: IdGenerator }) {
  const invoice = await deps.invoices.get(input.invoiceId);
  if (!invoice || invoice.document.kind !== 'invoice') throw new NotFound(`invoice ${input.invoiceId} does not exist`);
  if (!isCollectible(invoice)) throw new Conflict(`invoice ${invoice.document.number} is ${invoice.status} with ${invoice.openMinor} open: there is nothing to promise`);
  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);
  if (input.date <= today) throw new InvalidRequest(`the promised date ${input.date} must be after today (${today})`);
  if (input.amountMinor > invoice.openMinor) throw new InvalidRequest(`the promised ${input.amountMinor} is more than the ${invoice.openMinor} open on ${invoice.document.number}`);
  const at = now.toISOString();
  const promise = { date: input.date, amountMinor: input.amountMinor, openAtPromiseMinor: invoice.openMinor, recordedAt: at, recordedBy: input.caller.actor };
  const after: Invoice = { ...invoice, dunning: { ...(invoice.dunning ?? { level: 0 }), promise, pastPromises: pastPromisesOf(invoice), brokenPromise: undefined, nextActionDate: addDays(input.date, 1) }, updatedAt: at, version: invoice.version + 1 };
  const audit = auditTrail(deps, { actor: input.caller.actor, at })({
    entity: 'invoice',
    entityId: invoice.id,
    customerId: invoice.customerId,
    type: 'PromiseToPayRecorded',
    reason: `${input.amountMinor} by ${input.date}${input.note ? `: ${input.note}` : ''}; dunning waits until ${addDays(input.date, 1)}`,
  });
  if (!(await deps.invoices.update(invoice, after, audit))) throw new Conflict(`invoice ${invoice.document.number} changed meanwhile; try again`);
  return { invoiceId: invoice.id, number: invoice.document.number, promise, dunningResumes: addDays(input.date, 1) };
}

/** The invoice's promises before a new one: the earlier ones and the current one, so none is forgotten. */
const pastPromisesOf = (invoice: Invoice) => {
  const { promise, pastPromises = [] } = invoice.dunning ?? {};
  return promise ? [...pastPromises, promise] : pastPromises.length > 0 ? pastPromises : undefined;
};

/** `PUT /dunning-policy`: levels in increasing order without overlaps, the same for every override. */
export async function saveDunningPolicy(input: { policy: DunningPolicy; caller: { actor: string } }, deps: { dunning: DunningStore; clock: Clock }) {
  const problems = [
    ...levelProblems(input.policy.levels),
    ...Object.entries(input.policy.customerOverrides).flatMap(([customerId, override]) => ('levels' in override && override.levels ? levelProblems(override.levels, `customerOverrides.${customerId}.levels`) : [])),
  ];
  if (problems.length > 0) throw new InvalidRequest(`the dunning policy is not valid: ${problems.join('; ')}`, { problems });
  const savedAt = deps.clock.now().toISOString();
  await deps.dunning.savePolicy(input.policy, input.caller.actor, savedAt);
  return { policy: input.policy, savedBy: input.caller.actor, savedAt };
}

export async function getDunningPolicy(deps: { dunning: DunningStore }) {
  return (await deps.dunning.policy()) ?? defaultDunningPolicy;
}
