/**
 * The normalized bank statement every parser produces (DESIGN §4), whatever the file format: camt.053, BAI2,
 * MT940 or CSV. Amounts are signed integer minor units of the entry's currency (+ is money in).
 */
export interface BankEntry {
  /** Stable within the statement: `<statement id>:<n>` when the bank gives no id of its own. */
  id: string;
  account: string;
  currency: string;
  amountMinor: number;
  /** ISO dates (YYYY-MM-DD). */
  bookingDate: string;
  valueDate: string;
  /** A reversal (camt `RvslInd`, MT940 `RC`/`RD`) undoes an earlier entry. */
  reversal: boolean;
  /** The bank's own reference for the transaction (camt `AcctSvcrRef`, MT940 `:61:` bank reference, BAI2 bank reference). */
  bankReference: string;
  endToEndId?: string | undefined;
  /** Structured references found (creditor references, invoice numbers given as such). */
  references: string[];
  /** Unstructured remittance text, joined. */
  remittance: string;
  /**
   * The remittance advice document by document, when the payer gave it structured (camt `RmtInf/Strd`, one per
   * document; BAI2 remittance records; MT940 `:86:` subfields; CSV profile columns). Absent when it gave none.
   */
  remittanceDocuments?: RemittanceDocument[] | undefined;
  counterparty: { name?: string | undefined; account?: string | undefined };
  /** Bank transaction code as given (camt domain/family/subfamily or proprietary, BAI2 type code, MT940 code). */
  transactionCode?: string | undefined;
  /** Return or reversal reason code when the bank gives one. */
  returnReason?: string | undefined;
}

/**
 * One document of a structured remittance advice: which invoice (or credit note) the payer means and what it says
 * about the money. Amounts are positive minor units of the entry's currency; any of them may be missing.
 */
export interface RemittanceDocument {
  /** The document number as the payer wrote it (camt `RfrdDocInf/Nb`), or a creditor reference (`CdtrRefInf/Ref`). */
  number: string;
  /** camt `RfrdDocInf/Tp` code when given: `CINV` invoice, `CREN` credit note, … */
  kind?: string | undefined;
  /** What the payer pays on this document (camt `RmtdAmt`). */
  paidMinor?: number | undefined;
  /** What the payer says was due on it (camt `DuePyblAmt`). */
  dueMinor?: number | undefined;
  /** The early-payment discount the payer took (camt `DscntApldAmt`). */
  discountMinor?: number | undefined;
  /**
   * What the payer deducted, with why (camt `AdjstmntAmtAndRsn`): `amountMinor` > 0 reduces what is paid; a
   * negative one adds to it. `code` is the reason code as given (e.g. ISO `DocumentAdjustment1` reason, or a
   * bank's/ANSI X12 CARC code), `reason` the words.
   */
  adjustments?: { amountMinor: number; code?: string | undefined; reason?: string | undefined }[] | undefined;
}

export interface BankStatement {
  id: string;
  account: string;
  currency: string;
  openingMinor: number;
  closingMinor: number;
  /** opening + Σ entries = closing; a mismatch is reported, never hidden. */
  balanced: boolean;
  entries: BankEntry[];
}

export type BankFileFormat = 'camt053' | 'bai2' | 'mt940' | 'csv';

export interface ParsedBankFile {
  format: BankFileFormat;
  statements: BankStatement[];
}

/** A file that cannot be read as its format: the message says where and why, for the quarantine report. */
export class BankFileError extends Error {
  override readonly name = 'BankFileError';
  constructor(
    message: string,
    readonly location?: string | undefined,
  ) {
    super(location ? `${location}: ${message}` : message);
  }
}

/**
 * Checks opening + entries = closing, in the statement's currency: an entry in another currency (camt.053 lists
 * some) does not move these balances and is not counted.
 */
export function isBalanced(statement: Pick<BankStatement, 'currency' | 'openingMinor' | 'closingMinor' | 'entries'>): boolean {
  return statement.openingMinor + statementCurrencySum(statement) === statement.closingMinor;
}

function statementCurrencySum(statement: Pick<BankStatement, 'currency' | 'entries'>): number {
  return statement.entries.reduce((sum, entry) => (entry.currency === statement.currency ? sum + entry.amountMinor : sum), 0);
}

/** A statement whose entries do not explain its balances is refused: an entry may be missing or misread. */
export function assertBalanced(parsed: ParsedBankFile): void {
  const unbalanced = parsed.statements.find((statement) => !statement.balanced);
  if (!unbalanced) return;
  const entries = statementCurrencySum(unbalanced);
  const unexplained = unbalanced.closingMinor - unbalanced.openingMinor - entries;
  throw new BankFileError(`opening ${unbalanced.openingMinor} + entries ${entries} ≠ closing ${unbalanced.closingMinor} (${unexplained} ${unbalanced.currency} unexplained): an entry may be missing or misread`, `statement ${unbalanced.id}`);
}
