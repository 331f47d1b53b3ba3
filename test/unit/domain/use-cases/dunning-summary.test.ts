import { describe, expect, it } from 'vitest';
import type { Customer } from '#domain/customer';
import type { DueInvoice, DunningRun, DunningStore } from '#domain/ports';
import { runDunning } from '#domain/use-cases/dunning';
import { sampleSeller } from '../../../fixtures/invoices/samples.ts';

const TODAY = '2026-12-24';

const customer = { id: 'C-1', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE', currency: 'EUR', onCreditHold: false, version: 1 } as unknown as Customer;

function due(id: string, dueDate: string): DueInvoice {
  return { id, customerId: 'C-1', customerName: 'Acme GmbH', invoiceNumber: `INV-${id}`, currency: 'EUR', openMinor: 10_000, dueDate, issueDate: '2026-11-01', paymentReference: `RF-${id}`, status: 'OPEN', version: 1 };
}

/** One customer with the given due invoices under the default policy; `recorded` answers the run's write. */
async function run(items: DueInvoice[], recorded: 'written' | 'exists' = 'written') {
  let written: DunningRun | undefined;
  const dunning = {
    policy: async () => undefined,
    due: async () => ({ items, readCapacity: 1 }),
    recordRun: async (change: { run?: DunningRun }) => ((written = change.run), recorded),
    runOf: async () => (written ? { ...written, email: { status: 'SENT' } } : undefined),
    markRunEmailed: async () => undefined,
  } as unknown as DunningStore;
  return runDunning(
    { today: TODAY },
    {
      dunning,
      customers: { get: async () => customer } as never,
      invoices: { listOfCustomer: async () => ({ items: [], cursor: null }) } as never,
      seller: sampleSeller,
      mailer: { sendRaw: async () => 'message-1' },
      clock: { now: () => new Date(`${TODAY}T06:00:00Z`) },
      ids: { next: () => 'ID' },
      compose: async () => new Uint8Array(),
      renderStatement: async () => new Uint8Array(),
    },
  );
}

describe('runDunning: reminders by level, for the metrics the handler emits', () => {
  it('given one invoice due in two days and one eight days overdue, when the run sends, then the summary counts one reminder at level 1 (friendly, −3 days) and one at level 3 (second reminder, +7 days)', async () => {
    const summary = await run([due('A', '2026-12-26'), due('B', '2026-12-16')]);

    expect(summary.reminders).toBe(2);
    expect(summary.remindersByLevel).toEqual({ '1': 1, '3': 1 });
  });

  it('given the day was already run for the customer, when it runs again, then no reminder is counted', async () => {
    const summary = await run([due('A', '2026-12-26')], 'exists');

    expect(summary).toMatchObject({ reminders: 0, remindersByLevel: {}, skippedAlreadyRun: 1 });
  });
});
