/**
 * Reading what payers write: invoice numbers inside remittance text, account numbers and company names, in the
 * forms cash application compares. Pure string work, no money.
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
export function normalizeAccount(account: string | undefined): string | undefined {
  const compact = account?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact ? compact : undefined;
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
export function normalizePartyName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const words = name
    .toLowerCase()
    // Banks transliterate German letters (MUELLER, GROSSMANN); the same is done here before accents are dropped.
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
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
