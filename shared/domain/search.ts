import { foldToAscii } from './remittance.ts';

/**
 * The forms people search in: a document number or reference as its letters and digits only (`INV-2026-000123`,
 * `inv 2026 000123` and `RF18…` bodies meet there), and a name as lower-case words without accents or punctuation
 * (`Müller & Söhne` → `mueller soehne`), so a prefix finds it however it was typed.
 */
export const numberKey = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function nameKey(name: string): string {
  return foldToAscii(name).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** The number inside an ISO 11649 creditor reference (`RF18 5390 0754 7034` → `539007547034`), else the text's number key. */
export function referenceBody(text: string): string {
  const key = numberKey(text);
  return /^RF\d\d[A-Z0-9]+$/.test(key) ? key.slice(4) : key;
}
