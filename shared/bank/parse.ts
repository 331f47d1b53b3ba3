import { BankFileError, type BankFileFormat, type ParsedBankFile } from '#domain/bank-statement';
import { parseBai2 } from './bai2.ts';
import { parseCamt053 } from './camt053.ts';
import { parseCsv } from './csv.ts';
import { inferCsvProfile } from './csv-infer.ts';
import type { CsvProfileInput } from './csv-profile.ts';
import { parseMt940 } from './mt940.ts';

/** Recognises a bank file by its first meaningful bytes: XML camt, BAI2 record 01, or SWIFT MT940 tags. */
export function detectBankFileFormat(text: string): BankFileFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return 'camt053';
  if (/^01,/.test(start)) return 'bai2';
  if (/^\{1:|^:20:|\n:20:/.test(start) || /:61:/.test(start)) return 'mt940';
  return 'csv';
}

export interface ParseBankFileOptions {
  /**
   * The column-mapping profile of the account the file belongs to (see `csv-profile.ts`). CSV has no standard
   * layout; without a profile one is inferred from the file's header row (`csv-infer.ts`). The other formats ignore it.
   */
  csvProfile?: CsvProfileInput | undefined;
  /** The account a CSV file belongs to, for a profile inferred from the file (CSV rows rarely name it). */
  csvAccount?: string | undefined;
  /** That account's currency, for a CSV file that names none. */
  csvCurrency?: string | undefined;
}

/**
 * Parses a bank file into normalized statements. `auto` detects the format; CSV is read with the account's
 * column-mapping profile in `options.csvProfile`, or with one inferred from its header row when there is none
 * (`options.csvAccount` names the account then).
 */
export function parseBankFile(text: string, format: BankFileFormat | 'auto' = 'auto', options: ParseBankFileOptions = {}): ParsedBankFile {
  const chosen = format === 'auto' ? detectBankFileFormat(text) : format;
  switch (chosen) {
    case 'camt053':
      return parseCamt053(text);
    case 'mt940':
      return parseMt940(text);
    case 'bai2':
      return parseBai2(text);
    case 'csv': {
      if (options.csvProfile) return parseCsv(text, options.csvProfile);
      if (!options.csvAccount) {
        throw new BankFileError('CSV bank files belong to one of our accounts: name it, or give the account\'s column-mapping profile');
      }
      return parseCsv(text, inferCsvProfile(text, { account: options.csvAccount, currency: options.csvCurrency }));
    }
  }
}
