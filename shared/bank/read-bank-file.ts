import { BankFileError, type ParsedBankFile } from '#domain/bank-statement';
import { CsvInferenceError, inferCsvProfile } from './csv-infer.ts';
import type { CsvProfileInput } from './csv-profile.ts';
import { detectBankFileFormat, parseBankFile } from './parse.ts';

/** CSV files belong to one of our accounts, named by their place: `inbound/csv/<account>/<file>`. */
const CSV_KEY = /^inbound\/csv\/([^/]+)\//;

/** Where a CSV file for `account` is dropped (and where `POST /bank-files?account=` puts it). */
export const csvInboundPrefix = (inboundPrefix: string, account: string) => `${inboundPrefix}csv/${account}/`;

/**
 * Reads a bank file from the bucket: camt.053, BAI2 and MT940 by their content, CSV with the column profile saved
 * for the account its key names, or with one inferred from the file's header row when none is saved.
 */
export function bankFileReader(profiles: { get(account: string): Promise<CsvProfileInput | undefined> }) {
  return async (text: string, fileKey: string): Promise<ParsedBankFile> => {
    const format = detectBankFileFormat(text);
    if (format !== 'csv') return parseBankFile(text, format);
    const account = CSV_KEY.exec(fileKey)?.[1];
    if (!account) throw new BankFileError('CSV bank files are read with the column profile of their account: drop them under inbound/csv/<account>/ or upload them with ?account=');
    // Without a saved profile the file is read with one inferred from its header row; an ambiguous file is refused
    // with what was ambiguous, and then needs PUT /bank-accounts/<account>/csv-profile.
    const csvProfile = await profiles.get(account);
    if (csvProfile) return parseBankFile(text, 'csv', { csvProfile });
    let inferred;
    try {
      inferred = inferCsvProfile(text, { account });
    } catch (error) {
      if (!(error instanceof CsvInferenceError)) throw error;
      throw new BankFileError(`${error.reason}; no CSV column profile is saved for account ${account}: save one with PUT /bank-accounts/${account}/csv-profile`, error.location);
    }
    return parseBankFile(text, 'csv', { csvProfile: inferred });
  };
}
