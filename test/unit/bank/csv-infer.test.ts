import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BankFileError } from '#domain/bank-statement';
import { minorUnitDigits } from '#domain/money';
import { parseCsv } from '#shared/bank/csv';
import { CsvInferenceError, inferCsvProfile } from '#shared/bank/csv-infer';
import { CsvProfileSchema } from '#shared/bank/csv-profile';
import { parseBankFile } from '#shared/bank/parse';
import { bankFileReader } from '#shared/bank/read-bank-file';
import { Random } from '../../support/cash-ledger.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): string => readFileSync(join(repoRoot, 'test/fixtures/bank/csv', name), 'utf8');
const profileOf = (name: string): unknown => JSON.parse(fixture(name.replace(/\.csv$/, '.profile.json')));

function inferenceError(text: string, currency?: string): CsvInferenceError {
  try {
    inferCsvProfile(text, { account: 'DE89370400440532013000', currency });
  } catch (error) {
    if (error instanceof CsvInferenceError) return error;
    throw error;
  }
  throw new Error('expected the inference to be refused');
}

/** Signed minor units written as a bank would: `-1.234,56`, `1234.56`, `1,234` (KWD 1.234), `1234` (JPY). */
function writeAmount(minor: number, currency: string, decimal: '.' | ',', thousands: '.' | ',' | ' ' | undefined): string {
  const digits = minorUnitDigits(currency);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  let whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : text.slice(-digits);
  if (thousands) whole = whole.replace(/\B(?=(\d{3})+$)/g, thousands);
  return `${minor < 0 ? '-' : ''}${whole}${fraction ? `${decimal}${fraction}` : ''}`;
}

const pad = (value: number) => String(value).padStart(2, '0');

describe('inferCsvProfile', () => {
  describe('real exports without their profile', () => {
    it.each([
      ['autoynab-dkb-giro.csv', undefined],
      ['ofxdutch-ing_ok.csv', undefined],
      ['ofxlloyds-sample-statement.csv', 'GBP'],
    ])('given %s and no profile, when its profile is inferred, then the file reads to the same amounts, dates and remittances as with its saved profile', (name, currency) => {
      const text = fixture(name);
      const saved = parseCsv(text, profileOf(name) as never).statements[0];
      const account = (profileOf(name) as { account: string }).account;
      const inferred = inferCsvProfile(text, { account, currency });

      expect(CsvProfileSchema.safeParse(inferred).success).toBe(true);
      const statement = parseCsv(text, inferred).statements[0];
      expect(statement?.entries.map((entry) => [entry.amountMinor, entry.bookingDate, entry.valueDate])).toEqual(saved?.entries.map((entry) => [entry.amountMinor, entry.bookingDate, entry.valueDate]));
      expect(statement?.entries.map((entry) => entry.remittance.includes(saved?.entries[0]?.remittance.split(' ')[0] ?? ''))).toContain(true);
      expect([statement?.openingMinor, statement?.closingMinor, statement?.currency]).toEqual([saved?.openingMinor, saved?.closingMinor, saved?.currency]);
    });

    it('given the DKB export (4 preamble lines, ";", "1.234,56", DD.MM.YY, "Betrag (€)"), when inferred, then the layout is read from the file', () => {
      expect(inferCsvProfile(fixture('autoynab-dkb-giro.csv'), { account: 'DE00000000000000000002' })).toMatchObject({
        currency: 'EUR',
        delimiter: ';',
        skipLines: 4,
        dateFormat: 'DD.MM.YY',
        decimalSeparator: ',',
        thousandsSeparator: '.',
        amount: { column: 'Betrag (€)' },
        columns: { bookingDate: 'Buchungsdatum', valueDate: 'Wertstellung', remittance: 'Verwendungszweck', endToEndId: 'Kundenreferenz' },
      });
    });

    it('given the ING Netherlands export ("Af Bij" column, "Bedrag (EUR)"), when inferred, then the direction column and the currency are found', () => {
      expect(inferCsvProfile(fixture('ofxdutch-ing_ok.csv'), { account: 'NL99INGB9999999999' })).toMatchObject({
        currency: 'EUR',
        dateFormat: 'YYYYMMDD',
        decimalSeparator: ',',
        amount: { column: 'Bedrag (EUR)', indicator: { column: 'Af Bij', credit: ['Bij'], debit: ['Af'] } },
      });
    });
  });

  it('given a German CSV without a profile (Buchungstag, Soll/Haben, Währung), when parsed through parseBankFile for its account, then it is read instead of refused', () => {
    const text = ['Buchungstag;Valuta;Verwendungszweck;Betrag;Soll/Haben;Währung', '02.01.2026;02.01.2026;RE-2026-0001 Danke;59,97;H;EUR', '03.01.2026;05.01.2026;Kontoführung;1.234,50;S;EUR', ''].join('\r\n');
    const parsed = parseBankFile(text, 'auto', { csvAccount: 'DE89370400440532013000' });
    expect(parsed.format).toBe('csv');
    expect(parsed.statements[0]?.entries.map((entry) => [entry.amountMinor, entry.currency, entry.bookingDate, entry.valueDate, entry.remittance])).toEqual([
      [5997, 'EUR', '2026-01-02', '2026-01-02', 'RE-2026-0001 Danke'],
      [-123_450, 'EUR', '2026-01-03', '2026-01-05', 'Kontoführung'],
    ]);
  });

  it('given random exports in German and English layouts, EUR, JPY and KWD, when their profile is inferred, then every amount and date reads back exactly (seeded)', () => {
    const random = new Random(20_261_202);
    let ambiguousRuns = 0;
    for (let run = 0; run < 150; run++) {
      const currency = random.pick(['EUR', 'JPY', 'KWD'] as const);
      const german = random.chance(0.5);
      const delimiter = german ? ';' : random.pick([',', '\t'] as const);
      const decimal = german ? ',' : '.';
      const thousands = random.chance(0.5) ? (german ? '.' : random.pick([',', ' '] as const)) : undefined;
      const dateStyle = german ? 'DD.MM.YYYY' : random.pick(['YYYY-MM-DD', 'DD/MM/YYYY'] as const);
      const amountStyle = random.pick(['signed', 'split', 'indicator'] as const);
      const rows = Array.from({ length: random.int(2, 12) }, (_, index) => {
        const magnitude = random.pick([1, 999, 1000, 1999, 123_456, 1_000_000, random.int(1, 99_999_999)]);
        // The first row has day 13+, so DD/MM and MM/DD cannot both read the dates.
        return { minor: random.chance(0.5) ? magnitude : -magnitude, year: random.int(2000, 2030), month: random.int(1, 12), day: index === 0 ? random.int(13, 28) : random.int(1, 28) };
      });
      const date = ({ year, month, day }: { year: number; month: number; day: number }) =>
        dateStyle === 'YYYY-MM-DD' ? `${year}-${pad(month)}-${pad(day)}` : dateStyle === 'DD/MM/YYYY' ? `${pad(day)}/${pad(month)}/${year}` : `${pad(day)}.${pad(month)}.${year}`;
      const quote = (cell: string) => (cell.includes(delimiter) || cell.includes(' ') ? `"${cell}"` : cell);
      const amountHeader = amountStyle === 'split' ? (german ? ['Haben', 'Soll'] : ['Credit', 'Debit']) : amountStyle === 'indicator' ? (german ? ['Betrag', 'Soll/Haben'] : ['Amount', 'D/C']) : [german ? 'Betrag' : 'Amount'];
      const header = [german ? 'Buchungstag' : 'Date', german ? 'Verwendungszweck' : 'Description', ...amountHeader, german ? 'Währung' : 'Currency'];
      const lines = rows.map((row, index) => {
        const written = writeAmount(row.minor, currency, decimal, thousands);
        const unsigned = written.replace(/^-/, '');
        const amountCells =
          amountStyle === 'split' ? (row.minor > 0 ? [unsigned, ''] : ['', unsigned]) : amountStyle === 'indicator' ? [unsigned, row.minor > 0 ? (german ? 'H' : 'C') : german ? 'S' : 'D'] : [written];
        return [date(row), `INV-${run}-${index}`, ...amountCells, currency].map(quote).join(delimiter);
      });
      const preamble = random.chance(0.3) ? [`${german ? 'Kontoauszug' : 'Statement'}${delimiter}DE89370400440532013000`, ''] : [];
      const text = [...preamble, header.join(delimiter), ...lines].join(random.pick(['\n', '\r\n']));

      const written = rows.map((row) => writeAmount(row.minor, currency, decimal, thousands));
      if (currency === 'KWD' && written.every((amount) => /^-?[1-9]\d{0,2}[.,]\d{3}$/.test(amount))) {
        // Every amount looks like 1,234: three decimals (KWD) or a thousands separator. That one needs a profile.
        expect(() => inferCsvProfile(text, { account: 'ACC' })).toThrow(/could have three decimals or a thousands separator/);
        ambiguousRuns++;
        continue;
      }
      const profile = inferCsvProfile(text, { account: 'ACC' });
      const entries = parseCsv(text, profile).statements[0]?.entries ?? [];
      expect({ run, amounts: entries.map((entry) => entry.amountMinor) }).toEqual({ run, amounts: rows.map((row) => row.minor) });
      expect(entries.map((entry) => entry.bookingDate)).toEqual(rows.map((row) => `${row.year}-${pad(row.month)}-${pad(row.day)}`));
      expect(entries.every((entry) => entry.currency === currency)).toBe(true);
    }
    expect(ambiguousRuns).toBeLessThan(30);
  });

  describe('ambiguous or unrecognisable files', () => {
    it('given dates that read as DD/MM and as MM/DD alike, when inferred, then it is refused naming both formats and the columns seen', () => {
      const error = inferenceError('Date,Description,Amount\n01/02/2026,INV-1,19.99\n03/04/2026,INV-2,59.97\n', 'USD');
      expect(error.message).toMatch(/DD\/MM\/YYYY or MM\/DD\/YYYY/);
      expect(error.message).toContain('"Date", "Description", "Amount"');
      expect(error.location).toBe('line 1');
    });

    it('given KWD amounts that all look like "1,234", when inferred, then it is refused: three decimals or a thousands separator', () => {
      expect(inferenceError('Date,Amount,Currency\n2026-01-02,"1,234",KWD\n2026-01-03,"2,500",KWD\n').message).toMatch(/"1,234" could have three decimals or a thousands separator/);
    });

    it('given "1,234" in EUR, when inferred, then the comma groups thousands: EUR has two decimals', () => {
      const profile = inferCsvProfile('Date,Amount,Currency\n2026-01-02,"1,234",EUR\n', { account: 'A' });
      expect(parseCsv('Date,Amount,Currency\n2026-01-02,"1,234",EUR\n', profile).statements[0]?.entries[0]?.amountMinor).toBe(123_400);
    });

    it('given two columns that could each be the booking date, when inferred, then it is refused naming them', () => {
      expect(inferenceError('Date;Date;Amount\n2026-01-02;2026-01-02;1,00\n', 'EUR').message).toMatch(/"Date" and "Date" could each be the booking date/);
    });

    it('given no currency anywhere, when inferred without one, then it is refused; with the account currency it reads', () => {
      const text = 'Date,Amount\n2026-01-02,19.99\n';
      expect(inferenceError(text).message).toMatch(/no currency/);
      expect(inferCsvProfile(text, { account: 'A', currency: 'USD' })).toMatchObject({ currency: 'USD', decimalSeparator: '.' });
    });

    it('given a file without a recognisable header, when inferred, then it is refused with the first line read', () => {
      const error = inferenceError('foo;bar\n1;2\n', 'EUR');
      expect(error).toBeInstanceOf(BankFileError);
      expect(error.message).toMatch(/no header row naming a booking date and an amount.*"foo;bar"/);
    });

    it('given a direction column with values that are no known marks, when inferred, then it is refused naming them', () => {
      expect(inferenceError('Date;Amount;D/C;Currency\n2026-01-02;1,00;X;EUR\n').message).toMatch(/"D\/C" holds "X"/);
    });
  });

  describe('bankFileReader (the bank-file intake)', () => {
    const noProfiles = { get: async () => undefined };

    it('given a CSV under an account without a saved profile, when read, then it is parsed with the inferred profile', async () => {
      const parsed = await bankFileReader(noProfiles)(fixture('ofxdutch-ing_ok.csv'), 'inbound/csv/NL99INGB9999999999/ing.csv');
      expect(parsed.statements[0]).toMatchObject({ account: 'NL99INGB9999999999', currency: 'EUR' });
      expect(parsed.statements[0]?.entries).toHaveLength(6);
    });

    it('given an ambiguous CSV and no saved profile, when read, then the error says what was ambiguous and how to save a profile', async () => {
      const read = bankFileReader(noProfiles)('Date,Amount,Currency\n01/02/2026,1.00,USD\n', 'inbound/csv/ACC-1/x.csv');
      await expect(read).rejects.toThrow(/DD\/MM\/YYYY or MM\/DD\/YYYY.*PUT \/bank-accounts\/ACC-1\/csv-profile/);
    });
  });
});
