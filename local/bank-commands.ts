import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { BankFileError, type BankEntry, type BankStatement, type ParsedBankFile, type RemittanceDocument } from '#domain/bank-statement';
import { matchEntries, reconciliationReport } from '#domain/cash-matching';
import { CsvInferenceError, inferCsvProfile } from '#shared/bank/csv-infer';
import { CsvProfileSchema, type CsvProfile } from '#shared/bank/csv-profile';
import { detectBankFileFormat, parseBankFile } from '#shared/bank/parse';
import { minorToDecimalString } from '#domain/money';
import { cashPolicyFrom } from '#schemas/cash-policy';
import { OpenInvoicesFile } from '#schemas/reconcile';

const formats = ['auto', 'camt053', 'bai2', 'mt940', 'csv'] as const;

/** A command's failure: printed as `o2c: <message>` with exit code 1. */
export class CommandError extends Error {}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CommandError(`${what} ${file} is not readable JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads and parses a bank file with the shared options (`--format`, `--profile` for CSV). A CSV file without
 * `--profile` is read with a profile inferred from its header row, returned beside the statements so that it can be
 * saved with `PUT /bank-accounts/{account}/csv-profile` (`--account`, default the file name; `--currency` when the
 * file names none).
 */
function readBankFile(
  file: string,
  options: { format?: string | undefined; profile?: string | undefined; account?: string | undefined; currency?: string | undefined },
): { parsed: ParsedBankFile; inferredProfile?: CsvProfile | undefined } {
  const format = formats.find((candidate) => candidate === (options.format ?? 'auto')) ?? fail(`--format must be one of ${formats.join(', ')}`);
  let csvProfile: CsvProfile | undefined;
  if (options.profile) {
    const checked = CsvProfileSchema.safeParse(readJson(options.profile, 'the CSV profile'));
    if (!checked.success) throw new CommandError(`the CSV profile ${options.profile} is not valid: ${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    csvProfile = checked.data;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let inferredProfile: CsvProfile | undefined;
  try {
    if (!csvProfile && (format === 'csv' || (format === 'auto' && detectBankFileFormat(text) === 'csv'))) {
      inferredProfile = inferCsvProfile(text, { account: options.account ?? basename(file).replace(/\.[^.]*$/, ''), currency: options.currency });
      csvProfile = inferredProfile;
    }
    return { parsed: parseBankFile(text, format, { csvProfile }), inferredProfile };
  } catch (error) {
    if (error instanceof CsvInferenceError) throw new CommandError(`${file}: ${error.message}; pass --profile PROFILE.json (the shape of PUT /bank-accounts/{account}/csv-profile)`);
    if (error instanceof BankFileError) throw new CommandError(`${file} is not a valid ${format === 'auto' ? 'bank' : format} file: ${error.message}`);
    throw error;
  }
}

function fail(message: string): never {
  throw new CommandError(message);
}

const bankFileOptions = {
  format: { type: 'string', default: 'auto' },
  profile: { type: 'string' },
  account: { type: 'string' },
  currency: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/**
 * `o2c bank parse FILE [--format …] [--profile CSV_PROFILE.json] [--account A] [--currency C] [--json]`; for a CSV
 * file read without `--profile`, the output carries the `inferredProfile` too. The text output lists, under each
 * statement, the entries that carry structured remittance, with their documents and amounts.
 */
export function bankParse(args: string[]): string {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: bankFileOptions });
  const file = positionals[0] ?? fail('bank parse needs a FILE');
  const { parsed, inferredProfile } = readBankFile(file, values);
  if (values.json) return `${JSON.stringify(inferredProfile ? { format: parsed.format, inferredProfile, statements: parsed.statements } : parsed, null, 2)}\n`;
  const profileNote = inferredProfile ? `inferred CSV profile: ${JSON.stringify(inferredProfile)}\n` : '';
  return `${profileNote}${parsed.statements.map((statement) => [statementLine(statement), ...statement.entries.flatMap(remittanceLines)].join('\n')).join('\n')}\n`;
}

function statementLine(statement: BankStatement): string {
  return `${statement.id} ${statement.account} ${statement.currency}: ${statement.entries.length} entries, opening ${statement.openingMinor}, closing ${statement.closingMinor}${statement.balanced ? '' : ' (DOES NOT BALANCE)'}`;
}

/** An entry with structured remittance, then one line per document: amounts in the entry's currency, as decimals. */
function remittanceLines(entry: BankEntry): string[] {
  const documents = entry.remittanceDocuments ?? [];
  if (documents.length === 0) return [];
  const amount = (minor: number) => minorToDecimalString(minor, entry.currency);
  const heading = `  ${entry.id} ${amount(entry.amountMinor)} ${entry.currency} ${entry.bookingDate}${entry.bankReference ? ` ${entry.bankReference}` : ''}: ${documents.length} remittance document${documents.length === 1 ? '' : 's'}`;
  return [heading, ...documents.map((document) => `    ${documentLine(document, amount)}`)];
}

function documentLine(document: RemittanceDocument, amount: (minor: number) => string): string {
  const parts = [
    document.paidMinor !== undefined ? `paid ${amount(document.paidMinor)}` : undefined,
    document.dueMinor !== undefined ? `due ${amount(document.dueMinor)}` : undefined,
    document.discountMinor !== undefined ? `discount ${amount(document.discountMinor)}` : undefined,
    ...(document.adjustments ?? []).map((adjustment) => {
      const why = [adjustment.code, adjustment.reason].filter(Boolean).join(': ');
      return `${adjustment.amountMinor < 0 ? 'added' : 'deducted'} ${amount(Math.abs(adjustment.amountMinor))}${why ? ` (${why})` : ''}`;
    }),
  ].filter((part): part is string => part !== undefined);
  return `${document.number}${document.kind ? ` (${document.kind})` : ''}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/**
 * `o2c reconcile --invoices FILE --statement FILE [--json]`: the matching engine on a bank file against a list
 * of open invoices, with the policy of `O2C_CASH_POLICY`. A dry run: nothing is stored or changed anywhere.
 */
export function reconcile(args: string[]): string {
  const { values } = parseArgs({ args, options: { ...bankFileOptions, invoices: { type: 'string' }, statement: { type: 'string' } } });
  const invoicesFile = values.invoices ?? fail('reconcile needs --invoices FILE (the open invoices as JSON)');
  const statementFile = values.statement ?? fail('reconcile needs --statement FILE (a bank file)');
  const invoices = OpenInvoicesFile.safeParse(readJson(invoicesFile, 'the invoices file'));
  if (!invoices.success) throw new CommandError(`${invoicesFile}: ${invoices.error.issues.slice(0, 5).map((issue) => `[${issue.path.join('.')}] ${issue.message}`).join('; ')}`);
  const { parsed } = readBankFile(statementFile, values);
  const entries = parsed.statements.flatMap((statement) => statement.entries.map((entry) => ({ ...entry, statementCurrency: statement.currency })));
  const report = reconciliationReport(matchEntries(entries, { openItems: invoices.data }, cashPolicyFrom(process.env.O2C_CASH_POLICY)));
  if (values.json) return `${JSON.stringify(report, null, 2)}\n`;
  const cash = report.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0);
  return [
    `${entries.length} entries: ${report.allocations.length} allocations (${cash} minor units), ${report.adjustments.length} adjustments, ${report.unapplied.length} unapplied, ${report.unmatched.length} unmatched, ${report.reversals.length} returns, ${report.ignored.length} ignored`,
    ...report.allocations.map((allocation) => `  ${allocation.bankReference} → ${allocation.invoiceId} ${allocation.amountMinor} [${allocation.rule}] ${allocation.reason}`),
    ...report.unmatched.map((entry) => `  ${entry.bankReference} unmatched: ${entry.reason}`),
    '',
  ].join('\n');
}
