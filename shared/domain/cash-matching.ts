import type { BankEntry } from './bank-statement.ts';
import { findCreditorReferences, MAX_CREDITOR_REFERENCE_BODY_LENGTH, normalizeCreditorReference } from './creditor-reference.ts';
import { addDays } from './dates.ts';
import type { RemittanceDocument } from './bank-statement.ts';
import { divideHalfUp, formatMinor } from './money.ts';
import { digitKey, invoiceNumberKeys, isOneEditApart, mentionsDeduction, mentionsDiscount, normalizeAccount, normalizePartyName, numberTokens, statedDeductions } from './remittance.ts';

/**
 * Cash application's matching engine: which open invoices a bank entry pays, by rules in priority order, each
 * allocation carrying its rule and a sentence a person can check. A wrong automatic match is worse than none, so
 * whenever two readings remain, the entry goes to a person with the candidates listed.
 *
 * The engine is pure: it reads the open items and earlier payments it is given, and returns what it would do.
 * Entries are matched in order against open amounts it keeps itself, so two payments never close one invoice twice.
 */

/** An open invoice as matching sees it (DESIGN §4, `o2c reconcile --invoices`). */
export interface OpenItem {
  id: string;
  number: string;
  customerId: string;
  customerName: string;
  currency: string;
  openMinor: number;
  issueDate: string;
  dueDate: string;
  /** The ISO 11649 creditor reference printed on the invoice. */
  reference?: string | undefined;
  /** Accounts the customer is known to pay from (IBANs or account numbers). */
  payerAccounts?: readonly string[] | undefined;
  /** The invoice's early-payment discount, when its terms grant one. */
  earlyPaymentDiscount?: { rateBasisPoints: number; days: number } | undefined;
}

/** A payment booked earlier, so a later return or reversal can reopen what it paid. */
export interface PriorPayment {
  paymentId: string;
  account: string;
  bankReference: string;
  endToEndId?: string | undefined;
  counterpartyAccount?: string | undefined;
  amountMinor: number;
  bookingDate: string;
  customerId?: string | undefined;
  allocations: readonly { invoiceId: string; amountMinor: number }[];
  adjustments: readonly { invoiceId: string; kind: AdjustmentKind; amountMinor: number }[];
  unappliedMinor: number;
}

export interface MatchingPolicy {
  /** Short payments up to this (minor units, per currency) are closed with a write-off: bank charges taken on the way. */
  bankFeeToleranceMinor: Readonly<Record<string, number>>;
  /** …and never more than this share of what was open (basis points), so a small invoice is not half written off. */
  bankFeeMaxShareBasisPoints: number;
  /** Days after the discount deadline a payment may be booked and still earn the discount (bank transit time). */
  discountGraceDays: number;
  /** How many of a customer's oldest open invoices the sum search considers, and how many it may combine. */
  sumSearch: { maxInvoices: number; maxCombined: number; maxSteps: number };
}

export const defaultMatchingPolicy: MatchingPolicy = {
  bankFeeToleranceMinor: { EUR: 1500, USD: 2500, GBP: 1500, CHF: 1500 },
  bankFeeMaxShareBasisPoints: 500,
  discountGraceDays: 3,
  sumSearch: { maxInvoices: 24, maxCombined: 8, maxSteps: 200_000 },
};

/** How the paid invoice was identified, or how its amount was found within the payer's invoices. */
export type MatchRule = 'remittance-advice' | 'rf-reference' | 'invoice-number' | 'invoice-number-typo' | 'end-to-end-id' | 'amount-exact' | 'amount-sum' | 'manual';
export type AdjustmentKind = 'discount' | 'write-off';

export interface Allocation {
  invoiceId: string;
  amountMinor: number;
  rule: MatchRule;
  reason: string;
}

export interface Adjustment {
  invoiceId: string;
  kind: AdjustmentKind;
  amountMinor: number;
  reason: string;
}

/**
 * What a payer kept back from an invoice and said why (damaged goods, a pricing dispute): the invoice stays open by
 * this amount, dunning pauses for it, and a person accepts it (credit note or write-off) or rejects it.
 */
export interface Deduction {
  invoiceId: string;
  amountMinor: number;
  reason: string;
  /** The payer's reason code, when the remittance gave one. */
  code?: string | undefined;
}

export interface Candidate {
  invoiceId: string;
  number: string;
  customerId: string;
  openMinor: number;
  /** 0–100: how strongly the entry points at this invoice. */
  score: number;
  why: string;
}

export type MatchOutcome = 'applied' | 'unmatched' | 'reversal' | 'ignored';

export interface EntryMatch {
  entryId: string;
  bankReference: string;
  currency: string;
  amountMinor: number;
  outcome: MatchOutcome;
  customerId?: string | undefined;
  allocations: Allocation[];
  adjustments: Adjustment[];
  /** Amounts the payer kept back with a reason: left open on the invoice, for a person to accept or reject. */
  deductions?: Deduction[] | undefined;
  /** Cash of an identified customer that no open invoice took: kept on account. */
  unappliedMinor: number;
  reason: string;
  candidates: Candidate[];
  /** For a reversal: the earlier payment it undoes (its allocations and adjustments are reopened). */
  reverses?: PriorPayment | undefined;
}

interface Named {
  items: OpenItem[];
  rule: MatchRule;
  evidence: string;
}

const MAX_CANDIDATES = 5;

/** A bank entry as matching reads it: with the currency of the statement (our account) it arrived on, when known. */
export type MatchableEntry = BankEntry & { statementCurrency?: string | undefined };

/** What a plan for one payment settles: its cash, what it allocates, adjusts and leaves unapplied. */
export interface SettlementPlan {
  amountMinor: number;
  allocations: readonly { invoiceId: string; amountMinor: number }[];
  adjustments: readonly { invoiceId: string; amountMinor: number }[];
  /** Kept open, but never more than what the cash and adjustments leave open. */
  deductions?: readonly { invoiceId: string; amountMinor: number }[] | undefined;
  unappliedMinor: number;
}

/**
 * Cash application never creates money. The one definition of what a plan may do, wherever it comes from (the
 * engine, the apply step, a person's allocation): every amount is a positive whole number of minor units; the cash
 * allocated is at most `amountMinor` and, with what stays unapplied, exactly that; and no invoice gets more cash plus
 * discount plus write-off than it has open (`openOf`: undefined when the invoice is not open to this payment).
 * Returns the first rule broken, in words, or `undefined`.
 */
export function settlementViolation(plan: SettlementPlan, openOf: (invoiceId: string) => number | undefined): string | undefined {
  const lines = [
    ...plan.allocations.map((line) => ({ ...line, what: 'an allocation' })),
    ...plan.adjustments.map((line) => ({ ...line, what: 'an adjustment' })),
    ...(plan.deductions ?? []).map((line) => ({ ...line, what: 'a deduction' })),
  ];
  const bad = lines.find((line) => !Number.isSafeInteger(line.amountMinor) || line.amountMinor <= 0);
  if (bad) return `${bad.what} of ${bad.amountMinor} on ${bad.invoiceId}: amounts are positive whole minor units`;
  const allocated = sum(plan.allocations.map((line) => line.amountMinor));
  if (allocated > plan.amountMinor) return `allocates ${allocated}, more than the ${plan.amountMinor} available`;
  if (!Number.isSafeInteger(plan.unappliedMinor) || plan.unappliedMinor < 0) return `${plan.unappliedMinor} unapplied: it cannot be negative`;
  if (allocated + plan.unappliedMinor !== plan.amountMinor) return `allocates ${allocated} and leaves ${plan.unappliedMinor} unapplied, which is not the ${plan.amountMinor} available`;
  const settled = new Map<string, number>();
  for (const line of lines) settled.set(line.invoiceId, (settled.get(line.invoiceId) ?? 0) + line.amountMinor);
  for (const [invoiceId, amountMinor] of settled) {
    const open = openOf(invoiceId);
    if (open === undefined || open <= 0) return `${invoiceId} is not open to this payment`;
    if (amountMinor > open) return `settles or deducts ${amountMinor} on ${invoiceId}, more than the ${open} open on it`;
  }
  return undefined;
}

/**
 * The keys by which the open items a file's entries can match are read (issue 16): what each entry names, and the
 * payer it leads to. Every open item the engine could allocate to, name as a conflict, or weigh for an entry is one
 * that these keys reach (`openItemsReached`), so matching against what they read decides as matching against every
 * open item of the currency would — with one rule change: a near-miss number from a payer nobody can identify is no
 * longer applied (see `typoMatch`), because ruling out every other open invoice one edit away would mean reading them all.
 */
export interface OpenItemKeys {
  /** The currencies of the entries that can pay an invoice: only invoices in these are read. */
  currencies: string[];
  /**
   * Whole invoice numbers in their compact form (`invoiceNumberKeys(number).full`) as the entries may write them —
   * every number token of the remittance, references, remittance documents and end-to-end id that could be one — and
   * the bodies of the creditor references they quote (an invoice's reference is `creditorReferenceFor(its number)`).
   */
  numbers: string[];
  /** The digit keys (`digitKey`) of those tokens: an invoice is also named by its number's digits alone. */
  digits: string[];
  /** Customers a payer's account is known to belong to (learned from manual allocations). */
  customers: string[];
  /** Payer names (`normalizePartyName`) of entries whose account is not known: every customer billed under one. */
  names: string[];
  /** Payer accounts (`normalizeAccount`) not known as learned ones, for sources whose invoices list their payers' accounts. */
  accounts: string[];
}

/** A token longer than an RF body, or without a digit, is no number we issue (`<series>-<year>-<sequence>`, at most 21 characters). */
const couldBeInvoiceNumber = (token: string) => token.length <= MAX_CREDITOR_REFERENCE_BODY_LENGTH && /[0-9]/.test(token);

/**
 * The keys to read for `entries` (see `OpenItemKeys`), with the learned payer accounts already looked up. Uses the
 * engine's own readings — `findCreditorReferences`, `numberTokens`, `invoiceNumberKeys`, `digitKey`,
 * `normalizeAccount`, `normalizePartyName` — on the same text it reads, so a key can never miss what it would match.
 */
export function openItemKeys(entries: readonly MatchableEntry[], payerAccounts: Readonly<Record<string, string>> = {}): OpenItemKeys {
  const learned = new Map(Object.entries(payerAccounts).flatMap(([account, customerId]) => {
    const normalized = normalizeAccount(account);
    return normalized ? [[normalized, customerId] as const] : [];
  }));
  const keys = { currencies: new Set<string>(), numbers: new Set<string>(), digits: new Set<string>(), customers: new Set<string>(), names: new Set<string>(), accounts: new Set<string>() };
  const token = (text: string) => {
    if (couldBeInvoiceNumber(text)) keys.numbers.add(text);
    const digits = digitKey(text);
    if (digits && digits.length <= MAX_CREDITOR_REFERENCE_BODY_LENGTH) keys.digits.add(digits);
  };
  for (const entry of entries) {
    // Only a payment (money in, not a reversal, in its statement's currency) is matched against open items.
    if (entry.amountMinor <= 0 || entry.reversal || (entry.statementCurrency && entry.currency !== entry.statementCurrency)) continue;
    keys.currencies.add(entry.currency);
    const documents = entry.remittanceDocuments ?? [];
    // A remittance advice names its documents by number or creditor reference (`documentItems`).
    for (const document of documents) {
      const reference = normalizeCreditorReference(document.number);
      if (reference) keys.numbers.add(reference.slice(4));
      token(invoiceNumberKeys(document.number).full);
    }
    // What `namedInvoices` reads: references and remittance together, then the end-to-end id.
    const remittance = [...entry.references, ...documents.map((document) => document.number), entry.remittance].join('\n');
    for (const reference of [...findCreditorReferences(remittance), ...findCreditorReferences(entry.endToEndId ?? '')]) keys.numbers.add(reference.slice(4));
    for (const text of [...numberTokens(remittance), ...numberTokens(entry.endToEndId ?? '')]) token(text);
    // The payer (`identifyPayer`): a known account, else the name.
    const account = normalizeAccount(entry.counterparty.account);
    const customerId = account ? learned.get(account) : undefined;
    if (customerId) {
      keys.customers.add(customerId);
      continue;
    }
    if (account) keys.accounts.add(account);
    const name = normalizePartyName(entry.counterparty.name);
    if (name) keys.names.add(name);
  }
  return { currencies: [...keys.currencies], numbers: [...keys.numbers], digits: [...keys.digits], customers: [...keys.customers], names: [...keys.names], accounts: [...keys.accounts] };
}

/**
 * The contract every `OpenItems` source keeps, on a ledger held whole: the open items in `keys.currencies` whose
 * number's compact form is among `keys.numbers` or whose digits are among `keys.digits`, and every open item of each
 * customer in `keys.customers`, of each customer billed under one of `keys.names` and of each customer an invoice
 * lists one of `keys.accounts` for. For a customer the engine may weigh, it therefore sees all of its open items.
 */
export function openItemsReached(ledger: readonly OpenItem[], keys: OpenItemKeys): OpenItem[] {
  const currencies = new Set(keys.currencies);
  const open = ledger.filter((item) => currencies.has(item.currency) && item.openMinor > 0);
  const [numbers, digits, names, accounts] = [new Set(keys.numbers), new Set(keys.digits), new Set(keys.names), new Set(keys.accounts)];
  const customers = new Set(keys.customers);
  for (const item of open) {
    const name = normalizePartyName(item.customerName);
    if ((name && names.has(name)) || (item.payerAccounts ?? []).some((account) => accounts.has(normalizeAccount(account) ?? ''))) customers.add(item.customerId);
  }
  return open.filter((item) => {
    const { full, digits: itemDigits } = invoiceNumberKeys(item.number);
    return numbers.has(full) || (itemDigits !== undefined && digits.has(itemDigits)) || customers.has(item.customerId);
  });
}

/** Matches `entries` in order; see the module comment. */
export function matchEntries(
  entries: readonly MatchableEntry[],
  context: { openItems: readonly OpenItem[]; payerAccounts?: Readonly<Record<string, string>> | undefined; priorPayments?: readonly PriorPayment[] | undefined },
  policy: MatchingPolicy = defaultMatchingPolicy,
): EntryMatch[] {
  const ledger = new OpenItemLedger(context.openItems, context.payerAccounts ?? {});
  const prior = new PriorPayments(context.priorPayments ?? []);
  const reversed = new Set<string>();
  const results: EntryMatch[] = [];
  for (const entry of entries) {
    const result = refuseUnsound(matchEntry(entry, ledger, policy, prior, reversed), ledger);
    results.push(result);
    if (result.outcome === 'reversal' && result.reverses) {
      reversed.add(result.reverses.paymentId);
      for (const allocation of result.reverses.allocations) ledger.reopen(allocation.invoiceId, allocation.amountMinor);
      for (const adjustment of result.reverses.adjustments) ledger.reopen(adjustment.invoiceId, adjustment.amountMinor);
    } else {
      for (const allocation of result.allocations) ledger.reduce(allocation.invoiceId, allocation.amountMinor);
      for (const adjustment of result.adjustments) ledger.reduce(adjustment.invoiceId, adjustment.amountMinor);
    }
    if (entry.amountMinor > 0 && !entry.reversal) prior.add(asPriorPayment(entry, result));
  }
  return results;
}

/** A plan that would create money is never returned: the entry goes to a person with the rule it broke. */
function refuseUnsound(result: EntryMatch, ledger: OpenItemLedger): EntryMatch {
  if (result.outcome !== 'applied') return result;
  const violation = settlementViolation(result, (invoiceId) => ledger.open(invoiceId));
  if (!violation) return result;
  const named = unique([...result.allocations, ...result.adjustments, ...(result.deductions ?? [])].map((line) => line.invoiceId));
  return {
    ...result,
    outcome: 'unmatched',
    allocations: [],
    adjustments: [],
    deductions: [],
    unappliedMinor: 0,
    reason: `${result.reason}, but that plan was refused: ${violation}`,
    candidates: ledger.candidates(ledger.items(named), 40, 'in the refused plan'),
  };
}

function asPriorPayment(entry: BankEntry, result: EntryMatch): PriorPayment {
  return {
    paymentId: entry.id,
    account: entry.account,
    bankReference: entry.bankReference,
    endToEndId: entry.endToEndId,
    counterpartyAccount: entry.counterparty.account,
    amountMinor: entry.amountMinor,
    bookingDate: entry.bookingDate,
    customerId: result.customerId,
    allocations: result.allocations,
    adjustments: result.adjustments,
    unappliedMinor: result.unappliedMinor,
  };
}

/** Earlier payments by account and amount: a return is looked up among those of its own amount only. */
class PriorPayments {
  private readonly byAccountAndAmount = new Map<string, PriorPayment[]>();

  constructor(payments: readonly PriorPayment[]) {
    for (const payment of payments) this.add(payment);
  }

  add(payment: PriorPayment): void {
    push(this.byAccountAndAmount, `${payment.account}:${payment.amountMinor}`, payment);
  }

  of(account: string, amountMinor: number): readonly PriorPayment[] {
    return this.byAccountAndAmount.get(`${account}:${amountMinor}`) ?? [];
  }
}

function matchEntry(entry: MatchableEntry, ledger: OpenItemLedger, policy: MatchingPolicy, prior: PriorPayments, reversed: Set<string>): EntryMatch {
  const base = { entryId: entry.id, bankReference: entry.bankReference, currency: entry.currency, amountMinor: entry.amountMinor, allocations: [], adjustments: [], unappliedMinor: 0, candidates: [] };
  if (entry.amountMinor === 0) return { ...base, outcome: 'ignored', reason: 'a zero amount moves no money' };
  if (entry.amountMinor < 0 && !entry.reversal && !entry.returnReason) return { ...base, outcome: 'ignored', reason: 'money out (a debit) is not a customer payment' };
  // The bank converted it, or the file is odd: which amount reached our account is not certain, so a person decides.
  if (entry.statementCurrency && entry.currency !== entry.statementCurrency) return { ...base, outcome: 'unmatched', reason: `entry in ${entry.currency} on a ${entry.statementCurrency} statement` };
  if (entry.amountMinor < 0) return matchReturn(entry, base, prior, reversed);
  if (entry.reversal) return { ...base, outcome: 'ignored', reason: 'a reversal of money out is not a customer payment' };
  return matchPayment(entry, ledger, policy, base);
}

type Base = Pick<EntryMatch, 'entryId' | 'bankReference' | 'currency' | 'amountMinor' | 'allocations' | 'adjustments' | 'unappliedMinor' | 'candidates'>;

/** A returned or reversed payment: find the payment it undoes, most recent first, and reopen what that paid. */
function matchReturn(entry: BankEntry, base: Base, prior: PriorPayments, reversed: ReadonlySet<string>): EntryMatch {
  const amount = -entry.amountMinor;
  const counterparty = normalizeAccount(entry.counterparty.account);
  const sameMoney = prior.of(entry.account, amount).filter((payment) => !reversed.has(payment.paymentId) && payment.bookingDate <= entry.bookingDate);
  const byEndToEnd = entry.endToEndId && entry.endToEndId !== 'NOTPROVIDED' ? sameMoney.filter((payment) => payment.endToEndId === entry.endToEndId) : [];
  const byPayer = counterparty ? sameMoney.filter((payment) => normalizeAccount(payment.counterpartyAccount) === counterparty) : [];
  const byReference = sameMoney.filter((payment) => payment.bankReference === entry.bankReference);
  const found = [byEndToEnd, byReference, byPayer].find((list) => list.length > 0);
  if (!found) return { ...base, outcome: 'unmatched', reason: `a returned payment of ${amount}, but no earlier payment of that amount from this payer was found` };
  const latest = [...found].sort((a, b) => b.bookingDate.localeCompare(a.bookingDate))[0] as PriorPayment;
  if (found.filter((payment) => payment.bookingDate === latest.bookingDate).length > 1)
    return { ...base, outcome: 'unmatched', reason: `a returned payment of ${amount} that fits several earlier payments booked on ${latest.bookingDate}` };
  const reopened = latest.allocations.length + latest.adjustments.length;
  const why = entry.returnReason ? ` (return reason ${entry.returnReason})` : '';
  return {
    ...base,
    outcome: 'reversal',
    customerId: latest.customerId,
    reverses: latest,
    reason: `returns payment ${latest.bankReference} of ${latest.bookingDate}${why}; ${reopened === 0 ? 'it had paid no invoice' : `reopens ${reopened} invoice amount(s) it had settled`}`,
  };
}

function matchPayment(entry: BankEntry, ledger: OpenItemLedger, policy: MatchingPolicy, base: Base): EntryMatch {
  const payer = ledger.identifyPayer(entry);
  const documents = entry.remittanceDocuments ?? [];
  // The payer's own split wins over any reading of ours; documents without amounts only name invoices.
  if (documents.some((document) => statedPaid(document) !== undefined)) return { ...base, ...settleByAdvice(entry, documents, payer, ledger, policy) };
  if (documents.length > 0) entry = { ...entry, references: [...entry.references, ...documents.map((document) => document.number)] };
  const named = ledger.namedInvoices(entry, payer?.customerId);
  if ('conflict' in named) return { ...base, outcome: 'unmatched', reason: named.conflict, candidates: named.candidates };
  if (named.items.length > 0) {
    const customerId = (named.items[0] as OpenItem).customerId;
    if (payer && payer.customerId !== customerId && named.rule !== 'rf-reference') {
      return {
        ...base,
        outcome: 'unmatched',
        reason: `${named.evidence}, but the payer is ${payer.evidence}, another customer`,
        candidates: ledger.candidates(named.items, 60, 'named in the remittance, paid by another customer'),
      };
    }
    return { ...base, ...settleNamed(entry, named, ledger, policy), customerId };
  }
  if (named.closed.length > 0) {
    if (!named.closedCustomerId || (payer && payer.customerId !== named.closedCustomerId)) {
      return { ...base, outcome: 'unmatched', reason: `names ${named.closed.join(', ')}, already paid${payer ? `, but the payer is ${payer.evidence}, another customer` : ', of several customers'}`, candidates: [] };
    }
    return {
      ...base,
      outcome: 'applied',
      customerId: named.closedCustomerId,
      unappliedMinor: entry.amountMinor,
      reason: `names ${named.closed.join(', ')}, already paid: kept as unapplied cash on the customer's account`,
    };
  }
  if (!payer) {
    const sameAmount = ledger.sameAmount(entry.currency, entry.amountMinor);
    return {
      ...base,
      outcome: 'unmatched',
      reason: 'no reference, invoice number or known payer identifies the customer',
      candidates: ledger.candidates(sameAmount, 30, 'open amount equals the payment; payer unknown'),
    };
  }
  return { ...base, ...settleWithinCustomer(entry, payer, ledger, policy), customerId: payer.customerId };
}

type Settlement = Pick<EntryMatch, 'outcome' | 'allocations' | 'adjustments' | 'deductions' | 'unappliedMinor' | 'reason' | 'candidates'>;

/** Credit notes a payer nets in its advice (camt `CREN`, X12 `CR`) reduce the transfer instead of being paid. */
const CREDIT_NOTE_KINDS = new Set(['CREN', 'CRN', 'CR', 'CM', 'CREDITNOTE']);
const isCreditNote = (document: RemittanceDocument) => CREDIT_NOTE_KINDS.has((document.kind ?? '').toUpperCase());

/** What the payer says it pays on a document: the remitted amount, or what was due less its discount and deductions. */
export function statedPaid(document: RemittanceDocument): number | undefined {
  if (document.paidMinor !== undefined) return document.paidMinor;
  if (document.dueMinor === undefined) return undefined;
  return document.dueMinor - (document.discountMinor ?? 0) - sum((document.adjustments ?? []).map((adjustment) => adjustment.amountMinor));
}

interface AdvisedInvoice {
  item: OpenItem;
  documents: RemittanceDocument[];
  paidMinor: number;
}

/**
 * The payer's remittance advice gives an amount per document: each invoice gets exactly that (capped at what it has
 * open; the rest is unapplied, with the reason). A shortfall is what the payer says it is: its discount (if the
 * terms grant it), its deductions (kept open for a person to accept or reject), or a part payment. When the advice
 * does not add up to the transfer, or names a document we cannot find, a person decides: never a split of our own.
 */
function settleByAdvice(entry: BankEntry, documents: readonly RemittanceDocument[], payer: Payer | undefined, ledger: OpenItemLedger, policy: MatchingPolicy): Settlement & { customerId?: string | undefined } {
  const money = (minor: number) => formatMinor(minor, entry.currency);
  const none = { allocations: [], adjustments: [], deductions: [], unappliedMinor: 0 };
  const refuse = (reason: string, items: readonly OpenItem[] = []): Settlement => ({ ...none, outcome: 'unmatched', reason: `remittance advice: ${reason}`, candidates: ledger.candidates(items, 60, 'named in the remittance advice') });

  const unpriced = documents.filter((document) => statedPaid(document) === undefined).map((document) => document.number);
  if (unpriced.length > 0) return refuse(`gives amounts for some documents but none for ${unpriced.join(', ')}`);
  const credits = documents.filter(isCreditNote);
  const invoiceDocuments = documents.filter((document) => !isCreditNote(document));
  if (invoiceDocuments.length === 0) return refuse(`names only credit notes (${credits.map((document) => document.number).join(', ')}) and no invoice`);
  const stated = sum(invoiceDocuments.map((document) => statedPaid(document) as number)) - sum(credits.map((document) => statedPaid(document) as number));
  if (!Number.isSafeInteger(stated) || documents.some((document) => !Number.isSafeInteger(statedPaid(document)))) return refuse('its amounts are beyond what can be added exactly');
  const resolved = invoiceDocuments.map((document) => ({ document, items: ledger.documentItems(document.number) }));
  const found = unique(resolved.flatMap(({ items }) => items));
  if (stated !== entry.amountMinor) return refuse(`its amounts add up to ${money(stated)}, but the transfer is ${money(entry.amountMinor)}`, found);
  const unknown = resolved.filter(({ items }) => items.length === 0).map(({ document }) => document.number);
  if (unknown.length > 0) return refuse(`names ${unknown.join(', ')}, which we cannot find among the open invoices`, found);
  const ambiguous = resolved.filter(({ items }) => items.length > 1).map(({ document }) => document.number);
  if (ambiguous.length > 0) return refuse(`${ambiguous.join(', ')} fits several open invoices`, found);
  const negative = invoiceDocuments.filter((document) => (statedPaid(document) as number) < 0).map((document) => document.number);
  if (negative.length > 0) return refuse(`pays less than nothing on ${negative.join(', ')}`, found);
  const customers = unique(found.map((item) => item.customerId));
  if (customers.length > 1) return refuse(`names invoices of ${customers.length} different customers`, found);
  const customerId = customers[0] as string;
  if (payer && payer.customerId !== customerId) return refuse(`names invoices of another customer than the payer, ${payer.evidence}`, found);
  const currencies = unique(found.map((item) => item.currency));
  if (currencies.some((currency) => currency !== entry.currency)) return refuse(`names invoices billed in ${currencies.join('/')}, but the payment is in ${entry.currency}`, found);

  // One invoice named on several lines of the advice is paid their sum.
  const byInvoice = new Map<string, AdvisedInvoice>();
  for (const { document, items } of resolved) {
    const item = items[0] as OpenItem;
    const advised = byInvoice.get(item.id) ?? { item, documents: [], paidMinor: 0 };
    advised.documents.push(document);
    advised.paidMinor += statedPaid(document) as number;
    byInvoice.set(item.id, advised);
  }
  const paidOn = entry.valueDate || entry.bookingDate;
  const looseWords = byInvoice.size === 1 ? statedDeductions(entry.remittance, entry.currency) : [];
  const allocations: Allocation[] = [];
  const adjustments: Adjustment[] = [];
  const deductions: Deduction[] = [];
  const notes: string[] = [];
  for (const advised of byInvoice.values()) {
    const settled = settleAdvisedInvoice(advised, ledger.open(advised.item.id), { paidOn, graceDays: policy.discountGraceDays, money, looseWords });
    allocations.push(...settled.allocations);
    adjustments.push(...settled.adjustments);
    deductions.push(...settled.deductions);
    notes.push(settled.note);
  }
  const allocated = sum(allocations.map((allocation) => allocation.amountMinor));
  const creditNote = credits.length > 0 ? `, net of credit note(s) ${credits.map((document) => document.number).join(', ')}` : '';
  const unapplied = entry.amountMinor - allocated;
  if (unapplied > 0) notes.push(`${money(unapplied)} kept on account`);
  return {
    outcome: 'applied',
    customerId,
    allocations,
    adjustments,
    deductions,
    // Negative when netted credit notes were not open to this payment: refused as a whole by the soundness check.
    unappliedMinor: unapplied,
    reason: `as the remittance advice says${creditNote}: ${notes.join('; ')}`,
    candidates: [],
  };
}

/** One invoice of an advice: the stated amount as cash, then the payer's own explanation of what it did not pay. */
function settleAdvisedInvoice(
  advised: AdvisedInvoice,
  openMinor: number,
  context: { paidOn: string; graceDays: number; money: (minor: number) => string; looseWords: readonly ReturnType<typeof statedDeductions>[number][] },
): { allocations: Allocation[]; adjustments: Adjustment[]; deductions: Deduction[]; note: string } {
  const { item, paidMinor } = advised;
  const { money } = context;
  const quoted = advised.documents.map((document) => document.number).join(' + ');
  const cash = Math.min(paidMinor, openMinor);
  const allocations: Allocation[] = cash > 0 ? [{ invoiceId: item.id, amountMinor: cash, rule: 'remittance-advice', reason: `the remittance advice pays ${money(paidMinor)} on ${quoted}` }] : [];
  if (paidMinor >= openMinor) {
    const extra = paidMinor - openMinor;
    return { allocations, adjustments: [], deductions: [], note: extra > 0 ? `${item.number} paid in full, ${money(extra)} more than open` : `${item.number} paid in full` };
  }

  let short = openMinor - paidMinor;
  const adjustments: Adjustment[] = [];
  const deductions: Deduction[] = [];
  const said: string[] = [];
  const statedDiscount = sum(advised.documents.map((document) => document.discountMinor ?? 0)) || sum(context.looseWords.filter((words) => words.kind === 'discount').map((words) => words.amountMinor));
  if (statedDiscount > 0) {
    const allowed = discountOptions(item, openMinor, context.paidOn, context.graceDays);
    const granted = allowed.length > 0 && statedDiscount <= Math.max(...allowed);
    if (granted) {
      const amountMinor = Math.min(statedDiscount, short);
      adjustments.push({ invoiceId: item.id, kind: 'discount', amountMinor, reason: `early-payment discount of ${money(statedDiscount)} stated by the payer on ${item.number}, within its terms` });
      short -= amountMinor;
      said.push(`discount ${money(amountMinor)} granted`);
    } else {
      const why = allowed.length === 0 ? (item.earlyPaymentDiscount ? `paid ${context.paidOn}, after the discount period` : 'its terms grant no discount') : `more than the terms' ${money(Math.max(...allowed))}`;
      said.push(`discount of ${money(statedDiscount)} not granted (${why}): it stays open`);
    }
  }
  const structured = advised.documents.flatMap((document) => (document.adjustments ?? []).filter((adjustment) => adjustment.amountMinor > 0));
  const stated = structured.length > 0
    ? structured.map((adjustment) => ({ amountMinor: adjustment.amountMinor, code: adjustment.code, reason: adjustment.reason ?? (adjustment.code ? `reason code ${adjustment.code}` : 'no reason given') }))
    : context.looseWords.filter((words) => words.kind === 'deduction').map((words) => ({ amountMinor: words.amountMinor, code: undefined, reason: words.reason }));
  for (const deduction of stated) {
    const amountMinor = Math.min(deduction.amountMinor, short);
    if (amountMinor <= 0) break;
    deductions.push({ invoiceId: item.id, amountMinor, reason: `deducted by the payer on ${item.number}: ${deduction.reason}`, code: deduction.code });
    short -= amountMinor;
    said.push(`${money(amountMinor)} deducted (${deduction.code ? `${deduction.code}: ` : ''}${deduction.reason})`);
  }
  if (short > 0) said.push(`${money(short)} stays open`);
  return { allocations, adjustments, deductions, note: `${item.number} paid ${money(cash)}, ${said.join(', ')}` };
}

/** The payment names its invoices: pay them in due-date order, then decide what a difference means. */
function settleNamed(entry: BankEntry, named: Named, ledger: OpenItemLedger, policy: MatchingPolicy): Settlement {
  const items = [...named.items].sort(byDueDate);
  const open = items.map((item) => ledger.open(item.id));
  const total = sum(open);
  const amount = entry.amountMinor;
  const numbers = items.map((item) => item.number).join(', ');
  const allocate = (amounts: number[], how: string): Allocation[] =>
    items.flatMap((item, index) => ((amounts[index] ?? 0) > 0 ? [{ invoiceId: item.id, amountMinor: amounts[index] as number, rule: named.rule, reason: `${named.evidence}; ${how}` }] : []));

  if (amount >= total) {
    const rest = amount - total;
    return {
      outcome: 'applied',
      allocations: allocate(open, rest > 0 ? `paid in full, ${rest} more than open` : 'paid in full'),
      adjustments: [],
      unappliedMinor: rest,
      reason: rest > 0 ? `overpays ${numbers} by ${rest}: the rest is kept as unapplied cash on account` : `pays ${numbers} in full`,
      candidates: [],
    };
  }
  const deducted = deductionsInWords(entry, items, open, policy, ledger);
  if (deducted) return deducted;
  const closing = closingAdjustments(entry, items, open, policy);
  if (closing) {
    const amounts = open.map((value, index) => value - (closing.byIndex[index] ?? 0));
    return {
      outcome: 'applied',
      allocations: allocate(amounts, `settled with ${closing.what}`),
      adjustments: closing.adjustments,
      unappliedMinor: 0,
      reason: `pays ${numbers} less ${closing.what}`,
      candidates: [],
    };
  }
  let remaining = amount;
  const partial = open.map((value) => {
    const taken = Math.min(value, remaining);
    remaining -= taken;
    return taken;
  });
  return {
    outcome: 'applied',
    allocations: allocate(partial, 'part payment'),
    adjustments: [],
    unappliedMinor: 0,
    reason: `part-pays ${numbers}: ${total - amount} stays open`,
    candidates: [],
  };
}

/**
 * A short payment whose remittance says, in words, what was kept back (`less damaged goods 45.00`): the deduction
 * stays open on the invoice for a person, never written off as bank charges. With several invoices named, which
 * one carries it is the payer's to say, so a person decides.
 */
function deductionsInWords(entry: BankEntry, items: readonly OpenItem[], open: readonly number[], policy: MatchingPolicy, ledger: OpenItemLedger): Settlement | undefined {
  const stated = statedDeductions(entry.remittance, entry.currency).filter((words) => words.kind === 'deduction');
  const deducted = sum(stated.map((words) => words.amountMinor));
  const shortfall = sum(open) - entry.amountMinor;
  if (deducted === 0) return undefined;
  const money = (minor: number) => formatMinor(minor, entry.currency);
  const numbers = items.map((item) => item.number).join(', ');
  // The payer's words and its money disagree: neither a deduction of ours nor bank charges would be right.
  if (deducted > shortfall)
    return { outcome: 'unmatched', allocations: [], adjustments: [], deductions: [], unappliedMinor: 0, reason: `states deductions of ${money(deducted)}, but the payment is ${money(Math.max(0, shortfall))} short of ${numbers}`, candidates: ledger.candidates(items, 60, 'named in the remittance') };
  if (items.length > 1) {
    return { outcome: 'unmatched', allocations: [], adjustments: [], deductions: [], unappliedMinor: 0, reason: `states deductions of ${money(deducted)} but names ${numbers}: which invoice carries them is for the payer to say`, candidates: ledger.candidates(items, 60, 'named in the remittance') };
  }
  const item = items[0] as OpenItem;
  // What the deduction does not explain may still be the terms' discount (never bank charges: see closingAdjustments).
  const closing = closingAdjustments({ ...entry, amountMinor: entry.amountMinor + deducted }, items, open, policy);
  const rest = shortfall - deducted - sum(closing?.adjustments.map((adjustment) => adjustment.amountMinor) ?? []);
  // Words that explain only part of what is missing were read wrong or are incomplete: a person reads them.
  if (rest > 0)
    return { outcome: 'unmatched', allocations: [], adjustments: [], deductions: [], unappliedMinor: 0, reason: `states deductions of ${money(deducted)}, but the payment is ${money(shortfall)} short of ${item.number}`, candidates: ledger.candidates(items, 60, 'named in the remittance') };
  const words = stated.map((deduction) => `${deduction.reason} ${money(deduction.amountMinor)}`).join(', ');
  return {
    outcome: 'applied',
    allocations: [{ invoiceId: item.id, amountMinor: entry.amountMinor, rule: 'invoice-number', reason: `the remittance names ${item.number} and deducts ${words}` }],
    adjustments: closing?.adjustments ?? [],
    deductions: stated.map((deduction) => ({ invoiceId: item.id, amountMinor: deduction.amountMinor, reason: `deducted by the payer on ${item.number}: ${deduction.reason}` })),
    unappliedMinor: 0,
    reason: `pays ${item.number} less ${money(deducted)} deducted by the payer (${words})${closing ? ` and ${closing.what}` : ''}${rest > 0 ? `; ${money(rest)} stays open` : ''}`,
    candidates: [],
  };
}

/**
 * A short payment that still settles the invoices: the early-payment discount their terms grant (booked within
 * the discount period plus a grace for bank transit), then bank charges up to the configured tolerance.
 */
function closingAdjustments(entry: BankEntry, items: readonly OpenItem[], open: readonly number[], policy: MatchingPolicy) {
  const paidOn = entry.valueDate || entry.bookingDate;
  const shortfall = sum(open) - entry.amountMinor;
  if (shortfall <= 0) return undefined;
  const share = Number((BigInt(sum(open)) * BigInt(policy.bankFeeMaxShareBasisPoints)) / 10_000n);
  const tolerance = Math.min(policy.bankFeeToleranceMinor[entry.currency] ?? 0, share);
  const discounts = items.map((item, index) => discountOptions(item, open[index] as number, paidOn, policy.discountGraceDays));
  const byIndex: number[] = items.map(() => 0);
  const adjustments: Adjustment[] = [];
  const bestDiscount = discounts.some((options) => options.length > 0) ? chooseDiscounts(discounts, shortfall, tolerance) : undefined;
  let remainingShortfall = shortfall;
  if (bestDiscount) {
    bestDiscount.forEach((discount, index) => {
      if (discount === 0) return;
      const item = items[index] as OpenItem;
      byIndex[index] = discount;
      adjustments.push({ invoiceId: item.id, kind: 'discount', amountMinor: discount, reason: `early-payment discount of ${item.number} (${(item.earlyPaymentDiscount?.rateBasisPoints ?? 0) / 100} % within ${item.earlyPaymentDiscount?.days} days), paid ${paidOn}` });
    });
    remainingShortfall -= sum(bestDiscount);
  }
  if (remainingShortfall > tolerance) return undefined;
  // The payer said it kept something back, or took a discount the terms do not grant: that is no bank charge.
  if (remainingShortfall > 0 && (mentionsDeduction(entry.remittance) || (!bestDiscount && mentionsDiscount(entry.remittance)))) return undefined;
  if (remainingShortfall > 0) {
    // The charges come off the invoice with the most left open (then the next): never more than an invoice has open,
    // so what is allocated stays what arrived. The remaining open amounts add up to more than the shortfall, because
    // the payment is positive.
    const order = items.map((_, index) => index).sort((a, b) => (open[b] as number) - (byIndex[b] as number) - ((open[a] as number) - (byIndex[a] as number)) || b - a);
    let left = remainingShortfall;
    for (const index of order) {
      if (left === 0) break;
      const item = items[index] as OpenItem;
      const taken = Math.min(left, (open[index] as number) - (byIndex[index] as number));
      if (taken <= 0) continue;
      byIndex[index] = (byIndex[index] as number) + taken;
      left -= taken;
      adjustments.push({ invoiceId: item.id, kind: 'write-off', amountMinor: taken, reason: `short by ${remainingShortfall}, within the bank-charge tolerance of ${tolerance} (minor units of ${entry.currency})${taken < remainingShortfall ? `; ${taken} of it on ${item.number}` : ''}` });
    }
    if (left > 0) return undefined;
  }
  const what = [bestDiscount ? 'the early-payment discount' : '', remainingShortfall > 0 ? `a bank-charge write-off of ${remainingShortfall}` : ''].filter(Boolean).join(' and ');
  return { byIndex, adjustments, what };
}

/** The discounts a payer may have computed: 2 % of the open amount rounded half-up, down, or up. */
function discountOptions(item: OpenItem, openMinor: number, paidOn: string, graceDays: number): number[] {
  const discount = item.earlyPaymentDiscount;
  if (!discount || discount.rateBasisPoints <= 0) return [];
  if (paidOn > addDays(item.issueDate, discount.days + graceDays)) return [];
  const exact = BigInt(openMinor) * BigInt(discount.rateBasisPoints);
  const options = new Set([divideHalfUp(exact, 10_000n), Number(exact / 10_000n), Number((exact + 9_999n) / 10_000n)]);
  return [...options].filter((value) => value > 0 && value < openMinor);
}

/** Takes each eligible invoice's discount (in one of its roundings) so that what is left is within tolerance. */
function chooseDiscounts(options: readonly number[][], shortfall: number, tolerance: number): number[] | undefined {
  const chosen = options.map((choices) => choices[0] ?? 0);
  const total = sum(chosen);
  if (total > shortfall || shortfall - total > tolerance) {
    // One rounding difference per invoice: try each invoice's alternatives against the exact shortfall.
    for (let index = 0; index < options.length; index++) {
      for (const alternative of options[index] ?? []) {
        const attempt = [...chosen];
        attempt[index] = alternative;
        const attemptTotal = sum(attempt);
        if (attemptTotal <= shortfall && shortfall - attemptTotal <= tolerance) return attempt;
      }
    }
    return undefined;
  }
  return chosen;
}

/** No invoice named: within the identified payer's open invoices, find the one or the set the amount fits. */
function settleWithinCustomer(entry: BankEntry, payer: Payer, ledger: OpenItemLedger, policy: MatchingPolicy): Settlement {
  const amount = entry.amountMinor;
  const open = ledger.openOf(payer.customerId, entry.currency);
  const none = { allocations: [], adjustments: [], unappliedMinor: 0 };
  if (open.length === 0) return { ...none, outcome: 'unmatched', reason: `the payer is ${payer.evidence}, who has no open invoice in ${entry.currency}`, candidates: [] };
  const listed = (items: readonly OpenItem[], why: string) => ledger.candidates(items, 50, why);

  const exact = open.filter((item) => ledger.open(item.id) === amount);
  if (exact.length > 1) return { ...none, outcome: 'unmatched', reason: `the payer is ${payer.evidence}; ${exact.length} open invoices equal the amount`, candidates: listed(exact, 'same payer, same open amount') };
  if (exact.length === 1) {
    const item = exact[0] as OpenItem;
    return { ...none, outcome: 'applied', allocations: [{ invoiceId: item.id, amountMinor: amount, rule: 'amount-exact', reason: `the payer is ${payer.evidence}; ${item.number} is their only open invoice of this amount` }], reason: `pays ${item.number} in full`, candidates: [] };
  }

  // Beyond the window a second combination could hide among the newer invoices: then no sum is certain.
  const sums = open.length > policy.sumSearch.maxInvoices ? 'too-many' : subsetsSummingTo(open, (item) => ledger.open(item.id), amount, policy.sumSearch);
  if (sums === 'too-many' || sums.length > 1) {
    const why = sums === 'too-many' ? `too many open invoices (${open.length}) to be sure only one combination adds up to the amount` : 'more than one combination of open invoices adds up to the amount';
    return { ...none, outcome: 'unmatched', reason: `the payer is ${payer.evidence}; ${why}`, candidates: listed(open, 'same payer') };
  }
  if (sums.length === 1) {
    const items = sums[0] as OpenItem[];
    const numbers = items.map((item) => item.number).join(', ');
    return {
      ...none,
      outcome: 'applied',
      allocations: items.map((item) => ({ invoiceId: item.id, amountMinor: ledger.open(item.id), rule: 'amount-sum' as const, reason: `the payer is ${payer.evidence}; ${numbers} are the only open invoices that add up to the amount` })),
      reason: `pays ${numbers} in full`,
      candidates: [],
    };
  }

  const closable = open.flatMap((item) => {
    const closing = closingAdjustments(entry, [item], [ledger.open(item.id)], policy);
    return closing ? [{ item, closing }] : [];
  });
  if (closable.length === 1) {
    const { item, closing } = closable[0] as (typeof closable)[number];
    return {
      outcome: 'applied',
      allocations: [{ invoiceId: item.id, amountMinor: amount, rule: 'amount-exact', reason: `the payer is ${payer.evidence}; ${item.number} is their only open invoice this amount settles with ${closing.what}` }],
      adjustments: closing.adjustments,
      unappliedMinor: 0,
      reason: `pays ${item.number} less ${closing.what}`,
      candidates: [],
    };
  }
  const why = closable.length > 1 ? `${closable.length} open invoices could be settled by it` : 'no open invoice or combination of them matches the amount';
  return { ...none, outcome: 'unmatched', reason: `the payer is ${payer.evidence}; ${why}`, candidates: listed(closable.length > 1 ? closable.map(({ item }) => item) : open, 'same payer') };
}

/**
 * Every set of two or more items whose open amounts add up to `target`, up to two sets (one is an answer, two are
 * an ambiguity); `too-many` when the search budget runs out first, which is also an ambiguity.
 */
function subsetsSummingTo<T>(items: readonly T[], amountOf: (item: T) => number, target: number, limits: MatchingPolicy['sumSearch']): T[][] | 'too-many' {
  const sorted = items.map((item) => ({ item, amount: amountOf(item) })).filter(({ amount }) => amount > 0 && amount < target).sort((a, b) => b.amount - a.amount);
  const suffix: number[] = new Array<number>(sorted.length + 1).fill(0);
  for (let index = sorted.length - 1; index >= 0; index--) suffix[index] = (suffix[index + 1] as number) + (sorted[index] as (typeof sorted)[number]).amount;
  const found: T[][] = [];
  let steps = 0;
  const chosen: T[] = [];
  const search = (start: number, remaining: number): boolean => {
    if (++steps > limits.maxSteps) return false;
    if (remaining === 0) {
      if (chosen.length >= 2) found.push([...chosen]);
      return found.length < 2;
    }
    if (chosen.length >= limits.maxCombined || (suffix[start] as number) < remaining) return true;
    for (let index = start; index < sorted.length; index++) {
      const next = sorted[index] as (typeof sorted)[number];
      if (next.amount > remaining) continue;
      chosen.push(next.item);
      const go = search(index + 1, remaining - next.amount);
      chosen.pop();
      if (!go) return false;
    }
    return true;
  };
  const completed = search(0, target);
  if (!completed && found.length < 2) return 'too-many';
  return found;
}

interface Payer {
  customerId: string;
  evidence: string;
}

/** The open items with indexes for each way a payment can point at them, and the open amounts as matching goes on. */
class OpenItemLedger {
  private readonly openAmounts = new Map<string, number>();
  private readonly byId = new Map<string, OpenItem>();
  private readonly byReference = new Map<string, OpenItem[]>();
  private readonly byFullNumber = new Map<string, OpenItem[]>();
  private readonly byDigits = new Map<string, OpenItem[]>();
  private readonly byCustomer = new Map<string, OpenItem[]>();
  private readonly byAmount = new Map<string, OpenItem[]>();
  private readonly customerByAccount = new Map<string, Set<string>>();
  private readonly customerByName = new Map<string, Set<string>>();
  private readonly customerNames = new Map<string, string>();
  private readonly numberKeys = new Map<string, ReturnType<typeof invoiceNumberKeys>>();
  /** Longer tokens cannot be one edit from any number of the ledger (and their variants would cost n² to make). */
  private longestNumberKey = 0;

  constructor(items: readonly OpenItem[], learnedAccounts: Readonly<Record<string, string>>) {
    for (const item of items) {
      if (this.byId.has(item.id) || item.openMinor <= 0) continue;
      this.byId.set(item.id, item);
      this.openAmounts.set(item.id, item.openMinor);
      const reference = item.reference ? normalizeCreditorReference(item.reference) : undefined;
      // Two open items with one reference cannot be told apart by it: both are named, which makes it a conflict for a person.
      if (reference) push(this.byReference, reference, item);
      const keys = invoiceNumberKeys(item.number);
      this.numberKeys.set(item.id, keys);
      this.longestNumberKey = Math.max(this.longestNumberKey, keys.full.length);
      push(this.byFullNumber, keys.full, item);
      if (keys.digits) push(this.byDigits, keys.digits, item);
      push(this.byCustomer, item.customerId, item);
      push(this.byAmount, `${item.currency}:${item.openMinor}`, item);
      for (const account of item.payerAccounts ?? []) {
        const normalized = normalizeAccount(account);
        if (normalized) addTo(this.customerByAccount, normalized, item.customerId);
      }
      const name = normalizePartyName(item.customerName);
      if (name) addTo(this.customerByName, name, item.customerId);
      this.customerNames.set(item.customerId, item.customerName);
    }
    for (const [account, customerId] of Object.entries(learnedAccounts)) {
      const normalized = normalizeAccount(account);
      if (normalized) addTo(this.customerByAccount, normalized, customerId);
    }
    for (const list of this.byCustomer.values()) list.sort(byDueDate);
  }

  open(invoiceId: string): number {
    return this.openAmounts.get(invoiceId) ?? 0;
  }

  items(invoiceIds: readonly string[]): OpenItem[] {
    return invoiceIds.flatMap((id) => this.byId.get(id) ?? []);
  }

  reduce(invoiceId: string, amountMinor: number): void {
    this.setOpen(invoiceId, this.open(invoiceId) - amountMinor);
  }

  reopen(invoiceId: string, amountMinor: number): void {
    this.setOpen(invoiceId, this.open(invoiceId) + amountMinor);
  }

  /** Keeps the amount index on the current open amount, so a part-paid invoice is found by what is left. */
  private setOpen(invoiceId: string, openMinor: number): void {
    const item = this.byId.get(invoiceId);
    if (!item) return;
    const before = `${item.currency}:${this.open(invoiceId)}`;
    const bucket = this.byAmount.get(before)?.filter((other) => other.id !== invoiceId);
    if (bucket?.length) this.byAmount.set(before, bucket);
    else this.byAmount.delete(before);
    this.openAmounts.set(invoiceId, openMinor);
    if (openMinor > 0) push(this.byAmount, `${item.currency}:${openMinor}`, item);
  }

  openOf(customerId: string, currency: string): OpenItem[] {
    return (this.byCustomer.get(customerId) ?? []).filter((item) => item.currency === currency && this.open(item.id) > 0);
  }

  sameAmount(currency: string, amountMinor: number): OpenItem[] {
    return this.byAmount.get(`${currency}:${amountMinor}`) ?? [];
  }

  /** The customer behind the payer's account (known or learned) or, failing that, behind the payer's exact name. */
  identifyPayer(entry: BankEntry): Payer | undefined {
    const account = normalizeAccount(entry.counterparty.account);
    const byAccount = account ? this.customerByAccount.get(account) : undefined;
    if (byAccount?.size === 1) {
      const customerId = [...byAccount][0] as string;
      return { customerId, evidence: `${this.customerNames.get(customerId) ?? customerId} (account ${entry.counterparty.account})` };
    }
    if (byAccount && byAccount.size > 1) return undefined;
    const name = normalizePartyName(entry.counterparty.name);
    const byName = name ? this.customerByName.get(name) : undefined;
    if (byName?.size === 1) {
      const customerId = [...byName][0] as string;
      return { customerId, evidence: `${this.customerNames.get(customerId) ?? customerId} (by name "${entry.counterparty.name}")` };
    }
    return undefined;
  }

  /**
   * The open invoices the entry names: RF references first (check digits make them certain), then invoice
   * numbers in the references, the remittance or the end-to-end id, then one-typo numbers of the payer's own
   * invoices. Names spanning customers, or disagreeing sources, are a conflict for a person.
   */
  namedInvoices(entry: BankEntry, payerCustomerId: string | undefined): (Named & { closed: string[]; closedCustomerId?: string | undefined }) | { conflict: string; candidates: Candidate[] } {
    const remittance = [...entry.references, entry.remittance].join('\n');
    const references = new Set([...findCreditorReferences(remittance), ...findCreditorReferences(entry.endToEndId ?? '')]);
    const byReference = unique([...references].flatMap((reference) => this.byReference.get(reference) ?? []));
    const shared = [...references].find((reference) => (this.byReference.get(reference) ?? []).filter((item) => this.open(item.id) > 0).length > 1);
    if (shared) return { conflict: `the creditor reference ${shared} belongs to several open invoices`, candidates: this.candidates(this.byReference.get(shared) ?? [], 50, 'carries the quoted reference') };
    const remittanceTokens = numberTokens(remittance);
    const endToEndTokens = numberTokens(entry.endToEndId ?? '');
    const byNumber = unique(remittanceTokens.flatMap((token) => this.exactNumber(token)));
    const byEndToEnd = unique(endToEndTokens.flatMap((token) => this.exactNumber(token)));

    const mentioned = unique([...byReference, ...byNumber, ...byEndToEnd]);
    const closed = mentioned.filter((item) => this.open(item.id) <= 0).map((item) => item.number);
    const isOpen = (item: OpenItem) => this.open(item.id) > 0;
    // References and numbers in the remittance name invoices together (`RF… and INV-…`); the end-to-end id only
    // speaks when the remittance names nothing.
    const fromRemittance = unique([...byReference, ...byNumber]).filter(isOpen);
    const items = fromRemittance.length > 0 ? fromRemittance : byEndToEnd.filter(isOpen);
    if (items.length > 0) {
      const rule: MatchRule = byReference.some(isOpen) ? 'rf-reference' : fromRemittance.length > 0 ? 'invoice-number' : 'end-to-end-id';
      const list = items.map((item) => item.number).join(', ');
      const evidence = rule === 'rf-reference' ? `the creditor reference in the remittance is that of ${list}` : rule === 'invoice-number' ? `the remittance names ${list}` : `the end-to-end id names ${list}`;
      // Paid invoices count too: naming a paid invoice of another customer is just as conflicting.
      const customers = new Set(mentioned.map((item) => item.customerId));
      const candidates = this.candidates(items, 60, 'named in the remittance');
      if (customers.size > 1) return { conflict: `${evidence}: the remittance names invoices of ${customers.size} different customers`, candidates };
      const currencies = [...new Set(items.map((item) => item.currency))];
      if (currencies.some((currency) => currency !== entry.currency)) return { conflict: `${evidence}, billed in ${currencies.join('/')}, but the payment is in ${entry.currency}`, candidates };
      return { items, rule, evidence, closed };
    }
    if (closed.length > 0) {
      const customers = unique(mentioned.map((item) => item.customerId));
      return { items: [], rule: 'invoice-number', evidence: '', closed, closedCustomerId: customers.length === 1 ? customers[0] : undefined };
    }
    const typo = this.typoMatch([...remittanceTokens, ...endToEndTokens], entry, payerCustomerId);
    if (typo) return { items: [typo.item], rule: 'invoice-number-typo', evidence: `the remittance names ${typo.written}, one character from ${typo.item.number}`, closed };
    return { items: [], rule: 'invoice-number', evidence: '', closed };
  }

  /** The open invoices a remittance document's number (or creditor reference) names, by its whole number. */
  documentItems(number: string): OpenItem[] {
    const reference = normalizeCreditorReference(number);
    if (reference && this.byReference.has(reference)) return this.byReference.get(reference) ?? [];
    return this.exactNumber(invoiceNumberKeys(number).full);
  }

  private exactNumber(token: string): OpenItem[] {
    const full = this.byFullNumber.get(token);
    if (full) return full;
    const digits = digitKey(token);
    // A token with letters of its own (`RE2026000123`) may still name an invoice by its digits; a long digit
    // run that merely contains them (an IBAN) does not, because the digit key must be the token's whole digits.
    return digits ? (this.byDigits.get(digits) ?? []) : [];
  }

  /**
   * One typo away from exactly one of the identified payer's own open invoices; never another customer's. From a
   * payer nobody can identify, a near-miss number is not applied: that would need every other open invoice one edit
   * away ruled out, which means reading the whole ledger for each such entry (issue 16). It goes to a person.
   */
  private typoMatch(tokens: readonly string[], entry: BankEntry, payerCustomerId: string | undefined): { item: OpenItem; written: string } | undefined {
    if (!payerCustomerId) return undefined;
    const pool = this.openOf(payerCustomerId, entry.currency);
    if (pool.length === 0) return undefined;
    const hits = this.oneEditHits(tokens, pool);
    if (hits.size !== 1) return undefined;
    return [...hits.values()][0] as { item: OpenItem; written: string };
  }

  private oneEditHits(tokens: readonly string[], pool: readonly OpenItem[]): Map<string, { item: OpenItem; written: string }> {
    const hits = new Map<string, { item: OpenItem; written: string }>();
    for (const token of tokens) {
      if (token.length > this.longestNumberKey + 1 || this.exactNumber(token).length > 0) continue;
      const digits = digitKey(token);
      for (const item of pool) {
        const keys = this.numberKeys.get(item.id) ?? invoiceNumberKeys(item.number);
        if (isOneEditApart(token, keys.full) || (digits && keys.digits && isOneEditApart(digits, keys.digits))) hits.set(item.id, { item, written: token });
      }
    }
    return hits;
  }

  candidates(items: readonly OpenItem[], score: number, why: string): Candidate[] {
    return items.slice(0, MAX_CANDIDATES).map((item) => ({ invoiceId: item.id, number: item.number, customerId: item.customerId, openMinor: this.open(item.id), score, why }));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function byDueDate(a: OpenItem, b: OpenItem): number {
  return a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number);
}

/** The dry-run report of DESIGN §4 (`o2c reconcile --json`), with reversals and ignored entries beside it. */
export function reconciliationReport(matches: readonly EntryMatch[]) {
  return {
    allocations: matches.flatMap((match) => match.allocations.map((allocation) => ({ bankReference: match.bankReference, ...allocation }))),
    adjustments: matches.flatMap((match) => match.adjustments.map((adjustment) => ({ bankReference: match.bankReference, ...adjustment }))),
    unapplied: matches.filter((match) => match.unappliedMinor > 0).map((match) => ({ bankReference: match.bankReference, customerId: match.customerId, amountMinor: match.unappliedMinor, reason: match.reason })),
    unmatched: matches.filter((match) => match.outcome === 'unmatched').map((match) => ({ bankReference: match.bankReference, amountMinor: match.amountMinor, reason: match.reason, candidates: match.candidates })),
    reversals: matches
      .filter((match) => match.outcome === 'reversal' && match.reverses)
      .map((match) => ({ bankReference: match.bankReference, reversesBankReference: match.reverses?.bankReference, amountMinor: match.amountMinor, reopened: [...(match.reverses?.allocations ?? []), ...(match.reverses?.adjustments ?? [])].map(({ invoiceId, amountMinor }) => ({ invoiceId, amountMinor })), reason: match.reason })),
    ignored: matches.filter((match) => match.outcome === 'ignored').map((match) => ({ bankReference: match.bankReference, amountMinor: match.amountMinor, reason: match.reason })),
  };
}
