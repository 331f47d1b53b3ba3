import { generateLedger, describeExpected } from './test/support/cash-ledger.ts';
const ledger = generateLedger({ seed: 20261102, customers: 300, invoices: 3000, entries: 2000 });
const items = new Map(ledger.openItems.map((i) => [i.id, i]));
const seen = new Map<string, number>();
for (const e of ledger.entries) {
  const t = ledger.truth.get(e.id)!;
  const n = seen.get(t.scenario) ?? 0; if (n >= 2) continue; seen.set(t.scenario, n + 1);
  const inv = t.allocations.map((a) => { const i = items.get(a.invoiceId)!; return `${i.number}/${i.customerId}/open0=${i.openMinor}/issue=${i.issueDate}/disc=${JSON.stringify(i.earlyPaymentDiscount ?? null)}`; });
  console.log(`${e.id} [${t.scenario}] ${t.detail}\n   amt=${e.amountMinor} val=${e.valueDate} rem=${JSON.stringify(e.remittance)} refs=${JSON.stringify(e.references)} e2e=${e.endToEndId} cp=${JSON.stringify(e.counterparty)} rev=${e.reversal} rr=${e.returnReason}\n   => ${describeExpected(t)}\n   ${inv.join(' ')}`);
}
