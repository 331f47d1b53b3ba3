import { describe, expect, it } from 'vitest';
import { assertBalanced, type BankEntry, type ParsedBankFile } from '#domain/bank-statement';
import { creditorReferenceFor, findCreditorReferences, formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import { paymentIdFor } from '#domain/payment';
import { invoiceNumberKeys, numberTokens } from '#domain/remittance';
import { bankFileReader } from '#shared/bank/read-bank-file';
import { detectBankFileFormat, parseBankFile } from '#shared/bank/parse';
import { parseMt940Details } from '#shared/bank/mt940';
import { bankFee, closingOf, kindOf, overlappingStatement, returnedPayment, type StatementEntry, type StatementInput } from '../../../../local/simulate/bank-entries.ts';
import { BANK_FILE_CAPABILITIES, BANK_FILE_FORMATS, statementFile, type BankFileFormat } from '../../../../local/simulate/bank-files.ts';
import { germanIban } from '../../../../local/simulate/camt053.ts';
import { csvStatement, simulatorCsvProfile } from '../../../../local/simulate/csv-statement.ts';
import { mt940 } from '../../../../local/simulate/mt940.ts';
import { SeededRandom } from '../../../../local/simulate/random.ts';

const ACCOUNT = germanIban(9_000_001);
const NAMES = ['Alpen Berg GmbH', 'Donau Elbe AG', 'Fjord Hafen Isar Kiel Lahn Main Neckar KG', 'Müller & Söhne e.K.', 'O\'Neil, Smith "Trading" Ltd'];

interface Expected extends StatementEntry {
  /** What the remittance must name so O2C can match it. */
  creditorReference?: string | undefined;
  invoiceNumbers?: string[] | undefined;
}

function randomPayment(random: SeededRandom, day: string, n: number): Expected {
  const account = germanIban(4_000_000 + random.int(0, 999));
  const invoiceNumbers = Array.from({ length: random.pick([1, 1, 2, 6]) }, () => `INV-2026-${String(random.int(1, 999_999)).padStart(6, '0')}`);
  const byReference = random.chance(0.5);
  const creditorReference = byReference ? creditorReferenceFor(invoiceNumbers[0]!) : undefined;
  const reference = creditorReference ? random.pick([creditorReference, formatCreditorReferenceForPrint(creditorReference)]) : undefined;
  return {
    amountMinor: random.pick([1, 99, 100, random.int(1, 99_999_999)]),
    bankReference: `SIM${day.replace(/-/g, '')}${String(n).padStart(4, '0')}-${random.int(1, 90)}`,
    bookingDate: day,
    ...(random.chance(0.3) ? { valueDate: day } : {}),
    ...(random.chance(0.8) ? { endToEndId: `E2E-${day.replace(/-/g, '')}-${n}-${random.int(1, 99_999)}` } : {}),
    remittance: reference ?? `Invoices ${invoiceNumbers.join(' ')} thank you`,
    payerName: random.pick(NAMES),
    payerAccount: account,
    creditorReference,
    invoiceNumbers: creditorReference ? undefined : invoiceNumbers,
  };
}

/** A day's entries: payments, now and then a bank fee and the return of an earlier payment. */
function randomDay(random: SeededRandom, day: string, earlier: Expected[]): Expected[] {
  const entries: Expected[] = Array.from({ length: random.int(1, 6) }, (_, index) => randomPayment(random, day, index + 1));
  if (random.chance(0.5)) entries.push(bankFee({ amountMinor: random.pick([35, 250, 1_190]), bankReference: `FEE${day.replace(/-/g, '')}`, bookingDate: day }));
  const returnable = earlier.filter((entry) => kindOf(entry) === 'payment');
  if (returnable.length > 0 && random.chance(0.6)) {
    const original = random.pick(returnable);
    entries.push(returnedPayment(original, { bankReference: `RTN${day.replace(/-/g, '')}${random.int(100, 999)}`, bookingDate: day, reason: random.pick(['AC04', 'MD07', 'AM04']) }));
  }
  return entries;
}

function parse(format: BankFileFormat, content: string): ParsedBankFile {
  return parseBankFile(content, format, format === 'csv' ? { csvProfile: simulatorCsvProfile(ACCOUNT, 'EUR') } : {});
}

/** The entry as O2C reads it back, checked against what was written, within what the format carries. */
function expectEntry(format: BankFileFormat, parsed: BankEntry, written: Expected) {
  const capable = BANK_FILE_CAPABILITIES[format];
  const context = `${format} ${written.bankReference}`;
  expect({ amountMinor: parsed.amountMinor, bookingDate: parsed.bookingDate, bankReference: parsed.bankReference, account: parsed.account, currency: parsed.currency }, context).toEqual({
    amountMinor: written.amountMinor,
    bookingDate: written.bookingDate,
    bankReference: written.bankReference,
    account: ACCOUNT,
    currency: 'EUR',
  });
  if (format !== 'bai2') expect(parsed.valueDate, context).toBe(written.valueDate ?? written.bookingDate);
  if (written.creditorReference) expect(findCreditorReferences([...parsed.references, parsed.remittance].join('\n')), context).toContain(written.creditorReference);
  for (const number of written.invoiceNumbers ?? []) expect(numberTokens(parsed.remittance), `${context} names ${number}`).toContain(invoiceNumberKeys(number).full);
  // MT940 keeps the raw :86: (subfield codes and all), whose SEPA text gives back the remittance exactly; BAI2 cuts
  // text into 88 continuations that are joined with a space, so there only the characters are compared.
  if (written.remittance && format === 'mt940') expect(parseMt940Details(parsed.remittance).remittanceLines, context).toContain(`SVWZ+${written.remittance}`);
  else if (written.remittance && format === 'bai2') expect(parsed.remittance.replace(/\s+/g, ''), context).toContain(written.remittance.replace(/\s+/g, ''));
  else if (written.remittance) expect(parsed.remittance, context).toContain(written.remittance);
  if (capable.payer) {
    expect(parsed.counterparty.account, context).toBe(written.payerAccount);
    expect(parsed.counterparty.name, context).toBe(written.payerName);
  }
  if (written.endToEndId && format !== 'bai2') expect(parsed.endToEndId, context).toBe(written.endToEndId);
  if (written.endToEndId && format === 'bai2') expect(parsed.references, context).toContain(written.endToEndId);
  // O2C treats a debit as a return when it is a reversal or names a return reason (receive-bank-file.ts, cash-matching.ts).
  const readAsReturn = parsed.amountMinor < 0 && (parsed.reversal || parsed.returnReason !== undefined);
  expect(readAsReturn, context).toBe(capable.returns && kindOf(written) === 'return');
  if (capable.returnReason && kindOf(written) === 'return') expect(parsed.returnReason, context).toBe(written.returnReason);
}

describe.each(BANK_FILE_FORMATS)('%s statements the simulator drops', (format) => {
  it('given seeded random days of payments, fees and returns, when read by O2C\'s parser, then the same entries, balances that add up and the format recognised', () => {
    const random = new SeededRandom(format.length * 7919);
    const history: Expected[] = [];
    let opening = random.int(0, 50_000_000);
    for (let day = 1; day <= 40; day++) {
      const date = `2026-11-${String((day % 28) + 1).padStart(2, '0')}`;
      const entries = randomDay(random, date, history);
      history.push(...entries);
      const statement: StatementInput = { statementId: `SIM-${date}-${day}`, account: ACCOUNT, currency: 'EUR', openingMinor: opening, date, sequence: day, entries };
      const file = statementFile(format, statement);
      expect(detectBankFileFormat(file.content)).toBe(format);

      const parsed = parse(format, file.content);
      expect(parsed.format).toBe(format);
      expect(() => assertBalanced(parsed)).not.toThrow();
      const read = parsed.statements.flatMap((found) => found.entries);
      expect(read).toHaveLength(entries.length);
      read.forEach((entry, index) => expectEntry(format, entry, entries[index]!));
      expect(parsed.statements[0]?.openingMinor).toBe(opening);
      expect(parsed.statements.at(-1)?.closingMinor).toBe(closingOf(statement));
      opening = closingOf(statement);
    }
  });

  it('given a statement that overlaps yesterday\'s, when read, then yesterday\'s entries come back with the same payment ids (O2C records them once) and the balances still add up', () => {
    const random = new SeededRandom(42);
    const yesterday: StatementInput = { statementId: 'SIM-2026-11-23-1', account: ACCOUNT, currency: 'EUR', openingMinor: 1_000_00, date: '2026-11-23', sequence: 1, entries: randomDay(random, '2026-11-23', []) };
    const todays = randomDay(random, '2026-11-24', yesterday.entries);
    const today = overlappingStatement(yesterday, { statementId: 'SIM-2026-11-24-2', date: '2026-11-24', entries: todays });
    expect(today).toMatchObject({ openingMinor: 1_000_00, sequence: 2 });

    const first = parse(format, statementFile(format, yesterday).content);
    const second = parse(format, statementFile(format, today).content);
    expect(() => assertBalanced(second)).not.toThrow();
    const ids = (parsed: ParsedBankFile) => parsed.statements.flatMap((statement) => statement.entries.map(paymentIdFor));
    expect(ids(second).slice(0, yesterday.entries.length)).toEqual(ids(first));
    expect(new Set(ids(second)).size).toBe(today.entries.length);
    second.statements.flatMap((statement) => statement.entries).forEach((entry, index) => expectEntry(format, entry, today.entries[index]!));
    expect(second.statements.at(-1)?.closingMinor).toBe(closingOf(today));
  });
});

describe('bank file details', () => {
  const payment: StatementEntry = { amountMinor: 7_136, bankReference: 'SIM202611230001-5', bookingDate: '2026-11-23', endToEndId: 'E2E-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123', remittance: 'RF18 5390 0754 7034', payerName: 'Alpen Berg GmbH', payerAccount: germanIban(4_000_007) };

  it('given an empty day, when written, then camt.053, MT940 and BAI2 are empty balanced statements and CSV refuses (O2C refuses a CSV without rows)', () => {
    const empty: StatementInput = { statementId: 'SIM-EMPTY', account: ACCOUNT, currency: 'EUR', openingMinor: -2_500, date: '2026-11-25', entries: [] };
    for (const format of BANK_FILE_FORMATS.filter((candidate) => BANK_FILE_CAPABILITIES[candidate].emptyStatement)) {
      const parsed = parse(format, statementFile(format, empty).content);
      expect(parsed.statements.map(({ openingMinor, closingMinor, balanced, entries }) => ({ openingMinor, closingMinor, balanced, entries: entries.length })), format).toEqual([{ openingMinor: -2_500, closingMinor: -2_500, balanced: true, entries: 0 }]);
    }
    expect(() => csvStatement(empty)).toThrow(/needs at least one row/);
  });

  it('given a payment, when written as MT940, then German :86: subfields O2C reads: EREF+ end-to-end id, SVWZ+ remittance, ?31 IBAN, ?32 name', () => {
    const text = mt940({ statementId: 'SIM-1', account: ACCOUNT, currency: 'EUR', openingMinor: 0, date: '2026-11-23', entries: [payment] });
    expect(text.split('\r\n')).toEqual([
      ':20:SIM-1',
      `:25:${ACCOUNT}`,
      ':28C:00001/001',
      ':60F:C261123EUR0,00',
      ':61:2611231123C71,36NTRFNONREF//SIM202611230001-5',
      ':86:166?00SEPA-GUTSCHRIFT',
      '?20EREF+E2E-ABCDEFGHIJKLMNOPQR',
      '?21STUVWXYZ-0123',
      '?22SVWZ+RF18 5390 0754 7034',
      `?31${payment.payerAccount}`,
      '?32Alpen Berg GmbH',
      ':62F:C261123EUR71,36',
      '-',
      '',
    ]);
    const [entry] = parse('mt940', text).statements[0]!.entries;
    expect(parseMt940Details(entry!.remittance)).toMatchObject({ format: 'german', gvc: '166', endToEndId: payment.endToEndId, remittanceLines: `EREF+${payment.endToEndId}SVWZ+RF18 5390 0754 7034` });
  });

  it('given a remittance longer than MT940\'s 14 subfields, when written, then refused rather than cut (an invoice number would be lost)', () => {
    const long = { ...payment, remittance: Array.from({ length: 30 }, (_, index) => `INV-2026-${String(index).padStart(6, '0')}`).join(' ') };
    expect(() => mt940({ statementId: 'SIM-1', account: ACCOUNT, currency: 'EUR', openingMinor: 0, date: '2026-11-23', entries: [long] })).toThrow(/at most 14 remittance subfields/);
  });

  it('given the CSV export, when O2C reads it through its bank-file reader with the saved profile, then the return is a reversal; with an inferred profile the payments read the same but the return is a plain debit', async () => {
    const returned = returnedPayment(payment, { bankReference: 'RTN-1', bookingDate: '2026-11-24', reason: 'AC04' });
    const statement: StatementInput = { statementId: 'SIM-CSV', account: ACCOUNT, currency: 'EUR', openingMinor: 0, date: '2026-11-24', entries: [payment, returned] };
    const file = statementFile('csv', statement);
    expect(file).toMatchObject({ name: 'statement-2026-11-24-1.csv', account: ACCOUNT });
    const key = `inbound/csv/${file.account}/2026-11-24/x-${file.name}`;
    const saved = await bankFileReader({ get: async () => simulatorCsvProfile(ACCOUNT, 'EUR') })(file.content, key);
    expect(saved.statements[0]!.entries.map((entry) => [entry.amountMinor, entry.reversal, entry.counterparty.account])).toEqual([
      [7_136, false, payment.payerAccount],
      [-7_136, true, payment.payerAccount],
    ]);
    const inferred = await bankFileReader({ get: async () => undefined })(file.content, key);
    expect(inferred.statements[0]!.entries.map((entry) => [entry.amountMinor, entry.reversal, entry.bankReference, entry.endToEndId])).toEqual([
      [7_136, false, 'SIM202611230001-5', payment.endToEndId],
      [-7_136, false, 'RTN-1', payment.endToEndId],
    ]);
  });

  it('given a bank fee and a return, when built, then a debit that is no return, and a debit naming the payment it undoes', () => {
    expect(bankFee({ amountMinor: 250, bankReference: 'FEE-1', bookingDate: '2026-11-30' })).toEqual({ amountMinor: -250, bankReference: 'FEE-1', bookingDate: '2026-11-30', remittance: 'Account maintenance fee', kind: 'fee' });
    expect(returnedPayment(payment, { bankReference: 'RTN-1', bookingDate: '2026-11-24', reason: 'AC04' })).toMatchObject({ amountMinor: -7_136, endToEndId: payment.endToEndId, payerAccount: payment.payerAccount, kind: 'return', returnReason: 'AC04' });
    expect(() => bankFee({ amountMinor: -1, bankReference: 'X', bookingDate: '2026-11-30' })).toThrow(RangeError);
  });
});
