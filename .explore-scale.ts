import { generateLedger } from './test/support/cash-ledger.ts';
for (const n of [10_000, 100_000]) {
  const t = performance.now();
  const ledger = generateLedger({ seed: 1, customers: n / 10, invoices: n, entries: n });
  console.log(n, 'generate ms', (performance.now() - t).toFixed(0), ledger.entries.length, ledger.openItems.length);
}
