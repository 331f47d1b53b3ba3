/**
 * Writes a bank's CSV account export: a header row, one row per entry oldest first, RFC 4180 quoting, ISO dates,
 * signed amounts with a decimal point, and a running balance (so O2C can check opening + entries = closing).
 *
 * CSV has no standard layout, so O2C reads it with the account's column profile. `simulatorCsvProfile` is the one to
 * save (`PUT /bank-accounts/{account}/csv-profile`) before the first file: O2C can infer a profile from these
 * headers, but an inferred profile has no reversal column, so returns would read as plain debits (ignored). Upload
 * with `POST /bank-files?name=…&account=<account>`: the account in the key selects the profile.
 */
import { minorToDecimalString } from '#domain/money';
import type { CsvProfileInput } from '#shared/bank/csv-profile';
import { kindOf, type StatementEntryKind, type StatementInput } from './bank-entries.ts';

export const CSV_COLUMNS = {
  bookingDate: 'Booking Date',
  valueDate: 'Value Date',
  amount: 'Amount',
  currency: 'Currency',
  type: 'Type',
  counterparty: 'Counterparty',
  iban: 'Counterparty IBAN',
  remittance: 'Remittance Information',
  endToEndId: 'End-to-End ID',
  bankReference: 'Bank Reference',
  balance: 'Balance',
} as const;

/** The `Type` cell per entry kind; `RETURN` is what the profile marks as a reversal. */
const TYPES: Record<StatementEntryKind, string> = { payment: 'TRANSFER', return: 'RETURN', fee: 'FEE' };

/** The column profile of these exports, for `PUT /bank-accounts/{account}/csv-profile`. */
export function simulatorCsvProfile(account: string, currency: string): CsvProfileInput {
  return {
    account,
    currency,
    delimiter: ',',
    header: true,
    order: 'oldest-first',
    dateFormat: 'YYYY-MM-DD',
    decimalSeparator: '.',
    amount: { column: CSV_COLUMNS.amount },
    columns: {
      bookingDate: CSV_COLUMNS.bookingDate,
      valueDate: CSV_COLUMNS.valueDate,
      bankReference: CSV_COLUMNS.bankReference,
      endToEndId: CSV_COLUMNS.endToEndId,
      remittance: CSV_COLUMNS.remittance,
      counterpartyName: CSV_COLUMNS.counterparty,
      counterpartyAccount: CSV_COLUMNS.iban,
      currency: CSV_COLUMNS.currency,
      balance: CSV_COLUMNS.balance,
      transactionCode: CSV_COLUMNS.type,
    },
    // A returned payment keeps the debit the bank booked; the type marks it, so O2C looks for the payment it undoes.
    reversal: { column: CSV_COLUMNS.type, values: [TYPES.return] },
  };
}

/** RFC 4180: a field with the delimiter, a quote or a line break is quoted, its quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The export of one statement. A CSV export always has rows (O2C refuses one without transactions), so an empty
 * statement is refused here: drop that day's statement in another format.
 */
export function csvStatement(statement: StatementInput): string {
  if (statement.entries.length === 0) throw new RangeError(`statement ${statement.statementId} has no entries: a CSV export needs at least one row`);
  const money = (minor: number) => minorToDecimalString(minor, statement.currency);
  let balance = statement.openingMinor;
  const rows = statement.entries.map((entry) => {
    balance += entry.amountMinor;
    const kind = kindOf(entry);
    // CSV exports have no return reason field; banks write it into the text.
    const text = kind === 'return' && entry.returnReason ? `${entry.remittance ?? ''} (return reason ${entry.returnReason})`.trim() : (entry.remittance ?? '');
    return [entry.bookingDate, entry.valueDate ?? entry.bookingDate, money(entry.amountMinor), statement.currency, TYPES[kind], entry.payerName ?? '', entry.payerAccount ?? '', text, entry.endToEndId ?? '', entry.bankReference, money(balance)];
  });
  const header = [
    CSV_COLUMNS.bookingDate,
    CSV_COLUMNS.valueDate,
    CSV_COLUMNS.amount,
    CSV_COLUMNS.currency,
    CSV_COLUMNS.type,
    CSV_COLUMNS.counterparty,
    CSV_COLUMNS.iban,
    CSV_COLUMNS.remittance,
    CSV_COLUMNS.endToEndId,
    CSV_COLUMNS.bankReference,
    CSV_COLUMNS.balance,
  ];
  return `${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
