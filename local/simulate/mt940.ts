/**
 * Writes SWIFT MT940 statements as German banks send them: `:20:`, `:25:` (our IBAN), `:28C:`, `:60F:`, one `:61:`
 * per entry with its value and booking dates and the bank reference after `//`, a structured `:86:` after each
 * (business transaction code, `?00` booking text, `?20`–`?29`/`?60`–`?63` SEPA remittance with `EREF+` and `SVWZ+`,
 * `?31` payer IBAN, `?32`/`?33` payer name, `?34` return reason), and `:62F:` with a closing balance that adds up.
 *
 * Layout choices, each for O2C's reader:
 * - Each `?NN` subfield starts a line of its own, and the remittance is cut between words, the word after a cut
 *   keeping its space (`?22 INV-2026-000124`). O2C matches invoice numbers on the raw `:86:` text, where a number
 *   glued to the subfield code before or after it (`…000123?22INV-…`) is read as another token; an RF reference or
 *   invoice number is never cut. A word longer than a subfield is cut where it must be.
 * - The bank reference after `//` is written whole, though SWIFT allows 16 characters: it is O2C's dedupe key, and
 *   O2C reads to the end of the line.
 */
import { minorToDecimalString } from '#domain/money';
import { closingOf, kindOf, type StatementEntry, type StatementEntryKind, type StatementInput } from './bank-entries.ts';

const SUBFIELD_WIDTH = 27;
/** Remittance subfields, in order: `?20`–`?29`, then the extension `?60`–`?63`. */
const REMITTANCE_CODES = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63'];

/** German business transaction codes (GVC): SEPA credit received, return of a SEPA credit (O2C reads `?34` on it), charges. */
const GVC: Record<StatementEntryKind, { code: string; text: string; type: string }> = {
  payment: { code: '166', text: 'SEPA-GUTSCHRIFT', type: 'NTRF' },
  return: { code: '159', text: 'RETOURE SEPA-UEBERWEISUNG', type: 'NRTI' },
  fee: { code: '805', text: 'ENTGELTABSCHLUSS', type: 'NCHG' },
};

const yymmdd = (iso: string) => iso.slice(2).replace(/-/g, '');
const mmdd = (iso: string) => iso.slice(5).replace(/-/g, '');

/** Minor units as SWIFT writes amounts: digits and one decimal comma (`1234,56`, `1500,` for JPY). */
function swiftAmount(minor: number, currency: string): string {
  const text = minorToDecimalString(Math.abs(minor), currency);
  return text.includes('.') ? text.replace('.', ',') : `${text},`;
}

function balance(tag: string, minor: number, date: string, currency: string): string {
  return `:${tag}:${minor < 0 ? 'D' : 'C'}${yymmdd(date)}${currency}${swiftAmount(minor, currency)}`;
}

/** Cuts `text` into pieces of at most `width`, hard, with nothing added: for values that are joined back as they are. */
function hardCut(text: string, width: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += width) pieces.push(text.slice(start, start + width));
  return pieces;
}

/** `first` then the words of `text`, cut between words; each piece after the first starts with the space it was cut at. */
function wordWrap(first: string, text: string, width: number): string[] {
  const pieces: string[] = [];
  let current = first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const spaced = current === first ? word : ` ${word}`;
    if (current.length + spaced.length <= width) {
      current += spaced;
      continue;
    }
    if (current !== first || first !== '') pieces.push(current);
    current = ` ${word}`;
    while (current.length > width) {
      pieces.push(current.slice(0, width));
      current = current.slice(width);
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/** The `:86:` of one entry, one line per subfield. */
export function mt940Details(entry: StatementEntry): string[] {
  const kind = kindOf(entry);
  const gvc = GVC[kind];
  const remittance = [
    ...(entry.endToEndId ? hardCut(`EREF+${entry.endToEndId}`, SUBFIELD_WIDTH) : []),
    ...(entry.remittance ? wordWrap('SVWZ+', entry.remittance, SUBFIELD_WIDTH) : []),
  ];
  if (remittance.length > REMITTANCE_CODES.length) {
    throw new RangeError(`MT940 carries at most ${REMITTANCE_CODES.length} remittance subfields of ${SUBFIELD_WIDTH} characters; entry ${entry.bankReference} needs ${remittance.length}`);
  }
  // Cut between words too: a line's trailing space is dropped on reading, so a space must start the next piece.
  const name = entry.payerName ? wordWrap('', entry.payerName, SUBFIELD_WIDTH).slice(0, 2) : [];
  return [
    `${gvc.code}?00${gvc.text}`,
    ...remittance.map((piece, index) => `?${REMITTANCE_CODES[index]}${piece}`),
    ...(entry.payerAccount ? [`?31${entry.payerAccount}`] : []),
    ...name.map((piece, index) => `?${32 + index}${piece}`),
    ...(kind === 'return' && entry.returnReason ? [`?34${entry.returnReason}`] : []),
  ];
}

/**
 * One MT940 statement of `account` (our IBAN) from `openingMinor`: the opening balance dated the first booking day
 * (the statement's date when it has no entries), the closing balance dated the statement's date.
 */
export function mt940(statement: StatementInput): string {
  const { currency } = statement;
  const firstDay = statement.entries.map((entry) => entry.bookingDate).sort()[0] ?? statement.date;
  const lines = [
    `:20:${statement.statementId.slice(0, 16)}`,
    `:25:${statement.account}`,
    `:28C:${String(statement.sequence ?? 1).padStart(5, '0')}/001`,
    balance('60F', statement.openingMinor, firstDay, currency),
  ];
  for (const entry of statement.entries) {
    const valueDate = entry.valueDate ?? entry.bookingDate;
    const mark = entry.amountMinor < 0 ? 'D' : 'C';
    lines.push(`:61:${yymmdd(valueDate)}${mmdd(entry.bookingDate)}${mark}${swiftAmount(entry.amountMinor, currency)}${GVC[kindOf(entry)].type}NONREF//${entry.bankReference}`);
    const [first = '', ...rest] = mt940Details(entry);
    lines.push(`:86:${first}`, ...rest);
  }
  lines.push(balance('62F', closingOf(statement), statement.date, currency), '-');
  return `${lines.join('\r\n')}\r\n`;
}
