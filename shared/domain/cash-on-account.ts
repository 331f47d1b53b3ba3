/**
 * Cash on account: money a customer paid that sits on no invoice yet (an overpayment, or what was left of a
 * payment after its invoices were settled). Cash application records it on the payment as `unappliedMinor` with
 * the customer it came from; the statement of account lists it as a credit, so the balance it shows is what the
 * customer really owes: open invoices less the cash we already hold.
 *
 * An UNMATCHED payment is not on anyone's account yet (it waits for a person in the exceptions queue), and a
 * returned or reversed one is gone: only an APPLIED payment of a known customer with something left counts.
 */
import type { Payment } from './payment.ts';

export interface CashOnAccount {
  paymentId: string;
  customerId: string;
  currency: string;
  /** The day the money arrived (the bank's booking date). */
  bookingDate: string;
  /** The bank's reference of the transfer, which the customer finds in its own bank account. */
  bankReference: string;
  /** What arrived, and what of it is still on no invoice (minor units, positive). */
  amountMinor: number;
  unappliedMinor: number;
}

/** Whether a payment leaves cash on its customer's account: the one definition the store and the statement use. */
export function isCashOnAccount(payment: Pick<Payment, 'status' | 'customerId' | 'unappliedMinor'>): boolean {
  return payment.status === 'APPLIED' && typeof payment.customerId === 'string' && payment.customerId !== '' && payment.unappliedMinor > 0;
}

/** The cash a payment leaves on its customer's account, or `undefined` when it leaves none. */
export function cashOnAccountOf(payment: Payment): CashOnAccount | undefined {
  if (!isCashOnAccount(payment) || !payment.customerId) return undefined;
  return {
    paymentId: payment.id,
    customerId: payment.customerId,
    currency: payment.currency,
    bookingDate: payment.bookingDate,
    bankReference: payment.bankReference,
    amountMinor: payment.amountMinor,
    unappliedMinor: payment.unappliedMinor,
  };
}
