/**
 * Remittance advice in ANSI X12 820 segments, as US banks pass it on in the text of a BAI2 `16` record and its
 * `88` continuations: the addenda of an ACH CCD+ payment (one segment, NACHA's banking convention
 * `RMR*IV*INV-1043**1250.00\`) or of a CTX payment (a whole 820: `BPR…~TRN…~ENT…~RMR…~REF…~ADX…~`), and lockbox
 * remittance keyed in the same shape. Only two segments carry what cash application needs:
 *
 * - `RMR` (remittance advice, accounts receivable open item reference), one per document: RMR01 the reference
 *   qualifier (`IV` seller's invoice number, …), RMR02 the number, RMR03 a payment action code, RMR04 the amount
 *   paid, RMR05 the invoice (or credit/debit memo) amount, RMR06 the discount taken. A credit memo the payer takes
 *   is written with a negative amount paid ("the amount being deducted on the credit memo", as payers' 820 guides
 *   put it): it becomes a credit note (`CREN`) with positive amounts. RMR07/RMR08 (an adjustment reason with
 *   interest or anticipation) are left out: the standard does not say in which direction they move the payment.
 * - `ADX` (adjustment) after an `RMR` belongs to that document: ADX01 the amount, "signed if negative. If negative,
 *   it reduces the payment amount", ADX02 the adjustment reason code, ADX03/ADX04 the payer's reference for it
 *   (e.g. its debit memo number, kept as the reason). In {@link RemittanceDocument.adjustments} a deduction is
 *   positive, so the sign is turned. An `ADX` before any `RMR` (or after `ENT`, which starts another payee's
 *   part) adjusts the payment as a whole, not a document, and is not a document's.
 *
 * Segments end with `~` or `\` (NACHA's banking convention for addenda); elements are separated by `*`. Text before,
 * between and after the segments (the bank's own `ORIG CO NAME:…` words) is not read. An amount is an X12 decimal
 * (`1190`, `1190.5`, `-50.00`, `.5`) in the account's currency; one that is not, or that has more decimals than the
 * currency, makes the file an error: a remittance amount read wrong would be applied wrong.
 */
import { BankFileError, type RemittanceDocument } from '#domain/bank-statement';
import { parseDecimalMinor } from '#domain/money';
import { signedDocument } from './signed-remittance.ts';

/** Segment ids of the 820 that may begin an `88` continuation, which then begins a segment of its own. */
const SEGMENT_START = /^\s*(?:ISA|GS|ST|BPR|TRN|CUR|REF|DTM|N1|N3|N4|ENT|NM1|RMR|NTE|ADX|IT1|SAC|TXP|SE|GE|IEA)\*/;

/** Where the segments we read begin inside a piece of text: the id, not preceded by a letter or digit. */
const READ_SEGMENT = /(?<![A-Za-z0-9])(RMR|ADX|ENT)\*/;

/**
 * Joins the text of a record and its continuations as the bank cut it. Banks cut a long addenda anywhere, so the
 * pieces are joined as they are (no space is added inside a number); a continuation that begins with a segment id
 * begins a new segment even when the bank wrote no terminator before it.
 */
export function joinX12Pieces(pieces: readonly string[]): string {
  return pieces.map((piece, index) => (index > 0 && SEGMENT_START.test(piece) ? `~${piece}` : piece)).join('');
}

/** The documents of the `RMR` segments in `text` (a record's text, its continuations joined), with their `ADX`. */
export function readX12Remittance(text: string, currency: string, location: string): RemittanceDocument[] {
  const documents: RemittanceDocument[] = [];
  let current: RemittanceDocument | undefined;
  for (const piece of text.split(/[~\\]/)) {
    const found = READ_SEGMENT.exec(piece);
    if (!found) continue;
    const elements = piece.slice(found.index).split('*').map((element) => element.trim());
    const id = found[1] as 'RMR' | 'ADX' | 'ENT';
    if (id === 'ENT') {
      current = undefined;
    } else if (id === 'RMR') {
      current = remittanceSegment(elements, currency, location);
      if (current) documents.push(current);
    } else if (current) {
      current.adjustments = [...(current.adjustments ?? []), adjustmentSegment(elements, currency, location)];
    } else {
      adjustmentSegment(elements, currency, location); // checked, but it adjusts the payment, not a document
    }
  }
  return documents;
}

/** `RMR`: one document; undefined when it names none (RMR03 payment on account), its amounts checked all the same. */
function remittanceSegment(elements: string[], currency: string, location: string): RemittanceDocument | undefined {
  const [, qualifier = '', number = '', , paid = '', due = '', discount = ''] = elements;
  const what = `RMR for ${number || 'no document'}`;
  const document = signedDocument(
    { number, kind: qualifier === 'IV' ? 'CINV' : qualifier || undefined },
    {
      paid: { minor: x12Amount(paid, currency, `${what}: RMR04 (amount paid)`, location), label: 'RMR04 (amount paid)' },
      due: { minor: x12Amount(due, currency, `${what}: RMR05 (invoice amount)`, location), label: 'RMR05 (invoice amount)' },
      discount: { minor: x12Amount(discount, currency, `${what}: RMR06 (discount taken)`, location), label: 'RMR06 (discount taken)' },
    },
    location,
  );
  return number === '' ? undefined : document;
}

/** `ADX`: X12 writes a deduction negative; ours is positive. */
function adjustmentSegment(elements: string[], currency: string, location: string): NonNullable<RemittanceDocument['adjustments']>[number] {
  const [, amountText = '', code = '', , reference = ''] = elements;
  const amount = x12Amount(amountText, currency, 'ADX01 (adjustment amount)', location);
  if (amount === undefined) throw new BankFileError('ADX without an amount (ADX01)', location);
  return { amountMinor: amount === 0 ? 0 : -amount, ...(code ? { code } : {}), ...(reference ? { reason: reference } : {}) };
}

/** An X12 decimal (`R`): optional minus, digits with an optional point; blank is absent. */
function x12Amount(text: string, currency: string, what: string, location: string): number | undefined {
  if (text === '') return undefined;
  if (!/^-?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) throw new BankFileError(`${what} "${text}" is not an amount`, location);
  try {
    return parseDecimalMinor(text.replace(/^(-?)\./, '$10.'), currency);
  } catch (error) {
    throw new BankFileError(`${what}: ${(error as Error).message}`, location);
  }
}
