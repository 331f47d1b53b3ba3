import type { SimulationResult } from './simulate.ts';

const euros = (minor: number) => (minor / 100).toFixed(2);

/** The run as a person reads it: what happened, and each invariant with its verdict. */
export function renderSummary(result: SimulationResult): string {
  const lines = [
    `o2c simulate — seed ${result.seed}, ${result.days} days (${result.from} → ${result.to}), ${result.ordersPerDay} orders/day, ${result.customers} customers, ${result.elapsedSeconds} s`,
    `orders:   ${result.orders.sent} sent (${Object.entries(result.orders.bySource).map(([source, count]) => `${source} ${count}`).join(', ')}), ${result.orders.accepted} accepted; ${Object.entries(result.orders.byStatus).map(([status, count]) => `${status} ${count}`).join(', ')}`,
    `          waiting for ${Object.entries(result.orders.waiting).map(([what, count]) => `${what} ${count}`).join(', ') || 'nothing'}; ${result.orders.cancelledByBuyer} cancelled by the buyer, ${result.orders.splitShipments} shipped in two parts, ${result.orders.restocks} restocks`,
    `invoices: ${result.invoices.issued} issued, ${euros(result.invoices.payableMinor)} EUR payable`,
    `cash:     ${result.cash.entries} entries, ${euros(result.cash.amountMinor)} EUR; ${result.cash.autoApplied} auto-applied, ${result.cash.exceptions} exceptions, ${result.cash.resolvedByClerk} resolved by the clerk, ${result.cash.waiting} waiting, ${result.cash.returned} returned by the payer's bank; ${result.cash.earlyPaymentDiscounts} early-payment discounts, ${result.cash.withoutRemittance} without remittance, ${result.cash.overlappingStatements} overlapping statements`,
    `collections: ${result.collections.disputesOpened} disputes (${result.collections.disputesCredited} credited, ${result.collections.disputesRejected} rejected), ${result.collections.promisesMade} promises (${result.collections.promisesKept} to be kept), reminders ${result.collections.remindersByLevel.map((row) => `${row.level} ${row.sent}`).join(', ') || 'none'}; credit holds ${result.collections.creditHoldsPlaced} placed, ${result.collections.creditHoldsReleased} released`,
    ...(result.kpis ? [`kpis:     O2C ${JSON.stringify(result.kpis.o2c).slice(0, 400)}`, `          books ${JSON.stringify(result.kpis.simulator)}${result.kpis.differences.length ? ` DIFFER: ${result.kpis.differences.join('; ')}` : ' (agree)'}`] : []),
    ...(result.forecast ? [`forecast: made on ${result.forecast.madeOn}, ${result.forecast.weeks.length} weeks judged, accuracy ${result.forecast.accuracyPercent ?? 'n/a'} % (${result.forecast.weeks.map((week) => `${week.weekStart} ${euros(week.forecastMinor)}/${euros(week.actualMinor)}`).join(', ')})`] : []),
    ...(result.chaos.enabled ? [`chaos:    ${result.chaos.duplicateDeliveries} duplicate deliveries (${result.chaos.concurrentDuplicates} at the same moment), ${result.chaos.outOfOrder} out of order, ${result.chaos.injectedFailures} injected failures, ${result.chaos.redroppedFiles} files dropped again, ${result.chaos.restarts} kill -9 restarts (${result.chaos.killsInFlight} with orders in flight)`] : []),
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
    const chaos = cost.chaosOverhead;
    if (chaos) lines.push(`  chaos overhead, not in the figure above: $${chaos.runUsd} this run ($${chaos.usdPerThousandOrders} per 1,000 orders; ${chaos.injectedFailures} invocations failed on purpose, their retries, work redone after kills)`);
  }
  return `${lines.join('\n')}\n`;
}
