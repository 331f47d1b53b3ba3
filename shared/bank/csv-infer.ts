/**
 * A CSV column profile inferred from the file itself, for an account that has none saved (issue 10).
 *
 * Banks' CSV exports differ in layout but name their columns recognisably: `Buchungstag`, `Betrag`,
 * `Verwendungszweck`, `Soll/Haben`, `Währung`; `Date`, `Amount`, `Debit`/`Credit`, `Description`, `Currency`. The
 * header row is found among the first lines (anything above it is the bank's preamble), its columns are matched to
 * the fields of the normalized entry, and the delimiter, date format and decimal separator are read from the
 * values. The result is an ordinary {@link CsvProfile} (what `PUT /bank-accounts/{account}/csv-profile` saves), and
 * it is checked by parsing the file with it.
 *
 * Nothing is guessed where the file allows two readings: dates that read as DD/MM and MM/DD alike, amounts like
 * `1,234` in a three-decimal currency, two columns that could both be the booking date or the amount. Such a file
 * is refused with the columns seen and what was ambiguous, and needs a profile.
 */
import { BankFileError } from '#domain/bank-statement';
import { isCurrency, minorUnitDigits } from '#domain/money';
import { detectCsvDelimiter, parseCsv, readCsvDate, readCsvRecords, type CsvRecord } from './csv.ts';
import { CSV_DATE_FORMATS, CsvProfileSchema, type CsvColumn, type CsvDateFormat, type CsvProfile } from './csv-profile.ts';

type Role =
  | 'bookingDate'
  | 'valueDate'
  | 'amount'
  | 'credit'
  | 'debit'
  | 'indicator'
  | 'remittance'
  | 'currency'
  | 'bankReference'
  | 'endToEndId'
  | 'counterpartyName'
  | 'counterpartyAccount'
  | 'balance'
  | 'transactionCode';

/**
 * Header names per role, normalized (lower case, `ä`→`ae` …, anything in brackets and every non-letter dropped).
 * Earlier names rank higher: with `Buchungstag` and `Datum` both present, `Buchungstag` is the booking date.
 */
const SYNONYMS: Record<Role, readonly string[]> = {
  bookingDate: ['buchungstag', 'buchungsdatum', 'bookingdate', 'postingdate', 'posteddate', 'transactiondate', 'boekdatum', 'datum', 'date'],
  valueDate: ['valuedate', 'wertstellung', 'wertstellungsdatum', 'valutadatum', 'valuta', 'rentedatum'],
  amount: ['betrag', 'amount', 'bedrag', 'umsatz', 'transactionamount', 'montant', 'importe'],
  credit: ['credit', 'creditamount', 'deposit', 'deposits', 'paidin', 'moneyin', 'haben', 'gutschrift', 'eingang'],
  debit: ['debit', 'debitamount', 'withdrawal', 'withdrawals', 'paidout', 'moneyout', 'soll', 'lastschrift', 'ausgang'],
  indicator: ['sollhaben', 'sh', 'afbij', 'debitcredit', 'creditdebit', 'dc', 'cd', 'crdr', 'drcr', 'direction'],
  remittance: ['verwendungszweck', 'remittance', 'remittanceinformation', 'description', 'transactiondescription', 'details', 'paymentdetails', 'memo', 'narrative', 'purpose', 'omschrijving', 'mededelingen', 'naamomschrijving'],
  currency: ['waehrung', 'currency', 'ccy', 'currencycode', 'munt'],
  bankReference: ['bankreference', 'transactionid', 'transactionreference', 'reference', 'referenz', 'bankreferenz', 'buchungsreferenz'],
  endToEndId: ['endtoendid', 'endtoendreference', 'kundenreferenz', 'eref'],
  counterpartyName: ['counterparty', 'counterpartyname', 'payee', 'payer', 'payeepayer', 'beneficiary', 'name', 'beguenstigterzahlungspflichtiger', 'auftraggeberempfaenger', 'empfaenger', 'auftraggeber', 'zahlungsempfaenger', 'naam'],
  counterpartyAccount: ['iban', 'counterpartyiban', 'counterpartyaccount', 'kontonummeriban', 'kontonummer', 'gegenkonto', 'tegenrekening'],
  balance: ['balance', 'runningbalance', 'saldo', 'kontostand'],
  transactionCode: ['buchungstext', 'transactiontype', 'type', 'umsatztyp', 'umsatzart', 'code', 'mutatiesoort'],
};

/** Direction values of an indicator column, compared case-insensitively. */
const CREDIT_MARKS = ['H', 'Haben', 'C', 'CR', 'CRDT', 'Credit', 'Bij', 'Gutschrift', '+'];
const DEBIT_MARKS = ['S', 'Soll', 'D', 'DR', 'DBIT', 'Debit', 'Af', 'Lastschrift', '-'];

/** Currency signs written in amount cells, and the currency each stands for when it is the only hint. */
const SYMBOLS: readonly [string, string | undefined][] = [
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['$', undefined],
  ['¥', undefined],
];

/** How many physical lines may stand above the header row. */
const MAX_PREAMBLE_LINES = 30;

/** A CSV file whose profile cannot be inferred; `reason` is the message without its location, for callers that add advice. */
export class CsvInferenceError extends BankFileError {
  constructor(
    readonly reason: string,
    location?: string | undefined,
  ) {
    super(reason, location);
  }
}

export interface InferCsvProfileOptions {
  /** The account the file belongs to (a profile always names one; CSV rows rarely do). */
  account: string;
  /** The account's currency when the file names none (no currency column, no code in the amount header). */
  currency?: string | undefined;
}

/**
 * Infers the column profile of a CSV bank export with a header row. Returns a profile in the shape
 * `PUT /bank-accounts/{account}/csv-profile` saves, already checked by parsing the file with it; throws
 * {@link BankFileError} naming the columns seen and what was ambiguous or missing when the file cannot be read
 * without a profile.
 */
export function inferCsvProfile(text: string, options: InferCsvProfileOptions): CsvProfile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw new BankFileError('the file is empty');
  const header = findHeader(body);
  const { names, records, skipLines, delimiter } = header;
  const seen = `the header has ${names.map((name) => JSON.stringify(name)).join(', ')}`;
  const ambiguous = (what: string): never => {
    throw new CsvInferenceError(`cannot infer a CSV profile: ${what} (${seen})`, `line ${header.line}`);
  };
  const roles = assignRoles(names, ambiguous);
  const column = (index: number): CsvColumn => (names.filter((name) => name === names[index]).length === 1 ? (names[index] as string) : index);
  const values = (index: number | undefined) => (index === undefined ? [] : records.map((record) => (record.fields[index] ?? '').trim()).filter((value) => value !== ''));

  const bookingDate = single(roles, 'bookingDate') ?? ambiguous('no booking date column');
  const amountIndex = single(roles, 'amount');
  const creditIndex = single(roles, 'credit');
  const debitIndex = single(roles, 'debit');
  if (amountIndex === undefined && (creditIndex === undefined || debitIndex === undefined)) ambiguous('no amount column, nor a debit and a credit column');

  const valueDate = single(roles, 'valueDate');
  const dateFormat = inferDateFormat([...values(bookingDate), ...values(valueDate)], ambiguous);

  const moneyColumns = amountIndex !== undefined ? [amountIndex] : [creditIndex as number, debitIndex as number];
  const balanceIndex = single(roles, 'balance');
  const amounts = [...moneyColumns, ...(balanceIndex === undefined ? [] : [balanceIndex])].flatMap((index) => values(index));
  const symbol = SYMBOLS.find(([sign]) => amounts.some((value) => value.includes(sign)));

  const currencyIndex = currencyColumn(roles, records, names, ambiguous);
  const headerCode = moneyColumns
    .map((index) => names[index] ?? '')
    .map((name) => /\b([A-Z]{3})\b/.exec(name)?.[1] ?? SYMBOLS.find(([sign]) => name.includes(sign))?.[1])
    .find((code) => code !== undefined && isCurrency(code));
  const currency = currencyIndex === undefined ? (options.currency ?? headerCode ?? symbol?.[1]) : options.currency;
  if (currencyIndex === undefined && currency === undefined) ambiguous('no currency: no currency column, no ISO code in the amount header and no € or £ in the amounts; give the account currency');
  const fileCurrencies = values(currencyIndex).map((code) => code.toUpperCase());
  const digits = minorUnitDigits(currency ?? fileCurrencies.find((code) => isCurrency(code)) ?? 'EUR');
  const { decimalSeparator, thousandsSeparator } = inferNumberFormat(amounts.map((value) => (symbol ? value.split(symbol[0]).join('') : value)), digits, ambiguous);

  const indicatorIndex = amountIndex === undefined ? undefined : single(roles, 'indicator');
  const indicator = indicatorIndex === undefined ? undefined : directionMarks(values(indicatorIndex));
  if (indicatorIndex !== undefined && !indicator) {
    ambiguous(`the direction column ${JSON.stringify(names[indicatorIndex])} holds ${[...new Set(values(indicatorIndex))].map((value) => JSON.stringify(value)).join(', ')}, not only credit (${CREDIT_MARKS.join(', ')}) and debit (${DEBIT_MARKS.join(', ')}) marks`);
  }
  const remittance = (roles.get('remittance') ?? []).map(column);
  const optional = (role: Role) => {
    const index = single(roles, role);
    return index === undefined ? undefined : column(index);
  };

  const candidate = {
    account: options.account,
    ...(currency === undefined ? {} : { currency }),
    delimiter,
    skipLines,
    header: true,
    dateFormat,
    decimalSeparator,
    ...(thousandsSeparator === undefined ? {} : { thousandsSeparator }),
    ...(symbol ? { currencySymbol: symbol[0] } : {}),
    amount:
      amountIndex !== undefined
        ? { column: column(amountIndex), ...(indicator && indicatorIndex !== undefined ? { indicator: { column: column(indicatorIndex), ...indicator } } : {}) }
        : { credit: column(creditIndex as number), debit: column(debitIndex as number) },
    columns: {
      bookingDate: column(bookingDate),
      ...(valueDate === undefined ? {} : { valueDate: column(valueDate) }),
      ...(remittance.length === 0 ? {} : { remittance: remittance.length === 1 ? remittance[0] : remittance }),
      ...defined('currency', currencyIndex === undefined ? undefined : column(currencyIndex)),
      ...defined('bankReference', optional('bankReference')),
      ...defined('endToEndId', optional('endToEndId')),
      ...defined('counterpartyName', optional('counterpartyName')),
      ...defined('counterpartyAccount', optional('counterpartyAccount')),
      ...defined('balance', balanceIndex === undefined ? undefined : column(balanceIndex)),
      ...defined('transactionCode', optional('transactionCode')),
    },
  };
  const checked = CsvProfileSchema.safeParse(candidate);
  if (!checked.success) ambiguous(checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const profile = checked.data as CsvProfile;
  try {
    parseCsv(text, profile);
  } catch (error) {
    if (!(error instanceof BankFileError)) throw error;
    ambiguous(`the inferred profile does not read the file: ${error.message}`);
  }
  return profile;
}

function defined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** `Betrag (€)` → `betrag`, `Währung` → `waehrung`, `Soll/Haben` → `sollhaben`. */
export function normalizeHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

interface Header {
  names: string[];
  records: CsvRecord[];
  skipLines: number;
  delimiter: ',' | ';' | '\t' | '|';
  line: number;
}

/** The first of the leading lines whose columns name a booking date and an amount (or debit and credit). */
function findHeader(body: string): Header {
  const lines = body.split(/\r\n|\r|\n/);
  const looked: string[] = [];
  for (let index = 0; index < Math.min(lines.length, MAX_PREAMBLE_LINES + 1); index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    let delimiter: Header['delimiter'];
    try {
      delimiter = detectCsvDelimiter(line, index + 1);
    } catch {
      continue;
    }
    const names = (readCsvRecords(line, delimiter, index + 1)[0]?.fields ?? []).map((name) => name.trim());
    looked.push(names.join(delimiter));
    const normalized = new Set(names.map(normalizeHeader));
    const has = (role: Role) => SYNONYMS[role].some((name) => normalized.has(name));
    if (!has('bookingDate') || !(has('amount') || (has('credit') && has('debit')))) continue;
    const rest = lines.slice(index).join('\n');
    const records = readCsvRecords(rest, delimiter, index + 1).filter((record) => record.fields.some((field) => field.trim() !== ''));
    records.shift();
    return { names, records, skipLines: index, delimiter, line: index + 1 };
  }
  throw new CsvInferenceError(
    `cannot infer a CSV profile: no header row naming a booking date and an amount (or debit and credit) in the first ${MAX_PREAMBLE_LINES + 1} lines${looked[0] ? ` (first line read: ${JSON.stringify(looked[0])})` : ''}`,
  );
}

/** Each column gets the role its name ranks best for; a required role claimed equally by two columns is ambiguous. */
function assignRoles(names: string[], ambiguous: (what: string) => never): Map<Role, number[]> {
  const roles = new Map<Role, number[]>();
  const ranks = new Map<Role, number[]>();
  names.forEach((name, index) => {
    const normalized = normalizeHeader(name);
    if (normalized === '') return;
    for (const role of Object.keys(SYNONYMS) as Role[]) {
      const rank = SYNONYMS[role].indexOf(normalized);
      if (rank < 0) continue;
      roles.set(role, [...(roles.get(role) ?? []), index]);
      ranks.set(role, [...(ranks.get(role) ?? []), rank]);
      return; // a name has one meaning: the first role listing it
    }
  });
  for (const role of ['bookingDate', 'valueDate', 'amount', 'credit', 'debit', 'indicator', 'balance'] as const) {
    const found = roles.get(role);
    const rank = ranks.get(role);
    if (!found || !rank || found.length < 2) continue;
    const best = Math.min(...rank);
    const top = found.filter((_, position) => rank[position] === best);
    if (top.length > 1) ambiguous(`${top.map((index) => JSON.stringify(names[index])).join(' and ')} could each be the ${role === 'bookingDate' ? 'booking date' : role === 'valueDate' ? 'value date' : role}`);
    roles.set(role, top);
  }
  for (const role of ['bankReference', 'endToEndId', 'counterpartyName', 'counterpartyAccount', 'transactionCode'] as const) {
    const found = roles.get(role);
    const rank = ranks.get(role);
    if (!found || !rank || found.length < 2) continue;
    const best = Math.min(...rank);
    const top = found.filter((_, position) => rank[position] === best);
    // Optional columns claimed twice are left out rather than guessed.
    if (top.length > 1) roles.delete(role);
    else roles.set(role, top);
  }
  return roles;
}

function single(roles: Map<Role, number[]>, role: Role): number | undefined {
  return roles.get(role)?.[0];
}

/** A currency column; several (ING Germany repeats `Währung`) are fine when they agree on every row. */
function currencyColumn(roles: Map<Role, number[]>, records: CsvRecord[], names: string[], ambiguous: (what: string) => never): number | undefined {
  const found = roles.get('currency') ?? [];
  if (found.length <= 1) return found[0];
  const disagree = records.find((record) => new Set(found.map((index) => (record.fields[index] ?? '').trim().toUpperCase())).size > 1);
  if (disagree) ambiguous(`the currency columns ${found.map((index) => `${index} (${JSON.stringify(names[index])})`).join(' and ')} disagree on line ${disagree.line}`);
  return found[0];
}

/** The date formats every value reads with; one must remain, or all that remain must give the same dates. */
function inferDateFormat(values: string[], ambiguous: (what: string) => never): CsvDateFormat {
  if (values.length === 0) ambiguous('the booking date column is empty');
  const readings = CSV_DATE_FORMATS.flatMap((format) => {
    try {
      return [{ format, dates: values.map((value) => readCsvDate(value, format, '')).join() }];
    } catch {
      return [];
    }
  });
  const first = readings[0];
  if (!first) ambiguous(`the dates (e.g. ${JSON.stringify(values[0])}) are in none of the known formats (${CSV_DATE_FORMATS.join(', ')})`);
  if (readings.some((reading) => reading.dates !== first.dates)) {
    ambiguous(`the dates (e.g. ${JSON.stringify(values.find((value) => /^\d{1,2}\D\d{1,2}\D/.test(value)) ?? values[0])}) read as ${readings.map((reading) => reading.format).join(' or ')}`);
  }
  return first.format;
}

/**
 * The decimal (and thousands) separator the amounts are written with. `12,50` or `1.234,56` decide for a comma;
 * `12.50` or `1,234.56` for a point; `1,234` alone decides only when the currency cannot have three decimals.
 */
function inferNumberFormat(
  amounts: string[],
  digits: number,
  ambiguous: (what: string) => never,
): { decimalSeparator: '.' | ','; thousandsSeparator?: ',' | '.' | ' ' | "'" | undefined } {
  const votes = { decimal: new Set<'.' | ','>(), thousands: new Set<',' | '.' | ' ' | "'">() };
  let undecided: string | undefined;
  for (const raw of amounts) {
    const value = raw.replace(/\u2212/g, '-').replace(/^[+-]|-$/g, '').trim();
    const grouped = /[ \u00a0\u202f']/.exec(value.replace(/^[ ]+|[ ]+$/g, ''));
    if (grouped) votes.thousands.add(grouped[0] === "'" ? "'" : ' ');
    const compact = value.replace(/[ \u00a0\u202f']/g, '');
    const lastComma = compact.lastIndexOf(',');
    const lastPoint = compact.lastIndexOf('.');
    if (lastComma >= 0 && lastPoint >= 0) {
      const decimal = lastComma > lastPoint ? ',' : '.';
      votes.decimal.add(decimal);
      votes.thousands.add(decimal === ',' ? '.' : ',');
      continue;
    }
    const separator = lastComma >= 0 ? ',' : lastPoint >= 0 ? '.' : undefined;
    if (!separator) continue;
    const parts = compact.split(separator);
    const tail = parts.at(-1) ?? '';
    if (parts.length > 2) {
      votes.thousands.add(separator); // 1.234.567
    } else if (tail.length !== 3 || !/^[1-9]\d{0,2}$/.test(parts[0] ?? '')) {
      votes.decimal.add(separator); // 12,5 / 12,50 / 0,125 / 1000,000: no thousands grouping reads these
    } else if (digits < 3) {
      votes.thousands.add(separator); // 1,234 in a currency with at most two decimals
    } else {
      undecided ??= raw;
    }
  }
  if (votes.decimal.size > 1) ambiguous(`the amounts use both "," and "." as decimal separator`);
  let decimal = [...votes.decimal][0];
  if (decimal === undefined) {
    const thousands = [...votes.thousands].find((separator) => separator === ',' || separator === '.');
    if (undecided !== undefined && thousands === undefined) ambiguous(`the amount ${JSON.stringify(undecided)} could have three decimals or a thousands separator`);
    decimal = thousands === ',' ? '.' : ',';
    if (thousands === undefined) decimal = '.';
  }
  const thousands = [...votes.thousands].filter((separator) => separator !== decimal);
  if (thousands.length > 1) ambiguous(`the amounts group thousands with ${thousands.map((separator) => JSON.stringify(separator)).join(' and ')}`);
  return { decimalSeparator: decimal, ...(thousands[0] === undefined ? {} : { thousandsSeparator: thousands[0] }) };
}

/** Credit and debit marks of an indicator column, when every value is a known one. */
function directionMarks(values: string[]): { credit: string[]; debit: string[] } | undefined {
  const known = (marks: string[], value: string) => marks.some((mark) => mark.toLowerCase() === value.toLowerCase());
  const distinct = [...new Set(values)];
  if (distinct.length === 0 || !distinct.every((value) => known(CREDIT_MARKS, value) || known(DEBIT_MARKS, value))) return undefined;
  const credit = distinct.filter((value) => known(CREDIT_MARKS, value));
  const debit = distinct.filter((value) => known(DEBIT_MARKS, value));
  return { credit: credit.length > 0 ? credit : [CREDIT_MARKS[0] as string], debit: debit.length > 0 ? debit : [DEBIT_MARKS[0] as string] };
}
