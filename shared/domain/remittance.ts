import { minorUnitDigits, parseDecimalMinor } from './money.ts';

/**
 * Reading what payers write: invoice numbers inside remittance text, account numbers and company names, and
 * deductions stated in words, in the forms cash application compares.
 */

/** Digit-only keys shorter than this match too much by chance (amounts, dates, house numbers). */
const MIN_DIGIT_KEY_LENGTH = 6;
/** `INV 2026 000123` is three words; a number is rarely split into more. */
const MAX_WORDS_PER_NUMBER = 3;

/**
 * The forms an invoice number is recognised in: the whole number without separators (`INV2026000123`) and, when
 * long enough to be distinctive, its digits alone (`2026000123`), because payers drop or change the series prefix.
 */
export function invoiceNumberKeys(invoiceNumber: string): { full: string; digits?: string | undefined } {
  const full = invoiceNumber.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const digits = full.replace(/[^0-9]/g, '');
  return { full, digits: digits.length >= MIN_DIGIT_KEY_LENGTH ? digits : undefined };
}

/**
 * Every token of `text` that could be an invoice number as written: each word and each run of up to three
 * adjacent words glued together (payers write `INV 2026 000123` as well as `INV-2026-000123` or `INV2026000123`),
 * in the same compact upper-case form as {@link invoiceNumberKeys}. Commas, semicolons and line breaks end a run.
 */
export function numberTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const phrase of text.toUpperCase().split(/[,;\n\r()[\]{}]+/)) {
    const words = phrase
      .split(/[\s/:#+*]+/)
      .map((word) => word.replace(/[^A-Z0-9]/g, ''))
      .filter((word) => word.length > 0);
    for (let start = 0; start < words.length; start++) {
      let token = '';
      for (let end = start; end < Math.min(words.length, start + MAX_WORDS_PER_NUMBER); end++) {
        token += words[end];
        tokens.add(token);
      }
    }
  }
  return [...tokens];
}

/** The digits of a token when it is long enough to be compared as a digit key; otherwise `undefined`. */
export function digitKey(token: string): string | undefined {
  const digits = token.replace(/[^0-9]/g, '');
  return digits.length >= MIN_DIGIT_KEY_LENGTH ? digits : undefined;
}

/**
 * True when `a` becomes `b` by exactly one edit: a changed, missing or extra character, or two neighbours
 * swapped (the typing mistakes people make when copying a number). Equal strings are not one edit apart.
 */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) {
    const differing: number[] = [];
    for (let index = 0; index < a.length; index++) {
      if (a[index] !== b[index]) {
        differing.push(index);
        if (differing.length > 2) return false;
      }
    }
    if (differing.length === 1) return true;
    const [first, second] = differing as [number, number];
    return second === first + 1 && a[first] === b[second] && a[second] === b[first];
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  if (longer.length - shorter.length !== 1) return false;
  let index = 0;
  while (index < shorter.length && shorter[index] === longer[index]) index++;
  return shorter.slice(index) === longer.slice(index + 1);
}

/** An IBAN or account number as banks print it (`DE89 3704 0044 …`) in one comparable form. */
/** No account number is longer (an IBAN is at most 34; other schemes' identifiers 35): a longer one is not an account. */
const MAX_ACCOUNT_LENGTH = 64;

export function normalizeAccount(account: string | undefined): string | undefined {
  const compact = account?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact && compact.length <= MAX_ACCOUNT_LENGTH ? compact : undefined;
}

/** `B V`, `S A`: letters written apart are one word (`bv`, `sa`), so the legal form is recognised. */
function joinSpelledLetters(words: readonly string[]): string[] {
  const joined: string[] = [];
  let spelling = false;
  for (const word of words) {
    const single = word.length === 1 && /[a-z]/.test(word);
    if (single && spelling) joined[joined.length - 1] += word;
    else joined.push(word);
    spelling = single;
  }
  return joined;
}

/** Legal forms and filler words that banks drop, abbreviate or keep at will. */
const LEGAL_FORMS = new Set([
  'ab', 'ag', 'aktiengesellschaft', 'aps', 'as', 'asa', 'bv', 'bvba', 'co', 'company', 'corp', 'corporation', 'cv', 'eg', 'ek', 'ev', 'gbr', 'gesmbh', 'gmbh',
  'haftungsbeschraenkt', 'haftungsbeschrankt', 'inc', 'incorporated', 'kg', 'kgaa', 'llc', 'llp', 'lp', 'ltd', 'limited', 'mbh', 'nv', 'ohg', 'oy',
  'oyj', 'plc', 'pty', 'sa', 'sarl', 'sas', 'se', 'spa', 'sl', 'sro', 'srl', 'the', 'u', 'ug', 'und', 'and',
]);

/**
 * A company name in the form two spellings of the same payer share: accents, case, punctuation and legal forms
 * removed (`Müller GmbH & Co. KG` → `muller`). Only equality of this form identifies a payer; there is no fuzzy
 * name matching, because two similar names are often two different companies.
 */
/**
 * Lower case without accents. Banks transliterate German letters (MUELLER, GROSSMANN); the same is done here before
 * accents are dropped, so `Müller` and `MUELLER` meet.
 */
export function foldToAscii(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

export function normalizePartyName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const words = foldToAscii(name)
    .replace(/\./g, '')
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((word) => word.length > 0);
  const normalized = joinSpelledLetters(words)
    .filter((word) => !LEGAL_FORMS.has(word))
    .join(' ');
  return normalized.length >= 3 ? normalized : undefined;
}

/** A deduction or discount a payer states in words, e.g. `less damaged goods 45.00`. */
export interface StatedDeduction {
  amountMinor: number;
  /** The payer's words for it (`damaged goods`), or the keyword when it gave none. */
  reason: string;
  /** Discount words (`discount`, `Skonto`) make it a discount the terms must grant; anything else is a deduction. */
  kind: 'deduction' | 'discount';
}

/** Words that introduce a deduction in English and German remittance text (case as people type them). */
const DEDUCTION_KEYWORD = String.raw`(?:[Ll]ess|LESS|[Mm]inus|MINUS|[Dd]educted|DEDUCTED|[Dd]eduction(?:\s+of)?|DEDUCTION(?:\s+OF)?|[Dd]educt|DEDUCT|[Aa]bzgl\.?|ABZGL\.?|[Aa]bzüglich|[Aa]bzueglich|ABZUEGLICH|[Aa]bzug|ABZUG)`;
/**
 * An amount as people write it: `45.00`, `45,00`, `1,234.50`, `1.234,50`, `45`, optionally with a currency code (a
 * word of its own: in `GOODS 256.91` the `ODS` is not one) or sign before or after it.
 */
const WRITTEN_AMOUNT = String.raw`(?:\b[A-Z]{3}\s+|[€$£¥]\s*)?(\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?)(?:\s*(?:\b[A-Z]{3}\b|[€$£¥]))?`;
/** The payer's words for a deduction: they start with a letter, so an amount is never read as part of them. */
const REASON_WORDS = String.raw`(\p{L}[\p{L}%\- ]{1,60}?)`;
const CONNECTOR = String.raw`(?:for|FOR|fuer|für|FÜR|wg\.?|wegen|re|RE)`;
const JOINER = String.raw`(?:and|AND|und|UND|plus|PLUS|&)`;
/** Where the words of an amount-first deduction end: anything but letters and spaces, or the next one begins. */
const REASON_END = String.raw`(?=$|[^\p{L}\- ]|\s+${JOINER}\s|\s+${DEDUCTION_KEYWORD}(?![\p{L}]))`;
const AMOUNT_THEN_REASON = new RegExp(String.raw`(?<![\p{L}\d])${DEDUCTION_KEYWORD}\s*:?\s*${WRITTEN_AMOUNT}(?:\s+(?:${CONNECTOR}\s+)?${REASON_WORDS})?${REASON_END}`, 'gu');
const REASON_THEN_AMOUNT = new RegExp(String.raw`(?<![\p{L}\d])${DEDUCTION_KEYWORD}\s+${REASON_WORDS}\s*:?\s*${WRITTEN_AMOUNT}(?=$|[\s,;\n()/])`, 'gu');
/** `… and 10.00 freight` after a deduction: another one, without its own keyword. */
const FURTHER_AMOUNT = new RegExp(String.raw`\s+${JOINER}\s+${WRITTEN_AMOUNT}(?:\s+(?:${CONNECTOR}\s+)?${REASON_WORDS})?${REASON_END}`, 'uy');
const DISCOUNT_WORDS = /(?:discount|skonto|rabatt|early payment)/i;
const MENTIONS_DEDUCTION = new RegExp(String.raw`(?<![\p{L}\d])${DEDUCTION_KEYWORD}(?![\p{L}])`, 'gu');

/**
 * Whether the payer's text speaks of keeping something back (other than a discount). When it does, a shortfall is
 * the payer's deduction, whether or not every amount in the words could be read: never bank charges to write off.
 */
export const mentionsDeduction = (text: string): boolean => [...text.matchAll(MENTIONS_DEDUCTION)].some((match) => !DISCOUNT_WORDS.test(clauseAround(text, match.index)));

/** Whether the payer's text speaks of a discount (`Skonto`, `discount`, `Rabatt`): one the terms do not grant is no bank charge either. */
export const mentionsDiscount = (text: string): boolean => DISCOUNT_WORDS.test(text);

/** Words a reason never is on its own: the keyword's own `of`, or a connector before the words that follow. */
const NOT_A_REASON = /^(?:of|for|von|für|fuer|re|wg\.?|wegen)$/i;

/**
 * The deductions a payer states in unstructured remittance (`INV-1 less damaged goods 45.00`, `abzgl. 12,50 EUR
 * Transportschaden`, `less 45.00 damaged goods and 10.00 freight`), in minor units of `currency`. An amount that
 * cannot be read exactly in the currency's exponent is left out: a deduction is only recorded when its amount is
 * certain.
 */
export function statedDeductions(text: string, currency: string): StatedDeduction[] {
  const found: StatedDeduction[] = [];
  const taken = new Set<number>();
  const add = (index: number, end: number, amountText: string | undefined, reasonText: string | undefined, keyword: string): boolean => {
    if (taken.has(index) || !amountText) return false;
    const words = (reasonText ?? '').trim().replace(/\s+/g, ' ');
    if (NOT_A_REASON.test(words)) return false;
    const amountMinor = writtenAmountToMinor(amountText, currency);
    if (amountMinor === undefined || amountMinor <= 0) return false;
    taken.add(index);
    found.push({ amountMinor, reason: words || keyword.trim().toLowerCase(), kind: DISCOUNT_WORDS.test(clauseAround(text, index)) ? 'discount' : 'deduction' });
    // Further amounts joined to this one (`and 10.00 freight`) are deductions of the same kind.
    for (let at = end; ; ) {
      FURTHER_AMOUNT.lastIndex = at;
      const further = FURTHER_AMOUNT.exec(text);
      const furtherMinor = further?.[1] ? writtenAmountToMinor(further[1], currency) : undefined;
      if (!further || furtherMinor === undefined || furtherMinor <= 0) break;
      taken.add(further.index);
      found.push({ amountMinor: furtherMinor, reason: (further[2] ?? '').trim().replace(/\s+/g, ' ') || keyword.trim().toLowerCase(), kind: found[found.length - 1]!.kind });
      at = further.index + further[0].length;
    }
    return true;
  };
  for (const match of text.matchAll(REASON_THEN_AMOUNT)) add(match.index, match.index + match[0].length, match[2], match[1], match[0].split(/\s/)[0] ?? '');
  for (const match of text.matchAll(AMOUNT_THEN_REASON)) add(match.index, match.index + match[0].length, match[1], match[2], match[0].split(/\s/)[0] ?? '');
  return found;
}

/** The clause of `text` around `index`: between the separators (`,` `;` line breaks) before and after it. */
function clauseAround(text: string, index: number): string {
  const before = Math.max(text.lastIndexOf(',', index), text.lastIndexOf(';', index), text.lastIndexOf('\n', index));
  const after = [',', ';', '\n'].map((separator) => text.indexOf(separator, index)).filter((found) => found >= 0);
  return text.slice(before + 1, after.length > 0 ? Math.min(...after) : text.length);
}

/**
 * `1.234,50`, `1,234.50`, `45,00`, `1.234` → minor units of `currency`. The last separator is the decimal mark when
 * one or two digits follow it; with three digits it groups thousands, unless the currency has three decimals and it
 * is the only separator (`12.500` KWD).
 */
function writtenAmountToMinor(written: string, currency: string): number | undefined {
  const compact = written.replace(/[\s']/g, '');
  const separators = compact.match(/[.,]/g)?.length ?? 0;
  const lastSeparator = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
  const fraction = lastSeparator >= 0 ? compact.slice(lastSeparator + 1) : '';
  const isDecimalMark = lastSeparator >= 0 && (fraction.length < 3 || (fraction.length === 3 && separators === 1 && minorUnitDigits(currency) === 3));
  const decimal = isDecimalMark ? `${compact.slice(0, lastSeparator).replace(/[.,]/g, '')}.${fraction}` : compact.replace(/[.,]/g, '');
  try {
    return parseDecimalMinor(decimal, currency);
  } catch {
    return undefined;
  }
}

const NUMBER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Every string one edit from `token` (a changed, missing or extra character, or two neighbours swapped) over the
 * characters number keys are made of: looked up in an index, they find the keys one edit away without comparing the
 * token with every key of the ledger.
 */
export function oneEditVariants(token: string, alphabet = NUMBER_ALPHABET): Set<string> {
  const variants = new Set<string>();
  for (let index = 0; index <= token.length; index++) {
    const head = token.slice(0, index);
    const tail = token.slice(index);
    for (const character of alphabet) variants.add(head + character + tail);
    if (index < token.length) {
      variants.add(head + tail.slice(1));
      for (const character of alphabet) if (character !== tail[0]) variants.add(head + character + tail.slice(1));
      if (index + 1 < token.length && tail[0] !== tail[1]) variants.add(head + tail[1] + tail[0] + tail.slice(2));
    }
  }
  variants.delete(token);
  return variants;
}
