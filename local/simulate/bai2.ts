/**
 * Writes BAI2 files for tests: one account with opening (010) and closing (015) ledger balances that add up, one
 * `16` record per entry with its text cut into `88` continuations as banks cut it, and trailers whose control totals
 * and record counts are right.
 */
export interface Bai2Entry {
  /** Positive: money in (type code 142, ACH credit, unless given). */
  amountMinor: number;
  bankReference: string;
  customerReference?: string;
  text: string;
  typeCode?: string;
  /**
   * The day the bank booked it, when not the file's `date`. BAI2 books every entry of a group on the group's as-of
   * date, so entries of other days go into a group (and an account record) of their own, oldest first: that is how
   * a file overlapping yesterday's repeats yesterday's entries on their own day.
   */
  bookingDate?: string;
}

const CONTINUATION_WIDTH = 60;

export function bai2(input: { account: string; currency: string; openingMinor: number; date: string; entries: Bai2Entry[] }): string {
  const yymmdd = (date: string) => date.slice(2).replace(/-/g, '');
  const days = [...new Set(input.entries.map((entry) => entry.bookingDate ?? input.date))].sort();
  if (days.length === 0) days.push(input.date);
  const groups: string[][] = [];
  let opening = input.openingMinor;
  let fileTotal = 0;
  for (const day of days) {
    const entries = input.entries.filter((entry) => (entry.bookingDate ?? input.date) === day);
    const closing = opening + entries.reduce((sum, entry) => sum + entry.amountMinor, 0);
    const account: string[] = [`03,${input.account},${input.currency},010,${opening},,,015,${closing},,/`];
    for (const entry of entries) {
      const type = entry.typeCode ?? (entry.amountMinor >= 0 ? '142' : '475');
      const [first = '', ...rest] = chunks(entry.text);
      account.push(`16,${type},${Math.abs(entry.amountMinor)},0,${entry.bankReference},${entry.customerReference ?? ''},${first}`);
      for (const piece of rest) account.push(`88,${piece}`);
    }
    const accountTotal = opening + closing + entries.reduce((sum, entry) => sum + Math.abs(entry.amountMinor), 0);
    account.push(`49,${accountTotal},${account.length + 1}/`);
    groups.push([`02,O2CSELLER,021000021,1,${yymmdd(day)},2359,${input.currency},2/`, ...account, `98,${accountTotal},1,${account.length + 2}/`]);
    fileTotal += accountTotal;
    opening = closing;
  }
  const records = groups.flat();
  return [`01,021000021,O2CSELLER,${yymmdd(input.date)},0600,1,80,,2/`, ...records, `99,${fileTotal},${groups.length},${records.length + 2}/`, ''].join('\n');
}

function chunks(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += CONTINUATION_WIDTH) pieces.push(text.slice(start, start + CONTINUATION_WIDTH));
  return pieces.length > 0 ? pieces : [''];
}
