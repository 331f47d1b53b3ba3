import { describe, expect, it } from 'vitest';
import { returnsDue, type SentPayment } from '../../../local/simulate/driver.ts';

/**
 * The payer's bank sends a transfer back two days later. O2C finds the transfer a return undoes by the payer's account
 * or the end-to-end id its statement carried; a BAI2 statement carries neither, so a transfer that came in one can
 * be undone only by a person. The simulator's bank returns only what O2C can link, and returns each transfer once:
 * at 50 orders a day, returns of BAI2 transfers were sent again every day, each waited on for a minute.
 */
const payment = (overrides: Partial<SentPayment>): SentPayment => ({
  bankReference: 'SIM1',
  date: '2027-01-22',
  amountMinor: 97_279,
  invoices: [{ invoiceId: 'INV-1', amountMinor: 97_279 }],
  paymentId: 'PAY-1',
  outcome: 'auto',
  entry: { amountMinor: 97_279, bankReference: 'SIM1', bookingDate: '2027-01-22', endToEndId: 'SIM1', payerName: 'Oder Main OHG', payerAccount: 'DE86370400440004001023' },
  returnOn: '2027-01-24',
  ...overrides,
});

describe('the simulated payer bank returns transfers', () => {
  it('given a transfer that came in a camt.053 statement, when its return day comes in a camt.053 day, then it is returned', () => {
    expect(returnsDue([payment({ receivedAs: 'camt053' })], '2027-01-24', 'camt053').map((due) => due.bankReference)).toEqual(['SIM1']);
  });

  it('given a transfer that came in a BAI2 statement (no payer, no end-to-end id), when its return day comes, then it is not returned', () => {
    expect(returnsDue([payment({ receivedAs: 'bai2' })], '2027-01-24', 'camt053')).toEqual([]);
  });

  it('given a return already sent, when the next statement is written, then it is not sent again, reversed by O2C or not', () => {
    expect(returnsDue([payment({ receivedAs: 'mt940', returnSent: true })], '2027-01-25', 'mt940')).toEqual([]);
  });

  it('given a BAI2 day, when returns are due, then none is sent (BAI2 marks no return), and they wait for the next day', () => {
    const due = payment({ receivedAs: 'csv' });
    expect(returnsDue([due], '2027-01-24', 'bai2')).toEqual([]);
    expect(returnsDue([due], '2027-01-25', 'csv')).toEqual([due]);
  });
});
