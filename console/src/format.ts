import { formatMinor, minorToDecimalString } from '#domain/money';

/** Minor units for people (`1999`, `EUR` → `19.99 EUR`), exact: string arithmetic on the ISO 4217 exponent. */
export const money = (amountMinor: number | null | undefined, currency: string | null | undefined) => (amountMinor === null || amountMinor === undefined || !currency ? '—' : formatMinor(amountMinor, currency));

export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');

/** How long ago, in whole days, from the business date the API reports (not the browser's clock). */
export const daysSince = (iso: string | null | undefined, today: string) => (iso ? Math.max(0, Math.round((Date.parse(today) - Date.parse(iso.slice(0, 10))) / 86_400_000)) : null);

/** A chart's axis value in whole units (display only: every figure shown as text stays exact). */
export const chartValue = (amountMinor: number, currency: string) => Number(minorToDecimalString(amountMinor, currency));
