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
}

const CONTINUATION_WIDTH = 60;

export function bai2(input: { account: string; currency: string; openingMinor: number; date: string; entries: Bai2Entry[] }): string {
  const yymmdd = input.date.slice(2).replace(/-/g, '');
  const closing = input.openingMinor + input.entries.reduce((sum, entry) => sum + entry.amountMinor, 0);
  const account: string[] = [`03,${input.account},${input.currency},010,${input.openingMinor},,,015,${closing},,/`];
  for (const entry of input.entries) {
    const type = entry.typeCode ?? (entry.amountMinor >= 0 ? '142' : '475');
    const [first = '', ...rest] = chunks(entry.text);
    account.push(`16,${type},${Math.abs(entry.amountMinor)},0,${entry.bankReference},${entry.customerReference ?? ''},${first}`);
    for (const piece of rest) account.push(`88,${piece}`);
  }
  const accountTotal = input.openingMinor + closing + input.entries.reduce((sum, entry) => sum + Math.abs(entry.amountMinor), 0);
  account.push(`49,${accountTotal},${account.length + 1}/`);
  const group = [`02,O2CSELLER,021000021,1,${yymmdd},2359,${input.currency},2/`, ...account, `98,${accountTotal},1,${account.length + 2}/`];
  return [`01,021000021,O2CSELLER,${yymmdd},0600,1,80,,2/`, ...group, `99,${accountTotal},1,${group.length + 2}/`, ''].join('\n');
}

function chunks(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += CONTINUATION_WIDTH) pieces.push(text.slice(start, start + CONTINUATION_WIDTH));
  return pieces.length > 0 ? pieces : [''];
}
