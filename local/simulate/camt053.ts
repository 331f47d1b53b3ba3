import { minorToDecimalString } from '#domain/money';

/**
 * Writes camt.053.001.02 statements for tests: one booked entry per payment, with the parts a bank fills in
 * (account servicer reference, end-to-end id, remittance, debtor and its IBAN, return reason), and balances that add up.
 */
export interface CamtEntry {
  amountMinor: number;
  bankReference: string;
  bookingDate: string;
  /** The booking date unless given. */
  valueDate?: string;
  endToEndId?: string;
  remittance?: string;
  debtorName?: string;
  debtorAccount?: string;
  reversal?: boolean;
  returnReason?: string;
  /** Structured remittance, one `Strd` per document (camt.053.001.02 `RemittanceAmount1`). */
  documents?: CamtDocument[];
  /** ISO bank transaction code `domain/family/subfamily`; a received SEPA credit transfer (`PMNT/RCDT/ESCT`) unless given. */
  bankTransactionCode?: string;
}

export interface CamtDocument {
  number: string;
  /** `CINV` unless given (`CREN` for a credit note). */
  type?: string;
  dueMinor?: number;
  discountMinor?: number;
  adjustments?: { amountMinor: number; code?: string; text?: string }[];
  paidMinor?: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const decimal = (minor: number, currency: string) => minorToDecimalString(Math.abs(minor), currency);
const indicator = (minor: number) => (minor < 0 ? 'DBIT' : 'CRDT');

function remittanceXml(entry: CamtEntry, currency: string): string {
  const amount = (tag: string, minor: number | undefined) => (minor === undefined ? '' : `<${tag} Ccy="${currency}">${decimal(minor, currency)}</${tag}>`);
  const documents = (entry.documents ?? []).map(
    (document) =>
      `<Strd><RfrdDocInf><Tp><CdOrPrtry><Cd>${document.type ?? 'CINV'}</Cd></CdOrPrtry></Tp><Nb>${escape(document.number)}</Nb></RfrdDocInf><RfrdDocAmt>${amount('DuePyblAmt', document.dueMinor)}${amount('DscntApldAmt', document.discountMinor)}${(document.adjustments ?? [])
        .map((adjustment) => `<AdjstmntAmtAndRsn>${amount('Amt', Math.abs(adjustment.amountMinor))}<CdtDbtInd>${adjustment.amountMinor >= 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd>${adjustment.code ? `<Rsn>${adjustment.code}</Rsn>` : ''}${adjustment.text ? `<AddtlInf>${escape(adjustment.text)}</AddtlInf>` : ''}</AdjstmntAmtAndRsn>`)
        .join('')}${amount('RmtdAmt', document.paidMinor)}</RfrdDocAmt></Strd>`,
  );
  if (!entry.remittance && documents.length === 0) return '';
  return `<RmtInf>${entry.remittance ? `<Ustrd>${escape(entry.remittance)}</Ustrd>` : ''}${documents.join('')}</RmtInf>`;
}

function bankTransactionCodeXml(code: string | undefined): string {
  const [domain = 'PMNT', family = 'RCDT', subFamily = 'ESCT'] = (code ?? '').split('/').filter(Boolean);
  return `<BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${subFamily}</SubFmlyCd></Fmly></Domn></BkTxCd>`;
}

function entryXml(entry: CamtEntry, currency: string): string {
  const parties = entry.debtorName || entry.debtorAccount
    ? `<RltdPties>${entry.debtorName ? `<Dbtr><Nm>${escape(entry.debtorName)}</Nm></Dbtr>` : ''}${entry.debtorAccount ? `<DbtrAcct><Id><IBAN>${entry.debtorAccount}</IBAN></Id></DbtrAcct>` : ''}</RltdPties>`
    : '';
  return `<Ntry><Amt Ccy="${currency}">${decimal(entry.amountMinor, currency)}</Amt><CdtDbtInd>${indicator(entry.amountMinor)}</CdtDbtInd>${entry.reversal ? '<RvslInd>true</RvslInd>' : ''}<Sts>BOOK</Sts>
<BookgDt><Dt>${entry.bookingDate}</Dt></BookgDt><ValDt><Dt>${entry.valueDate ?? entry.bookingDate}</Dt></ValDt><AcctSvcrRef>${escape(entry.bankReference)}</AcctSvcrRef>
${bankTransactionCodeXml(entry.bankTransactionCode)}
<NtryDtls><TxDtls><Refs><EndToEndId>${escape(entry.endToEndId ?? 'NOTPROVIDED')}</EndToEndId></Refs>${parties}
${remittanceXml(entry, currency)}${entry.returnReason ? `<RtrInf><Rsn><Cd>${entry.returnReason}</Cd></Rsn></RtrInf>` : ''}</TxDtls></NtryDtls></Ntry>`;
}

/**
 * One statement of `account` from `openingMinor`, its closing balance the sum of the entries. Amounts are in
 * `currency` (EUR unless given), written with its ISO 4217 decimals.
 */
export function camt053(input: { statementId: string; account: string; openingMinor: number; entries: CamtEntry[]; date?: string; currency?: string }): string {
  const currency = input.currency ?? 'EUR';
  const closing = input.openingMinor + input.entries.reduce((sum, entry) => sum + entry.amountMinor, 0);
  const date = input.date ?? input.entries.at(-1)?.bookingDate ?? '2026-11-23';
  const balance = (code: string, minor: number) =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">${decimal(minor, currency)}</Amt><CdtDbtInd>${indicator(minor)}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>${escape(input.statementId)}</MsgId><CreDtTm>${date}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${escape(input.statementId)}</Id><CreDtTm>${date}T18:00:00</CreDtTm><Acct><Id><IBAN>${input.account}</IBAN></Id><Ccy>${currency}</Ccy></Acct>
${balance('OPBD', input.openingMinor)}${balance('CLBD', closing)}
${input.entries.map((entry) => entryXml(entry, currency)).join('\n')}
</Stmt></BkToCstmrStmt></Document>
`;
}

/** An IBAN with valid check digits (ISO 13616 mod 97) for a German bank code and a test-chosen account number. */
export function germanIban(accountNumber: number): string {
  const bban = `37040044${String(accountNumber).padStart(10, '0')}`;
  const numeric = `${bban}131400`; // D=13, E=14, then 00
  const check = 98 - Number(BigInt(numeric) % 97n);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}
