import { isCurrency, minorToDecimalString } from './money.ts';

/**
 * Any list as CSV, one header row: the rows' scalar fields in the order they first appear (nested ones are left to
 * the JSON). A `…Minor` amount of a row with a `currency` becomes a decimal string in that currency's exponent, under
 * its name without `Minor` (`openMinor` 2379 EUR → `open` `23.79`). Text that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@` first) is quoted behind an apostrophe.
 */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const [key, value] of Object.entries(row)) if (isScalar(value) && !columns.includes(key)) columns.push(key);
  const header = columns.map((column) => (isMoneyColumn(column) ? column.slice(0, -'Minor'.length) : column));
  const lines = rows.map((row) => columns.map((column) => cell(row, column)).join(','));
  return `${[header.map(quote).join(','), ...lines].join('\r\n')}\r\n`;
}

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const isMoneyColumn = (column: string) => column.endsWith('Minor') && column.length > 'Minor'.length;

function cell(row: Record<string, unknown>, column: string): string {
  const value = row[column];
  if (value === undefined || value === null || !isScalar(value)) return '';
  const currency = typeof row.currency === 'string' && isCurrency(row.currency) ? row.currency : undefined;
  if (typeof value === 'number') return isMoneyColumn(column) && currency && Number.isSafeInteger(value) ? minorToDecimalString(value, currency) : String(value);
  if (typeof value === 'boolean') return String(value);
  const text = String(value);
  return quote(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
