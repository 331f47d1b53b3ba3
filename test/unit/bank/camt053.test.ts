import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BankFileError } from '#domain/bank-statement';
import { parseCamt053 } from '#shared/bank/camt053';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** Real sample files from other projects' test suites; test/fixtures/bank/SOURCES.md says where each comes from. */
const fixture = (name: string): string => readFileSync(join(repoRoot, 'test/fixtures/bank/camt053', name), 'utf8');

function rejection(xml: string): BankFileError {
  try {
    parseCamt053(xml);
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  throw new Error('expected a BankFileError');
}

describe('camt.053', () => {
  describe('OCA bank-statement-import test-camt053 (.001.02, ABN AMRO style)', () => {
    const [statement] = parseCamt053(fixture('oca-test-camt053-v02.xml')).statements;

    it('given the statement, when parsed, then account, currency and balances match OCA golden data', () => {
      expect(statement).toMatchObject({ id: '1234Test/1', account: 'NL77ABNA0574908765', currency: 'EUR', openingMinor: 1_556_827, closingMinor: 1_512_112 });
    });

    it('given three entries of which one is a batch of two, when parsed, then there are four entries with the golden amounts', () => {
      expect(statement?.entries.map((entry) => entry.amountMinor)).toEqual([-75_425, -56_405, -10_000, 140_531]);
      expect(statement?.entries.map((entry) => entry.endToEndId)).toEqual([
        '435005714488-ABNO33052620',
        'TESTBANK/NL/20141229/01206408',
        'TESTBANK/NL/20141229/01206407',
        '115',
      ]);
      expect(statement?.entries.map((entry) => entry.counterparty.name)).toEqual(['INSURANCE COMPANY TESTX', 'Test Customer', 'Test Customer', '3rd party Media']);
      expect(statement?.entries.map((entry) => entry.id)).toEqual(['1234Test/1:1', '1234Test/1:2', '1234Test/1:3', '1234Test/1:4']);
    });

    it('given a reversed direct-debit batch (RvslInd, DBIT), when parsed, then both parts are negative reversals with their return reason', () => {
      const reversed = statement?.entries.filter((entry) => entry.reversal) ?? [];
      expect(reversed).toHaveLength(2);
      for (const entry of reversed) {
        expect(entry).toMatchObject({ returnReason: 'AC06', transactionCode: 'PMNT/IDDT/UPDD', remittance: 'Direct Debit S14 0410' });
        expect(entry.counterparty).toEqual({ name: 'Test Customer', account: 'NL46ABNA0499998748' });
      }
    });

    it('given a credit, when parsed, then the counterparty is the debtor and its IBAN', () => {
      expect(statement?.entries[3]).toMatchObject({ counterparty: { name: '3rd party Media', account: 'NL69ABNA0522123643' }, transactionCode: 'PMNT/RCDT/ESCT', bookingDate: '2014-01-05', valueDate: '2014-01-05' });
    });

    it('given a published statement whose entries do not add up to its closing balance, when parsed, then it is reported as unbalanced', () => {
      // 15 568.27 − 754.25 − 664.05 + 1 405.31 = 15 555.28, the file says 15 121.12: reported, not hidden.
      expect(statement?.balanced).toBe(false);
    });
  });

  describe('OCA bank-statement-import test-camt053-txdtls (.001.04, Swiss ISR batch)', () => {
    const [statement] = parseCamt053(fixture('oca-test-camt053-txdtls-v04.xml')).statements;

    it('given one batch entry with two TxDtls, when parsed, then it is split into two entries that balance', () => {
      expect(statement).toMatchObject({ account: 'CH1111000000123456789', currency: 'CHF', openingMinor: 7_596_015, closingMinor: 7_944_315, balanced: true });
      expect(statement?.entries.map((entry) => entry.amountMinor)).toEqual([218_700, 129_600]);
    });

    it('given structured ISR creditor references, when parsed, then each part carries its own reference and debtor account', () => {
      expect(statement?.entries.map((entry) => entry.references)).toEqual([['302388292000011111111111111'], ['302388292000022222222222222']]);
      expect(statement?.entries.map((entry) => entry.counterparty)).toEqual([
        { name: 'Banque Cantonale Vaudoise', account: 'CH2222000000123456789' },
        { name: 'Banque Cantonale Vaudoise', account: 'CH3333000000123456789' },
      ]);
    });

    it('given an entry-level AcctSvcrRef and TxDtls bank codes, when parsed, then the entry reference and the detailed code are kept', () => {
      expect(statement?.entries[0]).toMatchObject({
        bankReference: '20170323001234567891234567891234',
        transactionCode: 'PMNT/RCDT/AUTT',
        bookingDate: '2017-03-22',
        valueDate: '2017-03-23',
        reversal: false,
        endToEndId: undefined,
      });
    });
  });

  describe('ofxstatement-iso20022 simple.xml (.001.02, DNB Lithuania)', () => {
    const { statements } = parseCamt053(fixture('kedder-simple-dnb-v02.xml'));
    const [statement] = statements;

    it('given the statement, when parsed, then balances and line count match the ofxstatement test', () => {
      expect(statements).toHaveLength(1);
      expect(statement).toMatchObject({ account: 'LT000000000000000000', currency: 'EUR', openingMinor: 30_653, closingMinor: 12_552, balanced: true });
      expect(statement?.entries).toHaveLength(4);
    });

    it('given the first line, when parsed, then amount, memo, dates, payee and bank reference match the ofxstatement test', () => {
      expect(statement?.entries[0]).toMatchObject({
        amountMinor: -29,
        remittance: 'Sąskaitos aptarnavimo mokestis',
        bookingDate: '2015-12-31', // BookgDt/DtTm 2015-12-31T00:00:00
        valueDate: '2016-01-01',
        bankReference: 'FC1261858984', // from TxDtls/Refs, the entry has none
        counterparty: { name: 'AB DNB Bankas' },
        transactionCode: 'ACMT/OTHR/OTHR',
      });
    });

    it('given EndToEndId NOTPROVIDED, when parsed, then no end-to-end id is reported', () => {
      expect(statement?.entries.map((entry) => entry.endToEndId)).toEqual([undefined, undefined, undefined, undefined]);
    });

    it('given an Ustrd line with trailing blanks, when parsed, then the remittance is trimmed', () => {
      expect(statement?.entries[1]?.remittance).toBe('Lėšų pervedimas į/iš LT11111111111111111 EUR pagal Nr. LTUH459EUR 00001');
    });
  });

  describe('genkgo/camt camt053.v2.multi.statement.xml (.001.02)', () => {
    const { format, statements } = parseCamt053(fixture('genkgo-camt053.v2.multi.statement.xml'));

    it('given two Stmt in one message, when parsed, then two balanced statements result with their own entries', () => {
      expect(format).toBe('camt053');
      expect(statements.map((s) => [s.id, s.openingMinor, s.closingMinor, s.balanced, s.entries.length])).toEqual([
        ['253EURNL26VAYB8060476890', 1815, 2700, true, 1],
        ['254EURNL26VAYB8060476890', 2700, 2000, true, 1],
      ]);
    });

    it('given a proprietary bank code and unstructured remittance, when parsed, then both are kept', () => {
      expect(statements[0]?.entries[0]).toMatchObject({ amountMinor: 885, transactionCode: '544', remittance: 'Transaction Description 1', endToEndId: '000000001' });
      expect(statements[1]?.entries[0]).toMatchObject({ amountMinor: -700, counterparty: { name: 'Company Name 2', account: 'NL56AGDH9619008421' } });
    });
  });

  describe('genkgo/camt camt053.v8.xml (.001.08, closing balance corrected, see SOURCES.md)', () => {
    const xml = fixture('genkgo-camt053.v8.xml');
    const [statement] = parseCamt053(xml).statements;

    it('given an Othr account id, Dbtr/Pty and a DtTm booking date, when parsed, then they are read', () => {
      expect(statement).toMatchObject({ account: 'NL26VAYB8060476890', currency: 'EUR', openingMinor: 1815, closingMinor: 2700, balanced: true });
      expect(statement?.entries[0]).toMatchObject({
        amountMinor: 885, // the entry amount: its single TxDtls says "0 SEK"
        bookingDate: '2014-12-31',
        bankReference: 'AAAASESS-FP-CN_98765/01',
        endToEndId: 'MUELL/FINP/RA12345',
        references: ['4654654654654654'],
        counterparty: { name: 'NAME NAME', account: 'NL56AGDH9619008421' },
        transactionCode: 'PMNT/RCDT/BOOK',
      });
    });

    it('given an ISO 11649 RF creditor reference, when parsed, then it is captured', () => {
      const [entry] = parseCamt053(xml.replace('<Ref>4654654654654654</Ref>', '<Ref>RF18539007547034</Ref>')).statements[0]?.entries ?? [];
      expect(entry?.references).toEqual(['RF18539007547034']);
    });

    it('given the file as published, with its only closing balance in SEK on an EUR statement, when parsed, then it is refused: no EUR closing balance to check the entries against', () => {
      const published = xml.replace('<Amt Ccy="EUR">27.00</Amt>\n                <CdtDbtInd>CRDT</CdtDbtInd>', '<Amt Ccy="SEK">27.00</Amt>\n                <CdtDbtInd>DBIT</CdtDbtInd>');
      expect(published).not.toBe(xml);
      const error = rejection(published);
      expect(error.location).toBe('BkToCstmrStmt/Stmt[1]');
      expect(error.message).toMatch(/no closing balance \(CLBD\) in EUR.*SEK/);
    });

    it('given a debit closing balance, when parsed, then it is negative', () => {
      const overdrawn = xml
        .replace('<Amt Ccy="EUR">27.00</Amt>\n                <CdtDbtInd>CRDT</CdtDbtInd>', '<Amt Ccy="EUR">27.00</Amt>\n                <CdtDbtInd>DBIT</CdtDbtInd>')
        .replace('<Amt Ccy="EUR">18.15</Amt>\n                <CdtDbtInd>CRDT</CdtDbtInd>', '<Amt Ccy="EUR">35.85</Amt>\n                <CdtDbtInd>DBIT</CdtDbtInd>');
      expect(parseCamt053(overdrawn).statements[0]).toMatchObject({ openingMinor: -3585, closingMinor: -2700, balanced: true });
    });
  });

  describe('OCA bank-statement-import test-camt053-multi-currency (.001.04, Credit Suisse, a EUR payment from a CHF account)', () => {
    const xml = fixture('oca-test-camt053-multi-currency-v04.xml');
    const batelierAmount = '<Amt Ccy="CHF">579.21</Amt>\n\t\t\t<CdtDbtInd>DBIT</CdtDbtInd>';
    const lastEntryEnd = xml.lastIndexOf('</Ntry>') + '</Ntry>'.length;
    const usdEntry = `<Ntry><Amt Ccy="USD">19.99</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2021-09-14</Dt></BookgDt><AcctSvcrRef>USD-1</AcctSvcrRef>
<NtryDtls><TxDtls><RmtInf><Ustrd>INV-2021-0042</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;

    it('given the published file, when parsed, then the EUR payment is booked in CHF and the statement balances as in the OCA golden data', () => {
      const [statement] = parseCamt053(xml).statements;
      expect(statement).toMatchObject({ account: 'CH1904835028789771000', currency: 'CHF', openingMinor: 35_077_785, closingMinor: 35_033_264, balanced: true });
      expect(statement?.entries.map((entry) => [entry.currency, entry.amountMinor, entry.endToEndId])).toEqual([
        ['CHF', -57_921, 'SP-98803960-0'],
        ['CHF', 13_400, '1050079910'],
      ]);
    });

    it('given an entry in another currency than its statement (Ntry/Amt in USD on the CHF statement), when parsed, then it keeps its own currency and the CHF figures still balance', () => {
      const withUsd = `${xml.slice(0, lastEntryEnd)}\n${usdEntry}${xml.slice(lastEntryEnd)}`;
      const [statement] = parseCamt053(withUsd).statements;
      expect(statement).toMatchObject({ currency: 'CHF', openingMinor: 35_077_785, closingMinor: 35_033_264, balanced: true });
      expect(statement?.entries.map((entry) => [entry.currency, entry.amountMinor, entry.bankReference])).toEqual([
        ['CHF', -57_921, 'DNXK210913CS36481/1001'],
        ['CHF', 13_400, '80XM210914CS02210/1001'],
        ['USD', 1999, 'USD-1'],
      ]);
      expect(statement?.entries[2]).toMatchObject({ remittance: 'INV-2021-0042', id: '47608f88362e485da1eaaa654ab4f84b:3' });
    });

    it('given the EUR payment written in its instructed currency at entry level, when parsed, then it is an EUR entry and the CHF statement is reported unbalanced, not refused', () => {
      const instructed = xml.replace(batelierAmount, '<Amt Ccy="EUR">522.39</Amt>\n\t\t\t<CdtDbtInd>DBIT</CdtDbtInd>');
      expect(instructed).not.toBe(xml);
      const [statement] = parseCamt053(instructed).statements;
      expect(statement?.entries.map((entry) => [entry.currency, entry.amountMinor])).toEqual([
        ['EUR', -52_239],
        ['CHF', 13_400],
      ]);
      // 350 777.85 + 134.00 ≠ 350 332.64: the CHF side of the EUR payment is not in the file.
      expect(statement?.balanced).toBe(false);
    });

    it("given balances in another currency beside the statement's own (a counter-value OPBD and CLBD in EUR), when parsed, then the CHF balances are the statement's", () => {
      const firstBal = xml.indexOf('<Bal>');
      const eurBalances = ['OPBD', 'CLBD']
        .map((code) => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">316000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2021-09-14</Dt></Dt></Bal>\n`)
        .join('');
      const [statement] = parseCamt053(`${xml.slice(0, firstBal)}${eurBalances}${xml.slice(firstBal)}`).statements;
      expect(statement).toMatchObject({ currency: 'CHF', openingMinor: 35_077_785, closingMinor: 35_033_264, balanced: true });
    });
  });

  describe('shapes the fixtures lack', () => {
    const statementXml = (entries: string, closing = '100.00') => `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.06"><BkToCstmrStmt><Stmt><Id>S1</Id>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-01</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-02</Dt></Dt></Bal>
${entries}</Stmt></BkToCstmrStmt></Document>`;
    const entry = (details: string, amount = '100.00') =>
      `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-01-02</Dt></BookgDt>${details}</Ntry>`;

    it('given an entry without details and a PRCD opening balance, when parsed, then it is one entry and the statement balances', () => {
      const [statement] = parseCamt053(statementXml(entry(''))).statements;
      expect(statement).toMatchObject({ openingMinor: 0, closingMinor: 10_000, balanced: true });
      expect(statement?.entries).toEqual([
        expect.objectContaining({ amountMinor: 10_000, valueDate: '2026-01-02', references: [], remittance: '', counterparty: {}, bankReference: '' }),
      ]);
    });

    it('given several Ustrd lines, referred documents and an ultimate debtor only, when parsed, then they are joined and captured', () => {
      const details = `<NtryDtls><TxDtls><RltdPties><UltmtDbtr><Pty><Nm>Parent Corp</Nm></Pty></UltmtDbtr><DbtrAcct><Id><Othr><Id>123456789</Id></Othr></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>INV-1001</Ustrd><Ustrd>INV-1002</Ustrd><Strd><RfrdDocInf><Nb>INV-1001</Nb></RfrdDocInf><RfrdDocInf><Nb>INV-1002</Nb></RfrdDocInf></Strd></RmtInf></TxDtls></NtryDtls>`;
      const [only] = parseCamt053(statementXml(entry(details))).statements[0]?.entries ?? [];
      expect(only).toMatchObject({ remittance: 'INV-1001 INV-1002', references: ['INV-1001', 'INV-1002'], counterparty: { name: 'Parent Corp', account: '123456789' } });
    });

    it('given batch details that do not add up to the entry, when parsed, then the entry is kept whole', () => {
      const details = `<NtryDtls><TxDtls><Amt Ccy="EUR">60.00</Amt><RmtInf><Ustrd>A</Ustrd></RmtInf></TxDtls><TxDtls><Amt Ccy="EUR">30.00</Amt><RmtInf><Ustrd>B</Ustrd></RmtInf></TxDtls></NtryDtls>`;
      const { entries, balanced } = parseCamt053(statementXml(entry(details))).statements[0] ?? { entries: [], balanced: false };
      expect(entries.map((e) => [e.amountMinor, e.remittance])).toEqual([[10_000, 'A B']]);
      expect(balanced).toBe(true);
    });

    it('given a message written with a namespace prefix, when parsed, then it is read like any other', () => {
      const ns = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02';
      const xml = `<n:Document xmlns:n="${ns}"><n:BkToCstmrStmt><n:Stmt><n:Id>P1</n:Id><n:Acct><n:Id><n:IBAN>NL91ABNA0417164300</n:IBAN></n:Id></n:Acct>
<n:Bal><n:Tp><n:CdOrPrtry><n:Cd>OPBD</n:Cd></n:CdOrPrtry></n:Tp><n:Amt Ccy="JPY">1000</n:Amt><n:CdtDbtInd>CRDT</n:CdtDbtInd></n:Bal>
<n:Bal><n:Tp><n:CdOrPrtry><n:Cd>CLBD</n:Cd></n:CdOrPrtry></n:Tp><n:Amt Ccy="JPY">400</n:Amt><n:CdtDbtInd>CRDT</n:CdtDbtInd></n:Bal>
<n:Ntry><n:Amt Ccy="JPY">600</n:Amt><n:CdtDbtInd>DBIT</n:CdtDbtInd><n:BookgDt><n:Dt>2026-01-02</n:Dt></n:BookgDt></n:Ntry></n:Stmt></n:BkToCstmrStmt></n:Document>`;
      expect(parseCamt053(xml).statements[0]).toMatchObject({ id: 'P1', currency: 'JPY', openingMinor: 1000, closingMinor: 400, balanced: true, entries: [{ amountMinor: -600 }] });
      expect(rejection(xml.replaceAll(ns, 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.02')).message).toMatch(/namespace/);
    });

    it('given a pending entry, when parsed, then it is left out of the booked entries', () => {
      const pending = `<Ntry><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><BookgDt><Dt>2026-01-02</Dt></BookgDt></Ntry>`;
      expect(parseCamt053(statementXml(entry('') + pending)).statements[0]?.entries).toHaveLength(1);
    });
  });

  describe('malformed input', () => {
    const valid = fixture('genkgo-camt053.v2.multi.statement.xml');

    it.each([
      ['not XML at all', 'this is not xml', /not well-formed XML/],
      ['truncated XML', valid.slice(0, 500), /not well-formed XML/],
      ['a camt.052 report', fixture('genkgo-camt053.v2.multi.statement.xml').replaceAll('BkToCstmrStmt', 'BkToCstmrAcctRpt'), /not a camt\.053 message/],
      ['a camt.053 root in a foreign namespace', valid.replace('camt.053.001.02', 'camt.054.001.02'), /namespace/],
      ['an empty message', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>', /no Stmt/],
    ])('given %s, when parsed, then a BankFileError says why', (_what, xml, message) => {
      const error = rejection(xml);
      expect(error.name).toBe('BankFileError');
      expect(error.message).toMatch(message);
    });

    it('given a statement without a closing balance, when parsed, then the error points at the statement', () => {
      const error = rejection(valid.replace('<Cd>CLBD</Cd>', '<Cd>CLAV</Cd>'));
      expect(error.message).toMatch(/no closing balance/);
      expect(error.location).toBe('BkToCstmrStmt/Stmt[1]');
    });

    it('given a statement without an opening balance, when parsed, then the error points at that statement', () => {
      const secondOpening = valid.lastIndexOf('<Cd>OPBD</Cd>');
      const error = rejection(`${valid.slice(0, secondOpening)}<Cd>OPAV</Cd>${valid.slice(secondOpening + '<Cd>OPBD</Cd>'.length)}`);
      expect(error.message).toMatch(/no opening balance/);
      expect(error.location).toBe('BkToCstmrStmt/Stmt[2]');
    });

    it('given an amount with more decimals than the currency has, when parsed, then it is refused with its location', () => {
      const error = rejection(valid.replace('<Amt Ccy="EUR">8.85</Amt>', '<Amt Ccy="EUR">8.851</Amt>'));
      expect(error.message).toMatch(/more decimals/);
      expect(error.location).toBe('BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt');
    });

    it.each([
      ['a signed amount', '<Amt Ccy="EUR">-8.85</Amt>', /carries a sign/],
      ['an amount that is not a number', '<Amt Ccy="EUR">8,85</Amt>', /not a decimal amount/],
      ['an amount without currency', '<Amt>8.85</Amt>', /without a Ccy/],
    ])('given %s, when parsed, then it is refused', (_what, replacement, message) => {
      expect(rejection(valid.replace('<Amt Ccy="EUR">8.85</Amt>', replacement)).message).toMatch(message);
    });

    it('given an unknown credit/debit indicator, when parsed, then it is refused', () => {
      const error = rejection(valid.replace('<CdtDbtInd>CRDT</CdtDbtInd>\n                <RvslInd>', '<CdtDbtInd>CRED</CdtDbtInd>\n                <RvslInd>'));
      expect(error.location).toBe('BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd');
    });

    it('given an entry without dates, when parsed, then it is refused', () => {
      const stripped = valid.replace(/<BookgDt>[\s\S]*?<\/ValDt>/, '');
      expect(rejection(stripped).message).toMatch(/no booking date/);
    });
  });

  describe('structured remittance (RmtInf/Strd), generated fixtures o2c-remittance-*.xml', () => {
    const remittance = fixture('o2c-remittance-v08.xml');
    const [statement] = parseCamt053(remittance).statements;
    const documentsOf = (index: number) => statement?.entries[index]?.remittanceDocuments;

    it('given one transfer paying three invoices and using a credit note (.001.08), when parsed, then each Strd is a document with its own amounts', () => {
      expect(statement).toMatchObject({ currency: 'EUR', balanced: true });
      expect(statement?.entries[0]?.amountMinor).toBe(274_000);
      expect(documentsOf(0)?.map((document) => [document.number, document.kind, document.paidMinor])).toEqual([
        ['INV-2026-0101', 'CINV', 117_600],
        ['INV-2026-0102', 'CINV', 95_000],
        ['INV-2026-0103', 'CINV', 71_400],
        ['CN-2026-0007', 'CREN', undefined],
      ]);
    });

    it('given a discount as DscntApldAmt/Amt with a type (.001.04 and later), when parsed, then it is the discount taken', () => {
      expect(documentsOf(0)?.[0]).toEqual({ number: 'INV-2026-0101', kind: 'CINV', dueMinor: 120_000, discountMinor: 2_400, paidMinor: 117_600 });
    });

    it('given a short payment with a DBIT adjustment and its reason, when parsed, then it is a positive deduction with code and words', () => {
      expect(documentsOf(0)?.[1]).toEqual({
        number: 'INV-2026-0102',
        kind: 'CINV',
        dueMinor: 100_000,
        paidMinor: 95_000,
        adjustments: [{ amountMinor: 5_000, code: 'DAMG', reason: '2 cartons damaged in transit' }],
      });
    });

    it('given a CRDT adjustment (the payer adds interest), when parsed, then it is negative: it adds to what is paid', () => {
      expect(documentsOf(0)?.[2]?.adjustments).toEqual([{ amountMinor: -1_400, code: 'INTR', reason: 'late payment interest' }]);
    });

    it('given a credit note (CREN) with its CdtNoteAmt, when parsed, then its amount is the document amount', () => {
      expect(documentsOf(0)?.[3]).toEqual({ number: 'CN-2026-0007', kind: 'CREN', dueMinor: 10_000 });
    });

    it('given structured remittance, when parsed, then references and the unstructured text stay as before', () => {
      expect(statement?.entries[0]).toMatchObject({ references: ['INV-2026-0101', 'INV-2026-0102', 'INV-2026-0103', 'CN-2026-0007'], remittance: '', endToEndId: 'NORDWIND-PAY-4471' });
    });

    it('given a Strd with only a creditor reference, when parsed, then the reference is the document number, without amounts', () => {
      expect(documentsOf(1)).toEqual([{ number: 'RF18539007547034' }]);
      expect(statement?.entries[1]?.references).toEqual(['RF18539007547034']);
    });

    it('given unstructured remittance only, when parsed, then the entry has no remittanceDocuments at all', () => {
      expect(statement?.entries[2]).not.toHaveProperty('remittanceDocuments');
      expect(statement?.entries[2]?.remittance).toBe('Rechnung INV-2026-0099 Kundennr 4711');
    });

    it('given an adjustment without CdtDbtInd, when parsed, then it is read as a deduction', () => {
      const [without] = parseCamt053(remittance.replace('<CdtDbtInd>DBIT</CdtDbtInd>\n                    <Rsn>DAMG</Rsn>', '<Rsn>DAMG</Rsn>')).statements;
      expect(without?.entries[0]?.remittanceDocuments?.[1]?.adjustments).toEqual([{ amountMinor: 5_000, code: 'DAMG', reason: '2 cartons damaged in transit' }]);
    });

    it('given a CdtNoteAmt on an invoice, when parsed, then the credit note netted against it is a deduction', () => {
      const netted = remittance.replace('<RmtdAmt Ccy="EUR">1176.00</RmtdAmt>', '<CdtNoteAmt Ccy="EUR">100.00</CdtNoteAmt>\n                  <RmtdAmt Ccy="EUR">1076.00</RmtdAmt>');
      const [document] = parseCamt053(netted).statements[0]?.entries[0]?.remittanceDocuments ?? [];
      expect(document).toMatchObject({ paidMinor: 107_600, discountMinor: 2_400, adjustments: [{ amountMinor: 10_000, reason: 'credit note (CdtNoteAmt)' }] });
    });

    it('given JPY (no decimals) and DscntApldAmt as a plain amount (.001.02), when parsed, then yen are minor units', () => {
      const [yen] = parseCamt053(fixture('o2c-remittance-jpy-v02.xml')).statements;
      expect(yen).toMatchObject({ currency: 'JPY', balanced: true });
      expect(yen?.entries[0]?.remittanceDocuments).toEqual([
        { number: 'INV-J-0001', kind: 'CINV', dueMinor: 50_000, discountMinor: 1_000, paidMinor: 49_000 },
        { number: 'INV-J-0002', kind: 'CINV', paidMinor: 49_000 },
      ]);
    });

    it('given a batch of two transfers with a Strd each (.001.02), when parsed, then each split entry carries its own document', () => {
      const [yen] = parseCamt053(fixture('o2c-remittance-jpy-v02.xml')).statements;
      expect(yen?.entries.slice(1).map((entry) => [entry.amountMinor, entry.remittanceDocuments])).toEqual([
        [20_000, [{ number: 'INV-J-0003', kind: 'CINV', paidMinor: 20_000 }]],
        [10_000, [{ number: 'INV-J-0004', kind: 'CINV', paidMinor: 10_000 }]],
      ]);
    });

    it('given KWD (three decimals) and two typed discounts (.001.04), when parsed, then fils are minor units and the discounts add up', () => {
      const [dinar] = parseCamt053(fixture('o2c-remittance-kwd-v04.xml')).statements;
      expect(dinar).toMatchObject({ currency: 'KWD', balanced: true });
      expect(dinar?.entries[0]?.remittanceDocuments).toEqual([{ number: 'INV-KW-0017', kind: 'CINV', dueMinor: 1_250_000, discountMinor: 15_433, paidMinor: 1_234_567 }]);
    });

    it('given one Strd naming two documents with one amount, when parsed, then both numbers are kept and the amount is not split', () => {
      const [dinar] = parseCamt053(fixture('o2c-remittance-kwd-v04.xml')).statements;
      expect(dinar?.entries[1]?.remittanceDocuments).toEqual([
        { number: 'INV-KW-0018', kind: 'CINV' },
        { number: 'INV-KW-0019', kind: 'CINV' },
      ]);
    });

    it("given a remitted amount in another currency than the entry's, when parsed, then the number is kept without an amount", () => {
      const [dinar] = parseCamt053(fixture('o2c-remittance-kwd-v04.xml')).statements;
      expect(dinar?.entries[2]?.remittanceDocuments).toEqual([{ number: 'INV-KW-0020', kind: 'CINV' }]);
    });

    it('given the OCA Swiss ISR batch (CdtrRefInf only), when parsed, then each part carries its ISR reference as a document', () => {
      const [isr] = parseCamt053(fixture('oca-test-camt053-txdtls-v04.xml')).statements;
      expect(isr?.entries.map((entry) => entry.remittanceDocuments)).toEqual([[{ number: '302388292000011111111111111' }], [{ number: '302388292000022222222222222' }]]);
    });

    it.each([
      ['more decimals than EUR has', '<RmtdAmt Ccy="EUR">1176.001</RmtdAmt>', /more decimals than EUR allows/, 'RfrdDocAmt/RmtdAmt'],
      ['a remitted amount that is not a number', '<RmtdAmt Ccy="EUR">1.176,00</RmtdAmt>', /not a decimal amount/, 'RfrdDocAmt/RmtdAmt'],
      ['a signed remitted amount', '<RmtdAmt Ccy="EUR">-1176.00</RmtdAmt>', /carries a sign/, 'RfrdDocAmt/RmtdAmt'],
      ['a remitted amount without currency', '<RmtdAmt>1176.00</RmtdAmt>', /without a Ccy/, 'RfrdDocAmt/RmtdAmt'],
      ['an empty remitted amount', '<RmtdAmt Ccy="EUR"></RmtdAmt>', /missing amount/, 'RfrdDocAmt/RmtdAmt'],
      ['a remitted amount in an unknown currency', '<RmtdAmt Ccy="EUX">1176.00</RmtdAmt>', /unknown currency EUX/, 'RfrdDocAmt/RmtdAmt'],
      ['a discount of more decimals than EUR has', '<Amt Ccy="EUR">24.005</Amt>', /more decimals/, 'RfrdDocAmt/DscntApldAmt[1]/Amt'],
    ])('given %s, when parsed, then the file is refused naming the element', (_what, replacement, message, at) => {
      const original = replacement.startsWith('<Amt') ? '<Amt Ccy="EUR">24.00</Amt>' : '<RmtdAmt Ccy="EUR">1176.00</RmtdAmt>';
      const error = rejection(remittance.replace(original, replacement));
      expect(error.message).toMatch(message);
      expect(error.location).toBe(`BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/RmtInf/Strd[1]/${at}`);
    });

    it('given a discount written as bare text, without its currency, when parsed, then the file is refused rather than the discount skipped', () => {
      const error = rejection(remittance.replace(/<DscntApldAmt>[\s\S]*?<\/DscntApldAmt>/, '<DscntApldAmt>24.00</DscntApldAmt>'));
      expect(error.message).toMatch(/without a Ccy/);
      expect(error.location).toBe('BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/RmtInf/Strd[1]/RfrdDocAmt/DscntApldAmt[1]');
    });

    it('given an adjustment without its amount, when parsed, then the file is refused rather than the adjustment skipped', () => {
      const error = rejection(remittance.replace(/<AdjstmntAmtAndRsn>[\s\S]*?<\/AdjstmntAmtAndRsn>/, '<AdjstmntAmtAndRsn><Rsn>DAMG</Rsn></AdjstmntAmtAndRsn>'));
      expect(error.message).toMatch(/an adjustment without its amount/);
      expect(error.location).toBe('BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/RmtInf/Strd[2]/RfrdDocAmt/AdjstmntAmtAndRsn[1]');
    });

    it('given an adjustment with an unknown credit/debit indicator, when parsed, then the file is refused naming it', () => {
      const error = rejection(remittance.replace('<CdtDbtInd>DBIT</CdtDbtInd>\n                    <Rsn>DAMG</Rsn>', '<CdtDbtInd>MINUS</CdtDbtInd>\n                    <Rsn>DAMG</Rsn>'));
      expect(error.message).toMatch(/CRDT or DBIT, not MINUS/);
      expect(error.location).toBe('BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/RmtInf/Strd[2]/RfrdDocAmt/AdjstmntAmtAndRsn[1]/CdtDbtInd');
    });
  });
});
