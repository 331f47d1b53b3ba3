/**
 * Formatting shared by the invoice PDF and the UBL e-invoice. Everything here is string arithmetic on integers:
 * an invoice prints the exact minor units the domain computed, so no float may ever touch an amount or a rate.
 */
import { minorToDecimalString, ppmToPercentString } from '#domain/money';
import type { TaxCategory } from '#domain/invoice';

export { minorToDecimalString, ppmToPercentString } from '#domain/money';
export { formatAmountIn, formatDateIn, formatMoneyIn, percentIn, type DocumentLanguage } from '#domain/locale';




/** `1234567` → `1,234,567`: thousands grouping for people, applied to a string of digits. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * Minor units for a person reading the PDF: grouped thousands and the currency's exponent, without the code
 * (tables print the code once in a caption): `(123456, 'EUR')` → `1,234.56`, `(1500000, 'JPY')` → `1,500,000`.
 */
export function formatAmount(minor: number, currency: string): string {
  const [, sign = '', whole = '', fraction] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(minorToDecimalString(minor, currency)) ?? [];
  return `${sign}${groupThousands(whole)}${fraction ? `.${fraction}` : ''}`;
}

/** An amount with its code, for the totals and the payment box: `EUR 1,234.56`, `KWD 12.345`. */
export function formatMoney(minor: number, currency: string): string {
  return `${currency} ${formatAmount(minor, currency)}`;
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
