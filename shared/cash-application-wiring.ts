/**
 * Cash application's dependencies, apart from `wiring.ts` because they include the bank-file parsers (fast-xml-parser
 * for camt.053): only the functions that read bank files bundle them.
 */
import { s3BankFiles } from '#adapters/bank-files-s3';
import { documentClient, s3Client } from '#adapters/aws-clients';
import { dynamoCsvProfiles } from '#adapters/csv-profiles';
import { dynamoDeductionStore } from '#adapters/deduction-store';
import { dynamoOpenItems, dynamoPaymentStore } from '#adapters/payment-store';
import { cashPolicyFrom } from '#schemas/cash-policy';
import { bankFileReader } from '#shared/bank/read-bank-file';
import { loadConfig, requiredName } from '#shared/config';
import { bankFilePrefixes } from '#shared/topology';
import { invoiceStore, tableDeps } from '#shared/wiring';

/**
 * Bank files above `O2C_BANK_FILE_MAX_BYTES` are quarantined unread. The default, 32 MiB (about 50 000 camt.053
 * entries), keeps the reconcile function under its 1769 MB: `npm run bench` measured a 60 MiB camt file (100 000
 * entries) at 1.76 GB peak RSS, because the XML is parsed as a whole.
 */
const DEFAULT_BANK_FILE_MAX_BYTES = 32 * 1024 * 1024;

/** Cash application: the bank-files bucket, payments, open items and the matching policy (`O2C_CASH_POLICY`). */
export function cashApplicationDeps() {
  const { TABLE_NAME, BANK_FILES_BUCKET } = loadConfig({ TABLE_NAME: requiredName, BANK_FILES_BUCKET: requiredName });
  const maxBytes = Number(process.env.O2C_BANK_FILE_MAX_BYTES ?? DEFAULT_BANK_FILE_MAX_BYTES);
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new Error('O2C_BANK_FILE_MAX_BYTES must be a positive whole number of bytes');
  const documents = documentClient();
  return {
    ...tableDeps(),
    files: s3BankFiles(s3Client(), BANK_FILES_BUCKET, bankFilePrefixes.inbound),
    payments: dynamoPaymentStore(documents, TABLE_NAME),
    openItems: dynamoOpenItems(documents, TABLE_NAME),
    invoices: invoiceStore(),
    deductions: dynamoDeductionStore(documents, TABLE_NAME),
    policy: cashPolicyFrom(process.env.O2C_CASH_POLICY),
    parse: bankFileReader(dynamoCsvProfiles(documents, TABLE_NAME)),
    maxBytes,
    prefixes: bankFilePrefixes,
  };
}
