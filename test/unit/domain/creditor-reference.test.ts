import { describe, expect, it } from 'vitest';
import {
  MAX_CREDITOR_REFERENCE_BODY_LENGTH,
  creditorReferenceFor,
  findCreditorReferences,
  formatCreditorReferenceForPrint,
  isValidCreditorReference,
  normalizeCreditorReference,
} from '#domain/creditor-reference';

/*
 * Published vectors, not values computed by the code under test:
 * - RF18 5390 0754 7034 / RF18539007547034, RF18 5390 0754 70Y (valid: Y = 34), RF17… invalid: python-stdnum
 *   `stdnum.iso11649` docs (the example of the EPC's and ISO's own explanatory material); RF18000000000539007547034 (maximum length): Odoo's structured
 *   reference tests and Apache Commons Validator's RFCreditorReferenceCheckDigitTest.
 * - RF49N73GBST73AKL38ZX, RF08 B370 0321, RF19N8BG33KQ9HSS7BG, RF66qs9H7NJ4fvs99SPO, RF040, RF15 093,
 *   RF41 BD93 DJ3Q GGD9 JI22 D, RF91B334BOPQE39D902DC, RF097 and the invalid RF04, RF0CNHF, RF0072, RF0154, RF991X,
 *   RF20.0000.3: manuelbl/SwissQRBill ISO11649Test (Swiss QR-bill generator).
 * - RF45G72UUR, RF6518K5, RF35WOLFGANG, RF2290897867TREKKERTJE, RF794723M108 (made from 4723M108),
 *   RF48XNO3G76VUE05CW1CC0FWK, RF42U0SR08RDVSXQEAUQCQJ0R and the invalid RF214377, RF35C4: jEPC SepaUtilsTest.
 * - RF712348231, RF471234567890: the Elixir creditor_reference ISO11649 tests; RF45ABC: Apache Commons Validator.
 */

describe('ISO 11649 validation against published references', () => {
  it.each([
    'RF18539007547034',
    'RF18 5390 0754 7034',
    'RF18 5390 0754 70Y',
    'RF18000000000539007547034',
    'RF49N73GBST73AKL38ZX',
    'RF08 B370 0321',
    ' RF19N8BG33KQ9HSS7BG ',
    'RF66qs9H7NJ4fvs99SPO',
    'RF040',
    'RF45G72UUR',
    'RF6518K5',
    'RF35WOLFGANG',
    'RF2290897867TREKKERTJE',
    'RF794723M108',
    'RF48XNO3G76VUE05CW1CC0FWK',
    'RF42U0SR08RDVSXQEAUQCQJ0R',
    'RF712348231',
    'RF71 2348 231',
    'RF471234567890',
    'RF45ABC',
    'RF91B334BOPQE39D902DC',
    'RF097',
  ])('given the published reference "%s", when validated, then it is valid', (reference) => {
    expect(isValidCreditorReference(reference)).toBe(true);
  });

  it.each([
    ['RF17539007547034', 'wrong check digits (python-stdnum)'],
    ['RF48539007547034', 'wrong check digits'],
    ['RF214377', 'wrong check digits (jEPC)'],
    ['RF35C4', 'wrong check digits (jEPC)'],
    ['Rv45G72UUR', 'not RF'],
    ['RF04', 'no body'],
    ['RF 04', 'no body, with a space'],
    ['RF0CNHF', 'a letter among the check digits'],
    ['RFA8FN3DD938494', 'a letter among the check digits'],
    ['RF20.0000.3', 'dots are not forgiven'],
    ['RF28000000000539007547034X', 'a 22-character body'],
    ['RF04GHJ74CV9B4DFH99RXPLMMQ43JKL0', 'far too long'],
    ['DK5750510001322617', 'an IBAN, not a reference'],
    ['18539007547034RF', 'RF at the wrong end'],
    ['RF18539007547034-OTHER-RANDOM-STUFF', 'trailing text'],
    ['', 'nothing'],
  ])('given "%s" (%s), when validated, then it is refused', (text) => {
    expect(isValidCreditorReference(text)).toBe(false);
    expect(normalizeCreditorReference(text)).toBeUndefined();
  });

  it.each([
    ['RF0072', 'RF9772'],
    ['RF9936', 'RF0236'],
    ['RF01INV2026000123', 'RF98INV2026000123'],
  ])('given %s, whose sum is ≡ 1 mod 97 like %s but whose check digits MOD 97-10 never produces, when validated, then it is refused', (impossible, real) => {
    expect(isValidCreditorReference(real)).toBe(true);
    expect(isValidCreditorReference(impossible)).toBe(false);
  });

  /** Every reference made by replacing one character at `index` with another of the same kind (digit or letter). */
  function sameKindTypos(reference: string): string[] {
    const typos: string[] = [];
    for (let index = 4; index < reference.length; index += 1) {
      const original = reference[index] ?? '';
      const alphabet = /\d/.test(original) ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      for (const replacement of alphabet) {
        if (replacement !== original) typos.push(reference.slice(0, index) + replacement + reference.slice(index + 1));
      }
    }
    for (let index = 2; index < 4; index += 1) {
      for (const replacement of '0123456789') {
        if (replacement !== reference[index]) typos.push(reference.slice(0, index) + replacement + reference.slice(index + 1));
      }
    }
    return typos;
  }

  it.each([['RF18539007547034'], ['RF49N73GBST73AKL38ZX'], ['RF98INV2026000123']])(
    'given %s, when any one character is mistyped as another digit (or letter for a letter), then the reference fails',
    (reference) => {
      const typos = sameKindTypos(reference);
      expect(typos.length).toBeGreaterThan(100);
      for (const typo of typos) expect(isValidCreditorReference(typo), typo).toBe(false);
    },
  );

  it('given a digit mistyped as a letter, when validated, then MOD 97-10 may not notice, because a letter stands for two digits', () => {
    // The published RF18 5390 0754 70Y shows it: Y = 34. Same-kind typos are always caught; cross-kind ones are
    // caught 96 times in 97, which is why cash application matches references against open invoices, not alone.
    expect(isValidCreditorReference('RF18539007547034')).toBe(true);
    expect(isValidCreditorReference('RF185390075470Y')).toBe(true);
    expect(isValidCreditorReference('RF18539007547035')).toBe(false);
  });

  it('given a valid reference with two adjacent characters swapped, when validated, then it fails', () => {
    expect(isValidCreditorReference('RF18593007547034')).toBe(false);
    expect(isValidCreditorReference('RF81539007547034')).toBe(false);
  });
});

describe('normalising and printing', () => {
  it.each([
    ['rf18 5390 0754 7034', 'RF18539007547034'],
    ['  RF18\u00a05390\t0754 7034 ', 'RF18539007547034'],
    ['RF 44 alll ower case', 'RF44ALLLOWERCASE'],
    ['RF45abc', 'RF45ABC'],
  ])('given "%s" as typed, when normalised, then the electronic form is %s', (typed, electronic) => {
    expect(normalizeCreditorReference(typed)).toBe(electronic);
  });

  it.each([
    ['RF18539007547034', 'RF18 5390 0754 7034'],
    ['RF18000000000539007547034', 'RF18 0000 0000 0539 0075 4703 4'],
    ['RF15093', 'RF15 093'],
    ['RF41BD93DJ3QGGD9JI22D', 'RF41 BD93 DJ3Q GGD9 JI22 D'],
    ['rf08 b370 0321', 'RF08 B370 0321'],
  ])('given %s, when formatted for print, then it reads "%s"', (reference, printed) => {
    expect(formatCreditorReferenceForPrint(reference)).toBe(printed);
  });

  it('given an invalid reference, when formatted for print, then it is refused', () => {
    expect(() => formatCreditorReferenceForPrint('RF17539007547034')).toThrow(RangeError);
  });
});

describe('creditor references for invoice numbers', () => {
  it.each([
    ['539007547034', 'RF18539007547034'],
    ['5390 0754 7034', 'RF18539007547034'],
    ['000000000539007547034', 'RF18000000000539007547034'],
    ['4723M108', 'RF794723M108'],
    ['B334BOPQE39D902DC', 'RF91B334BOPQE39D902DC'],
    ['AB2G5 9X56 V543', 'RF19AB2G59X56V543'],
    ['7', 'RF097'],
  ])('given the published body "%s", when a reference is made, then it is %s', (body, reference) => {
    expect(creditorReferenceFor(body)).toBe(reference);
  });

  it('given an invoice number, when a reference is made, then its body is the number without separators', () => {
    const reference = creditorReferenceFor('INV-2026-000123');
    expect(reference).toMatch(/^RF\d{2}INV2026000123$/);
    expect(reference).toBe('RF98INV2026000123');
    expect(creditorReferenceFor('inv-2026-000123')).toBe(reference);
    expect(creditorReferenceFor('CN-2026-000007')).toBe('RF05CN2026000007');
  });

  it('given many invoice and credit-note numbers, when references are made, then each validates, round-trips, is found again and differs', () => {
    const seen = new Set<string>();
    const failures: string[] = [];
    for (const series of ['INV', 'CN']) {
      for (const year of [2026, 2027]) {
        for (let sequence = 1; sequence <= 2500; sequence += 1) {
          const number = `${series}-${year}-${String(sequence).padStart(6, '0')}`;
          const reference = creditorReferenceFor(number);
          const printed = formatCreditorReferenceForPrint(reference);
          const ok =
            reference.endsWith(number.replaceAll('-', '')) &&
            isValidCreditorReference(reference) &&
            normalizeCreditorReference(printed) === reference &&
            findCreditorReferences(`Payment ${printed.toLowerCase()} thanks`).includes(reference);
          if (!ok) failures.push(number);
          seen.add(reference);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(seen.size).toBe(2 * 2 * 2500);
  });

  it('given a number of exactly 21 characters after cleaning, when a reference is made, then it is 25 characters and valid', () => {
    const number = 'INV-2026-ABCDEFGHIJ1234';
    const reference = creditorReferenceFor(number);
    expect(reference).toHaveLength(4 + MAX_CREDITOR_REFERENCE_BODY_LENGTH);
    expect(isValidCreditorReference(reference)).toBe(true);
  });

  it.each([['INV-2026-ABCDEFGHIJ12345'], ['---'], [''], ['Ä-Ö-Ü']])('given "%s", whose body would be empty or over 21 characters, when a reference is made, then it is refused rather than truncated', (number) => {
    expect(() => creditorReferenceFor(number)).toThrow(RangeError);
  });
});

describe('finding references in remittance text', () => {
  it.each([
    ['/RFB/RF18539007547034', ['RF18539007547034']],
    ['Zahlung RF18 5390 0754 7034 danke', ['RF18539007547034']],
    ['zahlung rf18 5390 0754 7034', ['RF18539007547034']],
    ['RF18539007547034', ['RF18539007547034']],
    ['EREF+NOTPROVIDED SVWZ+RF18 5390 0754 7034', ['RF18539007547034']],
    ['?20RF18539007547034?21DANKE', ['RF18539007547034']],
    ['Inv RF 18 5390 0754 7034.', ['RF18539007547034']],
    ['Two invoices: RF18539007547034, RF49N73GBST73AKL38ZX', ['RF18539007547034', 'RF49N73GBST73AKL38ZX']],
    ['RF18000000000539007547034 and again RF18 0000 0000 0539 0075 4703 4', ['RF18000000000539007547034']],
  ])('given "%s", when searched, then %j is found', (text, expected) => {
    expect(findCreditorReferences(text)).toEqual(expected);
  });

  it.each([
    ['RF17539007547034', 'wrong check digits'],
    ['Zahlung RF17 5390 0754 7034 danke', 'wrong check digits, grouped'],
    ['RF18539007547035', 'a one-character typo'],
    ['RF18539007547034X', 'glued to a further letter: the word does not end there'],
    ['XRF18539007547034', 'glued to a preceding letter'],
    ['INVOICE 2026-000123 REFERENCE 18', 'no RF at all'],
    ['', 'empty text'],
  ])('given "%s" (%s), when searched, then nothing is found', (text) => {
    expect(findCreditorReferences(text)).toEqual([]);
  });

  it('given a grouped reference followed by a word that also reads as a valid longer reference, when searched, then both readings are returned, longest first', () => {
    // Find a four-letter word W such that RF18 5390 0754 7034 W is itself valid (about one in 97 are).
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let word: string | undefined;
    for (const a of letters) {
      for (const b of letters) {
        const candidate = `DA${a}${b}`;
        if (word === undefined && isValidCreditorReference(`RF18539007547034${candidate}`)) word = candidate;
      }
    }
    expect(word).toBeDefined();
    expect(findCreditorReferences(`Zahlung RF18 5390 0754 7034 ${word}`)).toEqual([`RF18539007547034${word}`, 'RF18539007547034']);
  });

  it('given a long line with many RF-looking fragments, when searched, then only check-digit-valid ones come back', () => {
    const text = 'RF00 RF01X RF99ZZ /RFB/RF18539007547034 RF12 RF45ABC rf45abc RF9772 RF0072';
    expect(findCreditorReferences(text)).toEqual(['RF18539007547034', 'RF45ABC', 'RF9772']);
  });
});
