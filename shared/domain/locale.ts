/**
 * How amounts, dates and rates read in the language a customer is written to (reminders, statements): exact
 * strings from integer minor units, never floats. Pure, so the use cases that fill the dunning templates and the
 * documents that print them share one definition.
 */
import { assertSafeInteger, minorToDecimalString, minorUnitDigits, ppmToPercentString } from './money.ts';

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
