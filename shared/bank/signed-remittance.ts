/**
 * Remittance lines that write a credit memo as a negative amount (X12 `RMR`, CSV remittance columns of lockbox and
 * payment-advice exports): the payer "pays" the credit memo by deducting it. {@link RemittanceDocument} amounts are
 * positive, so such a line becomes a credit note (`CREN`) with the magnitudes of its amounts. A line whose amounts
 * disagree in sign cannot be read either way and is refused: applying it would book a credit as a payment.
 */
import { BankFileError, type RemittanceDocument } from '#domain/bank-statement';

/** One amount of a line as read (signed minor units, undefined when blank) and how errors name it. */
export interface SignedAmount {
  minor: number | undefined;
  label: string;
}

export function signedDocument(
  document: { number: string; kind?: string | undefined },
  amounts: { paid: SignedAmount; due: SignedAmount; discount: SignedAmount },
  location: string,
): RemittanceDocument {
  const { paid, due, discount } = amounts;
  const credit = (paid.minor ?? due.minor ?? 0) < 0;
  for (const { minor, label } of [paid, due, discount]) {
    if (minor !== undefined && minor !== 0 && minor < 0 !== credit) {
      throw new BankFileError(`${document.number || 'no document'}: ${label} is ${credit ? 'positive on a credit memo' : 'negative on a document that is paid'}; its amounts must share one sign`, location);
    }
  }
  const kind = credit ? 'CREN' : document.kind;
  return {
    number: document.number,
    ...(kind ? { kind } : {}),
    ...(paid.minor !== undefined ? { paidMinor: Math.abs(paid.minor) } : {}),
    ...(due.minor !== undefined ? { dueMinor: Math.abs(due.minor) } : {}),
    ...(discount.minor !== undefined ? { discountMinor: Math.abs(discount.minor) } : {}),
  };
}
