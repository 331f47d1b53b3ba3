/**
 * Formatting shared by the invoice PDF and the UBL e-invoice. Everything here is string arithmetic on integers:
 * an invoice prints the exact minor units the domain computed, so no float may ever touch an amount or a rate.
 */
import { minorUnitDigits } from '#domain/money';
import type { TaxCategory } from '#domain/invoice';

function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/** Places a decimal point `digits` places from the right of an integer's digits: (-5, 3) → `-0.005`. */
function scaledIntegerToDecimal(value: number, digits: number): { sign: string; whole: string; fraction: string } {
  const text = Math.abs(value).toString().padStart(digits + 1, '0');
  return {
    sign: value < 0 ? '-' : '',
    whole: digits === 0 ? text : text.slice(0, -digits),
    fraction: digits === 0 ? '' : text.slice(-digits),
  };
}

/**
 * Minor units as the plain decimal string UBL amounts need, with exactly the currency's ISO 4217 exponent:
 * `(1999, 'EUR')` → `19.99`, `(1500, 'JPY')` → `1500`, `(12345, 'KWD')` → `12.345`, `(-5, 'EUR')` → `-0.05`.
 * No grouping, no currency code: a receiving system must parse it back to the same minor units.
 */
export function minorToDecimalString(minor: number, currency: string): string {
  assertSafeInteger(minor, 'amount');
  const { sign, whole, fraction } = scaledIntegerToDecimal(minor, minorUnitDigits(currency));
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** `1234567` → `1,234,567`: thousands grouping for people, applied to a string of digits. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * Minor units for a person reading the PDF: grouped thousands and the currency's exponent, without the code
 * (tables print the code once in a caption): `(123456, 'EUR')` → `1,234.56`, `(1500000, 'JPY')` → `1,500,000`.
 */
export function formatAmount(minor: number, currency: string): string {
  assertSafeInteger(minor, 'amount');
  const { sign, whole, fraction } = scaledIntegerToDecimal(minor, minorUnitDigits(currency));
  return `${sign}${groupThousands(whole)}${fraction ? `.${fraction}` : ''}`;
}

/** An amount with its code, for the totals and the payment box: `EUR 1,234.56`, `KWD 12.345`. */
export function formatMoney(minor: number, currency: string): string {
  return `${currency} ${formatAmount(minor, currency)}`;
}

/**
 * A rate in parts per million as the shortest exact percent string, as UBL `cbc:Percent` and the PDF show it:
 * 190 000 → `19`, 70 000 → `7`, 77 000 → `7.7`, 88 750 → `8.875`, 0 → `0`, 5 → `0.0005`.
 */
export function ppmToPercentString(ppm: number): string {
  assertSafeInteger(ppm, 'rate');
  const { sign, whole, fraction } = scaledIntegerToDecimal(ppm, 4);
  const significant = fraction.replace(/0+$/, '');
  return `${sign}${whole}${significant ? `.${significant}` : ''}`;
}

/**
 * Quantities are counts in our orders, but a fractional one (hours, kilograms) must still print without exponent
 * notation or float noise: `3` → `3`, `0.5` → `0.5`. Refuses what it cannot print exactly.
 */
export function formatQuantity(quantity: number): string {
  if (!Number.isFinite(quantity)) throw new RangeError(`quantity ${quantity} is not a number`);
  const text = String(quantity);
  if (/e/i.test(text)) throw new RangeError(`quantity ${text} cannot be printed as a plain decimal`);
  return text;
}

/**
 * IBANs and ISO 11649 creditor references are printed in groups of four, as both standards recommend for
 * people copying them into a banking app: `DE89370400440532013000` → `DE89 3704 0044 0532 0130 00`.
 * Machines get the compact form ({@link compactIdentifier}).
 */
export function groupInFours(identifier: string): string {
  return compactIdentifier(identifier).replace(/(.{4})(?=.)/g, '$1 ');
}

/** An IBAN, BIC or RF reference without spaces and in capitals, as electronic formats carry it. */
export function compactIdentifier(identifier: string): string {
  return identifier.replace(/\s+/g, '').toUpperCase();
}

/** What a UNCL 5305 category is called on a document for people. */
export const taxCategoryLabels: Readonly<Record<TaxCategory, string>> = {
  S: 'VAT',
  Z: 'Zero-rated',
  E: 'Exempt',
  AE: 'Reverse charge',
  O: 'Not subject to VAT',
};

/**
 * The exemption reason EN 16931 requires with categories E, AE and O (BR-E-10, BR-AE-10, BR-O-10), as the
 * VATEX code where one fits every case and always as text. Z and S need none.
 */
export function taxExemption(category: TaxCategory): { code?: string; reason: string } | undefined {
  switch (category) {
    case 'AE':
      return { code: 'VATEX-EU-AE', reason: 'Reverse charge: VAT to be accounted for by the buyer' };
    case 'O':
      return { code: 'VATEX-EU-O', reason: 'Not subject to VAT' };
    case 'E':
      return { reason: 'Exempt from VAT' };
    default:
      return undefined;
  }
}

/** The tax label of a category and rate, as the PDF's line table and tax summary print it: `VAT 19 %`. */
export function taxLabel(category: TaxCategory, ratePpm: number): string {
  return category === 'O' ? taxCategoryLabels.O : `${taxCategoryLabels[category]} ${ppmToPercentString(ratePpm)} %`;
}

/** The languages customers are written to in (reminders, statements); the customer's country picks one. */
export type DocumentLanguage = 'en' | 'de';

const LOCALES: Readonly<Record<DocumentLanguage, string>> = { en: 'en-GB', de: 'de-DE' };

/**
 * Renders an exact decimal string with Intl in the language's conventions, never a float: Intl gets the string
 * (`"1234.56"`, which it formats digit for digit) and exactly the currency's number of decimals, and the digits of
 * what comes back are checked against the minor units, so no rounding can hide in the rendering. Non-breaking
 * spaces become plain ones, so the text is the same in an email, a PDF and a test.
 */
function intlAmount(minor: number, currency: string, language: DocumentLanguage, style: 'currency' | 'decimal'): string {
  assertSafeInteger(minor, 'amount');
  const digits = minorUnitDigits(currency);
  const options: Intl.NumberFormatOptions = { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true };
  if (style === 'currency') Object.assign(options, { style: 'currency', currency, currencyDisplay: language === 'en' ? 'code' : 'symbol' });
  const format = new Intl.NumberFormat(LOCALES[language], options).format as (value: string) => string;
  const text = format(minorToDecimalString(minor, currency)).replace(/[\u00a0\u202f]/g, ' ');
  const expectedDigits = Math.abs(minor).toString().padStart(digits + 1, '0').replace(/^0+(?=\d)/, '');
  if (text.replace(/\D/g, '').replace(/^0+(?=\d)/, '') !== expectedDigits) throw new RangeError(`formatting ${minor} ${currency} gave ${text}`);
  return text;
}

/**
 * An amount with its currency for a person reading `language`: de `1.234,56 €`, `17.080 ¥`, `12,345 KWD`;
 * en `EUR 1,234.56` (the ISO code rather than a symbol: a statement may list several currencies, and `$` is not one).
 */
export function formatMoneyIn(minor: number, currency: string, language: DocumentLanguage): string {
  return intlAmount(minor, currency, language, 'currency');
}

/** An amount without currency, for table cells whose caption names it: de `1.234,56`, en `1,234.56`. */
export function formatAmountIn(minor: number, currency: string, language: DocumentLanguage): string {
  return intlAmount(minor, currency, language, 'decimal');
}

const ENGLISH_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An ISO date for a person: de `24.12.2026`, en `24 Dec 2026`. String work only: no time zone can shift the day. */
export function formatDateIn(isoDate: string, language: DocumentLanguage): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = match ? ENGLISH_MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month || Number(match[3]) < 1 || Number(match[3]) > 31) throw new RangeError(`${isoDate} is not an ISO date`);
  const [, year, monthDigits, day] = match;
  return language === 'de' ? `${day}.${monthDigits}.${year}` : `${Number(day)} ${month} ${year}`;
}

/** A rate in parts per million as a percent in `language`'s decimal mark: de `2,5`, en `2.5`. */
export function percentIn(ppm: number, language: DocumentLanguage): string {
  const text = ppmToPercentString(ppm);
  return language === 'de' ? text.replace('.', ',') : text;
}
