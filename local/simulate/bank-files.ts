/**
 * A day's statement as the file the simulator drops, in any of the four formats O2C reads, and what each format
 * can carry: O2C reads a return only where the format marks one (camt `RtrInf`, MT940 GVC 159 with `?34`, a CSV
 * type column) and a payer only where the format names one.
 */
import { bai2 } from './bai2.ts';
import { toBai2Entry, toCamtEntry, type StatementInput } from './bank-entries.ts';
import { camt053 } from './camt053.ts';
import { csvStatement } from './csv-statement.ts';
import { mt940 } from './mt940.ts';

export type BankFileFormat = 'camt053' | 'mt940' | 'bai2' | 'csv';
export const BANK_FILE_FORMATS: readonly BankFileFormat[] = ['camt053', 'mt940', 'bai2', 'csv'];

/**
 * What O2C reads back from each format. BAI2 names no counterparty and marks no return (O2C's parser sets neither
 * for any type code, so a BAI2 return reads as an ordinary debit and is ignored); a CSV export needs at least one
 * row (O2C refuses a file without transactions); MT940 keeps the remittance in at most 14 subfields of 27 characters.
 */
export const BANK_FILE_CAPABILITIES: Record<BankFileFormat, { payer: boolean; returns: boolean; returnReason: boolean; emptyStatement: boolean }> = {
  camt053: { payer: true, returns: true, returnReason: true, emptyStatement: true },
  mt940: { payer: true, returns: true, returnReason: true, emptyStatement: true },
  bai2: { payer: false, returns: false, returnReason: false, emptyStatement: true },
  csv: { payer: true, returns: true, returnReason: false, emptyStatement: false },
};

/** A file ready for `POST /bank-files?name=<name>[&account=<account>]`; `account` is set for CSV, whose profile it selects. */
export interface BankFileToDrop {
  format: BankFileFormat;
  name: string;
  content: string;
  account?: string | undefined;
}

const EXTENSIONS: Record<BankFileFormat, string> = { camt053: 'xml', mt940: 'sta', bai2: 'bai', csv: 'csv' };

/** The statement written in `format`, named as banks name their daily files. */
export function statementFile(format: BankFileFormat, statement: StatementInput): BankFileToDrop {
  const name = `statement-${statement.date}-${statement.sequence ?? 1}.${EXTENSIONS[format]}`;
  switch (format) {
    case 'camt053':
      return { format, name, content: camt053({ statementId: statement.statementId, account: statement.account, currency: statement.currency, openingMinor: statement.openingMinor, date: statement.date, entries: statement.entries.map(toCamtEntry) }) };
    case 'bai2':
      return { format, name, content: bai2({ account: statement.account, currency: statement.currency, openingMinor: statement.openingMinor, date: statement.date, entries: statement.entries.map(toBai2Entry) }) };
    case 'mt940':
      return { format, name, content: mt940(statement) };
    case 'csv':
      return { format, name, content: csvStatement(statement), account: statement.account };
  }
}
