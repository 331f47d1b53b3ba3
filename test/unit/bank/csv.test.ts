import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BankFileError } from '#domain/bank-statement';
import { creditorReferenceFor } from '#domain/creditor-reference';
import { detectCsvDelimiter, parseCsv, readCsvRecords } from '#shared/bank/csv';
import { CsvProfileSchema, type CsvProfileInput } from '#shared/bank/csv-profile';
import { parseBankFile } from '#shared/bank/parse';

/** Real exports from other projects' test suites; test/fixtures/bank/SOURCES.md says where each comes from. */
const folder = new URL('../../fixtures/bank/csv/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, folder), 'utf8');
const profileOf = (name: string) => CsvProfileSchema.parse(JSON.parse(fixture(name.replace(/\.csv$/, '.profile.json'))));
const parseFixture = (name: string) => {
  const { format, statements } = parseCsv(fixture(name), profileOf(name));
  expect(format).toBe('csv');
  expect(statements).toHaveLength(1);
  return statements[0] as NonNullable<(typeof statements)[0]>;
};

/** The error a call throws, for asserting its message and location. */
function failure(run: () => unknown): BankFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  throw new Error('expected a BankFileError');
}

/** A German-style profile for the hand-written files below; each test overrides what it is about. */
const base = {
  account: 'DE89370400440532013000',
  currency: 'EUR',
  delimiter: ';',
  dateFormat: 'DD.MM.YYYY',
  decimalSeparator: ',',
  amount: { column: 'Betrag' },
  columns: { bookingDate: 'Datum', remittance: 'Text' },
} satisfies CsvProfileInput;
const parse = (text: string, overrides: Partial<CsvProfileInput> = {}) => parseCsv(text, { ...base, ...overrides });
const entriesOf = (text: string, overrides: Partial<CsvProfileInput> = {}) => parse(text, overrides).statements[0]?.entries ?? [];
const amountsOf = (text: string, overrides: Partial<CsvProfileInput> = {}) => entriesOf(text, overrides).map((entry) => entry.amountMinor);

describe('parseCsv on real exports from other projects', () => {
  // d-led/auto-ynab-csv DetectAndConvertTest.DetectAndConvertKnownCsv("dkb-giro.csv"): the approved output
  // (DetectAndConvertTest…ForScenario.dkb-giro.csv.approved.txt) lists date, payee, memo, inflow and outflow per row.
  it('given the DKB Girokonto export (; and decimal comma, 4 preamble lines, DD.MM.YY), when parsing, then the rows its approved output lists', () => {
    const statement = parseFixture('autoynab-dkb-giro.csv');
    expect(statement).toMatchObject({ account: 'DE00000000000000000002', currency: 'EUR', id: 'DE00000000000000000002:2024-12-11:2024-12-13' });
    expect(statement.entries.map((entry) => [entry.bookingDate, entry.amountMinor])).toEqual([
      ['2024-12-13', -275],
      ['2024-12-13', -7500],
      ['2024-12-11', -100_100], // "-1.001": the dot groups thousands
      ['2024-12-11', -100_122],
      ['2024-12-11', 123_456],
    ]);
    // The approved payee is the recipient for money out and the payer for money in.
    expect(statement.entries.map((entry) => entry.counterparty.name)).toEqual([
      'Who 1.2.3                                   Some Address 132.',
      'Who 1.2.3                                   Some Address 132.',
      'Some Person',
      'Some Person',
      'Some Income',
    ]);
    expect(statement.entries.map((entry) => entry.remittance)).toEqual([
      '129837128723/. Some Company T123, Ihr Einkauf',
      '129837128723/. Some Company T123, Ihr Einkauf',
      'Some reason',
      'Same, or other reason',
      'Some/Reason,1232424/151341232/ABC/312',
    ]);
    // Read from the file (not asserted by the source project): value dates, IBAN, the end-to-end id (Kundenreferenz).
    expect(statement.entries[0]).toMatchObject({
      id: `${statement.id}:1`,
      valueDate: '2024-12-12',
      reversal: false,
      endToEndId: 'ADSFASDG345',
      transactionCode: 'Ausgang',
      counterparty: { account: 'ASDFASFG23SDFSD' },
    });
    expect(statement.entries[2]?.endToEndId).toBeUndefined();
    // No balance column: opening 0, closing the sum of the movements.
    expect(statement).toMatchObject({ openingMinor: 0, closingMinor: -84_541, balanced: true });
  });

  // gpaulissen/ofxstatement-dutch tests/test_ing.py, ParserTest.test_ok on tests/samples/ing_ok.csv.
  it('given the ING Netherlands export (Af/Bij indicator, decimal comma inside quotes), when parsing, then the amounts its test asserts', () => {
    const statement = parseFixture('ofxdutch-ing_ok.csv');
    expect(statement).toMatchObject({ account: 'NL99INGB9999999999', currency: 'EUR' });
    // start_date 2019-12-13; their end_date is the last booking day + 1 (2020-02-14).
    expect(statement.id).toBe('NL99INGB9999999999:2019-12-13:2020-02-13');
    // Six rows; ofxstatement-dutch drops the 0,00 row ("Amount of 0 is skipped") and asserts the other five.
    expect(statement.entries.map((entry) => entry.amountMinor)).toEqual([-125, 125, 0, 2000, -31, -31]);
    expect(statement.entries.filter((entry) => entry.amountMinor !== 0).map((entry) => entry.amountMinor)).toEqual([-125, 125, 2000, -31, -31]);
    // Their payee "PAULISSEN G J L M (NL99ASNB9999999999)" is name and counter-account.
    expect(statement.entries[3]).toMatchObject({
      bookingDate: '2019-12-13',
      counterparty: { name: 'PAULISSEN G J L M', account: 'NL99ASNB9999999999' },
      remittance: 'PAULISSEN G J L M Naam: PAULISSEN G J L M Omschrijving: Kosten rekening IBAN: NL81ASNB0708271685 Valutadatum: 13-12-2019',
      transactionCode: 'OV',
    });
    // Their memo prepends "Naam / Omschrijving" to "Mededelingen"; the profile joins the two columns with a space.
    expect(statement.entries[0]?.remittance).toBe('Kosten OranjePakket met korting 1 jan t/m 31 jan 2020 ING BANK N.V. Valutadatum: 13-02-2020');
    // The last two rows are identical and both real (their test gives the second memo a "#2"): distinct dedupe keys.
    const [fifth, sixth] = statement.entries.slice(4);
    expect(fifth?.bankReference).toMatch(/^2019-12-13:-31:[0-9a-f]{12}:1$/);
    expect(sixth?.bankReference).toBe(fifth?.bankReference.replace(/:1$/, ':2'));
    expect(statement).toMatchObject({ openingMinor: 0, closingMinor: 1938, balanced: true });
  });

  // Metasaura/ofxstatement-lloyds tests/test_sample.py, test_sample at e7cd38c: 6 lines, lines[0] −8.99, lines[3] 2000.
  it('given the Lloyds export (debit and credit columns, running balance, header ending in a comma), when parsing, then its figures', () => {
    const statement = parseFixture('ofxlloyds-sample-statement.csv');
    expect(statement.entries).toHaveLength(6);
    expect(statement.entries[0]).toMatchObject({ amountMinor: -899, bookingDate: '2024-01-15', transactionCode: 'DEB' });
    expect(statement.entries[3]).toMatchObject({ amountMinor: 200_000, bookingDate: '2023-12-01', transactionCode: 'FPI' });
    expect(statement.entries.map((entry) => entry.amountMinor)).toEqual([-899, -479, -17_423, 200_000, -1009, -412]);
    expect(statement.entries[0]?.remittance).toBe('Amazon Prime*xxxx CD xxxx    14JAN24');
    // Newest first: the opening balance comes from the last row (6039.58 after −4.12), the closing from the first.
    // The sample is cut between 12/01/2024 and 01/12/2023 (2054.37 does not follow 8029.49), so it cannot balance.
    expect(statement).toMatchObject({ id: '38530568:2023-12-01:2024-01-15', openingMinor: 604_370, closingMinor: 204_059, balanced: false });
  });

  // redstreet/beancount_reds_importers schwab_csv_checking_test.py (regtest.ImporterTestBase), expected output
  // schwab_Checking_Transactions_1234.csv.extract: four posted transactions and `balance … 3951.00 USD`.
  it('given the Schwab checking export ($ amounts, pending section, newest first), when parsing, then the posted rows and balance its test asserts', () => {
    const statement = parseFixture('reds-schwab_Checking_Transactions_1234.csv');
    expect(statement.entries.map((entry) => [entry.bookingDate, entry.remittance, entry.amountMinor])).toEqual([
      ['2022-12-30', 'Interest Paid', 100],
      ['2022-12-25', 'Grocery Store', -5000],
      ['2022-12-20', 'Funds Transfer to Brokerage -XXXX', -100_000],
      ['2022-12-14', 'Electronic Deposit', 500_000],
    ]);
    // Pending card payments (before "Posted Transactions") are not booked and not in the statement.
    expect(statement.entries.some((entry) => entry.remittance.startsWith('APPLE CASH'))).toBe(false);
    expect(statement).toMatchObject({ account: '1234', currency: 'USD', openingMinor: 0, closingMinor: 395_100, balanced: true });
  });

  it.each(readdirSync(folder).filter((name) => name.endsWith('.profile.json')))('given the profile %s, when validated, then it is a valid CSV profile', (name) => {
    expect(CsvProfileSchema.safeParse(JSON.parse(fixture(name))).success).toBe(true);
  });

  it('given a CSV and its profile, when parsed through parseBankFile (auto or csv), then the same statement as parseCsv', () => {
    const text = fixture('ofxlloyds-sample-statement.csv');
    const csvProfile = profileOf('ofxlloyds-sample-statement.csv');
    const direct = parseCsv(text, csvProfile);
    expect(parseBankFile(text, 'auto', { csvProfile })).toEqual(direct);
    expect(parseBankFile(text, 'csv', { csvProfile })).toEqual(direct);
    expect(() => parseBankFile(text, 'csv')).toThrow(/column-mapping profile/);
    expect(() => parseBankFile(text, 'auto', {})).toThrow(BankFileError);
  });
});

describe('readCsvRecords (RFC 4180)', () => {
  it('given quoted fields with the delimiter and doubled quotes, when reading, then values are unquoted', () => {
    expect(readCsvRecords('a,"b,c","say ""hi""",""\n', ',')).toEqual([{ fields: ['a', 'b,c', 'say "hi"', ''], line: 1 }]);
  });

  it('given line breaks inside quotes (LF and CRLF), when reading, then they stay in the value and later records keep their line', () => {
    const records = readCsvRecords('"one\ntwo",x\r\n"three\r\nfour",y\r\nlast,z', ',');
    expect(records).toEqual([
      { fields: ['one\ntwo', 'x'], line: 1 },
      { fields: ['three\nfour', 'y'], line: 3 },
      { fields: ['last', 'z'], line: 5 },
    ]);
  });

  it('given CRLF, LF and CR line ends mixed, when reading, then each ends a record', () => {
    expect(readCsvRecords('a;1\r\nb;2\nc;3\rd;4', ';').map((record) => [record.fields, record.line])).toEqual([
      [['a', '1'], 1],
      [['b', '2'], 2],
      [['c', '3'], 3],
      [['d', '4'], 4],
    ]);
  });

  it('given empty fields, a trailing delimiter and a final newline, when reading, then fields are kept and no empty record is added', () => {
    expect(readCsvRecords(',a,,\n', ',')).toEqual([{ fields: ['', 'a', '', ''], line: 1 }]);
    expect(readCsvRecords('a\n\nb', ',')).toEqual([
      { fields: ['a'], line: 1 },
      { fields: [''], line: 2 },
      { fields: ['b'], line: 3 },
    ]);
    expect(readCsvRecords('', ',')).toEqual([]);
  });

  it('given blanks around quotes and a quote inside an unquoted field, when reading, then the common deviations are accepted', () => {
    expect(readCsvRecords('a, "b,c" ,5" screen', ',')[0]?.fields).toEqual(['a', 'b,c', '5" screen']);
  });

  it('given a tab delimiter, when reading, then commas and semicolons are data', () => {
    expect(readCsvRecords('1,5\t2;3\t"x\ty"', '\t')[0]?.fields).toEqual(['1,5', '2;3', 'x\ty']);
  });

  it('given text after a closing quote, when reading, then BankFileError at its line', () => {
    const error = failure(() => readCsvRecords('a,b\n"c"d,e', ','));
    expect(error.location).toBe('line 2');
    expect(error.message).toMatch(/after the closing quote/);
  });

  it('given a quote never closed, when reading, then BankFileError at the line it opens', () => {
    const error = failure(() => readCsvRecords('a,b\nc,"d\ne\nf', ','));
    expect(error.message).toBe('line 2: a quoted field is not closed before the end of the file');
  });
});

describe('detectCsvDelimiter', () => {
  it.each([
    ['"Datum";"Betrag";"Text, mit Komma"', ';'],
    ['Date,Amount,Description', ','],
    ['Date\tAmount\tText', '\t'],
    ['Date|Amount|Text', '|'],
    ['\n\nDatum;Betrag,x;y', ';'],
  ])('given the line %j, when detecting, then %j', (text, delimiter) => {
    expect(detectCsvDelimiter(text)).toBe(delimiter);
  });

  it('given no candidate or a tie, when detecting, then BankFileError asking for one in the profile', () => {
    expect(failure(() => detectCsvDelimiter('Datum Betrag', 3)).message).toMatch(/^line 3: no delimiter/);
    expect(failure(() => detectCsvDelimiter('a;b,c')).message).toMatch(/ambiguous/);
  });
});

describe('parseCsv', () => {
  it('given a BOM, CRLF and delimiter auto, when parsing, then the header is matched and the rows read', () => {
    const text = '\uFEFFDatum;Betrag;Text\r\n01.03.2026;12,50;Miete\r\n02.03.2026;-3,20;Gebühr\r\n';
    const statement = parseCsv(text, { ...base, delimiter: 'auto' }).statements[0];
    expect(statement).toMatchObject({ id: 'DE89370400440532013000:2026-03-01:2026-03-02', openingMinor: 0, closingMinor: 930, balanced: true });
    expect(statement?.entries.map((entry) => [entry.id, entry.bookingDate, entry.valueDate, entry.amountMinor, entry.remittance])).toEqual([
      ['DE89370400440532013000:2026-03-01:2026-03-02:1', '2026-03-01', '2026-03-01', 1250, 'Miete'],
      ['DE89370400440532013000:2026-03-01:2026-03-02:2', '2026-03-02', '2026-03-02', -320, 'Gebühr'],
    ]);
  });

  it('given a file without a header row, when parsing with 0-based positions, then the columns are read by position', () => {
    const entries = entriesOf('2026-03-01,C,12.50,Invoice 1\n2026-03-02,D,3.20,Fee\n', {
      header: false,
      delimiter: ',',
      dateFormat: 'YYYY-MM-DD',
      decimalSeparator: '.',
      amount: { column: 2, indicator: { column: 1, credit: ['C'], debit: ['D'] } },
      columns: { bookingDate: 0, remittance: 3 },
    });
    expect(entries.map((entry) => [entry.bookingDate, entry.amountMinor, entry.remittance])).toEqual([
      ['2026-03-01', 1250, 'Invoice 1'],
      ['2026-03-02', -320, 'Fee'],
    ]);
  });

  it('given a profile without a header that names columns, when parsing, then the profile is refused', () => {
    const error = failure(() => parse('01.03.2026;1,00;x', { header: false }));
    expect(error.location).toBe('CSV profile');
    expect(error.message).toMatch(/columns\.bookingDate: the file has no header row/);
  });

  it('given an indicator column (DBIT/CRDT, any case), when parsing, then it decides the sign and the amount sign is ignored', () => {
    const text = 'Datum;Betrag;Text;CD\n01.03.2026;10,00;a;crdt\n01.03.2026;-10,00;b;CRDT\n01.03.2026;10,00;c;DBIT\n';
    expect(amountsOf(text, { amount: { column: 'Betrag', indicator: { column: 'CD', credit: ['CRDT'], debit: ['DBIT'] } } })).toEqual([1000, 1000, -1000]);
  });

  it('given separate credit and debit columns, when parsing, then credit is money in, debit money out, whatever sign is written', () => {
    const text = 'Datum;Soll;Haben;Text\n01.03.2026;12,00;;a\n01.03.2026;-5,00;0,00;b\n01.03.2026;;7,25;c\n';
    expect(amountsOf(text, { amount: { credit: 'Haben', debit: 'Soll' } })).toEqual([-1200, -500, 725]);
  });

  it('given invertSign, when parsing, then money in exported as negative is positive', () => {
    expect(amountsOf('Datum;Betrag;Text\n01.03.2026;-12,00;payment\n02.03.2026;3,00;purchase\n', { invertSign: true })).toEqual([1200, -300]);
  });

  it.each([
    ['1.234,56', { thousandsSeparator: '.' }, 123_456],
    ['1 234,56', { thousandsSeparator: ' ' }, 123_456],
    ['1\u00a0234\u00a0567,00', { thousandsSeparator: ' ' }, 123_456_700],
    ["1'234.56", { thousandsSeparator: "'", decimalSeparator: '.' }, 123_456],
    ['1234,56', { thousandsSeparator: '.' }, 123_456],
    ['12,50-', {}, -1250],
    ['\u221212,50', {}, -1250],
    ['+12,5', {}, 1250],
    ['-12,50 €', { currencySymbol: '€' }, -1250],
    ['-$1,000.00', { currencySymbol: '$', decimalSeparator: '.', thousandsSeparator: ',' }, -100_000],
    ['7', {}, 700],
  ] as const)('given the amount %j with %j, when parsing, then %i minor units', (amount, format, minor) => {
    expect(amountsOf(`Datum;Betrag;Text\n01.03.2026;"${amount}";x\n`, format as Partial<CsvProfileInput>)).toEqual([minor]);
  });

  it('given currencies with 0 and 3 decimals, when parsing, then minor units follow the currency', () => {
    expect(amountsOf('Datum;Betrag;Text\n01.03.2026;1200;x\n', { currency: 'JPY' })).toEqual([1200]);
    expect(amountsOf('Datum;Betrag;Text\n01.03.2026;1,250;x\n', { currency: 'KWD' })).toEqual([1250]);
    expect(amountsOf('Datum;Betrag;Text\n01.03.2026;12,500;x\n', {})).toEqual([1250]); // trailing zeros are not decimals
  });

  it('given a currency column, when parsing, then the statement is in that currency; mixed, unknown or foreign codes are refused', () => {
    const profile = { currency: undefined, columns: { bookingDate: 'Datum', currency: 'Währung' } };
    expect(parse('Datum;Betrag;Währung\n01.03.2026;1;usd\n', profile).statements[0]).toMatchObject({ currency: 'USD', closingMinor: 100 });
    expect(failure(() => parse('Datum;Betrag;Währung\n01.03.2026;1;USD\n02.03.2026;1;EUR\n', profile)).message).toBe(
      'line 3: EUR, but earlier rows are in USD; a CSV statement holds one currency',
    );
    expect(failure(() => parse('Datum;Betrag;Währung\n01.03.2026;1;EURO\n', profile)).message).toBe('line 2, column "Währung": "EURO" is not an ISO 4217 currency');
    expect(failure(() => parse('Datum;Betrag;Währung\n01.03.2026;1;USD\n', { columns: profile.columns })).message).toBe(
      "line 2, column \"Währung\": USD, but the profile's account is in EUR",
    );
    expect(failure(() => parse('Datum;Betrag;Währung\n01.03.2026;1;\n', profile)).message).toBe('line 2, column "Währung": no currency');
  });

  it('given creditor references in remittance split over columns, when parsing, then valid ones are references and typos are not', () => {
    const reference = creditorReferenceFor('INV-2026-000123');
    const wrong = reference.replace(/.$/, (digit) => String((Number(digit) + 1) % 10));
    const text = `Datum;Betrag;Text;Text 2\n01.03.2026;100,00;Rechnung ${reference.slice(0, 4)} ${reference.slice(4)};danke\n01.03.2026;5,00;${wrong};\n`;
    const entries = entriesOf(text, { columns: { bookingDate: 'Datum', remittance: ['Text', 'Text 2'] } });
    expect(entries[0]?.remittance).toBe(`Rechnung ${reference.slice(0, 4)} ${reference.slice(4)} danke`);
    expect(entries[0]?.references).toEqual([reference]);
    expect(entries[1]?.references).toEqual([]);
  });

  it('given a bank reference column, when parsing, then it is the bank reference; an empty cell falls back to the derived key', () => {
    const entries = entriesOf('Datum;Betrag;Text;Ref\n01.03.2026;1,00;a;TX-1\n01.03.2026;1,00;a;\n', { columns: { bookingDate: 'Datum', bankReference: 'Ref' } });
    expect(entries[0]?.bankReference).toBe('TX-1');
    expect(entries[1]?.bankReference).toMatch(/^2026-03-01:100:[0-9a-f]{12}:1$/);
  });

  it('given the same booked row in two overlapping exports, when parsing both, then its derived bank reference is the same', () => {
    const older = 'Datum;Betrag;Text\n01.03.2026;1,00;a\n02.03.2026;2,00;b\n';
    const newer = 'Datum;Betrag;Text\n02.03.2026;2,00;b\n03.03.2026;3,00;c\n';
    expect(entriesOf(older)[1]?.bankReference).toBe(entriesOf(newer)[0]?.bankReference);
    expect(entriesOf(older)[1]?.id).not.toBe(entriesOf(newer)[0]?.id); // ids are per statement; dedupe uses bankReference
  });

  it('given value date, end-to-end id, counterparty and code columns, when parsing, then they are read; empty cells are undefined', () => {
    const text = 'Datum;Valuta;Betrag;Text;E2E;Name;IBAN;Art\n01.03.2026;03.03.2026;1,00;x;E-1;ACME GmbH;DE02120300000000202051;SEPA\n01.03.2026;;1,00;x;;;;\n';
    const entries = entriesOf(text, {
      columns: {
        bookingDate: 'Datum',
        valueDate: 'Valuta',
        endToEndId: 'E2E',
        counterpartyName: 'Name',
        counterpartyAccount: 'IBAN',
        transactionCode: 'Art',
      },
    });
    expect(entries[0]).toMatchObject({
      valueDate: '2026-03-03',
      endToEndId: 'E-1',
      counterparty: { name: 'ACME GmbH', account: 'DE02120300000000202051' },
      transactionCode: 'SEPA',
      remittance: '',
      references: [],
    });
    expect(entries[1]).toMatchObject({ valueDate: '2026-03-01', counterparty: {} });
    expect(entries[1]?.endToEndId).toBeUndefined();
    expect(entries[1]?.counterparty.name).toBeUndefined();
  });

  it('given a reversal column, when parsing, then listed values mark reversals and the amount keeps its booked sign', () => {
    const entries = entriesOf('Datum;Betrag;Text;Art\n01.03.2026;-5,00;x;Storno\n01.03.2026;5,00;x;Gutschrift\n', { reversal: { column: 'Art', values: ['storno'] } });
    expect(entries.map((entry) => [entry.amountMinor, entry.reversal])).toEqual([
      [-500, true],
      [500, false],
    ]);
  });

  it('given a status column, when parsing, then pending rows are skipped; a file of only pending rows has no booked transactions', () => {
    const text = 'Datum;Betrag;Text;Status\n01.03.2026;1,00;a;Gebucht\n02.03.2026;2,00;b;Vorgemerkt\n';
    expect(amountsOf(text, { status: { column: 'Status', booked: ['gebucht'] } })).toEqual([100]);
    const error = failure(() => parse(text, { status: { column: 'Status', booked: ['Storniert'] } }));
    expect(error.message).toBe('line 1: the file has no booked transactions');
  });

  it('given preamble lines, a start marker and a footer, when parsing, then only the rows between are read', () => {
    const text = 'Konto;DE89\n\nDatum;Betrag;Text\nVorgemerkt\n05.03.2026;9,99;pending\nGebucht\n01.03.2026;1,00;a\n02.03.2026;2,00;b\nSumme;3,00\n';
    expect(amountsOf(text, { skipLines: 2, startAfter: 'Gebucht', stopAt: 'Summe' })).toEqual([100, 200]);
    expect(failure(() => parse(text, { skipLines: 2, startAfter: 'Posted' })).message).toBe('no row "Posted" to start after (the profile\'s startAfter)');
  });

  it('given a running balance oldest first, when parsing, then opening and closing come from the first and last rows', () => {
    const text = 'Datum;Betrag;Text;Saldo\n01.03.2026;10,00;a;110,00\n02.03.2026;-30,00;b;80,00\n';
    expect(parse(text, { columns: { bookingDate: 'Datum', balance: 'Saldo' } }).statements[0]).toMatchObject({ openingMinor: 10_000, closingMinor: 8000, balanced: true });
  });

  it('given rows of one day newest first, when parsing with order auto, then the balance chain tells the order', () => {
    const text = 'Datum;Betrag;Text;Saldo\n01.03.2026;-30,00;b;80,00\n01.03.2026;10,00;a;110,00\n';
    const statement = parse(text, { columns: { bookingDate: 'Datum', balance: 'Saldo' } }).statements[0];
    expect(statement).toMatchObject({ openingMinor: 10_000, closingMinor: 8000, balanced: true });
    // Told the wrong order, the statement is reported unbalanced rather than silently fixed.
    expect(parse(text, { order: 'oldest-first', columns: { bookingDate: 'Datum', balance: 'Saldo' } }).statements[0]).toMatchObject({
      openingMinor: 11_000,
      closingMinor: 11_000,
      balanced: false,
    });
  });

  it('given a running balance missing on the oldest row, when parsing, then BankFileError naming the row', () => {
    const text = 'Datum;Betrag;Text;Saldo\n01.03.2026;10,00;a;\n02.03.2026;-30,00;b;80,00\n';
    expect(failure(() => parse(text, { columns: { bookingDate: 'Datum', balance: 'Saldo' } })).message).toBe(
      'line 2, column "Saldo": no running balance on the oldest row, which the opening or closing balance comes from',
    );
  });

  it('given a header repeating a name, when the profile uses positions, then each is read', () => {
    const text = 'Datum;Saldo;Währung;Betrag;Währung;Text\n01.03.2026;5,00;EUR;1,00;EUR;x\n';
    expect(amountsOf(text, { amount: { column: 3 }, columns: { bookingDate: 'Datum', currency: 4 } })).toEqual([100]);
    expect(failure(() => parse(text, { columns: { bookingDate: 'Datum', currency: 'Währung' } })).message).toBe(
      'line 1: column "Währung" appears 2 times in the header; name it by position (2 or 4) in the profile',
    );
  });

  it.each([
    ['DD.MM.YY', '31.12.69', '2069-12-31'],
    ['DD.MM.YY', '01.01.70', '1970-01-01'],
    ['DD/MM/YYYY', '1/2/2026', '2026-02-01'],
    ['MM/DD/YYYY', '1/2/2026', '2026-01-02'],
    ['MM/DD/YY', '12/30/22', '2022-12-30'],
    ['YYYY-MM-DD', '2026-03-01 14:05:59', '2026-03-01'],
    ['YYYY-MM-DD', '2026-03-01T14:05:59.123Z', '2026-03-01'],
    ['YYYYMMDD', '20240229', '2024-02-29'],
    ['DD-MM-YYYY', '13-02-2020', '2020-02-13'],
    ['YYYY/MM/DD', '2026/03/01', '2026-03-01'],
  ] as const)('given the date format %s and %j, when parsing, then %s', (dateFormat, written, iso) => {
    expect(entriesOf(`Datum;Betrag;Text\n${written};1,00;x\n`, { dateFormat })[0]?.bookingDate).toBe(iso);
  });
});

describe('parseCsv errors name the line and column', () => {
  const file = (row: string) => `Datum;Betrag;Text\n01.03.2026;1,00;ok\n${row}\n`;

  it.each([
    ['01.03.2026;12,3,4;x', 'line 3, column "Betrag": "12,3,4" is not an amount (decimal separator ",", no thousands separator)'],
    ['01.03.2026;;x', 'line 3, column "Betrag": no amount'],
    ['01.03.2026;abc;x', 'line 3, column "Betrag": "abc" is not an amount (decimal separator ",", no thousands separator)'],
    ['01.03.2026;1.50;x', 'line 3, column "Betrag": "1.50" is not an amount (decimal separator ",", no thousands separator)'],
    ['01.03.2026;12,345;x', 'line 3, column "Betrag": "12,345" has more decimals than EUR allows (2)'],
    ['01.03.2026;99999999999999;x', 'line 3, column "Betrag": "99999999999999" is out of range (at most 1000000000000 minor units)'],
    ['31.02.2026;1,00;x', 'line 3, column "Datum": "31.02.2026" is not a date (DD.MM.YYYY)'],
    ['2026-03-01;1,00;x', 'line 3, column "Datum": "2026-03-01" is not a date (DD.MM.YYYY)'],
    ['01.13.2026;1,00;x', 'line 3, column "Datum": "01.13.2026" is not a date (DD.MM.YYYY)'],
    [';1,00;x', 'line 3, column "Datum": "" is not a date (DD.MM.YYYY)'],
    ['01.03.2026;1,00', 'line 3: 2 fields, but the header has 3'],
    ['01.03.2026;1,00;x;y', 'line 3: 4 fields, but the header has 3'],
    ['01.03.2026', 'line 3: 1 field, but the header has 3'],
  ])('given the row %j, when parsing, then %j', (row, message) => {
    const error = failure(() => parse(file(row)));
    expect(error.message).toBe(message);
  });

  it('given a misplaced thousands separator, when parsing, then it is not read as another number', () => {
    expect(failure(() => parse(file('01.03.2026;1.23,45;x'), { thousandsSeparator: '.' })).message).toBe(
      'line 3, column "Betrag": "1.23,45" is not an amount (decimal separator ",", thousands separator ".")',
    );
  });

  it('given a zero-decimal currency with decimals written, when parsing, then the exponent mismatch is refused', () => {
    expect(failure(() => parse(file('01.03.2026;1200,50;x'), { currency: 'JPY' })).message).toBe('line 3, column "Betrag": "1200,50" has more decimals than JPY allows (0)');
  });

  it('given an indicator value in neither list, when parsing, then BankFileError listing both', () => {
    const text = 'Datum;Betrag;Text;Af Bij\n01.03.2026;1,00;x;Bij\n01.03.2026;1,00;x;?\n';
    expect(failure(() => parse(text, { amount: { column: 'Betrag', indicator: { column: 'Af Bij', credit: ['Bij'], debit: ['Af'] } } })).message).toBe(
      'line 3, column "Af Bij": "?" is neither a credit (Bij) nor a debit (Af)',
    );
  });

  it('given credit and debit both filled or both empty, when parsing, then BankFileError for the row', () => {
    const profile = { amount: { credit: 'Haben', debit: 'Soll' } };
    expect(failure(() => parse('Datum;Soll;Haben;Text\n01.03.2026;1,00;2,00;x\n', profile)).message).toBe(
      'line 2: both a credit ("2,00" in column "Haben") and a debit ("1,00" in column "Soll")',
    );
    expect(failure(() => parse('Datum;Soll;Haben;Text\n01.03.2026;;;x\n', profile)).message).toBe('line 2: no amount: column "Haben" and column "Soll" are both empty');
  });

  it('given a file without a column the profile names, when parsing, then BankFileError at the header listing its columns', () => {
    const error = failure(() => parse('Date;Amount;Text\n01.03.2026;1,00;x\n'));
    expect(error.location).toBe('line 1');
    expect(error.message).toBe('line 1: missing columns "Betrag", "Datum" (the header has "Date", "Amount", "Text")');
    expect(failure(() => parse('Datum;Amount;Text\n01.03.2026;1,00;x\n')).message).toBe('line 1: missing column "Betrag" (the header has "Datum", "Amount", "Text")');
  });

  it('given a position beyond the columns, when parsing, then BankFileError', () => {
    expect(failure(() => parse(file('01.03.2026;1,00;x'), { columns: { bookingDate: 7 } })).message).toBe(
      'line 1: the profile reads column 7 (0-based), but the header has 3 columns',
    );
  });

  it.each([
    ['', 'the file is empty'],
    ['\uFEFF \r\n\n', 'the file is empty'],
    ['Datum;Betrag;Text\n', 'line 1: the file has no transactions'],
    ['Datum;Betrag;Text\n;;\n\n', 'line 1: the file has no transactions'],
  ])('given %j, when parsing, then %j', (text, message) => {
    expect(failure(() => parse(text)).message).toBe(message);
  });

  it('given fewer lines than the profile skips, when parsing, then BankFileError', () => {
    expect(failure(() => parse('Konto;1\nDatum;Betrag;Text', { skipLines: 5 })).message).toBe('the profile skips 5 lines, but the file has only 2');
    expect(failure(() => parse('Konto;1\nZeitraum;x\n', { skipLines: 2 })).message).toBe('line 3: nothing after the 2 lines the profile skips: no header row');
  });

  it('given an invalid profile, when parsing, then BankFileError located at the profile', () => {
    const error = failure(() => parseCsv('Datum;Betrag;Text\n01.03.2026;1,00;x\n', { ...base, currency: 'EURO', decimalSeparator: ',', thousandsSeparator: ',' }));
    expect(error.location).toBe('CSV profile');
    expect(error.message).toMatch(/currency: not an ISO 4217 currency/);
    expect(error.message).toMatch(/thousandsSeparator: must differ from the decimal separator/);
    const noCurrency = failure(() => parseCsv('x', { ...base, currency: undefined }));
    expect(noCurrency.message).toMatch(/give the currency, or a currency column/);
    const typo = failure(() => parseCsv('x', { ...base, delimeter: ';' } as CsvProfileInput));
    expect(typo.message).toMatch(/delimeter/);
  });
});

describe('parseCsv on damaged files', () => {
  /** Small deterministic PRNG (mulberry32) so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
  }
  const pieces = ['"', ',', ';', '\n', '\r\n', '\r', '-', '.', '0', '9', ' ', 'x', '\uFEFF', '$', '""', '\t', '/'];

  it.each(readdirSync(folder).filter((name) => name.endsWith('.csv')))('given %s cut, spliced and garbled, when parsing, then only BankFileError is ever thrown', (name) => {
    const original = fixture(name);
    const profile = profileOf(name);
    const next = random(name.length * 7919);
    for (let round = 0; round < 400; round++) {
      let text = original;
      const edits = 1 + Math.floor(next() * 4);
      for (let edit = 0; edit < edits; edit++) {
        const at = Math.floor(next() * (text.length + 1));
        const choice = next();
        if (choice < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
        else if (choice < 0.8) text = text.slice(0, at) + (pieces[Math.floor(next() * pieces.length)] ?? '') + text.slice(at);
        else text = text.slice(0, at);
      }
      try {
        const { statements } = parseCsv(text, profile);
        for (const entry of statements[0]?.entries ?? []) expect(Number.isSafeInteger(entry.amountMinor)).toBe(true);
      } catch (error) {
        if (!(error instanceof BankFileError)) throw new Error(`round ${round}: ${String(error)} for ${JSON.stringify(text)}`);
      }
    }
  });
});

describe('parseCsv remittance columns (one document per row, rows of a transfer share its bank reference)', () => {
  const lockbox = parseFixture('o2c-lockbox-remittance.csv');
  /** Hand-written files below: `;`, decimal comma, a reference column and the remittance columns. */
  const remitting = {
    columns: { bookingDate: 'Datum', bankReference: 'Ref', remittance: 'Text', remittanceDocument: 'Beleg', remittanceAmount: 'Bezahlt', remittanceDeduction: 'Abzug', remittanceDeductionReason: 'Grund' },
  } satisfies Partial<CsvProfileInput>;
  const header = 'Datum;Ref;Betrag;Beleg;Bezahlt;Abzug;Grund;Text';

  it('given the lockbox export, when parsing, then one entry per transfer and the statement adds up', () => {
    expect(lockbox).toMatchObject({ currency: 'USD', balanced: true, closingMinor: 408_500 });
    expect(lockbox.entries.map((entry) => [entry.bankReference, entry.amountMinor, entry.remittanceDocuments?.length])).toEqual([
      ['TRX-88001', 395_000, 4],
      ['TRX-88002', 7_500, 1],
      ['TRX-88003', 6_000, undefined],
    ]);
  });

  it('given a transfer of four rows, when parsing, then each row is a document with its amount, discount and deduction', () => {
    expect(lockbox.entries[0]?.remittanceDocuments).toEqual([
      { number: 'INV-2026-000131', paidMinor: 119_000, dueMinor: 125_000, discountMinor: 1_000, adjustments: [{ amountMinor: 5_000, code: '03', reason: '2 cartons damaged' }] },
      { number: 'INV-2026-000132', paidMinor: 238_000, dueMinor: 238_000 },
      { number: 'CM-2026-0009', kind: 'CREN', paidMinor: 12_000, dueMinor: 12_000 },
      { number: 'INV-2026-000140', paidMinor: 50_000 },
    ]);
    expect(lockbox.entries[0]).toMatchObject({ counterparty: { name: 'NORTHWIND SUPPLY CO' }, remittance: 'CTX 0000777', bookingDate: '2026-03-16' });
  });

  it('given a document number only, and a row without one, when parsing, then a number-only document and no remittanceDocuments', () => {
    expect(lockbox.entries[1]?.remittanceDocuments).toEqual([{ number: 'INV-2026-000150' }]);
    expect(lockbox.entries[2]).not.toHaveProperty('remittanceDocuments');
  });

  it('given the rows after the first repeating the amount and date (the other export style), when parsing, then they are one transfer', () => {
    const text = [header, '16.03.2026;R1;150,00;RE-1;100,00;;;Zahlung', '16.03.2026;R1;150,00;RE-2;50,00;;;Zahlung', '16.03.2026;R2;10,00;RE-3;10,00;;;'].join('\n');
    const entries = entriesOf(text, remitting);
    expect(entries.map((entry) => [entry.bankReference, entry.amountMinor, entry.remittance, entry.remittanceDocuments])).toEqual([
      ['R1', 15_000, 'Zahlung', [{ number: 'RE-1', paidMinor: 10_000 }, { number: 'RE-2', paidMinor: 5_000 }]],
      ['R2', 1_000, '', [{ number: 'RE-3', paidMinor: 1_000 }]],
    ]);
  });

  it('given a negative deduction, when parsing, then it adds to what is paid', () => {
    const text = [header, '16.03.2026;R1;102,00;RE-1;102,00;-2,00;Verzugszinsen;'].join('\n');
    expect(entriesOf(text, remitting)[0]?.remittanceDocuments).toEqual([{ number: 'RE-1', paidMinor: 10_200, adjustments: [{ amountMinor: -200, reason: 'Verzugszinsen' }] }]);
  });

  it('given JPY and KWD, when parsing, then remittance amounts take the currency exponent', () => {
    const yen = entriesOf([header, '16.03.2026;R1;1190;RE-J;1190;;;'].join('\n'), { ...remitting, currency: 'JPY' });
    expect(yen[0]?.remittanceDocuments).toEqual([{ number: 'RE-J', paidMinor: 1_190 }]);
    const dinar = entriesOf([header, '16.03.2026;R1;12,345;RE-K;12,345;0,005;Gebühr;'].join('\n'), { ...remitting, currency: 'KWD' });
    expect(dinar[0]?.remittanceDocuments).toEqual([{ number: 'RE-K', paidMinor: 12_345, adjustments: [{ amountMinor: 5, reason: 'Gebühr' }] }]);
  });

  it('given rows sharing a reference but no remittance columns, when parsing, then they stay separate entries as before', () => {
    const text = ['Datum;Ref;Betrag;Text', '16.03.2026;R1;1,00;a', '16.03.2026;R1;1,00;b'].join('\n');
    expect(amountsOf(text, { columns: { bookingDate: 'Datum', bankReference: 'Ref', remittance: 'Text' } })).toEqual([100, 100]);
  });

  it('given remittance columns but no bank reference column, when parsing, then every row is a transfer with its own document', () => {
    const text = ['Datum;Betrag;Beleg;Bezahlt', '16.03.2026;1,00;RE-1;1,00', '16.03.2026;2,00;RE-2;2,00'].join('\n');
    const entries = entriesOf(text, { columns: { bookingDate: 'Datum', remittanceDocument: 'Beleg', remittanceAmount: 'Bezahlt' } });
    expect(entries.map((entry) => entry.remittanceDocuments)).toEqual([[{ number: 'RE-1', paidMinor: 100 }], [{ number: 'RE-2', paidMinor: 200 }]]);
  });

  it('given a pending transfer with document rows, when parsing, then neither it nor its rows are read', () => {
    const text = ['Datum;Ref;Betrag;Beleg;Bezahlt;Abzug;Grund;Text;Status', '16.03.2026;R1;3,00;RE-1;1,00;;;;Vorgemerkt', ';R1;;RE-2;2,00;;;;', '16.03.2026;R2;4,00;RE-3;4,00;;;;Gebucht'].join('\n');
    const entries = entriesOf(text, { ...remitting, status: { column: 'Status', booked: ['Gebucht'] } });
    expect(entries.map((entry) => [entry.bankReference, entry.remittanceDocuments])).toEqual([['R2', [{ number: 'RE-3', paidMinor: 400 }]]]);
  });

  it('given a remittance column without remittanceDocument, when the profile is read, then it is refused', () => {
    const checked = CsvProfileSchema.safeParse({ ...base, columns: { bookingDate: 'Datum', remittanceAmount: 'Bezahlt' } });
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]).toMatchObject({ path: ['columns', 'remittanceAmount'], message: expect.stringMatching(/needs columns.remittanceDocument/) });
  });

  it('given a remittance column the file lacks, when parsing, then the missing column is named', () => {
    const error = failure(() => parse(['Datum;Ref;Betrag;Beleg', '16.03.2026;R1;1,00;RE-1'].join('\n'), remitting));
    expect(error.message).toMatch(/missing columns "Bezahlt", "Abzug", "Grund", "Text"/);
  });

  it.each([
    ['a later row with another amount', ['16.03.2026;R1;3,00;RE-1;1,00;;;', '16.03.2026;R1;4,00;RE-2;2,00;;;'], /4\.00, but the first row of transfer R1 \(line 2\) has 3\.00/, 'line 3, column "Betrag"'],
    ['a later row booked on another day', ['16.03.2026;R1;3,00;RE-1;1,00;;;', '17.03.2026;R1;;RE-2;2,00;;;'], /booked 17\.03\.2026, but the first row of transfer R1 \(line 2\) on 2026-03-16/, 'line 3, column "Datum"'],
    ['a remittance amount that is not a number', ['16.03.2026;R1;3,00;RE-1;1.000,00;;;'], /"1\.000,00" is not an amount/, 'line 2, column "Bezahlt"'],
    ['more decimals than EUR has', ['16.03.2026;R1;3,00;RE-1;1,005;;;'], /more decimals than EUR allows/, 'line 2, column "Bezahlt"'],
    ['an amount without a document number', ['16.03.2026;R1;3,00;;3,00;;;'], /remittance amounts or a deduction reason without a document number/, 'line 2, column "Beleg"'],
    ['a deduction reason without an amount', ['16.03.2026;R1;3,00;RE-1;3,00;;Skonto;'], /a deduction reason \(Skonto\) without a deduction amount/, 'line 2, column "Abzug"'],
  ])('given %s, when parsing, then the line and column are named', (_name, rows, message, location) => {
    const text = [header, ...rows].join('\n');
    const error = failure(() => parse(text, remitting));
    expect(error.message).toMatch(message);
    expect(error.location).toBe(location);
  });

  it('given a negative amount paid (a credit memo the payer deducts), when parsing, then a credit note with a positive amount', () => {
    const text = [header, '16.03.2026;R1;7,00;RE-1;10,00;;;', ';R1;;CM-1;-3,00;;;'].join('\n');
    expect(entriesOf(text, remitting)[0]?.remittanceDocuments).toEqual([
      { number: 'RE-1', paidMinor: 1_000 },
      { number: 'CM-1', kind: 'CREN', paidMinor: 300 },
    ]);
  });

  it('given a credit memo row whose due amount is positive, when parsing, then the signs that disagree are refused', () => {
    const text = [header.replace('Bezahlt', 'Bezahlt;Fällig'), '16.03.2026;R1;3,00;CM-1;-3,00;3,00;;;'].join('\n');
    const error = failure(() => parse(text, { columns: { ...remitting.columns, remittanceDueAmount: 'Fällig' } }));
    expect(error.message).toMatch(/CM-1: column "Fällig" is positive on a credit memo/);
    expect(error.location).toBe('line 2');
  });
});
