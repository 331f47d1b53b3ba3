/**
 * CSV bank statements → the normalized {@link BankStatement} (DESIGN §4), read through the account's
 * {@link CsvProfile} (column mapping, separators, date and number formats).
 *
 * The file is read as RFC 4180 CSV by a small reader in this module: quoted fields with the delimiter, line breaks
 * and doubled quotes inside, CRLF, LF or CR line ends, a UTF-8 byte-order mark. Two common deviations are accepted
 * because real exports have them: blanks before an opening quote (`a, "b"`) and a quote inside an unquoted field
 * (`5" screen`), which is kept as written. Anything else malformed is a {@link BankFileError} with its line.
 *
 * One file is one statement. Amounts are read as strings into integer minor units (`1.234,56` → 123456); no
 * floating point anywhere. Every error names the line and, for a cell, the column: `line 7, column "Amount":
 * "12,3,4" is not an amount (…)`.
 */
import { createHash } from 'node:crypto';
import { BankFileError, isBalanced, type BankEntry, type BankStatement, type ParsedBankFile, type RemittanceDocument } from '#domain/bank-statement';
import { findCreditorReferences } from '#domain/creditor-reference';
import { isCurrency, MAX_AMOUNT_MINOR, minorToDecimalString, minorUnitDigits, parseDecimalMinor } from '#domain/money';
import { CsvProfileSchema, profileColumns, type CsvColumn, type CsvDateFormat, type CsvProfile, type CsvProfileInput } from './csv-profile.ts';
import { signedDocument } from './signed-remittance.ts';

/** One CSV record: its fields (unquoted) and the physical line it starts on (1-based, counted from the file's start). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Reads CSV text into records. `firstLine` is the line number of the text's first line, so that records are
 * numbered as in the whole file when leading lines were cut off. Line breaks inside quoted fields are kept, as `\n`.
 * A blank line is a record with one empty field; the caller decides what blank records mean.
 */
export function readCsvRecords(text: string, delimiter: string, firstLine = 1): CsvRecord[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new BankFileError(`${JSON.stringify(delimiter)} cannot be a CSV delimiter`);
  }
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let state: 'start' | 'unquoted' | 'quoted' | 'closed' = 'start';
  let line = firstLine;
  let recordLine = firstLine;
  let quoteLine = firstLine;
  const finishRecord = () => {
    fields.push(field);
    records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    state = 'start';
  };
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (state === 'quoted') {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else {
          state = 'closed';
        }
      } else if (char === '\r') {
        // A line break inside a quoted field is part of the value; CRLF and CR are kept as LF.
        if (text[index + 1] === '\n') index++;
        field += '\n';
        line++;
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === delimiter) {
      fields.push(field);
      field = '';
      state = 'start';
      continue;
    }
    if (char === '\r' || char === '\n') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      finishRecord();
      line++;
      recordLine = line;
      continue;
    }
    if (state === 'closed') {
      if (char === ' ' || char === '\t') continue;
      throw new BankFileError(`${JSON.stringify(char)} after the closing quote of a field (a quote inside a quoted field is written twice: "")`, `line ${line}`);
    }
    if (char === '"' && field.trim() === '') {
      state = 'quoted';
      field = '';
      quoteLine = line;
      continue;
    }
    state = 'unquoted';
    field += char;
  }
  if (state === 'quoted') throw new BankFileError('a quoted field is not closed before the end of the file', `line ${quoteLine}`);
  if (state !== 'start' || field !== '' || fields.length > 0) finishRecord();
  return records;
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The most frequent candidate delimiter outside quotes on the first non-blank line; refused when none or a tie. */
export function detectCsvDelimiter(text: string, firstLine = 1): (typeof DELIMITERS)[number] {
  const lines = text.split(/\r\n|\r|\n/);
  const index = lines.findIndex((candidate) => candidate.trim() !== '');
  const sample = lines[index] ?? '';
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const char of sample) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked as [[string, number], [string, number]];
  const where = `line ${firstLine + Math.max(index, 0)}`;
  if (best[1] === 0) throw new BankFileError('no delimiter (, ; tab |) found on the header line; set one in the profile', where);
  if (best[1] === second[1]) {
    throw new BankFileError(`the delimiter is ambiguous (${JSON.stringify(best[0])} and ${JSON.stringify(second[0])} ${best[1]} times each); set one in the profile`, where);
  }
  return best[0] as (typeof DELIMITERS)[number];
}

/** A profile column found in the file: its position and how errors name it. */
interface Resolved {
  index: number;
  label: string;
}

/** A row read, before the statement-wide parts (ids, fallback references, balances) are known. */
interface Draft {
  record: CsvRecord;
  currency: string;
  amountMinor: number;
  bookingDate: string;
  valueDate: string;
  balance?: { minor: number; location: string } | undefined;
  reversal: boolean;
  bankReference?: string | undefined;
  endToEndId?: string | undefined;
  remittance: string;
  /** One per row of the transfer that names a document (columns.remittanceDocument). */
  remittanceDocuments: RemittanceDocument[];
  counterparty: { name?: string | undefined; account?: string | undefined };
  transactionCode?: string | undefined;
}

/**
 * Parses one CSV bank export with the account's profile into one statement. Throws {@link BankFileError} naming
 * the line (and column) for a bad file, and with location `CSV profile` for an invalid profile.
 *
 * - Statement id: `<account>:<earliest booking date>:<latest booking date>`; entries are `<statement id>:<n>` from 1,
 *   in file order (newest-first files stay newest-first).
 * - `bankReference`: the profile's column when it has one and the cell is not empty. Otherwise a key derived from
 *   the row: `<booking date>:<amountMinor>:<first 12 hex digits of SHA-256 of the row's fields>:<k>`, where `k`
 *   counts identical rows within the file (ING lists two identical €0.31 fees on one day; both are real). The same
 *   booked row gets the same key in every export that contains it, so dedupe across overlapping exports works; a
 *   bank that changes its export layout changes the keys, which is why a real reference column is preferred.
 * - Balances: with a running-balance column, opening = balance of the oldest row − its amount and closing = balance
 *   of the newest row, and `balanced` says whether the entries in between add up (an export cut in the middle of
 *   the history does not, and is reported as such). Without one the file says nothing about the account's balance:
 *   opening is 0 and closing the sum of the entries, so the statement is a list of movements and balances by
 *   construction; do not read `openingMinor` as the account balance then.
 * - `references`: the ISO 11649 creditor references (`RF…`, check digits verified) in the remittance text.
 * - `remittanceDocuments` (profile columns `remittanceDocument`, `remittanceAmount`, …): one document per row, as
 *   lockbox and payment-advice exports list a payment with several invoices, one line per invoice under it. The
 *   rows of one transfer follow each other and share its bank reference; the first is the transfer (its amount,
 *   dates, balance, status), the rows after it add their documents and may leave the transfer's cells empty or
 *   repeat them. A later row that gives another amount or booking date is refused: it would be a second transfer
 *   under the same reference, and guessing which would apply cash twice or not at all. Without a bank reference
 *   column every row is a transfer of its own, with at most one document.
 */
export function parseCsv(text: string, profileInput: CsvProfileInput): ParsedBankFile {
  const profile = readProfile(profileInput);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw new BankFileError('the file is empty');

  const start = offsetAfterLines(body, profile.skipLines);
  const rest = body.slice(start);
  const firstLine = profile.skipLines + 1;
  if (rest.trim() === '') {
    throw new BankFileError(`nothing after the ${profile.skipLines} lines the profile skips: no ${profile.header ? 'header row' : 'rows'}`, `line ${firstLine}`);
  }
  const delimiter = profile.delimiter === 'auto' ? detectCsvDelimiter(rest, firstLine) : profile.delimiter;
  const records = readCsvRecords(rest, delimiter, firstLine).filter((record) => record.fields.some((field) => field.trim() !== ''));

  const header = profile.header ? records.shift() : undefined;
  let rows = records;
  if (profile.startAfter !== undefined) {
    const marker = rows.findIndex((record) => record.fields[0]?.trim() === profile.startAfter);
    if (marker < 0) throw new BankFileError(`no row "${profile.startAfter}" to start after (the profile's startAfter)`);
    rows = rows.slice(marker + 1);
  }
  if (profile.stopAt !== undefined) {
    const marker = rows.findIndex((record) => record.fields[0]?.trim() === profile.stopAt);
    if (marker >= 0) rows = rows.slice(0, marker);
  }
  const reference = header ?? rows[0];
  if (!reference || rows.length === 0) {
    throw new BankFileError('the file has no transactions', header ? `line ${header.line}` : undefined);
  }

  // Every column the profile names must exist: a missing one means the bank changed its export, or the wrong profile.
  const width = reference.fields.length;
  const names = header?.fields.map((name) => name.trim());
  const resolved = new Map<CsvColumn, Resolved>();
  const resolve = (column: CsvColumn): Resolved => {
    const known = resolved.get(column);
    if (known) return known;
    let found: Resolved;
    if (typeof column === 'number') {
      if (column >= width) {
        throw new BankFileError(`the profile reads column ${column} (0-based), but the ${names ? 'header' : 'first row'} has ${width} columns`, `line ${reference.line}`);
      }
      const name = names?.[column];
      found = { index: column, label: name ? `column ${column} ("${name}")` : `column ${column}` };
    } else {
      const matches = (names ?? []).flatMap((name, index) => (name === column ? [index] : []));
      if (matches.length === 0) {
        throw new BankFileError(`missing column "${column}" (the header has ${(names ?? []).map((name) => JSON.stringify(name)).join(', ')})`, `line ${reference.line}`);
      }
      if (matches.length > 1) {
        throw new BankFileError(`column "${column}" appears ${matches.length} times in the header; name it by position (${matches.join(' or ')}) in the profile`, `line ${reference.line}`);
      }
      found = { index: matches[0] as number, label: `column "${column}"` };
    }
    resolved.set(column, found);
    return found;
  };
  const missing = [...new Set(profileColumns(profile).map(({ column }) => column))].filter(
    (column) => typeof column === 'string' && !(names ?? []).includes(column),
  );
  if (missing.length > 0) {
    throw new BankFileError(
      `missing column${missing.length === 1 ? '' : 's'} ${missing.map((name) => JSON.stringify(name)).join(', ')} (the header has ${(names ?? []).map((name) => JSON.stringify(name)).join(', ')})`,
      `line ${reference.line}`,
    );
  }
  for (const { column } of profileColumns(profile)) resolve(column);

  // Trailing empty header names (Lloyds ends its header with a comma) may be missing from the rows.
  const required = Math.max(1, ...reference.fields.map((field, index) => (field.trim() === '' ? 0 : index + 1)));
  const drafts: Draft[] = [];
  // The transfer the next row may add a remittance document to: rows of one transfer follow each other.
  let open: Draft | undefined;
  for (const record of rows) {
    const { fields } = record;
    if (fields.length < required || fields.slice(width).some((field) => field.trim() !== '')) {
      throw new BankFileError(`${fields.length} field${fields.length === 1 ? '' : 's'}, but the ${header ? 'header' : 'first row'} has ${width}`, `line ${record.line}`);
    }
    const cell = (column: CsvColumn) => {
      const { index, label } = resolve(column);
      return { value: (fields[index] ?? '').trim(), label, location: `line ${record.line}, ${label}` };
    };
    if (open && continuesTransfer(open, cell, profile)) {
      addDocumentRow(open, record, cell, profile);
      continue;
    }
    open = undefined;
    if (profile.status) {
      const { value } = cell(profile.status.column);
      if (!includesValue(profile.status.booked, value)) continue;
    }
    open = readRow(record, cell, profile);
    drafts.push(open);
  }
  if (drafts.length === 0) throw new BankFileError('the file has no booked transactions', header ? `line ${header.line}` : undefined);

  const first = drafts[0] as Draft;
  const currency = first.currency;
  for (const draft of drafts) {
    if (draft.currency !== currency) {
      throw new BankFileError(`${draft.currency}, but earlier rows are in ${currency}; a CSV statement holds one currency`, `line ${draft.record.line}`);
    }
  }

  const dates = drafts.map((draft) => draft.bookingDate).sort();
  const id = `${profile.account}:${dates[0]}:${dates.at(-1)}`;
  const fallbackCounts = new Map<string, number>();
  const entries: BankEntry[] = drafts.map((draft, index) => {
    let bankReference = draft.bankReference;
    if (!bankReference) {
      const digest = createHash('sha256').update(draft.record.fields.join('\u001f')).digest('hex').slice(0, 12);
      const key = `${draft.bookingDate}:${draft.amountMinor}:${digest}`;
      const count = (fallbackCounts.get(key) ?? 0) + 1;
      fallbackCounts.set(key, count);
      bankReference = `${key}:${count}`;
    }
    return {
      id: `${id}:${index + 1}`,
      account: profile.account,
      currency,
      amountMinor: draft.amountMinor,
      bookingDate: draft.bookingDate,
      valueDate: draft.valueDate,
      reversal: draft.reversal,
      bankReference,
      endToEndId: draft.endToEndId,
      references: findCreditorReferences(draft.remittance),
      remittance: draft.remittance,
      ...(draft.remittanceDocuments.length > 0 ? { remittanceDocuments: draft.remittanceDocuments } : {}),
      counterparty: draft.counterparty,
      transactionCode: draft.transactionCode,
    };
  });

  let openingMinor = 0;
  let closingMinor = entries.reduce((sum, entry) => sum + entry.amountMinor, 0);
  if (profile.columns.balance !== undefined) {
    const newestFirst = isNewestFirst(drafts, profile.order);
    const oldest = (newestFirst ? drafts.at(-1) : first) as Draft;
    const newest = (newestFirst ? first : drafts.at(-1)) as Draft;
    for (const [draft, which] of [
      [oldest, 'oldest'],
      [newest, 'newest'],
    ] as const) {
      if (!draft.balance) {
        throw new BankFileError(`no running balance on the ${which} row, which the opening or closing balance comes from`, `line ${draft.record.line}, ${resolve(profile.columns.balance).label}`);
      }
    }
    openingMinor = (oldest.balance?.minor ?? 0) - oldest.amountMinor;
    closingMinor = newest.balance?.minor ?? 0;
  }
  const statement = { id, account: profile.account, currency, openingMinor, closingMinor, entries };
  return { format: 'csv', statements: [{ ...statement, balanced: isBalanced(statement) } satisfies BankStatement] };
}

function readProfile(input: CsvProfileInput): CsvProfile {
  const parsed = CsvProfileSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'profile'}: ${issue.message}`);
  throw new BankFileError(`invalid: ${problems.join('; ')}`, 'CSV profile');
}

/** Offset of the character after the first `count` physical lines; refused when the file has fewer. */
function offsetAfterLines(text: string, count: number): number {
  if (count === 0) return 0;
  const breaks = /\r\n|\r|\n/g;
  for (let skipped = 0; skipped < count; skipped++) {
    if (!breaks.exec(text)) throw new BankFileError(`the profile skips ${count} lines, but the file has only ${skipped + 1}`);
  }
  return breaks.lastIndex;
}

type Cell = (column: CsvColumn) => { value: string; label: string; location: string };

function readRow(record: CsvRecord, cell: Cell, profile: CsvProfile): Draft {
  const { columns } = profile;
  const currency = readCurrency(cell, profile);
  const booking = cell(columns.bookingDate);
  const bookingDate = readCsvDate(booking.value, profile.dateFormat, booking.location);
  let valueDate = bookingDate;
  if (columns.valueDate !== undefined) {
    const value = cell(columns.valueDate);
    if (value.value !== '') valueDate = readCsvDate(value.value, profile.dateFormat, value.location);
  }
  const amountMinor = readAmount(cell, profile, currency, `line ${record.line}`);
  let balance: Draft['balance'];
  if (columns.balance !== undefined) {
    const value = cell(columns.balance);
    if (value.value !== '') balance = { minor: readNumber(value.value, profile, currency, value.location), location: value.location };
  }
  const optional = (column: CsvColumn | undefined) => (column === undefined ? undefined : cell(column).value || undefined);
  const directed = (column: CsvColumn | { moneyIn: CsvColumn; moneyOut: CsvColumn } | undefined) =>
    typeof column === 'object' ? optional(amountMinor >= 0 ? column.moneyIn : column.moneyOut) : optional(column);
  const document = readRemittanceDocument(cell, profile, currency, `line ${record.line}`);
  return {
    record,
    currency,
    amountMinor,
    bookingDate,
    valueDate,
    balance,
    reversal: profile.reversal ? includesValue(profile.reversal.values, cell(profile.reversal.column).value) : false,
    bankReference: optional(columns.bankReference),
    endToEndId: optional(columns.endToEndId),
    remittance: remittanceText(cell, profile),
    remittanceDocuments: document ? [document] : [],
    counterparty: { name: directed(columns.counterpartyName), account: directed(columns.counterpartyAccount) },
    transactionCode: optional(columns.transactionCode),
  };
}

function remittanceText(cell: Cell, profile: CsvProfile): string {
  const { remittance } = profile.columns;
  const columns = remittance === undefined ? [] : Array.isArray(remittance) ? remittance : [remittance];
  return columns
    .map((column) => cell(column).value)
    .filter((value) => value !== '')
    .join(' ');
}

/** A row continues the transfer before it when both name the same bank reference and the profile reads documents. */
function continuesTransfer(open: Draft, cell: Cell, profile: CsvProfile): boolean {
  const { remittanceDocument, bankReference } = profile.columns;
  if (remittanceDocument === undefined || bankReference === undefined || !open.bankReference) return false;
  return cell(bankReference).value === open.bankReference;
}

/**
 * A further document row of `open`'s transfer. Its amount and booking date cells may be empty or repeat the
 * transfer's; anything else is a second transfer under one reference, which is refused. Its remittance text, when
 * it has its own, is added to the transfer's.
 */
function addDocumentRow(open: Draft, record: CsvRecord, cell: Cell, profile: CsvProfile): void {
  const { amount, columns } = profile;
  const amountCells = 'column' in amount ? [cell(amount.column)] : [cell(amount.credit), cell(amount.debit)];
  if (amountCells.some(({ value }) => value !== '')) {
    const repeated = readAmount(cell, profile, open.currency, `line ${record.line}`);
    if (repeated !== open.amountMinor) {
      throw new BankFileError(
        `${minorToDecimalString(repeated, open.currency)}, but the first row of transfer ${open.bankReference} (line ${open.record.line}) has ${minorToDecimalString(open.amountMinor, open.currency)}: the rows of one transfer share its amount (leave it empty on the rows after the first)`,
        amountCells.find(({ value }) => value !== '')?.location,
      );
    }
  }
  const booking = cell(columns.bookingDate);
  if (booking.value !== '' && readCsvDate(booking.value, profile.dateFormat, booking.location) !== open.bookingDate) {
    throw new BankFileError(`booked ${booking.value}, but the first row of transfer ${open.bankReference} (line ${open.record.line}) on ${open.bookingDate}: the rows of one transfer share its dates`, booking.location);
  }
  const document = readRemittanceDocument(cell, profile, open.currency, `line ${record.line}`);
  if (document) open.remittanceDocuments.push(document);
  const text = remittanceText(cell, profile);
  if (text !== '' && !open.remittance.includes(text)) open.remittance = open.remittance ? `${open.remittance} ${text}` : text;
}

/**
 * The document a row names, with its amounts in the profile's number format: a negative amount paid is a credit
 * memo the payer deducts (see signed-remittance.ts). A row with remittance amounts or a deduction reason but no
 * document number is refused: we could not say what they belong to.
 */
function readRemittanceDocument(cell: Cell, profile: CsvProfile, currency: string, line: string): RemittanceDocument | undefined {
  const { columns } = profile;
  if (columns.remittanceDocument === undefined) return undefined;
  const numberCell = cell(columns.remittanceDocument);
  const amount = (column: CsvColumn | undefined) => {
    if (column === undefined) return { minor: undefined, label: '' };
    const { value, label, location } = cell(column);
    return { minor: value === '' ? undefined : readNumber(value, profile, currency, location), label };
  };
  const text = (column: CsvColumn | undefined) => (column === undefined ? '' : cell(column).value);
  const paid = amount(columns.remittanceAmount);
  const due = amount(columns.remittanceDueAmount);
  const discount = amount(columns.remittanceDiscount);
  const deduction = amount(columns.remittanceDeduction);
  const code = text(columns.remittanceDeductionCode);
  const reason = text(columns.remittanceDeductionReason);
  if (numberCell.value === '') {
    if ([paid, due, discount, deduction].some(({ minor }) => minor !== undefined) || code || reason) {
      throw new BankFileError('remittance amounts or a deduction reason without a document number', numberCell.location);
    }
    return undefined;
  }
  if (deduction.minor === undefined && (code || reason)) {
    throw new BankFileError(`a deduction reason (${[code, reason].filter(Boolean).join(', ')}) without a deduction amount`, deduction.label ? `${line}, ${deduction.label}` : line);
  }
  const document = signedDocument({ number: numberCell.value }, { paid, due, discount }, line);
  if (deduction.minor === undefined) return document;
  return { ...document, adjustments: [{ amountMinor: deduction.minor, ...(code ? { code } : {}), ...(reason ? { reason } : {}) }] };
}

function includesValue(values: readonly string[], value: string): boolean {
  const wanted = value.trim().toLowerCase();
  return values.some((candidate) => candidate.toLowerCase() === wanted);
}

function readCurrency(cell: Cell, profile: CsvProfile): string {
  if (profile.columns.currency !== undefined) {
    const { value, location } = cell(profile.columns.currency);
    if (value !== '') {
      const code = value.toUpperCase();
      if (!isCurrency(code)) throw new BankFileError(`"${value}" is not an ISO 4217 currency`, location);
      if (profile.currency !== undefined && code !== profile.currency) {
        throw new BankFileError(`${code}, but the profile's account is in ${profile.currency}`, location);
      }
      return code;
    }
    if (profile.currency === undefined) throw new BankFileError('no currency', location);
  }
  return profile.currency as string;
}

/** The signed amount of a row in minor units, + money in, after the indicator, split columns and `invertSign`. */
function readAmount(cell: Cell, profile: CsvProfile, currency: string, line: string): number {
  const { amount } = profile;
  let minor: number;
  if ('column' in amount) {
    const { value, location } = cell(amount.column);
    minor = readNumber(value, profile, currency, location);
    if (amount.indicator) {
      const mark = cell(amount.indicator.column);
      if (includesValue(amount.indicator.credit, mark.value)) minor = Math.abs(minor);
      else if (includesValue(amount.indicator.debit, mark.value)) minor = -Math.abs(minor);
      else {
        throw new BankFileError(
          `"${mark.value}" is neither a credit (${amount.indicator.credit.join(', ')}) nor a debit (${amount.indicator.debit.join(', ')})`,
          mark.location,
        );
      }
    }
  } else {
    const credit = cell(amount.credit);
    const debit = cell(amount.debit);
    const moneyIn = credit.value === '' ? undefined : Math.abs(readNumber(credit.value, profile, currency, credit.location));
    const moneyOut = debit.value === '' ? undefined : Math.abs(readNumber(debit.value, profile, currency, debit.location));
    if (moneyIn === undefined && moneyOut === undefined) {
      throw new BankFileError(`no amount: ${credit.label} and ${debit.label} are both empty`, line);
    }
    if (moneyIn && moneyOut) {
      throw new BankFileError(`both a credit ("${credit.value}" in ${credit.label}) and a debit ("${debit.value}" in ${debit.label})`, line);
    }
    minor = (moneyIn ?? 0) - (moneyOut ?? 0);
  }
  if (profile.invertSign) minor = -minor;
  return minor === 0 ? 0 : minor; // never -0
}

/**
 * A number as the profile writes it → signed minor units of `currency`, by string: optional currency sign, a
 * leading `+`/`-` (or `−`) or a trailing `-` (`12,50-`), digits grouped in threes by the thousands separator if any,
 * one decimal separator. More decimals than the currency has are refused, not rounded.
 */
function readNumber(raw: string, profile: CsvProfile, currency: string, location: string): number {
  const explain = `decimal separator "${profile.decimalSeparator}", ${profile.thousandsSeparator === undefined ? 'no thousands separator' : `thousands separator "${profile.thousandsSeparator}"`}`;
  let text = raw.replace(/\u2212/g, '-');
  if (profile.currencySymbol !== undefined) text = text.split(profile.currencySymbol).join('');
  text = text.trim();
  if (text === '') throw new BankFileError('no amount', location);
  let sign = '';
  if (/^[+-]/.test(text)) {
    sign = text[0] === '-' ? '-' : '';
    text = text.slice(1).trim();
  } else if (text.endsWith('-')) {
    sign = '-';
    text = text.slice(0, -1).trim();
  }
  const match = numberPattern(profile.decimalSeparator, profile.thousandsSeparator).exec(text);
  if (!match) throw new BankFileError(`"${raw}" is not an amount (${explain})`, location);
  const whole = (match[1] as string).replace(/\D/g, '');
  const fraction = match[2] ?? '';
  const digits = minorUnitDigits(currency);
  if (fraction.replace(/0+$/, '').length > digits) {
    throw new BankFileError(`"${raw}" has more decimals than ${currency} allows (${digits})`, location);
  }
  try {
    const minor = parseDecimalMinor(`${sign}${whole}${fraction ? `.${fraction}` : ''}`, currency);
    return minor === 0 ? 0 : minor;
  } catch {
    throw new BankFileError(`"${raw}" is out of range (at most ${MAX_AMOUNT_MINOR} minor units)`, location);
  }
}

const numberPatterns = new Map<string, RegExp>();

function numberPattern(decimal: '.' | ',', thousands: CsvProfile['thousandsSeparator']): RegExp {
  const key = `${decimal}${thousands ?? ''}`;
  let pattern = numberPatterns.get(key);
  if (!pattern) {
    const group = thousands === undefined ? undefined : thousands === ' ' ? '[ \\u00a0\\u202f]' : escapeRegExp(thousands);
    const whole = group === undefined ? '(\\d+)' : `(\\d{1,3}(?:${group}\\d{3})+|\\d+)`;
    pattern = new RegExp(`^${whole}(?:${escapeRegExp(decimal)}(\\d+))?$`);
    numberPatterns.set(key, pattern);
  }
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const datePatterns = new Map<CsvDateFormat, { pattern: RegExp; parts: string[] }>();

function datePattern(format: CsvDateFormat): { pattern: RegExp; parts: string[] } {
  let found = datePatterns.get(format);
  if (!found) {
    const compact = /^[YMD]+$/.test(format);
    const parts: string[] = [];
    let source = '^';
    for (const token of format.match(/YYYY|YY|MM|DD|./g) ?? []) {
      if (token === 'YYYY' || token === 'YY' || token === 'MM' || token === 'DD') {
        parts.push(token);
        source += token === 'YYYY' ? '(\\d{4})' : compact || token === 'YY' ? '(\\d{2})' : '(\\d{1,2})';
      } else {
        source += escapeRegExp(token);
      }
    }
    // A time of day after the date is accepted and ignored.
    source += '(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?: ?(?:Z|[+-]\\d{2}:?\\d{2}))?)?$';
    found = { pattern: new RegExp(source), parts };
    datePatterns.set(format, found);
  }
  return found;
}

/** A date in the profile's format → ISO `YYYY-MM-DD`; impossible dates (31 February) are refused. */
export function readCsvDate(raw: string, format: CsvDateFormat, location: string): string {
  const { pattern, parts } = datePattern(format);
  const match = pattern.exec(raw.trim());
  const bad = () => new BankFileError(`"${raw}" is not a date (${format})`, location);
  if (!match) throw bad();
  let year = 0;
  let month = 0;
  let day = 0;
  parts.forEach((part, index) => {
    const value = Number(match[index + 1]);
    if (part === 'YYYY') year = value;
    else if (part === 'YY') year = value < 70 ? 2000 + value : 1900 + value;
    else if (part === 'MM') month = value;
    else day = value;
  });
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate() || year < 1900) throw bad();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Whether the rows run newest first. `auto`: the first and last booking dates decide; when they are equal, the
 * running balance does (each balance is the previous one plus the row's amount, read downwards or upwards).
 */
function isNewestFirst(drafts: Draft[], order: CsvProfile['order']): boolean {
  if (order !== 'auto') return order === 'newest-first';
  const first = drafts[0]?.bookingDate ?? '';
  const last = drafts.at(-1)?.bookingDate ?? '';
  if (first !== last) return last < first;
  const chains = (sequence: Draft[]) =>
    sequence.every((draft, index) => {
      const previous = sequence[index - 1];
      return index === 0 || !draft.balance || !previous?.balance || previous.balance.minor + draft.amountMinor === draft.balance.minor;
    });
  return !chains(drafts) && chains([...drafts].reverse());
}
