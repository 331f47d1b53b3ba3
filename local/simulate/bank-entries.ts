/**
 * One model of a bank statement for every file format the simulator drops (camt.053, MT940, BAI2, CSV), with the
 * entries a real account shows besides customer payments: bank fees (debits), returned payments (debits with a
 * return reason, naming the payment they undo) and statements that overlap yesterday's (the same entries again,
 * same bank references and booking dates, which O2C must not apply twice). Pure: text in, text out.
 *
 * The writers: `camt053.ts`, `mt940.ts`, `bai2.ts`, `csv-statement.ts`; `bank-files.ts` picks one by format.
 */
import type { Bai2Entry } from './bai2.ts';
import type { CamtEntry } from './camt053.ts';

/** `payment`: money in from a customer; `fee`: the bank's charge; `return`: a payment the bank took back. */
export type StatementEntryKind = 'payment' | 'fee' | 'return';

export interface StatementEntry {
  /** Signed minor units of the statement's currency: + money in, − money out (fees and returns are negative). */
  amountMinor: number;
  /** The bank's own reference: O2C's dedupe key with the account, amount and booking date. */
  bankReference: string;
  /** ISO date. */
  bookingDate: string;
  /** ISO date; the booking date unless given. */
  valueDate?: string | undefined;
  /** The payer's SEPA end-to-end id; a return carries the one of the payment it undoes. */
  endToEndId?: string | undefined;
  /** Unstructured remittance: the RF reference or the invoice numbers the payer wrote. */
  remittance?: string | undefined;
  /** The counterparty: who paid (or, on a return, whose payment came back). */
  payerName?: string | undefined;
  payerAccount?: string | undefined;
  /** `payment` for money in and `fee` for money out unless given. */
  kind?: StatementEntryKind | undefined;
  /** On a return: the ISO 20022 return reason (`AC04` account closed, `MD07` debtor deceased, `AM04` insufficient funds). */
  returnReason?: string | undefined;
}

export interface StatementInput {
  statementId: string;
  /** Our account: an IBAN, used as the account in every format so a return finds its payment whatever file it came in. */
  account: string;
  currency: string;
  /** The balance before the first entry. */
  openingMinor: number;
  /** The statement's date (its last day); the day of an empty statement. */
  date: string;
  /** The statement's sequence number (MT940 `:28C:`); 1 unless given. */
  sequence?: number | undefined;
  entries: StatementEntry[];
}

export function kindOf(entry: StatementEntry): StatementEntryKind {
  return entry.kind ?? (entry.amountMinor >= 0 ? 'payment' : 'fee');
}

export function closingOf(statement: Pick<StatementInput, 'openingMinor' | 'entries'>): number {
  return statement.openingMinor + statement.entries.reduce((sum, entry) => sum + entry.amountMinor, 0);
}

/** The bank's charge for the account or a transaction: a debit that is no customer's. `amountMinor` is the fee, positive. */
export function bankFee(input: { amountMinor: number; bankReference: string; bookingDate: string; text?: string | undefined }): StatementEntry {
  if (input.amountMinor <= 0) throw new RangeError(`a bank fee is a positive amount charged, got ${input.amountMinor}`);
  return { amountMinor: -input.amountMinor, bankReference: input.bankReference, bookingDate: input.bookingDate, remittance: input.text ?? 'Account maintenance fee', kind: 'fee' };
}

/**
 * The payer's bank sends `payment` back: a debit of the same amount that names the same payer (account, name) and
 * end-to-end id, under a bank reference of its own. O2C finds the payment it undoes by end-to-end id, bank
 * reference or payer account, and reopens what it paid.
 */
export function returnedPayment(payment: StatementEntry, input: { bankReference: string; bookingDate: string; reason: string }): StatementEntry {
  if (payment.amountMinor <= 0) throw new RangeError(`only money in can be returned, got ${payment.amountMinor}`);
  return {
    amountMinor: -payment.amountMinor,
    bankReference: input.bankReference,
    bookingDate: input.bookingDate,
    endToEndId: payment.endToEndId,
    remittance: `Return ${input.reason} of ${payment.bankReference}`,
    payerName: payment.payerName,
    payerAccount: payment.payerAccount,
    kind: 'return',
    returnReason: input.reason,
  };
}

/**
 * Today's statement as a bank that overlaps sends it: from yesterday's opening balance, yesterday's entries again
 * (same references, same booking dates) followed by today's. O2C must record each entry once.
 */
export function overlappingStatement(yesterday: StatementInput, today: Pick<StatementInput, 'statementId' | 'date' | 'entries'> & { sequence?: number | undefined }): StatementInput {
  return { ...yesterday, statementId: today.statementId, date: today.date, sequence: today.sequence ?? (yesterday.sequence ?? 1) + 1, entries: [...yesterday.entries, ...today.entries] };
}

const CAMT_TRANSACTION_CODES: Record<StatementEntryKind, string> = {
  payment: 'PMNT/RCDT/ESCT',
  // ISO 20022 bank transaction codes: a return of a received credit transfer; charges on the account.
  return: 'PMNT/RCDT/RRTN',
  fee: 'ACMT/MDOP/CHRG',
};

export function toCamtEntry(entry: StatementEntry): CamtEntry {
  const kind = kindOf(entry);
  return {
    amountMinor: entry.amountMinor,
    bankReference: entry.bankReference,
    bookingDate: entry.bookingDate,
    ...(entry.valueDate ? { valueDate: entry.valueDate } : {}),
    ...(entry.endToEndId ? { endToEndId: entry.endToEndId } : {}),
    ...(entry.remittance ? { remittance: entry.remittance } : {}),
    ...(entry.payerName ? { debtorName: entry.payerName } : {}),
    ...(entry.payerAccount ? { debtorAccount: entry.payerAccount } : {}),
    ...(kind === 'return' ? { returnReason: entry.returnReason ?? 'NARR' } : {}),
    bankTransactionCode: CAMT_TRANSACTION_CODES[kind],
  };
}

/** BAI2 detail type codes: ACH credit received, deposited item returned, miscellaneous fees. */
const BAI2_TYPE_CODES: Record<StatementEntryKind, string> = { payment: '142', return: '555', fee: '698' };

/** BAI2 has no counterparty field: the payer's name goes into the text, as banks write ACH originators there. */
export function toBai2Entry(entry: StatementEntry): Bai2Entry {
  const kind = kindOf(entry);
  const text = [entry.remittance, entry.payerName ? `ORIG CO NAME:${entry.payerName}` : undefined, kind === 'return' && entry.returnReason ? `RETURN REASON:${entry.returnReason}` : undefined].filter(Boolean).join(' ');
  return {
    amountMinor: entry.amountMinor,
    bankReference: entry.bankReference,
    ...(entry.endToEndId ? { customerReference: entry.endToEndId } : {}),
    text,
    typeCode: BAI2_TYPE_CODES[kind],
    bookingDate: entry.bookingDate,
  };
}
