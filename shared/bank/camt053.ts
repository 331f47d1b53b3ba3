/**
 * ISO 20022 camt.053 (BankToCustomerStatement), versions .001.02 to .001.08 and later ones of the same shape, read
 * into the normalized {@link BankStatement}. The namespace changes with every version, so the message is recognised
 * by its root `Document/BkToCstmrStmt` and namespace prefixes are dropped. Amounts are kept as text until
 * `parseDecimalMinor` turns them into integer minor units: no floats anywhere.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BankFileError, isBalanced, type BankEntry, type BankStatement, type ParsedBankFile, type RemittanceDocument } from '#domain/bank-statement';
import { isCurrency, parseDecimalMinor } from '#domain/money';

/** A parsed element: text, an object of children (attributes under `@_`, text under `#text`), or a list of those. */
type Node = string | { [key: string]: Node | undefined } | Node[];
type Element = { [key: string]: Node | undefined };

/** Elements that may repeat in any version we read; they always come back as arrays, even with one occurrence. */
const REPEATING = new Set(['Stmt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd', 'RfrdDocInf', 'CdtrRefInf', 'DscntApldAmt', 'AdjstmntAmtAndRsn']);

/** Entry statuses that are not booked: they do not move the booked balance, so they are not cash yet. */
const NOT_BOOKED = new Set(['PDNG', 'INFO', 'FUTR']);

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  processEntities: true,
  isArray: (name) => REPEATING.has(name),
});

/** Namespaces are dropped by the main parser; this one reads only the root element (children stay unparsed) to learn its namespace. */
const rootParser = new XMLParser({
  removeNSPrefix: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  stopNodes: ['*.*'],
});

/** Reads a camt.053 message; every `Stmt` becomes a statement, every booked transaction an entry. */
export function parseCamt053(xml: string): ParsedBankFile {
  const text = xml.replace(/^\uFEFF/, '');
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new BankFileError(`not well-formed XML: ${msg}`, `line ${line}, column ${col}`);
  }
  let root: unknown;
  try {
    root = parser.parse(text);
  } catch (error) {
    throw new BankFileError(`not readable XML: ${(error as Error).message}`);
  }
  const document = isElement(root) ? root.Document : undefined;
  const message = isElement(document) ? document.BkToCstmrStmt : undefined;
  if (!isElement(document) || !isElement(message)) {
    throw new BankFileError('not a camt.053 message: no Document/BkToCstmrStmt', 'Document');
  }
  const namespace = rootNamespace(text);
  if (namespace && !/camt\.053\./.test(namespace)) {
    throw new BankFileError(`not a camt.053 message: namespace ${namespace}`, 'Document');
  }
  const statements = elements(message.Stmt);
  if (statements.length === 0) throw new BankFileError('the message holds no Stmt', 'BkToCstmrStmt');
  return { format: 'camt053', statements: statements.map((stmt, index) => readStatement(stmt, `BkToCstmrStmt/Stmt[${index + 1}]`)) };
}

function readStatement(stmt: Element, where: string): BankStatement {
  const id = required(stmt, 'Id', where);
  const account = accountId(child(stmt, 'Acct')) ?? fail('the statement names no account (Acct/Id/IBAN or Othr/Id)', `${where}/Acct`);
  const balances = elements(stmt.Bal).map((bal, index) => {
    const at = `${where}/Bal[${index + 1}]`;
    return { bal, code: balanceCode(bal), currency: amountCurrency(bal, `${at}/Amt`), where: at };
  });
  const openings = balances.filter((b) => b.code === 'OPBD' || b.code === 'PRCD');
  const closings = balances.filter((b) => b.code === 'CLBD');
  if (openings.length === 0) fail('no opening balance (OPBD or PRCD)', where);
  if (closings.length === 0) fail('no closing balance (CLBD)', where);
  // The account's currency, else the opening balance's. Balances in other currencies (counter-values some banks
  // add) are not the statement's: its own opening and closing are those in its currency.
  const currency = text(child(stmt, 'Acct'), 'Ccy') ?? (openings[0]?.currency as string);
  if (!isCurrency(currency)) fail(`unknown currency ${currency}`, `${where}/Acct/Ccy`);
  const own = (found: typeof balances) => found.find((b) => b.code === 'OPBD' && b.currency === currency) ?? found.find((b) => b.currency === currency);
  const opening = own(openings) ?? fail(`no opening balance (OPBD or PRCD) in ${currency}, the statement's currency (only in ${unique(openings.map((b) => b.currency)).join(', ')})`, where);
  const closing = own(closings) ?? fail(`no closing balance (CLBD) in ${currency}, the statement's currency (only in ${unique(closings.map((b) => b.currency)).join(', ')}): the entries cannot be checked`, where);
  const openingMinor = signedBalance(opening.bal, currency, opening.where);
  const closingMinor = signedBalance(closing.bal, currency, closing.where);

  const entries: BankEntry[] = [];
  elements(stmt.Ntry).forEach((ntry, index) => {
    for (const entry of readEntry(ntry, { statementId: id, account, currency }, `${where}/Ntry[${index + 1}]`)) {
      entries.push({ ...entry, id: `${id}:${entries.length + 1}` });
    }
  });
  const statement = { id, account, currency, openingMinor, closingMinor, entries };
  return { ...statement, balanced: isBalanced(statement) };
}

interface StatementContext {
  statementId: string;
  account: string;
  currency: string;
}

/** One entry per `TxDtls` of a batch; one entry for an entry with none or with a single one. */
function readEntry(ntry: Element, context: StatementContext, where: string): Omit<BankEntry, 'id'>[] {
  const status = text(ntry, 'Sts') ?? text(child(ntry, 'Sts'), 'Cd');
  if (status && NOT_BOOKED.has(status)) return [];

  // An entry in another currency than its statement keeps its own: it is reported as such (its `currency`), and
  // only entries in the statement's currency count towards opening + entries = closing (isBalanced).
  const currency = amountCurrency(ntry, `${where}/Amt`);
  if (!isCurrency(currency)) fail(`unknown currency ${currency}`, `${where}/Amt`);
  const amountMinor = signed(amount(ntry, currency, `${where}/Amt`), direction(ntry, `${where}/CdtDbtInd`));
  const reversal = text(ntry, 'RvslInd') === 'true' || text(ntry, 'RvslInd') === '1';
  const bookingDate = date(child(ntry, 'BookgDt'), `${where}/BookgDt`) ?? date(child(ntry, 'ValDt'), `${where}/ValDt`) ?? fail('no booking date', `${where}/BookgDt`);
  const valueDate = date(child(ntry, 'ValDt'), `${where}/ValDt`) ?? bookingDate;
  const base = {
    account: context.account,
    currency,
    bookingDate,
    valueDate,
    reversal,
    bankReference: text(ntry, 'AcctSvcrRef') ?? '',
    transactionCode: transactionCode(child(ntry, 'BkTxCd')),
  };

  const details = elements(ntry.NtryDtls).flatMap((dtls) => elements(dtls.TxDtls));
  if (details.length === 0) {
    return [{ ...base, amountMinor, references: [], remittance: '', counterparty: {} }];
  }
  if (details.length === 1) {
    // A single TxDtls describes the whole entry; the entry amount is the booked one (its own Amt may be absent or in the instructed currency).
    return [{ ...base, amountMinor, ...transactionDetails(details[0] as Element, base, amountMinor, `${where}/NtryDtls/TxDtls[1]`) }];
  }

  const split = details.map((tx, index) => {
    const txWhere = `${where}/NtryDtls/TxDtls[${index + 1}]`;
    const found = transactionAmount(tx, currency, txWhere);
    if (found === undefined) return undefined;
    const txDirection = text(tx, 'CdtDbtInd') ? direction(tx, `${txWhere}/CdtDbtInd`) : Math.sign(amountMinor) || 1;
    return signed(found, txDirection);
  });
  const complete = split.every((value): value is number => value !== undefined);
  if (!complete || split.reduce((sum, value) => sum + value, 0) !== amountMinor) {
    // The bank's details do not account for the booked amount: keep the entry whole rather than invent a split.
    const parts = details.map((tx, index) => transactionDetails(tx, base, amountMinor, `${where}/NtryDtls/TxDtls[${index + 1}]`));
    return [
      {
        ...base,
        amountMinor,
        references: unique(parts.flatMap((part) => part.references)),
        remittance: parts
          .map((part) => part.remittance)
          .filter(Boolean)
          .join(' '),
        ...withDocuments(parts.flatMap((part) => part.remittanceDocuments ?? [])),
        counterparty: {},
        endToEndId: undefined,
      },
    ];
  }
  return details.map((tx, index) => {
    const txAmount = split[index] as number;
    return { ...base, amountMinor: txAmount, ...transactionDetails(tx, base, txAmount, `${where}/NtryDtls/TxDtls[${index + 1}]`) };
  });
}

function transactionDetails(
  tx: Element,
  base: { currency: string; bankReference: string; transactionCode: string | undefined; reversal: boolean },
  amountMinor: number,
  where: string,
): Pick<BankEntry, 'bankReference' | 'endToEndId' | 'references' | 'remittance' | 'remittanceDocuments' | 'counterparty' | 'transactionCode' | 'returnReason'> {
  const refs = child(tx, 'Refs');
  const endToEndId = text(refs, 'EndToEndId');
  const remittance = child(tx, 'RmtInf');
  const structured = elements(remittance?.Strd);
  const references = unique([
    ...structured.flatMap((strd) => elements(strd.CdtrRefInf).map((info) => text(info, 'Ref'))),
    ...structured.flatMap((strd) => elements(strd.RfrdDocInf).map((info) => text(info, 'Nb'))),
  ]);
  const lines = texts(remittance?.Ustrd);
  // Money in comes from the debtor, money out goes to the creditor; a reversal is booked against the original direction.
  const moneyIn = amountMinor > 0 !== base.reversal;
  const parties = child(tx, 'RltdPties');
  const payer = party(parties, 'Dbtr', 'UltmtDbtr', 'DbtrAcct');
  const payee = party(parties, 'Cdtr', 'UltmtCdtr', 'CdtrAcct');
  const preferred = moneyIn ? payer : payee;
  const fallback = moneyIn ? payee : payer;
  const counterparty = preferred.name || preferred.account ? preferred : fallback.name || fallback.account ? fallback : {};
  return {
    bankReference: base.bankReference || text(refs, 'AcctSvcrRef') || '',
    endToEndId: endToEndId && endToEndId.toUpperCase() !== 'NOTPROVIDED' ? endToEndId : undefined,
    references,
    remittance: lines.join(' '),
    ...withDocuments(structured.flatMap((strd, index) => structuredDocuments(strd, base.currency, `${where}/RmtInf/Strd[${index + 1}]`))),
    counterparty,
    transactionCode: transactionCode(child(tx, 'BkTxCd')) ?? base.transactionCode,
    returnReason: text(child(child(tx, 'RtrInf'), 'Rsn'), 'Cd') ?? text(child(child(tx, 'RtrInf'), 'Rsn'), 'Prtry'),
  };
}

/** `remittanceDocuments` only when the payer gave at least one document: absent otherwise, never an empty list. */
function withDocuments(documents: RemittanceDocument[]): Pick<BankEntry, 'remittanceDocuments'> {
  return documents.length > 0 ? { remittanceDocuments: documents } : {};
}

/**
 * The documents of one `RmtInf/Strd`. Payers write one `Strd` per document: its number from `RfrdDocInf/Nb` (with
 * the type code, `CINV`, `CREN`, …), or, when the payer names no document, its creditor reference
 * (`CdtrRefInf/Ref`, e.g. an RF reference) as the number. A `Strd` with several `RfrdDocInf` has one `RfrdDocAmt`
 * for all of them, which cannot be split between them: they keep their numbers and no amounts (the amounts are
 * still read, so that a malformed one is reported). A `Strd` that names nothing is not a document.
 */
function structuredDocuments(strd: Element, currency: string, where: string): RemittanceDocument[] {
  const referred = elements(strd.RfrdDocInf).flatMap((info) => {
    const number = text(info, 'Nb');
    return number ? [{ number, kind: documentKind(info) }] : [];
  });
  const reference = text(child(strd, 'CdtrRefInf'), 'Ref');
  const documents: RemittanceDocument[] = referred.length > 0 ? referred : reference ? [{ number: reference }] : [];
  const amounts = documentAmounts(child(strd, 'RfrdDocAmt'), documents[0]?.kind, currency, `${where}/RfrdDocAmt`);
  if (documents.length !== 1) return documents;
  return [{ ...(documents[0] as RemittanceDocument), ...amounts }];
}

/** `RfrdDocInf/Tp/CdOrPrtry`: the ISO code (`CINV`, `CREN`, `DEBN`, …), else the proprietary one. */
function documentKind(info: Element): string | undefined {
  const choice = child(child(info, 'Tp'), 'CdOrPrtry');
  return text(choice, 'Cd') ?? text(choice, 'Prtry');
}

/**
 * `RfrdDocAmt` in our terms. `RmtdAmt` is what is paid on the document, `DuePyblAmt` what was due, `DscntApldAmt`
 * the discount taken (summed when a newer version lists several by type), `AdjstmntAmtAndRsn` the deductions with
 * their reasons. `CdtNoteAmt` is the amount of a credit note: on a credit note (`CREN`) it is the document's own
 * amount (its "due" when `DuePyblAmt` is absent); on any other document it is a credit note netted against it,
 * which explains part of the gap between due and paid like any other deduction. `TaxAmt` says how much of the
 * amount is tax and changes nothing here. Amounts in another currency than the entry's are checked, then left out:
 * we have no rate to convert them with.
 */
function documentAmounts(amounts: Element | undefined, kind: string | undefined, currency: string, where: string): Omit<RemittanceDocument, 'number' | 'kind'> {
  if (!amounts) return {};
  const paidMinor = documentAmount(amounts.RmtdAmt, currency, `${where}/RmtdAmt`);
  const dueMinor = documentAmount(amounts.DuePyblAmt, currency, `${where}/DuePyblAmt`);
  const creditNoteMinor = documentAmount(amounts.CdtNoteAmt, currency, `${where}/CdtNoteAmt`);
  const discounts = occurrences(amounts.DscntApldAmt).map((discount, index) => discountAmount(discount, currency, `${where}/DscntApldAmt[${index + 1}]`));
  // A sum missing a discount in another currency would be a wrong discount: then there is none.
  const given = discounts.every((discount): discount is number => discount !== undefined) ? discounts : [];
  const adjustments = occurrences(amounts.AdjstmntAmtAndRsn).flatMap((adjustment, index) => documentAdjustment(adjustment, currency, `${where}/AdjstmntAmtAndRsn[${index + 1}]`));
  const isCreditNote = kind === 'CREN';
  if (creditNoteMinor !== undefined && !isCreditNote) adjustments.push({ amountMinor: creditNoteMinor, reason: 'credit note (CdtNoteAmt)' });
  const due = dueMinor ?? (isCreditNote ? creditNoteMinor : undefined);
  return {
    ...(paidMinor !== undefined ? { paidMinor } : {}),
    ...(due !== undefined ? { dueMinor: due } : {}),
    ...(given.length > 0 ? { discountMinor: given.reduce((sum, discount) => sum + discount, 0) } : {}),
    ...(adjustments.length > 0 ? { adjustments } : {}),
  };
}

/** `DscntApldAmt` as an amount (.02, .03) or as `Tp` + `Amt` (.04 and later). */
function discountAmount(discount: Node, currency: string, where: string): number | undefined {
  return isElement(discount) && discount.Amt !== undefined ? documentAmount(discount.Amt, currency, `${where}/Amt`) : documentAmount(discount, currency, where);
}

/**
 * One `AdjstmntAmtAndRsn`. ISO 20022 (DocumentAdjustment1) defines its `CdtDbtInd` as whether the adjustment "must
 * be subtracted or added to the total amount": `DBIT` is a decrease, `CRDT` an increase. A deduction from what is
 * paid is therefore `DBIT` and positive in {@link RemittanceDocument.adjustments}; `CRDT` (the payer adds, e.g.
 * interest) is negative. The indicator is optional: without one the adjustment is read as a deduction, which is
 * what payers use it for (short payments with a reason). `Rsn` is the reason code, `AddtlInf` the words.
 */
function documentAdjustment(node: Node, currency: string, where: string): NonNullable<RemittanceDocument['adjustments']> {
  const adjustment = isElement(node) ? node : {};
  if (adjustment.Amt === undefined) fail('an adjustment without its amount (Amt)', where);
  const magnitude = documentAmount(adjustment.Amt, currency, `${where}/Amt`);
  if (magnitude === undefined) return [];
  const increase = text(adjustment, 'CdtDbtInd') !== undefined && direction(adjustment, `${where}/CdtDbtInd`) > 0;
  const code = text(adjustment, 'Rsn');
  const reason = text(adjustment, 'AddtlInf');
  return [{ amountMinor: increase && magnitude !== 0 ? -magnitude : magnitude, ...(code ? { code } : {}), ...(reason ? { reason } : {}) }];
}

/** A remittance amount in minor units of the entry's currency; undefined when absent or in another currency. */
function documentAmount(node: Node | undefined, currency: string, where: string): number | undefined {
  const first = Array.isArray(node) ? node[0] : node;
  if (first === undefined) return undefined;
  const own = nodeCurrency(first, where);
  if (!isCurrency(own)) fail(`unknown currency ${own}`, where);
  const minor = amountValue(first, own, where);
  return own === currency ? minor : undefined;
}

function party(parties: Element | undefined, role: string, ultimate: string, accountRole: string): { name?: string; account?: string } {
  const name = partyName(child(parties, role)) ?? partyName(child(parties, ultimate));
  const account = accountId(child(parties, accountRole));
  return { ...(name ? { name } : {}), ...(account ? { account } : {}) };
}

/** `Nm` directly (up to .05) or under `Pty` (.06 and later). */
function partyName(element: Element | undefined): string | undefined {
  return text(element, 'Nm') ?? text(child(element, 'Pty'), 'Nm');
}

function accountId(account: Element | undefined): string | undefined {
  const id = child(account, 'Id');
  return text(id, 'IBAN') ?? text(child(id, 'Othr'), 'Id');
}

/** Domain/family/subfamily when given, else the proprietary code. */
function transactionCode(code: Element | undefined): string | undefined {
  const domain = child(code, 'Domn');
  const family = child(domain, 'Fmly');
  const parts = [text(domain, 'Cd'), text(family, 'Cd'), text(family, 'SubFmlyCd')].filter((part): part is string => Boolean(part));
  if (parts.length > 0) return parts.join('/');
  return text(child(code, 'Prtry'), 'Cd');
}

/** `TxDtls/Amt` (.03 and later) or `AmtDtls/TxAmt/Amt`, only when it is in the entry's currency. */
function transactionAmount(tx: Element, currency: string, where: string): number | undefined {
  const candidates: [Element | undefined, string][] = [
    [tx, `${where}/Amt`],
    [child(child(tx, 'AmtDtls'), 'TxAmt'), `${where}/AmtDtls/TxAmt/Amt`],
  ];
  for (const [holder, at] of candidates) {
    if (holder?.Amt === undefined) continue;
    if (amountCurrency(holder, at) !== currency) continue;
    return amount(holder, currency, at);
  }
  return undefined;
}

function balanceCode(bal: Element): string | undefined {
  const choice = child(child(bal, 'Tp'), 'CdOrPrtry');
  return text(choice, 'Cd') ?? text(choice, 'Prtry');
}

function signedBalance(bal: Element, currency: string, where: string): number {
  return signed(amount(bal, currency, `${where}/Amt`), direction(bal, `${where}/CdtDbtInd`));
}

function direction(holder: Element, where: string): 1 | -1 {
  const indicator = text(holder, 'CdtDbtInd');
  if (indicator === 'CRDT') return 1;
  if (indicator === 'DBIT') return -1;
  return fail(`credit/debit indicator must be CRDT or DBIT, not ${indicator ?? 'missing'}`, where);
}

function signed(magnitude: number, sign: number): number {
  return sign < 0 ? -magnitude : magnitude;
}

function amountCurrency(holder: Element, where: string): string {
  return nodeCurrency(holder.Amt, where);
}

/** The `Ccy` attribute of an amount element. */
function nodeCurrency(node: Node | undefined, where: string): string {
  const currency = isElement(node) ? attribute(node, 'Ccy') : undefined;
  if (!currency) fail('amount without a Ccy attribute', where);
  return currency;
}

function amount(holder: Element, currency: string, where: string): number {
  return amountValue(holder.Amt, currency, where);
}

/** A camt amount is unsigned (the indicator carries the sign) and may not be finer than the currency. */
function amountValue(node: Node | undefined, currency: string, where: string): number {
  const value = isElement(node) ? node['#text'] : node;
  if (typeof value !== 'string' || value === '') fail('missing amount', where);
  if (/^[+-]/.test(value)) fail(`amount "${value}" carries a sign; camt uses CdtDbtInd`, where);
  try {
    return parseDecimalMinor(value, currency);
  } catch (error) {
    return fail((error as Error).message, where);
  }
}

/** `Dt` or `DtTm` → the calendar date as the bank wrote it. */
function date(holder: Element | undefined, where: string): string | undefined {
  const value = text(holder, 'Dt') ?? text(holder, 'DtTm');
  if (value === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  if (!match) fail(`"${value}" is not an ISO date`, where);
  return match[1];
}

function rootNamespace(xml: string): string | undefined {
  const parsed: unknown = rootParser.parse(xml);
  if (!isElement(parsed)) return undefined;
  const rootName = Object.keys(parsed).find((key) => !key.startsWith('@_') && !key.startsWith('?') && !key.startsWith('#'));
  const root = rootName ? parsed[rootName] : undefined;
  if (!rootName || !isElement(root)) return undefined;
  const separator = rootName.indexOf(':');
  return attribute(root, separator < 0 ? 'xmlns' : `xmlns:${rootName.slice(0, separator)}`);
}

function required(holder: Element, name: string, where: string): string {
  return text(holder, name) ?? fail(`missing ${name}`, where);
}

function fail(message: string, where: string): never {
  throw new BankFileError(message, where);
}

function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function child(holder: Element | undefined, name: string): Element | undefined {
  const node = holder?.[name];
  const first = Array.isArray(node) ? node[0] : node;
  return isElement(first) ? first : undefined;
}

/** Every occurrence of a repeating element, elements and bare text alike (a text-only one is malformed, not absent). */
function occurrences(node: Node | undefined): Node[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

function elements(node: Node | undefined): Element[] {
  if (node === undefined) return [];
  const list = Array.isArray(node) ? node : [node];
  return list.filter(isElement);
}

function attribute(holder: Element, name: string): string | undefined {
  const value = holder[`@_${name}`];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Text of a child element, whether it carries attributes or not; empty text counts as absent. */
function text(holder: Element | undefined, name: string): string | undefined {
  const node = holder?.[name];
  const first = Array.isArray(node) ? node[0] : node;
  const value = isElement(first) ? first['#text'] : first;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Every text occurrence of a repeating element (`Ustrd` lines), trimmed, empty ones dropped. */
function texts(node: Node | undefined): string[] {
  if (node === undefined) return [];
  const list = Array.isArray(node) ? node : [node];
  return list
    .map((item) => (isElement(item) ? item['#text'] : item))
    .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    .map((item) => item.trim());
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}
