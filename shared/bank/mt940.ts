/**
 * SWIFT MT940 customer statement parser → the normalized {@link BankStatement} (DESIGN §4).
 *
 * Accepts the shapes banks actually send: bare field text (`:20:` … `:62F:`), messages wrapped in SWIFT blocks
 * (`{1:…}{2:…}{3:…}{4:` … `-}{5:…}`), ABN AMRO style `ABNANL2A/940/ABNANL2A` headers, `-` statement terminators
 * or none, CRLF or LF. Each `:20:` starts a statement; intermediate `:60M:`/`:62M:` pages are statements of their own.
 *
 * Amounts are converted as strings (`1234,56` → `1234.56` → minor units through {@link parseDecimalMinor}); no
 * floating point anywhere.
 *
 * Signs of `:61:` debit/credit marks: `C` money in, `D` money out, `RC` (reversal of credit) money out, `RD`
 * (reversal of debit) money in. Balances (`:60:`/`:62:`) are `C` positive, `D` negative.
 */
import { BankFileError, isBalanced, type BankEntry, type BankStatement, type ParsedBankFile, type RemittanceDocument } from '#domain/bank-statement';
import { isCurrency, parseDecimalMinor } from '#domain/money';

interface Field {
  tag: string;
  lines: string[];
  line: number;
}

interface Balance {
  minor: number;
  currency: string;
  date: string;
}

/** What the `:86:` text says once its structure (German `?NN` or `/KEY/value`) is read. */
export interface Mt940Details {
  format: 'german' | 'keyed' | 'free';
  /** German: the three-digit business transaction code (GVC) before the first `?`. */
  gvc?: string | undefined;
  /** German `?00`. */
  bookingText?: string | undefined;
  /** German `?20`–`?29` and `?60`–`?63` joined; keyed `/REMI/` (USTD prefix removed). */
  remittanceLines?: string | undefined;
  endToEndId?: string | undefined;
  references: string[];
  counterpartyName?: string | undefined;
  counterpartyAccount?: string | undefined;
  /** German `?30`: the counterparty's bank code or BIC. */
  counterpartyBank?: string | undefined;
  /** German `?34` on a return (GVC 109, 159) or keyed `/RTRN/`. */
  returnReason?: string | undefined;
  /** Keyed `/REMI/STRD/CUR/<reference>`: the payer's structured reference (Dutch betalingskenmerk), a camt `CdtrRefInf/Ref`. */
  structuredReference?: string | undefined;
  /** Every subfield as found, by `?NN` code or `/KEY/`. */
  subfields: Record<string, string>;
}

const TAG_LINE = /^:(\d{2}[A-Z]?):(.*)$/;

/**
 * The tags of MT940 (and MT942/MT950) field text. A line that looks like another tag is continuation text: German
 * banks wrap `:86:` anywhere, and a time of day such as `T00:58:23` can start the next line as `:58:23:09`.
 */
const KNOWN_TAGS = new Set(['20', '21', '25', '25P', '28', '28C', '34F', '13', '13D', '60F', '60M', '60', '61', '62F', '62M', '62', '64', '65', '86', '90C', '90D']);

/**
 * Parses one MT940 file (one or more statements). Throws {@link BankFileError} with a `line N` location.
 *
 * Statement id: `<:25: account>:<:28C: number>:<opening balance date>` (`517852257:19321/1:2011-05-22`), with `#2`,
 * `#3` on a repeat within the file; entries are `<statement id>:<n>` from 1. `remittance` is the raw `:86:` text
 * (lines joined with `\n`); its structure goes to `endToEndId`, `counterparty`, `references` and `returnReason`,
 * and the documents it names to `remittanceDocuments` ({@link mt940RemittanceDocuments}).
 */
export function parseMt940(text: string): ParsedBankFile {
  const fields = readFields(stripSwiftBlocks(text));
  const groups: Field[][] = [];
  let current: Field[] | undefined;
  for (const field of fields) {
    if (field.tag === '20') {
      current = [field];
      groups.push(current);
    } else if (!current) {
      throw new BankFileError(`field :${field.tag}: before the first :20:`, `line ${field.line}`);
    } else {
      current.push(field);
    }
  }
  if (groups.length === 0) throw new BankFileError('no MT940 statement (:20:) found');

  const seen = new Map<string, number>();
  const statements = groups.map((group) => {
    const statement = parseStatement(group);
    const count = (seen.get(statement.id) ?? 0) + 1;
    seen.set(statement.id, count);
    return count === 1 ? statement : renumber(statement, `${statement.id}#${count}`);
  });
  return { format: 'mt940', statements };
}

function renumber(statement: BankStatement, id: string): BankStatement {
  return { ...statement, id, entries: statement.entries.map((entry, index) => ({ ...entry, id: `${id}:${index + 1}` })) };
}

/** Removes SWIFT FIN block wrappers and transmission control characters, leaving the block 4 text. */
function stripSwiftBlocks(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      // SOH/ETX and other control characters some transmissions add; tabs and line breaks stay.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/\{[1235]:(?:[^{}]|\{[^{}]*\})*\}/g, '')
      .replace(/\{4:/g, '\n')
      .replace(/(^|\r?\n)-\}/g, '$1-\n')
      .replace(/-\}/g, '\n-\n')
  );
}

/** Splits the text into tagged fields, keeping continuation lines and the line number each field starts on. */
function readFields(text: string): Field[] {
  const fields: Field[] = [];
  let current: Field | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    const match = TAG_LINE.exec(line);
    if (match && (KNOWN_TAGS.has(match[1] ?? '') || !current)) {
      current = { tag: match[1] ?? '', lines: [match[2] ?? ''], line: index + 1 };
      fields.push(current);
      return;
    }
    if (line.trim() === '-') {
      current = undefined; // end of statement: what follows until the next tag is envelope (ABN AMRO headers)
      return;
    }
    if (line.trim() === '') return;
    if (current) current.lines.push(line);
  });
  return fields;
}

function parseStatement(fields: Field[]): BankStatement {
  const head = fields[0] as Field;
  const where = (field: Field) => `line ${field.line}`;
  let account: string | undefined;
  let number = '';
  let opening: Balance | undefined;
  let closing: Balance | undefined;
  const lines: { field: Field; details?: Field }[] = [];

  for (const field of fields.slice(1)) {
    const value = (field.lines[0] ?? '').trim();
    switch (field.tag) {
      case '25':
        account = value;
        break;
      case '28':
      case '28C':
        number = value;
        break;
      case '60F':
      case '60M':
      case '60':
        opening = parseBalance(value, where(field));
        break;
      case '62F':
      case '62M':
      case '62':
        closing = parseBalance(value, where(field));
        break;
      case '61':
        lines.push({ field });
        break;
      case '86': {
        const last = lines.at(-1);
        // A :86: right after a :61: describes it; one elsewhere (after :62F:) is information for the account owner.
        if (last && !last.details && fields[fields.indexOf(field) - 1] === last.field) last.details = field;
        break;
      }
      default:
        break; // :21:, :13D:, :64:, :65:, :34F:, :90C:/:90D:, NS: not needed for a statement
    }
  }
  if (!account) throw new BankFileError('statement has no :25: account', where(head));
  if (!opening) throw new BankFileError('statement has no :60F:/:60M: opening balance', where(head));
  if (!closing) throw new BankFileError('statement has no :62F:/:62M: closing balance', where(head));
  if (closing.currency !== opening.currency) {
    throw new BankFileError(`closing balance in ${closing.currency}, opening in ${opening.currency}`, where(head));
  }
  const currency = opening.currency;
  const id = `${account}:${number || '0'}:${opening.date}`;
  const entries = lines.map(({ field, details }, index) => parseEntry(field, details, { id: `${id}:${index + 1}`, account, currency }));
  const statement = { id, account, currency, openingMinor: opening.minor, closingMinor: closing.minor, entries };
  return { ...statement, balanced: isBalanced(statement) };
}

const BALANCE = /^([CD])(\d{6})([A-Z]{3})(\d[\d,]*)$/;

function parseBalance(value: string, location: string): Balance {
  const match = BALANCE.exec(value.replace(/\s+/g, ''));
  if (!match) throw new BankFileError(`"${value}" is not a balance (C/D, YYMMDD, currency, amount)`, location);
  const [, mark, date, currency, amount] = match as unknown as [string, string, string, string, string];
  const minor = toMinor(amount, currency, location);
  return { minor: mark === 'D' ? -minor : minor, currency, date: yymmdd(date, location) };
}

/** `1234,56` → minor units of `currency`, by string; exactly one decimal comma as SWIFT writes them. */
function toMinor(amount: string, currency: string, location: string): number {
  if (!/^\d+,\d*$/.test(amount)) throw new BankFileError(`"${amount}" is not an MT940 amount (digits with one decimal comma)`, location);
  if (!isCurrency(currency)) throw new BankFileError(`unknown currency ${currency}`, location);
  try {
    return parseDecimalMinor(amount.replace(',', '.'), currency);
  } catch (error) {
    throw new BankFileError((error as Error).message, location);
  }
}

/** YYMMDD → ISO. Years 00–69 are 20xx, 70–99 19xx. */
function yymmdd(text: string, location: string): string {
  const yy = Number(text.slice(0, 2));
  return isoDate(yy < 70 ? 2000 + yy : 1900 + yy, Number(text.slice(2, 4)), Number(text.slice(4, 6)), location);
}

/**
 * German banks date some interest entries the 30th of February (a banking-month convention); such a day past the
 * month's end is moved to the month's last day rather than refusing the file. Months outside 1–12 and days outside
 * 1–31 are refused.
 */
function isoDate(year: number, month: number, day: number, location: string): string {
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    throw new BankFileError(`${year}-${month}-${day} is not a date`, location);
  }
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const clamped = Math.min(day, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}

/** Entry date MMDD in the value date's year, moved a year back or forth when the two straddle a year end. */
function entryDate(valueIso: string, mmdd: string, location: string): string {
  const year = Number(valueIso.slice(0, 4));
  const valueMonth = Number(valueIso.slice(5, 7));
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2, 4));
  let entryYear = year;
  if (month - valueMonth > 6) entryYear = year - 1; // value 2011-01-02, booked 1231 → 2010-12-31
  else if (valueMonth - month > 6) entryYear = year + 1; // value 2010-12-31, booked 0102 → 2011-01-02
  return isoDate(entryYear, month, day, location);
}

/**
 * A marker German and Dutch banks put before the customer reference (`KREF+RE-2026/0001`, Rabobank `EREF`); the
 * reference is what follows it. `NONREF`, or a marker alone (`KREF+`), means there is none.
 */
const REFERENCE_MARKER = /^(?:EREF|KREF|MREF|MARF|PREF)(?:\+|$)/i;

function customerReferenceOf(text: string): string | undefined {
  const reference = text.replace(REFERENCE_MARKER, '').trim();
  return reference === '' || reference.toUpperCase() === 'NONREF' ? undefined : reference;
}

/**
 * `:61:` as SWIFT defines it: value date (YYMMDD), [entry date (MMDD)], debit/credit mark (C, D, RC, RD), [funds
 * code: the third letter of the currency code], amount (digits, one decimal comma), transaction type (N, F or S and
 * three characters: NTRF, NMSC, FCHG, S103), customer reference (16x, up to `//`; German banks write `KREF+…` with
 * `+` and `/` inside), [`//` bank reference (16x)]; an optional second line holds supplementary details (34x).
 */
const STATEMENT_LINE = /^(\d{6})(\d{4}| {4})?(RC|RD|C|D)([A-Z])?(\d+,\d*)([NFS][A-Z0-9]{3}|[NFS][A-Z0-9]{2} )(.*)$/;

function parseEntry(field: Field, details: Field | undefined, context: { id: string; account: string; currency: string }): BankEntry {
  const location = `line ${field.line}`;
  const first = field.lines[0] ?? '';
  const match = STATEMENT_LINE.exec(first.trimStart());
  if (!match) throw new BankFileError(`":61:${first}" is not a statement line`, location);
  const [, valueText, entryText, mark, , amountText, type, rest] = match as unknown as [string, string, string | undefined, string, string | undefined, string, string, string];
  const valueDate = yymmdd(valueText, location);
  const bookingDate = entryText && entryText.trim() ? entryDate(valueDate, entryText, location) : valueDate;
  const magnitude = toMinor(amountText, context.currency, location);
  const moneyIn = mark === 'C' || mark === 'RD';
  const separator = rest.indexOf('//');
  const customerReference = (separator >= 0 ? rest.slice(0, separator) : rest).trim();
  const bankReference = separator >= 0 ? rest.slice(separator + 2).trim() : '';
  const supplementary = field.lines.slice(1).join('').trim();

  const raw = details ? details.lines.join('\n') : '';
  const parsed = parseMt940Details(raw);
  const references = [...parsed.references];
  const ownReference = customerReferenceOf(customerReference);
  if (ownReference && !references.includes(ownReference)) references.unshift(ownReference);
  const ibanLike = /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(supplementary) ? supplementary : undefined;
  const remittanceDocuments = details ? mt940RemittanceDocuments(parsed, raw, context.currency, `line ${details.line}`) : [];

  return {
    id: context.id,
    account: context.account,
    currency: context.currency,
    amountMinor: moneyIn ? magnitude : -magnitude,
    bookingDate,
    valueDate,
    reversal: mark === 'RC' || mark === 'RD',
    bankReference,
    endToEndId: parsed.endToEndId,
    references,
    remittance: raw,
    ...(remittanceDocuments.length > 0 ? { remittanceDocuments } : {}),
    counterparty: { name: parsed.counterpartyName, account: parsed.counterpartyAccount ?? ibanLike },
    transactionCode: type.trim(),
    returnReason: parsed.returnReason,
  };
}

/** SEPA keywords German banks put in the `?20`–`?29` lines (and `MTLG:`, a bank message, which ends the one before). */
const SEPA_KEYWORDS = /(EREF|KREF|MREF|CRED|DEBT|COAM|OAMT|SVWZ|ABWA|ABWE|IBAN|BIC)\+|(MTLG):/g;

/** German business transaction codes (GVC) of returns, where `?34` carries the return reason key. */
const RETURN_GVCS = new Set(['109', '159']);

/** `/KEY/` names of the Dutch (ING, Rabobank, ABN AMRO SEPA) structured `:86:`. */
const KEYED = new Set([
  'EREF', 'MARF', 'CSID', 'CNTP', 'REMI', 'PURP', 'ULTC', 'ULTD', 'ULTB', 'RTRN', 'PREF', 'IREF', 'TRCD', 'BENM', 'ORDP',
  'NAME', 'ADDR', 'IBAN', 'BIC', 'ISDT', 'ID', 'CDTRREF', 'CDTRREFTP', 'CD', 'ISSR', 'EXCH', 'OCMT', 'CHGS', 'BUSP',
  'SVCL', 'TRTP', 'ACCW', 'FX', 'CREF', 'USTD', 'STRD',
]);

/** Reads the structure of one `:86:` text (lines as in the file, `\n` between them). */
export function parseMt940Details(raw: string): Mt940Details {
  const flat = raw.replace(/\r?\n/g, '');
  if (/^\d{3}\?\d{2}/.test(flat) || /^\?\d{2}/.test(flat)) return parseGerman(flat);
  const keyed = /^\/([A-Z]+)\//.exec(flat);
  if (keyed && KEYED.has(keyed[1] ?? '')) return parseKeyed(flat);
  return { format: 'free', references: [], subfields: {} };
}

function parseGerman(flat: string): Mt940Details {
  const first = flat.indexOf('?');
  const gvc = first > 0 ? flat.slice(0, first) : undefined;
  const subfields: Record<string, string> = {};
  const parts = flat.slice(first).split(/\?(\d{2})/);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const code = parts[i] as string;
    subfields[code] = (subfields[code] ?? '') + (parts[i + 1] ?? '');
  }
  const joined = (codes: string[]) => codes.map((code) => subfields[code] ?? '').join('');
  const remittanceLines = joined(['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63']);
  const sepa = sepaKeywords(remittanceLines);
  const name = joined(['32', '33']).replace(/\s{2,}/g, ' ').trim();
  const eref = sepa.EREF?.trim();
  const references = ['KREF', 'MREF'].map((key) => sepa[key]?.trim()).filter((value): value is string => !!value && value !== 'NONREF');
  return {
    format: 'german',
    gvc,
    bookingText: subfields['00'],
    remittanceLines,
    endToEndId: eref && eref !== 'NONREF' ? eref : undefined,
    references,
    counterpartyName: name || undefined,
    counterpartyAccount: subfields['31']?.trim() || undefined,
    counterpartyBank: subfields['30']?.trim() || undefined,
    returnReason: gvc && RETURN_GVCS.has(gvc) ? subfields['34']?.trim() || undefined : undefined,
    subfields,
  };
}

function sepaKeywords(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  const matches = [...text.matchAll(SEPA_KEYWORDS)];
  matches.forEach((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[index + 1]?.index ?? text.length;
    found[(match[1] ?? match[2]) as string] ??= text.slice(start, end);
  });
  return found;
}

function parseKeyed(flat: string): Mt940Details {
  const subfields: Record<string, string> = {};
  const keys = [...flat.matchAll(/\/([A-Z]+)\//g)].filter((match) => KEYED.has(match[1] ?? ''));
  // Keys are found left to right without overlap: "/BENM//NAME/" is BENM (empty) then NAME.
  const accepted: RegExpMatchArray[] = [];
  let cursor = 0;
  for (const match of keys) {
    if ((match.index ?? 0) < cursor) continue;
    accepted.push(match);
    cursor = (match.index ?? 0) + match[0].length - 1;
  }
  accepted.forEach((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = accepted[index + 1]?.index ?? flat.length;
    const key = match[1] as string;
    const value = flat.slice(start, end).replace(/\/$/, '');
    if (!(key in subfields)) subfields[key] = value;
  });
  const cntp = subfields.CNTP?.split('/');
  const remi = subfields.REMI;
  const references: string[] = [];
  if (subfields.CDTRREF) references.push(subfields.CDTRREF.trim());
  let remittanceLines = remi;
  let structuredReference: string | undefined;
  if (remi?.startsWith('USTD/')) remittanceLines = remi.replace(/^USTD\/+/, '');
  else if (remi?.startsWith('STRD/')) {
    structuredReference = remi.split('/').filter(Boolean).at(-1);
    if (structuredReference && !references.includes(structuredReference)) references.push(structuredReference);
  }
  const eref = subfields.EREF?.trim();
  return {
    format: 'keyed',
    remittanceLines: remittanceLines?.trim() || undefined,
    endToEndId: eref && eref !== 'NOTPROVIDED' && eref !== 'NONREF' ? eref : undefined,
    references,
    counterpartyName: (subfields.NAME ?? cntp?.[2])?.trim() || undefined,
    counterpartyAccount: (subfields.IBAN ?? cntp?.[0])?.trim() || undefined,
    counterpartyBank: (subfields.BIC ?? cntp?.[1])?.trim() || undefined,
    returnReason: subfields.RTRN?.trim() || undefined,
    structuredReference,
    subfields,
  };
}

/**
 * The documents a `:86:` names in a structure that says which document is meant. MT940 has no remittance advice of
 * its own: what a bank puts in `:86:` is the payer's remittance information as the payment carried it. Two
 * conventions in it name documents:
 *
 * - SWIFT's code `/TSU/` of the remittance information (MT103 field 70), which a payer's bank sends on: "the TSU
 *   transaction identifier, a slash, the invoice number, a slash and the amount paid", the amount written as SWIFT
 *   writes amounts (digits, decimal comma): `/TSU/00000089963-0820-01/ABC-15/256214,`. It is the only convention
 *   we know of in `:86:` text that gives an amount per invoice; each `/TSU/` becomes an invoice (`CINV`) with its
 *   amount paid. A `/TSU/` that does not read as that is an error, not skipped text.
 * - The keyed (Dutch: ING, ABN AMRO, Rabobank) `/REMI/STRD/CUR/<reference>`: the payer's structured reference,
 *   a document number without an amount, as camt `CdtrRefInf/Ref` is.
 *
 * German `?20`–`?29` (SVWZ) and Dutch `/REMI/USTD/` are free text otherwise, and SEPA carries no amount per
 * invoice in it (`EREF+`, `KREF+` name the payment, not a document): those stay `remittance` and `references`.
 */
export function mt940RemittanceDocuments(details: Mt940Details, raw: string, currency: string, location: string): RemittanceDocument[] {
  const documents: RemittanceDocument[] = details.structuredReference ? [{ number: details.structuredReference }] : [];
  // German subfields are joined first (a `?21` may cut a `/TSU/` anywhere); other texts are read as the lines join.
  const text = details.format === 'german' ? (details.remittanceLines ?? '') : raw.replace(/\r?\n/g, '');
  for (const found of text.matchAll(/\/TSU\//g)) {
    const rest = text.slice((found.index ?? 0) + found[0].length);
    const tsu = /^([^/]*)\/([^/]+)\/(\d+,\d*)(?=$|[/\s])/.exec(rest);
    if (!tsu) throw new BankFileError(`"/TSU/${rest.slice(0, 60)}" is not /TSU/<transaction id>/<invoice number>/<amount paid, e.g. 1190,00>`, location);
    documents.push({ number: (tsu[2] as string).trim(), kind: 'CINV', paidMinor: toMinor(tsu[3] as string, currency, location) });
  }
  return documents;
}
