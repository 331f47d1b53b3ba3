import type { SimulationResult } from './simulate.ts';

const euros = (minor: number) => (minor / 100).toFixed(2);

/** The run as a person reads it: what happened, and each invariant with its verdict. */
export function renderSummary(result: SimulationResult): string {
  const lines = [
    `o2c simulate — seed ${result.seed}, ${result.days} days (${result.from} → ${result.to}), ${result.ordersPerDay} orders/day, ${result.customers} customers, ${result.elapsedSeconds} s`,
    `orders:   ${result.orders.sent} sent (${Object.entries(result.orders.bySource).map(([source, count]) => `${source} ${count}`).join(', ')}), ${result.orders.accepted} accepted; ${Object.entries(result.orders.byStatus).map(([status, count]) => `${status} ${count}`).join(', ')}`,
    `invoices: ${result.invoices.issued} issued, ${euros(result.invoices.payableMinor)} EUR payable`,
    `cash:     ${result.cash.entries} entries, ${euros(result.cash.amountMinor)} EUR; ${result.cash.autoApplied} auto-applied, ${result.cash.exceptions} exceptions, ${result.cash.resolvedByClerk} resolved by the clerk, ${result.cash.waiting} waiting`,
    ...(result.chaos.enabled ? [`chaos:    ${result.chaos.duplicateDeliveries} duplicate deliveries, ${result.chaos.outOfOrder} out of order, ${result.chaos.injectedFailures} injected failures, ${result.chaos.redroppedFiles} files dropped again, ${result.chaos.restarts} kill -9 restarts`] : []),
    'invariants:',
    ...Object.entries(result.invariants).map(([name, value]) => `  ${result.failed.includes(name) ? 'FAIL' : 'ok  '} ${name} ${JSON.stringify(value)}`),
    ...result.failed.filter((name) => name.startsWith('chaos.')).map((name) => `  FAIL ${name}: none injected`),
    ...Object.entries(result.details).flatMap(([name, items]) => [`  ${name}:`, ...items.slice(0, 10).map((item) => `    ${item}`)]),
  ];
  const cost = result.cost;
  if (cost) {
    lines.push(
      `cost:     $${cost.perThousandOrdersUsd} per 1,000 orders (list prices ${cost.priceList.region}, ${cost.priceList.date}); this run $${cost.runUsd} for ${cost.orders} orders; fixed $${cost.fixedMonthlyUsd} a month`,
      '  | service | item | quantity | unit | USD per 1,000 orders |',
      '  |---|---|---|---|---|',
      ...cost.byService.filter((line) => line.usd > 0).map((line) => `  | ${line.service} | ${line.item} | ${line.quantity} | ${line.unit} | ${line.usdPerThousandOrders} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
