/**
 * BAI2 (BTRS) cash management balance report parser → the normalized {@link BankStatement} (DESIGN §4).
 *
 * One statement per `03` account record, id `<group>:<account>` where `<group>` is the group's originator
 * identification and as-of date (`CITIGB00/2015-07-15:77777777`); a repeat in the same file gets `#2`, `#3`.
 *
 * - Opening balance is summary type code 010 (opening ledger), closing is 015 (closing ledger). When either is
 *   missing the statement carries 0 for it and `balanced: false`: nothing can be proven, so nothing is claimed.
 * - `16` detail type codes 100–399 are credits (money in), 400–699 debits (money out); any other code (loan detail
 *   700–799, non-monetary 890, bank-custom 900–999) has no direction we could trust and makes the file an error.
 * - Amounts have no decimal point; the implied decimals are the currency's ISO 4217 minor unit digits, so the
 *   number written *is* the amount in minor units (USD `1500000` = 15 000.00, JPY `1500` = 1 500).
 * - Currency: the `03` currency, else the `02` group currency, else USD (the BAI2 default).
 * - Records end with `/`; several may be packed on one line (split before `/NN,` with NN a record code) and a line
 *   that does not start with a record code continues the one before (physical wrapping). `88` continues the
 *   previous record: further fields, or more text of a `16`. Text continued from a line of exactly 80 characters is
 *   joined without a space (fixed-length wrapping cut it mid-word), otherwise with one space.
 * - Trailer record, account and group counts (`49`, `98`, `99`) are checked when given; control totals are read but
 *   not reconciled (they may be blank).
 * - Remittance advice a bank passes on in a `16`'s text (ACH CCD+/CTX addenda, lockbox: X12 `RMR`/`ADX` segments)
 *   becomes `remittanceDocuments`, read from the text pieces as the bank cut them (x12-remittance.ts).
 */
import { BankFileError, isBalanced, type BankEntry, type BankStatement, type ParsedBankFile } from '#domain/bank-statement';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';
import { joinX12Pieces, readX12Remittance } from './x12-remittance.ts';

interface PhysicalRecord {
  /** Content without the record code and its comma, and without the closing `/`. */
  content: string;
  line: number;
  /** Length of the physical line the content ended on, to tell fixed-width wrapping from a deliberate break. */
  lastLineLength: number;
}

interface LogicalRecord {
  code: string;
  line: number;
  /** The record itself followed by its `88` continuations. */
  parts: PhysicalRecord[];
}

interface FundsAvailability {
  type: string;
  valueDate?: string | undefined;
}

const RECORD_CODES = new Set(['01', '02', '03', '16', '49', '88', '98', '99']);
const RECORD_START = /^(\d{2}),/;
/** The usual BAI2 physical record length: a text line exactly this long was cut by the bank, not ended. */
const FIXED_RECORD_LENGTH = 80;

/** Parses one BAI2 file. Throws {@link BankFileError} with a `line N` location. */
export function parseBai2(text: string): ParsedBankFile {
  const records = logicalRecords(physicalRecords(text));
  if (records.length === 0) throw new BankFileError('no BAI2 records found');
  const first = records[0] as LogicalRecord;
  if (first.code !== '01') throw new BankFileError(`file starts with record ${first.code}, not the 01 file header`, `line ${first.line}`);

  const statements: BankStatement[] = [];
  const seen = new Map<string, number>();
  let group: { key: string; asOfDate: string; currency: string } | undefined;
  let account: { id: string; account: string; currency: string; opening?: number; closing?: number; entries: BankEntry[]; line: number } | undefined;
  let ended = false;
  // Physical records (88 continuations included) since each header, and accounts and groups, for the trailers' counts.
  const counted = { file: first.parts.length, group: 0, account: 0, accounts: 0, groups: 0 };
  // Some banks count text lines instead (a long 88 text wrapped over several lines): either count is accepted.
  const startLine = { file: first.line, group: first.line, account: first.line };

  for (const record of records.slice(1)) {
    const location = `line ${record.line}`;
    if (ended) throw new BankFileError(`record ${record.code} after the 99 file trailer`, location);
    counted.file += record.parts.length;
    counted.group += record.parts.length;
    counted.account += record.parts.length;
    if (record.code === '02') [counted.group, startLine.group] = [record.parts.length, record.line];
    if (record.code === '03') [counted.account, startLine.account] = [record.parts.length, record.line];
    const linesSince = (start: number) => record.line - start + 1;
    switch (record.code) {
      case '01':
        throw new BankFileError('a second 01 file header', location);
      case '02': {
        if (group) throw new BankFileError('02 group header before the previous group\'s 98 trailer', location);
        const fields = joinFields(record);
        const originator = (fields[1] ?? '').trim();
        const asOfDate = yymmdd(fields[3] ?? '', location);
        const currency = (fields[5] ?? '').trim();
        group = { key: `${originator}/${asOfDate}`, asOfDate, currency };
        break;
      }
      case '03': {
        if (!group) throw new BankFileError('03 account record outside a group', location);
        if (account) throw new BankFileError('03 account record before the previous account\'s 49 trailer', location);
        const head = splitFields(record.parts[0]?.content ?? '');
        const number = (head[0] ?? '').trim();
        if (!number) throw new BankFileError('03 account record without an account number', location);
        const currency = (head[1] ?? '').trim() || group.currency || 'USD';
        if (!isCurrency(currency)) throw new BankFileError(`unknown currency ${currency}`, location);
        const summaries = readSummaries(record, location);
        const base = `${group.key}:${number}`;
        const count = (seen.get(base) ?? 0) + 1;
        seen.set(base, count);
        account = {
          id: count === 1 ? base : `${base}#${count}`,
          account: number,
          currency,
          opening: summaries.get('010'),
          closing: summaries.get('015'),
          entries: [],
          line: record.line,
        };
        break;
      }
      case '16': {
        if (!account || !group) throw new BankFileError('16 transaction detail outside an account', location);
        account.entries.push(readDetail(record, { id: `${account.id}:${account.entries.length + 1}`, account: account.account, currency: account.currency, asOfDate: group.asOfDate }));
        break;
      }
      case '49': {
        if (!account) throw new BankFileError('49 account trailer without an 03 account record', location);
        checkTrailer(record, location, [{ index: 1, what: 'records in the account', actual: counted.account, lines: linesSince(startLine.account) }]);
        counted.accounts += 1;
        const { opening, closing, entries, id, currency } = account;
        const both = opening !== undefined && closing !== undefined;
        const statement = { id, account: account.account, currency, openingMinor: opening ?? 0, closingMinor: closing ?? 0, entries };
        statements.push({ ...statement, balanced: both && isBalanced(statement) });
        account = undefined;
        break;
      }
      case '98':
        if (!group) throw new BankFileError('98 group trailer without an 02 group header', location);
        if (account) throw new BankFileError(`98 group trailer while account ${account.account} has no 49 trailer`, location);
        checkTrailer(record, location, [
          { index: 1, what: 'accounts in the group', actual: counted.accounts },
          { index: 2, what: 'records in the group', actual: counted.group, lines: linesSince(startLine.group) },
        ]);
        counted.accounts = 0;
        counted.groups += 1;
        group = undefined;
        break;
      case '99':
        if (group) throw new BankFileError('99 file trailer while a group has no 98 trailer', location);
        checkTrailer(record, location, [
          { index: 1, what: 'groups in the file', actual: counted.groups },
          { index: 2, what: 'records in the file', actual: counted.file, lines: linesSince(startLine.file) },
        ]);
        ended = true;
        break;
      default:
        throw new BankFileError(`unknown record code ${record.code}`, location);
    }
  }
  if (!ended) throw new BankFileError('file has no 99 file trailer (truncated?)');
  return { format: 'bai2', statements };
}

/** Physical records: lines split where records are packed, wrapped lines joined back, the closing `/` removed. */
function physicalRecords(text: string): { code: string; record: PhysicalRecord }[] {
  const out: { code: string; record: PhysicalRecord }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (line === '') return;
    const pieces = line.split(/\/\s*(?=(?:01|02|03|16|49|88|98|99),)/);
    pieces.forEach((piece, pieceIndex) => {
      const match = RECORD_START.exec(piece);
      const previous = out.at(-1);
      if (!match) {
        if (!previous || pieceIndex > 0) throw new BankFileError(`"${piece.slice(0, 20)}" is not a BAI2 record`, `line ${index + 1}`);
        // A line cut at a fixed physical length: the record goes on here.
        previous.record.content = `${previous.record.content}${stripSlash(piece)}`;
        previous.record.lastLineLength = line.length;
        return;
      }
      const code = match[1] as string;
      if (!RECORD_CODES.has(code)) throw new BankFileError(`unknown record code ${code}`, `line ${index + 1}`);
      out.push({ code, record: { content: stripSlash(piece.slice(3)), line: index + 1, lastLineLength: line.length } });
    });
  });
  return out;
}

function stripSlash(content: string): string {
  return content.replace(/\/\s*$/, '');
}

function logicalRecords(physical: { code: string; record: PhysicalRecord }[]): LogicalRecord[] {
  const out: LogicalRecord[] = [];
  for (const { code, record } of physical) {
    if (code === '88') {
      const previous = out.at(-1);
      if (!previous) throw new BankFileError('88 continuation with no record to continue', `line ${record.line}`);
      previous.parts.push(record);
    } else {
      out.push({ code, line: record.line, parts: [record] });
    }
  }
  return out;
}

function splitFields(content: string): string[] {
  return content === '' ? [] : content.split(',');
}

/** A record's fields with its continuations appended field by field. */
function joinFields(record: LogicalRecord): string[] {
  return record.parts.flatMap((part) => splitFields(part.content));
}

/** How many fields a funds type brings after itself, given the fields that follow it. */
function fundsExtraCount(type: string, following: string[], location: string): number | undefined {
  switch (type) {
    case '':
    case '0':
    case '1':
    case '2':
    case 'Z':
      return 0;
    case 'V':
      return 2; // value date, value time
    case 'S':
      return 3; // immediate, one-day, two-or-more-day amounts
    case 'D': {
      if (following.length === 0) return undefined;
      const count = following[0]?.trim() ?? '';
      if (!/^\d+$/.test(count)) throw new BankFileError(`funds type D with "${count}" distributions`, location);
      return 1 + 2 * Number(count); // number of distributions, then (days, amount) pairs
    }
    default:
      throw new BankFileError(`unknown funds type "${type}"`, location);
  }
}

/** `03` summary groups (type code, amount, item count, funds type + its fields), across `88` continuations. */
function readSummaries(record: LogicalRecord, location: string): Map<string, number> {
  const summaries = new Map<string, number>();
  let pending: string[] = [];
  record.parts.forEach((part, partIndex) => {
    const fields = splitFields(part.content);
    pending.push(...(partIndex === 0 ? fields.slice(2) : fields));
    for (;;) {
      if (pending.length < 4) break;
      const extra = fundsExtraCount((pending[3] ?? '').trim(), pending.slice(4), location);
      if (extra === undefined || pending.length < 4 + extra) break;
      const [typeCode = '', amount = ''] = pending.map((field) => field.trim());
      if (typeCode !== '') {
        if (!/^\d{3}$/.test(typeCode)) throw new BankFileError(`"${typeCode}" is not a summary type code`, location);
        if (amount !== '') summaries.set(typeCode, signedAmount(amount, location));
      }
      pending = pending.slice(4 + extra);
    }
    // Banks end records with ",/" as often as "/": left-over empty fields are not a group.
    if (pending.every((field) => field.trim() === '')) pending = [];
  });
  if (pending.length > 0) throw new BankFileError(`incomplete summary group "${pending.join(',')}"`, location);
  return summaries;
}

function signedAmount(text: string, location: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new BankFileError(`"${text}" is not a BAI2 amount`, location);
  const minor = Number(text.replace(/^[+-]/, ''));
  if (!Number.isSafeInteger(minor) || minor > MAX_AMOUNT_MINOR) throw new BankFileError(`"${text}" is out of range`, location);
  return text.startsWith('-') ? -minor : minor;
}

/** `16`: type code, amount, funds type (+ its fields), bank reference, customer reference, text to end of record. */
function readDetail(record: LogicalRecord, context: { id: string; account: string; currency: string; asOfDate: string }): BankEntry {
  const location = `line ${record.line}`;
  const [firstPart, ...continuations] = record.parts as [PhysicalRecord, ...PhysicalRecord[]];
  const fields = splitFields(firstPart.content);
  let fixed = fixedDetailFields(fields, location);
  let text: string | undefined = fixed !== undefined && fields.length > fixed ? fields.slice(fixed).join(',') : undefined;
  // The text as each physical record carried it, for remittance segments that a bank cut anywhere (see x12-remittance.ts).
  const pieces: string[] = text === undefined ? [] : [text];
  let previousLength = firstPart.lastLineLength;
  for (const part of continuations) {
    if (text !== undefined) {
      text += previousLength === FIXED_RECORD_LENGTH ? part.content : ` ${part.content}`;
      pieces.push(part.content);
    } else if (fixed !== undefined && fields.length === fixed) {
      text = part.content; // the record stopped right before its text: the 88 is the text
      pieces.push(text);
    } else {
      fields.push(...splitFields(part.content));
      fixed = fixedDetailFields(fields, location);
      if (fixed !== undefined && fields.length > fixed) {
        text = fields.splice(fixed).join(',');
        pieces.push(text);
      }
    }
    previousLength = part.lastLineLength;
  }
  if (fixed === undefined || fields.length < fixed) throw new BankFileError('16 transaction detail is missing fields', location);

  const typeCode = (fields[0] ?? '').trim();
  if (!/^\d{3}$/.test(typeCode)) throw new BankFileError(`"${typeCode}" is not a detail type code`, location);
  const code = Number(typeCode);
  let sign: 1 | -1;
  if (code >= 100 && code <= 399) sign = 1;
  else if (code >= 400 && code <= 699) sign = -1;
  else throw new BankFileError(`detail type code ${typeCode} is neither a credit (100–399) nor a debit (400–699)`, location);

  const amountText = (fields[1] ?? '').trim();
  if (!/^\d+$/.test(amountText)) throw new BankFileError(`"${amountText}" is not a detail amount`, location);
  const magnitude = signedAmount(amountText, location);
  const funds = readFunds(fields, location);
  const bankReference = (fields[fixed - 2] ?? '').trim();
  const customerReference = (fields[fixed - 1] ?? '').trim();
  const remittanceDocuments = readX12Remittance(joinX12Pieces(pieces), context.currency, location);

  return {
    id: context.id,
    account: context.account,
    currency: context.currency,
    amountMinor: sign * magnitude,
    bookingDate: context.asOfDate,
    valueDate: funds.valueDate ?? context.asOfDate,
    reversal: false,
    bankReference,
    references: customerReference ? [customerReference] : [],
    remittance: (text ?? '').trim(),
    ...(remittanceDocuments.length > 0 ? { remittanceDocuments } : {}),
    counterparty: {},
    transactionCode: typeCode,
  };
}

/** Number of fields before the text of a `16` (3 + funds fields + 2 references); undefined while unknown. */
function fixedDetailFields(fields: string[], location: string): number | undefined {
  if (fields.length < 3) return undefined;
  const extra = fundsExtraCount((fields[2] ?? '').trim(), fields.slice(3), location);
  return extra === undefined ? undefined : 3 + extra + 2;
}

function readFunds(fields: string[], location: string): FundsAvailability {
  const type = (fields[2] ?? '').trim();
  if (type === 'V') {
    const date = (fields[3] ?? '').trim();
    return { type, valueDate: date ? yymmdd(date, location) : undefined };
  }
  if (type === 'S') {
    for (const amount of fields.slice(3, 6)) if (amount.trim()) signedAmount(amount.trim(), location);
  }
  if (type === 'D') {
    const count = Number((fields[3] ?? '').trim());
    for (let i = 0; i < count; i += 1) {
      const days = (fields[4 + 2 * i] ?? '').trim();
      if (!/^\d+$/.test(days)) throw new BankFileError(`funds distribution "${days}" is not a number of days`, location);
      signedAmount((fields[5 + 2 * i] ?? '').trim(), location);
    }
  }
  return { type };
}

/**
 * Trailer control totals may be blank; when given they must be (signed) digits. They can exceed any one amount.
 * The trailer's counts (accounts, groups, records — 88 continuations are records), when given, must match what the
 * file holds: a wrong count means records were lost or added on the way.
 */
function checkTrailer(record: LogicalRecord, location: string, counts: readonly { index: number; what: string; actual: number; lines?: number }[]): void {
  const fields = joinFields(record).map((field) => field.trim());
  const [total = ''] = fields;
  if (total !== '' && !/^[+-]?\d+$/.test(total)) throw new BankFileError(`"${total}" is not a control total`, location);
  for (const { index, what, actual, lines } of counts) {
    const given = fields[index] ?? '';
    if (given === '') continue;
    if (!/^\d+$/.test(given)) throw new BankFileError(`"${given}" is not a count of ${what}`, location);
    if (Number(given) !== actual && Number(given) !== lines) throw new BankFileError(`${record.code} trailer says ${Number(given)} ${what}, the file has ${actual}`, location);
  }
}

/** YYMMDD → ISO date; years 00–69 are 20xx, 70–99 19xx. */
function yymmdd(text: string, location: string): string {
  const value = text.trim();
  if (!/^\d{6}$/.test(value)) throw new BankFileError(`"${value}" is not a YYMMDD date`, location);
  const yy = Number(value.slice(0, 2));
  const year = yy < 70 ? 2000 + yy : 1900 + yy;
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw new BankFileError(`"${value}" is not a date`, location);
  return `${year}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
}
