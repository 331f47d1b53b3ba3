import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBai2 } from '#shared/bank/bai2';
import { BankFileError } from '#domain/bank-statement';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/bank/bai2/${name}`, import.meta.url), 'utf8');

function failure(text: string): BankFileError {
  try {
    parseBai2(text);
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  throw new Error('expected a BankFileError');
}

/** A one-account file around the given 03/16/88 lines. */
const file = (body: string, groupCurrency = '') =>
  `01,SENDER,RECEIVER,240102,0800,1,,,2/\n02,RECEIVER,ORIG,1,240101,2359,${groupCurrency},2/\n${body}\n49,0,/\n98,0,1,/\n99,0,1,/\n`;

describe('parseBai2 on real files from other projects', () => {
  it('given the NatWest example (ministryofjustice/bai2), when parsing, then one balanced GBP statement of 5 entries', () => {
    const { format, statements } = parseBai2(fixture('moj-nwb_example.bai2'));
    expect(format).toBe('bai2');
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement).toMatchObject({
      id: 'NWBKGB2L/2009-12-16:88888888 600004',
      account: '88888888 600004',
      currency: 'GBP',
      openingMinor: 36_521,
      closingMinor: 33_845,
      balanced: true,
    });
    expect(statement?.entries.map((entry) => [entry.transactionCode, entry.amountMinor])).toEqual([
      ['699', -971],
      ['699', -100],
      ['699', -123],
      ['699', -1571],
      ['399', 89],
    ]);
    expect(statement?.entries[0]).toMatchObject({ id: `${statement?.id}:1`, bookingDate: '2009-12-16', valueDate: '2009-12-16' });
  });

  it('given text an 88 carries on from a line of exactly 80 characters, when parsing, then the cut word is joined back', () => {
    const [statement] = parseBai2(fixture('moj-nwb_example.bai2')).statements;
    expect(statement?.entries[4]?.remittance).toBe('TFR XBANKGO24007680SJ CAT JPY 2 GBPXBANKGO24007680BGC INTERNATIONAL-5373 CLIENT SECCY AC TFR');
  });

  it('given the SVB example (88-continued 03 summaries, two groups), when parsing, then two balanced statements', () => {
    const { statements } = parseBai2(fixture('moj-svb_us_example.bai2'));
    expect(statements.map((statement) => [statement.id, statement.openingMinor, statement.closingMinor, statement.balanced])).toEqual([
      ['121140399/2022-02-01:1234567890', 34_726_979, 35_217_175, true],
      ['121140399/2022-02-02:1234567890', 35_217_175, 36_122_975, true],
    ]);
    expect(statements[0]?.entries[0]).toMatchObject({ amountMinor: 490_196, transactionCode: '142', bankReference: '172629', references: [], remittance: 'SOME PAYMENT ACH OFFSET' });
  });

  it('given the Citi example (16 ends before its text, 88s carry it), when parsing, then value-dated credit with references and text', () => {
    const [statement] = parseBai2(fixture('moj-example.bai2')).statements;
    expect(statement).toMatchObject({ account: '77777777', currency: 'GBP', openingMinor: 10_000, closingMinor: 10_000, balanced: false });
    expect(statement?.entries).toEqual([
      expect.objectContaining({
        amountMinor: 1,
        transactionCode: '191',
        valueDate: '2015-07-15',
        bankReference: '1234567890',
        references: ['RP12312312312312'],
        remittance:
          'FR:FP SIP INCOMING ENDT:20150715 TRID:RP12312312312312 PY:RP1231231231231200                 A1234BC 22/03/66 BI:22222222 OB:111111 BUCKINGHAM PALACE OB3:BARCLAYS BANK PLC BO:11111111 BO1:DOE JO',
      }),
    ]);
  });

  it('given blank account trailer amounts and no currency anywhere, when parsing, then empty USD statements, not balanced', () => {
    const { statements } = parseBai2(fixture('moj-account_trailer_amount_blank_example.bai2'));
    expect(statements.map((statement) => [statement.account, statement.currency, statement.entries.length, statement.balanced])).toEqual([
      ['12345', 'USD', 0, false],
      ['54321', 'USD', 0, false],
    ]);
  });

  it('given the moov-io CAD sample (funds type V, 88 continuing 03, no 010/015), when parsing, then entries with value dates and balanced false', () => {
    const { statements } = parseBai2(fixture('moov-sample.txt'));
    expect(statements).toHaveLength(2);
    const [first, second] = statements;
    // The same account twice in one group: the second statement id is made unique.
    expect([first?.id, second?.id]).toEqual(['0004/2006-03-17:10200123456', '0004/2006-03-17:10200123456#2']);
    expect(first).toMatchObject({ currency: 'CAD', openingMinor: 0, closingMinor: 0, balanced: false });
    expect(first?.entries).toHaveLength(11);
    expect(second?.entries).toHaveLength(6);
    // 100/400 summaries say 208 500 in and 208 500 out: the details agree.
    const credits = first?.entries.filter((entry) => entry.amountMinor > 0).reduce((sum, entry) => sum + entry.amountMinor, 0);
    const debits = first?.entries.filter((entry) => entry.amountMinor < 0).reduce((sum, entry) => sum + entry.amountMinor, 0);
    expect([credits, debits]).toEqual([208_500, -208_500]);
    expect(first?.entries[0]).toMatchObject({ amountMinor: -2500, transactionCode: '409', bookingDate: '2006-03-17', valueDate: '2006-03-16', remittance: 'RETURNED CHEQUE' });
    expect(first?.entries[3]).toMatchObject({ amountMinor: 203_500, transactionCode: '108', remittance: 'TFR 1020 0345678' });
  });

  it('given the BAI spec section 3 example (funds type 1, no currency, no trailing slash), when parsing, then a USD credit', () => {
    const [statement] = parseBai2(fixture('moov-spec-section3.txt')).statements;
    expect(statement).toMatchObject({ id: '122099999/2004-06-20:0975312468', currency: 'USD', openingMinor: 500_000, balanced: false });
    expect(statement?.entries[0]).toMatchObject({ amountMinor: 1_500_000, transactionCode: '165', bankReference: 'DD1620', references: [], remittance: 'DEALER PAYMENTS' });
  });

  it('given the Goldman Sachs sample as published, when parsing, then its trailer counts are refused: the variant changed entries and kept the counts', () => {
    expect(() => parseBai2(fixture('bai2-reader-gs-sample_1.bai'))).toThrow('line 22: 49 trailer says 26 records in the account, the file has 18');
  });

  it('given the Goldman Sachs sample (newline-delimited 88 text, slashes inside references) with its trailer counts blanked, when parsing, then five accounts', () => {
    const withoutCounts = fixture('bai2-reader-gs-sample_1.bai').replace(/^(49,[^,]*),\d+\//gm, '$1,/').replace(/^(9[89],[^,]*),\d*,\d+\//gm, '$1,,/');
    const { statements } = parseBai2(withoutCounts);
    expect(statements.map((statement) => [statement.account, statement.entries.length])).toEqual([
      ['107049924', 0],
      ['107049932', 3],
      ['104108339', 17],
      ['260000033037', 0],
      ['280000010657', 0],
    ]);
    const [, payments, main] = statements;
    expect(payments?.entries[2]).toMatchObject({ amountMinor: -928_650, bankReference: 'SPB2322684598521', references: ['AB/GS/RPFILERP0001/RPBA0001'] });
    expect(payments?.entries[0]?.remittance).toBe(
      'ACH Credit Payment,Entry Description: EXP; -, SEC: CCD, Client Ref ID: 1111, GS ID: SPB2322984714570 EREF: 1111 DBNM: TEST INC CACT: ACHCONTROLOUTUSD01',
    );
    expect(main).toMatchObject({ openingMinor: 159_581_194, closingMinor: 159_381_194, balanced: false });
    expect(main?.entries[0]).toMatchObject({ transactionCode: '557', amountMinor: -200_000 });
    expect(main?.entries.at(-2)).toMatchObject({ transactionCode: '698', amountMinor: -463_462 });
    expect(main?.entries.at(-1)).toMatchObject({ transactionCode: '354', amountMinor: 1764, remittance: 'Interest,Interest For Account: XXXXXXXX-3074, Period: Jul 1, 2023 to Jul 31, 2023' });
  });

  it('given a real file that is not BAI2 as the spec writes it (hengpor/bai2-to-csv sample), when parsing, then BankFileError at line 2', () => {
    const error = failure(fixture('hengpor-sample-nonstandard.bai'));
    expect(error.location).toBe('line 2');
    expect(error.message).toMatch(/not a YYMMDD date/);
  });
});

describe('parseBai2 funds types, packing and continuations', () => {
  it('given funds type S (immediate, one-day, two-day), when parsing, then the three amounts are skipped and the references read', () => {
    const [statement] = parseBai2(file('03,123,USD,010,1000,,,015,1500,,/\n16,115,500,S,100,200,200,BREF,CREF,LOCKBOX DEPOSIT/')).statements;
    expect(statement?.entries[0]).toMatchObject({ amountMinor: 500, bankReference: 'BREF', references: ['CREF'], remittance: 'LOCKBOX DEPOSIT' });
    expect(statement?.balanced).toBe(true);
  });

  it('given funds type D with two distributions, when parsing, then the distribution pairs are skipped', () => {
    const [statement] = parseBai2(file('03,123,USD,010,0,,,015,-700,,/\n16,475,700,D,2,0,300,1,400,CHK1,1001,CHECK PAID/')).statements;
    expect(statement?.entries[0]).toMatchObject({ amountMinor: -700, bankReference: 'CHK1', references: ['1001'], remittance: 'CHECK PAID' });
    expect(statement).toMatchObject({ closingMinor: -700, balanced: true });
  });

  it('given funds type V on an 03 summary and a 16, when parsing, then the 16 value date is used', () => {
    const [statement] = parseBai2(file('03,123,USD,010,0,,,100,250,1,V,240105,1200,015,250,,/\n16,195,250,V,240105,,WIRE1,,INCOMING WIRE/')).statements;
    expect(statement?.entries[0]).toMatchObject({ valueDate: '2024-01-05', bookingDate: '2024-01-01', amountMinor: 250 });
    expect(statement?.balanced).toBe(true);
  });

  it('given records packed several on one line, when parsing, then each is read', () => {
    const text =
      '01,S,R,240102,0800,1,,,2/02,R,O,1,240101,,EUR,2/03,DE1,,010,10000,,,015,9000,,/16,495,1000,,B1,C1,RENT/49,20000,3/98,20000,1,5/99,20000,1,7/';
    const [statement] = parseBai2(text).statements;
    expect(statement).toMatchObject({ id: 'O/2024-01-01:DE1', currency: 'EUR', openingMinor: 10_000, closingMinor: 9000, balanced: true });
    expect(statement?.entries[0]).toMatchObject({ amountMinor: -1000, bankReference: 'B1', references: ['C1'], remittance: 'RENT' });
  });

  it('given an 03 summary group split across an 88, when parsing, then the group is read whole', () => {
    const [statement] = parseBai2(file('03,123,USD,010/\n88,5000,,,015,5000,,/')).statements;
    expect(statement).toMatchObject({ openingMinor: 5000, closingMinor: 5000, balanced: true });
  });

  it('given a 16 whose fixed fields continue in an 88, when parsing, then references and text land in place', () => {
    const [statement] = parseBai2(file('03,123,USD,010,0,,,015,99,,/\n16,165,99/\n88,0,BANK9,CUST9,PAYMENT TEXT/')).statements;
    expect(statement?.entries[0]).toMatchObject({ amountMinor: 99, bankReference: 'BANK9', references: ['CUST9'], remittance: 'PAYMENT TEXT' });
  });

  it('given a physical line wrapped without a record code, when parsing, then it continues the record before', () => {
    const [statement] = parseBai2(file('03,123,USD,010,0,,,015,1234\n5,,/\n16,165,12345,,B,C,TE\nXT/')).statements;
    expect(statement).toMatchObject({ closingMinor: 12_345, balanced: true });
    expect(statement?.entries[0]?.remittance).toBe('TEXT');
  });

  it('given a zero-decimal currency, when parsing, then the amount is already in minor units', () => {
    const [statement] = parseBai2(file('03,123,JPY,010,1000,,,015,1500,,/\n16,165,500,,,,/')).statements;
    expect(statement).toMatchObject({ currency: 'JPY', openingMinor: 1000, closingMinor: 1500, balanced: true });
  });

  it('given no 03 currency, when parsing, then the 02 group currency applies', () => {
    expect(parseBai2(file('03,123,,010,1,,/', 'CAD')).statements[0]?.currency).toBe('CAD');
  });

  it('given CRLF line ends and trailing blanks, when parsing, then they are ignored', () => {
    const text = file('03,123,USD,010,100,,,015,100,,/ ').replace(/\n/g, '\r\n');
    expect(parseBai2(text).statements[0]).toMatchObject({ openingMinor: 100, closingMinor: 100, balanced: true });
  });
});

describe('parseBai2 malformed input', () => {
  it('given trailers whose counts match the records (88 continuations counted), when parsing, then it is read', () => {
    const text = '01,S,R,240102,0800,1,,,2/\n02,R,O,1,240101,,USD,2/\n03,1,USD/\n16,165,10,,B1,C1,/\n88,TEXT/\n49,10,4/\n98,10,1,6/\n99,10,1,8/\n';
    expect(parseBai2(text).statements[0]?.entries).toHaveLength(1);
  });

  it.each([
    ['an account trailer counting one record too many', '01,S,R,240102,0800,1,,,2/\n02,R,O,1,240101,,USD,2/\n03,1,USD/\n16,165,10,,B1,C1,/\n49,10,5/\n98,10,1,6/\n99,10,1,8/\n', /49 trailer says 5 records in the account, the file has 3/, 'line 5'],
    ['a group trailer with the wrong number of accounts', '01,S,R,240102,0800,1,,,2/\n02,R,O,1,240101,,USD,2/\n03,1,USD/\n49,0,2/\n98,0,2,4/\n99,0,1,6/\n', /98 trailer says 2 accounts in the group, the file has 1/, 'line 5'],
    ['a file trailer with the wrong number of records', '01,S,R,240102,0800,1,,,2/\n02,R,O,1,240101,,USD,2/\n03,1,USD/\n49,0,2/\n98,0,1,4/\n99,0,1,9/\n', /99 trailer says 9 records in the file, the file has 6/, 'line 6'],
    ['an empty file', '', /no BAI2 records/, undefined],
    ['a file not starting with 01', '02,R,O,1,240101,,USD,2/\n', /not the 01 file header/, 'line 1'],
    ['a first line that is not a record', 'HELLO\n01,S,R,240102,0800,1,,,2/\n', /"HELLO" is not a BAI2 record/, 'line 1'],
    ['an unknown record code', '01,S,R,240102,0800,1,,,2/\n77,X/\n', /unknown record code 77/, 'line 2'],
    ['no 99 trailer', '01,S,R,240102,0800,1,,,2/\n02,R,O,1,240101,,USD,2/\n98,0,0,2/\n', /no 99 file trailer/, undefined],
    ['an 03 outside a group', '01,S,R,240102,0800,1,,,2/\n03,1,USD/\n', /outside a group/, 'line 2'],
    ['a 16 outside an account', '01,S,R,240102,0800,1,,,2/\n02,R,O,1,240101,,USD,2/\n16,165,1,,,,/\n', /outside an account/, 'line 3'],
    ['an 88 before any record', '88,X/\n', /no record to continue/, 'line 1'],
    ['a 98 while an account is open', '01,S,R,240102,0800,1,,,2/\n02,R,O,1,240101,,USD,2/\n03,1,USD/\n98,0,0,2/\n', /has no 49 trailer/, 'line 4'],
  ])('given %s, when parsing, then BankFileError', (_name, text, message, location) => {
    const error = failure(text);
    expect(error.message).toMatch(message);
    if (location) expect(error.location).toBe(location);
  });

  it.each([
    ['a detail type code with no direction (890)', '03,1,USD/\n16,890,0,,,,INFO/', /neither a credit/],
    ['a detail amount with a decimal point', '03,1,USD/\n16,165,10.50,,,,/', /not a detail amount/],
    ['a signed detail amount', '03,1,USD/\n16,165,-10,,,,/', /not a detail amount/],
    ['an unknown funds type', '03,1,USD/\n16,165,10,X,,,/', /unknown funds type "X"/],
    ['a distribution count that is not a number', '03,1,USD/\n16,165,10,D,two,,,/', /distributions/],
    ['an unknown currency', '03,1,XYZ/', /unknown currency XYZ/],
    ['a summary amount that is not a number', '03,1,USD,010,12A,,/', /not a BAI2 amount/],
    ['a summary type code that is not three digits', '03,1,USD,10,12,,/', /not a summary type code/],
    ['an incomplete summary group', '03,1,USD,010,12,,V,240101/', /incomplete summary group/],
    ['a 16 missing its references', '03,1,USD/\n16,165,10/', /missing fields/],
    ['an impossible value date', '03,1,USD/\n16,165,10,V,240231,,,,/', /not a date/],
  ])('given %s, when parsing, then BankFileError at the record', (_name, body, message) => {
    const error = failure(file(body));
    expect(error.message).toMatch(message);
    expect(error.location).toMatch(/^line \d+$/);
  });
});

describe('parseBai2 remittance advice in the text (X12 RMR/ADX segments of ACH CCD+/CTX addenda)', () => {
  const [statement] = parseBai2(fixture('o2c-ach-remittance.bai')).statements;
  const documentsOf = (index: number) => statement?.entries[index]?.remittanceDocuments;
  const entryOf = (body: string, currency = 'USD') => parseBai2(file(`03,123,${currency}/\n${body}`)).statements[0]?.entries[0];

  it('given the generated ACH file, when parsing, then its counts hold and the statement balances', () => {
    expect(statement).toMatchObject({ currency: 'USD', openingMinor: 2_500_000, closingMinor: 3_046_500, balanced: true });
    expect(statement?.entries.map((entry) => entry.amountMinor)).toEqual([124_000, 395_000, 7_500, 50_000, -30_000]);
  });

  it('given a CCD+ addenda with amount paid, invoice amount and discount (backslash terminator), when parsing, then one invoice with all three', () => {
    expect(documentsOf(0)).toEqual([{ number: 'INV-2026-000118', kind: 'CINV', paidMinor: 124_000, dueMinor: 125_000, discountMinor: 1_000 }]);
  });

  it('given a CTX 820 over several 88 records, when parsing, then one document per RMR with its amount paid', () => {
    expect(documentsOf(1)?.map((document) => [document.number, document.kind, document.paidMinor])).toEqual([
      ['INV-2026-000131', 'CINV', 119_000],
      ['INV-2026-000132', 'CINV', 238_000],
      ['CM-2026-0009', 'CREN', 12_000],
      ['INV-2026-000140', 'CINV', 50_000],
    ]);
  });

  it('given an ADX after an RMR whose words an 88 cut mid-word, when parsing, then a positive deduction with code and the words rejoined', () => {
    expect(documentsOf(1)?.[0]).toEqual({
      number: 'INV-2026-000131',
      kind: 'CINV',
      paidMinor: 119_000,
      dueMinor: 125_000,
      discountMinor: 1_000,
      adjustments: [{ amountMinor: 5_000, code: '03', reason: '2 CARTONS DAMAGED' }],
    });
  });

  it('given an invoice number an 88 cut in two, when parsing, then the number is whole', () => {
    expect(documentsOf(1)?.[1]).toEqual({ number: 'INV-2026-000132', kind: 'CINV', paidMinor: 238_000, dueMinor: 238_000 });
  });

  it('given a credit memo taken (negative amount paid), when parsing, then it is a credit note with positive amounts', () => {
    expect(documentsOf(1)?.[2]).toEqual({ number: 'CM-2026-0009', kind: 'CREN', paidMinor: 12_000, dueMinor: 12_000 });
  });

  it('given an RMR with a number only, when parsing, then the document has no amounts', () => {
    expect(documentsOf(2)).toEqual([{ number: 'INV-2026-000150', kind: 'CINV' }]);
  });

  it('given text without segments, when parsing, then the entry has no remittanceDocuments and its text is as before', () => {
    expect(statement?.entries[3]).not.toHaveProperty('remittanceDocuments');
    expect(statement?.entries[3]?.remittance).toBe('LOCKBOX 4471 DEPOSIT 1 ITEM');
    expect(statement?.entries[0]?.remittance).toBe('ORIG CO NAME:ACME WIDGETS INC ORIG ID:1234567890 SEC:CCD RMR*IV*INV-2026-000118**1240.00*1250.00*10.00\\');
  });

  it('given several segments ended by backslashes on one line, when parsing, then each RMR is read and the ADX is its own', () => {
    const entry = entryOf('16,142,1500,,B1,,RMR*IV*A-1**10.00\\RMR*IV*A-2**5.00*6.00\\ADX*-1.00*01\\');
    expect(entry?.remittanceDocuments).toEqual([
      { number: 'A-1', kind: 'CINV', paidMinor: 1_000 },
      { number: 'A-2', kind: 'CINV', paidMinor: 500, dueMinor: 600, adjustments: [{ amountMinor: 100, code: '01' }] },
    ]);
  });

  it('given each segment in an 88 of its own without a terminator, when parsing, then each continuation starts a segment', () => {
    const entry = entryOf('16,142,3000,,B1,,PMT INFO:\n88,RMR*IV*A-1**10.00\n88,RMR*IV*A-2**20.00');
    expect(entry?.remittanceDocuments?.map((document) => [document.number, document.paidMinor])).toEqual([
      ['A-1', 1_000],
      ['A-2', 2_000],
    ]);
  });

  it('given a positive ADX (the payer adds) and one before any RMR (the payment as a whole), when parsing, then the first adds and the second is no document\'s', () => {
    const entry = entryOf('16,142,1000,,B1,,ADX*-2.00*CS~RMR*IV*A-1**10.00~ADX*2.50*IA~');
    expect(entry?.remittanceDocuments).toEqual([{ number: 'A-1', kind: 'CINV', paidMinor: 1_000, adjustments: [{ amountMinor: -250, code: 'IA' }] }]);
  });

  it('given an ENT (another payee of the 820) after an RMR, when parsing, then a later ADX is not that document\'s', () => {
    const entry = entryOf('16,142,1000,,B1,,RMR*IV*A-1**10.00~ENT*2~ADX*-2.00*CS~');
    expect(entry?.remittanceDocuments).toEqual([{ number: 'A-1', kind: 'CINV', paidMinor: 1_000 }]);
  });

  it('given a qualifier other than IV, when parsing, then it is kept as the kind', () => {
    expect(entryOf('16,142,1000,,B1,,RMR*PO*PO-77**10.00\\')?.remittanceDocuments).toEqual([{ number: 'PO-77', kind: 'PO', paidMinor: 1_000 }]);
  });

  it('given JPY and KWD accounts, when parsing, then remittance amounts take the currency exponent', () => {
    expect(entryOf('16,142,1190,,B1,,RMR*IV*J-1**1190*1200*10\\', 'JPY')?.remittanceDocuments).toEqual([{ number: 'J-1', kind: 'CINV', paidMinor: 1_190, dueMinor: 1_200, discountMinor: 10 }]);
    expect(entryOf('16,142,1234567,,B1,,RMR*IV*K-1**1234.567*.5\\', 'KWD')?.remittanceDocuments).toEqual([{ number: 'K-1', kind: 'CINV', paidMinor: 1_234_567, dueMinor: 500 }]);
  });

  it('given the word RMR in text without a segment, when parsing, then no document', () => {
    expect(entryOf('16,142,1000,,B1,,PAYMENT FOR RMR ORDER 5')).not.toHaveProperty('remittanceDocuments');
  });

  it.each([
    ['an amount paid with a thousands separator', 'RMR*IV*A-1**1,190.00\\', /RMR for A-1: RMR04 \(amount paid\) "1,190\.00" is not an amount/],
    ['an amount paid with more decimals than USD', 'RMR*IV*A-1**11.905\\', /RMR04 \(amount paid\): "11\.905" has more decimals than USD allows \(2\)/],
    ['a discount that is not a number', 'RMR*IV*A-1**10.00*11.00*ONE\\', /RMR06 \(discount taken\) "ONE" is not an amount/],
    ['amounts of opposite signs', 'RMR*IV*A-1**-10.00*12.00\\', /A-1: RMR05 \(invoice amount\) is positive on a credit memo/],
    ['a negative discount on a paid invoice', 'RMR*IV*A-1**10.00*12.00*-2.00\\', /RMR06 \(discount taken\) is negative on a document that is paid/],
    ['an ADX without an amount', 'RMR*IV*A-1**10.00\\ADX**01\\', /ADX without an amount/],
    ['an ADX amount that is not a number', 'RMR*IV*A-1**10.00\\ADX*-1.0.0*01\\', /ADX01 \(adjustment amount\) "-1\.0\.0" is not an amount/],
    ['trailing words after an unterminated segment', 'RMR*IV*A-1**10.00 THANK YOU', /"10\.00 THANK YOU" is not an amount/],
  ])('given %s, when parsing, then BankFileError at the 16 record', (_name, text, message) => {
    const error = failure(file(`03,123,USD/\n16,142,1000,,B1,,${text}`));
    expect(error.message).toMatch(message);
    expect(error.location).toBe('line 4');
  });
});
