import { BankFileError, type ParsedBankFile } from '#domain/bank-statement';
import type { CsvProfileInput } from './csv-profile.ts';
import { detectBankFileFormat, parseBankFile } from './parse.ts';

/** CSV files belong to one of our accounts, named by their place: `inbound/csv/<account>/<file>`. */
const CSV_KEY = /^inbound\/csv\/([^/]+)\//;

/** Where a CSV file for `account` is dropped (and where `POST /bank-files?account=` puts it). */
export const csvInboundPrefix = (inboundPrefix: string, account: string) => `${inboundPrefix}csv/${account}/`;

/**
 * Reads a bank file from the bucket: camt.053, BAI2 and MT940 by their content, CSV with the column profile saved
 * for the account its key names. A CSV file without either is refused with what to do about it.
 */
export function bankFileReader(profiles: { get(account: string): Promise<CsvProfileInput | undefined> }) {
  return async (text: string, fileKey: string): Promise<ParsedBankFile> => {
    const format = detectBankFileFormat(text);
    if (format !== 'csv') return parseBankFile(text, format);
    const account = CSV_KEY.exec(fileKey)?.[1];
    if (!account) throw new BankFileError('CSV bank files are read with the column profile of their account: drop them under inbound/csv/<account>/ or upload them with ?account=');
    const csvProfile = await profiles.get(account);
    if (!csvProfile) throw new BankFileError(`no CSV column profile is saved for account ${account}; save one with PUT /bank-accounts/${account}/csv-profile`);
    return parseBankFile(text, 'csv', { csvProfile });
  };
}
