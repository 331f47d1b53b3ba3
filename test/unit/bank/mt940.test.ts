import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Random } from '../../support/cash-ledger.ts';
import { parseMt940, parseMt940Details } from '#shared/bank/mt940';
import { BankFileError } from '#domain/bank-statement';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/bank/mt940/${name}`, import.meta.url), 'utf8');

/** The error a parse throws, for asserting its message and location. */
function failure(text: string): BankFileError {
  try {
    parseMt940(text);
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  throw new Error('expected a BankFileError');
}

describe('parseMt940 on real files from other projects', () => {
  it('given the ABN AMRO file (jejik/mt940), when parsing, then two statements with the figures its tests assert', () => {
    const { format, statements } = parseMt940(fixture('jejik-abnamro.sta'));
    expect(format).toBe('mt940');
    expect(statements).toHaveLength(2);
    const [first, second] = statements;
    expect(first).toMatchObject({ account: '517852257', currency: 'EUR', openingMinor: 323_628, closingMinor: 87_684 });
    expect(first?.entries.map((entry) => entry.amountMinor)).toEqual([-900, -1159, -1163, -1180, -1345, -1549, -10_700, -14_148]);
    expect(second).toMatchObject({ openingMinor: 287_684, closingMinor: 184_975 });
    expect(second?.entries.map((entry) => entry.amountMinor)).toEqual([-949, -1500]);
    // The anonymised sample does not add up; the parser reports that rather than hiding it.
    expect(first?.balanced).toBe(false);
    expect(second?.balanced).toBe(false);
  });

  it('given the ABN AMRO file, when parsing, then value and entry dates, codes and the multi-line :86: are kept', () => {
    const [first] = parseMt940(fixture('jejik-abnamro.sta')).statements;
    expect(first?.entries[0]).toMatchObject({
      id: `${first?.id}:1`,
      valueDate: '2011-05-24',
      bookingDate: '2011-05-24',
      transactionCode: 'N192',
      bankReference: '',
      reversal: false,
      remittance:
        'GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659\n5314606715                       BETREFT FACTUUR D.D. 20-05-2011\nINCL. 1,44 BTW',
    });
    expect(first?.entries[1]).toMatchObject({ valueDate: '2011-05-21', bookingDate: '2011-05-23' });
    expect(first?.entries[7]?.remittance).toBe('BEA   NR:XXX1234   22.05.11/13.45 MYCOM DEN HAAG  S-GRAVEN,PAS999');
  });

  it('given the ING file in SWIFT blocks with CRLF (jejik/mt940), when parsing, then one statement of 7 entries as its tests assert', () => {
    const { statements } = parseMt940(fixture('jejik-ing-swift-blocks.txt'));
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement).toMatchObject({ account: '0001234567', currency: 'EUR', openingMinor: 0, closingMinor: 347 });
    expect(statement?.entries).toHaveLength(7);
    expect(statement?.entries[0]).toMatchObject({ amountMinor: -2503, bookingDate: '2010-07-22', transactionCode: 'NOV' });
    expect(statement?.entries[0]?.remittance).toBe(
      ' RC AFREKENING BETALINGSVERKEER\nBETREFT REKENING 4715589 PERIODE: 01-10-2010 / 31-12-2010\nING Bank N.V. tarifering ING',
    );
    expect(statement?.entries[6]).toMatchObject({ amountMinor: 100, valueDate: '2010-07-23' });
    // The :86: after :62F: is information for the account owner, not part of the last entry.
    expect(statement?.entries[6]?.remittance).not.toContain('D000004C000002');
  });

  it('given the Rabobank IBAN file (/KEY/ :86:), when parsing, then two balanced statements with end-to-end ids and names', () => {
    const { statements } = parseMt940(fixture('jejik-rabobank-iban.sta'));
    expect(statements.map((statement) => [statement.openingMinor, statement.closingMinor, statement.balanced])).toEqual([
      [100_000, 96_500, true],
      [96_500, 93_000, true],
    ]);
    // Same :20:, :25: and :28C: twice: the ids still differ (opening date).
    expect(new Set(statements.map((statement) => statement.id)).size).toBe(2);
    const [transfer, second] = statements[0]?.entries ?? [];
    expect(transfer).toMatchObject({
      amountMinor: -2500,
      transactionCode: 'N102',
      endToEndId: '01-01-2013 12:00 0030000987654321',
      counterparty: { name: 'CONTRA ACCOUNT HOLDER', account: 'NL70ABNA0987654321' },
    });
    expect(second).toMatchObject({ amountMinor: -1000, bookingDate: '2013-01-02', counterparty: { name: 'JOHN DOE' } });
    expect(second?.endToEndId).toBeUndefined();
  });

  it('given the betterplace SEPA file (?NN :86:, an RC reversal), when parsing, then each statement balances', () => {
    const { statements } = parseMt940(fixture('mt940-betterplace-sepa_mt9401-first2.sta'));
    expect(statements).toHaveLength(2);
    const [first, second] = statements;
    expect(first).toMatchObject({ account: '50880050/0194774600888', openingMinor: -123_471_836, closingMinor: -123_762_823, balanced: true });
    expect(first?.entries).toHaveLength(7);
    // RC = reversal of a credit: money out, and the statement only balances that way.
    expect(first?.entries[5]).toMatchObject({ amountMinor: -20_488, reversal: true, transactionCode: 'NRTI', bankReference: '' });
    expect(first?.entries[0]).toMatchObject({
      amountMinor: 30_000,
      bankReference: '0724710345313905',
      references: ['TFNr 40005 MSGID'],
      endToEndId: 'TFNR 40005 00005',
      returnReason: '914',
    });
    expect(second).toMatchObject({ openingMinor: -97_049_990, closingMinor: -145_574_985, balanced: true });
    expect(second?.entries[0]).toMatchObject({
      amountMinor: 1_500_005,
      endToEndId: 'EndToEndIdTFNR2000400001',
      counterparty: { name: 'Richter Renate 70 Zeichen Beginn Fuellzeichen xxxxxxxx', account: 'DE42100100100043921105' },
    });
    expect(second?.entries[1]).toMatchObject({ amountMinor: -50_025_000, bankReference: 'BD7CFA74485E7E69', references: ['TFNr 01005 PayId CTSc-01 EBB'] });
    expect(second?.entries[1]?.references).not.toContain('KREF+');
  });

  it.each([
    ['jejik-sparkasse-rdr.txt', 102_725], // RD: reversal of a debit, money back in
    ['jejik-sparkasse-rcr.txt', -102_725], // RC: reversal of a credit, money out again
  ])('given the Sparkasse reversal file %s, when parsing, then the entry is a reversal of %i', (name, amountMinor) => {
    const [statement] = parseMt940(fixture(name)).statements;
    expect(statement).toMatchObject({ account: 'DE11222220220222220200', openingMinor: 93_105_229, closingMinor: 93_130_450 });
    expect(statement?.entries).toHaveLength(1);
    expect(statement?.entries[0]).toMatchObject({
      amountMinor,
      reversal: true,
      valueDate: '2020-02-01',
      bookingDate: '2020-02-19',
      transactionCode: 'N068',
      counterparty: { name: 'GEBÜHREN MANUELL GG UST-FREI', account: '900932005' },
    });
  });
});

describe('parseMt940Details (:86:)', () => {
  it('given German ?NN subfields split across lines, when reading, then GVC, booking text, bank, account and name', () => {
    const details = parseMt940Details('899?00STORNO?109392?20STORNO RECHNUNGSABSCHLUSS?21PER 01.02.2\n020?3050652124?31900932005?32GEBÜHREN MANUELL GG UST-FRE?33I');
    expect(details).toMatchObject({
      format: 'german',
      gvc: '899',
      bookingText: 'STORNO',
      remittanceLines: 'STORNO RECHNUNGSABSCHLUSSPER 01.02.2020',
      counterpartyBank: '50652124',
      counterpartyAccount: '900932005',
      counterpartyName: 'GEBÜHREN MANUELL GG UST-FREI',
    });
    expect(details.subfields['10']).toBe('9392');
    expect(details.returnReason).toBeUndefined(); // ?34 is a return reason on returns only
  });

  it('given SEPA keywords in ?2x lines, when reading, then EREF is the end-to-end id and KREF/MREF are references', () => {
    const details = parseMt940Details('105?00SEPA-LASTSCHRIFT?20EREF+INV-2024-0042?21MREF+M-77?22SVWZ+Invoice INV-2024-0042?32ACME GMBH');
    expect(details).toMatchObject({ endToEndId: 'INV-2024-0042', references: ['M-77'], counterpartyName: 'ACME GMBH' });
  });

  it('given an ING /KEY/ text with /CNTP/ and structured /REMI/, when reading, then counterparty and creditor reference', () => {
    const details = parseMt940Details(
      '/EREF/E2E-123//CNTP/NL08INGB0000001234/INGBNL2A/J.Janssen/AMSTERDAM//REMI/STRD/CUR/1234567890/RTRN/AC04/',
    );
    expect(details).toMatchObject({
      format: 'keyed',
      endToEndId: 'E2E-123',
      counterpartyAccount: 'NL08INGB0000001234',
      counterpartyBank: 'INGBNL2A',
      counterpartyName: 'J.Janssen',
      references: ['1234567890'],
      returnReason: 'AC04',
    });
  });

  it('given /REMI/USTD//, when reading, then the unstructured text without its prefix', () => {
    expect(parseMt940Details('/EREF/NOTPROVIDED//REMI/USTD//Factuur 2024-17/').remittanceLines).toBe('Factuur 2024-17');
    expect(parseMt940Details('/EREF/NOTPROVIDED//REMI/USTD//Factuur 2024-17/').endToEndId).toBeUndefined();
  });

  it('given free text, when reading, then no structure is invented', () => {
    expect(parseMt940Details('GIRO 428428 KPN /REMI/ not at the start')).toEqual({ format: 'free', references: [], subfields: {} });
  });
});

describe('parseMt940 edge cases', () => {
  const wrap = (lines: string) => `{1:F01BANKDEFFAXXX0000000000}{2:O9401200100105BANKDEFFAXXX00000000001001051200N}{3:{108:REF}}{4:\r\n${lines}-}{5:{CHK:ABC}}`;

  it('given an entry booked in January for a December value date, when parsing, then the entry date is in the next year', () => {
    const [statement] = parseMt940(
      wrap(':20:YEAREND\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C091231EUR100,00\r\n:61:0912310104C1,50NTRFINV-9//B1\r\n:62F:C100104EUR101,50\r\n'),
    ).statements;
    expect(statement?.entries[0]).toMatchObject({ valueDate: '2009-12-31', bookingDate: '2010-01-04', amountMinor: 150, references: ['INV-9'] });
    expect(statement?.balanced).toBe(true);
  });

  it('given a January value date booked on 31 December, when parsing, then the entry date is in the previous year', () => {
    const [statement] = parseMt940(':20:X\n:25:A\n:28C:1\n:60F:C100101EUR0,\n:61:1001011231D2,NCHGNONREF\n:62F:D100101EUR2,\n').statements;
    expect(statement?.entries[0]).toMatchObject({ valueDate: '2010-01-01', bookingDate: '2009-12-31', amountMinor: -200 });
    expect(statement?.balanced).toBe(true);
  });

  it('given a supplementary details line and a funds code, when parsing, then both are read', () => {
    const [statement] = parseMt940(':20:X\n:25:A\n:60F:C100101USD0,\n:61:1001010101CD12,34S103REF1//BANKREF2\nEXTRA DETAILS\n:62F:C100101USD12,34\n').statements;
    expect(statement?.entries[0]).toMatchObject({ amountMinor: 1234, transactionCode: 'S103', bankReference: 'BANKREF2', references: ['REF1'] });
  });

  it('given German :61: lines with a transaction type and a KREF+ customer reference holding + and /, when parsing, then the reference after the marker, the bank reference and the type are read', () => {
    const [statement] = parseMt940(
      [
        ':20:STARTUMS',
        ':25:10020030/1234567890',
        ':28C:0',
        ':60F:C260105EUR1000,00',
        ':61:2601050105CR1500,00NTRFKREF+RE-2026/0001+2//BANK-REF/77',
        ':86:166?00SEPA-GUTSCHRIFT?20EREF+E2E-1?21SVWZ+RE-2026/0001?32ACME GMBH',
        ':61:2601050105DR2,50FCHGKREF+GEB/01-2026//B+2',
        '/OCMT/EUR2,50/',
        ':61:2601050105RD10,00NMSCNONREF//R/1',
        ':62F:C260105EUR2507,50',
        '-',
      ].join('\r\n'),
    ).statements;
    expect(statement?.balanced).toBe(true);
    expect(statement?.entries.map((entry) => [entry.amountMinor, entry.transactionCode, entry.references, entry.bankReference, entry.reversal])).toEqual([
      [150_000, 'NTRF', ['RE-2026/0001+2'], 'BANK-REF/77', false],
      [-250, 'FCHG', ['GEB/01-2026'], 'B+2', false],
      [1000, 'NMSC', [], 'R/1', true],
    ]);
    expect(statement?.entries[0]).toMatchObject({ endToEndId: 'E2E-1', counterparty: { name: 'ACME GMBH' } });
  });

  it('given random :61: lines as SWIFT defines them (dates, C/D/RC/RD, funds code, amount, N/F/S type, 16x customer reference with + and /, //16x bank reference, 34x details), when parsing, then each part is read back (seeded)', () => {
    const random = new Random(940);
    const x = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-?().,'+ ";
    const text = (min: number, max: number, chars = x) => Array.from({ length: random.int(min, max) }, () => chars[random.int(0, chars.length - 1)]).join('');
    for (let run = 0; run < 300; run++) {
      const mark = random.pick(['C', 'D', 'RC', 'RD'] as const);
      const funds = random.chance(0.4) ? random.pick(['R', 'D', 'C']) : '';
      const minor = random.int(0, 99_999_999);
      const amount = `${Math.trunc(minor / 100)},${String(minor % 100).padStart(2, '0')}`;
      const type = random.pick(['NTRF', 'NMSC', 'FCHG', 'NDDT', 'N051', 'S103', 'FCOM']);
      // A customer reference: 1–16x, may hold + and single slashes, not at its ends, never "//".
      let reference = `${text(1, 1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}${text(0, 13, `${x}/`).replace(/\/+/g, '/')}${text(1, 1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`.slice(0, 16);
      if (random.chance(0.3)) reference = `KREF+${reference}`.slice(0, 16).replace(/[/ ]+$/, '') || 'KREF+X';
      const bank = random.chance(0.7) ? text(1, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+-').replace(/\/+/g, '/') : undefined;
      const details = random.chance(0.4) ? text(1, 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ') : undefined;
      const entryDate = random.chance(0.5) ? '0105' : '';
      const line = `:61:260105${entryDate}${mark}${funds}${amount}${type}${reference}${bank === undefined ? '' : `//${bank}`}${details === undefined ? '' : `\n${details}`}`;
      const moneyIn = mark === 'C' || mark === 'RD';
      const closing = `${moneyIn ? 'C' : 'D'}260105EUR${amount}`;
      const [entry] = parseMt940(`:20:R${run}\n:25:A\n:60F:C260101EUR0,\n${line}\n:62F:${closing}\n-\n`).statements[0]?.entries ?? [];
      const expectedReference = reference.replace(/^KREF\+/, '').trim();
      expect({ line, amount: entry?.amountMinor, type: entry?.transactionCode, bank: entry?.bankReference, reversal: entry?.reversal }).toEqual({ line, amount: moneyIn ? minor : -minor, type, bank: bank?.trim() ?? '', reversal: mark.startsWith('R') });
      expect({ line, references: entry?.references }).toEqual({ line, references: expectedReference && expectedReference !== 'NONREF' ? [expectedReference] : [] });
    }
  });

  it('given a :86: continuation line that starts like a tag (":58:23:09" of a time of day), when parsing, then it stays part of the :86: text', () => {
    const [statement] = parseMt940(':20:X\n:25:A\n:60F:C200514EUR0,\n:61:200514D0,02NMSCKREF+\n:86:177?00SEPA Uberweisung?20KREF+2020-05-14T00\n:58:23:09?32DANKITO\n:62F:D200514EUR0,02\n-\n').statements;
    expect(statement?.entries[0]).toMatchObject({ amountMinor: -2, references: ['2020-05-14T00:58:23:09'], counterparty: { name: 'DANKITO' } });
  });

  it('given a zero-decimal currency, when parsing, then amounts are whole minor units', () => {
    const [statement] = parseMt940(':20:X\n:25:A\n:60F:C100101JPY1000,\n:61:100101D250,NTRFNONREF\n:62F:C100101JPY750,\n').statements;
    expect(statement).toMatchObject({ currency: 'JPY', openingMinor: 1000, closingMinor: 750, balanced: true });
  });

  it.each([
    ['an empty file', '', /no MT940 statement/],
    ['text that is not MT940', 'hello\nworld\n', /no MT940 statement/],
    ['a field before :20:', ':25:A\n:20:X\n', /line 1: field :25: before the first :20:/],
    ['no :25:', ':20:X\n:60F:C100101EUR1,\n:62F:C100101EUR1,\n', /line 1: statement has no :25:/],
    ['no opening balance', ':20:X\n:25:A\n:62F:C100101EUR1,\n', /no :60F:/],
    ['no closing balance', ':20:X\n:25:A\n:60F:C100101EUR1,\n', /no :62F:/],
    ['a balance without a comma', ':20:X\n:25:A\n:60F:C100101EUR100\n:62F:C100101EUR1,\n', /line 3: .* not an MT940 amount/],
    ['a malformed balance', ':20:X\n:25:A\n:60F:X100101EUR1,\n', /line 3: .* not a balance/],
    ['an unknown currency', ':20:X\n:25:A\n:60F:C100101XXY1,\n:62F:C100101XXY1,\n', /unknown currency XXY/],
    ['too many decimals', ':20:X\n:25:A\n:60F:C100101EUR1,234\n:62F:C100101EUR1,\n', /line 3: .*more decimals/],
    ['a malformed :61:', ':20:X\n:25:A\n:60F:C100101EUR1,\n:61:10010X1C1,NTRF\n:62F:C100101EUR1,\n', /line 4: .* not a statement line/],
    ['a :61: without a type', ':20:X\n:25:A\n:60F:C100101EUR1,\n:61:100101C1,00REF\n:62F:C100101EUR1,\n', /line 4/],
    ['month 13', ':20:X\n:25:A\n:60F:C101301EUR1,\n:62F:C100101EUR1,\n', /line 3: .*not a date/],
    ['currencies that differ', ':20:X\n:25:A\n:60F:C100101EUR1,\n:62F:C100101USD1,\n', /closing balance in USD/],
  ])('given %s, when parsing, then a BankFileError says where', (_name, text, message) => {
    const error = failure(text);
    expect(error.message).toMatch(message);
  });
});

describe('parseMt940 remittance documents in :86: (SWIFT /TSU/, keyed /REMI/STRD/)', () => {
  /** One statement in `currency` with a single credit of `amount` whose :86: is `details`. */
  const single = (details: string, currency = 'EUR', amount = '100,') =>
    `:20:X\n:25:A\n:60F:C260316${currency}0,\n:61:260316C${amount}NTRFNONREF\n:86:${details}\n:62F:C260316${currency}${amount}\n`;

  it('given the ING file (keyed :86:), when parsing, then it balances and a /TSU/ in /REMI/USTD/ is an invoice with its amount paid', () => {
    const [statement] = parseMt940(fixture('o2c-ing-remittance.sta')).statements;
    expect(statement).toMatchObject({ account: 'NL20INGB0001234567EUR', currency: 'EUR', balanced: true });
    expect(statement?.entries[0]).toMatchObject({
      amountMinor: 119_000,
      remittanceDocuments: [{ number: 'INV-2026-000123', kind: 'CINV', paidMinor: 119_000 }],
      counterparty: { name: 'HARBOUR TRADING LTD', account: 'GB33BUKB20201555555555' },
    });
  });

  it('given /REMI/STRD/CUR/ (a structured reference), when parsing, then it is a document with its number only, and still a reference', () => {
    const [statement] = parseMt940(fixture('o2c-ing-remittance.sta')).statements;
    expect(statement?.entries[1]?.remittanceDocuments).toEqual([{ number: '1234567890123456' }]);
    expect(statement?.entries[1]?.references).toEqual(['1234567890123456']);
  });

  it('given free remittance text (/REMI/USTD/), when parsing, then the entry has no remittanceDocuments', () => {
    const [statement] = parseMt940(fixture('o2c-ing-remittance.sta')).statements;
    expect(statement?.entries.slice(2).map((entry) => entry.remittanceDocuments)).toEqual([undefined, undefined]);
    expect(statement?.entries[2]).not.toHaveProperty('remittanceDocuments');
  });

  it('given a German :86: whose ?21/?22 subfields cut a /TSU/ apart, when parsing, then the subfields are joined first', () => {
    const [statement] = parseMt940(fixture('o2c-sparkasse-tsu.sta')).statements;
    expect(statement).toMatchObject({ balanced: true });
    expect(statement?.entries[0]?.remittanceDocuments).toEqual([{ number: 'ABC-15', kind: 'CINV', paidMinor: 256_214 }]);
    expect(statement?.entries[1]).not.toHaveProperty('remittanceDocuments');
  });

  it('given the SWIFT manual example (/TSU/ wrapped over two lines, amount without decimals), when parsing, then the lines are joined', () => {
    const [entry] = parseMt940(single('/TSU/00000089963-0820-01/ABC-15/256\n214,', 'EUR', '256214,')).statements[0]?.entries ?? [];
    expect(entry?.remittanceDocuments).toEqual([{ number: 'ABC-15', kind: 'CINV', paidMinor: 25_621_400 }]);
  });

  it('given JPY and KWD statements, when parsing, then the /TSU/ amount takes the currency exponent', () => {
    const yen = parseMt940(single('/TSU/T1/INV-J-9/1190,', 'JPY', '1190,')).statements[0]?.entries[0];
    expect(yen?.remittanceDocuments).toEqual([{ number: 'INV-J-9', kind: 'CINV', paidMinor: 1_190 }]);
    const dinar = parseMt940(single('/TSU/T1/INV-K-9/12,345 THANK YOU', 'KWD', '12,345')).statements[0]?.entries[0];
    expect(dinar?.remittanceDocuments).toEqual([{ number: 'INV-K-9', kind: 'CINV', paidMinor: 12_345 }]);
  });

  it.each([
    ['an amount with a decimal point', '/TSU/T1/INV-1/100.00', /"\/TSU\/T1\/INV-1\/100\.00" is not \/TSU\/<transaction id>\/<invoice number>\/<amount paid/],
    ['no amount', '/TSU/T1/INV-1', /is not \/TSU\//],
    ['no invoice number', '/TSU/T1//100,', /is not \/TSU\//],
    ['more decimals than EUR has', '/TSU/T1/INV-1/100,123', /more decimals than EUR allows/],
  ])('given a /TSU/ with %s, when parsing, then a BankFileError names the :86: line', (_name, details, message) => {
    const error = failure(single(details));
    expect(error.message).toMatch(message);
    expect(error.location).toBe('line 5');
  });
});
