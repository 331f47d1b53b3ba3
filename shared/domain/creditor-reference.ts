/**
 * ISO 11649 structured creditor references (`RF18 5390 0754 7034`): what we print on every invoice so that the
 * payer's bank carries a machine-checkable reference back to us, and what cash application looks for in remittance
 * text. The two check digits are ISO 7064 MOD 97-10 (the IBAN scheme): the body followed by `RF00`, letters
 * A = 10 … Z = 35, check = 98 − (that number mod 97). A valid reference therefore leaves remainder 1 when its first
 * four characters are moved to the end. Integer arithmetic only, one character at a time: no big numbers, no floats.
 */

/** ISO 11649: the reference body is 1 to 21 characters, so a whole reference is at most 25. */
export const MAX_CREDITOR_REFERENCE_BODY_LENGTH = 21;

const BODY = /^[A-Z0-9]{1,21}$/;
const ELECTRONIC = /^RF(\d{2})([A-Z0-9]{1,21})$/;

/**
 * Remainder mod 97 of the number spelled by `text` with letters expanded to two digits (A = 10 … Z = 35).
 * Folding digit by digit keeps every intermediate value below 97 × 100 + 35.
 */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      throw new RangeError(`Not an ISO 11649 character: ${JSON.stringify(char)}`);
    }
  }
  return remainder;
}

/** The two check digits for a body already reduced to `A-Z0-9`: always 02 … 98. */
function checkDigitsFor(body: string): string {
  return String(98 - mod97(`${body}RF00`)).padStart(2, '0');
}

/** Removes the spaces people and banks insert (any whitespace, including no-break spaces) and upper-cases. */
function compact(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** True when an electronic-form reference (`RF` + two digits + body, upper case, no spaces) checks out. */
function isValidElectronic(reference: string): boolean {
  const match = ELECTRONIC.exec(reference);
  if (!match) return false;
  const [, check, body] = match;
  if (check === undefined || body === undefined) return false;
  // MOD 97-10 never produces 00, 01 or 99; a reference carrying them was not made by the algorithm.
  const value = Number(check);
  if (value < 2 || value > 98) return false;
  return mod97(`${body}RF${check}`) === 1;
}

/**
 * The creditor reference printed on an invoice, derived from its number so that no extra key has to be stored or
 * looked up: `INV-2026-000123` → body `INV2026000123` → `RF…INV2026000123` (electronic form, no spaces).
 *
 * Only `A-Z0-9` survive (letters are upper-cased; separators and anything else are dropped). A number whose body
 * is empty or longer than 21 characters is refused rather than truncated: a truncated body could be shared by two
 * invoices, and cash application would then apply a payment to the wrong one.
 */
export function creditorReferenceFor(invoiceNumber: string): string {
  const body = invoiceNumber.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!BODY.test(body)) {
    throw new RangeError(
      `Invoice number ${JSON.stringify(invoiceNumber)} gives a creditor reference body of ${body.length} characters; ISO 11649 allows 1 to ${MAX_CREDITOR_REFERENCE_BODY_LENGTH}`,
    );
  }
  return `RF${checkDigitsFor(body)}${body}`;
}

/**
 * True when `text` is one ISO 11649 reference with correct check digits. Tolerant of what people type: spaces
 * anywhere (`rf18 5390 0754 7034`) and lower case. Nothing else is forgiven: dots, dashes or a transposed digit fail.
 */
export function isValidCreditorReference(text: string): boolean {
  return isValidElectronic(compact(text));
}

/**
 * The electronic form (`RF18539007547034`) of a reference as typed or printed, or `undefined` when it is not a
 * valid reference. Store and compare references in this form only.
 */
export function normalizeCreditorReference(text: string): string | undefined {
  const reference = compact(text);
  return isValidElectronic(reference) ? reference : undefined;
}

/**
 * The print form for documents and emails: groups of four from the left, the last group possibly shorter
 * (`RF18 5390 0754 7034`), as ISO 11649 recommends for paper so people can read it back without losing their place.
 * An invalid reference is refused: printing one on an invoice would be a bug, not a formatting choice.
 */
export function formatCreditorReferenceForPrint(reference: string): string {
  const electronic = normalizeCreditorReference(reference);
  if (electronic === undefined) throw new RangeError(`Not a valid ISO 11649 creditor reference: ${JSON.stringify(reference)}`);
  return electronic.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Where a reference may start in free text: `RF` (any case), an optional space, two check digits, not glued to a
 * preceding letter or digit, except after an MT940 `:86:` sub-field marker such as `?20`.
 */
const START = /(?:(?<![A-Za-z0-9])|(?<=\?\d\d))[Rr][Ff][ \t\u00a0]?(\d\d)/g;
const CHUNK = /[A-Za-z0-9]+/y;
const SEPARATOR = /[ \t\u00a0]/y;

/**
 * Every valid RF reference in free remittance text (`/RFB/RF18539007547034`, `Zahlung RF18 5390 0754 7034 danke`),
 * in the electronic form, in order of appearance, without duplicates. Check digits decide: an `RF` with wrong check
 * digits is not returned, so a typo never matches an invoice.
 *
 * A reference may be glued together or split by single spaces, and it ends where a word ends, never inside one.
 * When the text after it admits more than one valid reading, e.g. `RF18 5390 0754 7034 DANK` (the trailing word
 * could be part of the body, and has a 1-in-97 chance of checking out), every valid reading is returned, longest
 * first: cash application matches them against the references of open invoices, where a chance reading finds
 * nothing, whereas keeping only one reading could drop the real reference.
 */
export function findCreditorReferences(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const start of text.matchAll(START)) {
    const check = start[1];
    if (check === undefined) continue;
    const readings: string[] = [];
    let body = '';
    let position = start.index + start[0].length;
    // The body follows the check digits directly or after one space; words then follow one another after one space.
    for (;;) {
      SEPARATOR.lastIndex = position;
      const afterSeparator = SEPARATOR.test(text) ? SEPARATOR.lastIndex : position;
      CHUNK.lastIndex = body === '' ? position : afterSeparator;
      let chunk = CHUNK.exec(text);
      if (chunk === null && body === '') {
        CHUNK.lastIndex = afterSeparator;
        chunk = CHUNK.exec(text);
      }
      if (chunk === null) break;
      body += chunk[0].toUpperCase();
      if (body.length > MAX_CREDITOR_REFERENCE_BODY_LENGTH) break;
      readings.push(`RF${check}${body}`);
      position = CHUNK.lastIndex;
    }
    for (const reading of readings.reverse()) {
      if (isValidElectronic(reading) && !seen.has(reading)) {
        seen.add(reading);
        found.push(reading);
      }
    }
  }
  return found;
}
