import { createHash } from 'node:crypto';
import { auditTrail, CASH_APPLICATION_ACTOR, type AuditEvent } from '../audit.ts';
import { assertBalanced, BankFileError, type BankEntry, type ParsedBankFile } from '../bank-statement.ts';
import { matchEntries, openItemKeys, settlementViolation, type EntryMatch, type MatchingPolicy } from '../cash-matching.ts';
import type { Customer } from '../customer.ts';
import { deductedOf, deductionId, deductionRecords, withDeducted, type DeductionRecord } from '../deduction.ts';
import { TransientError } from '../errors.ts';
import type { Invoice } from '../invoice.ts';
import { asPriorPayment, customerAfterPayment, mayReleaseHold, openToPayment, orderChangesFor, overdueAfter, paymentIdFor, settleInvoice, settledByInvoice, type Payment, type PaymentStatus } from '../payment.ts';
import type { BankFileRecord, BankFileStorage, Change, Clock, Customers, DeductionStore, IdGenerator, InvoiceStore, OpenItems, OrderStore, PaymentStore, PaymentWrite, Receivables } from '../ports.ts';

export interface ReceiveBankFileDeps {
  files: BankFileStorage;
  payments: PaymentStore;
  openItems: OpenItems;
  invoices: InvoiceStore;
  customers: Customers;
  receivables: Receivables;
  orders: Pick<OrderStore, 'get'>;
  /** The deductions a returned payment took, to cancel them with it. */
  deductions?: Pick<DeductionStore, 'get'> | undefined;
  clock: Clock;
  ids: IdGenerator;
  policy: MatchingPolicy;
  /** Parses a file (format detected; CSV with the profile of the account its key names). */
  parse: (text: string, fileKey: string) => Promise<ParsedBankFile>;
  /** Larger files are quarantined unread. */
  maxBytes: number;
  prefixes: { processed: string; quarantine: string };
}

/** A payment touching more invoices than this goes to a person: one DynamoDB transaction holds 100 items. */
const MAX_INVOICES_PER_PAYMENT = 40;
const ACTOR = CASH_APPLICATION_ACTOR;

export type BankFileOutcome =
  | { status: 'applied'; sha256: string; counts: Record<string, number>; appliedByRule: Record<string, number> }
  | { status: 'duplicate'; sha256: string }
  | { status: 'quarantined'; sha256?: string | undefined; error: { message: string; location?: string | undefined } }
  | { status: 'gone' };

/**
 * Cash application of one bank file: parse it, skip what was seen before (the same file, or entries that an
 * overlapping statement already brought), match the new entries, and write each payment with the invoices,
 * customer exposure and audit events it changes in one transaction. A file that cannot be read, or whose
 * statements do not add up, is quarantined with a report and nothing of it is applied.
 *
 * Every step can run again: a redelivered event finds the payments already written and skips them.
 */
export async function receiveBankFile(input: { fileKey: string; sizeBytes?: number | undefined }, deps: ReceiveBankFileDeps): Promise<BankFileOutcome> {
  const receivedAt = deps.clock.now().toISOString();
  if (input.sizeBytes !== undefined && input.sizeBytes > deps.maxBytes) {
    return quarantine(input.fileKey, undefined, new BankFileError(`the file is ${input.sizeBytes} bytes; bank files are limited to ${deps.maxBytes} bytes`), receivedAt, deps);
  }
  const text = await deps.files.read(input.fileKey);
  if (text === undefined) return { status: 'gone' };
  const sha256 = createHash('sha256').update(text).digest('hex');
  const seen = await deps.payments.getBankFile(sha256);
  // A quarantined file dropped again (after its CSV profile was saved, say) is read again; anything else seen is done.
  if (seen && seen.status !== 'QUARANTINED') {
    await deps.files.move(input.fileKey, deps.prefixes.processed);
    return { status: 'duplicate', sha256 };
  }

  let parsed: ParsedBankFile;
  try {
    parsed = await deps.parse(text, input.fileKey);
    assertBalanced(parsed);
  } catch (error) {
    if (error instanceof BankFileError) return quarantine(input.fileKey, sha256, error, receivedAt, deps);
    throw error;
  }

  const { counts, appliedByRule } = await applyEntries(parsed, { sha256, fileKey: input.fileKey }, deps);
  await deps.payments.saveBankFile({
    sha256,
    fileKey: input.fileKey,
    status: 'APPLIED',
    format: parsed.format,
    statements: parsed.statements.map(({ entries, ...statement }) => ({ ...statement, entries: entries.length })),
    counts,
    receivedAt,
    processedAt: deps.clock.now().toISOString(),
  });
  await deps.files.move(input.fileKey, deps.prefixes.processed);
  return { status: 'applied', sha256, counts, appliedByRule };
}

/** What `receiveBankFile` writes beside a quarantined file. */
export interface QuarantineReport {
  file: string;
  quarantinedAs: string;
  sha256?: string | undefined;
  error: { message: string; location?: string | undefined };
  at: string;
  applied: 0;
}

async function quarantine(fileKey: string, sha256: string | undefined, error: BankFileError, receivedAt: string, deps: ReceiveBankFileDeps): Promise<BankFileOutcome> {
  const report = { message: error.message, ...(error.location ? { location: error.location } : {}) };
  const moved = await deps.files.move(fileKey, deps.prefixes.quarantine);
  await deps.files.put(`${moved}.report.json`, `${JSON.stringify({ file: fileKey, quarantinedAs: moved, sha256, error: report, at: receivedAt, applied: 0 } satisfies QuarantineReport, null, 2)}\n`);
  if (sha256) await deps.payments.saveBankFile({ sha256, fileKey, status: 'QUARANTINED', error: report, quarantinedAs: moved, receivedAt, processedAt: deps.clock.now().toISOString() } satisfies BankFileRecord);
  return { status: 'quarantined', sha256, error: report };
}

/**
 * The payments of a file's new entries, written one by one; `counts` by outcome, and the applied ones by the rule of
 * their first allocation (`on-account` when no invoice took the cash).
 */
async function applyEntries(
  parsed: ParsedBankFile,
  source: { sha256: string; fileKey: string },
  deps: ReceiveBankFileDeps,
): Promise<{ counts: Record<string, number>; appliedByRule: Record<string, number> }> {
  const all = parsed.statements.flatMap((statement) => statement.entries);
  const statementCurrency = new Map(parsed.statements.flatMap((statement) => statement.entries.map((entry) => [entry, statement.currency] as const)));
  const ids = all.map(paymentIdFor);
  const recorded = await deps.payments.recorded([...new Set(ids)]);
  const seen = new Set<string>();
  const fresh: { entry: BankEntry; paymentId: string }[] = [];
  all.forEach((entry, index) => {
    const paymentId = ids[index] as string;
    if (recorded.has(paymentId) || seen.has(paymentId)) return;
    seen.add(paymentId);
    fresh.push({ entry, paymentId });
  });
  const counts: Record<string, number> = { entries: all.length, alreadyRecorded: all.length - fresh.length, applied: 0, unmatched: 0, ignored: 0, returns: 0 };
  const appliedByRule: Record<string, number> = {};
  if (fresh.length === 0) return { counts, appliedByRule };

  const payerAccounts = await deps.payments.payerAccounts([...new Set(fresh.flatMap(({ entry }) => (entry.counterparty.account ? [entry.counterparty.account] : [])))]);
  const returns = fresh.filter(({ entry }) => entry.amountMinor < 0 && (entry.reversal || entry.returnReason));
  const priorPayments = new Map<string, Payment>();
  for (const { entry } of returns) {
    for (const payment of await deps.payments.returnable({ account: entry.account, payerAccount: entry.counterparty.account, endToEndId: entry.endToEndId })) priorPayments.set(payment.id, payment);
  }
  // Entries of this file are known to the engine under their payment ids, so a return finds them either way.
  const entries = fresh.map(({ entry, paymentId }) => ({ ...entry, id: paymentId, statementCurrency: statementCurrency.get(entry) }));
  // Only the open invoices these entries can match (by what they name, and the payers they lead to): issue 16.
  const openItems = await deps.openItems.find(openItemKeys(entries, payerAccounts));
  const matches = matchEntries(entries, { openItems, payerAccounts, priorPayments: [...priorPayments.values()].filter((payment) => payment.status === 'APPLIED' || payment.status === 'UNMATCHED').map(asPriorPayment) }, deps.policy);

  const cache = { invoices: new Map<string, Invoice>(), customers: new Map<string, Customer>(), payments: new Map(priorPayments) };
  for (const [index, { entry, paymentId }] of fresh.entries()) {
    let match = await applicable(entry, limitedMatch(matches[index] as EntryMatch), cache, deps);
    let outcome = await writePayment(entry, paymentId, match, source, cache, deps);
    if (outcome === 'too-large') {
      // Everything it settles does not fit one transaction: a person allocates it in parts.
      match = { ...match, outcome: 'unmatched', customerId: undefined, allocations: [], adjustments: [], deductions: [], unappliedMinor: 0, reason: `${match.reason}; it changes more than one transaction can hold: allocate it by hand in parts` };
      outcome = await writePayment(entry, paymentId, match, source, cache, deps);
    }
    if (outcome === 'changed') throw new TransientError(`an invoice or customer changed while ${paymentId} was applied; the file is processed again`);
    const counter = match.outcome === 'applied' ? 'applied' : match.outcome === 'reversal' ? 'returns' : match.outcome;
    counts[counter] = (counts[counter] ?? 0) + 1;
    if (match.outcome === 'applied') {
      const rule = match.allocations[0]?.rule ?? 'on-account';
      appliedByRule[rule] = (appliedByRule[rule] ?? 0) + 1;
    }
  }
  return { counts, appliedByRule };
}

const invoicesOf = (match: EntryMatch) => [...new Set([...match.allocations, ...match.adjustments, ...(match.deductions ?? [])].map((line) => line.invoiceId))];

function limitedMatch(match: EntryMatch): EntryMatch {
  const invoices = invoicesOf(match);
  if (invoices.length <= MAX_INVOICES_PER_PAYMENT) return match;
  return { ...match, outcome: 'unmatched', allocations: [], adjustments: [], deductions: [], unappliedMinor: 0, reason: `${match.reason}; it settles ${invoices.length} invoices, more than ${MAX_INVOICES_PER_PAYMENT} at once: allocate it by hand in parts` };
}

/**
 * The apply step's own check of a plan against the invoices as they are now (the open-items index the engine read
 * may lag behind): a plan that would allocate more than arrived, or settle more than an invoice has open, is refused
 * for this entry alone, which goes to the exceptions queue with the reason; the rest of the file applies.
 */
async function applicable(entry: BankEntry, match: EntryMatch, cache: Cache, deps: ReceiveBankFileDeps): Promise<EntryMatch> {
  if (match.outcome !== 'applied') return match;
  const invoices = await loadAll(invoicesOf(match), cache.invoices, (id) => deps.invoices.get(id));
  // Deductions already under review on an invoice are not open to another one: the new ones fit in what is left.
  const violation = settlementViolation(match, (id) => {
    const open = openToPayment(invoices.get(id), { currency: entry.currency, customerId: match.customerId });
    const invoice = invoices.get(id);
    const deducting = (match.deductions ?? []).some((deduction) => deduction.invoiceId === id);
    return open === undefined || !invoice || !deducting ? open : open - deductedOf(invoice);
  });
  if (!violation) return match;
  return {
    ...match,
    outcome: 'unmatched',
    customerId: undefined,
    allocations: [],
    adjustments: [],
    deductions: [],
    unappliedMinor: 0,
    reason: `${match.reason}; not applied: ${violation}`,
    candidates: [...invoices.values()].map((invoice) => ({ invoiceId: invoice.id, number: invoice.document.number, customerId: invoice.customerId, openMinor: invoice.openMinor, score: 40, why: 'in the refused plan' })),
  };
}

type Cache = { invoices: Map<string, Invoice>; customers: Map<string, Customer>; payments: Map<string, Payment> };

async function writePayment(entry: BankEntry, paymentId: string, match: EntryMatch, source: { sha256: string; fileKey: string }, cache: Cache, deps: ReceiveBankFileDeps) {
  const at = deps.clock.now().toISOString();
  const audit = auditTrail(deps, { actor: ACTOR, at });
  const status: PaymentStatus = { applied: 'APPLIED', unmatched: 'UNMATCHED', ignored: 'IGNORED', reversal: 'RETURN' }[match.outcome] as PaymentStatus;
  const invoices = await loadAll(invoicesOf(match), cache.invoices, (id) => deps.invoices.get(id));
  const payment: Payment = {
    id: paymentId,
    account: entry.account,
    currency: entry.currency,
    amountMinor: entry.amountMinor,
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate,
    bankReference: entry.bankReference,
    endToEndId: entry.endToEndId,
    references: entry.references,
    remittance: entry.remittance,
    remittanceDocuments: entry.remittanceDocuments,
    counterparty: entry.counterparty,
    returnReason: entry.returnReason,
    source: { bankFile: source.sha256, fileKey: source.fileKey, entryId: entry.id },
    status,
    customerId: match.customerId,
    allocations: match.allocations.map((allocation) => ({ ...allocation, invoiceNumber: invoices.get(allocation.invoiceId)?.document.number ?? allocation.invoiceId, by: ACTOR, at })),
    adjustments: match.adjustments.map((adjustment) => ({ ...adjustment, by: ACTOR, at })),
    deductions: match.outcome === 'applied' ? (match.deductions ?? []) : [],
    unappliedMinor: match.outcome === 'applied' ? match.unappliedMinor : match.outcome === 'unmatched' ? entry.amountMinor : 0,
    reason: match.reason,
    candidates: match.candidates,
    reverses: match.reverses?.paymentId,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };

  const audits: AuditEvent[] = [audit({ entity: 'payment', entityId: paymentId, customerId: match.customerId, type: paymentEventType(status), after: status, reason: match.reason })];
  let reversed: Change<Payment> | undefined;
  const cancelledDeductions: Change<DeductionRecord>[] = [];
  let settlements = settledByInvoice(payment);
  let sign = 1;
  if (match.outcome === 'reversal' && match.reverses) {
    const original = cache.payments.get(match.reverses.paymentId);
    if (!original) throw new TransientError(`payment ${match.reverses.paymentId} vanished while its return was applied`);
    reversed = { before: original, after: { ...original, status: 'REVERSED', reversedBy: paymentId, updatedAt: at, version: original.version + 1 } };
    settlements = settledByInvoice(original);
    sign = -1;
    audits.push(audit({ entity: 'payment', entityId: original.id, customerId: original.customerId, type: 'PaymentReturned', before: original.status, after: 'REVERSED', reason: match.reason }));
    await loadAll([...settlements.keys()], cache.invoices, (id) => deps.invoices.get(id));
    for (const index of (original.deductions ?? []).keys()) {
      const record = await deps.deductions?.get(deductionId(original.id, index));
      if (record?.status !== 'OPEN') continue;
      cancelledDeductions.push({ before: record, after: { ...record, status: 'CANCELLED', resolution: { decision: 'cancel', reason: `payment ${original.id} was returned`, by: ACTOR, at }, updatedAt: at, version: record.version + 1 } });
    }
    await loadAll(cancelledDeductions.map(({ before }) => before.invoiceId), cache.invoices, (id) => deps.invoices.get(id));
  }

  const invoiceChanges: Change<Invoice>[] = [];
  let settledForCustomer = 0;
  for (const [invoiceId, { cash, adjusted }] of settlements) {
    const before = cache.invoices.get(invoiceId);
    if (!before) throw new TransientError(`invoice ${invoiceId} vanished while a payment was applied`);
    const after = settleInvoice(before, sign * cash, sign * adjusted, at);
    invoiceChanges.push({ before, after });
    settledForCustomer += sign * (cash + adjusted);
    audits.push(audit({ entity: 'invoice', entityId: invoiceId, customerId: before.customerId, type: sign > 0 ? 'PaymentApplied' : 'PaymentReturned', before: before.status, after: after.status, reason: `${sign > 0 ? '' : '−'}${cash} cash${adjusted ? `, ${sign > 0 ? '' : '−'}${adjusted} discount/write-off` : ''} by payment ${reversed?.before.id ?? paymentId}; open ${after.openMinor}` }));
  }
  for (const { before: deduction } of cancelledDeductions) {
    const index = invoiceChanges.findIndex(({ before }) => before.id === deduction.invoiceId);
    const before = index >= 0 ? (invoiceChanges[index] as Change<Invoice>).before : (cache.invoices.get(deduction.invoiceId) as Invoice);
    const current = index >= 0 ? (invoiceChanges[index] as Change<Invoice>).after : { ...before, version: before.version + 1 };
    const after = withDeducted(current, -deduction.amountMinor, at);
    if (index >= 0) invoiceChanges[index] = { before, after };
    else invoiceChanges.push({ before, after });
    audits.push(audit({ entity: 'invoice', entityId: before.id, customerId: before.customerId, type: 'DeductionCancelled', after: deduction.id, reason: `the payment that took it was returned; ${deduction.amountMinor} ${deduction.currency} back to collections` }));
  }
  const deductions = deductionRecords(paymentId, payment.deductions ?? [], (id) => cache.invoices.get(id), at);
  for (const deduction of deductions) {
    const index = invoiceChanges.findIndex(({ before }) => before.id === deduction.invoiceId);
    const before = index >= 0 ? (invoiceChanges[index] as Change<Invoice>).before : (cache.invoices.get(deduction.invoiceId) as Invoice);
    const current = index >= 0 ? (invoiceChanges[index] as Change<Invoice>).after : { ...before, version: before.version + 1 };
    const after = withDeducted(current, deduction.amountMinor, at);
    if (index >= 0) invoiceChanges[index] = { before, after };
    else invoiceChanges.push({ before, after });
    audits.push(audit({ entity: 'invoice', entityId: before.id, customerId: before.customerId, type: 'DeductionTaken', after: deduction.id, reason: `${deduction.amountMinor} ${deduction.currency} ${deduction.code ? `(${deduction.code}) ` : ''}${deduction.reason}; dunning pauses for it until it is accepted or rejected` }));
  }
  const customerChanges: Change<Customer>[] = [];
  const customerId = invoiceChanges[0]?.before.customerId;
  if (customerId && settledForCustomer !== 0) {
    const [customer] = (await loadAll([customerId], cache.customers, (id) => deps.customers.get(id))).values();
    const overdueRemains = mayReleaseHold(customer) && (await overdueAfter(customerId, invoiceChanges, deps));
    const change = customer ? customerAfterPayment(customer, { currency: entry.currency, settledMinor: settledForCustomer, overdueRemains, at }) : undefined;
    if (customer && change) {
      customerChanges.push({ before: customer, after: change.after });
      if (change.released) audits.push(audit({ entity: 'customer', entityId: customerId, customerId, type: 'CreditHoldReleased', before: 'ON_HOLD', after: 'ACTIVE', reason: `payment ${paymentId} cleared the overdue balance` }));
    }
  }

  const settledOrders = await orderChangesFor(invoiceChanges, { orders: deps.orders, invoices: { get: async (id) => cache.invoices.get(id) ?? deps.invoices.get(id) } }, at, audit);
  audits.push(...settledOrders.audits);
  const write: PaymentWrite = { payment: { created: payment }, reversed, invoices: invoiceChanges, customers: customerChanges, orders: settledOrders.orders, deductions, deductionChanges: cancelledDeductions, audits };
  const outcome = await deps.payments.write(write);
  if (outcome === 'written') {
    for (const { after } of invoiceChanges) cache.invoices.set(after.id, after);
    for (const { after } of customerChanges) cache.customers.set(after.id, after);
    if (reversed) cache.payments.set(reversed.after.id, reversed.after);
    cache.payments.set(payment.id, payment);
  }
  return outcome;
}

function paymentEventType(status: PaymentStatus): string {
  return { APPLIED: 'PaymentApplied', UNMATCHED: 'PaymentUnmatched', IGNORED: 'PaymentIgnored', RETURN: 'PaymentReturnReceived', REVERSED: 'PaymentReturned' }[status];
}

async function loadAll<T>(ids: readonly string[], cache: Map<string, T>, load: (id: string) => Promise<T | undefined>): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (const id of ids) {
    const value = cache.get(id) ?? (await load(id));
    if (value === undefined) continue;
    cache.set(id, value);
    found.set(id, value);
  }
  return found;
}
