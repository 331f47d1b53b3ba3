import { BankFileError, type BankFileFormat, type ParsedBankFile } from '#domain/bank-statement';
import { parseBai2 } from './bai2.ts';
import { parseCamt053 } from './camt053.ts';
import { parseCsv } from './csv.ts';
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
   * layout, so a CSV file is only read with one; the other formats ignore it.
   */
  csvProfile?: CsvProfileInput | undefined;
}

/**
 * Parses a bank file into normalized statements. `auto` detects the format; CSV needs the account's
 * column-mapping profile in `options.csvProfile` and is refused with a clear message without one.
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
    case 'csv':
      if (!options.csvProfile) {
        throw new BankFileError('CSV bank files need a column-mapping profile for their account; none is configured (use --format camt053, mt940 or bai2)');
      }
      return parseCsv(text, options.csvProfile);
  }
}
